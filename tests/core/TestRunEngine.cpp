#include "FakeLlmServer.h"
#include "ProjectQuery.h"
#include "RunFixture.h"
#include "TempProject.h"

#include "llm/EndpointProfile.h"
#include "llm/LlmRequest.h"
#include "project/ProjectFile.h"
#include "project/Statement.h"
#include "run/RequestCodec.h"
#include "run/RunAnswers.h"
#include "run/RunEngine.h"
#include "run/RunPlanner.h"
#include "run/RunStore.h"
#include "run/SurveyPlan.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

#include <functional>

using namespace anthology;
using namespace anthology::test;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(anthology::test::FakeFault)

// The run engine against the loopback fake server: every item ends answered or failed with
// its error, in-series prompts carry the committed answers byte for byte, the cache answers
// repeated requests, and a cancelled run resumes with exactly what is left.
class TestRunEngine : public QObject
{
    Q_OBJECT

private:
    TempProject m_dir;
    int m_files = 0;

    struct Session
    {
        QString status;
        RunProgress progress;
    };

    QString newProjectPath(int personas)
    {
        const QString name = u"engine%1.anthology"_s.arg(++m_files);
        auto p = projectWithPersonas(m_dir, name, personas);
        return p ? p->path() : QString();
    }

    static Result<qint64> plan(const QString &path, const SurveyPlan &plan)
    {
        auto p = ProjectFile::open(path);
        if (!p)
            return p.error();
        return RunPlanner::plan(**p, plan);
    }

    static RunEngineOptions fastOptions(int inFlight = 16)
    {
        RunEngineOptions o;
        o.inFlight = inFlight;
        o.batchIntervalMs = 5;
        o.progressIntervalMs = 20;
        o.client.retry.maxRetries = 4;
        o.client.retry.baseDelayMs = 5;
        o.client.retry.maxDelayMs = 20;
        o.client.retry.maxRetryAfterMs = 50;
        o.client.requestTimeoutMs = 5000;
        o.client.workerThreads = 1;
        return o;
    }

    // Runs the engine to its end; `onProgress` may pause or cancel it.
    static Session drive(const QString &path, qint64 runId, const FakeLlmServer &server,
                         RunEngineOptions options,
                         std::function<void(RunEngine &, const RunProgress &)> onProgress = {})
    {
        Session s;
        auto p = ProjectFile::open(path);
        if (!p) {
            s.status = p.error().message;
            return s;
        }
        RunEngine engine(std::move(*p), runId, EndpointProfile::forUrl(server.baseUrl(), u"fake-model"_s),
                         options);
        QSignalSpy finished(&engine, &RunEngine::finished);
        if (onProgress)
            connect(&engine, &RunEngine::progressChanged, &engine,
                    [&engine, onProgress](const RunProgress &pr) { onProgress(engine, pr); });
        if (Status st = engine.start(); !st) {
            s.status = st.error().message;
            return s;
        }
        if (finished.isEmpty() && !finished.wait(60000)) {
            s.status = u"timed out"_s;
            return s;
        }
        s.status = finished.first().first().toString();
        s.progress = engine.progress();
        return s;
    }

    static QList<StoredItem> items(const QString &path, qint64 runId)
    {
        auto p = ProjectFile::open(path, ProjectFile::Mode::ReadOnly);
        if (!p)
            return {};
        return *RunStore(**p).items(runId);
    }

    // Every done item holds the server's deterministic answer to its stored request.
    static bool answersMatchServer(const QList<StoredItem> &all, int maxTokens, QString *why)
    {
        for (const StoredItem &it : all) {
            if (it.state != u"done"_s)
                continue;
            const Result<LlmRequest> r = RequestCodec::requestFromJson(it.request);
            if (!r) {
                *why = u"item %1 has no readable request"_s.arg(it.id);
                return false;
            }
            const QString expected = FakeLlmServer::answerText(r->prompt, r->seed, 0, maxTokens);
            if (it.rawAnswer != expected) {
                *why = u"item %1: '%2' != '%3'"_s.arg(it.id).arg(it.rawAnswer, expected);
                return false;
            }
        }
        return true;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        qRegisterMetaType<anthology::RunProgress>();
    }

    void everyItemIsAnswered_data()
    {
        QTest::addColumn<bool>("inSeries");
        QTest::addColumn<int>("samples");
        QTest::newRow("independent") << false << 1;
        QTest::newRow("in series") << true << 1;
        QTest::newRow("in series, 2 samples") << true << 2;
    }

