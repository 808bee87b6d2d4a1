#include "FakeLlmServer.h"
#include "RunFixture.h"
#include "ScriptedPersonas.h"
#include "StepFixture.h"
#include "TempProject.h"

#include "config/SurveyConfig.h"
#include "pipeline/DemographicsStep.h"
#include "project/ProjectFile.h"
#include "run/DemographicsPlan.h"
#include "run/RunStore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>

using namespace anthology;
using namespace anthology::test;
using namespace Qt::StringLiterals;

// The demographic survey of personas through the run engine: n samples per (persona, trait)
// in one request (split by the client when the server refuses n > 1), each item's
// distribution stored as the SESSION2 contract says, and the LLM-as-parser pass resolving
// stated traits so that only the rest is sampled.
class TestDemographicsStep : public QObject
{
    Q_OBJECT

private:
    TempProject m_dir;
    int m_files = 0;

    QString newProject(int personas)
    {
        auto p = projectWithPersonas(m_dir, u"demographics%1.anthology"_s.arg(++m_files), personas);
        return p ? p->path() : QString();
    }

    static DemographicQuestionnaire traits()
    {
        const QString prefer = u"Prefer not to answer"_s;
        DemographicQuestionnaire q;
        q.traits.append({u"age_category_4"_s,
                         u"Which age group are you in?"_s,
                         true,
                         {u"18-29"_s, u"30-49"_s, u"50-64"_s, u"65 or older"_s, prefer},
                         u"From the text, which age group is the writer in?"_s,
                         u"Age"_s,
                         QString()});
        q.traits.append(
            {u"education_level"_s,
             u"How far did you go in school?"_s,
             true,
             {u"High school or less"_s, u"Some college"_s, u"College degree"_s, u"Graduate degree"_s, prefer},
             u"From the text, how far did the writer go in school?"_s,
             u"Education"_s,
             QString()});
        q.traits.append({u"political_affiliation"_s,
                         u"Which party do you lean to?"_s,
                         false,
                         {u"Party one"_s, u"Party two"_s, u"Neither"_s, prefer},
                         u"From the text, which party does the writer lean to?"_s,
                         u"Party"_s,
                         QString()});
        return q;
    }

    static SurveyConfig config(const FakeLlmServer &server, bool chat, int samples = 8)
    {
        SurveyConfig c;
        c.name = u"demographics"_s;
        c.hasDemographics = true;
        c.demographics = traits();
        c.hasLlm = true;
        c.llm = fakeEndpoint(server, chat);
        c.llm.maxTokens = 8;
        c.run.numSampleResponse = samples;
        c.run.seed = 5;
        return c;
    }

    static Result<StepRun> prepare(const QString &path, const DemographicsPlan &plan,
                                   std::optional<qint64> parserRun = std::nullopt)
    {
        auto p = ProjectFile::open(path);
        if (!p)
            return p.error();
        return DemographicsStep::prepare(**p, plan, parserRun);
    }

    static QList<StoredItem> items(const QString &path, qint64 runId)
    {
        return *RunStore(**ProjectFile::open(path, ProjectFile::Mode::ReadOnly)).items(runId);
    }
    static QHash<qint64, QByteArray> distributions(const QString &path, qint64 runId)
    {
        return *RunStore(**ProjectFile::open(path, ProjectFile::Mode::ReadOnly)).itemDistributions(runId);
    }

