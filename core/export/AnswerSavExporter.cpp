#include "export/AnswerSavExporter.h"

#include "data/SavWriter.h"
#include "export/FinalAnswerCursor.h"
#include "export/RunQuestionnaire.h"

#include <QSet>

#include <cmath>
#include <limits>
#include <vector>

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

constexpr int maxNameBytes = 64;
constexpr int maxVariableLabelBytes = 255;
constexpr int maxValueLabelBytes = 120;
constexpr int maxFileLabelBytes = 64;

// At most `bytes` bytes of UTF-8, never splitting a character.
QString truncatedUtf8(const QString &text, int bytes)
{
    QString out = text;
    while (out.toUtf8().size() > bytes)
        out.chop(out.size() >= 2 && out.at(out.size() - 1).isLowSurrogate() ? 2 : 1);
    return out;
}

bool isReserved(const QString &name)
{
    static const QSet<QString> reserved{u"ALL"_s, u"AND"_s, u"BY"_s,  u"EQ"_s, u"GE"_s, u"GT"_s,  u"LE"_s,
                                        u"LT"_s,  u"NE"_s,  u"NOT"_s, u"OR"_s, u"TO"_s, u"WITH"_s};
    return reserved.contains(name.toUpper());
}

} // namespace

QString AnswerSavExporter::spssName(const QString &id)
{
    QString name;
    for (const QChar c : id) {
        const bool ok =
            (c.unicode() < 0x80 && (c.isLetterOrNumber() || c == u'_' || c == u'.' || c == u'@')) ||
            (c.unicode() >= 0x80 && c.isLetterOrNumber());
        name.append(ok ? c : u'_');
    }
    if (name.isEmpty() || !(name.at(0).isLetter() || name.at(0) == u'@'))
        name.prepend(u'Q');
    while (name.endsWith(u'.'))
        name.chop(1), name.append(u'_');
    if (isReserved(name))
        name.append(u'_');
    return truncatedUtf8(name, maxNameBytes);
}

Result<Dataset> AnswerSavExporter::dataset(const ProjectFile &project, qint64 runId,
                                           const AnswerExportOptions &options)
{
    Result<RunQuestionnaire> run = RunQuestionnaire::load(project, runId);
    if (!run)
        return run.error();
    const QList<Question> &questions = run->questionnaire.questions;
    for (const Question &q : questions)
        if (q.choices.size() >= nonCompliantCode)
            return Error::user(u"question %1 has %2 choices: the code %3 that marks a non-compliant answer "
                               "would be one of them"_s.arg(q.id)
                                   .arg(q.choices.size())
                                   .arg(nonCompliantCode))
                .withKey(q.id);
    const int sample = options.sample.value_or(0);

    QStringList personas;
    std::vector<std::vector<double>> columns(static_cast<size_t>(questions.size()));
    FinalAnswerCursor cursor(project, runId, sample);
    FinalAnswerRow row;
    while (true) {
        Result<bool> more = cursor.next(row);
        if (!more)
            return more.error();
        if (!*more)
            break;
        personas.append(row.persona);
        for (qsizetype q = 0; q < questions.size(); ++q) {
            const auto it = row.options.constFind(questions[q].id);
            const double value = it == row.options.cend() ? std::numeric_limits<double>::quiet_NaN()
                                 : *it > 0                ? double(*it)
                                                          : double(nonCompliantCode);
            columns[static_cast<size_t>(q)].push_back(value);
        }
    }

    Dataset ds;
    ds.setFormat(DatasetFormat::Sav);
    ds.setFileLabel(
        truncatedUtf8(u"Anthology run %1 (%2)"_s.arg(runId).arg(run->run.name), maxFileLabelBytes));
    QSet<QString> used; // upper-cased, as SPSS compares names
    const auto unique = [&used](QString name) {
        QString candidate = name;
        for (int n = 2; used.contains(candidate.toUpper()); ++n) {
            const QString suffix = u"_%1"_s.arg(n);
            candidate = truncatedUtf8(name, maxNameBytes - int(suffix.size())) + suffix;
        }
        used.insert(candidate.toUpper());
        return candidate;
    };

    Variable persona;
    persona.name = unique(u"persona"_s);
    persona.label = u"Persona (backstory uid)"_s;
    persona.type = VariableType::String;
    const qsizetype personaColumn = ds.addVariable(persona);
    for (const Question &q : questions) {
        Variable v;
        v.name = unique(spssName(q.id));
        QString label = q.body.isEmpty() ? q.id : q.body;
        if (v.name != q.id)
            label = q.id + u": "_s + label;
        v.label = truncatedUtf8(label.simplified(), maxVariableLabelBytes);
        for (qsizetype k = 0; k < q.choices.size(); ++k)
            v.valueLabels.append({double(k + 1), QString(), truncatedUtf8(q.choices[k], maxValueLabelBytes)});
        v.valueLabels.append({double(nonCompliantCode), QString(), u"Non-compliant"_s});
        v.missingValues.append(nonCompliantCode);
        ds.addVariable(v);
    }
    ds.setRowCount(personas.size());
    ds.stringColumnRef(personaColumn) = personas;
    for (qsizetype q = 0; q < questions.size(); ++q)
        ds.numericColumnRef(personaColumn + 1 + q) = std::move(columns[static_cast<size_t>(q)]);
    return ds;
}

Result<qint64> AnswerSavExporter::write(const ProjectFile &project, qint64 runId, const QString &path,
                                        const AnswerExportOptions &options)
{
    Result<Dataset> ds = dataset(project, runId, options);
    if (!ds)
        return ds.error();
    if (Status st = SavWriter::write(*ds, path); !st)
        return st.error();
    return ds->rowCount();
}

} // namespace anthology
