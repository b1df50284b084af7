-- The vault's data keys (src/vault). Each row is one 32-byte data key, wrapped with
-- XChaCha20-Poly1305 under a key derived from the master key. The master key lives in a
-- file outside the database and is never stored here. master_key_check is a keyed hash
-- (under another key derived from the master key) that lets start-up tell a wrong master
-- key from a damaged row before anything is decrypted. New secrets are sealed with the
-- newest key whose retired_at is NULL; retired keys still open what they sealed.
--
-- The one table without account_id, on purpose: there is one master key per installation,
-- and the data keys it wraps seal the secrets of every account, so a key belongs to no
-- account. The table holds a handful of rows written only by key rotation; when accounts
-- are distributed (Citus) it becomes a reference table, copied to every node.
-- Ids are chosen by the vault (the next one after the highest), because the id is bound
-- into the wrapping before the row is inserted.
-- Kept in step with the other dialect's file of the same number.
CREATE TABLE vault_keys (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    wrapped_key TEXT NOT NULL,
    master_key_check TEXT NOT NULL,
    created_at TEXT NOT NULL,
    retired_at TEXT
) STRICT;
