-- The activity log: one row per write to a documented record (who, what, when and the
-- changed attributes). Rows are kept when the record is deleted; secrets never appear.
CREATE TABLE activity_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    occurred_at TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete', 'reveal')),
    resource_type TEXT NOT NULL,
    resource_id INTEGER NOT NULL,
    resource_name TEXT,
    organization_id INTEGER,
    actor_key_id INTEGER,
    changes TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX activity_events_account_id_id_idx ON activity_events (account_id, id);
CREATE INDEX activity_events_resource_idx ON activity_events (account_id, resource_type, resource_id);
CREATE INDEX activity_events_organization_idx ON activity_events (account_id, organization_id);
