#include "CliOutput.h"
#include "CommandLine.h"
#include "Commands.h"
#include "ConfigArguments.h"

#include "config/ConfigSchema.h"
#include "config/ResolvedConfig.h"
#include "config/SurveyConfig.h"
#include "pipeline/PromptPreview.h"
#include "pipeline/StepRequests.h"
#include "run/GeneratePlan.h"
#include "project/ProjectFile.h"
#include "prompt/AnswerParser.h"
#include "prompt/DemographicPromptBuilder.h"
#include "prompt/OptionOrder.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

using namespace Qt::StringLiterals;

namespace anthology::cli {

namespace {

// The config the command line names, resolved and read as a survey config (warnings printed).
Result<StepRequests::StepConfig> loadSurvey(const CommandLine &cl, CliOutput &out,
                                            const std::optional<QStringList> &overrides = std::nullopt)
{
    auto loaded = loadConfig(cl, overrides);
    if (!loaded)
        return loaded.error();
    auto survey = ConfigSchema::survey(*loaded);
    if (!survey)
        return survey.error();
    printWarnings(out, loaded->warnings() + survey->warnings);
    return StepRequests::StepConfig{std::move(*loaded), std::move(*survey)};
}

int preview(const QStringList &args, CliOutput &out)
{
    CommandLine cl(
        u"prompt preview"_s,
        u"Print every prompt (or chat message list) that a survey run would send for one backstory, "
        "in order, byte for byte. Asked in series, each prompt holds the answers before it: the "
        "preview puts --answer there. A generate_backstory config shows its first story's prompts "
        "(the preamble, then the story)."_s);
    addConfigOptions(cl);
    cl.addOption(projectOption());
    cl.addOption(
        QCommandLineOption(u"backstory"_s, u"The backstory's uid (none: an empty passage)."_s, u"uid"_s));
    cl.addOption(QCommandLineOption(u"personas"_s,
                                    u"A persona set (as survey atp personas=SET): --backstory names one of its "
                                    "members, whose passage is the set's (traits appended, or a respondent's)."_s,
                                    u"set"_s));
    cl.addOption(QCommandLineOption(u"answer"_s,
                                    u"Stands in for each answer in series; {id} is the question id "
                                    "(default: \" <answer to {id}>\")."_s,
                                    u"text"_s, u" <answer to {id}>"_s));
    if (int code = cl.parse(args, out); code >= 0)
        return code;
    auto loaded = loadSurvey(cl, out);
    if (!loaded)
        return out.fail(loaded.error());
    const SurveyConfig &config = loaded->survey;
    PromptPreview::Request request;
    request.answerTemplate = cl.value(u"answer"_s);
    Result<QList<PreviewPrompt>> previewed = QList<PreviewPrompt>();
    const bool story = config.hasSelfGenerate && !config.hasQuestionnaire && !config.hasDemographics;
    if (story) {
        // The plan reads the project only for a demographics-primed story's data set.
        const QString given = projectPath(cl);
        QTemporaryDir scratch;
        auto project = given.isEmpty() ? ProjectFile::create(scratch.filePath(u"preview.anthology"_s))
                                       : ProjectFile::open(given, ProjectFile::Mode::ReadOnly);
        if (!project)
            return out.fail(project.error());
        request.persona = GeneratePlan::storyKey(0);
        previewed = PromptPreview::story(**project, config, StepRequests::generate(*loaded, {}, false),
                                         request.answerTemplate);
    } else if (cl.isSet(u"backstory"_s)) {
        const QString path = projectPath(cl);
        if (path.isEmpty())
            return out.usage(u"--backstory needs a project: pass --project FILE or set ANTHOLOGY_PROJECT"_s,
                             cl.helpHint());
        auto project = ProjectFile::open(path, ProjectFile::Mode::ReadOnly);
        if (!project)
            return out.fail(project.error());
        auto persona = PromptPreview::forPersona(**project, cl.value(u"personas"_s), cl.value(u"backstory"_s));
        if (!persona)
            return out.fail(persona.error());
        persona->answerTemplate = request.answerTemplate;
        request = *persona;
    } else if (cl.isSet(u"personas"_s)) {
        return out.usage(u"--personas needs --backstory KEY: the member to preview"_s, cl.helpHint());
    }
    const QString persona = request.persona;
    if (!story)
        previewed = PromptPreview::prompts(config, request);
    if (!previewed)
        return out.fail(previewed.error());
    const QList<PreviewPrompt> &prompts = *previewed;
    if (out.json()) {
        QJsonArray items;
        for (const PreviewPrompt &p : std::as_const(prompts)) {
            QJsonObject o{{u"key"_s, p.key}};
            if (p.text.messages.isEmpty())
                o.insert(u"prompt"_s, p.text.prompt);
            else
                o.insert(u"messages"_s, QJsonDocument::fromJson(PromptPreview::text(p).toUtf8()).array());
            if (!p.optionOrder.isEmpty()) {
                QJsonArray order;
                for (int i : p.optionOrder)
                    order.append(i);
                o.insert(u"option_order"_s, order);
            }
            items.append(o);
        }
        out.printJson(QJsonObject{{u"persona"_s, persona}, {u"prompts"_s, items}});
        return ExitOk;
    }
    for (int i = 0; i < prompts.size(); ++i) {
        const PreviewPrompt &p = prompts[i];
        out.out() << "=== prompt " << (i + 1) << " of " << prompts.size() << ": " << p.key << " ===\n";
        out.out() << PromptPreview::text(p);
        if (p.text.messages.isEmpty())
            out.out() << '\n';
    }
    out.out().flush();
    return ExitOk;
}

Result<QList<int>> parseOrder(const QString &text)
{
    QList<int> order;
    if (text.isEmpty())
        return order;
    const QStringList parts = text.split(u',');
    for (const QString &part : parts) {
        bool ok = false;
        const int v = part.trimmed().toInt(&ok);
        if (!ok)
            return Error::user(u"--order expects comma-separated option indices such as 3,2,1,0; got '"_s +
                               text + u"'"_s);
        order.append(v);
    }
    return order;
}

int parse(const QStringList &args, CliOutput &out)
{
    CommandLine cl(u"prompt parse"_s,
                   u"Parse answer texts as a run would: the option each names, or non-compliant and why."_s);
    addConfigOptions(cl);
    cl.addOption(
        QCommandLineOption(u"question"_s, u"The question id (or demographic trait key)."_s, u"id"_s));
    cl.addOption(QCommandLineOption(
        u"order"_s, u"The shown order as original indices, e.g. 3,2,1,0 (default: as written)."_s,
        u"order"_s));
    cl.addOption(QCommandLineOption(u"personas"_s,
                                    u"A persona set (as survey atp personas=SET): --backstory names one of its "
                                    "members, whose passage is the set's (traits appended, or a respondent's)."_s,
                                    u"set"_s));
    cl.addOption(QCommandLineOption(u"answer"_s, u"An answer text to parse (repeatable)."_s, u"text"_s));
    if (int code = cl.parse(args, out); code >= 0)
        return code;
    if (!cl.isSet(u"question"_s))
        return out.usage(u"--question is required"_s, cl.helpHint());
    // Positionals after the name that are not overrides (no '=' and no leading '~') are answers too.
    QStringList overrides;
    QStringList answers = cl.parser().values(u"answer"_s);
    const QStringList positional = cl.positional();
    for (qsizetype i = 1; i < positional.size(); ++i) {
        const QString &arg = positional[i];
        if (arg.contains(u'=') || arg.startsWith(u'~'))
            overrides.append(arg);
        else
            answers.append(arg);
    }
    auto loaded = loadSurvey(cl, out, overrides);
    if (!loaded)
        return out.fail(loaded.error());
    const SurveyConfig &config = loaded->survey;
    auto pattern = parseOrder(cl.value(u"order"_s));
    if (!pattern)
        return out.fail(pattern.error());

    const QString id = cl.value(u"question"_s);
    QStringList choices;
    SymbolSet symbols = SymbolSet::Uppercase; // ATP questions always show (A) lines
    if (const Question *q = config.questionnaire.find(id)) {
        choices = q->choices;
    } else {
        for (const DemographicQuestion &trait : std::as_const(config.demographics.traits)) {
            if (trait.key == id) {
                DemographicPromptBuilder builder(config.format, config.run.includeAnswerForcing,
                                                 config.run.usePreferNotToAnswer);
                choices = builder.shownChoices(trait);
                symbols = config.format.symbol;
            }
        }
    }
    if (choices.isEmpty())
        return out.fail(
            Error::user(u"no question or trait '"_s + id + u"' in config '"_s + positional.first() + u"'"_s));
    OptionOrder order(int(choices.size()));
    if (!pattern->isEmpty()) {
        auto fromPattern = OptionOrder::fromPattern(*pattern);
        if (!fromPattern)
            return out.fail(fromPattern.error());
        if (fromPattern->size() != choices.size())
            return out.fail(
                Error::user(u"--order names %1 options but question '%2' has %3"_s.arg(fromPattern->size())
                                .arg(id)
                                .arg(choices.size())));
        order = *fromPattern;
    }
    AnswerParser parser(order.apply(choices), {symbols, config.run.textRule, config.run.labelMatch}, order);
    QJsonArray items;
    QList<QStringList> rows;
    for (const QString &answer : std::as_const(answers)) {
        const ParsedAnswer parsed = parser.parse(answer);
        QJsonObject o{{u"answer"_s, answer}, {u"compliant"_s, parsed.compliant}};
        if (parsed.compliant) {
            o.insert(u"option"_s, parsed.option + 1);
            o.insert(u"label"_s, choices[parsed.option]);
        } else {
            o.insert(u"reason"_s, parsed.reason);
        }
        items.append(o);
        rows.append({answer, parsed.compliant ? QString::number(parsed.option + 1) : u"-"_s,
                     parsed.compliant ? choices[parsed.option] : u"non-compliant: "_s + parsed.reason});
    }
    if (out.json())
        out.printJson(QJsonObject{{u"question"_s, id}, {u"results"_s, items}});
    else
        out.printTable({u"answer"_s, u"option"_s, u"parsed as"_s}, rows);
    return ExitOk;
}

} // namespace

int runPrompt(const QStringList &args, CliOutput &out)
{
    return dispatch("prompt",
                    {{"preview", "Print every prompt a survey run would send for a backstory", preview},
                     {"parse", "Parse answer texts into options, or say why they are non-compliant", parse}},
                    args, out);
}

} // namespace anthology::cli
