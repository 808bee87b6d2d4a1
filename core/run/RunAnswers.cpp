#include "run/RunAnswers.h"

#include "project/ProjectFile.h"
#include "run/FinalAnswerQuery.h"
#include "util/CsvWriter.h"

using namespace Qt::StringLiterals;

namespace anthology {

Result<ModelAnswers> RunAnswers::load(const ProjectFile &project, qint64 runId, int sample)
{
    ModelAnswers answers;
    const Status read = FinalAnswerQuery(project, runId, sample).forEach([&answers](const FinalItem &item) {
        add(answers, item);
        return Status();
    });
    if (!read)
        return read.error();
    return answers;
}

void RunAnswers::add(ModelAnswers &answers, const FinalItem &item)
{
    if (item.done)
        answers.add(item.persona, item.question, item.option > 0 ? item.option : ModelAnswers::nonCompliant);
}

Result<QByteArray> RunAnswers::toCsv(const ProjectFile &project, qint64 runId, int sample)
{
    FinalAnswerQuery query(project, runId, sample);
    QByteArray csv = CsvWriter::row(QStringList{u"persona"_s, u"question"_s, u"option"_s});
    FinalItem item;
    while (true) {
        Result<bool> row = query.next(item);
        if (!row)
            return row.error();
        if (!*row)
            return csv;
        if (!item.done)
            continue;
        csv += CsvWriter::row(QStringList{item.persona, item.question,
                                          item.option > 0 ? QString::number(item.option) : QString()});
    }
}

} // namespace anthology
