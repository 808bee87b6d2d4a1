#pragma once

#include "backstories/BackstoryTypes.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

namespace anthology {
class BackstoryStore;
}

namespace anthology::ui {

// A thin adapter over BackstoryStore that stays smooth at 100,000 rows: it keeps the ids in
// the shown order (read from an index, ~5 ms), so the rows of any page, even the last, are
// 64 lookups by id, fetched when the view first asks for them; only a bounded number of
// pages is kept. In search mode it shows a list of hits instead, which can grow at the end.
class BackstoryTableModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BackstoryTableModel)

public:
    enum Column { UidColumn, PreviewColumn, CharactersColumn, TokensColumn, RevisionColumn, ColumnCount };
    enum Role { UidRole = Qt::UserRole + 1, SortRole };
    // A page is read on the GUI thread when a row of it is first shown or prefetched: small
    // pages keep each read well under a millisecond.
    static constexpr int kPageSize = 64;
    static constexpr int kMaxCachedPages = 256;

    explicit BackstoryTableModel(QObject *parent = nullptr);

    // The store to browse; nullptr empties the model. Not owned.
    void setStore(BackstoryStore *store);
    // Shows these hits (e.g. a full-text search) instead of the whole table.
    void showSearchResults(const QList<BackstorySummary> &hits);
    // More hits of the shown search, after those already shown.
    void appendSearchResults(const QList<BackstorySummary> &hits);
    void showAll();
    bool isShowingSearchResults() const { return m_searchMode; }
    // Re-reads the ids and drops cached pages, e.g. after an import. Search hits are kept as
    // they are: the owner searches again for new ones.
    void refresh();
    // One story's text changed (an edit, an undo): its row is re-read in place, one read
    // whatever the number of rows, unless the order depends on the text (sorted by length or
    // tokens), which re-reads the order as refresh() does.
    void storyChanged(const QString &uid);

    QString uidAt(int row) const;
    int rowOfUid(const QString &uid) const; // -1 when not loaded or absent

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

private:
    const BackstorySummary *summaryAt(int row) const;

    void readIds();

    BackstoryStore *m_store = nullptr;
    QList<qint64> m_ids; // every backstory, in m_sort order
    bool m_searchMode = false;
    QList<BackstorySummary> m_hits;
    BackstorySort m_sort = BackstorySort::Id;
    mutable QHash<int, QList<BackstorySummary>> m_pages;
    mutable QList<int> m_pageAge; // least recently used first
};

} // namespace anthology::ui
