#pragma once

#include <QCommandLineParser>
#include <QStringList>

namespace anthology::cli {

class CliOutput;

// One subcommand's arguments: QCommandLineParser plus the --help and --json every command takes,
// without QCommandLineParser's habit of calling exit() on its own.
class CommandLine
{
public:
    CommandLine(QString commandPath, QString description, bool reportsData = true);

    QCommandLineParser &parser() { return m_parser; }
    const QCommandLineParser &parser() const { return m_parser; }
    void addOption(const QCommandLineOption &option) { m_parser.addOption(option); }
    void addPositional(const QString &name, const QString &description, const QString &syntax = {})
    {
        m_parser.addPositionalArgument(name, description, syntax);
    }

    // Parses args (without the program and command names). Returns an exit code when the command
    // should stop now (help printed, or a usage error reported), or -1 to go on.
    int parse(const QStringList &args, CliOutput &out);

    QString helpHint() const { return QStringLiteral("anthology ") + m_commandPath + QStringLiteral(" --help"); }
    QString value(const QString &name) const { return m_parser.value(name); }
    bool isSet(const QString &name) const { return m_parser.isSet(name); }
    QStringList positional() const { return m_parser.positionalArguments(); }

private:
    QString m_commandPath;
    bool m_reportsData;
    QCommandLineParser m_parser;
};

// The project file a command acts on: --project, else $ANTHOLOGY_PROJECT.
QCommandLineOption projectOption();
QString projectPath(const CommandLine &cl);

} // namespace anthology::cli
