#pragma once

#include <QByteArray>
#include <QString>

class QAbstractItemModel;

namespace anthology::ui {

// A results table as it is shown (display text, header included): TSV for the clipboard, CSV
// (RFC 4180) for files and a LaTeX booktabs tabular for papers.
class TableExport final
{
public:
    static QString tsv(const QAbstractItemModel &model);
    static QByteArray csv(const QAbstractItemModel &model);
    static QString latex(const QAbstractItemModel &model, const QString &caption = {});
};

} // namespace anthology::ui
