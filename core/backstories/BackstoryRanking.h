#pragma once

#include "util/Result.h"

#include <functional>

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

    // Registers the function on the project's connection (once per connection) and brings the
    // cached token counts in step with the index when a query with that many matches gains
    // from them. Call within the read transaction the ranking query runs in, so both see one index.
    // An index written in the caller's own open transaction keeps FTS5's per-row lengths.
    // `hits` is asked only when the counts would have to be read.
    static Status prepare(ProjectFile &project, const std::function<qint64()> &hits);
};

} // namespace anthology
