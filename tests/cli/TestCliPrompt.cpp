#include "CliRunner.h"
#include "FakeLlmServer.h"
#include "TempProject.h"
#include "core/RunFixture.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace anthology;
using namespace anthology::test;
using namespace Qt::StringLiterals;

// `prompt preview` prints what a run sends: the same persona's prompts, byte for byte, as the
// fake server received them from `survey atp` (same config, same seed, same option order).
class TestCliPrompt : public QObject
{
    Q_OBJECT

    TempProject m_dir;
    int m_files = 0;

    static QString flatten(const QJsonArray &messages)
    {
        QString out;
        for (const QJsonValue &m : messages)
            out += m[u"role"_s].toString() + u"|"_s + m[u"content"_s].toString() + u"\n"_s;
        return out;
    }

private slots:
    void previewIsWhatTheRunSends_data()
    {
        QTest::addColumn<bool>("inSeries");
        QTest::addColumn<bool>("chat");
        QTest::newRow("in series") << true << false;
        QTest::newRow("independent") << false << false;
        QTest::newRow("chat in series") << true << true;
    }

    void previewIsWhatTheRunSends()
    {
        QFETCH(bool, inSeries);
        QFETCH(bool, chat);
        FakeLlmServerConfig config;
        config.answer = [](const QString &, std::optional<qint64>, int, int) -> std::optional<QStringList> {
            return QStringList{u" (B)"_s};
        };
        FakeLlmServer server(config);
        QVERIFY(server.start());
        auto project = projectWithPersonas(m_dir, u"prompt%1.anthology"_s.arg(++m_files), 2);
        QVERIFY(project);
        const QString path = project->path();
        project.reset();
        const QStringList overrides{u"llm_parameters.api_provider="_s + server.baseUrl().toString(),
                                    u"llm_parameters.model_name=fake-model"_s,
                                    u"llm_parameters.max_tokens=8"_s,
                                    u"+llm_parameters.chat="_s + (chat ? u"true"_s : u"false"_s),
                                    u"include_compliance_forcing=false"_s,
                                    u"questionnaire.example.randomize_option_order=true"_s,
                                    u"questionnaire.example.in_series="_s + (inSeries ? u"true"_s : u"false"_s)};
        const CliResult run = runCli(QStringList{u"survey"_s, u"atp"_s, u"survey_config"_s} + overrides +
                                     QStringList{u"--project"_s, path, u"--quiet"_s});
        QVERIFY2(run.exitCode == 0, run.err.constData());

        const CliResult preview =
            runCli(QStringList{u"prompt"_s, u"preview"_s, u"survey_config"_s} + overrides +
                   QStringList{u"--project"_s, path, u"--backstory"_s, personaUid(1), u"--answer"_s, u" (B)"_s,
                               u"--json"_s});
        QVERIFY2(preview.exitCode == 0, preview.err.constData());
        QStringList previewed;
        for (const QJsonValue &p : preview.json().object().value(u"prompts"_s).toArray()) {
            const QJsonObject o = p.toObject();
            previewed.append(chat ? flatten(o.value(u"messages"_s).toArray()) : o.value(u"prompt"_s).toString());
        }
        QStringList sent;
        for (const QJsonObject &body : server.completionBodies()) {
            const QString text =
                chat ? flatten(body.value(u"messages"_s).toArray()) : body.value(u"prompt"_s).toString();
            if (text.contains(personaText(1)))
                sent.append(text);
        }
        QCOMPARE(previewed.size(), 8);
        if (!inSeries) { // independent prompts arrive in any order
            previewed.sort();
            sent.sort();
        }
        QCOMPARE(sent, previewed);
    }

    // A generate_backstory config previews its first story: the preamble, then the story with
    // the preamble's answer, as `generate backstories` sends them.
    void storyPreviewIsWhatAGenerateRunSends_data()
    {
        QTest::addColumn<bool>("chat");
        QTest::newRow("completion") << false;
        QTest::newRow("chat") << true;
    }

    void storyPreviewIsWhatAGenerateRunSends()
    {
        QFETCH(bool, chat);
        FakeLlmServerConfig config;
        config.answer = [](const QString &prompt, std::optional<qint64>, int, int) -> std::optional<QStringList> {
            return QStringList{prompt.contains(u"citizen"_s) && !prompt.contains(u"Tell me"_s) ? u" Yes"_s
                                                                                                : u" I grew up."_s};
        };
        FakeLlmServer server(config);
        QVERIFY(server.start());
        auto project = projectWithPersonas(m_dir, u"prompt%1.anthology"_s.arg(++m_files), 1);
        QVERIFY(project);
        const QString path = project->path();
        project.reset();
        const QStringList overrides{u"num_backstories=1"_s,
                                    u"llm_parameters.api_provider="_s + server.baseUrl().toString(),
                                    u"llm_parameters.model_name=fake-model"_s,
                                    u"+llm_parameters.chat="_s + (chat ? u"true"_s : u"false"_s)};
        const CliResult run =
            runCli(QStringList{u"generate"_s, u"backstories"_s, u"generate_backstory/config"_s} + overrides +
                   QStringList{u"--project"_s, path, u"--quiet"_s});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QStringList sent;
        for (const QJsonObject &body : server.completionBodies())
            sent.append(chat ? flatten(body.value(u"messages"_s).toArray()) : body.value(u"prompt"_s).toString());
        QCOMPARE(sent.size(), 2);

        // No project needed: the plan is the config's.
        const CliResult preview = runCli(QStringList{u"prompt"_s, u"preview"_s, u"generate_backstory/config"_s} +
                                         overrides + QStringList{u"--answer"_s, u" Yes"_s, u"--json"_s});
        QVERIFY2(preview.exitCode == 0, preview.err.constData());
        QStringList previewed;
        QStringList keys;
        for (const QJsonValue &p : preview.json().object().value(u"prompts"_s).toArray()) {
            const QJsonObject o = p.toObject();
            keys.append(o.value(u"key"_s).toString());
            previewed.append(chat ? flatten(o.value(u"messages"_s).toArray()) : o.value(u"prompt"_s).toString());
        }
        QCOMPARE(keys, QStringList({u"preamble"_s, u"story"_s}));
        QCOMPARE(previewed, sent);
    }
};

QTEST_GUILESS_MAIN(TestCliPrompt)
#include "TestCliPrompt.moc"
