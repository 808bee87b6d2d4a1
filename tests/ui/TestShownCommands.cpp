#include "CliRunner.h"
#include "MainWindow.h"
#include "TempProject.h"
#include "example/ExampleProject.h"
#include "project/ProjectFile.h"

#include <QLabel>
#include <QRegularExpression>
#include <QSet>
#include <QSettings>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTest>

using namespace anthology;
using namespace anthology::ui;
using namespace anthology::test;
using namespace Qt::StringLiterals;

// Every command line the workbench shows in its labels (an empty tab's suggestions, the start
// page) is one the CLI accepts: each is run through the real `anthology` with --help.
class TestShownCommands : public QObject
{
    Q_OBJECT

private:
    TempProject m_dir;

    // The `anthology ...` commands inside <code> spans or on their own in every label.
    static QSet<QString> shownCommands(QWidget *root)
    {
        static const QRegularExpression code(u"<code>\\s*(anthology\\s[^<]*)</code>"_s);
        static const QRegularExpression plain(u"^\\s*(anthology\\s.*)$"_s,
                                              QRegularExpression::MultilineOption);
        QSet<QString> out;
        const auto labels = root->findChildren<QLabel *>();
        for (const QLabel *label : labels) {
            const QString text = label->text();
            for (const auto &re : {code, plain}) {
                auto it = re.globalMatch(text);
                while (it.hasNext())
                    out.insert(it.next().captured(1).simplified());
            }
        }
        return out;
    }

    static void checkAccepted(const QSet<QString> &commands)
    {
        for (const QString &command : commands) {
            QStringList args = command.split(u' ', Qt::SkipEmptyParts).mid(1);
            // Options with placeholders (FILE, NAME...) are not run: the command path is.
            while (!args.isEmpty() && (args.last().startsWith(u'-') || args.last().startsWith(u'<') ||
                                       args.last() == args.last().toUpper()))
                args.removeLast();
            const CliResult r = runCli(args + QStringList{u"--help"_s});
            QVERIFY2(r.exitCode == 0, qPrintable(command + u": "_s + r.errText()));
            QVERIFY2(r.outText().contains(u"Usage"_s, Qt::CaseInsensitive), qPrintable(command));
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"AnthologyWorkbenchTests"_s);
        QSettings().clear();
    }

    void everyShownCommandIsAccepted()
    {
        const QString path = m_dir.path(u"shown.anthology"_s);
        QVERIFY(ProjectFile::create(path));
        MainWindow window;
        window.show();
        QSet<QString> commands = shownCommands(&window);
        QVERIFY(window.openProject(path));
        commands += shownCommands(&window);
        // The empty Runs tab suggests how to start a run.
        QVERIFY2(commands.size() >= 3, qPrintable(QStringList(commands.values()).join(u" | "_s)));
        checkAccepted(commands);
    }

    void anUnknownCommandWouldFail()
    {
        // The check above can fail: a command the CLI does not know exits non-zero.
        const CliResult r = runCli({u"demographics"_s, u"--help"_s});
        QVERIFY(r.exitCode != 0);
    }
};

QTEST_MAIN(TestShownCommands)
#include "TestShownCommands.moc"
