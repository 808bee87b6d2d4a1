#include "run/RunAnswers.h"

#include "project/ProjectFile.h"
#include "project/Statement.h"
#include "util/CsvWriter.h"

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

// The last row of each (persona, question) chain of the base sample, in plan order.
const char *const finalAnswers =
    "SELECT i.persona, i.question, i.state, i.compliant, i.option_index FROM items i "
    "WHERE i.run_id = ?1 AND i.base_sample = ?2 AND i.reask = (SELECT max(j.reask) FROM items j "
    "WHERE j.run_id = i.run_id AND j.persona = i.persona AND j.question = i.question AND "
    "j.base_sample = i.base_sample) ORDER BY i.persona, i.position";

} // namespace

Result<ModelAnswers> RunAnswers::load(const ProjectFile &project, qint64 runId, int sample)
{
    Statement s = project.prepare(finalAnswers);
    s.bind(1, runId).bind(2, sample);
    ModelAnswers answers;
    while (true) {
        Result<bool> row = s.step();
        if (!row)
            return row.error();
        if (!*row)
            return answers;
        if (s.columnText(2) != u"done"_s)
            continue;
        const bool compliant = s.columnInt(3) != 0 && !s.isNull(4);
        answers.add(s.columnText(0), s.columnText(1),
                    compliant ? s.columnInt(4) + 1 : ModelAnswers::nonCompliant);
    }
}

Result<QByteArray> RunAnswers::toCsv(const ProjectFile &project, qint64 runId, int sample)
{
    Statement s = project.prepare(finalAnswers);
    s.bind(1, runId).bind(2, sample);
    QByteArray csv = CsvWriter::row(QStringList{u"persona"_s, u"question"_s, u"option"_s});
    while (true) {
        Result<bool> row = s.step();
        if (!row)
            return row.error();
        if (!*row)
            return csv;
        if (s.columnText(2) != u"done"_s)
            continue;
        const bool compliant = s.columnInt(3) != 0 && !s.isNull(4);
        csv += CsvWriter::row(QStringList{s.columnText(0), s.columnText(1),
                                          compliant ? QString::number(s.columnInt(4) + 1) : QString()});
    }
}

} // namespace anthology
