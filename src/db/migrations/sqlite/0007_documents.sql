-- Rich-text documents (runbooks, procedures) in folders, per organization or global
-- (organization_id NULL). Content is HTML, sanitised before it is stored.
CREATE TABLE document_folders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    organization_id INTEGER REFERENCES organizations (id) ON DELETE CASCADE,
    parent_id INTEGER REFERENCES document_folders (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX document_folders_account_id_id_idx ON document_folders (account_id, id);
CREATE INDEX document_folders_account_id_organization_id_idx ON document_folders (account_id, organization_id);

CREATE TABLE documents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    organization_id INTEGER REFERENCES organizations (id) ON DELETE CASCADE,
    document_folder_id INTEGER REFERENCES document_folders (id) ON DELETE SET NULL,
    name TEXT NOT NULL,
    content TEXT NOT NULL DEFAULT '',
    restricted INTEGER NOT NULL DEFAULT 0,
    archived INTEGER NOT NULL DEFAULT 0,
    public INTEGER NOT NULL DEFAULT 0,
    published INTEGER NOT NULL DEFAULT 0,
    published_at TEXT,
    created_by_key_id INTEGER,
    updated_by_key_id INTEGER,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX documents_account_id_id_idx ON documents (account_id, id);
CREATE INDEX documents_account_id_organization_id_idx ON documents (account_id, organization_id);
