#pragma once

#include "util/Result.h"

namespace anthology {

class ProjectFile;

// The layout of the backstories' full-text index beyond schema 1: prefix indexes of one- and
// two-character prefixes. Without them FTS5 answers `k*` by merging the hit lists of every
// word that starts with k (~0.3-0.7 s over 100,000 stories); with them it reads one list, like
// a common word. Searches find, count and rank the same either way.
//
// A project made before them keeps working without them and gets them at its next import,
// which rebuilds the index from the stories (~4 s per 100,000): not at open, where the
// rebuild would break the open time, need a read-write open and rewrite a file the user only
// meant to read.
class BackstoryIndex
{
public:
    // The index's CREATE statement has the prefix indexes.
    static Result<bool> hasPrefixes(const ProjectFile &project);
    // Recreates the index with the prefix indexes and rebuilds it from the stories. Call
    // within the write transaction that will fill it (BackstoryImporter).
    static Status addPrefixes(const ProjectFile &project);
};

} // namespace anthology