    void everyItemIsAnswered()
    {
        QFETCH(bool, inSeries);
        QFETCH(int, samples);
        FakeLlmServer server;
        QVERIFY(server.start());
        const QString path = newProjectPath(4);
        const Result<qint64> run = plan(path, surveyPlan(server.baseUrl(), 3, inSeries, samples));
        QVERIFY(run);
        const Session s = drive(path, *run, server, fastOptions());
        QCOMPARE(s.status, u"completed"_s);
        const QList<StoredItem> all = items(path, *run);
        QCOMPARE(all.size(), 4 * 3 * samples);
        QString why;
        QVERIFY2(answersMatchServer(all, 16, &why), qPrintable(why));
        for (const StoredItem &it : all) {
            QCOMPARE(it.state, u"done"_s);
            QVERIFY(it.compliant); // five options, the server answers A-E
            QCOMPARE(*it.option, int(it.rawAnswer.at(1).unicode() - u'A'));
        }
        QCOMPARE(server.completionRequestCount(), int(all.size()));
        QCOMPARE(s.progress.done, qint64(all.size()));
        QCOMPARE(RunStore(**ProjectFile::open(path, ProjectFile::Mode::ReadOnly)).run(*run)->status,
                 u"completed"_s);
    }

    void inSeriesPromptsCarryTheCommittedAnswer()
    {
        FakeLlmServer server;
        QVERIFY(server.start());
        const QString path = newProjectPath(3);
        const Result<qint64> run = plan(path, surveyPlan(server.baseUrl(), 4, true));
        QVERIFY(run);
        QCOMPARE(drive(path, *run, server, fastOptions()).status, u"completed"_s);
        QHash<QString, QList<StoredItem>> chains;
        for (const StoredItem &it : items(path, *run))
            chains[it.persona].append(it);
        QCOMPARE(chains.size(), 3);
        for (const QList<StoredItem> &chain : std::as_const(chains)) {
            QCOMPARE(chain.size(), 4);
            for (int i = 1; i < chain.size(); ++i) {
                QCOMPARE(chain[i].position, i);
                const QString before = RequestCodec::requestFromJson(chain[i - 1].request)->prompt;
                const QString prompt = RequestCodec::requestFromJson(chain[i].request)->prompt;
                const QString carried = QString(before + chain[i - 1].rawAnswer).trimmed() + u"\n\n"_s;
                QVERIFY2(prompt.startsWith(carried), qPrintable(prompt));
            }
        }
        // What the server received is what was stored, in dependency order per persona.
        const QList<QJsonObject> bodies = server.completionBodies();
        QHash<QString, int> seen;
        for (const QJsonObject &b : bodies) {
            const QString prompt = b.value(u"prompt"_s).toString();
            for (auto it = chains.cbegin(); it != chains.cend(); ++it) {
                if (!prompt.startsWith(personaText(it.key().mid(8).toInt())))
                    continue;
                const int index = seen.value(it.key());
                QCOMPARE(prompt, RequestCodec::requestFromJson(it.value()[index].request)->prompt);
                seen[it.key()] = index + 1;
            }
        }
        QCOMPARE(bodies.size(), 12);
    }

    void faultsEndAnsweredOrFailed_data()
    {
        QTest::addColumn<FakeFault>("fault");
        QTest::addColumn<int>("firstAttempts");
        QTest::addColumn<bool>("inSeries");
        QTest::addColumn<bool>("answered");
        QTest::newRow("429 once") << FakeFault::RateLimited << 1 << true << true;
        QTest::newRow("500 twice") << FakeFault::ServerError << 2 << false << true;
        QTest::newRow("reset once") << FakeFault::ResetMidBody << 1 << true << true;
        QTest::newRow("truncated once") << FakeFault::TruncatedJson << 1 << false << true;
        QTest::newRow("503 always") << FakeFault::Unavailable << 1000 << false << false;
        QTest::newRow("400 always, in series") << FakeFault::BadRequest << 1000 << true << false;
        QTest::newRow("401 always") << FakeFault::Unauthorized << 1000 << false << false;
    }

