#include "CommandLine.h"

#include "CliOutput.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace anthology::cli {

CommandLine::CommandLine(QString commandPath, QString description, bool reportsData)
    : m_commandPath(std::move(commandPath)), m_reportsData(reportsData)
{
    m_parser.setApplicationDescription(description);
    m_parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    m_parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsOptions);
    m_parser.addOption(QCommandLineOption({u"h"_s, u"help"_s}, u"Show this help."_s));
    if (reportsData)
        m_parser.addOption(QCommandLineOption(u"json"_s, u"Print machine-readable JSON."_s));
}

int CommandLine::parse(const QStringList &args, CliOutput &out)
{
    QStringList argv{u"anthology "_s + m_commandPath};
    argv += args;
    if (!m_parser.parse(argv))
        return out.usage(m_parser.errorText(), helpHint());
    if (m_parser.isSet(u"help"_s)) {
        // QCommandLineParser names the program by argv[0]; the usage line should show the command.
        QString help = m_parser.helpText();
        const QString program = QCoreApplication::arguments().value(0);
        if (!program.isEmpty())
            help.replace(u"Usage: "_s + program, u"Usage: anthology "_s + m_commandPath);
        out.out() << help;
        out.out().flush();
        return ExitOk;
    }
    if (m_reportsData)
        out.setJson(m_parser.isSet(u"json"_s));
    return -1;
}

QCommandLineOption projectOption()
{
    return QCommandLineOption({u"p"_s, u"project"_s},
                              u"The project file (default: $ANTHOLOGY_PROJECT)."_s, u"file"_s);
}

QString projectPath(const CommandLine &cl)
{
    const QString fromOption = cl.value(u"project"_s);
    if (!fromOption.isEmpty())
        return fromOption;
    return qEnvironmentVariable("ANTHOLOGY_PROJECT");
}

} // namespace anthology::cli
