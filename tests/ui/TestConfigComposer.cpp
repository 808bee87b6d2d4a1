#include "CliRunner.h"
#include "ComposerForm.h"
#include "ComposerPanel.h"
#include "ComposerPreview.h"
#include "ComposerQuestionnaire.h"
#include "FakeLlmServer.h"
#include "ProjectSession.h"
#include "TempProject.h"
#include "TestPaths.h"
#include "core/PersonaFixture.h"
#include "core/RunFixture.h"
#include "run/PersonaSetStore.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>
#include <QTreeWidget>

using namespace anthology;
using namespace anthology::ui;
using namespace anthology::test;
using namespace Qt::StringLiterals;

namespace {

const QString kGolden = QStringLiteral(ANTHOLOGY_TEST_DATA_DIR "/golden/composer/atp_composed.yaml");

// The resolved config as `config show --json` prints it, without the keys that read the clock.
QJsonObject shown(const QStringList &args)
{
    const CliResult r = runCli(QStringList{u"config"_s, u"show"_s} + args + QStringList{u"--json"_s});
    if (r.exitCode != 0)
        return QJsonObject{{u"error"_s, r.errText()}};
    QJsonObject config = r.json().object().value(u"config"_s).toObject();
    for (const QString &clock : {u"hydra"_s, u"run_dir"_s, u"output_time_stamp"_s, u"output_data_name"_s})
        config.remove(clock);
    return config;
}

// The config part of step arguments (name, --config-dir, overrides), for `config show` and
// `prompt preview`, which take no step keys.
QStringList configArguments(const ConfigComposition &c)
{
    QStringList out{c.configName()};
    for (const QString &dir : c.configDirs())
        out << u"--config-dir"_s << dir;
    for (const auto &[k, v] : c.overrides())
        out.append(k + u'=' + v);
    return out;
}

} // namespace

// The composer through its widgets: an ATP survey composed by hand saves as the golden YAML,
// resolves through `config show` as its command line does, previews what `prompt preview`
// prints, round-trips through loadInvocation and launches a command the CLI runs.
class TestConfigComposer : public QObject
{
    Q_OBJECT

    TempProject m_dir;
    QString m_project;
    std::unique_ptr<ProjectSession> m_session;

    template <typename T>
    static T *field(ComposerPanel &panel, const QString &name)
    {
        return panel.findChild<T *>(name);
    }

    // Waits for the refresh an edit scheduled; returns the milliseconds it took.
    static qint64 settle(ComposerPanel &panel, QSignalSpy &spy, const QElapsedTimer &clock)
    {
        if (spy.isEmpty())
            spy.wait(5000);
        const qint64 ms = clock.elapsed();
        spy.clear();
        return ms;
    }

