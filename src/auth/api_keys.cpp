// SPDX-License-Identifier: AGPL-3.0-or-later
#include "auth/api_keys.hpp"

#include <sodium.h>

#include "core/strings.hpp"

namespace mortar::auth {
namespace {

constexpr db::Query kFindAccount{"accounts.find_by_name", "SELECT id FROM accounts WHERE name = $1"};
constexpr db::Query kInsertAccount{
    "accounts.insert", "INSERT INTO accounts (name, created_at, updated_at) VALUES ($1, $2, $2) RETURNING id"};
constexpr db::Query kInsertKey{
    "api_keys.insert",
    "INSERT INTO api_keys (account_id, prefix, secret_hash, name, password_access, created_at) "
    "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"};
constexpr db::Query kRevokeKey{
    "api_keys.revoke", "UPDATE api_keys SET revoked_at = $2 WHERE prefix = $1 AND revoked_at IS NULL"};
constexpr db::Query kFindKey{
    "api_keys.find_by_prefix",
    "SELECT id, account_id, secret_hash, password_access, last_used_at FROM api_keys WHERE prefix = $1 AND "
    "revoked_at IS NULL"};
constexpr db::Query kKeyUsed{"api_keys.used", "UPDATE api_keys SET last_used_at = $2 WHERE id = $1"};
constexpr db::Query kListKeys{
    "api_keys.list",
    "SELECT k.id, a.name, k.prefix, k.name, k.password_access, k.created_at, k.revoked_at "
    "FROM api_keys k JOIN accounts a ON a.id = k.account_id "
    "WHERE ($1 = '' OR a.name = $1) ORDER BY k.id"};

constexpr std::string_view kDefaultAccount = "default";
constexpr int64_t kCacheMillis = 5'000;
constexpr std::size_t kCacheMaxEntries = 10'000;
constexpr int64_t kUseRecordMillis = 60'000;

std::string RandomHex(std::size_t bytes) {
    std::string raw(bytes, '\0');
    randombytes_buf(raw.data(), raw.size());
    return HexEncode(raw);
}

std::string HashSecret(std::string_view secret) {
    unsigned char out[crypto_generichash_BYTES];
    crypto_generichash(
        out, sizeof out, reinterpret_cast<const unsigned char*>(secret.data()), secret.size(), nullptr, 0
    );
    return HexEncode(std::string_view(reinterpret_cast<const char*>(out), sizeof out));
}

bool IsHex(std::string_view s) {
    for (char c : s) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    }
    return !s.empty();
}

// Splits "ITG.<prefix>.<secret>" into its two parts.
bool SplitKey(std::string_view key, std::string_view& prefix, std::string_view& secret) {
    if (key.substr(0, 4) != "ITG.") return false;
    key.remove_prefix(4);
    const auto dot = key.find('.');
    if (dot == std::string_view::npos) return false;
    prefix = key.substr(0, dot);
    secret = key.substr(dot + 1);
    return prefix.size() == 16 && IsHex(prefix) && secret.size() == 64 && IsHex(secret);
}

Result<int64_t> FindOrCreateAccount(db::Tx& tx, std::string_view name, const Clock& clock) {
    auto find = tx.Prepare(kFindAccount);
    if (!find) return find.status();
    find->Bind(1, name);
    auto step = find->Step();
    if (!step) return step.status();
    if (*step) return find->row().GetInt(0);
    auto insert = tx.Prepare(kInsertAccount);
    if (!insert) return insert.status();
    const std::string now = FormatTimestamp(clock.NowMillis());
    insert->Bind(1, name).Bind(2, std::string_view(now));
    auto ins = insert->Step();
    if (!ins) return ins.status();
    if (!*ins) return Status::Internal("account insert returned no id");
    return insert->row().GetInt(0);
}

}  // namespace

Result<int64_t> EnsureAccount(db::Database& db, std::string_view name, const Clock& clock) {
    auto tx = db.Begin(db::TxMode::kWrite);
    if (!tx) return tx.status();
    auto id = FindOrCreateAccount(*tx, name.empty() ? kDefaultAccount : name, clock);
    if (!id) return id;
    MORTAR_RETURN_IF_ERROR(tx->Commit());
    return id;
}

Result<NewApiKey> CreateApiKeyIn(
    db::Tx& tx, int64_t account_id, std::string_view key_name, bool password_access, const Clock& clock
) {
    if (sodium_init() < 0) return Status::Internal("libsodium failed to initialise");
    const std::string prefix = RandomHex(8);
    const std::string secret = RandomHex(32);
    const std::string hash = HashSecret(secret);
    const std::string now = FormatTimestamp(clock.NowMillis());
    auto insert = tx.Prepare(kInsertKey);
    if (!insert) return insert.status();
    insert->Bind(1, account_id)
        .Bind(2, std::string_view(prefix))
        .Bind(3, std::string_view(hash))
        .Bind(4, key_name)
        .Bind(5, password_access)
        .Bind(6, std::string_view(now));
    auto step = insert->Step();
    if (!step) return step.status();
    if (!*step) return Status::Internal("api key insert returned no id");
    return NewApiKey{.id = insert->row().GetInt(0), .key = "ITG." + prefix + "." + secret};
}

