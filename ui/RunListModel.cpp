#include "RunListModel.h"

#include "pipeline/RunController.h"
#include "project/ProjectFile.h"
#include "run/RunStore.h"

#include <QLocale>

using namespace Qt::StringLiterals;

namespace anthology::ui {

namespace {
bool sameRow(const RunInfo &a, const RunCounts &ac, const RunInfo &b, const RunCounts &bc)
{
    return a.name == b.name && a.kind == b.kind && a.status == b.status && a.config == b.config &&
           ac.total == bc.total && ac.done == bc.done && ac.failed == bc.failed && ac.cost == bc.cost;
}
} // namespace

RunListModel::RunListModel(QObject *parent) : QAbstractTableModel(parent) {}

void RunListModel::clear()
{
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

Result<QList<RunListModel::Row>> RunListModel::read(RunStore &store)
{
    auto runs = store.runs();
    if (!runs)
        return runs.error();
    // One grouped query rather than one per run (it reads every item of the project).
    auto counts = store.allCounts();
    if (!counts)
        return counts.error();
    QList<Row> fresh;
    fresh.reserve(runs->size());
    const QString path = store.project().path();
    for (RunInfo info : std::as_const(*runs)) {
        // A run stored as running that no process holds was killed: shown as interrupted.
        info.status = RunController::effectiveStatusName(path, info);
        fresh.append(Row{info, counts->value(info.id)});
    }
    return fresh;
}

void RunListModel::apply(QList<Row> fresh)
{
    // Runs are only ever appended: update the known rows in place and insert the new ones, so
    // the view keeps its selection and scroll position. Anything else resets.
    bool prefix = fresh.size() >= m_rows.size();
    for (int i = 0; prefix && i < m_rows.size(); ++i)
        prefix = m_rows[i].info.id == fresh[i].info.id;
    if (!prefix) {
        beginResetModel();
        m_rows = std::move(fresh);
        endResetModel();
        return;
    }
    for (int i = 0; i < m_rows.size(); ++i) {
        if (sameRow(m_rows[i].info, m_rows[i].counts, fresh[i].info, fresh[i].counts))
            continue;
        m_rows[i] = fresh[i];
        Q_EMIT dataChanged(index(i, 0), index(i, ColumnCount - 1));
    }
    if (fresh.size() > m_rows.size()) {
        beginInsertRows({}, int(m_rows.size()), int(fresh.size()) - 1);
        for (qsizetype i = m_rows.size(); i < fresh.size(); ++i)
            m_rows.append(fresh[i]);
        endInsertRows();
    }
}

const RunInfo *RunListModel::runAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? &m_rows[row].info : nullptr;
}

const RunCounts *RunListModel::countsAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? &m_rows[row].counts : nullptr;
}

int RunListModel::rowOfRun(qint64 runId) const
{
    for (int i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].info.id == runId)
            return i;
    return -1;
}

int RunListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RunListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RunListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row &r = m_rows[index.row()];
    const RunCounts &c = r.counts;
    if (role == RunIdRole)
        return r.info.id;
    if (role == Qt::TextAlignmentRole) {
        switch (index.column()) {
        case IdColumn:
        case ProgressColumn:
        case FailedColumn:
        case CostColumn:
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        default:
            return {};
        }
    }
    if (role == Qt::ToolTipRole && index.column() == ProgressColumn)
        return tr("%1 done, %2 pending, %3 failed of %4 items; %5 compliant, %6 from the cache")
            .arg(c.done)
            .arg(c.pending)
            .arg(c.failed)
            .arg(c.total)
            .arg(c.compliant)
            .arg(c.fromCache);
    // Sorting uses the raw numbers and dates; the id and text columns sort by what they show.
    if (role == SortRole) {
        switch (index.column()) {
        case ProgressColumn:
            return c.total > 0 ? double(c.done) / double(c.total) : 0.0;
        case FailedColumn:
            return c.failed;
        case CostColumn:
            return c.cost;
        case CreatedColumn:
            return r.info.created;
        default:
            break;
        }
    } else if (role != Qt::DisplayRole) {
        return {};
    }
    const QLocale locale;
    switch (index.column()) {
    case IdColumn:
        return r.info.id;
    case NameColumn:
        return r.info.name;
    case KindColumn:
        return r.info.kind;
    case StatusColumn:
        return r.info.status;
    case ProgressColumn:
        return u"%1 / %2"_s.arg(locale.toString(c.done), locale.toString(c.total));
    case FailedColumn:
        return locale.toString(c.failed);
    case CostColumn:
        return u"$%1"_s.arg(c.cost, 0, 'f', c.cost > 0 && c.cost < 1 ? 4 : 2);
    case CreatedColumn:
        return r.info.created.toLocalTime().toString(u"yyyy-MM-dd HH:mm"_s);
    default:
        return {};
    }
}

QVariant RunListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case IdColumn:
        return tr("Id");
    case NameColumn:
        return tr("Name");
    case KindColumn:
        return tr("Kind");
    case StatusColumn:
        return tr("Status");
    case ProgressColumn:
        return tr("Done / total");
    case FailedColumn:
        return tr("Failed");
    case CostColumn:
        return tr("Cost");
    case CreatedColumn:
        return tr("Created");
    default:
        return {};
    }
}

} // namespace anthology::ui
