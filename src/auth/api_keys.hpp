// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "auth/users.hpp"
#include "core/clock.hpp"
#include "core/status.hpp"
#include "db/database.hpp"

namespace mortar::auth {

// Who is calling: the account (tenant) every query is scoped to, and either the API key
// used or the signed-in user. An API key acts as an administrator of its account (keys
// are created by administrators); it sees secrets only with password access.
struct Principal {
    int64_t account_id = 0;
    int64_t key_id = 0;   // 0 for a user
    int64_t user_id = 0;  // 0 for an API key
    bool password_access = false;
    Role role = Role::kAdministrator;
    // False: only the organizations in organization_ids (the user's own list and those of
    // the user's groups). Administrators and managers always have every organization.
    bool all_organizations = true;
    std::vector<int64_t> organization_ids;
    std::vector<int64_t> group_ids;
};

// A stored API key as an administrator sees it: never its secret.
struct ApiKeyInfo {
    int64_t id = 0;
    std::string account_name;
    std::string prefix;  // "ITG.<prefix>" identifies the key in lists and logs
    std::string name;
    bool password_access = false;
    std::string created_at;
    std::string revoked_at;  // "" while active
};

// Finds the account of that name, creating it when missing. Returns its id.
// Blocks on the store.
Result<int64_t> EnsureAccount(db::Database& db, std::string_view name, const Clock& clock);

// Creates an API key for the account (created when missing) and returns the full key
// "ITG.<16 hex>.<64 hex>". Only a hash of the secret part is stored; the key cannot be
// shown again. Blocks on the store.
Result<std::string> CreateApiKey(
    db::Database& db, std::string_view account, std::string_view key_name, bool password_access, const Clock& clock
);

// The same for an existing account, inside the caller's transaction. Returns the key
// and its row id.
struct NewApiKey {
    int64_t id = 0;
    std::string key;
};
Result<NewApiKey> CreateApiKeyIn(
    db::Tx& tx, int64_t account_id, std::string_view key_name, bool password_access, const Clock& clock
);

// Revokes the key whose prefix (the 16 hex digits, with or without "ITG.") matches.
// kNotFound when there is no such active key.
Status RevokeApiKey(db::Database& db, std::string_view prefix, const Clock& clock);

// Lists keys of all accounts (or of one account when `account` is not empty).
Result<std::vector<ApiKeyInfo>> ListApiKeys(db::Database& db, std::string_view account);

// Checks an x-api-key header value. kUnauthenticated for an absent, malformed,
// unknown or revoked key (one message for all, so nothing can be probed). Results are
// cached for up to five seconds per key value (so a revocation made by another process takes effect within five
// seconds); InvalidateAll() clears the cache. A key's use is recorded (last_used_at) at
// most once a minute. Thread safety: thread-safe.
class Authenticator {
public:
    Authenticator(db::Database& db, const Clock& clock);
    Result<Principal> Authenticate(std::string_view header_value);
    void InvalidateAll();

private:
    void RecordUse(int64_t key_id, int64_t now);

    struct Entry {
        Principal principal;
        int64_t expires_at_ms = 0;
    };
    db::Database& db_;
    const Clock& clock_;
    std::mutex mu_;
    std::unordered_map<std::string, Entry> cache_;  // GUARDED_BY(mu_); key: hash of the header value
};

}  // namespace mortar::auth
