-- Access control (SPEC ACL-1, ACL-2, ACL-4): users and groups of an account, their
-- organization access lists, per-record grants of restricted records, web sessions and
-- the login throttle. Emails are stored lower-cased and are unique in the installation,
-- so a login needs no account name. Only hashes of passwords (Argon2id) and of session
-- tokens (BLAKE2b) are stored.
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('administrator', 'manager', 'editor', 'creator', 'lite', 'read-only')),
    password_hash TEXT,
    disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    all_organizations INTEGER NOT NULL DEFAULT 1 CHECK (all_organizations IN (0, 1)),
    last_login_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CONSTRAINT users_email_key UNIQUE (email)
) STRICT;
CREATE INDEX users_account_id_id_idx ON users (account_id, id);

CREATE TABLE user_groups (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    description TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX user_groups_account_id_id_idx ON user_groups (account_id, id);

CREATE TABLE group_members (
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    group_id INTEGER NOT NULL REFERENCES user_groups (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT group_members_key PRIMARY KEY (group_id, user_id)
) STRICT;
CREATE INDEX group_members_user_id_idx ON group_members (user_id);

-- The organizations a user (directly or through a group) may access when the user is
-- not allowed all organizations.
CREATE TABLE user_organizations (
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    organization_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    CONSTRAINT user_organizations_key PRIMARY KEY (user_id, organization_id)
) STRICT;
CREATE TABLE group_organizations (
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    group_id INTEGER NOT NULL REFERENCES user_groups (id) ON DELETE CASCADE,
    organization_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    CONSTRAINT group_organizations_key PRIMARY KEY (group_id, organization_id)
) STRICT;

-- Who may see a restricted record (passwords, documents, flexible assets): one row per
-- allowed user or group.
CREATE TABLE record_grants (
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    record_table TEXT NOT NULL,
    record_id INTEGER NOT NULL,
    user_id INTEGER REFERENCES users (id) ON DELETE CASCADE,
    group_id INTEGER REFERENCES user_groups (id) ON DELETE CASCADE,
    CHECK ((user_id IS NULL) <> (group_id IS NULL))
) STRICT;
CREATE INDEX record_grants_record_idx ON record_grants (account_id, record_table, record_id);

-- Browser sessions: the cookie carries a random token, only its hash is stored. A session
-- ends at expires_at, or when idle for longer than the server's idle timeout.
CREATE TABLE web_sessions (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL,
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    CONSTRAINT web_sessions_token_hash_key UNIQUE (token_hash)
) STRICT;
CREATE INDEX web_sessions_user_id_idx ON web_sessions (user_id);

-- Failed logins per (lower-cased) email, known or not, so guessing is slowed down across
-- every process of an installation. Like vault_keys, it belongs to no account: an unknown
-- email has none.
CREATE TABLE login_throttles (
    email TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    last_failure_at TEXT NOT NULL,
    locked_until TEXT
) STRICT;

ALTER TABLE activity_events ADD COLUMN actor_user_id INTEGER;
ALTER TABLE activity_events ADD COLUMN restricted INTEGER NOT NULL DEFAULT 0 CHECK (restricted IN (0, 1));
