// SPDX-License-Identifier: AGPL-3.0-or-later
#include "api/web_sessions.hpp"

#include <string>

#include "core/json_writer.hpp"
#include "jsonapi/body.hpp"
#include "jsonapi/document.hpp"

namespace mortar::api {
namespace {

using http::Request;
using http::Response;

std::string CookieAttributes(const Context& ctx) {
    return std::string("; Path=/; HttpOnly; SameSite=Strict") + (ctx.secure ? "; Secure" : "");
}

Response SessionResponse(int status, const auth::WebSession& s) {
    json::Writer w;
    w.BeginObject();
    w.Key("data");
    w.BeginObject();
    w.Key("id");
    w.String(std::to_string(s.id));
    w.Key("type");
    w.String("web-sessions");
    w.Key("attributes");
    w.BeginObject();
    w.Key("csrf-token");
    w.String(s.csrf_token);
    w.Key("user-id");
    w.Int(s.principal.user_id);
    w.Key("email");
    w.String(s.email);
    w.Key("name");
    w.String(s.name);
    w.Key("role");
    w.String(auth::RoleName(s.principal.role));
    w.Key("expires-at");
    w.String(s.expires_at);
    w.EndObject();
    w.EndObject();
    w.EndObject();
    Response r = Response::JsonApi(status, w.Take());
    r.SetHeader("Cache-Control", "no-store");
    return r;
}

Response LockedOut(const Status& s, const auth::Lockout& lockout) {
    Response r = jsonapi::ErrorResponse(s);
    r.SetHeader("Retry-After", std::to_string(lockout.retry_after_seconds));
    return r;
}

// The string attribute `name` of a session body, "" when absent; 422 when not a string.
Result<std::string> StringAttr(const jsonapi::ResourceInput& input, std::string_view name) {
    const json::Value* v = input.Attr(name);
    if (!v) return std::string();
    if (!v->is_string()) return Status::Unprocessable("must be a string", input.Pointer(name, false));
    return v->as_string();
}

Result<jsonapi::ResourceInput> ParseSessionBody(const Request& req) {
    MORTAR_RETURN_IF_ERROR(jsonapi::CheckContentType(req.Header("content-type"), req.body));
    auto body = jsonapi::ParseBody(req.body, "web_sessions", jsonapi::BodyShape::kSingle);
    if (!body) return body.status();
    return std::move(body->resources.front());
}

Response Login(Service& svc, Request& req, Context& ctx) {
    auto input = ParseSessionBody(req);
    if (!input) return jsonapi::ErrorResponse(input.status());
    auto email = StringAttr(*input, "email");
    if (!email) return jsonapi::ErrorResponse(email.status());
    auto password = StringAttr(*input, "password");
    if (!password) return jsonapi::ErrorResponse(password.status());
    auth::Lockout lockout;
    auto session = svc.sessions().Login(*email, *password, &lockout);
    if (!session) {
        if (session.status().code() == Code::kResourceExhausted) return LockedOut(session.status(), lockout);
        return jsonapi::ErrorResponse(session.status());
    }
    Response r = SessionResponse(201, *session);
    r.SetHeader("Set-Cookie", std::string(kSessionCookie) + "=" + session->token + CookieAttributes(ctx));
    return r;
}

Response NotSignedIn() {
    return jsonapi::ErrorResponse(401, "not signed in, or the session has ended");
}

Response Current(Request&, Context& ctx) {
    if (!ctx.session) return NotSignedIn();
    return SessionResponse(200, *ctx.session);
}

Response Logout(Service& svc, Request&, Context& ctx) {
    if (!ctx.session) return NotSignedIn();
    if (Status s = svc.sessions().Logout(ctx.session->id); !s.ok()) return jsonapi::ErrorResponse(s);
    Response r = Response::NoContent();
    r.SetHeader("Set-Cookie", std::string(kSessionCookie) + "=" + CookieAttributes(ctx) + "; Max-Age=0");
    r.SetHeader("Cache-Control", "no-store");
    return r;
}

Response ChangePassword(Service& svc, Request& req, Context& ctx) {
    if (!ctx.session) return NotSignedIn();
    auto input = ParseSessionBody(req);
    if (!input) return jsonapi::ErrorResponse(input.status());
    auto current = StringAttr(*input, "current_password");
    if (!current) return jsonapi::ErrorResponse(current.status());
    auto next = StringAttr(*input, "new_password");
    if (!next) return jsonapi::ErrorResponse(next.status());
    auth::Lockout lockout;
    Status s = svc.sessions().ChangePassword(*ctx.session, *current, *next, &lockout);
    if (!s.ok()) {
        if (s.code() == Code::kResourceExhausted) return LockedOut(s, lockout);
        return jsonapi::ErrorResponse(s);
    }
    return SessionResponse(200, *ctx.session);
}

}  // namespace

void RegisterWebSessions(Service& svc, http::Router& router) {
    using M = http::Method;
    svc.AddPublic(router, M::kPost, "/api/web_sessions", [&svc](Request& req, Context& ctx) {
        return Login(svc, req, ctx);
    });
    svc.Add(router, M::kGet, "/api/web_sessions/current", [](Request& req, Context& ctx) { return Current(req, ctx); });
    svc.Add(router, M::kPatch, "/api/web_sessions/current", [&svc](Request& req, Context& ctx) {
        return ChangePassword(svc, req, ctx);
    });
    svc.Add(router, M::kDelete, "/api/web_sessions/current", [&svc](Request& req, Context& ctx) {
        return Logout(svc, req, ctx);
    });
}

}  // namespace mortar::api