    // Checks one item's distribution JSON against the contract; returns what is wrong.
    static QString checkContract(const StoredItem &item, const QByteArray &json, int samples,
                                 const QString &source)
    {
        const QJsonObject o = QJsonDocument::fromJson(json).object();
        const QStringList keys = o.keys();
        if (keys != QStringList{u"choices"_s, u"counts"_s, u"probabilities"_s, u"source"_s, u"trait"_s})
            return u"keys %1"_s.arg(keys.join(u','));
        const DemographicQuestion *trait = nullptr;
        const DemographicQuestionnaire q = traits();
        for (const DemographicQuestion &t : q.traits)
            if (t.key == item.question)
                trait = &t;
        if (!trait || o.value(u"trait"_s).toString() != item.question)
            return u"trait %1"_s.arg(o.value(u"trait"_s).toString());
        QStringList choices;
        for (const QJsonValue &v : o.value(u"choices"_s).toArray())
            choices.append(v.toString());
        if (choices != trait->choices)
            return u"choices %1"_s.arg(choices.join(u'|'));
        const QJsonArray counts = o.value(u"counts"_s).toArray();
        const QJsonArray probabilities = o.value(u"probabilities"_s).toArray();
        if (counts.size() != choices.size() + 1 || probabilities.size() != counts.size())
            return u"sizes %1 %2"_s.arg(counts.size()).arg(probabilities.size());
        if (o.value(u"source"_s).toString() != source)
            return u"source %1"_s.arg(o.value(u"source"_s).toString());
        int total = 0, named = 0, chosen = -1;
        for (qsizetype i = 0; i < counts.size(); ++i) {
            total += counts[i].toInt();
            if (i < choices.size() && counts[i].toInt() > 0)
                ++named, chosen = int(i);
        }
        if (total != samples)
            return u"total %1"_s.arg(total);
        // The scripted personas name one letter per (backstory, question), whatever the seed.
        if (named > 1)
            return u"%1 options named"_s.arg(named);
        if (item.compliant != (named == 1) || item.option.value_or(-1) != chosen)
            return u"compliant %1 option %2 chosen %3"_s.arg(item.compliant)
                .arg(item.option.value_or(-1))
                .arg(chosen);
        if (source == u"logprobs"_s)
            return QString();
        for (qsizetype i = 0; i < counts.size(); ++i)
            if (qAbs(probabilities[i].toDouble() - double(counts[i].toInt()) / total) > 1e-12)
                return u"probability %1"_s.arg(i);
        return QString();
    }

private Q_SLOTS:
    void distributionsFollowTheContract_data()
    {
        QTest::addColumn<bool>("chat");
        QTest::addColumn<int>("maxN");
        QTest::newRow("completion, n=8 accepted") << false << 0;
        QTest::newRow("completion, server refuses n > 1") << false << 1;
        QTest::newRow("chat, server refuses n > 1") << true << 1;
    }

    void distributionsFollowTheContract()
    {
        QFETCH(bool, chat);
        QFETCH(int, maxN);
        FakeLlmServerConfig serverConfig;
        serverConfig.answer = scriptedPersonas();
        serverConfig.maxN = maxN;
        FakeLlmServer server(serverConfig);
        QVERIFY(server.start());
        const QString path = newProject(12);
        Result<DemographicsPlan> plan =
            DemographicsStep::planFor(**ProjectFile::open(path), config(server, chat), {});
        QVERIFY2(plan, plan ? "" : qPrintable(plan.error().message));
        const Result<StepRun> run = prepare(path, *plan);
        QVERIFY(run && !run->resumed);
        QCOMPARE(driveStepRun(path, run->runId), u"completed"_s);

        const QList<StoredItem> all = items(path, run->runId);
        const QHash<qint64, QByteArray> stored = distributions(path, run->runId);
        QCOMPARE(all.size(), 36);
        int compliant = 0, noncompliantSamples = 0;
        for (const StoredItem &it : all) {
            QCOMPARE(it.state, u"done"_s);
            QCOMPARE(QJsonDocument::fromJson(it.request).object().value(u"n"_s).toInt(), 8);
            const QString problem = checkContract(it, stored.value(it.id), 8, u"sampling"_s);
            QVERIFY2(problem.isEmpty(), qPrintable(it.persona + u' ' + it.question + u": "_s + problem));
            compliant += it.compliant ? 1 : 0;
            noncompliantSamples += QJsonDocument::fromJson(stored.value(it.id))
                                       .object()
                                       .value(u"counts"_s)
                                       .toArray()
                                       .last()
                                       .toInt();
        }
        QVERIFY(compliant > 30);
        QVERIFY2(noncompliantSamples > 0, "the scripted personas answer some samples off the choices");

        int singleChoice = 0;
        for (const QJsonObject &body : server.completionBodies())
            singleChoice += body.value(u"n"_s).toInt(1) == 1 ? 1 : 0;
        if (maxN == 1)
            QCOMPARE(singleChoice, 36 * 8); // every sample on its own, after the server refused n = 8
        else
            QCOMPARE(server.completionRequestCount(), 36);
    }

