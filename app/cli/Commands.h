#pragma once

#include "backstories/BackstoryFormat.h"

#include <QStringList>

#include <optional>

namespace anthology::cli {

class CliOutput;

// A command group of the `anthology` program: `anthology <name> <subcommand> [args]`.
struct CommandGroup
{
    const char *name;
    const char *summary;
    int (*run)(const QStringList &args, CliOutput &out);
};

int runProject(const QStringList &args, CliOutput &out);
int runBackstories(const QStringList &args, CliOutput &out);
int runConfig(const QStringList &args, CliOutput &out);
int runPrompt(const QStringList &args, CliOutput &out);
int runData(const QStringList &args, CliOutput &out);
int runAnalyze(const QStringList &args, CliOutput &out);
int runRun(const QStringList &args, CliOutput &out);
int runLlm(const QStringList &args, CliOutput &out);
int runMatch(const QStringList &args, CliOutput &out);
int runSurvey(const QStringList &args, CliOutput &out);
int runExport(const QStringList &args, CliOutput &out);
int runGenerate(const QStringList &args, CliOutput &out);
int runStudy(const QStringList &args, CliOutput &out);
int runFigures(const QStringList &args, CliOutput &out);
// `anthology figures ...`: builds its own (offscreen GUI) application, so main() calls it first.
int runFiguresProgram(int argc, char **argv);

// Dispatches `args[0]` to one of `subcommands` ({name, summary, function}); prints the group's help.
struct Subcommand
{
    const char *name;
    const char *summary;
    int (*run)(const QStringList &args, CliOutput &out);
};
int dispatch(const char *group, const QList<Subcommand> &subcommands, const QStringList &args,
             CliOutput &out);

// csv, jsonl or txt, as --format takes them (backstories import/export, export backstories).
std::optional<BackstoryFormat> backstoryFormatFromName(const QString &name);

} // namespace anthology::cli
