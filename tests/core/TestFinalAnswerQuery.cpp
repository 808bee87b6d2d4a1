#include "OracleProcess.h"
#include "ScriptedRun.h"
#include "TempProject.h"

#include "export/FinalAnswerCursor.h"
#include "run/ExpectedShares.h"
#include "run/FinalAnswerQuery.h"
#include "run/RunAnswers.h"

#include <QTest>

using namespace anthology;
using namespace anthology::test;
using namespace Qt::StringLiterals;

namespace {

using State = ScriptedItem::State;

// Persona "b" is stored first and "a" asks its questions out of plan order: the readers must
// still come out by persona, sample and position. Chains end in a compliant re-ask, a
// non-compliant answer, a failure, a pending item and a pending re-ask after answers.
QList<ScriptedItem> chains()
{
    return {
        {u"b"_s, u"Q1"_s, 0, 0, 0, State::Done, 2, R"({"probabilities":[0.2,0.6,0.2,0]})"_ba},
        {u"b"_s, u"Q2"_s, 1, 0, 0, State::Done, 0, R"({"probabilities":[1,0,0,0]})"_ba},
        {u"b"_s, u"Q2"_s, 1, 0, 1, State::Done, 3, R"({"probabilities":[0.1,0.1,0.3,0.5]})"_ba},
        {u"b"_s, u"Q3"_s, 2, 0, 0, State::Failed},
        {u"b"_s, u"Q1"_s, 0, 1, 0, State::Done, 1, R"({"probabilities":[0,0,0,1]})"_ba},
        {u"b"_s, u"Q2"_s, 1, 1, 0, State::Pending},
        {u"b"_s, u"Q3"_s, 2, 1, 0, State::Done, 0},
        {u"b"_s, u"Q3"_s, 2, 1, 1, State::Done, 0},
        {u"b"_s, u"Q3"_s, 2, 1, 2, State::Pending},
        {u"a"_s, u"Q3"_s, 2, 0, 0, State::Done, 1},
        {u"a"_s, u"Q1"_s, 0, 0, 0, State::Done, 4, R"({"probabilities":[1,1,2,0]})"_ba},
        {u"a"_s, u"Q2"_s, 1, 0, 0, State::Done, 0},
        {u"a,1"_s, u"Q1"_s, 0, 0, 0, State::Done, 1},
    };
}

QString describe(const FinalItem &i)
{
    return u"%1|%2|%3|%4|%5"_s.arg(i.persona).arg(i.sample).arg(i.question).arg(i.done ? 1 : 0).arg(i.option);
}

} // namespace

// The one query for a run's final answers (the last re-ask of each chain) and every reader
// built on it agree with the chains as written.
class TestFinalAnswerQuery : public QObject
{
    Q_OBJECT

private:
    TempProject m_dir;
    std::unique_ptr<ProjectFile> m_project;
    qint64 m_run = 0;

