-- Checklists per organization, optionally made from a template. Items are kept with
-- their checklist as a JSON array of {id, name, position, completed, completed-at,
-- completed-by-key-id}: they are always read and written with it.
CREATE TABLE checklist_templates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    description TEXT,
    items TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX checklist_templates_account_id_id_idx ON checklist_templates (account_id, id);

CREATE TABLE checklists (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    organization_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    checklist_template_id INTEGER REFERENCES checklist_templates (id) ON DELETE SET NULL,
    name TEXT NOT NULL,
    description TEXT,
    due_date TEXT,
    items TEXT NOT NULL DEFAULT '[]',
    completed_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX checklists_account_id_id_idx ON checklists (account_id, id);
CREATE INDEX checklists_account_id_organization_id_idx ON checklists (account_id, organization_id);
