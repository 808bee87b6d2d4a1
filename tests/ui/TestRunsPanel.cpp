#include "ProjectSession.h"
#include "RunListModel.h"
#include "RunsPanel.h"
#include "TempProject.h"
#include "project/ProjectFile.h"
#include "run/RunInvocation.h"
#include "run/RunStore.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableView>
#include <QTest>

using namespace anthology;
using namespace anthology::ui;
using namespace anthology::test;
using namespace Qt::StringLiterals;

namespace {

struct RunSpec
{
    QString name;
    QString kind;
    int items = 0;
    int done = 0;
    int failed = 0;
    QStringList arguments; // empty: no invocation recorded
};

// Plans a run the way the CLI does (config, version, seed, invocation) and commits `done`
// answers at one cent each and `failed` failures, through RunStore on `project`.
qint64 addRun(ProjectFile &project, const RunSpec &spec)
{
    RunStore store(project);
    RunInfo info;
    info.name = spec.name;
    info.kind = spec.kind;
    info.config = QString::fromUtf8(
        QJsonDocument(QJsonObject{{u"questionnaire"_s, u"hobbies.yaml"_s}, {u"samples"_s, 1}})
            .toJson(QJsonDocument::Compact));
    info.programVersion = u"0.9.test"_s;
    info.seed = 11;
    info.status = u"running"_s;
    auto id = store.createRun(info);
    if (!id)
        return 0;
    if (!spec.arguments.isEmpty() && !RunInvocation::capture(spec.arguments).record(project, *id))
        return 0;
    QList<ItemResult> results;
    for (int i = 0; i < spec.items; ++i) {
        PlannedItem item;
        item.persona = u"persona-%1"_s.arg(i);
        item.question = u"HOBBY1_W99"_s;
        auto itemId = store.insertItem(*id, item);
        if (!itemId)
            return 0;
        ItemResult r;
        r.itemId = *itemId;
        r.attempts = 1;
        if (i < spec.done) {
            r.ok = true;
            r.rawAnswer = u" A."_s;
            r.compliant = true;
            r.option = 0;
            r.parsedAnswer = u"Every day"_s;
            r.cost = 0.01;
            results.append(r);
        } else if (i < spec.done + spec.failed) {
            r.error = u"HTTP 500: the fake server said no"_s;
            results.append(r);
        }
    }
    if (!results.isEmpty() && !store.commit(*id, results))
        return 0;
    return *id;
}

// A runs panel shown over a session on a project file; the panel goes before the session.
struct ShownPanel
{
    std::unique_ptr<ProjectSession> session;
    RunsPanel panel;
};

// The panel over `path`, or the error that kept the session from opening.
Result<std::unique_ptr<ShownPanel>> showPanel(const QString &path)
{
    auto session = ProjectSession::open(path);
    if (!session)
        return session.error();
    auto shown = std::make_unique<ShownPanel>();
    shown->session = std::move(*session);
    shown->panel.setSession(shown->session.get());
    shown->panel.show();
    return shown;
}

} // namespace

// The runs panel over a real project file that the session's writer connection (standing in
// for the CLI, which cannot take the write lock while the session holds it) keeps writing to,
// driven offscreen through its widgets.
class TestRunsPanel : public QObject
{
    Q_OBJECT

private:
    TempProject m_dir;

    template <typename T> static T *child(QWidget *w, const char *name)
    {
        return w->findChild<T *>(QString::fromLatin1(name));
    }

    // A project with a survey (3 of 5 done, 1 failed) and a finished generate run.
    QString projectWithTwoRuns(const QString &fileName)
    {
        const QString path = m_dir.path(fileName);
        auto project = ProjectFile::create(path);
        if (!project)
            return {};
        addRun(**project,
               {u"hobbies"_s,
                u"survey"_s,
                5,
                3,
                1,
                {u"survey"_s, u"atp"_s, u"--project"_s, u"elsewhere.anthology"_s, u"--samples"_s, u"1"_s}});
        addRun(**project, {u"stories"_s, u"generate"_s, 2, 2, 0, {u"generate"_s, u"--count"_s, u"2"_s}});
        return path;
    }

