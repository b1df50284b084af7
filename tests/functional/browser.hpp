// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

// A client that signs in like the web UI: POST /api/web_sessions, then the session
// cookie on every request and the session's X-CSRF-Token on writes. No API key.

#include <string>
#include <string_view>

#include "harness.hpp"

namespace mortar::ftest {

// {"data":{"type":"web-sessions","attributes":{"email":..,"password":..}}}.
std::string LoginDoc(std::string_view email, std::string_view password);

// The value of cookie `name` in a Set-Cookie header ("" when it is another cookie).
std::string CookieFromSetCookie(const std::string& set_cookie, std::string_view name);

// Thread safety: confined to one thread.
class Browser {
public:
    explicit Browser(const std::string& base_url) : http_(base_url, "") {}

    // Signs in; on 201 keeps the cookie and the CSRF token. Returns the response.
    HttpResponse Login(std::string_view email, std::string_view password, const Headers& headers = {});
    // Sends with the session cookie (when signed in) and, unless `csrf` is false, the
    // CSRF token on anything but GET/HEAD.
    HttpResponse Send(
        std::string_view method,
        std::string_view target,
        std::string_view body = {},
        bool csrf = true,
        const Headers& extra = {}
    );
    HttpResponse Get(std::string_view target) { return Send("GET", target); }
    HttpResponse Post(std::string_view target, std::string_view body) { return Send("POST", target, body); }
    HttpResponse Patch(std::string_view target, std::string_view body) { return Send("PATCH", target, body); }
    HttpResponse Delete(std::string_view target, std::string_view body = {}) { return Send("DELETE", target, body); }

    const std::string& cookie() const { return cookie_; }
    const std::string& csrf() const { return csrf_; }
    void set_cookie(std::string cookie) { cookie_ = std::move(cookie); }
    void set_csrf(std::string csrf) { csrf_ = std::move(csrf); }

private:
    HttpClient http_;
    std::string cookie_;  // the session token
    std::string csrf_;
};

}  // namespace mortar::ftest
