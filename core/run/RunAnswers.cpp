#include "run/RunAnswers.h"

#include "project/ProjectFile.h"
#include "project/Statement.h"

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

// The last row of each (persona, question) chain of the base sample, in plan order.
const char *const finalAnswers =
    "SELECT i.persona, i.question, i.state, i.compliant, i.option_index FROM items i "
    "WHERE i.run_id = ?1 AND i.base_sample = ?2 AND i.reask = (SELECT max(j.reask) FROM items j "
    "WHERE j.run_id = i.run_id AND j.persona = i.persona AND j.question = i.question AND "
    "j.base_sample = i.base_sample) ORDER BY i.persona, i.position";

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
    Statement s = project.prepare(finalAnswers);
    s.bind(1, runId).bind(2, sample);
    ModelAnswers answers;
    Status read = s.forEachRow([&](const Statement &row) {
        if (row.columnText(2) != u"done"_s)
            return;
        const bool compliant = row.columnInt(3) != 0 && !row.isNull(4);
        answers.add(row.columnText(0), row.columnText(1),
                    compliant ? row.columnInt(4) + 1 : ModelAnswers::nonCompliant);
    });
    if (!read)
        return read.error();
    return answers;
}

Result<QByteArray> RunAnswers::toCsv(const ProjectFile &project, qint64 runId, int sample)
{
    Statement s = project.prepare(finalAnswers);
    s.bind(1, runId).bind(2, sample);
    QByteArray csv = "persona,question,option\n";
    Status read = s.forEachRow([&](const Statement &row) {
        if (row.columnText(2) != u"done"_s)
            return;
        const bool compliant = row.columnInt(3) != 0 && !row.isNull(4);
        csv += csvField(row.columnText(0)) + ',' + csvField(row.columnText(1)) + ',' +
               (compliant ? QByteArray::number(row.columnInt(4) + 1) : QByteArray()) + '\n';
    });
    if (!read)
        return read.error();
    return csv;
}

} // namespace anthology
