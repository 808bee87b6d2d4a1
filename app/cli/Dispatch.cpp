#include "CliOutput.h"
#include "Commands.h"

using namespace Qt::StringLiterals;

namespace anthology::cli {

int dispatch(const char *group, const QList<Subcommand> &subcommands, const QStringList &args, CliOutput &out)
{
    const QString groupName = QString::fromLatin1(group);
    if (args.isEmpty() || args.first() == u"--help"_s || args.first() == u"-h"_s || args.first() == u"help"_s) {
        QTextStream &stream = args.isEmpty() ? out.err() : out.out();
        stream << "Usage: anthology " << groupName << " <command> [options]\n\nCommands:\n";
        for (const Subcommand &s : subcommands)
            stream << "  " << QString::fromLatin1(s.name).leftJustified(14) << QString::fromUtf8(s.summary) << '\n';
        stream << "\nRun 'anthology " << groupName << " <command> --help' for a command's options.\n";
        stream.flush();
        return args.isEmpty() ? ExitUserError : ExitOk;
    }
    for (const Subcommand &s : subcommands) {
        if (args.first() == QLatin1StringView(s.name))
            return s.run(args.mid(1), out);
    }
    return out.usage(u"unknown command '"_s + groupName + u' ' + args.first() + u"'"_s,
                     u"anthology "_s + groupName + u" --help"_s);
}

} // namespace anthology::cli
