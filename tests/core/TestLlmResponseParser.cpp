#include "llm/LlmResponseParser.h"

#include "TestPaths.h"
#include "util/SeededRandom.h"

#include <QFile>
#include <QTest>

#include <cmath>

using namespace anthology;
using namespace Qt::StringLiterals;

namespace {

QByteArray reference(const char *name)
{
    QFile f(QStringLiteral(ANTHOLOGY_SHARED_REFERENCE_DIR "/") + QString::fromLatin1(name));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing reference capture %s", name);
    return f.readAll();
}

// Hand-written shapes in tests/data/llm: legacy OpenAI/vLLM completions (top_logprobs as
// {token: logprob} maps, the sampled token beside the top N, a null logprob), OpenAI chat.
QByteArray fixture(const char *name)
{
    QFile f(QStringLiteral(ANTHOLOGY_TEST_DATA_DIR "/llm/") + QString::fromLatin1(name));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", name);
    return f.readAll();
}

bool sameNumber(double a, double b)
{
    return (std::isnan(a) && std::isnan(b)) || (a == b && std::signbit(a) == std::signbit(b));
}

// Field by field, NaN equal to NaN.
QString difference(const LlmResponse &a, const LlmResponse &b)
{
    if (a.id != b.id || a.model != b.model || a.hasUsage != b.hasUsage ||
        a.usage.promptTokens != b.usage.promptTokens || a.usage.completionTokens != b.usage.completionTokens ||
        a.usage.totalTokens != b.usage.totalTokens || a.choices.size() != b.choices.size())
        return u"response fields"_s;
    for (qsizetype i = 0; i < a.choices.size(); ++i) {
        const LlmChoice &x = a.choices[i];
        const LlmChoice &y = b.choices[i];
        if (x.index != y.index || x.text != y.text || x.finishReason != y.finishReason ||
            x.hasLogprobs != y.hasLogprobs || x.logprobs.size() != y.logprobs.size())
            return u"choice %1"_s.arg(i);
        for (qsizetype p = 0; p < x.logprobs.size(); ++p) {
            const TokenLogprob &s = x.logprobs[p];
            const TokenLogprob &t = y.logprobs[p];
            if (s.token != t.token || !sameNumber(s.logprob, t.logprob) || s.top.size() != t.top.size())
                return u"choice %1 position %2"_s.arg(i).arg(p);
            for (qsizetype k = 0; k < s.top.size(); ++k)
                if (s.top[k].first != t.top[k].first || !sameNumber(s.top[k].second, t.top[k].second))
                    return u"choice %1 position %2 alternative %3"_s.arg(i).arg(p).arg(k);
        }
    }
    return {};
}

// Completion bodies in every shape the parser reads, with the awkward parts servers send: repeated
// and non-ASCII tokens, tied and null logprobs, missing and mistyped fields, escapes.
QByteArray randomCompletion(SeededRandom &r)
{
    static const char *tokens[] = {R"(\" A\")", R"(\" B\")", "A", R"(\u0120B)", R"(\u00e9)", R"(\u4e2d)",
                                   R"(\ud83d\ude00)", R"(\n)", R"(\\)", R"(\u00c9)", R"(\uff21)", R"(\uffe0)", "x",
                                   R"(\u0000)", "\xc3\xa9", "\xef\xbc\xa1", "\xf0\x9f\x98\x80",
                                   "\xef\xbb\xbf", "\xef\xbb\xbf" "A"};
    static const char *numbers[] = {"-0.5", "-1.25", "-0.5", "0", "-3e-5", "null", "-2", "\"x\"", "-0.0", "-12.75"};
    const auto token = [&]() -> QByteArray { return QByteArray("\"") + tokens[r.below(std::size(tokens))] + '"'; };
    const auto number = [&]() -> QByteArray { return QByteArray(numbers[r.below(std::size(numbers))]); };
    const bool chat = r.below(2);
    QByteArray choices;
    for (auto c = r.below(4); c > 0; --c) {
        QByteArray choice = "{";
        if (r.below(5))
            choice += "\"index\":" + QByteArray::number(int(r.below(4))) + ",";
        if (chat)
            choice += "\"message\":{\"role\":\"assistant\",\"content\":" + token() + "},";
        else
            choice += "\"text\":" + token() + ",";
        choice += "\"finish_reason\":\"length\"";
        const auto positions = r.below(3);
        if (r.below(4) == 0) {
            choice += ",\"logprobs\":null";
        } else if (chat || r.below(3) == 0) {
            QByteArray content = "[";
            for (auto p = positions; p > 0; --p) {
                QByteArray top = "[";
                for (auto k = r.below(5); k > 0; --k)
                    top += "{\"token\":" + token() + ",\"logprob\":" + number() + "}" + (k > 1 ? "," : "");
                content += "{\"token\":" + token() + ",\"logprob\":" + number() + ",\"top_logprobs\":" + top +
                           "]}" + (p > 1 ? "," : "");
            }
            choice += ",\"logprobs\":{\"content\":" + content + "]}";
        } else {
            QByteArray toks = "[", lps = "[", tops = "[";
            for (auto p = positions; p > 0; --p) {
                toks += token() + (p > 1 ? "," : "");
                lps += number() + (p > 1 ? "," : "");
                QByteArray top = "{";
                for (auto k = r.below(6); k > 0; --k)
                    top += token() + ":" + number() + (k > 1 ? "," : "");
                tops += top + "}" + (p > 1 ? "," : "");
            }
            choice += ",\"logprobs\":{\"tokens\":" + toks + "],\"token_logprobs\":" + lps +
                      "],\"top_logprobs\":" + tops + "],\"text_offset\":[]}";
        }
        choices += choice + "}" + (c > 1 ? "," : "");
    }
    QByteArray body = "{\"id\":" + token() + ",\"object\":\"text_completion\",\"model\":\"m\",\"choices\":[" +
                      choices + "]";
    if (r.below(3))
        body += ",\"usage\":{\"prompt_tokens\":" + QByteArray::number(int(r.below(5000))) +
                ",\"completion_tokens\":" + (r.below(5) ? QByteArray("2") : QByteArray("2.0")) +
                (r.below(2) ? ",\"total_tokens\":9" : "") + "}";
    return body + "}";
}

} // namespace

class TestLlmResponseParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void completionShapes_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("choices");
        QTest::addColumn<QString>("text0");
        QTest::addColumn<QString>("finish0");
        QTest::addColumn<bool>("hasLogprobs");
        QTest::addColumn<int>("positions0");
        QTest::addColumn<QString>("token0");
        QTest::addColumn<double>("logprob0");
        QTest::addColumn<QString>("bestAlternative0");
        QTest::addColumn<int>("alternatives0");
        QTest::addColumn<bool>("hasUsage");
        QTest::addColumn<qint64>("promptTokens");
        QTest::addColumn<qint64>("completionTokens");

        QTest::newRow("llama.cpp completions, content-array logprobs (captured)json")
            << reference("llamacpp-completions-logprobs5.json") << 1
            << u", there was a little boy named Timmy. Timmy loved to play"_s << u"length"_s << true << 16
            << u","_s << -0.031752943992614746 << u","_s << 5 << true << qint64(5) << qint64(16);
        QTest::newRow("llama.cpp chat, logprobs.content with top_logprobs (captured)json")
            << reference("llamacpp-chat-logprobs-top5.json") << 1 << u"Cally old and pr"_s << u"length"_s
            << true << 8 << u"C"_s << -4.289628028869629 << u"\""_s << 5 << true << qint64(86) << qint64(8);
        QTest::newRow("legacy OpenAI/vLLM completions, n=2 out of order, null logprob")
            << fixture("legacy-two-choices.json") << 2 << u" A."_s << u"stop"_s << true << 2 << u" A"_s
            << -0.4 << u" A"_s << 2 << true << qint64(7) << qint64(3);
        QTest::newRow("legacy, sampled token beside the top N")
            << fixture("legacy-sampled-outside-top.json") << 1 << u" maybe"_s << u"length"_s << true << 1
            << u" maybe"_s << -6.25 << u" yes"_s << 3 << false << qint64(0) << qint64(0);
        QTest::newRow("OpenAI chat without logprobs")
            << fixture("openai-chat-no-logprobs.json") << 1 << u"C"_s << u"stop"_s << false << 0 << QString()
            << 0.0 << QString() << 0 << true << qint64(20) << qint64(1);
        QTest::newRow("no usage block")
            << fixture("completion-no-usage.json") << 1 << u"x"_s << u"stop"_s << false << 0 << QString()
            << 0.0 << QString() << 0 << false << qint64(0) << qint64(0);
    }

    void completionShapes()
    {
        QFETCH(QByteArray, body);
        QFETCH(int, choices);
        QFETCH(QString, text0);
        QFETCH(QString, finish0);
        QFETCH(bool, hasLogprobs);
        QFETCH(int, positions0);
        QFETCH(QString, token0);
        QFETCH(double, logprob0);
        QFETCH(QString, bestAlternative0);
        QFETCH(int, alternatives0);
        QFETCH(bool, hasUsage);
        QFETCH(qint64, promptTokens);
        QFETCH(qint64, completionTokens);

        const Result<LlmResponse> r = LlmResponseParser::parseCompletion(body);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
        QCOMPARE(r->choices.size(), choices);
        for (int i = 0; i < choices; ++i)
            QCOMPARE(r->choices.at(i).index, i);
        const LlmChoice &c = r->choices.first();
        QCOMPARE(c.text, text0);
        QCOMPARE(c.finishReason, finish0);
        QCOMPARE(c.hasLogprobs, hasLogprobs);
        QCOMPARE(c.logprobs.size(), positions0);
        if (positions0 > 0) {
            QCOMPARE(c.logprobs.first().token, token0);
            QCOMPARE(c.logprobs.first().logprob, logprob0);
            QCOMPARE(c.logprobs.first().top.size(), alternatives0);
            QCOMPARE(c.logprobs.first().top.first().first, bestAlternative0);
            for (const TokenLogprob &pos : c.logprobs) {
                for (qsizetype k = 1; k < pos.top.size(); ++k)
                    QVERIFY2(pos.top.at(k - 1).second >= pos.top.at(k).second,
                             "alternatives most likely first");
            }
        }
        QCOMPARE(r->hasUsage, hasUsage);
        QCOMPARE(r->usage.promptTokens, promptTokens);
        QCOMPARE(r->usage.completionTokens, completionTokens);
        if (hasUsage)
            QCOMPARE(r->usage.totalTokens, promptTokens + completionTokens);
    }

    void legacyNullLogprobIsNaN()
    {
        const Result<LlmResponse> r = LlmResponseParser::parseCompletion(fixture("legacy-two-choices.json"));
        QVERIFY(r.ok());
        const TokenLogprob &second = r->choices.at(0).logprobs.at(1);
        QCOMPARE(second.token, u"."_s);
        QVERIFY(std::isnan(second.logprob));
        QVERIFY(second.top.isEmpty());
    }

    void rejectsWhatIsNotACompletion_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("expected");
        QTest::newRow("truncated") << QByteArray("{\"choices\": [{\"text\": \"ab") << u"invalid JSON"_s;
        QTest::newRow("html page") << QByteArray("<html>busy</html>") << u"invalid JSON"_s;
        QTest::newRow("invalid UTF-8")
            << QByteArray("{\"choices\": [{\"text\": \"a\xff\xfe\"}]}") << u"invalid JSON"_s;
        QTest::newRow("array") << QByteArray("[1, 2]") << u"JSON object"_s;
        QTest::newRow("no choices") << QByteArray("{\"id\": \"x\"}") << u"\"choices\""_s;
        QTest::newRow("error body with 200")
            << QByteArray("{\"error\": {\"message\": \"overloaded\"}}") << u"overloaded"_s;
    }

    void rejectsWhatIsNotACompletion()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, expected);
        const Result<LlmResponse> r = LlmResponseParser::parseCompletion(body);
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.contains(expected), qPrintable(r.error().message));
    }

    void errorBodies_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("code");
        QTest::newRow("llama.cpp n=2 (captured)json")
            << reference("llamacpp-error-n2.txt").split('\n').first()
            << u"Only one completion choice is allowed"_s << u"server_error"_s << u"500"_s;
        QTest::newRow("OpenAI")
            << QByteArray("{\"error\": {\"message\": \"The model 'x' does not exist\", \"type\":             "
                          "\"invalid_request_error\", \"param\": null, \"code\": \"model_not_found\"}}")
            << u"The model 'x' does not exist"_s << u"invalid_request_error"_s << u"model_not_found"_s;
        QTest::newRow("vLLM ErrorResponse")
            << QByteArray("{\"object\": \"error\", \"message\": \"too many logprobs\",             \"type\": "
                          "\"BadRequestError\", \"param\": null, \"code\": 400}")
            << u"too many logprobs"_s << u"BadRequestError"_s << u"400"_s;
        QTest::newRow("Ollama string") << QByteArray("{\"error\": \"model \\\"llama9\\\" not found\"}")
                                       << u"model \"llama9\" not found"_s << QString() << QString();
        QTest::newRow("FastAPI detail")
            << QByteArray("{\"detail\": \"Not Found\"}") << u"Not Found"_s << QString() << QString();
        QTest::newRow("plain text") << QByteArray("upstream connect error\n") << u"upstream connect error"_s
                                    << QString() << QString();
    }

    void errorBodies()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, message);
        QFETCH(QString, type);
        QFETCH(QString, code);
        const ApiError e = LlmResponseParser::parseError(body);
        QCOMPARE(e.message, message);
        QCOMPARE(e.type, type);
        QCOMPARE(e.code, code);
    }

    void models_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QStringList>("ids");
        QTest::newRow("llama.cpp (captured)json")
            << reference("llamacpp-models.json") << QStringList{u"stories260K"_s};
        QTest::newRow("vLLM two models")
            << QByteArray("{\"object\": \"list\", \"data\": [{\"id\": \"meta-llama/Llama-3-70B\",            "
                          " \"object\": \"model\"}, {\"id\": \"lora-a\", \"object\": \"model\"}]}")
            << QStringList{u"meta-llama/Llama-3-70B"_s, u"lora-a"_s};
    }

    void models()
    {
        QFETCH(QByteArray, body);
        QFETCH(QStringList, ids);
        const Result<QStringList> r = LlmResponseParser::parseModels(body);
        QVERIFY(r.ok());
        QCOMPARE(*r, ids);
    }

    // parseCompletion reads most bodies in one pass (JsonTape) and falls back to QJsonDocument for
    // the rest: both readings must agree on everything.
    void onePassReadingIsQtsReading()
    {
        SeededRandom r(21);
        for (int i = 0; i < 3000; ++i) {
            const QByteArray body = randomCompletion(r);
            const Result<LlmResponse> fast = LlmResponseParser::parseCompletion(body);
            const Result<LlmResponse> qt = LlmResponseParser::parseCompletionWithQt(body);
            QVERIFY2(fast.ok() && qt.ok(), body.constData());
            const QString diff = difference(*fast, *qt);
            QVERIFY2(diff.isEmpty(), qPrintable(diff + u"\n"_s + QString::fromUtf8(body)));
        }
    }

    void emptyModelListIsAnError()
    {
        const Result<QStringList> r = LlmResponseParser::parseModels("{\"object\": \"list\", \"data\": []}");
        QVERIFY(!r.ok());
        QVERIFY(r.error().message.contains(u"at least one model"_s));
    }
};

QTEST_GUILESS_MAIN(TestLlmResponseParser)
#include "TestLlmResponseParser.moc"
