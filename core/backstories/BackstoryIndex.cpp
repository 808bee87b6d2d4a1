#include "backstories/BackstoryIndex.h"

#include "project/ProjectFile.h"
#include "project/Statement.h"

namespace anthology {

namespace {

// Schema 1's index with prefix='1 2' (prefix lengths count characters): over 100,000 stories
// ~60 MB more file (+20%) and ~1.5 s more index building. A third length would serve
// 3-character prefixes (a merge of a few dozen words, ~50 ms) for 2.5 times the building CPU
// and 40% more file. A 16 MB write buffer (hashsize, 1 MB by default) flushes fewer, larger
// segments and so merges less (~0.5 s of the import back).
const char *const prefixedIndex = R"sql(
DROP TABLE backstory_fts;
CREATE VIRTUAL TABLE backstory_fts USING fts5(
    text, content='backstories', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2', prefix='1 2');
INSERT INTO backstory_fts(backstory_fts, rank) VALUES ('automerge', 16);
INSERT INTO backstory_fts(backstory_fts, rank) VALUES ('hashsize', 16777216);
INSERT INTO backstory_fts(backstory_fts) VALUES ('rebuild');
)sql";

} // namespace

Result<bool> BackstoryIndex::hasPrefixes(const ProjectFile &project)
{
    Statement st = project.prepare("SELECT sql FROM sqlite_schema WHERE name = 'backstory_fts'");
    Result<bool> row = st.step();
    if (!row)
        return row.error();
    return *row && st.columnText(0).contains(QLatin1String("prefix='1 2'"));
}

Status BackstoryIndex::addPrefixes(const ProjectFile &project)
{
    return project.exec(prefixedIndex);
}

} // namespace anthology
