#include "BackstoryTablePrefetcher.h"

#include "BackstoryCellDelegate.h"

#include <QAbstractItemModel>
#include <QElapsedTimer>
#include <QHeaderView>
#include <QScrollBar>
#include <QTableView>

namespace anthology::ui {

BackstoryTablePrefetcher::BackstoryTablePrefetcher(QTableView *view, BackstoryCellDelegate *delegate)
    : QObject(view), m_view(view), m_delegate(delegate)
{
    m_timer.setInterval(0);
    connect(&m_timer, &QTimer::timeout, this, &BackstoryTablePrefetcher::prepareSome);
    connect(view->verticalScrollBar(), &QScrollBar::valueChanged, this, &BackstoryTablePrefetcher::restart);
    connect(view->verticalScrollBar(), &QScrollBar::rangeChanged, this, &BackstoryTablePrefetcher::restart);
    connect(view->horizontalHeader(), &QHeaderView::sectionResized, this, &BackstoryTablePrefetcher::restart);
    if (QAbstractItemModel *model = view->model()) {
        connect(model, &QAbstractItemModel::modelReset, this, &BackstoryTablePrefetcher::restart);
        connect(model, &QAbstractItemModel::layoutChanged, this, &BackstoryTablePrefetcher::restart);
        connect(model, &QAbstractItemModel::rowsInserted, this, &BackstoryTablePrefetcher::restart);
    }
}

void BackstoryTablePrefetcher::restart()
{
    m_planned = false;
    m_timer.start(kSettleMs);
}

void BackstoryTablePrefetcher::planRows()
{
    m_planned = true;
    m_rows.clear();
    m_next = 0;
    const int rows = m_view->model() ? m_view->model()->rowCount() : 0;
    const int first = m_view->rowAt(0);
    if (rows == 0 || first < 0)
        return;
    int last = m_view->rowAt(m_view->viewport()->height() - 1);
    if (last < 0)
        last = rows - 1;
    const int screen = last - first + 1;
    for (int row = last + 1; row <= std::min(rows - 1, last + screen); ++row)
        m_rows.append(row);
    for (int row = first - 1; row >= std::max(0, first - screen); --row)
        m_rows.append(row);
}

void BackstoryTablePrefetcher::prepareSome()
{
    if (!m_planned)
        planRows();
    m_timer.setInterval(0);
    QAbstractItemModel *model = m_view->model();
    QElapsedTimer slice;
    slice.start();
    while (m_next < m_rows.size() && model) {
        const int row = m_rows[m_next];
        if (row >= model->rowCount())
            break;
        for (int column = 0; column < model->columnCount(); ++column)
            if (!m_view->isColumnHidden(column))
                m_delegate->prepare(model->index(row, column));
        ++m_next;
        if (slice.elapsed() >= kSliceMs)
            return; // the timer fires again once the event loop has had its turn
    }
    m_timer.stop();
    Q_EMIT idle();
}

} // namespace anthology::ui
