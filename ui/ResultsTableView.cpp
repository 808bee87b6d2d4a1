#include "ResultsTableView.h"

#include "charts/TableExport.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QFileDialog>
#include <QHeaderView>
#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace anthology::ui {

ResultsTableView::ResultsTableView(QWidget *parent) : QTableView(parent)
{
    setAlternatingRowColors(true);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setWordWrap(false);
    verticalHeader()->hide();
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    setContextMenuPolicy(Qt::ActionsContextMenu);
    auto *copy = new QAction(tr("Copy Table (TSV)"), this);
    copy->setShortcut(QKeySequence::Copy);
    copy->setShortcutContext(Qt::WidgetShortcut);
    connect(copy, &QAction::triggered, this, &ResultsTableView::copyTsv);
    auto *csv = new QAction(tr("Export as CSV..."), this);
    connect(csv, &QAction::triggered, this, [this] { exportFile(false); });
    auto *latex = new QAction(tr("Export as LaTeX (booktabs)..."), this);
    connect(latex, &QAction::triggered, this, [this] { exportFile(true); });
    addActions({copy, csv, latex});
}

void ResultsTableView::copyTsv()
{
    if (model())
        QApplication::clipboard()->setText(TableExport::tsv(*model()));
}

void ResultsTableView::exportFile(bool latex)
{
    if (!model())
        return;
    const QString path = QFileDialog::getSaveFileName(this, latex ? tr("Export LaTeX Table") : tr("Export CSV"),
                                                      latex ? u"table.tex"_s : u"table.csv"_s,
                                                      latex ? tr("LaTeX (*.tex)") : tr("CSV (*.csv)"));
    if (path.isEmpty())
        return;
    const QByteArray bytes = latex ? TableExport::latex(*model(), m_caption).toUtf8() : TableExport::csv(*model());
    QSaveFile file(path);
    const bool ok = file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size() && file.commit();
    Q_EMIT exported(path, ok, ok ? QString() : file.errorString());
}

} // namespace anthology::ui
