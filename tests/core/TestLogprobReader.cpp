#include "prompt/LogprobReader.h"

#include "TestPaths.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <cmath>
#include <limits>

using namespace anthology;
using namespace Qt::StringLiterals;

namespace {

TokenLogprobs position(const QString &token, double logprob, const QList<TopLogprob> &top)
{
    return TokenLogprobs{token, logprob, top};
}

// The captured llama.cpp responses: choices[0].logprobs.content[] entries
// {token, logprob, top_logprobs: [{token, logprob}]}. (Parsing whole responses belongs to
// the network layer; this only lifts the lists out for the reader.)
QList<TokenLogprobs> referencePositions(const QString &fileName)
{
    QString dir = QStringLiteral(ANTHOLOGY_SHARED_REFERENCE_DIR);
    if (!QFile::exists(dir + u'/' + fileName))
        dir = u"/work/shared/reference"_s;
    QFile f(dir + u'/' + fileName);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QJsonArray content = QJsonDocument::fromJson(f.readAll())
                                   .object()[u"choices"_s]
                                   .toArray()
                                   .at(0)
                                   .toObject()[u"logprobs"_s]
                                   .toObject()[u"content"_s]
                                   .toArray();
    QList<TokenLogprobs> out;
    for (const QJsonValue &v : content) {
        const QJsonObject o = v.toObject();
        TokenLogprobs p{o[u"token"_s].toString(), o[u"logprob"_s].toDouble(), {}};
        for (const QJsonValue &t : o[u"top_logprobs"_s].toArray())
            p.top << TopLogprob{t.toObject()[u"token"_s].toString(), t.toObject()[u"logprob"_s].toDouble()};
        out << p;
    }
    return out;
}

bool near(double a, double b)
{
    return std::abs(a - b) < 1e-9;
}

} // namespace

class TestLogprobReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void tokenVariants_data()
    {
        QTest::addColumn<SymbolSet>("symbols");
        QTest::addColumn<int>("count");
        QTest::addColumn<QString>("token");
        QTest::addColumn<int>("option");
        const auto U = SymbolSet::Uppercase, L = SymbolSet::Lowercase, N = SymbolSet::Number;
        QTest::newRow("A") << U << 4 << u"A"_s << 0;
        QTest::newRow("space A") << U << 4 << u" A"_s << 0;
        QTest::newRow("(A") << U << 4 << u"(A"_s << 0;
        QTest::newRow("A)") << U << 4 << u"A)"_s << 0;
        QTest::newRow("space (A") << U << 4 << u" (A"_s << 0;
        QTest::newRow("[D]") << U << 4 << u"[D]"_s << 3;
        QTest::newRow("D.") << U << 4 << u"D."_s << 3;
        QTest::newRow("lowercase b under uppercase") << U << 4 << u"b"_s << 1;
        QTest::newRow("uppercase C under lowercase") << L << 4 << u" C"_s << 2;
        QTest::newRow("beyond") << U << 4 << u"E"_s << -1;
        QTest::newRow("word") << U << 4 << u" All"_s << -1;
        QTest::newRow("bracket only") << U << 4 << u" ("_s << -1;
        QTest::newRow("empty") << U << 4 << QString() << -1;
        QTest::newRow("1") << N << 13 << u"1"_s << 0;
        QTest::newRow("space 10") << N << 13 << u" 10"_s << 9;
        QTest::newRow("(13") << N << 13 << u"(13"_s << 12;
        QTest::newRow("14") << N << 13 << u"14"_s << -1;
        QTest::newRow("0") << N << 13 << u"0"_s << -1;
        QTest::newRow("letter under numbers") << N << 13 << u"A"_s << -1;
        QTest::newRow("long digits") << N << 13 << u"0001"_s << -1;
    }
    void tokenVariants()
    {
        QFETCH(SymbolSet, symbols);
        QFETCH(int, count);
        QFETCH(QString, token);
        QFETCH(int, option);
        QCOMPARE(LogprobReader(symbols, count).optionOf(token), option);
    }

    void answerPositionSkipsSpacesAndBrackets_data()
    {
        QTest::addColumn<QStringList>("tokens");
        QTest::addColumn<int>("position");
        QTest::newRow("symbol first") << QStringList{u"B"_s, u")"_s} << 0;
        QTest::newRow("space paren then symbol") << QStringList{u" ("_s, u"B"_s, u")"_s} << 1;
        QTest::newRow("space, bracket, symbol") << QStringList{u" "_s, u"["_s, u"c"_s} << 2;
        QTest::newRow("word first") << QStringList{u" I"_s, u" think"_s} << 0;
        QTest::newRow("nothing but spaces") << QStringList{u" "_s, u"\n"_s} << -1;
        QTest::newRow("empty") << QStringList{} << -1;
    }
    void answerPositionSkipsSpacesAndBrackets()
    {
        QFETCH(QStringList, tokens);
        QFETCH(int, position);
        QList<TokenLogprobs> positions;
        for (const QString &t : tokens)
            positions << TokenLogprobs{t, -0.1, {}};
        QCOMPARE(LogprobReader::answerPosition(positions), position);
    }

    void normalizedDistributionAndUnassignedMass()
    {
        const QList<TokenLogprobs> positions{
            position(u" ("_s, -0.01, {{u" ("_s, -0.01}}),
            position(u"B"_s, std::log(0.5),
                     {{u"B"_s, std::log(0.5)},
                      {u" A"_s, std::log(0.1)},
                      {u"A"_s, std::log(0.05)},
                      {u"D)"_s, std::log(0.05)},
                      {u"Z"_s, std::log(0.2)},
                      {u" the"_s, std::log(0.05)},
                      {u"c"_s, -std::numeric_limits<double>::infinity()}}),
        };
        const OptionDistribution d = LogprobReader(SymbolSet::Uppercase, 4).read(positions);
        QCOMPARE(d.position, 1);
        QVERIFY(d.ok());
        QVERIFY(near(d.recognizedMass, 0.7));
        QVERIFY(near(d.unassignedMass, 0.3));
        QCOMPARE(d.probabilities.size(), 4);
        QVERIFY(near(d.probabilities[0], 0.15 / 0.7));
        QVERIFY(near(d.probabilities[1], 0.5 / 0.7));
        QVERIFY(near(d.probabilities[2], 0.0));
        QVERIFY(near(d.probabilities[3], 0.05 / 0.7));
    }

    void sampledTokenCountsOnceAndWhenUnlisted()
    {
        // Legacy completions may list the sampled token apart from the top N.
        const QList<TokenLogprobs> listed{
            position(u"A"_s, std::log(0.4), {{u"A"_s, std::log(0.4)}, {u"B"_s, std::log(0.4)}})};
        const OptionDistribution a = LogprobReader(SymbolSet::Uppercase, 2).read(listed);
        QVERIFY(near(a.recognizedMass, 0.8));
        QVERIFY(near(a.probabilities[0], 0.5));
        const QList<TokenLogprobs> unlisted{position(u"C"_s, std::log(0.1), {{u"A"_s, std::log(0.3)}})};
        const OptionDistribution b = LogprobReader(SymbolSet::Uppercase, 3).read(unlisted);
        QVERIFY(near(b.recognizedMass, 0.4));
        QVERIFY(near(b.probabilities[2], 0.25));
    }

    // A server listing more alternatives than any API sends, repeats among them: each counts once.
    void manyAlternativesCountEachTokenOnce()
    {
        QList<TopLogprob> top;
        for (int i = 0; i < 40; ++i)
            top.append({i % 2 ? u"B"_s : u"x%1"_s.arg(i), std::log(0.01)});
        top.append({u"A"_s, std::log(0.3)});
        const QList<TokenLogprobs> positions{position(u"A"_s, std::log(0.3), top)};
        const OptionDistribution d = LogprobReader(SymbolSet::Uppercase, 2).read(positions);
        QVERIFY(near(d.recognizedMass, 0.31));
        QVERIFY(near(d.probabilities[0], 0.3 / 0.31));
        QVERIFY(near(d.probabilities[1], 0.01 / 0.31));
    }

    void numbersUpToThirteen()
    {
        const QList<TokenLogprobs> positions{position(u"10"_s, std::log(0.6),
                                                      {{u"10"_s, std::log(0.6)},
                                                       {u" 12"_s, std::log(0.2)},
                                                       {u"1"_s, std::log(0.1)},
                                                       {u"14"_s, std::log(0.05)}})};
        const OptionDistribution d = LogprobReader(SymbolSet::Number, 13).read(positions);
        QVERIFY(near(d.recognizedMass, 0.9));
        QVERIFY(near(d.probabilities[9], 0.6 / 0.9));
        QVERIFY(near(d.probabilities[11], 0.2 / 0.9));
        QVERIFY(near(d.probabilities[0], 0.1 / 0.9));
        QVERIFY(near(d.unassignedMass, 0.1));
    }

    void nothingRecognized()
    {
        const OptionDistribution d = LogprobReader(SymbolSet::Uppercase, 4).read({});
        QCOMPARE(d.position, -1);
        QVERIFY(!d.ok());
        QCOMPARE(d.unassignedMass, 1.0);
        QCOMPARE(d.probabilities, QList<double>(4, 0.0));
    }

    // llama.cpp chat, top_logprobs 5: sampled "C" (-4.289628028869629) is not among the top
    // five ("\"", "H", "T", "S", "A" at -2.891200065612793).
    void capturedChatResponse()
    {
        const QList<TokenLogprobs> positions = referencePositions(u"llamacpp-chat-logprobs-top5.json"_s);
        QCOMPARE(positions.size(), 8);
        const OptionDistribution d = LogprobReader(SymbolSet::Uppercase, 4).read(positions);
        QCOMPARE(d.position, 0);
        const double a = std::exp(-2.891200065612793), c = std::exp(-4.289628028869629);
        QVERIFY(near(d.recognizedMass, a + c));
        QVERIFY(near(d.unassignedMass, 1.0 - a - c));
        QVERIFY(near(d.probabilities[0], a / (a + c)));
        QVERIFY(near(d.probabilities[2], c / (a + c)));
        QVERIFY(near(d.probabilities[1] + d.probabilities[3], 0.0));
    }

    // llama.cpp completions, logprobs 5: the first token "," names no option at all.
    void capturedCompletionResponse()
    {
        const QList<TokenLogprobs> positions = referencePositions(u"llamacpp-completions-logprobs5.json"_s);
        QCOMPARE(positions.size(), 16);
        const OptionDistribution d = LogprobReader(SymbolSet::Uppercase, 4).read(positions);
        QCOMPARE(d.position, 0);
        QVERIFY(!d.ok());
        QCOMPARE(d.unassignedMass, 1.0);
    }
};

QTEST_GUILESS_MAIN(TestLogprobReader)
#include "TestLogprobReader.moc"