    void parserResolvesStatedTraits()
    {
        FakeLlmServerConfig samplingConfig;
        samplingConfig.answer = scriptedPersonas();
        FakeLlmServer sampling(samplingConfig);
        QVERIFY(sampling.start());
        FakeLlmServer parserServer(samplingConfig);
        QVERIFY(parserServer.start());
        const QString path = newProject(12);
        SurveyConfig c = config(sampling, false);
        c.run.useLlmAsParser = true;
        c.llmParser = fakeEndpoint(parserServer, true);
        c.llmParser->temperature = 0.0;
        Result<DemographicsPlan> plan = DemographicsStep::planFor(**ProjectFile::open(path), c, {});
        QVERIFY(plan);
        Result<std::optional<DemographicsPlan>> parserPlan = DemographicsStep::parserPlanFor(*plan, c, {});
        QVERIFY(parserPlan && parserPlan->has_value());
        QCOMPARE((*parserPlan)->kind(), u"demographics_parser"_s);
        const Result<StepRun> parserRun = prepare(path, **parserPlan);
        QVERIFY(parserRun);
        QCOMPARE(driveStepRun(path, parserRun->runId), u"completed"_s);
        QCOMPARE(parserServer.completionRequestCount(), 36);
        for (const QJsonObject &body : parserServer.completionBodies()) {
            const QJsonArray messages = body.value(u"messages"_s).toArray();
            QCOMPARE(messages.first().toObject().value(u"content"_s).toString(),
                     u"Please select the best answer from the following choices:"_s);
            QVERIFY(
                messages.last().toObject().value(u"content"_s).toString().contains(u"Was not mentioned"_s));
        }
        QSet<QPair<QString, QString>> resolved;
        const QHash<qint64, QByteArray> parsed = distributions(path, parserRun->runId);
        for (const StoredItem &it : items(path, parserRun->runId))
            if (parsed.contains(it.id))
                resolved.insert({it.persona, it.question});
        QVERIFY2(!resolved.isEmpty() && resolved.size() < 36, qPrintable(QString::number(resolved.size())));

        const Result<StepRun> run = prepare(path, *plan, parserRun->runId);
        QVERIFY(run);
        QCOMPARE(driveStepRun(path, run->runId), u"completed"_s);
        QCOMPARE(sampling.completionRequestCount(), 36 - int(resolved.size()));
        const QHash<qint64, QByteArray> stored = distributions(path, run->runId);
        const QList<StoredItem> all = items(path, run->runId);
        QCOMPARE(all.size(), 36);
        for (const StoredItem &it : all) {
            QCOMPARE(it.state, u"done"_s);
            const bool byParser = resolved.contains({it.persona, it.question});
            const QString problem = checkContract(it, stored.value(it.id), byParser ? 1 : 8,
                                                  byParser ? u"llm_parser"_s : u"sampling"_s);
            QVERIFY2(problem.isEmpty(), qPrintable(it.persona + u' ' + it.question + u": "_s + problem));
            if (byParser) {
                const QJsonArray p =
                    QJsonDocument::fromJson(stored.value(it.id)).object().value(u"probabilities"_s).toArray();
                QCOMPARE(p.at(*it.option).toDouble(), 1.0);
            }
        }
    }

    void logprobRouteReadsTheOptionTokens_data()
    {
        QTest::addColumn<bool>("chat");
        QTest::newRow("completion, logprobs") << false;
        QTest::newRow("chat, top_logprobs") << true;
    }

    void logprobRouteReadsTheOptionTokens()
    {
        QFETCH(bool, chat);
        FakeLlmServerConfig serverConfig;
        serverConfig.answer = scriptedPersonas();
        FakeLlmServer server(serverConfig);
        QVERIFY(server.start());
        const QString path = newProject(4);
        SurveyConfig c = config(server, chat, 4);
        (chat ? c.llm.topLogprobs : c.llm.logprobs) = 5;
        DemographicsOptions options;
        options.logprobRoute = true;
        Result<DemographicsPlan> plan = DemographicsStep::planFor(**ProjectFile::open(path), c, options);
        QVERIFY(plan);
        const Result<StepRun> run = prepare(path, *plan);
        QCOMPARE(driveStepRun(path, run->runId), u"completed"_s);
        const QHash<qint64, QByteArray> stored = distributions(path, run->runId);
        int fromLogprobs = 0;
        for (const StoredItem &it : items(path, run->runId)) {
            const QJsonObject o = QJsonDocument::fromJson(stored.value(it.id)).object();
            if (o.value(u"source"_s).toString() != u"logprobs"_s)
                continue;
            ++fromLogprobs;
            QCOMPARE(checkContract(it, stored.value(it.id), 4, u"logprobs"_s), QString());
            double sum = 0;
            for (const QJsonValue &v : o.value(u"probabilities"_s).toArray())
                sum += v.toDouble();
            QVERIFY(qAbs(sum - 1.0) < 1e-9);
            QCOMPARE(o.value(u"probabilities"_s).toArray().last().toDouble(), 0.0);
        }
        QVERIFY(fromLogprobs > 0);
        for (const QJsonObject &body : server.completionBodies())
            QCOMPARE(body.value(chat ? u"top_logprobs"_s : u"logprobs"_s).toInt(), 5);
    }

