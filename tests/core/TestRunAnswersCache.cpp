#include "ScriptedRun.h"
#include "TempProject.h"

#include "project/Statement.h"
#include "run/ExpectedShares.h"
#include "run/RunAnswers.h"
#include "run/RunAnswersCache.h"

#include <QTest>

using namespace anthology;
using namespace anthology::test;
using namespace Qt::StringLiterals;

namespace {

using State = ScriptedItem::State;

QList<ScriptedItem> firstRun()
{
    return {
        {u"a"_s, u"Q1"_s, 0, 0, 0, State::Done, 2, R"({"probabilities":[0.2,0.6,0.2]})"_ba},
        {u"a"_s, u"Q2"_s, 1, 0, 0, State::Done, 0},
        {u"a"_s, u"Q2"_s, 1, 0, 1, State::Done, 3},
        {u"b"_s, u"Q1"_s, 0, 0, 0, State::Done, 1, R"({"probabilities":[1,0,0]})"_ba},
        {u"b"_s, u"Q2"_s, 1, 0, 0, State::Pending},
        {u"c"_s, u"Q1"_s, 0, 0, 0, State::Failed},
    };
}

// Every answer as persona/question=option, in the table's order.
QStringList dump(const ModelAnswers &answers)
{
    QStringList out;
    for (qsizetype p = 0; p < answers.personas().size(); ++p)
        for (qsizetype q = 0; q < answers.questions().size(); ++q)
            out.append(u"%1/%2=%3"_s.arg(answers.personas()[p], answers.questions()[q])
                           .arg(answers.option(p, q)));
    return out;
}

QStringList dump(const QHash<QString, ExpectedDistribution> &expected)
{
    QStringList out;
    for (auto it = expected.begin(); it != expected.end(); ++it) {
        QStringList shares;
        for (double s : it->shares)
            shares.append(QString::number(s));
        out.append(u"%1:%2 (%3)"_s.arg(it.key(), shares.join(u' ')).arg(it->personas));
    }
    out.sort();
    return out;
}

} // namespace

// The Results tab's memory of runs' answers: a read of an unchanged run comes from memory, and
// whatever another connection writes to a run (an answer arriving, a retry) is read, never a stale
// copy. A writer connection and a read-only one on a real project file, as the window has them.
class TestRunAnswersCache : public QObject
{
    Q_OBJECT

private:
    TempProject m_dir;
    std::unique_ptr<ProjectFile> m_writer;
    std::unique_ptr<ProjectFile> m_reader;
    qint64 m_first = 0;
    qint64 m_second = 0;

    QStringList fromDisk(qint64 run) const
    {
        Result<ModelAnswers> answers = RunAnswers::load(*m_reader, run);
        return answers ? dump(*answers) : QStringList{answers.error().toString()};
    }

    QStringList cached(RunAnswersCache &cache, qint64 run) const
    {
        Result<ModelAnswers> answers = cache.answers(*m_reader, run);
        return answers ? dump(*answers) : QStringList{answers.error().toString()};
    }

    // Answers the run's first pending item with `option` through the writer connection.
    void answerPending(qint64 run, int option)
    {
        Statement pending = m_writer->prepare("SELECT id FROM items WHERE run_id = ?1 AND state = 'pending' "
                                              "ORDER BY id LIMIT 1");
        pending.bind(1, run);
        Result<bool> row = pending.step();
        QVERIFY(row && *row);
        ItemResult r;
        r.itemId = pending.columnInt64(0);
        r.ok = true;
        r.attempts = 1;
        r.rawAnswer = QString::number(option);
        r.compliant = true;
        r.option = option - 1;
        QList<ItemResult> results{r};
        QVERIFY(RunStore(*m_writer).commit(run, results));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        auto project = ProjectFile::create(m_dir.path());
        QVERIFY(project);
        m_writer = std::move(*project);
        m_first = storeScriptedRun(*m_writer, firstRun());
        m_second = storeScriptedRun(*m_writer, {{u"x"_s, u"Q1"_s, 0, 0, 0, State::Done, 1},
                                                 {u"y"_s, u"Q1"_s, 0, 0, 0, State::Pending},
                                                 {u"z"_s, u"Q1"_s, 0, 0, 0, State::Pending}});
        QVERIFY(m_first > 0 && m_second > 0);
        auto reader = ProjectFile::open(m_dir.path(), ProjectFile::Mode::ReadOnly);
        QVERIFY(reader);
        m_reader = std::move(*reader);
    }

