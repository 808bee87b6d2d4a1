#pragma once

#include "backstories/BackstoryTypes.h"
#include "util/Result.h"

#include <QList>
#include <QString>

#include <memory>
#include <optional>

namespace anthology {

class ProjectFile;
class Statement;

// Browse, search and edit the backstories of a project. Edits never lose text: the replaced
// text goes to the revision table, so every revision a run cited stays readable and an edit
// can be undone. This class and BackstoryImporter are the only writers of the backstory
// tables, and they keep the full-text index in step.
class BackstoryStore
{
public:
    explicit BackstoryStore(ProjectFile &project);
    ProjectFile &project() const { return m_project; }

    int count() const;
    QList<BackstorySummary> page(int offset, int limit, BackstorySort sort = BackstorySort::Id) const;
    // Every backstory's id in `sort` order, read from an index alone (no story text): a view
    // can then reach any row of 100,000 by its position without an OFFSET walk of the table.
    QList<qint64> ids(BackstorySort sort = BackstorySort::Id) const;
    // The summaries of these backstories, in this order; one that no longer exists is left out.
    QList<BackstorySummary> summaries(const QList<qint64> &ids) const;

    // Best matches first (bm25), each with a highlighted snippet. A Simple query that cannot be
    // read (an unclosed quote) is a user Error before SQLite sees it.
    Result<QList<BackstorySummary>> search(const QString &query, int limit,
                                           SearchSyntax syntax = SearchSyntax::Simple, int offset = 0) const;
    Result<int> searchCount(const QString &query, SearchSyntax syntax = SearchSyntax::Simple) const;
    // A page of hits and the hit count from one read of the index.
    Result<BackstorySearchPage> searchPage(const QString &query, int limit,
                                           SearchSyntax syntax = SearchSyntax::Simple, int offset = 0) const;
    // The two halves of search(), for a caller that shows the best hits first and builds the
    // rows of the others later: the best `limit` matches' ids (best first) and, if `total` is
    // given, the hit count; then the rows of such ids, in their order, with snippets (an id
    // that no longer matches is left out).
    Result<QList<qint64>> searchIds(const QString &query, int limit,
                                    SearchSyntax syntax = SearchSyntax::Simple, int *total = nullptr) const;
    Result<QList<BackstorySummary>> searchRows(const QString &query, const QList<qint64> &ids,
                                               SearchSyntax syntax = SearchSyntax::Simple) const;

    // Readies this connection's search so that its first search of many stories pays no more
    // than the next: maps the project file, loads the index's story lengths the ranking keeps
    // and touches every page of the index (~30 ms per 100,000 stories; later searches keep the
    // lengths until the index changes). For a connection opened to search, called before the
    // first query, outside a transaction. Optional: a search loads the lengths when it pays.
    Status prepareSearch() const;

    std::optional<Backstory> get(const QString &uid) const;

    // Replaces the text and returns the new revision number (unchanged if the text is the
    // same). A full passage that ends with the text (prompt + text) follows the edit.
    Result<int> edit(const QString &uid, const QString &newText);
    // Restores the text of the parent revision as a new revision and returns its number;
    // repeated undos walk further back.
    Result<int> undo(const QString &uid);
    QList<BackstoryRevision> history(const QString &uid) const;
    // The text at `revision`, nullopt if that revision does not exist; an error for an
    // unknown uid.
    Result<std::optional<QString>> textAtRevision(const QString &uid, int revision) const;
    Status remove(const QString &uid);

private:
    struct TokenCount
    {
        std::optional<qint64> count;
        bool estimated = false;
    };

    Result<int> replaceText(const QString &uid, bool undoing, const QString &newText);
    class SearchRead;
    Result<QString> matchExpression(const QString &query, SearchSyntax syntax) const;
    // The token count of newText replacing oldText (whose count is oldTokens).
    Result<TokenCount> tokensOfEdit(qint64 id, const QString &newText, const QString &oldText,
                                    TokenCount oldTokens) const;
    Result<QList<qint64>> rankedIds(const SearchRead &read, const QString &query, int limit,
                                    SearchSyntax syntax, int offset, int *total) const;
    Result<int> countMatches(const QString &query, const QString &match) const;
    // searchRows() knowing, if the caller does, how many stories match in all.
    Result<QList<BackstorySummary>> rowsOf(const QString &query, const QList<qint64> &ids,
                                           SearchSyntax syntax, std::optional<int> hits) const;

    ProjectFile &m_project;
    // get()'s statement, prepared on first use: a run reads one backstory per persona of every
    // page of items, and preparing the statement cost ten times the read.
    mutable std::shared_ptr<Statement> m_get;
};

} // namespace anthology
