#include "run/RunAnswers.h"

#include "run/FinalAnswerQuery.h"

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

QByteArray csvField(const QString &text)
{
    QByteArray utf8 = text.toUtf8();
    if (utf8.contains(',') || utf8.contains('"') || utf8.contains('\n') || utf8.contains('\r'))
        return '"' + utf8.replace("\"", "\"\"") + '"';
    return utf8;
}

} // namespace

Result<ModelAnswers> RunAnswers::load(const ProjectFile &project, qint64 runId, int sample)
{
    FinalAnswerQuery query(project, runId, sample);
    ModelAnswers answers;
    FinalItem item;
    while (true) {
        Result<bool> row = query.next(item);
        if (!row)
            return row.error();
        if (!*row)
            return answers;
        if (item.done)
            answers.add(item.persona, item.question,
                        item.option > 0 ? item.option : ModelAnswers::nonCompliant);
    }
}

Result<QByteArray> RunAnswers::toCsv(const ProjectFile &project, qint64 runId, int sample)
{
    FinalAnswerQuery query(project, runId, sample);
    QByteArray csv = "persona,question,option\n";
    FinalItem item;
    while (true) {
        Result<bool> row = query.next(item);
        if (!row)
            return row.error();
        if (!*row)
            return csv;
        if (!item.done)
            continue;
        csv += csvField(item.persona) + ',' + csvField(item.question) + ',' +
               (item.option > 0 ? QByteArray::number(item.option) : QByteArray()) + '\n';
    }
}

} // namespace anthology
