// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/status.hpp"
#include "db/database.hpp"
#include "vault/master_key.hpp"

// The vault: encryption at rest for secrets (password fields, OTP secrets, PSA credentials).
//
// Keys. Secrets are sealed under a 32-byte data key. Data keys live in the table vault_keys,
// each wrapped (XChaCha20-Poly1305, random nonce, the key id bound as associated data) under
// a key derived from the master key. The master key lives in a file and never enters the
// database (see master_key.hpp). Two subkeys are derived from it with crypto_kdf (context
// "mortarvk"): id 1 wraps data keys, id 2 computes each row's master_key_check, a keyed
// BLAKE2b hash of the key id. The check lets Vault::Open tell a wrong master key (the check
// differs) from a damaged row (the check matches but the key fails to unwrap) before
// anything is decrypted.
//
// Envelope. Seal() returns printable ASCII for a TEXT column:
//     v1:<key id>:<nonce>:<ciphertext>
// key id is the decimal id of the vault_keys row that sealed it; nonce (24 random bytes) and
// ciphertext (XChaCha20-Poly1305 IETF, plaintext length + 16 bytes of tag) are standard
// base64 with padding. The associated data is "v1:<key id>:" followed by the caller's
// context, so the envelope opens only under the same context and key id. An envelope is
// about 4/3 of the plaintext plus 60 characters.
//
// Context. Callers bind each secret to where it is stored, so an envelope copied to another
// record, account or column does not open there: use SecretContext() ("passwords:7:42:password").
//
// Rotation without downtime.
//  - A new data key (Vault::RotateDataKey): later seals use it; older envelopes keep opening,
//    because they name their key. Existing envelopes are not re-encrypted (there is no
//    ReencryptAll yet); retired keys stay in vault_keys for as long as envelopes use them.
//  - A new master key (RotateMasterKey / RotateMasterKeyFile): every data key is re-wrapped
//    in one transaction; no envelope changes. Running processes keep their unwrapped data
//    keys in memory and keep serving; processes started afterwards need the new key file.
//
// Errors never contain plaintext, keys or envelopes; they name vault key ids and files.
// Nothing here logs a secret.
namespace mortar::vault {

// The largest plaintext Seal() accepts.
inline constexpr std::size_t kMaxPlaintextBytes = 1 << 20;

// The context for the secret in `column` of row `record_id` of `table` in account
// `account_id`: "<table>:<account id>:<record id>:<column>", e.g. "passwords:7:42:password".
std::string SecretContext(std::string_view table, int64_t account_id, int64_t record_id, std::string_view column);

// A Vault seals secrets for storage in ordinary TEXT columns and opens them again, for an
// installation whose master key it was opened with. It keeps the derived keys and every data
// key it has unwrapped in guarded memory (sodium_malloc) until it is destroyed. It keeps a
// reference to `db`, which must outlive it.
//
// Several processes may share one database, each with its own Vault: a data key created by
// another process is read from vault_keys the first time an envelope names it, but this
// Vault keeps sealing with the key that was active when it opened (or that its own
// RotateDataKey created) until it is opened again.
// Thread safety: thread-safe.
class Vault {
public:
    // Opens the vault of `db` (migrated to at least 0004_vault) with `master_key`. On a database
    // with no data key yet, creates the first one (id 1) and commits it; concurrent first
    // starts create only one (PostgreSQL: the table is locked; SQLite: the single writer).
    // Otherwise checks every row of vault_keys against the master key and unwraps it, writing
    // nothing. `master_key` is not kept (only keys derived from it are); `clock` stamps
    // created_at and must outlive the Vault.
    // Returns:
    //   kUnprocessable  the master key does not match this database ("the master key does
    //                   not match this database (vault key 1); check --master-key-file ...").
    //                   Nothing has been written. Chosen over kUnavailable because retrying
    //                   cannot help: the configuration must change;
    //   kInternal       a row matches the master key's check but fails to unwrap (damaged or
    //                   tampered), or vault_keys is missing (the database is not migrated);
    //   kUnavailable    the store is busy or unreachable.
    // Blocks on the store.
    static Result<std::unique_ptr<Vault>> Open(
        db::Database& db, const MasterKey& master_key, const Clock& clock = Clock::Real()
    );

