#include "project/ProjectMigrations.h"

namespace anthology {

namespace {

// Schema 1: backstories with their generation metadata, an append-only revision history of
// edited texts, and an external-content FTS5 index. The index is kept in step explicitly by
// the code that writes backstories (BackstoryStore, BackstoryImporter), not by triggers:
// with trusted_schema off SQLite refuses virtual-table writes inside schema triggers.
//
// The current text lives in backstories.text; backstory_revisions keeps only the texts
// that were replaced, so a 100k import writes every text once. revision counts up by one
// per edit or undo; parent_revision names the revision an undo would return to.
//
// A full passage is the generation prompt followed by the text. When it ends with the text
// only the prompt is kept (passage_prefix), which halves the file and keeps the passage in
// step with edits; a passage that does not end with the text is kept whole (full_passage).
const char *const schema1 = R"sql(
CREATE TABLE backstories (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    text TEXT NOT NULL,
    passage_prefix TEXT,
    full_passage TEXT,
    token_count INTEGER,
    logprob REAL,
    model TEXT,
    sampling TEXT,
    attributes TEXT,
    revision INTEGER NOT NULL DEFAULT 1,
    parent_revision INTEGER,
    edited_at TEXT,
    char_count INTEGER GENERATED ALWAYS AS (length(text)) VIRTUAL
);
CREATE INDEX backstories_by_char_count ON backstories(char_count);
CREATE INDEX backstories_by_token_count ON backstories(token_count);

CREATE TABLE backstory_revisions (
    id INTEGER PRIMARY KEY,
    backstory_id INTEGER NOT NULL REFERENCES backstories(id) ON DELETE CASCADE,
    revision INTEGER NOT NULL,
    parent_revision INTEGER,
    text TEXT NOT NULL,
    edited_at TEXT,
    UNIQUE (backstory_id, revision)
);

CREATE VIRTUAL TABLE backstory_fts USING fts5(
    text, content='backstories', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2');
-- Merge index segments in larger batches: a 100k import spends ~40% less CPU in FTS5 than
-- with the default of 4, and searches stay in milliseconds.
INSERT INTO backstory_fts(backstory_fts, rank) VALUES ('automerge', 16);

)sql";

// Schema 2: imported human survey data. A data set's dictionary is one row per variable
// (value labels and user-missing codes as JSON); its values are one row per variable in
// dataset_values: a numeric column as a BLOB of row_count little-endian IEEE doubles (NaN =
// system missing), a string column as a JSON array. A 10,000 x 400 wave is 400 rows of
// 80 kB, which SQLite writes and reads back in milliseconds.
const char *const schema2 = R"sql(
CREATE TABLE datasets (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    source_path TEXT,
    format TEXT NOT NULL,
    file_label TEXT,
    encoding TEXT,
    weight_variable TEXT,
    key_variable TEXT,
    wave INTEGER NOT NULL DEFAULT 0,
    row_count INTEGER NOT NULL,
    imported_at TEXT NOT NULL
);

CREATE TABLE dataset_variables (
    id INTEGER PRIMARY KEY,
    dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    label TEXT,
    type TEXT NOT NULL CHECK (type IN ('numeric', 'string')),
    format TEXT,
    value_labels TEXT,
    missing TEXT,
    UNIQUE (dataset_id, position)
);

CREATE TABLE dataset_values (
    variable_id INTEGER PRIMARY KEY REFERENCES dataset_variables(id) ON DELETE CASCADE,
    numeric_values BLOB,
    string_values TEXT
);
)sql";

// Schema 3: survey runs and their work items, and the request cache.
// A run is planned in full before its first request: every item has a deterministic key
// (run, persona, question, sample) and a state on disk of pending, done or failed; "in
// flight" is never written, so a run killed at any moment resumes with exactly the pending
// items. A compliance-forcing re-ask is a new sample of the same (persona, question):
// base_sample names the sample it re-asks and reask counts the re-asks. depends_on names the
// item whose answer the prompt contains (questions asked in series).
// request_cache maps the SHA-256 of a request's canonical JSON (which includes the sample
// index and the seed) to the item that holds its response, so an identical request is
// answered from the file without storing the request and response a second time.
// IF NOT EXISTS: a file rebuilt by hand from an older backup may already carry these tables.
const char *const schema3 = R"sql(
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    config TEXT NOT NULL,
    program_version TEXT NOT NULL,
    seed INTEGER NOT NULL,
    created TEXT NOT NULL,
    status TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS items (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    persona TEXT NOT NULL,
    persona_revision INTEGER NOT NULL DEFAULT 1,
    question TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    sample INTEGER NOT NULL,
    base_sample INTEGER NOT NULL,
    reask INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'failed')),
    request TEXT,
    response TEXT,
    raw_answer TEXT,
    parsed_answer TEXT,
    option_index INTEGER,
    compliant INTEGER,
    logprobs TEXT,
    latency_ms INTEGER,
    prompt_tokens INTEGER,
    completion_tokens INTEGER,
    cost REAL,
    attempts INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    from_cache INTEGER NOT NULL DEFAULT 0,
    depends_on INTEGER,
    UNIQUE (run_id, persona, question, sample)
);
CREATE INDEX IF NOT EXISTS items_by_state ON items(run_id, state);
CREATE INDEX IF NOT EXISTS items_by_chain ON items(run_id, persona, base_sample, position, reask);

