#pragma once

#include "util/Result.h"

namespace anthology {

class ProjectFile;

// bm25 without a read of the document's length per hit. FTS5's bm25() asks for each matching
// story's token count, which is a statement step on the %_docsize table per row: for a word in
// most of 100,000 stories that was ~45 of ~60 ms. anthology_bm25() computes the same score with
// the same arithmetic, so the same order, ties included, but takes the token counts from an
// array this connection keeps, loaded once (~8 ms per 100,000 stories) and reloaded when the
// index has changed since. A story the array does not know is asked of FTS5 as bm25() does.
class BackstoryRanking
{
public:
    // The SQL name of the ranking function; its one argument is the FTS5 table.
    static constexpr const char *function = "anthology_bm25";

    // Registers the function on the project's connection (once per connection) and checks the
    // cached token counts against the index. Stale counts are reloaded by the next ranking
    // query itself once it ranks enough rows for that to pay (an AND of common words at its
    // first row, many rarer hits after 1 in 7 stories). Call within the read transaction the
    // ranking query runs in, so both see one index. An index written in the caller's own open
    // transaction keeps FTS5's per-row lengths.
    static Status prepare(ProjectFile &project);
    // prepare() and, if the counts are stale, their load now: a connection that will search
    // can pay it before the first query. Call within a read transaction.
    static Status warm(ProjectFile &project);
};

} // namespace anthology
