-- PSA integrations (SPEC 3, DESIGN "Integration model"). Connection secrets are one vault
-- envelope (a JSON object sealed with SecretContext('integrations', account, id,
-- 'credentials')); settings hold the non-secret part: URLs, user names, sync filters and
-- type mappings, as JSON text.
CREATE TABLE integrations (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('autotask', 'connectwise', 'halopsa')),
    name TEXT NOT NULL,
    settings TEXT NOT NULL DEFAULT '{}',
    credentials_envelope TEXT,
    status TEXT NOT NULL DEFAULT 'ok'
        CHECK (status IN ('ok', 'syncing', 'error', 'credentials_invalid', 'paused')),
    status_detail TEXT,
    sync_interval_minutes INTEGER NOT NULL DEFAULT 60,
    full_sync_interval_minutes INTEGER NOT NULL DEFAULT 1440,
    orphan_guard_percent INTEGER NOT NULL DEFAULT 50 CHECK (orphan_guard_percent BETWEEN 0 AND 100),
    last_run_id INTEGER,
    last_full_sync_at TEXT,
    next_run_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX integrations_account_id_id_idx ON integrations (account_id, id);
CREATE INDEX integrations_next_run_at_idx ON integrations (next_run_at);

-- The watermark of each entity: the largest vendor change stamp applied by a committed run.
CREATE TABLE sync_watermarks (
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    integration_id INTEGER NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
    entity TEXT NOT NULL,
    watermark TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (integration_id, entity)
) STRICT;

-- A PSA record tied to a Mortar record, with its sync state (SYNC-3) and the hash of the
-- external payload last applied (unchanged records are skipped).
CREATE TABLE sync_links (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    integration_id INTEGER NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
    external_type TEXT NOT NULL,
    external_id TEXT NOT NULL,
    external_parent_id TEXT,
    local_type TEXT NOT NULL,
    local_id INTEGER NOT NULL,
    state TEXT NOT NULL DEFAULT 'syncing'
        CHECK (state IN ('syncing', 'orphaned', 'disabled', 'error', 'disconnected')),
    error_detail TEXT,
    payload_hash TEXT,
    external_updated_at TEXT,
    last_seen_run_id INTEGER,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX sync_links_external_idx ON sync_links (integration_id, external_type, external_id);
CREATE UNIQUE INDEX sync_links_local_idx ON sync_links (integration_id, local_type, local_id);
CREATE INDEX sync_links_account_id_local_idx ON sync_links (account_id, local_type, local_id);
CREATE INDEX sync_links_integration_id_state_idx ON sync_links (integration_id, external_type, state);

-- One sync run (SYNC-8): counts, API calls and outcome; item errors below.
CREATE TABLE sync_runs (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    integration_id INTEGER NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
    mode TEXT NOT NULL CHECK (mode IN ('full', 'incremental')),
    triggered_by TEXT NOT NULL CHECK (triggered_by IN ('schedule', 'manual')),
    status TEXT NOT NULL DEFAULT 'running'
        CHECK (status IN ('running', 'ok', 'error', 'credentials_invalid', 'awaiting_confirmation', 'cancelled')),
    error_detail TEXT,
    created_count INTEGER NOT NULL DEFAULT 0,
    updated_count INTEGER NOT NULL DEFAULT 0,
    unchanged_count INTEGER NOT NULL DEFAULT 0,
    orphaned_count INTEGER NOT NULL DEFAULT 0,
    returned_count INTEGER NOT NULL DEFAULT 0,
    error_count INTEGER NOT NULL DEFAULT 0,
    api_calls INTEGER NOT NULL DEFAULT 0,
    started_at TEXT NOT NULL,
    finished_at TEXT
) STRICT;
CREATE INDEX sync_runs_integration_id_id_idx ON sync_runs (integration_id, id);
CREATE INDEX sync_runs_account_id_id_idx ON sync_runs (account_id, id);

CREATE TABLE sync_run_errors (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    sync_run_id INTEGER NOT NULL REFERENCES sync_runs (id) ON DELETE CASCADE,
    external_type TEXT NOT NULL,
    external_id TEXT NOT NULL,
    local_type TEXT,
    local_id INTEGER,
    message TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX sync_run_errors_sync_run_id_idx ON sync_run_errors (sync_run_id, id);

-- Background jobs with a lease: a runner claims a queued job whose run_at has come (or a
-- running one whose lease expired), sets lease_owner and lease_expires_at, and renews the
-- lease while it works. dedupe_key keeps one live job per key (one sync per integration).
CREATE TABLE jobs (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL DEFAULT '{}',
    status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
    dedupe_key TEXT,
    run_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL DEFAULT 3,
    lease_owner TEXT,
    lease_expires_at TEXT,
    last_error TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX jobs_status_run_at_idx ON jobs (status, run_at);
CREATE UNIQUE INDEX jobs_live_dedupe_key_idx ON jobs (dedupe_key) WHERE status IN ('queued', 'running');
