// SPDX-License-Identifier: AGPL-3.0-or-later
#include "vault/vault.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <utility>
#include <vector>

#include <sodium.h>
#include <unistd.h>

#include "core/log.hpp"
#include "core/strings.hpp"

namespace mortar::vault {
namespace {

constexpr db::Query kListKeys{
    "vault_keys.list", "SELECT id, wrapped_key, master_key_check, retired_at FROM vault_keys ORDER BY id"};
constexpr db::Query kGetKey{
    "vault_keys.get", "SELECT id, wrapped_key, master_key_check, retired_at FROM vault_keys WHERE id = $1"};
constexpr db::Query kInsertKey{
    "vault_keys.insert",
    "INSERT INTO vault_keys (id, wrapped_key, master_key_check, created_at) VALUES ($1, $2, $3, $4)"};
constexpr db::Query kRetireOthers{
    "vault_keys.retire_others", "UPDATE vault_keys SET retired_at = $2 WHERE retired_at IS NULL AND id <> $1"};
constexpr db::Query kRewrap{
    "vault_keys.rewrap", "UPDATE vault_keys SET wrapped_key = $2, master_key_check = $3 WHERE id = $1"};
// Serialises the writers of vault_keys (first key, data key and master key rotation) while
// leaving readers alone. SQLite needs nothing: a write transaction is the single writer.
constexpr db::DialectQuery kLockKeys{
    "vault_keys.lock", "LOCK TABLE vault_keys IN SHARE ROW EXCLUSIVE MODE", "SELECT 1"};

constexpr char kKdfContext[crypto_kdf_CONTEXTBYTES + 1] = "mortarvk";
constexpr uint64_t kWrapSubkeyId = 1;
constexpr uint64_t kCheckSubkeyId = 2;
constexpr std::string_view kFormat = "v1";
constexpr std::string_view kWrapLabel = "mortar vault data key:";
constexpr std::string_view kCheckLabel = "mortar vault key check:";
constexpr std::size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t kTagBytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;
constexpr std::size_t kCheckBytes = 32;

static_assert(crypto_aead_xchacha20poly1305_ietf_KEYBYTES == kKeyBytes);
static_assert(crypto_kdf_KEYBYTES == kKeyBytes);

const unsigned char* Bytes(std::string_view s) {
    return reinterpret_cast<const unsigned char*>(s.data());
}

std::string ToBase64(const unsigned char* bytes, std::size_t size) {
    const std::size_t capacity = sodium_base64_ENCODED_LEN(size, sodium_base64_VARIANT_ORIGINAL);
    std::string out(capacity, '\0');
    sodium_bin2base64(out.data(), capacity, bytes, size, sodium_base64_VARIANT_ORIGINAL);
    out.resize(capacity - 1);  // the terminating NUL
    return out;
}

// Decodes canonical padded standard base64 (libsodium rejects stray bits and characters).
bool FromBase64(std::string_view text, std::vector<unsigned char>& out) {
    out.resize(text.size() / 4 * 3 + 3);
    std::size_t size = 0;
    const char* end = nullptr;
    if (sodium_base642bin(
            out.data(), out.size(), text.data(), text.size(), nullptr, &size, &end, sodium_base64_VARIANT_ORIGINAL
        ) != 0 ||
        end != text.data() + text.size()) {
        return false;
    }
    out.resize(size);
    return true;
}

// A key id as written in envelopes and wrapping: positive decimal, no sign or leading zero.
std::optional<int64_t> ParseKeyId(std::string_view text) {
    if (text.empty() || text.front() < '1' || text.front() > '9') return std::nullopt;
    std::optional<int64_t> id = ParseInt64(text);
    if (!id || *id <= 0) return std::nullopt;
    return id;
}

std::string KeyLabel(int64_t key_id) {
    return "vault key " + std::to_string(key_id);
}

Status MasterKeyMismatch(int64_t key_id) {
    return Status::Unprocessable(
        "the master key does not match this database (" + KeyLabel(key_id) +
        "); check --master-key-file / MORTAR_MASTER_KEY_FILE"
    );
}

Status WithContext(const Status& status, std::string_view what) {
    return Status(status.code(), "vault: " + std::string(what) + ": " + status.message());
}

// One row of vault_keys.
struct KeyRow {
    int64_t id = 0;
    std::string wrapped_key;
    std::string master_key_check;
    bool retired = false;
};

KeyRow ReadRow(const db::Row& row) {
    return KeyRow{
        .id = row.GetInt(0),
        .wrapped_key = std::string(row.GetText(1)),
        .master_key_check = std::string(row.GetText(2)),
        .retired = !row.IsNull(3),
    };
}

Result<std::vector<KeyRow>> ReadKeyRows(db::Tx& tx) {
    Result<db::Stmt> list = tx.Prepare(kListKeys);
    if (!list.ok()) return WithContext(list.status(), "cannot read vault_keys");
    std::vector<KeyRow> rows;
    while (true) {
        Result<bool> step = list->Step();
        if (!step.ok()) return WithContext(step.status(), "cannot read vault_keys");
        if (!*step) break;
        rows.push_back(ReadRow(list->row()));
    }
    return rows;
}

Status LockKeys(db::Tx& tx) {
    Result<db::Stmt> lock = tx.Prepare(kLockKeys);
    if (!lock.ok()) return WithContext(lock.status(), "cannot lock vault_keys");
    Result<int64_t> locked = lock->Execute();
    if (!locked.ok()) return WithContext(locked.status(), "cannot lock vault_keys");
    return Status::Ok();
}

}  // namespace

// The two keys derived from a master key.
struct Vault::DerivedKeys {
    SecretKey wrap;   // wraps and unwraps data keys
    SecretKey check;  // computes master_key_check