    void refusesUpFront_data()
    {
        QTest::addColumn<QString>("what");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty project") << u"empty"_s << u"no backstories"_s;
        QTest::newRow("chat-only parameter on a completion model")
            << u"top_logprobs"_s << u"chat-model parameter"_s;
        QTest::newRow("missing API key") << u"key"_s << u"ANTHOLOGY_TEST_NO_SUCH_KEY"_s;
        QTest::newRow("parser without its endpoint") << u"parser"_s << u"llm_parsing_parameters"_s;
        QTest::newRow("parser key missing") << u"parser key"_s << u"ANTHOLOGY_TEST_NO_SUCH_KEY"_s;
    }

    void refusesUpFront()
    {
        QFETCH(QString, what);
        QFETCH(QString, message);
        FakeLlmServer server;
        SurveyConfig c = config(server, false);
        QString path = newProject(2);
        if (what == u"empty"_s) {
            path = m_dir.path(u"empty%1.anthology"_s.arg(++m_files));
            QVERIFY(ProjectFile::create(path));
        } else if (what == u"top_logprobs"_s) {
            c.llm.topLogprobs = 3;
        } else if (what == u"key"_s) {
            c.llm.apiKeyEnv = u"ANTHOLOGY_TEST_NO_SUCH_KEY"_s;
        } else {
            c.run.useLlmAsParser = true;
            if (what == u"parser key"_s) {
                c.llmParser = fakeEndpoint(server, true);
                c.llmParser->apiKeyEnv = u"ANTHOLOGY_TEST_NO_SUCH_KEY"_s;
            }
        }
        Result<DemographicsPlan> plan = DemographicsStep::planFor(**ProjectFile::open(path), c, {});
        Error error;
        if (plan) {
            Result<std::optional<DemographicsPlan>> parser = DemographicsStep::parserPlanFor(*plan, c, {});
            QVERIFY(!parser);
            error = parser.error();
        } else {
            error = plan.error();
        }
        QVERIFY2(error.message.contains(message) || error.key.contains(message),
                 qPrintable(error.toString()));
    }

    // Cancelled mid-run and prepared again by name: the same run finishes, every item once.
    void cancelledRunResumesByName()
    {
        FakeLlmServerConfig serverConfig;
        serverConfig.answer = scriptedPersonas();
        serverConfig.latencyMs = 5;
        FakeLlmServer server(serverConfig);
        QVERIFY(server.start());
        const QString path = newProject(12);
        Result<DemographicsPlan> plan =
            DemographicsStep::planFor(**ProjectFile::open(path), config(server, false), {});
        QVERIFY(plan);
        const Result<StepRun> run = prepare(path, *plan);
        QCOMPARE(driveStepRun(path, run->runId, fastStepOptions(2),
                              [](RunEngine &e, const RunProgress &p) {
                                  if (p.done >= 10)
                                      e.cancel();
                              }),
                 u"cancelled"_s);
        const Result<StepRun> again = prepare(path, *plan);
        QVERIFY(again && again->resumed);
        QCOMPARE(again->runId, run->runId);
        QCOMPARE(driveStepRun(path, run->runId), u"completed"_s);
        const QList<StoredItem> all = items(path, run->runId);
        QCOMPARE(all.size(), 36);
        QSet<QPair<QString, QString>> pairs;
        for (const StoredItem &it : all) {
            QCOMPARE(it.state, u"done"_s);
            pairs.insert({it.persona, it.question});
        }
        QCOMPARE(pairs.size(), 36);
    }
};

QTEST_GUILESS_MAIN(TestDemographicsStep)
#include "TestDemographicsStep.moc"
