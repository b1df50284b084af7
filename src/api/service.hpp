// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "api/access.hpp"
#include "auth/api_keys.hpp"
#include "auth/rate_limiter.hpp"
#include "auth/web_sessions.hpp"
#include "core/clock.hpp"
#include "db/database.hpp"
#include "http/router.hpp"
#include "jsonapi/query.hpp"
#include "vault/vault.hpp"

namespace mortar::api {

struct ServiceOptions {
    // "http://mortar.example:8080": links and resource URLs are built from it. Empty:
    // from the request's Host header.
    std::string public_url;
    int64_t rate_limit = 3000;  // requests per window per account; 0 disables
    int64_t rate_window_seconds = 300;
    bool response_cache = true;    // cache list pages per account until the next write
    auth::SessionPolicy sessions;  // web session expiry and login lockout
};

// The cookie that carries a web session's token.
inline constexpr std::string_view kSessionCookie = "mortar_session";

// What an API handler knows about the request beyond http::Request.
struct Context {
    auth::Principal principal;
    std::string api_base;                 // "http://host:port/api"
    std::string public_base;              // "http://host:port"
    jsonapi::QueryPairs query;            // the decoded query string
    const vault::Vault* vault = nullptr;  // seals and opens secrets; null when not configured
    // Set when the request is authenticated by a web session cookie (not an API key).
    std::optional<auth::WebSession> session;
    // Whether the request came over https (the public URL, or X-Forwarded-Proto): cookies
    // are then marked Secure.
    bool secure = false;
};

using ApiHandler = std::function<http::Response(http::Request&, Context&)>;

// Caches rendered GET responses per account. An entry is valid while the account's
// data version (accounts.data_version, bumped by every write transaction through
// BumpDataVersion) is unchanged. Thread safety: thread-safe.
class ResponseCache {
public:
    explicit ResponseCache(std::size_t max_entries = 4096) : max_entries_(max_entries) {}
    // The cached body for `key` at `version`, or false.
    bool Get(const std::string& key, int64_t version, std::string& body);
    void Put(std::string key, int64_t version, std::string body);

private:
    struct Entry {
        int64_t version;
        std::string body;
    };
    const std::size_t max_entries_;
    std::mutex mu_;
    std::unordered_map<std::string, Entry> entries_;  // GUARDED_BY(mu_)
};

// Marks the account's data as changed, inside the writing transaction. Every write
// to account data must call it so cached responses are not served stale.
Status BumpDataVersion(db::Tx& tx, int64_t account_id);
// Reads the account's data version in a lone statement (TxMode::kSingleRead).
Result<int64_t> ReadDataVersion(db::Database& db, int64_t account_id);

// The API service: wires authentication (x-api-key), the per-account rate limit, the
// JSON:API error boundary and the decoded query around each handler.
// Thread safety: routes are added before serving; handlers then run concurrently.
class Service {
public:
    Service(db::Database& db, const Clock& clock, ServiceOptions options);

    db::Database& db() { return db_; }
    db::Dialect dialect() const { return db_.dialect(); }
    const Clock& clock() const { return clock_; }
    const ServiceOptions& options() const { return options_; }
    ResponseCache* cache() { return options_.response_cache ? &cache_ : nullptr; }
    auth::Authenticator& authenticator() { return authenticator_; }
    auth::WebSessions& sessions() { return sessions_; }
    // The vault for secret attributes; must be set before serving and outlive the Service.
    void set_vault(const vault::Vault* vault) { vault_ = vault; }

    // Adds an authenticated API route. `pattern` is a Router pattern under /api. A request
    // is authenticated by its x-api-key header or, without one, by the session cookie;
    // a cookie-authenticated request other than GET/HEAD must carry the session's
    // X-CSRF-Token (403 otherwise).
    void Add(http::Router& router, http::Method method, std::string_view pattern, ApiHandler handler);
    // Adds an API route that needs no credentials (login); ctx.principal is empty.
    void AddPublic(http::Router& router, http::Method method, std::string_view pattern, ApiHandler handler);

    // What the access checks know of each registered table: the organization
    // expression of its records and whether they can be restricted. Filled while routes
    // are registered, read-only while serving.
    struct TableAccess {
        std::string organization_sql;  // over alias t; "" when not tied to an organization
        bool restrictable = false;
    };
    void NoteTable(const std::string& table, const std::string& type, TableAccess access);
    // Types whose activity events only administrators see ("mortar-users").
    void NoteAdministrationType(std::string type) { admin_types_.push_back(std::move(type)); }
    const TableAccess* FindTable(const std::string& table) const;
    const std::vector<RestrictableTable>& restrictable() const { return restrictable_; }
    const std::vector<std::string>& administration_types() const { return admin_types_; }
    // " AND ..." restricting rows of `table` (alias t) to what the principal may see, or "".
    std::string VisibleRows(const auth::Principal& principal, const std::string& table) const;

    // The fallback for unmatched paths: JSON:API 404 under /api, `ui` elsewhere.
    http::Response Fallback(http::Request& req, bool known_path) const;

    // Wraps any handler with the last-resort error boundary (500 JSON body, logged).
    static http::Response Guard(const std::function<http::Response()>& fn, const http::Request& req);

private:
    // Fills the context's query, URLs and vault; an error response when the query is bad.
    std::optional<http::Response> Prepare(const http::Request& req, Context& ctx) const;

    db::Database& db_;
    const Clock& clock_;
    const ServiceOptions options_;
    auth::Authenticator authenticator_;
    auth::WebSessions sessions_;
    auth::RateLimiter rate_limiter_;
    ResponseCache cache_;
    const vault::Vault* vault_ = nullptr;
    std::unordered_map<std::string, TableAccess> tables_;
    std::vector<RestrictableTable> restrictable_;
    std::vector<std::string> admin_types_;
};

}  // namespace mortar::api
