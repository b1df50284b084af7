// SPDX-License-Identifier: AGPL-3.0-or-later
#include "api/service.hpp"

#include <exception>

#include <sodium.h>

#include "core/log.hpp"
#include "core/strings.hpp"
#include "jsonapi/document.hpp"

namespace mortar::api {
namespace {

constexpr db::Query kBumpVersion{
    "accounts.bump_data_version", "UPDATE accounts SET data_version = data_version + 1 WHERE id = $1"};
constexpr db::Query kReadVersion{"accounts.data_version", "SELECT data_version FROM accounts WHERE id = $1"};

// A Host header is only trusted when it looks like a host[:port]; anything else could
// inject text into the absolute links of a response.
bool PlausibleHost(std::string_view host) {
    if (host.empty() || host.size() > 255) return false;
    for (char c : host) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                        c == '-' || c == ':' || c == '[' || c == ']' || c == '_';
        if (!ok) return false;
    }
    return true;
}

// The value of cookie `name` in a Cookie header ("a=1; mortar_session=..."), or "".
std::string_view CookieValue(std::string_view header, std::string_view name) {
    while (!header.empty()) {
        const auto semi = header.find(';');
        std::string_view pair = Trim(header.substr(0, semi));
        header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
        const auto eq = pair.find('=');
        if (eq != std::string_view::npos && Trim(pair.substr(0, eq)) == name) return Trim(pair.substr(eq + 1));
    }
    return {};
}

bool ConstantTimeEqual(std::string_view a, std::string_view b) {
    return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

bool ResponseCache::Get(const std::string& key, int64_t version, std::string& body) {
    std::lock_guard lock(mu_);
    auto it = entries_.find(key);
    if (it == entries_.end() || it->second.version != version) return false;
    body = it->second.body;
    return true;
}

void ResponseCache::Put(std::string key, int64_t version, std::string body) {
    std::lock_guard lock(mu_);
    if (entries_.size() >= max_entries_) entries_.clear();
    entries_.insert_or_assign(std::move(key), Entry{version, std::move(body)});
}

Status BumpDataVersion(db::Tx& tx, int64_t account_id) {
    auto stmt = tx.Prepare(kBumpVersion);
    if (!stmt) return stmt.status();
    stmt->Bind(1, account_id);
    auto n = stmt->Execute();
    if (!n) return n.status();
    return Status::Ok();
}

Result<int64_t> ReadDataVersion(db::Database& db, int64_t account_id) {
    auto tx = db.Begin(db::TxMode::kSingleRead);
    if (!tx) return tx.status();
    auto stmt = tx->Prepare(kReadVersion);
    if (!stmt) return stmt.status();
    stmt->Bind(1, account_id);
    auto step = stmt->Step();
    if (!step) return step.status();
    if (!*step) return Status::NotFound("account");
    const int64_t version = stmt->row().GetInt(0);
    MORTAR_RETURN_IF_ERROR(tx->Commit());
    return version;
}

Service::Service(db::Database& db, const Clock& clock, ServiceOptions options)
    : db_(db),
      clock_(clock),
      options_(std::move(options)),
      authenticator_(db, clock),
      sessions_(db, clock, options_.sessions),
      rate_limiter_(options_.rate_limit, options_.rate_window_seconds, clock) {}

http::Response Service::Guard(const std::function<http::Response()>& fn, const http::Request& req) {
    try {
        return fn();
    } catch (const LogicError& e) {
        log::error("internal error on {} {}: {}", http::MethodName(req.method), req.path, e.what());
    } catch (const std::exception& e) {
        log::error("unexpected exception on {} {}: {}", http::MethodName(req.method), req.path, e.what());
    } catch (...) {
        log::error("unknown exception on {} {}", http::MethodName(req.method), req.path);
    }
    return jsonapi::ErrorResponse(500, "the server failed to handle this request; the error was logged");
}

std::optional<http::Response> Service::Prepare(const http::Request& req, Context& ctx) const {
    auto query = jsonapi::DecodeQuery(req.query);
    if (!query) return jsonapi::ErrorResponse(query.status());
    ctx.query = std::move(*query);
    ctx.vault = vault_;
    if (!options_.public_url.empty()) {
        ctx.public_base = options_.public_url;
    } else {
        const std::string_view host = req.Header("host");
        ctx.public_base = "http://" + std::string(PlausibleHost(host) ? host : "localhost");
    }
    ctx.api_base = ctx.public_base + "/api";
    ctx.secure = ctx.public_base.rfind("https://", 0) == 0 || ToLower(Trim(req.Header("x-forwarded-proto"))) == "https";
    return std::nullopt;
}

void Service::Add(http::Router& router, http::Method method, std::string_view pattern, ApiHandler handler) {
    router.Add(method, pattern, [this, handler = std::move(handler)](http::Request& req) {
        return Guard(
            [&]() -> http::Response {
                Context ctx;
                const std::string_view api_key = req.Header("x-api-key");
                const std::string_view cookie =
                    api_key.empty() ? CookieValue(req.Header("cookie"), kSessionCookie) : std::string_view();
                if (!cookie.empty()) {
                    auto session = sessions_.Authenticate(cookie);
                    if (!session) return jsonapi::ErrorResponse(session.status());
                    const bool safe = req.method == http::Method::kGet || req.method == http::Method::kHead;
                    if (!safe && !ConstantTimeEqual(Trim(req.Header("x-csrf-token")), session->csrf_token)) {
                        return jsonapi::ErrorResponse(403, "missing or invalid CSRF token");
                    }
                    ctx.principal = session->principal;
                    ctx.session = std::move(*session);
                } else {
                    auto principal = authenticator_.Authenticate(api_key);
                    if (!principal) return jsonapi::ErrorResponse(principal.status());
                    ctx.principal = std::move(*principal);
                }
                if (const int64_t retry = rate_limiter_.Acquire(ctx.principal.account_id); retry > 0) {
                    http::Response r = jsonapi::ErrorResponse(
                        429,
                        "rate limit exceeded: at most " + std::to_string(options_.rate_limit) + " requests per " +
                            std::to_string(options_.rate_window_seconds) + " seconds"
                    );
                    r.SetHeader("Retry-After", std::to_string(retry));
                    return r;
                }
                if (auto bad = Prepare(req, ctx)) return std::move(*bad);
                return handler(req, ctx);
            },
            req
        );
    });
}

void Service::AddPublic(http::Router& router, http::Method method, std::string_view pattern, ApiHandler handler) {
    router.Add(method, pattern, [this, handler = std::move(handler)](http::Request& req) {
        return Guard(
            [&]() -> http::Response {
                Context ctx;
                if (auto bad = Prepare(req, ctx)) return std::move(*bad);
                return handler(req, ctx);
            },
            req
        );
    });
}

void Service::NoteTable(const std::string& table, const std::string& type, TableAccess access) {
    if (access.restrictable && !tables_.contains(table)) restrictable_.push_back(RestrictableTable{table, type});
    tables_.insert_or_assign(table, std::move(access));
}

const Service::TableAccess* Service::FindTable(const std::string& table) const {
    auto it = tables_.find(table);
    return it == tables_.end() ? nullptr : &it->second;
}

std::string Service::VisibleRows(const auth::Principal& principal, const std::string& table) const {
    const TableAccess* access = FindTable(table);
    if (!access) return "";
    std::string cond = OrganizationCondition(principal, access->organization_sql);
    if (access->restrictable) {
        const std::string grant = GrantCondition(principal, "t", table);
        if (!grant.empty()) cond += (cond.empty() ? "" : " AND ") + grant;
    }
    return cond.empty() ? "" : " AND " + cond;
}

http::Response Service::Fallback(http::Request& req, bool known_path) const {
    const std::string path = http::Router::NormalisePath(req.path);
    if (path == "/api" || path.rfind("/api/", 0) == 0) {
        if (known_path) {
            return jsonapi::ErrorResponse(
                404, std::string("no route for ") + std::string(http::MethodName(req.method)) + " " + path
            );
        }
        return jsonapi::ErrorResponse(404, "no route matches " + path);
    }
    return http::Response::Text(404, "Not Found\n");
}

}  // namespace mortar::api
