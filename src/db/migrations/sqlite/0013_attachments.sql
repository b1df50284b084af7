-- Attachments: files kept with a documentation record (API.md 3.13), and the links that
-- tie an embedded password or an attachment to the flexible-asset field (Password and
-- Upload traits) that owns it. File content is stored base64-encoded in the row, so every
-- process sharing the store serves it; lists never read it.
CREATE TABLE attachments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    resource_type TEXT NOT NULL,
    resource_id INTEGER NOT NULL,
    flexible_asset_field_id INTEGER REFERENCES flexible_asset_fields (id) ON DELETE SET NULL,
    name TEXT NOT NULL,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    file_size INTEGER NOT NULL,
    ext TEXT NOT NULL DEFAULT '',
    viewable INTEGER NOT NULL DEFAULT 0,
    content TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX attachments_account_id_resource_idx ON attachments (account_id, resource_type, resource_id, id);

ALTER TABLE passwords ADD COLUMN flexible_asset_field_id INTEGER REFERENCES flexible_asset_fields (id) ON DELETE SET NULL;
CREATE INDEX passwords_account_id_resource_idx ON passwords (account_id, resource_type, resource_id);