    static Result<std::unique_ptr<DerivedKeys>> From(const MasterKey& master) {
        auto derive = [&master](uint64_t subkey_id) {
            return SecretKey::Create([&](std::span<unsigned char, kKeyBytes> out) {
                if (crypto_kdf_derive_from_key(out.data(), out.size(), subkey_id, kKdfContext, master.data()) != 0) {
                    return Status::Internal("vault: key derivation failed");
                }
                return Status::Ok();
            });
        };
        Result<SecretKey> wrap = derive(kWrapSubkeyId);
        if (!wrap.ok()) return wrap.status();
        Result<SecretKey> check = derive(kCheckSubkeyId);
        if (!check.ok()) return check.status();
        return std::make_unique<DerivedKeys>(DerivedKeys{std::move(*wrap), std::move(*check)});
    }

    // "v1:" + base64 of BLAKE2b-256 keyed with the check key over "<label><key id>".
    std::string Check(int64_t key_id) const {
        const std::string message = std::string(kCheckLabel) + std::to_string(key_id);
        unsigned char out[kCheckBytes];
        crypto_generichash(out, sizeof out, Bytes(message), message.size(), check.data(), check.size());
        return std::string(kFormat) + ":" + ToBase64(out, sizeof out);
    }

    bool Matches(const KeyRow& row) const {
        const std::string expected = Check(row.id);
        return expected.size() == row.master_key_check.size() &&
               sodium_memcmp(expected.data(), row.master_key_check.data(), expected.size()) == 0;
    }

    // "v1:<base64 nonce>:<base64 wrapped key>", the key id bound as associated data.
    std::string Wrap(int64_t key_id, const SecretKey& data_key) const {
        const std::string aad = std::string(kWrapLabel) + std::to_string(key_id);
        unsigned char nonce[kNonceBytes];
        randombytes_buf(nonce, sizeof nonce);
        unsigned char sealed[kKeyBytes + kTagBytes];
        unsigned long long sealed_size = 0;
        crypto_aead_xchacha20poly1305_ietf_encrypt(
            sealed, &sealed_size, data_key.data(), data_key.size(), Bytes(aad), aad.size(), nullptr, nonce, wrap.data()
        );
        return std::string(kFormat) + ":" + ToBase64(nonce, sizeof nonce) + ":" + ToBase64(sealed, sealed_size);
    }

