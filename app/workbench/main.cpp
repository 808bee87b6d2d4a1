#include "MainWindow.h"

#include <QApplication>
#include <QCommandLineParser>

using namespace Qt::StringLiterals;

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(u"Anthology Workbench"_s);
    QApplication::setOrganizationName(u"Anthology Workbench"_s);
    QApplication::setApplicationVersion(QStringLiteral(ANTHOLOGY_VERSION));
    QApplication::setDesktopFileName(u"anthology-workbench"_s);

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
