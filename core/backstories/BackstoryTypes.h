#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace anthology {

// One backstory as stored in a project: the text a persona is conditioned on, the prompt
// it was generated from and the generation metadata (see METHOD.md section 3).
struct Backstory
{
    qint64 id = 0;
    QString uid;
    QString text;                       // the current revision's text
    std::optional<QString> fullPassage; // prompt + text when the source carried it
    std::optional<qint64> tokenCount;   // generated tokens, or after an edit the estimate of them
    bool tokenCountEstimated = false;   // tokenCount is TokenEstimate's, not the model's count
    std::optional<double> logprob;      // summed token logprobs
    QString model;
    QJsonObject sampling;   // sampling parameters (temperature, top_p, max_tokens, ...)
    QJsonObject attributes; // every other source column, kept as read
    int revision = 1;

    // What a persona prompt starts with: the full passage when known, else the text.
    QString passage() const { return fullPassage.value_or(text); }
};

// A row of the backstory browser or of a search result.
struct BackstorySummary
{
    // Marks around the matched terms in `snippet` (control characters, never in text).
    static constexpr char16_t highlightStart = u'\x02';
    static constexpr char16_t highlightEnd = u'\x03';

    qint64 id = 0;
    QString uid;
    QString preview; // the first ~200 characters
    int charCount = 0;
    std::optional<qint64> tokenCount;
    bool tokenCountEstimated = false;
    int revision = 1;
    QString snippet; // search results only: the best matching fragment, with highlights
};

// A page of search hits and how many stories match in all.
struct BackstorySearchPage
{
    QList<BackstorySummary> hits;
    int total = 0;
};

// One revision in a backstory's history: revision 1 is the imported text, each edit or undo
// adds the next number. parentRevision is the revision an undo returns to.
struct BackstoryRevision
{
    int revision = 1;
    std::optional<int> parentRevision;
    QDateTime editedAt; // invalid for the imported revision
    int charCount = 0;
    bool current = false;
};

enum class BackstorySort {
    Id, // import order
    UidAscending,
    UidDescending,
    LengthAscending,
    LengthDescending,
    TokensAscending,
    TokensDescending,
};

// How search() reads its query.
enum class SearchSyntax {
    Simple, // the search box: words, "a phrase", prefix* (BackstorySearchQuery); operators literal
    Fts5,   // raw FTS5 query syntax (phrases, NEAR, OR, prefix*, column filters)
};

} // namespace anthology