    QStringList rows(std::optional<int> sample, FinalAnswerQuery::Logprobs logprobs,
                     QList<QByteArray> *read = nullptr)
    {
        FinalAnswerQuery query(*m_project, m_run, sample, logprobs);
        QStringList out;
        FinalItem item;
        while (true) {
            Result<bool> row = query.next(item);
            if (!row) {
                out.append(row.error().toString());
                return out;
            }
            if (!*row)
                return out;
            out.append(describe(item));
            if (read)
                read->append(item.logprobs);
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        auto project = ProjectFile::create(m_dir.path());
        QVERIFY(project);
        m_project = std::move(*project);
        m_run = storeScriptedRun(*m_project, chains());
        QVERIFY(m_run > 0);
    }

    void oneRowPerChainItsLastReask()
    {
        const QStringList expected{u"a|0|Q1|1|4"_s, u"a|0|Q2|1|0"_s, u"a|0|Q3|1|1"_s, u"a,1|0|Q1|1|1"_s,
                                   u"b|0|Q1|1|2"_s, u"b|0|Q2|1|3"_s, u"b|0|Q3|0|0"_s, u"b|1|Q1|1|1"_s,
                                   u"b|1|Q2|0|0"_s, u"b|1|Q3|0|0"_s};
        QCOMPARE(rows(std::nullopt, FinalAnswerQuery::Logprobs::Skip), expected);
        QCOMPARE(rows(0, FinalAnswerQuery::Logprobs::Skip), expected.mid(0, 7));
        QCOMPARE(rows(1, FinalAnswerQuery::Logprobs::Skip), expected.mid(7));
        QVERIFY(rows(2, FinalAnswerQuery::Logprobs::Skip).isEmpty());
    }

    void logprobsComeWithTheFinalRowOnlyWhenAsked()
    {
        QList<QByteArray> skipped, read;
        rows(0, FinalAnswerQuery::Logprobs::Skip, &skipped);
        for (const QByteArray &l : skipped)
            QVERIFY(l.isEmpty());
        rows(0, FinalAnswerQuery::Logprobs::Read, &read);
        QCOMPARE(read.size(), 7);
        QCOMPARE(read[0], R"({"probabilities":[1,1,2,0]})"_ba);         // a Q1
        QVERIFY(read[1].isEmpty());                                     // a Q2: none stored
        QCOMPARE(read[5], R"({"probabilities":[0.1,0.1,0.3,0.5]})"_ba); // b Q2: the re-ask's
    }

    void runAnswersReadTheFinalRows()
    {
        Result<QByteArray> csv = RunAnswers::toCsv(*m_project, m_run);
        QVERIFY(csv);
        QCOMPARE(*csv, "persona,question,option\r\na,Q1,4\r\na,Q2,\r\na,Q3,1\r\n\"a,1\",Q1,1\r\nb,Q1,2\r\nb,Q2,3\r\n"_ba);

        Result<ModelAnswers> answers = RunAnswers::load(*m_project, m_run, 1);
        QVERIFY(answers);
        QCOMPARE(answers->personas(), QStringList{u"b"_s});
        QCOMPARE(answers->questions(), QStringList{u"Q1"_s}); // Q2 pending, Q3's last re-ask pending
        QCOMPARE(answers->option(0, 0), 1);

        answers = RunAnswers::load(*m_project, m_run);
        QVERIFY(answers);
        QCOMPARE(answers->personas(), (QStringList{u"a"_s, u"a,1"_s, u"b"_s}));
        QCOMPARE(answers->questions(), (QStringList{u"Q1"_s, u"Q2"_s, u"Q3"_s}));
        QCOMPARE(answers->option(0, 1), ModelAnswers::nonCompliant);
        QCOMPARE(answers->option(1, 1), ModelAnswers::notAsked);
        QCOMPARE(answers->option(2, 1), 3);
        QCOMPARE(answers->option(2, 2), ModelAnswers::notAsked); // failed
    }

    void theExportCursorGroupsThemByPersonaAndSample()
    {
        FinalAnswerCursor cursor(*m_project, m_run, std::nullopt);
        QStringList seen;
        FinalAnswerRow row;
        while (true) {
            Result<bool> next = cursor.next(row);
            QVERIFY(next);
            if (!*next)
                break;
            QStringList options;
            for (const QString &q : {u"Q1"_s, u"Q2"_s, u"Q3"_s})
                options.append(row.options.contains(q) ? QString::number(row.options.value(q)) : u"-"_s);
            seen.append(u"%1/%2: %3"_s.arg(row.persona).arg(row.sample).arg(options.join(u' ')));
        }
        QCOMPARE(seen, (QStringList{u"a/0: 4 0 1"_s, u"a,1/0: 1 - -"_s, u"b/0: 2 3 -"_s, u"b/1: 1 - -"_s}));
    }

    void expectedSharesAverageTheFinalDistributions()
    {
        Result<QHash<QString, ExpectedDistribution>> expected = ExpectedShares::load(*m_project, m_run);
        QVERIFY(expected);
        QCOMPARE(expected->size(), 2); // Q3 stored none
        // Q1: a's [1,1,2,0] / 4 and b's [0.2,0.6,0.2,0], averaged by hand.
        const ExpectedDistribution &q1 = expected->value(u"Q1"_s);
        QCOMPARE(q1.personas, 2);
        const std::vector<double> want1{0.225, 0.425, 0.35, 0.0};
        QCOMPARE(q1.shares.size(), want1.size());
        for (size_t k = 0; k < want1.size(); ++k)
            QVERIFY(oracle::close(q1.shares[k], want1[k], 1e-12));
        // Q2: only b's re-ask counts, not its first, non-compliant answer.
        const ExpectedDistribution &q2 = expected->value(u"Q2"_s);
        QCOMPARE(q2.personas, 1);
        const std::vector<double> want2{0.1, 0.1, 0.3, 0.5};
        for (size_t k = 0; k < want2.size(); ++k)
            QVERIFY(oracle::close(q2.shares[k], want2[k], 1e-12));
        // Sample 1: b's Q1 alone.
        expected = ExpectedShares::load(*m_project, m_run, 1);
        QVERIFY(expected);
        QCOMPARE(expected->size(), 1);
        QCOMPARE(expected->value(u"Q1"_s).shares, (std::vector<double>{0, 0, 0, 1}));
    }
};

QTEST_GUILESS_MAIN(TestFinalAnswerQuery)
#include "TestFinalAnswerQuery.moc"
