#include <QCoreApplication>
#include <QTextStream>

using namespace Qt::StringLiterals;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"anthology"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(ANTHOLOGY_VERSION));
    QTextStream(stdout) << "anthology " << QCoreApplication::applicationVersion() << '\n';
    return 0;
}
