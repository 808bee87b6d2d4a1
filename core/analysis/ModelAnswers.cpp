#include "analysis/ModelAnswers.h"

#include <QFile>

#include <csv.h>

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

int keepSpaces(unsigned char)
{
    return 0; // RFC 4180: spaces belong to the field
}

// libcsv's callbacks collect the records; each remembers the line its first field was on.
struct Collector
{
    QList<QList<QByteArray>> rows;
    QList<int> lines;
    QList<QByteArray> current;
    int line = 1;
    int rowLine = 1;

    static void onField(void *data, size_t size, void *self)
    {
        auto *c = static_cast<Collector *>(self);
        if (c->current.isEmpty())
            c->rowLine = c->line;
        c->current.append(QByteArray(static_cast<const char *>(data), qsizetype(size)));
    }
    static void onRow(int, void *self)
    {
        auto *c = static_cast<Collector *>(self);
        c->rows.append(std::move(c->current));
        c->lines.append(c->rowLine);
        c->current.clear();
    }
};

Error errorAt(const QString &path, int line, const QString &key, const QString &message)
{
    return Error::at(path, line, 0, message).withKey(key);
}

} // namespace

int ModelAnswers::option(qsizetype persona, qsizetype question) const
{
    return m_entries.value(key(persona, question)).option;
}

int ModelAnswers::line(qsizetype persona, qsizetype question) const
{
    return m_entries.value(key(persona, question)).line;
}

bool ModelAnswers::add(const QString &persona, const QString &question, int option, int line)
{
    qsizetype p = m_personaIndex.value(persona, -1);
    if (p < 0) {
        p = m_personas.size();
        m_personas.append(persona);
        m_groups.append(QString());
        m_personaIndex.insert(persona, p);
    }
    qsizetype q = m_questionIndex.value(question, -1);
    if (q < 0) {
        q = m_questions.size();
        m_questions.append(question);
        m_questionIndex.insert(question, q);
    }
    const quint64 k = key(p, q);
    if (m_entries.contains(k))
        return false;
    m_entries.insert(k, {option, line});
    return true;
}

void ModelAnswers::setGroup(qsizetype persona, const QString &group)
{
    if (persona >= 0 && persona < m_groups.size()) {
        m_groups[persona] = group;
        m_hasGroups = m_hasGroups || !group.isEmpty();
    }
}

Result<ModelAnswers> ModelAnswers::readCsv(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error::user(u"cannot read the answers file: "_s + file.errorString()).withFile(path);
    QByteArray bytes = file.readAll();
    if (bytes.startsWith("\xEF\xBB\xBF"))
        bytes.remove(0, 3);

    csv_parser parser;
    if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI) != 0)
        return Error::internal(u"cannot initialise the CSV parser"_s);
    csv_set_space_func(&parser, keepSpaces);
    Collector collector;
    qsizetype from = 0;
    while (from < bytes.size()) {
        qsizetype to = bytes.indexOf('\n', from);
        to = to < 0 ? bytes.size() : to + 1;
        const size_t length = size_t(to - from);
        if (csv_parse(&parser, bytes.constData() + from, length, Collector::onField, Collector::onRow,
                      &collector) != length) {
            csv_free(&parser);
            return errorAt(path, collector.line, {},
                           u"a quote inside an unquoted field or text after a closing quote: quote the whole "
                           "field and double every quote inside it"_s);
        }
        ++collector.line;
        from = to;
    }
    const bool finished = csv_fini(&parser, Collector::onField, Collector::onRow, &collector) == 0;
    csv_free(&parser);
    if (!finished)
        return errorAt(path, collector.rowLine, {}, u"the file ends inside a quoted field"_s);

    if (collector.rows.isEmpty())
        return Error::user(u"the answers file is empty; expected a header persona,question,option[,group]"_s)
            .withFile(path);
    const QList<QByteArray> header = collector.rows.first();
    const auto column = [&](const char *name) {
        for (qsizetype i = 0; i < header.size(); ++i)
            if (header[i].trimmed().compare(name, Qt::CaseInsensitive) == 0)
                return i;
        return qsizetype(-1);
    };
    const qsizetype personaCol = column("persona"), questionCol = column("question"),
                    optionCol = column("option"), groupCol = column("group");
    for (const auto &[col, name] : {std::pair{personaCol, "persona"}, std::pair{questionCol, "question"},
                                    std::pair{optionCol, "option"}})
        if (col < 0)
            return errorAt(path, collector.lines.first(), QString::fromLatin1(name),
                           u"the header has no '%1' column; expected persona,question,option[,group]"_s.arg(
                               QString::fromLatin1(name)));

    ModelAnswers answers;
    answers.m_path = path;
    for (qsizetype r = 1; r < collector.rows.size(); ++r) {
        const QList<QByteArray> &row = collector.rows[r];
        const int line = collector.lines[r];
        if (row.size() == 1 && row.first().trimmed().isEmpty())
            continue;
        const QString persona = QString::fromUtf8(row.value(personaCol)).trimmed();
        const QString question = QString::fromUtf8(row.value(questionCol)).trimmed();
        const QByteArray optionText = row.value(optionCol).trimmed();
        if (persona.isEmpty())
            return errorAt(path, line, u"persona"_s, u"expected a persona id, got an empty field"_s);
        if (question.isEmpty())
            return errorAt(path, line, u"question"_s, u"expected a question id, got an empty field"_s);
        int option = nonCompliant;
        if (!optionText.isEmpty()) {
            bool ok = false;
            option = optionText.toInt(&ok);
            if (!ok || option < 1)
                return errorAt(
                    path, line, u"option"_s,
                    u"expected a choice number 1..K, or an empty field for a non-compliant answer, "
                    "got '%1'"_s.arg(QString::fromUtf8(optionText)));
        }
        if (!answers.add(persona, question, option, line))
            return errorAt(path, line, u"question"_s,
                           u"persona '%1' already has an answer to %2 (line %3)"_s.arg(persona, question)
                               .arg(answers.line(answers.m_personaIndex.value(persona),
                                                 answers.m_questionIndex.value(question))));
        if (groupCol >= 0) {
            const qsizetype p = answers.m_personaIndex.value(persona);
            const QString group = QString::fromUtf8(row.value(groupCol)).trimmed();
            const QString previous = answers.group(p);
            if (!previous.isEmpty() && !group.isEmpty() && previous != group)
                return errorAt(path, line, u"group"_s,
                               u"persona '%1' is in group '%2' on an earlier line; expected one group per "
                               "persona, got '%3'"_s.arg(persona, previous, group));
            if (!group.isEmpty())
                answers.setGroup(p, group);
        }
    }
    if (answers.m_personas.isEmpty())
        return Error::user(u"the answers file has a header but no answers"_s).withFile(path);
    return answers;
}

} // namespace anthology
