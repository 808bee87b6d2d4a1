#include "export/AnswerCsvExporter.h"

#include "export/FinalAnswerCursor.h"
#include "export/RunItemCursor.h"
#include "export/RunQuestionnaire.h"
#include "util/CsvWriter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

QString optionalNumber(const std::optional<qint64> &v)
{
    return v ? QString::number(*v) : QString();
}

Error writeError(const QSaveFile &file, const QString &path)
{
    return Error::user(u"cannot write the export: %1"_s.arg(file.errorString())).withFile(path);
}

Status commit(QSaveFile &file, const QString &path)
{
    if (!file.commit())
        return writeError(file, path);
    return {};
}

} // namespace

Result<qint64> AnswerCsvExporter::writeLong(const ProjectFile &project, qint64 runId, const QString &path)
{
    Result<RunQuestionnaire> run = RunQuestionnaire::load(project, runId);
    if (!run)
        return run.error();
    Result<bool> logprobs = RunItemCursor::hasLogprobs(project, runId);
    if (!logprobs)
        return logprobs.error();
    qsizetype k = 0;
    for (const Question &q : run->questionnaire.questions)
        k = std::max(k, q.choices.size());

    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return writeError(file, path);
    CsvWriter csv(file);
    QStringList header{u"run"_s,           u"item"_s,
                       u"persona"_s,       u"persona_revision"_s,
                       u"question"_s,      u"position"_s,
                       u"sample"_s,        u"base_sample"_s,
                       u"reask"_s,         u"state"_s,
                       u"raw_answer"_s,    u"option"_s,
                       u"label"_s,         u"compliant"_s,
                       u"attempts"_s,      u"latency_ms"_s,
                       u"prompt_tokens"_s, u"completion_tokens"_s,
                       u"cost"_s,          u"error"_s,
                       u"from_cache"_s};
    if (*logprobs) {
        header.append(u"logprobs"_s);
        for (qsizetype i = 1; i <= k; ++i)
            header.append(u"p_%1"_s.arg(i));
    }
    csv.writeRow(header);

    const QString runText = QString::number(runId);
    RunItemCursor cursor(project, runId, false);
    ExportedItem item;
    qint64 rows = 0;
    while (true) {
        Result<bool> more = cursor.next(item);
        if (!more)
            return more.error();
        if (!*more)
            break;
        const std::optional<int> option = item.option();
        QStringList row{runText,
                        QString::number(item.id),
                        item.persona,
                        QString::number(item.personaRevision),
                        item.question,
                        QString::number(item.position),
                        QString::number(item.sample),
                        QString::number(item.baseSample),
                        QString::number(item.reask),
                        item.state,
                        item.rawAnswer,
                        option ? QString::number(*option) : QString(),
                        item.parsedAnswer,
                        item.compliant ? (*item.compliant ? u"1"_s : u"0"_s) : QString(),
                        QString::number(item.attempts),
                        optionalNumber(item.latencyMs),
                        optionalNumber(item.promptTokens),
                        optionalNumber(item.completionTokens),
                        item.cost ? QString::number(*item.cost, 'g', 12) : QString(),
                        item.error,
                        item.fromCache ? u"1"_s : u"0"_s};
        if (*logprobs) {
            row.append(QString::fromUtf8(item.logprobs));
            const QJsonArray p =
                item.logprobs.isEmpty()
                    ? QJsonArray()
                    : QJsonDocument::fromJson(item.logprobs).object().value(u"probabilities"_s).toArray();
            for (qsizetype i = 0; i < k; ++i)
                row.append(i < p.size() && p[i].isDouble() ? QString::number(p[i].toDouble(), 'g', 12)
                                                           : QString());
        }
        if (!csv.writeRow(row))
            return writeError(file, path);
        ++rows;
    }
    if (!csv.ok())
        return writeError(file, path);
    if (Status st = commit(file, path); !st)
        return st.error();
    return rows;
}

Result<qint64> AnswerCsvExporter::writeWide(const ProjectFile &project, qint64 runId, const QString &path,
                                            const AnswerExportOptions &options)
{
    Result<RunQuestionnaire> run = RunQuestionnaire::load(project, runId);
    if (!run)
        return run.error();
    for (const Question &q : run->questionnaire.questions)
        if (q.choices.size() >= nonCompliantCode)
            return Error::user(u"question %1 has %2 choices: the code %3 that marks a non-compliant answer "
                               "would be one of them"_s
                                   .arg(q.id)
                                   .arg(q.choices.size())
                                   .arg(nonCompliantCode))
                .withKey(q.id);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return writeError(file, path);
    CsvWriter csv(file);
    QStringList header{u"persona"_s, u"sample"_s};
    for (const Question &q : run->questionnaire.questions)
        header.append(q.id);
    csv.writeRow(header);

    FinalAnswerCursor cursor(project, runId, options.sample);
    FinalAnswerRow answers;
    qint64 rows = 0;
    while (true) {
        Result<bool> more = cursor.next(answers);
        if (!more)
            return more.error();
        if (!*more)
            break;
        QStringList row{answers.persona, QString::number(answers.sample)};
        for (const Question &q : run->questionnaire.questions) {
            const auto it = answers.options.constFind(q.id);
            if (it == answers.options.cend())
                row.append(QString());
            else
                row.append(QString::number(*it > 0 ? *it : nonCompliantCode));
        }
        if (!csv.writeRow(row))
            return writeError(file, path);
        ++rows;
    }
    if (!csv.ok())
        return writeError(file, path);
    if (Status st = commit(file, path); !st)
        return st.error();
    return rows;
}

} // namespace anthology
