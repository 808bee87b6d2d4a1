#pragma once

#include <QObject>
#include <QTimer>

class QTableView;

namespace anthology::ui {

class BackstoryCellDelegate;

// Gets the rows a scroll is about to show ready while the window is idle: the screenful
// below the shown rows, then the one above, have their rows read and their cells laid out
// (BackstoryCellDelegate::prepare) in slices of at most a few milliseconds, so PageDown,
// PageUp and the wheel paint rows that are already prepared and the GUI thread never waits
// on a page of text at once. Any scroll, resize or new content starts over from the new place.
class BackstoryTablePrefetcher final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BackstoryTablePrefetcher)

public:
    static constexpr int kSliceMs = 2;
    // The first slice waits this long after a scroll, so the scroll's own repaint goes first.
    static constexpr int kSettleMs = 5;

    BackstoryTablePrefetcher(QTableView *view, BackstoryCellDelegate *delegate);

    // True while prepared rows are still to come (for tests and benches).
    bool isBusy() const { return m_timer.isActive(); }

Q_SIGNALS:
    // Every row of the screenful below and above the shown rows is prepared.
    void idle();

private:
    void restart();
    void planRows();
    void prepareSome();

    QTableView *m_view;
    BackstoryCellDelegate *m_delegate;
    QTimer m_timer;
    QList<int> m_rows; // to prepare, nearest first
    qsizetype m_next = 0;
    bool m_planned = false; // m_rows is for the rows shown now
};

} // namespace anthology::ui
