#include "BackstoryTableModel.h"

#include "backstories/BackstoryStore.h"

#include <QLocale>

using namespace Qt::StringLiterals;

namespace anthology::ui {

BackstoryTableModel::BackstoryTableModel(QObject *parent) : QAbstractTableModel(parent) {}

void BackstoryTableModel::setStore(BackstoryStore *store)
{
    beginResetModel();
    m_store = store;
    m_searchMode = false;
    m_hits.clear();
    m_pages.clear();
    m_pageAge.clear();
    readIds();
    endResetModel();
}

void BackstoryTableModel::readIds()
{
    m_ids = m_store ? m_store->ids(m_sort) : QList<qint64>();
}

void BackstoryTableModel::showSearchResults(const QList<BackstorySummary> &hits)
{
    beginResetModel();
    m_searchMode = true;
    m_hits = hits;
    endResetModel();
}

void BackstoryTableModel::appendSearchResults(const QList<BackstorySummary> &hits)
{
    if (!m_searchMode || hits.isEmpty())
        return;
    beginInsertRows({}, int(m_hits.size()), int(m_hits.size() + hits.size() - 1));
    m_hits.append(hits);
    endInsertRows();
}

void BackstoryTableModel::showAll()
{
    if (!m_searchMode)
        return;
    beginResetModel();
    m_searchMode = false;
    m_hits.clear();
    endResetModel();
}

void BackstoryTableModel::refresh()
{
    if (m_searchMode) {
        // The table shows hits: the rows of the whole table are read again for when it is back.
        m_pages.clear();
        m_pageAge.clear();
        readIds();
        return;
    }
    beginResetModel();
    m_pages.clear();
    m_pageAge.clear();
    readIds();
    endResetModel();
}

void BackstoryTableModel::storyChanged(const QString &uid)
{
    if (!m_store)
        return;
    const bool orderFollowsText = m_sort != BackstorySort::Id && m_sort != BackstorySort::UidAscending &&
                                  m_sort != BackstorySort::UidDescending;
    if (!m_searchMode && orderFollowsText) {
        refresh();
        return;
    }
    const int row = rowOfUid(uid);
    if (row < 0)
        return; // not read yet: it is read as it is now when it is shown
    BackstorySummary &shown = m_searchMode ? m_hits[row] : m_pages[row / kPageSize][row % kPageSize];
    const QList<BackstorySummary> fresh = m_store->summaries({shown.id});
    if (fresh.isEmpty())
        return;
    // A hit keeps its snippet until the search that runs again after an edit replaces it.
    const QString snippet = shown.snippet;
    shown = fresh.constFirst();
    shown.snippet = snippet;
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

QString BackstoryTableModel::uidAt(int row) const
{
    const BackstorySummary *s = summaryAt(row);
    return s ? s->uid : QString();
}

int BackstoryTableModel::rowOfUid(const QString &uid) const
{
    if (m_searchMode) {
        for (int i = 0; i < m_hits.size(); ++i)
            if (m_hits[i].uid == uid)
                return i;
        return -1;
    }
    for (auto it = m_pages.cbegin(); it != m_pages.cend(); ++it)
        for (int i = 0; i < it.value().size(); ++i)
            if (it.value()[i].uid == uid)
                return it.key() * kPageSize + i;
    return -1;
}

int BackstoryTableModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid())
        return 0;
    return int(m_searchMode ? m_hits.size() : m_ids.size());
}

int BackstoryTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

const BackstorySummary *BackstoryTableModel::summaryAt(int row) const
{
    if (row < 0)
        return nullptr;
    if (m_searchMode)
        return row < m_hits.size() ? &m_hits[row] : nullptr;
    if (!m_store || row >= m_ids.size())
        return nullptr;
    const int page = row / kPageSize;
    auto it = m_pages.find(page);
    if (it == m_pages.end()) {
        if (m_pages.size() >= kMaxCachedPages && !m_pageAge.isEmpty())
            m_pages.remove(m_pageAge.takeFirst());
        const QList<qint64> ids = m_ids.mid(qsizetype(page) * kPageSize, kPageSize);
        QList<BackstorySummary> rows = m_store->summaries(ids);
        // A story deleted elsewhere since the ids were read leaves an empty row, not a shift.
        if (rows.size() != ids.size()) {
            QList<BackstorySummary> aligned(ids.size());
            for (BackstorySummary &s : rows)
                aligned[ids.indexOf(s.id)] = std::move(s);
            rows = std::move(aligned);
        }
        it = m_pages.insert(page, std::move(rows));
    }
    if (m_pageAge.isEmpty() || m_pageAge.last() != page) {
        m_pageAge.removeOne(page);
        m_pageAge.append(page);
    }
    const int offset = row % kPageSize;
    return offset < it.value().size() && it.value()[offset].id != 0 ? &it.value()[offset] : nullptr;
}