    void faultsEndAnsweredOrFailed()
    {
        QFETCH(FakeFault, fault);
        QFETCH(int, firstAttempts);
        QFETCH(bool, inSeries);
        QFETCH(bool, answered);
        FakeLlmServerConfig config;
        config.fault = fault;
        config.faultFirstAttempts = firstAttempts;
        config.retryAfterSeconds = 0;
        FakeLlmServer server(config);
        QVERIFY(server.start());
        const QString path = newProjectPath(3);
        const Result<qint64> run = plan(path, surveyPlan(server.baseUrl(), 3, inSeries));
        QVERIFY(run);
        const Session s = drive(path, *run, server, fastOptions(4));
        QCOMPARE(s.status, answered ? u"completed"_s : u"incomplete"_s);
        const QList<StoredItem> all = items(path, *run);
        QCOMPARE(all.size(), 9);
        int notAsked = 0;
        for (const StoredItem &it : all) {
            QCOMPARE(it.state, answered ? u"done"_s : u"failed"_s);
            if (!answered) {
                QVERIFY2(!it.error.isEmpty(), "a failed item carries its error");
                notAsked += it.error.startsWith(u"not asked"_s) ? 1 : 0;
            }
        }
        // In series only the first question of each chain is sent; the rest wait on it.
        QCOMPARE(notAsked, !answered && inSeries ? 6 : 0);
        if (answered) {
            QVERIFY(projectScalar(path, "SELECT min(attempts) FROM items WHERE run_id = ?1", *run) >
                    firstAttempts);
            QString why;
            QVERIFY2(answersMatchServer(all, 16, &why), qPrintable(why));
        }
    }

    void identicalRequestsComeFromTheCache()
    {
        FakeLlmServer server;
        QVERIFY(server.start());
        const QString path = newProjectPath(3);
        const SurveyPlan p = surveyPlan(server.baseUrl(), 3, true);
        const Result<qint64> first = plan(path, p);
        QVERIFY(first);
        QCOMPARE(drive(path, *first, server, fastOptions()).status, u"completed"_s);
        const int sent = server.completionRequestCount();
        QCOMPARE(sent, 9);

        const Result<qint64> second = plan(path, p);
        QVERIFY(second);
        const Session s = drive(path, *second, server, fastOptions());
        QCOMPARE(s.status, u"completed"_s);
        QCOMPARE(server.completionRequestCount(), sent); // no request at all
        QCOMPARE(s.progress.cacheHits, 9);
        QCOMPARE(
            projectScalar(path, "SELECT count(*) FROM items WHERE run_id = ?1 AND from_cache = 1", *second),
            9);
        const QList<StoredItem> a = items(path, *first);
        const QList<StoredItem> b = items(path, *second);
        for (int i = 0; i < a.size(); ++i) {
            QCOMPARE(b[i].rawAnswer, a[i].rawAnswer);
            QCOMPARE(b[i].request, a[i].request);
        }

        // Asking for fresh samples goes to the server again.
        SurveyPlan fresh = p;
        fresh.freshSamples = true;
        const Result<qint64> third = plan(path, fresh);
        QVERIFY(third);
        QCOMPARE(drive(path, *third, server, fastOptions()).status, u"completed"_s);
        QCOMPARE(server.completionRequestCount(), sent + 9);
    }

    void retryFailedSendsOnlyTheFailedItems()
    {
        FakeLlmServerConfig config;
        // Every request about persona 1 is refused for now.
        config.script = [](const FakeRequest &r) -> std::optional<FakeReply> {
            if (r.json.value(u"prompt"_s).toString().startsWith(personaText(1)))
                return FakeReply{FakeFault::BadRequest, 0};
            return std::nullopt;
        };
        FakeLlmServer server(config);
        QVERIFY(server.start());
        const QString path = newProjectPath(3);
        const Result<qint64> run = plan(path, surveyPlan(server.baseUrl(), 3, false));
        QVERIFY(run);
        QCOMPARE(drive(path, *run, server, fastOptions()).status, u"incomplete"_s);
        QCOMPARE(
            projectScalar(path, "SELECT count(*) FROM items WHERE run_id = ?1 AND state = 'failed'", *run),
            3);
        const int before = server.completionRequestCount();

        server.setConfig(FakeLlmServerConfig{});
        {
            auto p = ProjectFile::open(path);
            QVERIFY(p);
            QCOMPARE(*RunStore(**p).resetFailed(*run), 3);
        }
        const Session s = drive(path, *run, server, fastOptions());
        QCOMPARE(s.status, u"completed"_s);
        QCOMPARE(server.completionRequestCount(), before + 3);
        for (const QJsonObject &b : server.completionBodies().mid(before))
            QVERIFY(b.value(u"prompt"_s).toString().startsWith(personaText(1)));
        QString why;
        QVERIFY2(answersMatchServer(items(path, *run), 16, &why), qPrintable(why));
    }

    void complianceForcingReasksAndKeepsEveryAnswer_data()
    {
        QTest::addColumn<bool>("inSeries");
        QTest::newRow("independent") << false;
        QTest::newRow("in series") << true;
    }

