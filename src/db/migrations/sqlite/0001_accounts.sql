-- Accounts (tenants) and their API keys. Timestamps are ISO-8601 UTC text with
-- milliseconds ("2024-05-02T14:03:11.000Z") on both engines; booleans are 0/1 here.
CREATE TABLE accounts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CONSTRAINT accounts_name_key UNIQUE (name)
) STRICT;

CREATE TABLE api_keys (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    prefix TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    name TEXT NOT NULL,
    password_access INTEGER NOT NULL DEFAULT 0 CHECK (password_access IN (0, 1)),
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT,
    CONSTRAINT api_keys_prefix_key UNIQUE (prefix)
) STRICT;

CREATE INDEX api_keys_account_id_idx ON api_keys (account_id);
