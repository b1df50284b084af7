// SPDX-License-Identifier: AGPL-3.0-or-later
#include "browser.hpp"

#include "api_checks.hpp"

namespace mortar::ftest {

std::string LoginDoc(std::string_view email, std::string_view password) {
    return Doc("web-sessions", {{"email", std::string(email)}, {"password", std::string(password)}});
}

std::string CookieFromSetCookie(const std::string& set_cookie, std::string_view name) {
    const std::string prefix = std::string(name) + "=";
    if (set_cookie.rfind(prefix, 0) != 0) return "";
    const auto end = set_cookie.find(';');
    return set_cookie.substr(prefix.size(), end == std::string::npos ? std::string::npos : end - prefix.size());
}

HttpResponse Browser::Login(std::string_view email, std::string_view password, const Headers& headers) {
    HttpResponse r = http_.Send("POST", "/api/web_sessions", LoginDoc(email, password), headers, true);
    if (r.status == 201) {
        const std::string* set_cookie = r.Header("set-cookie");
        cookie_ = set_cookie ? CookieFromSetCookie(*set_cookie, "mortar_session") : "";
        csrf_ = StringAt(r.Json(), "data.attributes.csrf-token");
    }
    return r;
}

HttpResponse Browser::Send(
    std::string_view method, std::string_view target, std::string_view body, bool csrf, const Headers& extra
) {
    Headers headers = extra;
    if (!cookie_.empty()) headers.emplace_back("Cookie", "mortar_session=" + cookie_);
    if (csrf && method != "GET" && method != "HEAD" && !csrf_.empty()) headers.emplace_back("X-CSRF-Token", csrf_);
    return http_.Send(method, target, body, headers, true);
}

}  // namespace mortar::ftest