    void anUnchangedRunIsReadOnce()
    {
        RunAnswersCache cache;
        QCOMPARE(cached(cache, m_first), fromDisk(m_first));
        QCOMPARE(cache.hits(), 0);
        QCOMPARE(cached(cache, m_first), fromDisk(m_first));
        QCOMPARE(cache.hits(), 1);
        Result<QHash<QString, ExpectedDistribution>> disk = ExpectedShares::load(*m_reader, m_first);
        QVERIFY(disk);
        QVERIFY(!disk->isEmpty());
        for (int i = 0; i < 2; ++i) {
            Result<QHash<QString, ExpectedDistribution>> kept = cache.expected(*m_reader, m_first);
            QVERIFY(kept);
            QCOMPARE(dump(*kept), dump(*disk));
        }
        QCOMPARE(cache.hits(), 2);
    }

    void aCopyChangedByTheCallerLeavesTheKeptOneAlone()
    {
        RunAnswersCache cache;
        Result<ModelAnswers> first = cache.answers(*m_reader, m_first);
        QVERIFY(first);
        first->setGroup(0, u"grouped"_s); // what RunComparison does for a subgroup
        Result<ModelAnswers> again = cache.answers(*m_reader, m_first);
        QVERIFY(again);
        QVERIFY(again->group(0).isEmpty());
        QCOMPARE(cache.hits(), 1);
    }

    void anAnswerWrittenByAnotherConnectionIsRead()
    {
        RunAnswersCache cache;
        const QStringList before = cached(cache, m_first);
        answerPending(m_first, 3);
        const QStringList after = cached(cache, m_first);
        QCOMPARE(after, fromDisk(m_first));
        QVERIFY(after != before);
        QCOMPARE(cache.hits(), 0);
    }

    void aWriteToAnotherRunKeepsTheEntry()
    {
        RunAnswersCache cache;
        const QStringList first = cached(cache, m_first);
        answerPending(m_second, 2);
        QCOMPARE(cached(cache, m_first), first);
        QCOMPARE(cache.hits(), 1); // the run's stamp was read again and found the same
        QCOMPARE(cached(cache, m_second), fromDisk(m_second));
    }

    void aRetryIsRead()
    {
        RunAnswersCache cache;
        const QStringList before = cached(cache, m_first);
        QVERIFY(RunStore(*m_writer).resetFailed(m_first));
        answerPending(m_first, 1); // the failed item of persona c, asked again
        const QStringList after = cached(cache, m_first);
        QCOMPARE(after, fromDisk(m_first));
        QVERIFY(after.contains(u"c/Q1=1"_s));
        QVERIFY(!before.contains(u"c/Q1=1"_s));
    }

    void theLeastRecentlyUsedRunMakesRoom()
    {
        RunAnswersCache cache(1);
        cached(cache, m_first);
        cached(cache, m_second);
        cached(cache, m_second);
        QCOMPARE(cache.hits(), 1);
        cached(cache, m_first); // evicted by the second: read from disk
        QCOMPARE(cache.hits(), 1);
    }

    void anUnknownRunIsAnError()
    {
        RunAnswersCache cache;
        Result<ModelAnswers> none = cache.answers(*m_reader, 999);
        QVERIFY(!none);
        QVERIFY2(none.error().message.contains(u"no run 999"_s), qPrintable(none.error().toString()));
    }
};

QTEST_GUILESS_MAIN(TestRunAnswersCache)
#include "TestRunAnswersCache.moc"
