#include "MainWindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>

using namespace Qt::StringLiterals;

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(u"Anthology Workbench"_s);
    QApplication::setOrganizationName(u"Anthology Workbench"_s);
    QApplication::setApplicationVersion(QStringLiteral(ANTHOLOGY_VERSION));
    QApplication::setDesktopFileName(u"io.github.anthology.Workbench"_s); // the desktop entry and AppStream id
    QApplication::setWindowIcon(QIcon::fromTheme(u"io.github.anthology.Workbench"_s,
                                                 QIcon(u":/anthology/icons/anthology-workbench.svg"_s)));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Anthology Workbench: virtual survey respondents from LLM backstories."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(u"project"_s, u"A project file (.anthology) to open."_s, u"[project]"_s);
    parser.process(app);

    anthology::ui::MainWindow window;
    window.show();
    const QStringList files = parser.positionalArguments();
    if (!files.isEmpty())
        window.openProject(files.first());
    return app.exec();
}
