#include "llm/LlmRequest.h"
#include "llm/LlmResponse.h"
#include "run/RequestCodec.h"
#include "run/SurveyItemBuilder.h"
#include "util/SeededRandom.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <cmath>
#include <limits>

using namespace anthology;
using namespace Qt::StringLiterals;

namespace {

// The oracle: the stored forms as QJsonDocument writes them (what every project so far
// holds, and what its cache keys hash). RequestCodec writes them without QJsonObject.
QJsonValue qtNumber(double v)
{
    return std::isfinite(v) ? QJsonValue(v) : QJsonValue(QJsonValue::Null);
}

QByteArray qtCanonical(const LlmRequest &request, const QString &modelId, int sample)
{
    QJsonObject o{{u"chat"_s, request.chat}};
    if (request.chat) {
        QJsonArray messages;
        for (const ChatMessage &m : request.messages)
            messages.append(QJsonObject{{u"role"_s, m.role}, {u"content"_s, m.content}});
        o.insert(u"messages"_s, messages);
    } else {
        o.insert(u"prompt"_s, request.prompt);
    }
    o.insert(u"model"_s, request.model.isEmpty() ? modelId : request.model);
    o.insert(u"max_tokens"_s, request.maxTokens);
    o.insert(u"temperature"_s, request.temperature);
    o.insert(u"top_p"_s, request.topP);
    o.insert(u"n"_s, request.n);
    o.insert(u"stop"_s, QJsonArray::fromStringList(request.stop));
    if (request.logprobs)
        o.insert(u"logprobs"_s, *request.logprobs);
    if (request.seed)
        o.insert(u"seed"_s, double(*request.seed));
    o.insert(u"sample"_s, sample);
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QByteArray qtResponse(const LlmResponse &response)
{
    QJsonArray choices;
    for (const LlmChoice &c : response.choices) {
        QJsonObject choice{{u"index"_s, c.index}, {u"text"_s, c.text}, {u"finish_reason"_s, c.finishReason}};
        if (c.hasLogprobs) {
            QJsonArray positions;
            for (const TokenLogprob &t : c.logprobs) {
                QJsonArray top;
                for (const auto &alt : t.top)
                    top.append(QJsonArray{alt.first, qtNumber(alt.second)});
                positions.append(
                    QJsonObject{{u"token"_s, t.token}, {u"logprob"_s, qtNumber(t.logprob)}, {u"top"_s, top}});
            }
            choice.insert(u"logprobs"_s, positions);
        }
        choices.append(choice);
    }
    QJsonObject o{{u"id"_s, response.id}, {u"model"_s, response.model}, {u"choices"_s, choices}};
    if (response.hasUsage)
        o.insert(u"usage"_s, QJsonObject{{u"prompt_tokens"_s, double(response.usage.promptTokens)},
                                         {u"completion_tokens"_s, double(response.usage.completionTokens)},
                                         {u"total_tokens"_s, double(response.usage.totalTokens)}});
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

bool sameRequest(const LlmRequest &a, const LlmRequest &b)
{
    bool messages = a.messages.size() == b.messages.size();
    for (qsizetype i = 0; messages && i < a.messages.size(); ++i)
        messages = a.messages[i].role == b.messages[i].role && a.messages[i].content == b.messages[i].content;
    const auto sameDouble = [](double x, double y) { return x == y || (std::isnan(x) && std::isnan(y)); };
    return messages && a.chat == b.chat && a.prompt == b.prompt && a.model == b.model && a.maxTokens == b.maxTokens &&
           sameDouble(a.temperature, b.temperature) && sameDouble(a.topP, b.topP) && a.n == b.n && a.stop == b.stop &&
           a.logprobs == b.logprobs && a.seed == b.seed;
}

// The wire body as LlmRequest::toJson wrote it through QJsonObject before.
QByteArray qtWireBody(const LlmRequest &request, const QString &modelId)
{
    QJsonObject body;
    body.insert(u"model"_s, request.model.isEmpty() ? modelId : request.model);
    if (request.chat) {
        QJsonArray list;
        for (const ChatMessage &m : request.messages)
            list.append(QJsonObject{{u"role"_s, m.role}, {u"content"_s, m.content}});
        body.insert(u"messages"_s, list);
    } else {
        body.insert(u"prompt"_s, request.prompt);
    }
    body.insert(u"max_tokens"_s, request.maxTokens);
    body.insert(u"temperature"_s, request.temperature);
    body.insert(u"top_p"_s, request.topP);
    if (request.n != 1)
        body.insert(u"n"_s, request.n);
    if (!request.stop.isEmpty())
        body.insert(u"stop"_s, QJsonArray::fromStringList(request.stop));
    if (request.logprobs) {
        if (request.chat) {
            body.insert(u"logprobs"_s, true);
            if (*request.logprobs > 0)
                body.insert(u"top_logprobs"_s, *request.logprobs);
        } else {
            body.insert(u"logprobs"_s, *request.logprobs);
        }
    }
    if (request.seed)
        body.insert(u"seed"_s, *request.seed);
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

// Text with every escape class: controls, quotes, backslashes, DEL, Latin-1, BMP, pairs, and
// now and then an unpaired surrogate.
QString text(SeededRandom &r)
{
    static const char16_t pool[] = {u'a', u'Z', u' ', u'"', u'\\', u'/', u'\n', u'\t', u'\r', 0x08, 0x0c, 0x01,
                                    0x1f, 0x7f, 0xe9, 0x2028, 0xfeff, 0x4e2d, u'.', u'0'};
    QString s;
    const auto n = r.below(12);
    for (std::uint64_t i = 0; i < n; ++i) {
        const auto k = r.below(std::size(pool) + 3);
        if (k < std::size(pool))
            s += QChar(pool[k]);
        else if (k == std::size(pool))
            s += u"\U0001F600"_s; // a valid pair
        else if (k == std::size(pool) + 1 && r.below(8) == 0)
            s += QChar(char16_t(r.below(2) ? 0xd800 : 0xdc00)); // unpaired
        else
            s += QChar(char16_t(0x20 + r.below(0x5f)));
    }
    return s;
}

double number(SeededRandom &r)
{
    switch (r.below(9)) {
    case 0: return double(qint64(r.below(1000)));
    case 1: return -0.0;
    case 2: return std::ldexp(1.0, int(r.below(70)));                 // integral around 2^53
    case 3: return std::ldexp(r.uniform(), -int(r.below(1080)));      // down to subnormals
    case 4: return std::numeric_limits<double>::quiet_NaN();
    case 5: return -std::numeric_limits<double>::infinity();
    case 6: return std::pow(10.0, double(int(r.below(40)) - 20));
    case 7: return -r.uniform() * 30;
    default: return r.uniform();
    }
}

// A request with every field varied; `anyNumbers` lets temperature and top_p be NaN, infinite or
// huge as well.
LlmRequest randomRequest(SeededRandom &r, bool anyNumbers)
{
    LlmRequest q;
    q.chat = r.below(2) == 0;
    if (q.chat)
        for (auto m = r.below(4); m > 0; --m)
            q.messages.append({text(r), text(r)});
    else
        q.prompt = text(r);
    q.model = r.below(3) == 0 ? QString() : text(r);
    q.maxTokens = int(r.below(5000));
    if (anyNumbers) {
        q.temperature = number(r);
        q.topP = r.below(4) == 0 ? number(r) : r.uniform();
    } else {
        q.temperature = std::isfinite(number(r)) ? number(r) : 0.7;
        q.topP = r.uniform();
    }
    q.n = int(r.below(anyNumbers ? 4 : 20));
    for (auto s = r.below(3); s > 0; --s)
        q.stop.append(text(r));
    if (r.below(3))
        q.logprobs = int(r.below(21));
    if (r.below(2))
        q.seed = qint64(r.below(std::uint64_t(1) << 62)) * (r.below(2) ? 1 : -1);
    return q;
}

} // namespace

class TestRequestCodec : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void canonicalRequestIsQtsBytes()
    {
        SeededRandom r(3);
        for (int i = 0; i < 3000; ++i) {
            const LlmRequest q = randomRequest(r, false);
            const int sample = int(r.below(100));
            const QByteArray canonical = RequestCodec::canonicalRequest(q, u"the-model"_s, sample);
            QCOMPARE(canonical, qtCanonical(q, u"the-model"_s, sample));
            const Result<LlmRequest> back = RequestCodec::requestFromJson(canonical);
            QVERIFY(back.ok());
            QVERIFY2(sameRequest(*back, *RequestCodec::requestFromJsonWithQt(canonical)), canonical.constData());
        }
    }

    void distributionIsQtsBytes()
    {
        SeededRandom r(6);
        for (int i = 0; i < 2000; ++i) {
            const int position = int(r.below(4)) - 1;
            QList<double> probabilities;
            QJsonArray qtProbabilities;
            for (auto k = r.below(6); k > 0; --k) {
                probabilities.append(number(r));
                qtProbabilities.append(probabilities.last());
            }
            const double recognized = number(r);
            const double unassigned = number(r);
            const QByteArray qt = QJsonDocument(QJsonObject{{u"position"_s, position},
                                                            {u"probabilities"_s, qtProbabilities},
                                                            {u"recognized_mass"_s, recognized},
                                                            {u"unassigned_mass"_s, unassigned}})
                                      .toJson(QJsonDocument::Compact);
            QCOMPARE(SurveyItemBuilder::distributionJson(position, probabilities, recognized, unassigned), qt);
        }
    }

    // Mistyped or missing fields read as QJsonValue reads them.
    void readsStoredRequestsAsQtDoes()
    {
        const QByteArray texts[] = {
            R"({})",
            R"({"chat":1,"messages":[{"role":2}],"max_tokens":"9","temperature":null,"n":2.5,"stop":"x"})",
            R"({"chat":true,"messages":[1,{"content":"c\u00e9\n"}],"max_tokens":3000000000,"top_p":"1"})",
            R"({"prompt":7,"logprobs":null,"seed":1e15,"stop":[1,"a",null],"n":-0.0,"max_tokens":2.0})",
            R"({"prompt":"a","prompt":"b","seed":"x","logprobs":5.5})",
            R"({"prompt":"\ud800"})",
        };
        for (const QByteArray &text : texts) {
            const Result<LlmRequest> r = RequestCodec::requestFromJson(text);
            QVERIFY(r.ok());
            QVERIFY2(sameRequest(*r, *RequestCodec::requestFromJsonWithQt(text)), text.constData());
        }
    }

    void wireBodyIsQtsBytes()
    {
        SeededRandom r(5);
        for (int i = 0; i < 3000; ++i) {
            const LlmRequest q = randomRequest(r, true);
            QCOMPARE(q.toJson(u"the-model"_s), qtWireBody(q, u"the-model"_s));
        }
    }

    void responseIsQtsBytes()
    {
        SeededRandom r(4);
        for (int i = 0; i < 3000; ++i) {
            LlmResponse resp;
            resp.id = text(r);
            resp.model = text(r);
            for (auto c = r.below(3); c > 0; --c) {
                LlmChoice choice;
                choice.index = int(r.below(5));
                choice.text = text(r);
                choice.finishReason = r.below(2) ? u"stop"_s : text(r);
                choice.hasLogprobs = r.below(2) == 0;
                for (auto p = choice.hasLogprobs ? r.below(4) : 0; p > 0; --p) {
                    TokenLogprob t{text(r), number(r), {}};
                    for (auto a = r.below(4); a > 0; --a)
                        t.top.append({text(r), number(r)});
                    choice.logprobs.append(t);
                }
                resp.choices.append(choice);
            }
            resp.hasUsage = r.below(3) != 0;
            resp.usage = {qint64(r.below(1u << 20)), qint64(r.below(std::uint64_t(1) << 60)), qint64(r.below(99))};
            QCOMPARE(RequestCodec::responseToJson(resp), qtResponse(resp));
        }
    }
};

QTEST_GUILESS_MAIN(TestRequestCodec)
#include "TestRequestCodec.moc"