CREATE TABLE IF NOT EXISTS request_cache (
    key TEXT PRIMARY KEY,
    item_id INTEGER NOT NULL
) WITHOUT ROWID;
)sql";

// Schema 4: matches of personas to human respondents, and persona sets.
// A match keeps every (human, persona) pair with the backstory revision the demographics run
// read, the edge weight (log and linear: the linear one underflows to 0 for long trait lists,
// log -inf is stored as NULL), and the human's traits ({"<trait>": {"code", "label",
// "variable"}}) so trait appending and analysis need not reopen the data set.
// A persona set is what a survey run is asked of. A member's persona_key is what the run's
// items carry; its prompt passage is before_text + the backstory passage at the recorded
// revision + after_text, or before_text alone when the member has no backstory (baselines).
// human_key / human_weight link a member to its respondent for subgroups and weights.
const char *const schema4 = R"sql(
CREATE TABLE IF NOT EXISTS matches (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    method TEXT NOT NULL CHECK (method IN ('greedy', 'maximum_weight', 'random')),
    dataset_id INTEGER REFERENCES datasets(id) ON DELETE SET NULL,
    dataset_name TEXT NOT NULL,
    demographics_run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL,
    traits TEXT NOT NULL,
    seed INTEGER NOT NULL,
    created TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS match_pairs (
    id INTEGER PRIMARY KEY,
    match_id INTEGER NOT NULL REFERENCES matches(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    human_key TEXT NOT NULL,
    human_weight REAL NOT NULL,
    backstory_uid TEXT NOT NULL,
    backstory_revision INTEGER NOT NULL,
    log_weight REAL,
    weight REAL,
    traits TEXT NOT NULL,
    UNIQUE (match_id, position)
);

CREATE TABLE IF NOT EXISTS persona_sets (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('backstories', 'matched', 'respondents')),
    style TEXT NOT NULL,
    source TEXT NOT NULL,
    created TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS persona_set_members (
    id INTEGER PRIMARY KEY,
    set_id INTEGER NOT NULL REFERENCES persona_sets(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    persona_key TEXT NOT NULL,
    backstory_uid TEXT,
    backstory_revision INTEGER,
    before_text TEXT NOT NULL DEFAULT '',
    after_text TEXT NOT NULL DEFAULT '',
    human_key TEXT,
    human_weight REAL,
    traits TEXT,
    UNIQUE (set_id, persona_key)
);
CREATE INDEX IF NOT EXISTS persona_set_members_by_position ON persona_set_members(set_id, position);
)sql";

// Schema 5: the token count of an edited text. backstories.token_count was the model's count
// of the generated text and stayed put when the text was edited. Now each revision carries its
// own count, and token_count_estimated marks a count scaled from an earlier revision's exact
// one (TokenEstimate) rather than counted by the model. Texts edited before this schema keep
// no count they do not have: their count is cleared unless the text is the original again.
const char *const schema5 = R"sql(
ALTER TABLE backstories ADD COLUMN token_count_estimated INTEGER NOT NULL DEFAULT 0;
ALTER TABLE backstory_revisions ADD COLUMN token_count INTEGER;
ALTER TABLE backstory_revisions ADD COLUMN token_count_estimated INTEGER NOT NULL DEFAULT 0;
UPDATE backstory_revisions SET token_count = (
    SELECT b.token_count FROM backstories b WHERE b.id = backstory_revisions.backstory_id)
WHERE revision = 1 OR text = (
    SELECT r.text FROM backstory_revisions r
    WHERE r.backstory_id = backstory_revisions.backstory_id AND r.revision = 1);
UPDATE backstories SET token_count = NULL
WHERE revision > 1 AND text IS NOT (
    SELECT r.text FROM backstory_revisions r WHERE r.backstory_id = backstories.id AND r.revision = 1);
)sql";

} // namespace

const QList<ProjectMigration> &projectMigrations()
{
    static const QList<ProjectMigration> migrations = {
        {"backstories, revisions and full-text index", schema1},
        {"human survey data sets: dictionary and columnar values", schema2},
        {"survey runs, work items and the request cache", schema3},
        {"persona matches and persona sets", schema4},
        {"token counts per backstory revision, estimated after an edit", schema5},
    };
    return migrations;
}

} // namespace anthology