    // The data key of a row whose check matched. kInternal when it does not unwrap.
    Result<SecretKey> Unwrap(const KeyRow& row) const {
        const Status damaged = Status::Internal(
            "vault: " + KeyLabel(row.id) + " matches the master key but does not unwrap (damaged or tampered)"
        );
        const std::vector<std::string_view> parts = Split(row.wrapped_key, ':');
        std::vector<unsigned char> nonce;
        std::vector<unsigned char> sealed;
        if (parts.size() != 3 || parts[0] != kFormat || !FromBase64(parts[1], nonce) || nonce.size() != kNonceBytes ||
            !FromBase64(parts[2], sealed) || sealed.size() != kKeyBytes + kTagBytes) {
            return damaged;
        }
        const std::string aad = std::string(kWrapLabel) + std::to_string(row.id);
        return SecretKey::Create([&](std::span<unsigned char, kKeyBytes> out) {
            unsigned long long size = 0;
            if (crypto_aead_xchacha20poly1305_ietf_decrypt(
                    out.data(),
                    &size,
                    nullptr,
                    sealed.data(),
                    sealed.size(),
                    Bytes(aad),
                    aad.size(),
                    nonce.data(),
                    wrap.data()
                ) != 0 ||
                size != kKeyBytes) {
                return damaged;
            }
            return Status::Ok();
        });
    }
};

// The unwrapped data keys of a Vault, and which one seals.
class Vault::Keyring {
public:
    std::shared_mutex mu;
    std::map<int64_t, SecretKey> keys;  // GUARDED_BY(mu); std::map: entries never move
    int64_t active_id = 0;              // GUARDED_BY(mu)
};

std::string SecretContext(std::string_view table, int64_t account_id, int64_t record_id, std::string_view column) {
    return std::string(table) + ":" + std::to_string(account_id) + ":" + std::to_string(record_id) + ":" +
           std::string(column);
}

Vault::Vault(db::Database& db, const Clock& clock, std::unique_ptr<DerivedKeys> derived)
    : db_(db), clock_(clock), derived_(std::move(derived)), keyring_(std::make_unique<Keyring>()) {}

Vault::~Vault() = default;

Result<std::unique_ptr<Vault>> Vault::Open(db::Database& db, const MasterKey& master_key, const Clock& clock) {
    Result<std::unique_ptr<DerivedKeys>> derived = DerivedKeys::From(master_key);
    if (!derived.ok()) return derived.status();
    const DerivedKeys& keys = **derived;

    std::vector<KeyRow> rows;
    {
        Result<db::Tx> tx = db.Begin(db::TxMode::kRead);
        if (!tx.ok()) return WithContext(tx.status(), "cannot read vault_keys");
        Result<std::vector<KeyRow>> read = ReadKeyRows(*tx);
        if (!read.ok()) return read.status();
        rows = std::move(*read);
    }
    if (rows.empty()) {
        // A new installation: create the first data key, unless a concurrent start did.
        Result<db::Tx> tx = db.Begin(db::TxMode::kWrite);
        if (!tx.ok()) return WithContext(tx.status(), "cannot create the first data key");
        MORTAR_RETURN_IF_ERROR(LockKeys(*tx));
        Result<std::vector<KeyRow>> read = ReadKeyRows(*tx);
        if (!read.ok()) return read.status();
        rows = std::move(*read);
        if (rows.empty()) {
            Result<SecretKey> data_key = SecretKey::Generate();
            if (!data_key.ok()) return data_key.status();
            KeyRow first{.id = 1, .wrapped_key = keys.Wrap(1, *data_key), .master_key_check = keys.Check(1)};
            const std::string now = FormatTimestamp(clock.NowMillis());
            Result<db::Stmt> insert = tx->Prepare(kInsertKey);
            if (!insert.ok()) return WithContext(insert.status(), "cannot create the first data key");
            insert->Bind(1, first.id)
                .Bind(2, std::string_view(first.wrapped_key))
                .Bind(3, std::string_view(first.master_key_check))
                .Bind(4, std::string_view(now));
            Result<int64_t> inserted = insert->Execute();
            if (!inserted.ok()) return WithContext(inserted.status(), "cannot create the first data key");
            Status committed = tx->Commit();
            if (!committed.ok()) return WithContext(committed, "cannot create the first data key");
            log::info("vault: created the first data key ({})", KeyLabel(first.id));
            rows.push_back(std::move(first));
        }
    }

    // Every row must match before any is unwrapped: a wrong master key is reported as such.
    for (const KeyRow& row : rows) {
        if (!keys.Matches(row)) return MasterKeyMismatch(row.id);
    }
    std::unique_ptr<Vault> vault(new Vault(db, clock, std::move(*derived)));
    int64_t newest_active = 0;
    for (const KeyRow& row : rows) {
        Result<SecretKey> data_key = vault->derived_->Unwrap(row);
        if (!data_key.ok()) return data_key.status();
        vault->keyring_->keys.emplace(row.id, std::move(*data_key));
        if (!row.retired) newest_active = row.id;
    }
    // If every key was retired by hand, keep sealing with the newest.
    vault->keyring_->active_id = newest_active != 0 ? newest_active : rows.back().id;
    return vault;
}

Result<const SecretKey*> Vault::FindKey(int64_t key_id) const {
    {
        std::shared_lock lock(keyring_->mu);
        auto it = keyring_->keys.find(key_id);
        if (it != keyring_->keys.end()) return &it->second;
    }
    // A key created after this Vault opened (by another process): read and check it.
    std::optional<KeyRow> row;
    {
        Result<db::Tx> tx = db_.Begin(db::TxMode::kSingleRead);
        if (!tx.ok()) return WithContext(tx.status(), "cannot read " + KeyLabel(key_id));
        Result<db::Stmt> get = tx->Prepare(kGetKey);
        if (!get.ok()) return WithContext(get.status(), "cannot read " + KeyLabel(key_id));
        get->Bind(1, key_id);
        Result<bool> step = get->Step();
        if (!step.ok()) return WithContext(step.status(), "cannot read " + KeyLabel(key_id));
        if (*step) row = ReadRow(get->row());
    }
    if (!row) return Status::Internal("vault: a secret names " + KeyLabel(key_id) + ", which does not exist");
    if (!derived_->Matches(*row)) {
        const Status mismatch = MasterKeyMismatch(key_id);
        return Status::Internal("vault: " + mismatch.message());
    }
    Result<SecretKey> data_key = derived_->Unwrap(*row);
    if (!data_key.ok()) return data_key.status();
    std::unique_lock lock(keyring_->mu);
    auto [it, inserted] = keyring_->keys.try_emplace(key_id, std::move(*data_key));
    (void)inserted;  // another thread may have loaded it meanwhile; either copy is the same key
    return &it->second;
}

Result<std::string> Vault::Seal(std::string_view plaintext, std::string_view context) const {
    if (plaintext.size() > kMaxPlaintextBytes) {
        return Status::InvalidArgument(
            "vault: a secret may be at most " + std::to_string(kMaxPlaintextBytes) + " bytes, not " +
            std::to_string(plaintext.size())
        );
    }
    unsigned char nonce[kNonceBytes];
    randombytes_buf(nonce, sizeof nonce);
    std::vector<unsigned char> sealed(plaintext.size() + kTagBytes);
    unsigned long long sealed_size = 0;
    int64_t key_id = 0;
    {
        std::shared_lock lock(keyring_->mu);
        key_id = keyring_->active_id;
        const SecretKey& key = keyring_->keys.at(key_id);
        const std::string aad = std::string(kFormat) + ":" + std::to_string(key_id) + ":" + std::string(context);
        crypto_aead_xchacha20poly1305_ietf_encrypt(
            sealed.data(),
            &sealed_size,
            Bytes(plaintext),
            plaintext.size(),
            Bytes(aad),
            aad.size(),
            nullptr,
            nonce,
            key.data()
        );
    }
    return std::string(kFormat) + ":" + std::to_string(key_id) + ":" + ToBase64(nonce, sizeof nonce) + ":" +
           ToBase64(sealed.data(), sealed_size);
}

Result<std::string> Vault::Open(std::string_view envelope, std::string_view context) const {
    const std::vector<std::string_view> parts = Split(envelope, ':');
    if (parts.size() != 4 || parts[0] != kFormat) return Status::Internal("vault: a stored secret is not an envelope");
    const std::optional<int64_t> key_id = ParseKeyId(parts[1]);
    if (!key_id) return Status::Internal("vault: a stored secret names no valid vault key");
    const Status failed = Status::Internal(
        "vault: a secret sealed with " + KeyLabel(*key_id) +
        " does not open (damaged, tampered, or moved from another record)"
    );
    std::vector<unsigned char> nonce;
    std::vector<unsigned char> sealed;
    if (!FromBase64(parts[2], nonce) || nonce.size() != kNonceBytes || !FromBase64(parts[3], sealed) ||
        sealed.size() < kTagBytes) {
        return failed;
    }
    Result<const SecretKey*> key = FindKey(*key_id);
    if (!key.ok()) return key.status();

    const std::string aad = std::string(kFormat) + ":" + std::to_string(*key_id) + ":" + std::string(context);
    std::string plaintext(sealed.size() - kTagBytes, '\0');
    unsigned long long size = 0;
    int rc = 0;
    {
        // Entries of the keyring never move or go away, but the lock orders this read after
        // the insertion that made the pointer.
        std::shared_lock lock(keyring_->mu);
        rc = crypto_aead_xchacha20poly1305_ietf_decrypt(
            reinterpret_cast<unsigned char*>(plaintext.data()),
            &size,
            nullptr,
            sealed.data(),
            sealed.size(),
            Bytes(aad),
            aad.size(),
            nonce.data(),
            (*key)->data()
        );
    }
    if (rc != 0) {
        sodium_memzero(plaintext.data(), plaintext.size());
        return failed;
    }
    plaintext.resize(size);
    return plaintext;
}

Result<int64_t> Vault::RotateDataKey() {
    Result<db::Tx> tx = db_.Begin(db::TxMode::kWrite);
    if (!tx.ok()) return WithContext(tx.status(), "cannot rotate the data key");
    MORTAR_RETURN_IF_ERROR(LockKeys(*tx));
    Result<std::vector<KeyRow>> rows = ReadKeyRows(*tx);
    if (!rows.ok()) return rows.status();
    int64_t max_id = 0;
    for (const KeyRow& row : *rows) {
        // Rows re-wrapped by another process's master key rotation: a key wrapped under this
        // (old) master key would be unreadable to every process started with the new one.
        if (!derived_->Matches(row)) return MasterKeyMismatch(row.id);
        max_id = std::max(max_id, row.id);
    }
    const int64_t new_id = max_id + 1;
    Result<SecretKey> data_key = SecretKey::Generate();
    if (!data_key.ok()) return data_key.status();
    const std::string wrapped = derived_->Wrap(new_id, *data_key);
    const std::string check = derived_->Check(new_id);
    const std::string now = FormatTimestamp(clock_.NowMillis());

    Result<db::Stmt> insert = tx->Prepare(kInsertKey);
    if (!insert.ok()) return WithContext(insert.status(), "cannot rotate the data key");
    insert->Bind(1, new_id)
        .Bind(2, std::string_view(wrapped))
        .Bind(3, std::string_view(check))
        .Bind(4, std::string_view(now));
    Result<int64_t> inserted = insert->Execute();
    if (!inserted.ok()) return WithContext(inserted.status(), "cannot rotate the data key");
    Result<db::Stmt> retire = tx->Prepare(kRetireOthers);
    if (!retire.ok()) return WithContext(retire.status(), "cannot rotate the data key");
    retire->Bind(1, new_id).Bind(2, std::string_view(now));
    Result<int64_t> retired = retire->Execute();
    if (!retired.ok()) return WithContext(retired.status(), "cannot rotate the data key");
    Status committed = tx->Commit();
    if (!committed.ok()) return WithContext(committed, "cannot rotate the data key");

    {
        std::unique_lock lock(keyring_->mu);
        keyring_->keys.insert_or_assign(new_id, std::move(*data_key));
        keyring_->active_id = new_id;
    }
    log::info("vault: {} is now the active data key", KeyLabel(new_id));
    return new_id;
}

int64_t Vault::active_key_id() const {
    std::shared_lock lock(keyring_->mu);
    return keyring_->active_id;
}

Result<int> RotateMasterKey(db::Database& db, const MasterKey& old_master, const MasterKey& new_master) {
    if (old_master.Equals(new_master)) return Status::InvalidArgument("vault: the new master key equals the old one");
    Result<std::unique_ptr<Vault::DerivedKeys>> old_keys = Vault::DerivedKeys::From(old_master);
    if (!old_keys.ok()) return old_keys.status();
    Result<std::unique_ptr<Vault::DerivedKeys>> new_keys = Vault::DerivedKeys::From(new_master);
    if (!new_keys.ok()) return new_keys.status();

    Result<db::Tx> tx = db.Begin(db::TxMode::kWrite);
    if (!tx.ok()) return WithContext(tx.status(), "cannot rotate the master key");
    MORTAR_RETURN_IF_ERROR(LockKeys(*tx));
    Result<std::vector<KeyRow>> rows = ReadKeyRows(*tx);
    if (!rows.ok()) return rows.status();
    const bool all_new =
        std::all_of(rows->begin(), rows->end(), [&](const KeyRow& r) { return (*new_keys)->Matches(r); });
    if (all_new) return 0;  // nothing to do (or done before a crash): roll back the empty transaction
    for (const KeyRow& row : *rows) {
        if (!(*old_keys)->Matches(row)) return MasterKeyMismatch(row.id);
    }

    Result<db::Stmt> rewrap = tx->Prepare(kRewrap);
    if (!rewrap.ok()) return WithContext(rewrap.status(), "cannot rotate the master key");
    for (const KeyRow& row : *rows) {
        Result<SecretKey> data_key = (*old_keys)->Unwrap(row);
        if (!data_key.ok()) return data_key.status();
        const std::string wrapped = (*new_keys)->Wrap(row.id, *data_key);
        const std::string check = (*new_keys)->Check(row.id);
        rewrap->Reset();
        rewrap->Bind(1, row.id).Bind(2, std::string_view(wrapped)).Bind(3, std::string_view(check));
        Result<int64_t> updated = rewrap->Execute();
        if (!updated.ok()) return WithContext(updated.status(), "cannot rotate the master key");
        if (*updated != 1) return Status::Internal("vault: " + KeyLabel(row.id) + " vanished during the rotation");
    }
    Status committed = tx->Commit();
    if (!committed.ok()) return WithContext(committed, "cannot rotate the master key");
    log::info("vault: re-wrapped {} data key(s) under the new master key", rows->size());
    return static_cast<int>(rows->size());
}

Result<MasterKeyRotation> RotateMasterKeyFile(db::Database& db, const std::string& path) {
    Result<MasterKeyFile> current = LoadOrCreateMasterKey(path, false);
    if (!current.ok()) return current.status();

    const std::string pending_path = path + ".new";
    MasterKeyRotation rotation;
    bool wrote_pending = false;
    std::optional<MasterKey> next;
    Result<MasterKeyFile> pending = LoadOrCreateMasterKey(pending_path, false);
    if (pending.ok()) {
        rotation.resumed = true;
        next.emplace(std::move(pending->key));
    } else if (pending.status().code() == Code::kNotFound) {
        Result<MasterKey> fresh = MasterKey::Generate();
        if (!fresh.ok()) return fresh.status();
        MORTAR_RETURN_IF_ERROR(WriteMasterKeyFile(pending_path, *fresh));
        wrote_pending = true;
        next.emplace(std::move(*fresh));
    } else {
        return pending.status();
    }

    Result<int> rewrapped = RotateMasterKey(db, current->key, *next);
    if (!rewrapped.ok()) {
        if (wrote_pending) ::unlink(pending_path.c_str());
        return rewrapped.status();
    }
    rotation.keys_rewrapped = *rewrapped;
    Status replaced = ReplaceMasterKeyFile(pending_path, path);
    if (!replaced.ok()) {
        return Status::Unavailable(
            replaced.message() + "; the database now uses the key in " + pending_path + ": move it to " + path
        );
    }
    return rotation;
}

}  // namespace mortar::vault