    static QString cell(const RunListModel *model, int row, int column)
    {
        return model->index(row, column).data().toString();
    }

private Q_SLOTS:
    void eachColumnShowsTheRun_data()
    {
        QTest::addColumn<int>("row");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("header");
        QTest::addColumn<QString>("text");
        QTest::newRow("id") << 0 << int(RunListModel::IdColumn) << u"Id"_s << u"1"_s;
        QTest::newRow("name") << 0 << int(RunListModel::NameColumn) << u"Name"_s << u"hobbies"_s;
        QTest::newRow("kind") << 1 << int(RunListModel::KindColumn) << u"Kind"_s << u"generate"_s;
        // Stored as running by a process that no longer holds it: shown as interrupted.
        QTest::newRow("status") << 0 << int(RunListModel::StatusColumn) << u"Status"_s << u"interrupted"_s;
        QTest::newRow("progress") << 0 << int(RunListModel::ProgressColumn) << u"Done / total"_s
                                  << u"3 / 5"_s;
        QTest::newRow("finished") << 1 << int(RunListModel::ProgressColumn) << u"Done / total"_s
                                  << u"2 / 2"_s;
        QTest::newRow("failed") << 0 << int(RunListModel::FailedColumn) << u"Failed"_s << u"1"_s;
        QTest::newRow("cost") << 0 << int(RunListModel::CostColumn) << u"Cost"_s << u"$0.0300"_s;
        QTest::newRow("no failures") << 1 << int(RunListModel::FailedColumn) << u"Failed"_s << u"0"_s;
    }

    void eachColumnShowsTheRun()
    {
        QFETCH(int, row);
        QFETCH(int, column);
        QFETCH(QString, header);
        QFETCH(QString, text);
        const QString path =
            projectWithTwoRuns(QString::fromLatin1(QTest::currentDataTag()) + u".anthology"_s);
        auto shown = showPanel(path);
        QVERIFY2(shown, qPrintable(shown ? QString() : shown.error().toString()));
        RunsPanel &panel = (*shown)->panel;
        const RunListModel *model = panel.model();
        QCOMPARE(model->rowCount(), 2);
        QCOMPARE(model->columnCount(), int(RunListModel::ColumnCount));
        QCOMPARE(model->headerData(column, Qt::Horizontal).toString(), header);
        QCOMPARE(cell(model, row, column), text);
        // The view lists the newest run first.
        auto *table = child<QTableView>(&panel, "runTable");
        QCOMPARE(table->model()->rowCount(), 2);
        QCOMPARE(table->model()->index(0, RunListModel::NameColumn).data().toString(), u"stories"_s);
    }

    void reloadPicksUpRunsAndProgressFromAnotherConnection()
    {
        const QString path = projectWithTwoRuns(u"live.anthology"_s);
        auto shown = showPanel(path);
        QVERIFY2(shown, qPrintable(shown ? QString() : shown.error().toString()));
        RunsPanel &panel = (*shown)->panel;
        panel.selectRun(1);
        QCOMPARE(panel.selectedRunId(), 1);

        // The CLI, on another connection, plans a third run and finishes one more item of the first.
        auto cliConnection = ProjectFile::open(path, ProjectFile::Mode::ReadWrite); // the CLI's own
        QVERIFY(cliConnection);
        ProjectFile *cli = cliConnection->get();
        const qint64 third = addRun(*cli, {u"ages"_s, u"demographics"_s, 4, 0, 0, {u"demographics"_s}});
        QCOMPARE(third, 3);
        RunStore cliStore(*cli);
        const QList<StoredItem> pending = *cliStore.pendingItems(1, 0, 1);
        QCOMPARE(pending.size(), 1);
        ItemResult r;
        r.itemId = pending.first().id;
        r.ok = true;
        r.compliant = true;
        r.attempts = 1;
        r.cost = 0.01;
        QList<ItemResult> batch{r};
        QVERIFY(cliStore.commit(1, batch));

        QCOMPARE(panel.model()->rowCount(), 2); // nothing re-read yet
        panel.reload();
        QCOMPARE(panel.model()->rowCount(), 3);
        QCOMPARE(cell(panel.model(), 2, RunListModel::KindColumn), u"demographics"_s);
        QCOMPARE(cell(panel.model(), 0, RunListModel::ProgressColumn), u"4 / 5"_s);
        QCOMPARE(cell(panel.model(), 0, RunListModel::CostColumn), u"$0.0400"_s);
        QCOMPARE(panel.selectedRunId(), 1); // the live refresh keeps the selection
    }

    void refreshesOnItsOwnWhileShownAndOnF5()
    {
        const QString path = projectWithTwoRuns(u"timer.anthology"_s);
        auto shown = showPanel(path);
        QVERIFY2(shown, qPrintable(shown ? QString() : shown.error().toString()));
        RunsPanel &panel = (*shown)->panel;
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        auto cliConnection = ProjectFile::open(path, ProjectFile::Mode::ReadWrite); // the CLI's own
        QVERIFY(cliConnection);
        ProjectFile *cli = cliConnection->get();

        QVERIFY(addRun(*cli, {u"by timer"_s, u"survey"_s, 1, 0, 0, {}}));
        QTRY_COMPARE_WITH_TIMEOUT(panel.model()->rowCount(), 3, 30000);

        panel.hide(); // a hidden panel does not poll...
        QVERIFY(addRun(*cli, {u"by key"_s, u"survey"_s, 1, 0, 0, {}}));
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QCOMPARE(panel.model()->rowCount(), 4); // ...but catches up as it is shown again

        QVERIFY(addRun(*cli, {u"by F5"_s, u"survey"_s, 1, 0, 0, {}}));
        QCOMPARE(panel.refreshAction()->shortcut(), QKeySequence(QKeySequence::Refresh));
        QTest::keyClick(child<QTableView>(&panel, "runTable"), Qt::Key_F5);
        QCOMPARE(panel.model()->rowCount(), 5);
    }

