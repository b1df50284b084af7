-- Backup portals (SPEC BACKUP-1..3, MATCH-1..5): what a UniView integration fetched
-- (customers, appliances, protected assets and their backup jobs) and how each customer
-- and asset is matched to a Mortar organization or configuration. Matched ids are set to
-- NULL when the Mortar record is deleted, which makes the row unmatched again.
-- Kept in step with the other dialect's file of the same number.
CREATE TABLE backup_customers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    integration_id INTEGER NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
    external_id TEXT NOT NULL,
    name TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'unmatched'
        CHECK (state IN ('unmatched', 'suggested', 'auto', 'manual', 'ignored')),
    organization_id INTEGER REFERENCES organizations (id) ON DELETE SET NULL,
    -- Of the current match, in thousandths (NULL for a manual match).
    score_milli INTEGER,
    reason TEXT,
    suggested_organization_id INTEGER REFERENCES organizations (id) ON DELETE SET NULL,
    suggested_score_milli INTEGER,
    suggested_reason TEXT,
    -- Whether the last complete listing had it; customers gone from the portal stay.
    seen INTEGER NOT NULL DEFAULT 1 CHECK (seen IN (0, 1)),
    last_seen_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CONSTRAINT backup_customers_external_key UNIQUE (integration_id, external_id)
) STRICT;
CREATE INDEX backup_customers_account_integration_idx ON backup_customers (account_id, integration_id, state);
CREATE INDEX backup_customers_organization_idx ON backup_customers (organization_id);
CREATE INDEX backup_customers_suggested_idx ON backup_customers (suggested_organization_id);

CREATE TABLE backup_appliances (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    integration_id INTEGER NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
    -- The asset tag.
    external_id TEXT NOT NULL,
    customer_external_id TEXT NOT NULL,
    name TEXT NOT NULL,
    online INTEGER NOT NULL DEFAULT 1 CHECK (online IN (0, 1)),
    version TEXT,
    total_mb INTEGER,
    free_mb INTEGER,
    helix_status TEXT,
    seen INTEGER NOT NULL DEFAULT 1 CHECK (seen IN (0, 1)),
    last_seen_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CONSTRAINT backup_appliances_external_key UNIQUE (integration_id, external_id)
) STRICT;
CREATE INDEX backup_appliances_customer_idx ON backup_appliances (integration_id, customer_external_id);

CREATE TABLE backup_assets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    integration_id INTEGER NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
    -- The asset key (uuid).
    external_id TEXT NOT NULL,
    customer_external_id TEXT NOT NULL,
    customer_id INTEGER REFERENCES backup_customers (id) ON DELETE SET NULL,
    name TEXT NOT NULL,
    asset_type TEXT,
    ip_address TEXT,
    -- A JSON array of the MAC addresses as the portal spells them.
    mac_addresses TEXT NOT NULL DEFAULT '[]',
    appliance TEXT,
    state TEXT NOT NULL DEFAULT 'unmatched'
        CHECK (state IN ('unmatched', 'suggested', 'ambiguous', 'auto', 'manual', 'created', 'ignored')),
    configuration_id INTEGER REFERENCES configurations (id) ON DELETE SET NULL,
    score_milli INTEGER,
    reason TEXT,
    suggested_configuration_id INTEGER REFERENCES configurations (id) ON DELETE SET NULL,
    suggested_score_milli INTEGER,
    suggested_reason TEXT,
    last_backup_at TEXT,
    last_backup_started_at TEXT,
    last_backup_status TEXT,
    last_backup_type TEXT,
    last_replication_status TEXT,
    storage_used_mb INTEGER,
    seen INTEGER NOT NULL DEFAULT 1 CHECK (seen IN (0, 1)),
    last_seen_at TEXT,
    last_synced_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CONSTRAINT backup_assets_external_key UNIQUE (integration_id, external_id)
) STRICT;
CREATE INDEX backup_assets_customer_idx ON backup_assets (account_id, customer_id);
CREATE INDEX backup_assets_configuration_idx ON backup_assets (configuration_id);
CREATE INDEX backup_assets_suggested_idx ON backup_assets (suggested_configuration_id);

-- The candidates of an asset whose MAC is on several configurations (state ambiguous).
CREATE TABLE match_candidates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    integration_id INTEGER NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
    backup_asset_id INTEGER NOT NULL REFERENCES backup_assets (id) ON DELETE CASCADE,
    configuration_id INTEGER NOT NULL REFERENCES configurations (id) ON DELETE CASCADE,
    score_milli INTEGER NOT NULL,
    reason TEXT NOT NULL,
    position INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    CONSTRAINT match_candidates_key UNIQUE (backup_asset_id, configuration_id)
) STRICT;
CREATE INDEX match_candidates_configuration_idx ON match_candidates (configuration_id);

-- Backup jobs of the assets (the recent history; fetched incrementally by start time).
CREATE TABLE backup_jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    integration_id INTEGER NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
    asset_external_id TEXT NOT NULL,
    appliance TEXT,
    started_at TEXT NOT NULL,
    completed_at TEXT,
    size_mb INTEGER,
    backup_type TEXT,
    status TEXT,
    replication_status TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CONSTRAINT backup_jobs_key UNIQUE (integration_id, asset_external_id, started_at)
) STRICT;
