-- Passwords: credentials an MSP keeps for a client, optionally embedded in another
-- record (a configuration's local admin). The secret fields hold vault envelopes, never
-- plaintext.
CREATE TABLE password_categories (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX password_categories_account_id_id_idx ON password_categories (account_id, id);

CREATE TABLE passwords (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    organization_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    username TEXT,
    url TEXT,
    notes TEXT,
    password_category_id INTEGER REFERENCES password_categories (id) ON DELETE SET NULL,
    resource_id INTEGER,
    resource_type TEXT,
    cached_resource_type_name TEXT,
    cached_resource_name TEXT,
    password_envelope TEXT,
    otp_secret_envelope TEXT,
    password_updated_at TEXT,
    restricted INTEGER NOT NULL DEFAULT 0,
    archived INTEGER NOT NULL DEFAULT 0,
    autofill_selectors TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX passwords_account_id_id_idx ON passwords (account_id, id);
CREATE INDEX passwords_account_id_organization_id_idx ON passwords (account_id, organization_id);
