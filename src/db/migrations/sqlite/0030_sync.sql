-- PSA sync (SPEC SYNC-1..11): integrations with their sealed credentials and settings,
-- the links between PSA records and Mortar records, the history of sync runs with
-- their item errors, and the background jobs every `mortar serve` process claims.
-- Kept in step with the other dialect's file of the same number.
CREATE TABLE integrations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('autotask', 'connectwise', 'halopsa', 'uniview')),
    name TEXT NOT NULL,
    -- Non-secret connection settings (URLs, ids, user names) as a JSON object.
    connection TEXT NOT NULL DEFAULT '{}',
    -- The secret connection settings as a JSON object, sealed by the vault.
    credentials_envelope TEXT,
    settings TEXT NOT NULL DEFAULT '{}',
    status TEXT NOT NULL DEFAULT 'never'
        CHECK (status IN ('never', 'syncing', 'ok', 'error', 'credentials_invalid', 'paused')),
    status_detail TEXT,
    -- Per entity kind: the vendor stamp (ms) up to which incremental runs have applied.
    watermarks TEXT NOT NULL DEFAULT '{}',
    -- Orphans an administrator confirmed for the next full run, per entity kind (JSON).
    confirmed_orphans TEXT NOT NULL DEFAULT '{}',
    last_run_id INTEGER,
    last_incremental_at TEXT,
    last_full_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX integrations_account_id_id_idx ON integrations (account_id, id);

CREATE TABLE sync_links (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    integration_id INTEGER NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
    external_type TEXT NOT NULL,
    external_id TEXT NOT NULL,
    local_type TEXT NOT NULL,
    local_id INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('syncing', 'orphaned', 'disabled', 'error', 'disconnected')),
    error_detail TEXT,
    payload_hash TEXT,
    psa_type_id TEXT,
    psa_status_id TEXT,
    last_seen_run_id INTEGER,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CONSTRAINT sync_links_external_key UNIQUE (integration_id, external_type, external_id),
    CONSTRAINT sync_links_local_key UNIQUE (integration_id, local_type, local_id)
) STRICT;
CREATE INDEX sync_links_account_id_local_idx ON sync_links (account_id, local_type, local_id);
CREATE INDEX sync_links_integration_state_idx ON sync_links (integration_id, local_type, state);

CREATE TABLE sync_runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    integration_id INTEGER NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
    job_id INTEGER,
    -- The process that ran it (its job-runner id).
    worker TEXT,
    run_trigger TEXT NOT NULL CHECK (run_trigger IN ('schedule', 'manual')),
    full_sync INTEGER NOT NULL DEFAULT 0 CHECK (full_sync IN (0, 1)),
    started_at TEXT NOT NULL,
    finished_at TEXT,
    outcome TEXT NOT NULL DEFAULT 'running'
        CHECK (outcome IN ('running', 'ok', 'error', 'credentials_invalid', 'needs_confirmation', 'interrupted')),
    created_count INTEGER NOT NULL DEFAULT 0,
    updated_count INTEGER NOT NULL DEFAULT 0,
    unchanged_count INTEGER NOT NULL DEFAULT 0,
    orphaned_count INTEGER NOT NULL DEFAULT 0,
    returned_count INTEGER NOT NULL DEFAULT 0,
    error_count INTEGER NOT NULL DEFAULT 0,
    api_calls INTEGER NOT NULL DEFAULT 0,
    detail TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX sync_runs_integration_idx ON sync_runs (account_id, integration_id, id);

CREATE TABLE sync_run_errors (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    sync_run_id INTEGER NOT NULL REFERENCES sync_runs (id) ON DELETE CASCADE,
    external_type TEXT NOT NULL,
    external_id TEXT NOT NULL,
    local_type TEXT,
    local_id INTEGER,
    detail TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX sync_run_errors_run_idx ON sync_run_errors (account_id, sync_run_id, id);

CREATE TABLE jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('sync')),
    integration_id INTEGER REFERENCES integrations (id) ON DELETE CASCADE,
    payload TEXT NOT NULL DEFAULT '{}',
    state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'failed')),
    run_after TEXT NOT NULL,
    lease_owner TEXT,
    lease_expires_at TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX jobs_state_run_after_idx ON jobs (state, run_after);
-- At most one queued or running job per integration.
CREATE UNIQUE INDEX jobs_active_integration_idx ON jobs (integration_id) WHERE state IN ('queued', 'running');
