-- Search by name across documented records (SPEC DOC-8), the same on both engines: one
-- entry per record (its title) and its normalised words, found by word prefix through
-- an ordinary index. Secrets are never indexed.
CREATE TABLE search_entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    resource_type TEXT NOT NULL,
    resource_id INTEGER NOT NULL,
    organization_id INTEGER,
    title TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CONSTRAINT search_entries_record_key UNIQUE (account_id, resource_type, resource_id)
) STRICT;
CREATE TABLE search_words (
    account_id INTEGER NOT NULL,
    word TEXT NOT NULL,
    entry_id INTEGER NOT NULL REFERENCES search_entries (id) ON DELETE CASCADE,
    CONSTRAINT search_words_key PRIMARY KEY (account_id, word, entry_id)
) STRICT;
CREATE INDEX search_words_entry_id_idx ON search_words (entry_id);