QVariant BackstoryTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    const BackstorySummary *s = summaryAt(index.row());
    if (!s)
        return {};
    if (role == UidRole)
        return s->uid;
    if (role == Qt::DisplayRole || role == SortRole) {
        switch (index.column()) {
        case UidColumn:
            return s->uid;
        case PreviewColumn: {
            QString text = (m_searchMode && !s->snippet.isEmpty()) ? s->snippet : s->preview;
            text.remove(BackstorySummary::highlightStart).remove(BackstorySummary::highlightEnd);
            return role == SortRole ? QVariant(text) : QVariant(text.simplified());
        }
        case CharactersColumn:
            return role == SortRole ? QVariant(s->charCount) : QVariant(QLocale().toString(s->charCount));
        case TokensColumn:
            if (!s->tokenCount)
                return role == SortRole ? QVariant(-1) : QVariant(u"–"_s);
            if (role == SortRole)
                return QVariant(*s->tokenCount);
            // An edited text has no count from the model: its count is scaled from the original's.
            return s->tokenCountEstimated ? QVariant(u"≈"_s + QLocale().toString(*s->tokenCount))
                                          : QVariant(QLocale().toString(*s->tokenCount));
        case RevisionColumn:
            return s->revision;
        }
    }
    if (role == Qt::TextAlignmentRole && index.column() >= CharactersColumn)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && index.column() == PreviewColumn)
        return s->preview;
    if (role == Qt::ToolTipRole && index.column() == TokensColumn && s->tokenCountEstimated)
        return tr("Estimated: the text was edited, so this is the model's count of the original text "
                  "scaled by how much longer or shorter the edit is.");
    return {};
}

QVariant BackstoryTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case UidColumn:
        return tr("UID");
    case PreviewColumn:
        return m_searchMode ? tr("Match") : tr("Backstory");
    case CharactersColumn:
        return tr("Characters");
    case TokensColumn:
        return tr("Tokens");
    case RevisionColumn:
        return tr("Revision");
    }
    return {};
}

void BackstoryTableModel::sort(int column, Qt::SortOrder order)
{
    BackstorySort sort = BackstorySort::Id;
    const bool asc = order == Qt::AscendingOrder;
    switch (column) {
    case UidColumn:
        sort = asc ? BackstorySort::UidAscending : BackstorySort::UidDescending;
        break;
    case CharactersColumn:
        sort = asc ? BackstorySort::LengthAscending : BackstorySort::LengthDescending;
        break;
    case TokensColumn:
        sort = asc ? BackstorySort::TokensAscending : BackstorySort::TokensDescending;
        break;
    default:
        sort = BackstorySort::Id;
        break;
    }
    beginResetModel();
    if (m_searchMode) {
        std::stable_sort(m_hits.begin(), m_hits.end(),
                         [&](const BackstorySummary &a, const BackstorySummary &b) {
                             switch (column) {
                             case UidColumn:
                                 return asc ? a.uid < b.uid : b.uid < a.uid;
                             case CharactersColumn:
                                 return asc ? a.charCount < b.charCount : b.charCount < a.charCount;
                             case TokensColumn:
                                 return asc ? a.tokenCount < b.tokenCount : b.tokenCount < a.tokenCount;
                             case RevisionColumn:
                                 return asc ? a.revision < b.revision : b.revision < a.revision;
                             default:
                                 return false;
                             }
                         });
    } else {
        m_sort = sort;
        m_pages.clear();
        m_pageAge.clear();
        readIds();
    }
    endResetModel();
}

} // namespace anthology::ui
