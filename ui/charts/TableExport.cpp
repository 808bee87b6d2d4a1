#include "charts/TableExport.h"

#include "util/CsvWriter.h"

#include <QAbstractItemModel>
#include <QStringList>

using namespace Qt::StringLiterals;

namespace anthology::ui {

namespace {

QList<QStringList> cells(const QAbstractItemModel &model)
{
    QList<QStringList> rows;
    QStringList header;
    for (int c = 0; c < model.columnCount(); ++c)
        header.append(model.headerData(c, Qt::Horizontal, Qt::DisplayRole).toString());
    rows.append(header);
    for (int r = 0; r < model.rowCount(); ++r) {
        QStringList row;
        for (int c = 0; c < model.columnCount(); ++c)
            row.append(model.index(r, c).data(Qt::DisplayRole).toString());
        rows.append(row);
    }
    return rows;
}

QString latexEscape(QString text)
{
    QString out;
    for (QChar ch : text) {
        switch (ch.unicode()) {
        case '\\': out += u"\\textbackslash{}"_s; break;
        case '&': case '%': case '$': case '#': case '_': case '{': case '}':
            out += u'\\';
            out += ch;
            break;
        case '~': out += u"\\textasciitilde{}"_s; break;
        case '^': out += u"\\textasciicircum{}"_s; break;
        default: out += ch;
        }
    }
    return out;
}

bool numeric(const QString &text)
{
    bool ok = false;
    text.toDouble(&ok);
    return ok || text.startsWith(u'[');
}

} // namespace

QString TableExport::tsv(const QAbstractItemModel &model)
{
    QString out;
    for (QStringList row : cells(model)) {
        for (QString &cell : row)
            cell.replace(u'\t', u' ').replace(u'\n', u' ');
        out += row.join(u'\t') + u'\n';
    }
    return out;
}

QByteArray TableExport::csv(const QAbstractItemModel &model)
{
    QByteArray out;
    for (const QStringList &row : cells(model))
        out += CsvWriter::row(row);
    return out;
}

QString TableExport::latex(const QAbstractItemModel &model, const QString &caption)
{
    const QList<QStringList> rows = cells(model);
    // Columns whose every cell is a number are right-aligned, the rest left.
    QString spec;
    for (int c = 0; c < model.columnCount(); ++c) {
        bool allNumbers = model.rowCount() > 0;
        for (qsizetype r = 1; r < rows.size(); ++r)
            allNumbers = allNumbers && (rows[r][c].isEmpty() || rows[r][c] == u"-"_s || numeric(rows[r][c]));
        spec += allNumbers ? u'r' : u'l';
    }
    QString out = u"\\begin{table}\n\\centering\n"_s;
    if (!caption.isEmpty())
        out += u"\\caption{"_s + latexEscape(caption) + u"}\n"_s;
    out += u"\\begin{tabular}{"_s + spec + u"}\n\\toprule\n"_s;
    for (qsizetype r = 0; r < rows.size(); ++r) {
        QStringList escaped;
        for (const QString &cell : rows[r])
            escaped.append(latexEscape(cell));
        out += escaped.join(u" & "_s) + u" \\\\\n"_s;
        if (r == 0)
            out += u"\\midrule\n"_s;
    }
    out += u"\\bottomrule\n\\end{tabular}\n\\end{table}\n"_s;
    return out;
}

} // namespace anthology::ui