    void selectingARunShowsHowToReproduceIt()
    {
        const QString path = projectWithTwoRuns(u"detail.anthology"_s);
        auto shown = showPanel(path);
        QVERIFY2(shown, qPrintable(shown ? QString() : shown.error().toString()));
        RunsPanel &panel = (*shown)->panel;
        auto *command = child<QPlainTextEdit>(&panel, "runCommand");
        auto *config = child<QPlainTextEdit>(&panel, "runConfig");
        auto *copy = child<QPushButton>(&panel, "copyCommandButton");

        panel.selectRun(1);
        const QString text = command->toPlainText();
        QVERIFY2(text.contains(u"anthology survey atp --project "_s), qPrintable(text));
        // The command points at the open project, not where it was first run.
        QVERIFY2(text.contains(path), qPrintable(text));
        QVERIFY(!text.contains(u"elsewhere.anthology"_s));
        QVERIFY(text.endsWith(u"--samples 1"_s));
        QCOMPARE(child<QLabel>(&panel, "runVersion")->text(), u"0.9.test"_s);
        QCOMPARE(child<QLabel>(&panel, "runSeed")->text(), u"11"_s);
        QVERIFY2(config->toPlainText().contains(u"\"questionnaire\": \"hobbies.yaml\""_s),
                 qPrintable(config->toPlainText()));
        QVERIFY(!config->toPlainText().contains(QLatin1StringView(RunInvocation::configKey)));
        QVERIFY(copy->isEnabled());
        copy->click();
        QCOMPARE(QApplication::clipboard()->text(), text);

        panel.selectRun(2);
        QVERIFY(command->toPlainText().contains(u"anthology generate --count 2"_s));
    }

    void aRunWithoutARecordedCommandSaysSo()
    {
        const QString path = m_dir.path(u"old.anthology"_s);
        {
            auto project = ProjectFile::create(path);
            QVERIFY(project);
            QVERIFY(addRun(**project, {u"old"_s, u"survey"_s, 1, 0, 0, {}}));
        }
        auto shown = showPanel(path);
        QVERIFY2(shown, qPrintable(shown ? QString() : shown.error().toString()));
        RunsPanel &panel = (*shown)->panel;
        panel.selectRun(1);
        QVERIFY(child<QPlainTextEdit>(&panel, "runCommand")->toPlainText().contains(u"not recorded"_s));
        QVERIFY(!child<QPushButton>(&panel, "copyCommandButton")->isEnabled());
    }

    void aProjectWithoutRunsShowsHowToStartOne()
    {
        const QString path = m_dir.path(u"empty.anthology"_s);
        QVERIFY(ProjectFile::create(path));
        auto shown = showPanel(path);
        QVERIFY2(shown, qPrintable(shown ? QString() : shown.error().toString()));
        RunsPanel &panel = (*shown)->panel;
        auto *empty = child<QLabel>(&panel, "runsEmptyLabel");
        QVERIFY(empty->isVisible());
        QVERIFY(empty->text().contains(u"anthology survey atp"_s));
        QVERIFY(!child<QTableView>(&panel, "runTable")->isVisible());

        auto cliConnection = ProjectFile::open(path, ProjectFile::Mode::ReadWrite); // the CLI's own
        QVERIFY(cliConnection);
        ProjectFile *cli = cliConnection->get();
        QVERIFY(addRun(*cli, {u"first"_s, u"survey"_s, 2, 1, 0, {u"survey"_s, u"atp"_s}}));
        panel.reload();
        QVERIFY(!empty->isVisible());
        QVERIFY(child<QTableView>(&panel, "runTable")->isVisible());
        QCOMPARE(panel.selectedRunId(), 1); // the first run to appear is selected
    }

    void closingTheSessionEmptiesThePanel()
    {
        const QString path = projectWithTwoRuns(u"close.anthology"_s);
        auto shown = showPanel(path);
        QVERIFY2(shown, qPrintable(shown ? QString() : shown.error().toString()));
        RunsPanel &panel = (*shown)->panel;
        QCOMPARE(panel.model()->rowCount(), 2);
        panel.setSession(nullptr);
        (*shown)->session.reset();
        panel.reload();
        QCOMPARE(panel.model()->rowCount(), 0);
        QCOMPARE(panel.selectedRunId(), 0);
        QVERIFY(child<QPlainTextEdit>(&panel, "runCommand")->toPlainText().isEmpty());
    }
};

QTEST_MAIN(TestRunsPanel)
#include "TestRunsPanel.moc"