    Vault(const Vault&) = delete;
    Vault& operator=(const Vault&) = delete;
    ~Vault();

    // Encrypts `plaintext` under the active data key with a fresh random nonce, binding
    // `context` (see SecretContext), and returns the envelope. The empty string is a valid
    // plaintext. kInvalidArgument when plaintext is longer than kMaxPlaintextBytes.
    // Does not block on the store; the caller owns the returned string.
    Result<std::string> Seal(std::string_view plaintext, std::string_view context) const;

    // Decrypts an envelope made by Seal() with the same `context`. Returns kInternal, with a
    // message naming at most the key id, when the envelope is malformed, names a data key
    // that does not exist, or fails authentication (tampered, damaged, or moved from another
    // context): envelopes come from the store, so a bad one is a fault on our side, not bad
    // input. Blocks on the store only the first time an envelope names a data key this
    // Vault has not seen (one created by another process); otherwise it does not block.
    // The caller owns the plaintext; wipe it (sodium_memzero) when it is no longer needed,
    // and never log it.
    Result<std::string> Open(std::string_view envelope, std::string_view context) const;

    // Creates a new data key, makes it the active one for this Vault's later seals, and marks
    // the previous keys retired (retired keys still open their envelopes). Returns the new
    // key's id. kUnprocessable when the rows of vault_keys no longer match this Vault's master
    // key (the master key was rotated by another process: reopen with the new key file);
    // kConflict or kUnavailable when a concurrent writer got in the way (retry). Blocks on
    // the store (one write transaction).
    Result<int64_t> RotateDataKey();

    // The id of the data key Seal() uses now.
    int64_t active_key_id() const;

private:
    class Keyring;
    struct DerivedKeys;
    friend Result<int> RotateMasterKey(db::Database& db, const MasterKey& old_master, const MasterKey& new_master);

    Vault(db::Database& db, const Clock& clock, std::unique_ptr<DerivedKeys> derived);
    // Returns the unwrapped data key `key_id`, reading it from the store when not yet known.
    Result<const SecretKey*> FindKey(int64_t key_id) const;

    db::Database& db_;
    const Clock& clock_;
    const std::unique_ptr<const DerivedKeys> derived_;
    const std::unique_ptr<Keyring> keyring_;  // data keys by id, and the active id, under its own lock
};

// Re-wraps every data key of `db` under `new_master` in one write transaction; envelopes are
// not touched. Returns the number of keys re-wrapped. When every row already matches
// `new_master` (a rotation that was interrupted after its commit, or repeated), returns 0
// and writes nothing; likewise for a database with no data key.
// Returns kInvalidArgument when the two keys are equal, kUnprocessable when `old_master`
// does not match the database (nothing is written), kInternal when a row matches
// `old_master` but fails to unwrap, kUnavailable when the store is busy. Blocks on the store.
Result<int> RotateMasterKey(db::Database& db, const MasterKey& old_master, const MasterKey& new_master);

// What RotateMasterKeyFile did.
struct MasterKeyRotation {
    int keys_rewrapped = 0;
    // An earlier, interrupted rotation was completed with the key it had left in "<path>.new".
    bool resumed = false;
};

// Rotates the master key of `db` and of the file at `path`, safely against a crash at any
// step (the `mortar admin rotate-key` command):
//   1. read the current key from `path`;
//   2. write a new random key to "<path>.new" (mode 0600, flushed), or reuse that file when
//      an earlier rotation left it behind;
//   3. RotateMasterKey(db, current, new);
//   4. rename "<path>.new" over `path` and flush the directory.
// After a crash between 3 and 4, `path` no longer opens the database; running this again
// completes the rotation (step 3 then finds the rows already re-wrapped). A "<path>.new" that
// this call created is removed when step 3 fails. Processes already running keep working;
// processes started after step 4 read the new key.
// Returns the codes of LoadOrCreateMasterKey (for either file) and of RotateMasterKey, and
// kUnavailable when the rename fails (the message then says where the new key is).
// Blocks on the file system and the store.
Result<MasterKeyRotation> RotateMasterKeyFile(db::Database& db, const std::string& path);

}  // namespace mortar::vault