Result<std::string> CreateApiKey(
    db::Database& db, std::string_view account, std::string_view key_name, bool password_access, const Clock& clock
) {
    auto tx = db.Begin(db::TxMode::kWrite);
    if (!tx) return tx.status();
    auto account_id = FindOrCreateAccount(*tx, account.empty() ? kDefaultAccount : account, clock);
    if (!account_id) return account_id.status();
    auto created = CreateApiKeyIn(*tx, *account_id, key_name, password_access, clock);
    if (!created) return created.status();
    MORTAR_RETURN_IF_ERROR(tx->Commit());
    return std::move(created->key);
}

Status RevokeApiKey(db::Database& db, std::string_view prefix, const Clock& clock) {
    if (prefix.substr(0, 4) == "ITG.") prefix.remove_prefix(4);
    if (const auto dot = prefix.find('.'); dot != std::string_view::npos) prefix = prefix.substr(0, dot);
    auto tx = db.Begin(db::TxMode::kWrite);
    if (!tx) return tx.status();
    auto revoke = tx->Prepare(kRevokeKey);
    if (!revoke) return revoke.status();
    const std::string now = FormatTimestamp(clock.NowMillis());
    revoke->Bind(1, prefix).Bind(2, std::string_view(now));
    auto changed = revoke->Execute();
    if (!changed) return changed.status();
    if (*changed == 0) return Status::NotFound("no active API key with prefix " + std::string(prefix));
    return tx->Commit();
}

Result<std::vector<ApiKeyInfo>> ListApiKeys(db::Database& db, std::string_view account) {
    auto tx = db.Begin(db::TxMode::kRead);
    if (!tx) return tx.status();
    auto list = tx->Prepare(kListKeys);
    if (!list) return list.status();
    list->Bind(1, account);
    std::vector<ApiKeyInfo> keys;
    while (true) {
        auto step = list->Step();
        if (!step) return step.status();
        if (!*step) break;
        const db::Row& r = list->row();
        keys.push_back(ApiKeyInfo{
            .id = r.GetInt(0),
            .account_name = std::string(r.GetText(1)),
            .prefix = std::string(r.GetText(2)),
            .name = std::string(r.GetText(3)),
            .password_access = r.GetBool(4),
            .created_at = std::string(r.GetText(5)),
            .revoked_at = std::string(r.GetText(6)),
        });
    }
    return keys;
}

Authenticator::Authenticator(db::Database& db, const Clock& clock) : db_(db), clock_(clock) {
    if (sodium_init() < 0) throw LogicError("libsodium failed to initialise");
}

void Authenticator::InvalidateAll() {
    std::lock_guard lock(mu_);
    cache_.clear();
}

void Authenticator::RecordUse(int64_t key_id, int64_t now) {
    auto tx = db_.Begin(db::TxMode::kWrite);
    if (!tx) return;  // best effort: a busy store must not refuse the request
    auto stmt = tx->Prepare(kKeyUsed);
    if (!stmt) return;
    const std::string text = FormatTimestamp(now);
    stmt->Bind(1, key_id).Bind(2, std::string_view(text));
    if (!stmt->Execute()) return;
    (void)tx->Commit();
}

Result<Principal> Authenticator::Authenticate(std::string_view header_value) {
    static const Status kRefused = Status::Unauthenticated("a valid x-api-key header is required");
    header_value = Trim(header_value);
    std::string_view prefix, secret;
    if (!SplitKey(header_value, prefix, secret)) return kRefused;
    const std::string hash = HashSecret(secret);
    const std::string cache_key = std::string(prefix) + hash;
    const int64_t now = clock_.NowMillis();
    {
        std::lock_guard lock(mu_);
        auto it = cache_.find(cache_key);
        if (it != cache_.end() && it->second.expires_at_ms > now) return it->second.principal;
    }
    auto tx = db_.Begin(db::TxMode::kRead);
    if (!tx) return tx.status();
    auto find = tx->Prepare(kFindKey);
    if (!find) return find.status();
    find->Bind(1, prefix);
    auto step = find->Step();
    if (!step) return step.status();
    if (!*step) return kRefused;
    const db::Row& r = find->row();
    const std::string_view stored = r.GetText(2);
    if (stored.size() != hash.size() || sodium_memcmp(stored.data(), hash.data(), hash.size()) != 0) return kRefused;
    Principal p;
    p.account_id = r.GetInt(1);
    p.key_id = r.GetInt(0);
    p.password_access = r.GetBool(3);
    auto last_used = r.IsNull(4) ? Result<int64_t>(Status::NotFound("never")) : ParseTimestamp(r.GetText(4));
    MORTAR_RETURN_IF_ERROR(tx->Commit());
    // Use is recorded at most once a minute per key (checks are cached meanwhile).
    if (!last_used || now - *last_used >= kUseRecordMillis) RecordUse(p.key_id, now);
    std::lock_guard lock(mu_);
    if (cache_.size() >= kCacheMaxEntries) cache_.clear();
    cache_[cache_key] = Entry{p, now + kCacheMillis};
    return p;
}

}  // namespace mortar::auth