    void complianceForcingReasksAndKeepsEveryAnswer()
    {
        QFETCH(bool, inSeries);
        FakeLlmServer server;
        QVERIFY(server.start());
        const QString path = newProjectPath(6);
        // Three options: the server's D and E name no option and are not compliant.
        SurveyPlan p = surveyPlan(server.baseUrl(), 3, inSeries, 1, 3);
        p.options.includeComplianceForcing = true;
        p.options.numberComplianceForcing = 3;
        const Result<qint64> run = plan(path, p);
        QVERIFY(run);
        QCOMPARE(drive(path, *run, server, fastOptions()).status, u"completed"_s);
        const QList<StoredItem> all = items(path, *run);
        QVERIFY(all.size() > 18); // some answers were re-asked
        QHash<QString, QList<StoredItem>> byItem;
        QSet<int> samples;
        for (const StoredItem &it : all) {
            QCOMPARE(it.state, u"done"_s);
            byItem[it.persona + u'|' + it.question].append(it);
        }
        QCOMPARE(byItem.size(), 18);
        QHash<QString, QString> finalAnswer;
        for (auto it = byItem.cbegin(); it != byItem.cend(); ++it) {
            const QList<StoredItem> &rows = it.value();
            QSet<int> distinct;
            for (int i = 0; i < rows.size(); ++i) {
                QCOMPARE(rows[i].reask, i);
                distinct.insert(rows[i].sample);
                if (i + 1 < rows.size())
                    QVERIFY(!rows[i].compliant); // only a non-compliant answer is re-asked
                // A re-ask repeats the prompt exactly, with another seed.
                QCOMPARE(RequestCodec::requestFromJson(rows[i].request)->prompt,
                         RequestCodec::requestFromJson(rows[0].request)->prompt);
            }
            QCOMPARE(distinct.size(), rows.size());
            QVERIFY(rows.last().compliant || rows.last().reask == 3);
            finalAnswer.insert(it.key(), rows.last().rawAnswer);
        }
        // The analysis sees the final answer of each item: its option 1..K, or non-compliant.
        {
            auto project = ProjectFile::open(path, ProjectFile::Mode::ReadOnly);
            QVERIFY(project);
            const Result<ModelAnswers> answers = RunAnswers::load(**project, *run);
            QVERIFY(answers);
            QCOMPARE(answers->personas().size(), 6);
            QCOMPARE(answers->questions().size(), 3);
            for (auto it = byItem.cbegin(); it != byItem.cend(); ++it) {
                const StoredItem &last = it.value().last();
                const int expected = last.compliant ? *last.option + 1 : ModelAnswers::nonCompliant;
                QCOMPARE(answers->option(answers->personas().indexOf(last.persona),
                                         answers->questions().indexOf(last.question)),
                         expected);
            }
        }
        QString why;
        QVERIFY2(answersMatchServer(all, 16, &why), qPrintable(why));
        if (inSeries) {
            // The next question carries the final (forced) answer, not a rejected one.
            for (const StoredItem &it : all) {
                if (it.position == 0 || it.reask != 0)
                    continue;
                const QString prompt = RequestCodec::requestFromJson(it.request)->prompt;
                for (const StoredItem &prev : all) {
                    if (prev.persona == it.persona && prev.position == it.position - 1 && prev.reask == 0) {
                        const QString carried =
                            finalAnswer.value(prev.persona + u'|' + prev.question).trimmed();
                        QVERIFY2(prompt.contains(u"Answer: "_s + carried + u"\n\nQuestion:"_s),
                                 qPrintable(prompt));
                    }
                }
            }
        }
    }

    void cancelKeepsTheRestPendingAndResumeFinishes_data()
    {
        QTest::addColumn<bool>("inSeries");
        QTest::newRow("independent") << false;
        QTest::newRow("in series") << true;
    }

