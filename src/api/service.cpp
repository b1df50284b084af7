// SPDX-License-Identifier: AGPL-3.0-or-later
#include "api/service.hpp"

#include <exception>

#include "core/log.hpp"
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

void Service::Add(http::Router& router, http::Method method, std::string_view pattern, ApiHandler handler) {
    router.Add(method, pattern, [this, handler = std::move(handler)](http::Request& req) {
        return Guard(
            [&]() -> http::Response {
                auto principal = authenticator_.Authenticate(req.Header("x-api-key"));
                if (!principal) return jsonapi::ErrorResponse(principal.status());
                if (const int64_t retry = rate_limiter_.Acquire(principal->account_id); retry > 0) {
                    http::Response r = jsonapi::ErrorResponse(
                        429,
                        "rate limit exceeded: at most " + std::to_string(options_.rate_limit) + " requests per " +
                            std::to_string(options_.rate_window_seconds) + " seconds"
                    );
                    r.SetHeader("Retry-After", std::to_string(retry));
                    return r;
                }
                auto query = jsonapi::DecodeQuery(req.query);
                if (!query) return jsonapi::ErrorResponse(query.status());
                Context ctx;
                ctx.principal = *principal;
                ctx.query = std::move(*query);
                ctx.vault = vault_;
                if (!options_.public_url.empty()) {
                    ctx.public_base = options_.public_url;
                } else {
                    const std::string_view host = req.Header("host");
                    ctx.public_base = "http://" + std::string(PlausibleHost(host) ? host : "localhost");
                }
                ctx.api_base = ctx.public_base + "/api";
                return handler(req, ctx);
            },
            req
        );
    });
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
