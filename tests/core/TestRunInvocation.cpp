#include "TempProject.h"

#include "project/ProjectFile.h"
#include "run/RunInvocation.h"
#include "run/RunStore.h"

#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace anthology;
using namespace anthology::test;
using namespace Qt::StringLiterals;

// The command kept with a run: secrets never stored, a shell line that runs as is, and a stored
// config that stays what it was apart from the added "invocation".
class TestRunInvocation : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void secretsAreRedacted_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QStringList>("stored");
        const QString r = u"<redacted>"_s;
        QTest::newRow("plain") << QStringList{u"run"_s, u"survey"_s, u"--seed"_s, u"7"_s}
                               << QStringList{u"run"_s, u"survey"_s, u"--seed"_s, u"7"_s};
        QTest::newRow("--api-key value")
            << QStringList{u"--api-key"_s, u"abc"_s, u"--x"_s} << QStringList{u"--api-key"_s, r, u"--x"_s};
        QTest::newRow("--token=value") << QStringList{u"--token=abc"_s} << QStringList{u"--token="_s + r};
        QTest::newRow("override") << QStringList{u"llm.api_key=sk-1"_s, u"llm.model_name=m"_s}
                                  << QStringList{u"llm.api_key="_s + r, u"llm.model_name=m"_s};
        QTest::newRow("env name is fine") << QStringList{u"llm.api_key_env=OPENAI_API_KEY"_s}
                                          << QStringList{u"llm.api_key_env=OPENAI_API_KEY"_s};
        QTest::newRow("value of a secret variable")
            << QStringList{u"--profile"_s, u"https://h/v1?k=sk-invocation-secret-1"_s}
            << QStringList{u"--profile"_s, u"https://h/v1?k="_s + r};
    }

    void secretsAreRedacted()
    {
        QFETCH(QStringList, args);
        QFETCH(QStringList, stored);
        qputenv("ANTHOLOGY_TEST_SECRET_TOKEN", "sk-invocation-secret-1");
        QCOMPARE(RunInvocation::redacted(args), stored);
        qunsetenv("ANTHOLOGY_TEST_SECRET_TOKEN");
    }

    void commandLineQuotesForTheShell()
    {
        RunInvocation i;
        i.arguments = {u"run"_s,    u"survey"_s, u"--questionnaire"_s, u"my questions.yaml"_s,
                       u"--name"_s, u"it's"_s,   u"--project"_s,       u"a.anthology"_s};
        i.workingDirectory = u"/tmp/work dir"_s;
        QCOMPARE(i.commandLine(), u"cd '/tmp/work dir' && anthology run survey --questionnaire 'my "
                                  u"questions.yaml' --name 'it'\\''s' "
                                  "--project a.anthology"_s);
        QCOMPARE(i.argumentsFor(u"b.anthology"_s).mid(6), (QStringList{u"--project"_s, u"b.anthology"_s}));
        i.arguments = {u"run"_s, u"survey"_s, u"--project=a"_s};
        QCOMPARE(i.argumentsFor(u"b"_s), (QStringList{u"run"_s, u"survey"_s, u"--project=b"_s}));
        i.arguments = {u"run"_s, u"survey"_s};
        QCOMPARE(i.argumentsFor(u"b"_s), (QStringList{u"run"_s, u"survey"_s, u"--project"_s, u"b"_s}));
        i.arguments = {u"run"_s, u"survey"_s, u"-p"_s, u"a"_s, u"--quiet"_s};
        QCOMPARE(i.argumentsFor(u"b"_s), (QStringList{u"run"_s, u"survey"_s, u"-p"_s, u"b"_s, u"--quiet"_s}));
        i.arguments = {u"run"_s, u"survey"_s, u"-p=a"_s};
        QCOMPARE(i.argumentsFor(u"b"_s), (QStringList{u"run"_s, u"survey"_s, u"-p=b"_s}));
    }

    void recordKeepsTheConfigAndAddsTheInvocation()
    {
        TempProject dir;
        auto p = ProjectFile::create(dir.path());
        QVERIFY(p);
        RunStore store(**p);
        RunInfo info;
        info.name = u"r"_s;
        info.config = u"{\"questions\": [], \"run\": {\"seed\": 3}}"_s;
        info.programVersion = u"t"_s;
        const qint64 id = *store.createRun(info);
        QVERIFY(!RunInvocation::of(*store.run(id)));

        RunInvocation i = RunInvocation::capture({u"run"_s, u"survey"_s, u"--seed"_s, u"3"_s});
        QCOMPARE(i.workingDirectory, QDir::currentPath());
        i.configName = u"survey_config"_s;
        i.overrides = {u"run.seed=3"_s};
        i.configDirs = {u"/configs"_s};
        QVERIFY(i.record(**p, id));
        QVERIFY(i.record(**p, id)); // again: replaced, not nested

        const RunInfo stored = *store.run(id);
        const QJsonObject config = QJsonDocument::fromJson(stored.config.toUtf8()).object();
        QCOMPARE(config.value(u"run"_s)[u"seed"_s].toInt(), 3);
        QCOMPARE(config.size(), 3);
        const std::optional<RunInvocation> back = RunInvocation::of(stored);
        QVERIFY(back);
        QCOMPARE(back->arguments, i.arguments);
        QCOMPARE(back->configName, u"survey_config"_s);
        QCOMPARE(back->overrides, i.overrides);
        QCOMPARE(back->configDirs, i.configDirs);
        QVERIFY(!RunInvocation().record(**p, id + 100));
    }
};

QTEST_GUILESS_MAIN(TestRunInvocation)
#include "TestRunInvocation.moc"