    // The ATP survey of the test, composed through the widgets.
    void compose(ComposerPanel &panel)
    {
        panel.setStep(StepKind::SurveyAtp);
        QSignalSpy refreshed(&panel, &ComposerPanel::refreshed);
        field<QComboBox>(panel, u"group:format/surveyor_respondent"_s)->setCurrentText(u"interviewer_interviewee"_s);
        QTRY_VERIFY(field<QDoubleSpinBox>(panel, u"key:llm_parameters.temperature"_s) != nullptr &&
                    panel.composition().hasOverride(u"format/surveyor_respondent"_s));
        field<QDoubleSpinBox>(panel, u"key:llm_parameters.temperature"_s)->setValue(0.7);
        field<QSpinBox>(panel, u"key:random_seed"_s)->setValue(7);
        field<QCheckBox>(panel, u"key:questionnaire.example.in_series"_s)->setChecked(true);
        field<QCheckBox>(panel, u"key:include_compliance_forcing"_s)->setChecked(false);
        QLineEdit *name = field<QLineEdit>(panel, u"step:name"_s);
        name->setText(u"atp/composed"_s);
        emit name->textEdited(name->text());
        refreshed.clear();
        QVERIFY(refreshed.wait(5000));
    }

private slots:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(u"anthology-test"_s);
        QCoreApplication::setApplicationName(u"TestConfigComposer"_s);
        auto project = projectWithPersonas(m_dir, u"composer.anthology"_s, 3);
        QVERIFY(project);
        m_project = project->path();
        QVERIFY(storeSyntheticWave(*project, u"W99"_s, 300));
        PersonaSet set; // a matched set: the member's passage is its backstory with a trait appended
        set.name = u"test/bio"_s;
        set.kind = u"matched"_s;
        set.style = u"bio"_s;
        PersonaSetMember member;
        member.personaKey = u"member-1"_s;
        member.backstoryUid = personaUid(0);
        member.afterText = u" I am 30 years old."_s;
        set.members.append(member);
        QVERIFY(PersonaSetStore(*project).insert(set));
        project.reset();
        auto session = ProjectSession::open(m_project);
        QVERIFY(session);
        m_session = std::move(*session);
    }

    void savesTheGoldenYamlThatResolvesAsTheCommandLine()
    {
        ComposerPanel panel;
        panel.setSession(m_session.get());
        compose(panel);
        QVERIFY2(!panel.hasError(), qPrintable(panel.errorText()));
        const ConfigComposition composed = panel.composition();
        QCOMPARE(composed.overrides(),
                 (QList<QPair<QString, QString>>{{u"format/surveyor_respondent"_s, u"interviewer_interviewee"_s},
                                                 {u"llm_parameters.temperature"_s, u"0.7"_s},
                                                 {u"random_seed"_s, u"7"_s},
                                                 {u"include_compliance_forcing"_s, u"false"_s}}));
        // The command line shown is the launch arguments, quoted for a shell.
        QCOMPARE(panel.commandLine(), ConfigComposition::commandLine(panel.launchArguments()));

        const QString dir = m_dir.dir() + u"/saved"_s;
        QVERIFY(panel.saveConfig(dir, u"atp_composed"_s));
        QFile saved(dir + u"/atp_composed.yaml"_s);
        QVERIFY(saved.open(QIODevice::ReadOnly));
        if (qEnvironmentVariableIsSet("ANTHOLOGY_WRITE_GOLDEN")) { // regenerate, then review the diff
            QFile out(kGolden);
            QVERIFY(out.open(QIODevice::WriteOnly) && out.write(saved.readAll()) > 0);
            saved.seek(0);
        }
        QFile golden(kGolden);
        QVERIFY2(golden.open(QIODevice::ReadOnly), qPrintable(kGolden));
        QCOMPARE(QString::fromUtf8(saved.readAll()), QString::fromUtf8(golden.readAll()));

        const QJsonObject fromFile = shown({u"--config-dir"_s, dir, u"atp_composed"_s});
        const QJsonObject fromArguments = shown(configArguments(composed));
        QVERIFY2(!fromFile.contains(u"error"_s), qPrintable(fromFile.value(u"error"_s).toString()));
        QVERIFY2(!fromArguments.contains(u"error"_s), qPrintable(fromArguments.value(u"error"_s).toString()));
        QCOMPARE(fromFile, fromArguments);
        QCOMPARE(fromFile.value(u"llm_parameters"_s).toObject().value(u"temperature"_s).toDouble(), 0.7);

        // Loaded back, the saved file is the composition: same values, no overrides left.
        ComposerPanel reloaded;
        QVERIFY(reloaded.loadConfig(dir + u"/atp_composed.yaml"_s));
        QVERIFY(reloaded.composition().overrides().isEmpty());
        QCOMPARE(field<QDoubleSpinBox>(reloaded, u"key:llm_parameters.temperature"_s)->value(), 0.7);
        QCOMPARE(shown(configArguments(reloaded.composition())), fromFile);
    }

    void previewIsPromptPreviewsText()
    {
        ComposerPanel panel;
        panel.setSession(m_session.get());
        compose(panel);
        QSignalSpy refreshed(&panel, &ComposerPanel::refreshed);
        QVERIFY(panel.preview()->selectPersona(personaUid(2)));
        QVERIFY(refreshed.wait(5000));
        const CliResult cli = runCli(QStringList{u"prompt"_s, u"preview"_s} + configArguments(panel.composition()) +
                                     QStringList{u"--project"_s, m_project, u"--backstory"_s, personaUid(2), u"--json"_s});
        QVERIFY2(cli.exitCode == 0, cli.err.constData());
        const QJsonArray prompts = cli.json().object().value(u"prompts"_s).toArray();
        QCOMPARE(prompts.size(), 8);
        for (int i : {0, 1, 7}) { // the first question, and later ones holding the answers before them
            const QString key = prompts[i][u"key"_s].toString();
            QVERIFY(panel.preview()->selectQuestion(key));
            QCOMPARE(panel.preview()->text(), prompts[i][u"prompt"_s].toString());
        }
        QVERIFY(panel.preview()->text().contains(personaText(2)));

        // An edit shows in the preview after one refresh; the time it took is reported.
        refreshed.clear();
        QElapsedTimer clock;
        clock.start();
        QLineEdit *consistency = field<QLineEdit>(panel, u"key:special_prompt.consistency_prompt"_s);
        consistency->setText(u"Stay consistent."_s);
        emit consistency->textEdited(consistency->text());
        const qint64 ms = settle(panel, refreshed, clock);
        qInfo("edit to refreshed preview: %lld ms", ms);
        QVERIFY(panel.preview()->text().contains(u"Stay consistent."_s));
    }

    // The generate step has no personas: it previews its first story as `prompt preview` does,
    // the preamble and then the story holding the preamble's stand-in answer.
    void generateStepPreviewsItsFirstStory()
    {
        ComposerPanel panel;
        panel.setSession(m_session.get());
        QSignalSpy refreshed(&panel, &ComposerPanel::refreshed);
        panel.setStep(StepKind::GenerateBackstories);
        QTRY_VERIFY(!refreshed.isEmpty());
        const CliResult cli = runCli(QStringList{u"prompt"_s, u"preview"_s} + configArguments(panel.composition()) +
                                     QStringList{u"--json"_s});
        QVERIFY2(cli.exitCode == 0, cli.err.constData());
        const QJsonArray prompts = cli.json().object().value(u"prompts"_s).toArray();
        QCOMPARE(prompts.size(), 2);
        for (const QJsonValue &p : prompts) {
            QVERIFY(panel.preview()->selectQuestion(p[u"key"_s].toString()));
            QCOMPARE(panel.preview()->text(), p[u"prompt"_s].toString());
        }
        QVERIFY(panel.preview()->text().contains(u"Tell me about yourself"_s));
        QVERIFY(panel.preview()->text().contains(u"<answer to preamble>"_s));
        QVERIFY(!field<QComboBox>(panel, u"previewPersona"_s)->isVisibleTo(&panel));

        // Back to a survey step: its personas come back.
        refreshed.clear();
        panel.setStep(StepKind::SurveyAtp);
        QTRY_VERIFY(!refreshed.isEmpty());
        QVERIFY(field<QComboBox>(panel, u"previewPersona"_s)->isVisibleTo(&panel));
    }

    void previewsAPersonaSetMemberAsTheRunAsksIt()
    {
        ComposerPanel panel;
        panel.setSession(m_session.get());
        compose(panel);
        QSignalSpy refreshed(&panel, &ComposerPanel::refreshed);
        field<QComboBox>(panel, u"step:personas"_s)->setCurrentText(u"test/bio"_s);
        QVERIFY(refreshed.wait(5000));
        QCOMPARE(panel.preview()->persona(), u"member-1"_s);
        QVERIFY(panel.launchArguments().contains(u"personas=test/bio"_s));
        const CliResult cli = runCli(QStringList{u"prompt"_s, u"preview"_s} + configArguments(panel.composition()) +
                                     QStringList{u"--project"_s, m_project, u"--personas"_s, u"test/bio"_s,
                                                 u"--backstory"_s, u"member-1"_s, u"--json"_s});
        QVERIFY2(cli.exitCode == 0, cli.err.constData());
        const QJsonValue first = cli.json().object().value(u"prompts"_s).toArray().first();
        QVERIFY(panel.preview()->selectQuestion(first[u"key"_s].toString()));
        QCOMPARE(panel.preview()->text(), first[u"prompt"_s].toString());
        QVERIFY(panel.preview()->text().contains(u"gardening, long walks and quiet evenings. I am 30 years old."_s));
    }

    void baselineRespondentsPreviewAfterTheirSetExists()
    {
        FakeLlmServer server;
        QVERIFY(server.start());
        ComposerPanel panel;
        panel.setSession(m_session.get());
        panel.loadInvocation({u"survey"_s, u"baseline"_s, u"survey_config"_s, u"dataset=W99"_s, u"num_users=2"_s,
                              u"prompt_style=bio"_s,
                              u"llm_parameters.api_provider="_s + server.baseUrl().toString(),
                              u"llm_parameters.model_name=fake-model"_s, u"include_compliance_forcing=false"_s});
        QVERIFY2(!panel.hasError(), qPrintable(panel.errorText()));
        QVERIFY(panel.preview()->persona().isEmpty()); // the set is built when the run starts
        QVERIFY(panel.findChild<QLabel *>(u"previewInfo"_s)->text().contains(u"W99/baseline_bio"_s));

        const CliResult run =
            runCli(panel.launchArguments() + QStringList{u"--project"_s, m_project, u"--quiet"_s, u"--json"_s});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(server.completionRequestCount(), 2 * 8);

        QSignalSpy refreshed(&panel, &ComposerPanel::refreshed);
        QLineEdit *users = field<QLineEdit>(panel, u"step:num_users"_s);
        users->setText(u"2"_s);
        emit users->textEdited(u"2"_s); // any edit refreshes; the set now exists
        QVERIFY(refreshed.wait(5000));
        const QString member = panel.preview()->persona();
        QVERIFY(!member.isEmpty());
        const CliResult cli = runCli(QStringList{u"prompt"_s, u"preview"_s} + configArguments(panel.composition()) +
                                     QStringList{u"--project"_s, m_project, u"--personas"_s, u"W99/baseline_bio"_s,
                                                 u"--backstory"_s, member, u"--json"_s});
        QVERIFY2(cli.exitCode == 0, cli.err.constData());
        const QJsonValue first = cli.json().object().value(u"prompts"_s).toArray().first();
        QVERIFY(panel.preview()->selectQuestion(first[u"key"_s].toString()));
        QCOMPARE(panel.preview()->text(), first[u"prompt"_s].toString());
        // The prompt the server got for that respondent is the one previewed.
        bool sent = false;
        for (const QJsonObject &body : server.completionBodies())
            sent = sent || body.value(u"prompt"_s).toString() == panel.preview()->text();
        QVERIFY(sent);
    }

    void showsTheCliErrorAtTheField()
    {
        ComposerPanel panel;
        compose(panel);
        QSignalSpy refreshed(&panel, &ComposerPanel::refreshed);
        field<QDoubleSpinBox>(panel, u"key:llm_parameters.temperature"_s)->setValue(2.5);
        QVERIFY(refreshed.wait(5000));
        QLabel *error = field<QLabel>(panel, u"error:llm_parameters.temperature"_s);
        QVERIFY(error && error->isVisibleTo(&panel));
        const CliResult cli = runCli(QStringList{u"config"_s, u"show"_s} + configArguments(panel.composition()));
        QCOMPARE(cli.exitCode, 1);
        QCOMPARE(cli.errText().trimmed(), u"anthology: error: "_s + error->text());
        QVERIFY(!field<QPushButton>(panel, u"composerLaunch"_s)->isEnabled());
    }

    void questionnaireFromTickedVariables()
    {
        ComposerPanel panel;
        panel.setSession(m_session.get());
        ComposerQuestionnaire *q = panel.questionnaire();
        QVERIFY(q->isVisibleTo(&panel));
        QVERIFY(q->selectDataset(u"W99"_s));
        QTreeWidget *vars = q->variables();
        QStringList ticked;
        for (int i = 0; i < vars->topLevelItemCount() && ticked.size() < 2; ++i) {
            QTreeWidgetItem *item = vars->topLevelItem(i);
            if (!(item->flags() & Qt::ItemIsUserCheckable))
                continue;
            QVERIFY2(item->text(2).contains(u'%'), qPrintable(item->text(2))); // weighted shares beside each
            QVERIFY(!item->text(1).isEmpty());
            item->setCheckState(0, Qt::Checked);
            ticked.append(item->text(0));
        }
        QCOMPARE(ticked.size(), 2);
        QSignalSpy refreshed(&panel, &ComposerPanel::refreshed);
        QVERIFY(q->useTicked());
        QVERIFY(!refreshed.isEmpty() || refreshed.wait(5000));
        QVERIFY2(!panel.hasError(), qPrintable(panel.errorText()));
        QCOMPARE(panel.composition().overrideValue(u"questionnaire/example"_s), u"W99_composed"_s);
        QCOMPARE(panel.composition().configDirs().first(), q->workDir());
        QStringList asked;
        auto *questions = panel.findChild<QComboBox *>(u"previewQuestion"_s);
        for (int i = 0; i < questions->count(); ++i)
            asked.append(questions->itemData(i).toString());
        asked.sort();
        ticked.sort();
        QCOMPARE(asked, ticked);
        const QJsonObject config = shown(configArguments(panel.composition()));
        QVERIFY2(!config.contains(u"error"_s), qPrintable(config.value(u"error"_s).toString()));
        QStringList ids = config[u"questionnaire"_s][u"example"_s][u"questions"_s].toObject().keys();
        ids.sort();
        QCOMPARE(ids, ticked);
    }

    void loadInvocationRoundTrips()
    {
        ComposerPanel panel;
        compose(panel);
        const QStringList args = panel.launchArguments();
        ComposerPanel other;
        other.loadInvocation(args);
        QCOMPARE(other.launchArguments(), args);
        QCOMPARE(field<QComboBox>(other, u"composerStep"_s)->currentData().toInt(), int(StepKind::SurveyAtp));
        QCOMPARE(field<QDoubleSpinBox>(other, u"key:llm_parameters.temperature"_s)->value(), 0.7);
        QCOMPARE(field<QComboBox>(other, u"group:format/surveyor_respondent"_s)->currentText(),
                 u"interviewer_interviewee"_s);
        QCOMPARE(field<QLineEdit>(other, u"step:name"_s)->text(), u"atp/composed"_s);

        other.loadInvocation({u"survey"_s, u"baseline"_s, u"dataset=W99"_s, u"prompt_style=bio"_s});
        QCOMPARE(other.composition().kind(), StepKind::SurveyBaseline);
        QCOMPARE(field<QComboBox>(other, u"step:dataset"_s)->currentText(), u"W99"_s);
        QCOMPARE(other.launchArguments(),
                 (QStringList{u"survey"_s, u"baseline"_s, u"survey_config"_s, u"dataset=W99"_s, u"prompt_style=bio"_s}));
    }

    void launchesACommandTheCliRuns()
    {
        FakeLlmServer server;
        QVERIFY(server.start());
        ComposerPanel panel;
        panel.setSession(m_session.get());
        compose(panel);
        QSignalSpy refreshed(&panel, &ComposerPanel::refreshed);
        QLineEdit *provider = field<QLineEdit>(panel, u"key:llm_parameters.api_provider"_s);
        provider->setText(server.baseUrl().toString());
        emit provider->textEdited(provider->text());
        QLineEdit *model = field<QLineEdit>(panel, u"key:llm_parameters.model_name"_s);
        model->setText(u"fake-model"_s);
        emit model->textEdited(model->text());
        QVERIFY(refreshed.wait(5000));
        QVERIFY2(!panel.hasError(), qPrintable(panel.errorText()));

        QSignalSpy launched(&panel, &ComposerPanel::launchRequested);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QTest::keyClick(field<QPlainTextEdit>(panel, u"composerCommand"_s), Qt::Key_Return, Qt::ControlModifier);
        QCOMPARE(launched.count(), 1);
        const QStringList args = launched.first().first().toStringList();
        QCOMPARE(args, panel.launchArguments());
        QCOMPARE(args.mid(0, 3), (QStringList{u"survey"_s, u"atp"_s, u"survey_config"_s}));
        QVERIFY(args.contains(u"name=atp/composed"_s));
        QVERIFY(!args.contains(u"--project"_s));

        const CliResult run = runCli(args + QStringList{u"--project"_s, m_project, u"--quiet"_s, u"--json"_s});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(server.completionRequestCount(), 3 * 8);
        const QJsonObject body = server.completionBodies().first();
        QCOMPARE(body.value(u"temperature"_s).toDouble(), 0.7);
    }
};

QTEST_MAIN(TestConfigComposer)
#include "TestConfigComposer.moc"
