#pragma once

#include "run/RunTypes.h"
#include "util/Result.h"

#include <QAbstractTableModel>
#include <QList>

namespace anthology {
class RunStore;
}

namespace anthology::ui {

// A thin adapter over RunStore: one row per run with its committed item counts.
class RunListModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunListModel)

public:
    enum Column {
        IdColumn,
        NameColumn,
        KindColumn,
        StatusColumn,
        ProgressColumn,
        FailedColumn,
        CostColumn,
        CreatedColumn,
        ColumnCount
    };
    enum Role { RunIdRole = Qt::UserRole + 1, SortRole };

    explicit RunListModel(QObject *parent = nullptr);

    struct Row
    {
        RunInfo info;
        RunCounts counts;
    };

    void clear();
    // Every run and the counts of all of them (two queries), on whichever thread owns the
    // store's connection (RunListReader reads off the GUI thread); apply() then updates the rows
    // in place, so selections survive a live refresh.
    static Result<QList<Row>> read(RunStore &store);
    void apply(QList<Row> fresh);

    const RunInfo *runAt(int row) const;
    const RunCounts *countsAt(int row) const;
    int rowOfRun(qint64 runId) const; // -1 when absent

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<Row> m_rows;
};

} // namespace anthology::ui
