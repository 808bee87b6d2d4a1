#include "CliOutput.h"
#include "Commands.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;
using namespace anthology::cli;

namespace {

const CommandGroup kGroups[] = {
    {"project", "Create a project file and describe it", runProject},
    {"backstories", "Import, export, list, search, show and edit backstories", runBackstories},
    {"data", "Import, list and describe human survey data; write synthetic data", runData},
    {"generate", "Generate backstories with an LLM (natural or demographics-primed)", runGenerate},
    {"survey", "Survey persona sets (matched, backstories) and respondent baselines", runSurvey},
    {"match", "Match personas to a data set's respondents; store the match and its persona sets", runMatch},
    {"study", "The paper's 11-run comparison from one config, resumable, with its table", runStudy},
    {"analyze", "Compare model answers with the weighted human answers of a data set", runAnalyze},
    {"export", "Export answers (CSV, SPSS .sav, JSONL), requests, backstories and study tables", runExport},
    {"run", "Run surveys against an LLM; list, resume, cancel and retry runs", runRun},
    {"llm", "Check an LLM server (models, latency, supported features)", runLlm},
    {"config", "Resolve configs (reference layout, defaults list, overrides)", runConfig},
    {"prompt", "Preview the exact prompts of a survey and parse answers", runPrompt},
#ifdef ANTHOLOGY_HAVE_FIGURES
    {"figures", "Draw the Results figures (PDF, SVG, PNG) with a manifest, offscreen", runFigures},
#else
    {"figures", "Draw the Results figures: not built in (ANTHOLOGY_BUILD_GUI=OFF)", runFigures},
#endif
};

int printHelp(CliOutput &out, int code)
{
    // Asked-for help goes to stdout; help shown because the command was incomplete is an error.
    QTextStream &stream = code == ExitOk ? out.out() : out.err();
    stream << "Usage: anthology <group> <command> [options]\n\n"
              "Anthology Workbench command line: LLM personas from backstories, measured against\n"
              "real survey respondents. Every command takes --help; data commands take --json.\n"
              "Exit status: 0 ok, 1 user error, 2 internal error.\n\nGroups:\n";
    for (const CommandGroup &g : kGroups)
        stream << "  " << QString::fromLatin1(g.name).leftJustified(14) << QString::fromUtf8(g.summary)
               << '\n';
    stream << "\nOptions:\n  --help        Show this help.\n  --version     Show the program version.\n";
    stream.flush();
    return code;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc > 1 && qstrcmp(argv[1], "figures") == 0) // needs a QApplication of its own
        return runFiguresProgram(argc, argv);
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"anthology"_s);
    QCoreApplication::setOrganizationName(u"Anthology Workbench"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(ANTHOLOGY_VERSION));

    CliOutput out;
    const QStringList args = QCoreApplication::arguments().mid(1);
    if (args.isEmpty())
        return printHelp(out, ExitUserError);
    const QString first = args.first();
    if (first == u"--help"_s || first == u"-h"_s || first == u"help"_s)
        return printHelp(out, ExitOk);
    if (first == u"--version"_s) {
        out.out() << "anthology " << QCoreApplication::applicationVersion() << Qt::endl;
        return ExitOk;
    }
    for (const CommandGroup &g : kGroups) {
        if (first == QLatin1StringView(g.name))
            return g.run(args.mid(1), out);
    }
    return out.usage(u"unknown command group '"_s + first + u"'"_s, u"anthology --help"_s);
}
