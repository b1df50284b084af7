-- Flexible assets: MSP-defined record types (Wi-Fi networks, licences, vendors) with
-- ordered, typed fields, and the assets whose traits follow them. Traits are kept as one
-- JSON object per asset, keyed by each field's name-key.
CREATE TABLE flexible_asset_types (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    description TEXT,
    icon TEXT,
    enabled INTEGER NOT NULL DEFAULT 1,
    show_in_menu INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX flexible_asset_types_account_id_id_idx ON flexible_asset_types (account_id, id);

CREATE TABLE flexible_asset_fields (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    flexible_asset_type_id INTEGER NOT NULL REFERENCES flexible_asset_types (id) ON DELETE CASCADE,
    field_order INTEGER NOT NULL,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    kind TEXT NOT NULL,
    hint TEXT,
    decimals INTEGER,
    default_value TEXT,
    tag_type TEXT,
    required INTEGER NOT NULL DEFAULT 0,
    use_for_title INTEGER NOT NULL DEFAULT 0,
    expiration INTEGER NOT NULL DEFAULT 0,
    show_in_list INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CONSTRAINT flexible_asset_fields_name_key_key UNIQUE (flexible_asset_type_id, name_key)
) STRICT;
CREATE INDEX flexible_asset_fields_account_id_id_idx ON flexible_asset_fields (account_id, id);

CREATE TABLE flexible_assets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    organization_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    flexible_asset_type_id INTEGER NOT NULL REFERENCES flexible_asset_types (id) ON DELETE CASCADE,
    name TEXT,
    traits TEXT NOT NULL DEFAULT '{}',
    archived INTEGER NOT NULL DEFAULT 0,
    restricted INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX flexible_assets_account_id_id_idx ON flexible_assets (account_id, id);
CREATE INDEX flexible_assets_account_id_type_idx ON flexible_assets (account_id, flexible_asset_type_id);