    void cancelKeepsTheRestPendingAndResumeFinishes()
    {
        QFETCH(bool, inSeries);
        FakeLlmServerConfig config;
        config.latencyMs = 10;
        FakeLlmServer server(config);
        QVERIFY(server.start());
        const QString path = newProjectPath(10);
        const Result<qint64> run = plan(path, surveyPlan(server.baseUrl(), 4, inSeries));
        QVERIFY(run);
        RunEngineOptions options = fastOptions(3);
        const Session cancelled = drive(path, *run, server, options, [](RunEngine &e, const RunProgress &p) {
            if (p.done >= 6)
                e.cancel();
        });
        QCOMPARE(cancelled.status, u"cancelled"_s);
        const qint64 pending =
            projectScalar(path, "SELECT count(*) FROM items WHERE run_id = ?1 AND state = 'pending'", *run);
        QVERIFY(pending > 0);
        QCOMPARE(
            projectScalar(path, "SELECT count(*) FROM items WHERE run_id = ?1 AND state = 'failed'", *run),
            0);
        QCOMPARE(RunStore(**ProjectFile::open(path, ProjectFile::Mode::ReadOnly)).run(*run)->status,
                 u"cancelled"_s);

        const Session resumed = drive(path, *run, server, fastOptions());
        QCOMPARE(resumed.status, u"completed"_s);
        const QList<StoredItem> all = items(path, *run);
        QCOMPARE(all.size(), 40);
        for (const StoredItem &it : all)
            QCOMPARE(it.state, u"done"_s);
        QString why;
        QVERIFY2(answersMatchServer(all, 16, &why), qPrintable(why));
    }

    void pauseHoldsNewRequests_data()
    {
        QTest::addColumn<bool>("inSeries");
        QTest::newRow("independent") << false;
        // In series, a committed answer would start its chain's next question: held too.
        QTest::newRow("in series") << true;
    }

    void pauseHoldsNewRequests()
    {
        QFETCH(bool, inSeries);
        FakeLlmServerConfig config;
        // Slow enough that the run cannot finish between the pause and a progress report even
        // on a loaded machine (12 requests, 2 at a time).
        config.latencyMs = 40;
        FakeLlmServer server(config);
        QVERIFY(server.start());
        const QString path = newProjectPath(3);
        const Result<qint64> run = plan(path, surveyPlan(server.baseUrl(), 4, inSeries));
        QVERIFY(run);
        int atPause = -1;
        int sentWhilePaused = -1;
        bool resumed = false;
        const Session s = drive(path, *run, server, fastOptions(2), [&](RunEngine &e, const RunProgress &p) {
            if (!p.paused && !resumed && p.done >= 2 && sentWhilePaused < 0) {
                e.pause();
                // What is on its way may still arrive; nothing after it.
                atPause = server.completionRequestCount() + p.inFlight;
            } else if (p.paused && p.inFlight == 0) {
                if (sentWhilePaused < 0) {
                    sentWhilePaused = server.completionRequestCount();
                    // An independent run submits a second window ahead: the pause holds it.
                    if (!inSeries)
                        QVERIFY2(p.waiting > 0, "nothing waits in the client: the pause let it go");
                    QVERIFY2(sentWhilePaused <= atPause,
                             qPrintable(u"%1 requests sent, %2 before the pause"_s.arg(sentWhilePaused).arg(atPause)));
                } else if (!resumed) {
                    QCOMPARE(server.completionRequestCount(), sentWhilePaused);
                    resumed = true;
                    e.resume();
                }
            }
        });
        QCOMPARE(s.status, u"completed"_s);
        QVERIFY(resumed);
        QVERIFY(sentWhilePaused < 12);
        QCOMPARE(server.completionRequestCount(), 12);
    }

    void logprobDistributionsAreStored()
    {
        FakeLlmServer server;
        QVERIFY(server.start());
        const QString path = newProjectPath(2);
        SurveyPlan p = surveyPlan(server.baseUrl(), 2, true);
        p.llm.logprobs = 5;
        const Result<qint64> run = plan(path, p);
        QVERIFY(run);
        QCOMPARE(drive(path, *run, server, fastOptions()).status, u"completed"_s);
        auto project = ProjectFile::open(path, ProjectFile::Mode::ReadOnly);
        Statement s = (*project)->prepare("SELECT logprobs, option_index FROM items WHERE run_id = ?1");
        s.bind(1, *run);
        int rows = 0;
        while (*s.step()) {
            ++rows;
            const QJsonObject d = QJsonDocument::fromJson(s.columnUtf8(0)).object();
            const QJsonArray probabilities = d.value(u"probabilities"_s).toArray();
            QCOMPARE(probabilities.size(), 5);
            double sum = 0;
            for (const QJsonValue &v : probabilities)
                sum += v.toDouble();
            QVERIFY(qAbs(sum - 1.0) < 1e-9);
            QVERIFY(d.value(u"recognized_mass"_s).toDouble() > 0.0);
        }
        QCOMPARE(rows, 4);
    }
};

QTEST_GUILESS_MAIN(TestRunEngine)
#include "TestRunEngine.moc"
