// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Web sessions on a real server (SPEC ACL-4): login with email and password, the
// session cookie's flags, CSRF refusal for cookie-authenticated writes, the lockout
// after repeated failures, logout and password change ending sessions, and the first
// administrator created by `mortar admin create-user`.

#include "browser.hpp"
#include "resource_test_base.hpp"

namespace mortar::ftest {
namespace {

constexpr const char* kPassword = "correct horse battery";

class WebSessionsTest : public BackendTest {
protected:
    // A new user of account A with a unique email; returns the email.
    std::string NewUser(const std::string& role = "administrator", const std::string& account = "") {
        const std::string email = tag_ + "-" + std::to_string(++users_) + "@Example.com";
        std::string error;
        auto id = server_->CreateUser(email, "User " + tag_, role, kPassword, account, &error);
        EXPECT_TRUE(id.has_value()) << error;
        return email;
    }
    int users_ = 0;
};

std::string Lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

TEST_P(WebSessionsTest, LoginSetsAnHttpOnlySameSiteCookieAndCurrentShowsTheSession) {
    const std::string email = NewUser();
    Browser browser(server_->base_url());
    HttpResponse login = browser.Login(Lower(email), kPassword);
    ASSERT_TRUE(HasStatus(login, 201));
    const std::string* set_cookie = login.Header("set-cookie");
    ASSERT_NE(set_cookie, nullptr) << login.Describe();
    EXPECT_EQ(set_cookie->rfind("mortar_session=", 0), 0u) << *set_cookie;
    EXPECT_NE(set_cookie->find("; HttpOnly"), std::string::npos) << *set_cookie;
    EXPECT_NE(set_cookie->find("; SameSite=Strict"), std::string::npos) << *set_cookie;
    EXPECT_NE(set_cookie->find("; Path=/"), std::string::npos) << *set_cookie;
    EXPECT_EQ(set_cookie->find("Secure"), std::string::npos) << "plain http: no Secure flag: " << *set_cookie;
    EXPECT_EQ(browser.cookie().size(), 64u);
    EXPECT_EQ(login.body.find(browser.cookie()), std::string::npos) << "the token is only in the cookie";

    const json::Value& data = *login.Json().Find("data");
    EXPECT_EQ(StringAt(data, "type"), "web-sessions");
    EXPECT_GT(IdOf(data), 0);
    EXPECT_EQ(StringAt(data, "attributes.email"), Lower(email));
    EXPECT_EQ(StringAt(data, "attributes.role"), "administrator");
    EXPECT_EQ(StringAt(data, "attributes.name"), "User " + tag_);
    EXPECT_TRUE(IsTimestamp(ValueAt(data, "attributes.expires-at")));
    EXPECT_TRUE(ValueAt(data, "attributes.user-id").is_int());
    EXPECT_FALSE(browser.csrf().empty());

    HttpResponse current = browser.Get("/api/web_sessions/current");
    ASSERT_TRUE(HasStatus(current, 200));
    EXPECT_EQ(StringAt(current.Json(), "data.id"), StringAt(data, "id"));
    EXPECT_EQ(StringAt(current.Json(), "data.attributes.csrf-token"), browser.csrf());
    // The cookie alone works on every API route.
    EXPECT_TRUE(HasStatus(browser.Get("/api/organizations"), 200));
    // No cookie, no session.
    HttpClient anon(server_->base_url(), "");
    EXPECT_TRUE(IsErrorResponse(anon.Get("/api/web_sessions/current"), 401));
    // An API key is not a session.
    EXPECT_TRUE(IsErrorResponse(clients_->a.Get("/api/web_sessions/current"), 401));
}

TEST_P(WebSessionsTest, CookieIsSecureBehindHttps) {
    const std::string email = NewUser();
    Browser browser(server_->base_url());
    HttpResponse login = browser.Login(email, kPassword, {{"X-Forwarded-Proto", "https"}});
    ASSERT_TRUE(HasStatus(login, 201));
    ASSERT_NE(login.Header("set-cookie"), nullptr);
    EXPECT_NE(login.Header("set-cookie")->find("; Secure"), std::string::npos) << *login.Header("set-cookie");
}

TEST_P(WebSessionsTest, UnknownEmailAndWrongPasswordAnswerTheSame401) {
    const std::string email = NewUser();
    Browser browser(server_->base_url());
    HttpResponse wrong = browser.Login(email, "not the password at all");
    HttpResponse unknown = browser.Login(tag_ + "-nobody@example.com", kPassword);
    ASSERT_TRUE(IsErrorResponse(wrong, 401));
    ASSERT_TRUE(IsErrorResponse(unknown, 401));
    EXPECT_EQ(wrong.body, unknown.body);
    EXPECT_EQ(wrong.Header("set-cookie"), nullptr);
    EXPECT_TRUE(IsErrorResponse(browser.Login(email, ""), 401));
}

TEST_P(WebSessionsTest, CookieWritesNeedTheSessionsCsrfToken) {
    const std::string email = NewUser();
    Browser browser(server_->base_url());
    ASSERT_TRUE(HasStatus(browser.Login(email, kPassword), 201));
    const std::string body = Doc("organizations", {{"name", tag_ + " csrf"}});
    const std::string refused =
        R"({"errors":[{"status":403,"title":"Forbidden","detail":"missing or invalid CSRF token"}]})";

    HttpResponse missing = browser.Send("POST", "/api/organizations", body, false);
    ASSERT_TRUE(IsErrorResponse(missing, 403));
    EXPECT_EQ(missing.body, refused);
    HttpResponse wrong = browser.Send("POST", "/api/organizations", body, false, {{"X-CSRF-Token", "0123abcd"}});
    ASSERT_TRUE(IsErrorResponse(wrong, 403));
    EXPECT_EQ(wrong.body, refused);
    // Another session's token does not do either.
    Browser other(server_->base_url());
    ASSERT_TRUE(HasStatus(other.Login(email, kPassword), 201));
    EXPECT_TRUE(
        IsErrorResponse(browser.Send("POST", "/api/organizations", body, false, {{"X-CSRF-Token", other.csrf()}}), 403)
    );
    // Refused writes wrote nothing.
    HttpResponse list = clients_->a.Get("/api/organizations?filter[name]=" + UrlEncode(tag_ + " csrf"));
    ASSERT_TRUE(HasStatus(list, 200));
    EXPECT_TRUE(IdsOf(list.Json()).empty());
    // Delete and patch too.
    EXPECT_TRUE(IsErrorResponse(browser.Send("DELETE", "/api/web_sessions/current", "", false), 403));

    HttpResponse created = browser.Post("/api/organizations", body);
    ASSERT_TRUE(HasStatus(created, 201));
    // Reads need no token; API-key writes need none.
    EXPECT_TRUE(HasStatus(browser.Send("GET", "/api/organizations", "", false), 200));
    EXPECT_TRUE(HasStatus(clients_->a.Post("/api/organizations", Doc("organizations", {{"name", tag_ + " k"}})), 201));
    // The user's writes are logged with the user.
    HttpResponse events = clients_->a.Get(
        "/api/activity_events?filter[resource_type]=organizations&filter[resource_id]=" +
        std::to_string(IdOf(*created.Json().Find("data")))
    );
    ASSERT_TRUE(HasStatus(events, 200));
    EXPECT_EQ(
        ValueAt(events.Json(), "data.0.attributes.actor-user-id").as_int(),
        ValueAt(browser.Get("/api/web_sessions/current").Json(), "data.attributes.user-id").as_int()
    );
}

TEST_P(WebSessionsTest, RepeatedFailuresLockTheEmailOut) {
    const std::string email = NewUser();
    const std::string bystander = NewUser();
    Browser browser(server_->base_url());
    for (int i = 0; i < 5; ++i) {
        EXPECT_TRUE(IsErrorResponse(browser.Login(email, "wrong password " + std::to_string(i)), 401)) << i;
    }
    // Locked: even the right password is refused, with a time to come back.
    HttpResponse locked = browser.Login(email, kPassword);
    ASSERT_TRUE(IsErrorResponse(locked, 429));
    ASSERT_NE(locked.Header("retry-after"), nullptr);
    const int64_t retry = std::stoll(*locked.Header("retry-after"));
    EXPECT_GT(retry, 0);
    EXPECT_LE(retry, 30);
    EXPECT_EQ(locked.Header("set-cookie"), nullptr);
    // The spelling of the email does not matter.
    EXPECT_TRUE(IsErrorResponse(browser.Login(Lower(email), kPassword), 429));
    // Unknown emails are throttled just the same (nothing tells them apart).
    const std::string nobody = tag_ + "-nobody@example.com";
    for (int i = 0; i < 5; ++i) EXPECT_TRUE(IsErrorResponse(browser.Login(nobody, "guess"), 401));
    EXPECT_TRUE(IsErrorResponse(browser.Login(nobody, "guess"), 429));
    // Another user is not affected.
    EXPECT_TRUE(HasStatus(browser.Login(bystander, kPassword), 201));
}

TEST_P(WebSessionsTest, LogoutEndsTheSessionAndClearsTheCookie) {
    const std::string email = NewUser();
    Browser browser(server_->base_url());
    ASSERT_TRUE(HasStatus(browser.Login(email, kPassword), 201));
    Browser second(server_->base_url());
    ASSERT_TRUE(HasStatus(second.Login(email, kPassword), 201));

    HttpResponse out = browser.Delete("/api/web_sessions/current");
    ASSERT_TRUE(HasStatus(out, 204));
    ASSERT_NE(out.Header("set-cookie"), nullptr);
    EXPECT_EQ(out.Header("set-cookie")->rfind("mortar_session=;", 0), 0u) << *out.Header("set-cookie");
    EXPECT_NE(out.Header("set-cookie")->find("Max-Age=0"), std::string::npos);
    // The old cookie is worthless now, on every route.
    EXPECT_TRUE(IsErrorResponse(browser.Get("/api/web_sessions/current"), 401));
    EXPECT_TRUE(IsErrorResponse(browser.Get("/api/organizations"), 401));
    EXPECT_TRUE(IsErrorResponse(browser.Delete("/api/web_sessions/current"), 401));
    // The user's other session lives on.
    EXPECT_TRUE(HasStatus(second.Get("/api/web_sessions/current"), 200));
    // A forged cookie is no session.
    Browser forged(server_->base_url());
    forged.set_cookie(std::string(64, 'a'));
    EXPECT_TRUE(IsErrorResponse(forged.Get("/api/organizations"), 401));
    forged.set_cookie("../../etc/passwd");
    EXPECT_TRUE(IsErrorResponse(forged.Get("/api/organizations"), 401));
}

TEST_P(WebSessionsTest, PasswordChangeChecksBothPasswordsAndEndsOtherSessions) {
    const std::string email = NewUser("read-only");
    Browser browser(server_->base_url());
    ASSERT_TRUE(HasStatus(browser.Login(email, kPassword), 201));
    Browser other(server_->base_url());
    ASSERT_TRUE(HasStatus(other.Login(email, kPassword), 201));
    const std::string next = "a much longer new passphrase";
    auto change = [&](const std::string& current, const std::string& fresh) {
        return browser.Patch(
            "/api/web_sessions/current", Doc("web-sessions", {{"current-password", current}, {"new-password", fresh}})
        );
    };
    EXPECT_TRUE(IsErrorResponse(change("not it at all", next), 422, {"/data/attributes/current-password"}));
    EXPECT_TRUE(IsErrorResponse(change(kPassword, "short"), 422, {"/data/attributes/new-password"}));
    EXPECT_TRUE(HasStatus(other.Get("/api/web_sessions/current"), 200)) << "failed changes end nothing";
    HttpResponse changed = change(kPassword, next);
    ASSERT_TRUE(HasStatus(changed, 200));
    EXPECT_EQ(StringAt(changed.Json(), "data.attributes.role"), "read-only");
    // Even a read-only user may change the own password; the other session ended.
    EXPECT_TRUE(HasStatus(browser.Get("/api/web_sessions/current"), 200));
    EXPECT_TRUE(IsErrorResponse(other.Get("/api/web_sessions/current"), 401));
    Browser fresh(server_->base_url());
    EXPECT_TRUE(IsErrorResponse(fresh.Login(email, kPassword), 401));
    EXPECT_TRUE(HasStatus(fresh.Login(email, next), 201));
}

TEST_P(WebSessionsTest, CreateUserRefusesShortPasswordsDuplicateEmailsAndUnknownRoles) {
    const std::string email = NewUser();
    std::string error;
    EXPECT_FALSE(server_->CreateUser(email, "Again", "administrator", kPassword, "", &error).has_value());
    EXPECT_NE(error.find("exists already"), std::string::npos) << error;
    EXPECT_FALSE(server_->CreateUser(tag_ + "-s@example.com", "Short", "editor", "short", "", &error).has_value());
    EXPECT_NE(error.find("too short"), std::string::npos) << error;
    EXPECT_FALSE(server_->CreateUser(tag_ + "-r@example.com", "Role", "owner", kPassword, "", &error).has_value());
    EXPECT_NE(error.find("--role must be"), std::string::npos) << error;
    EXPECT_EQ(error.find(kPassword), std::string::npos) << "the password is never echoed";
    // A user of another account signs in to that account.
    const std::string b_email = NewUser("administrator", "other");
    Browser browser(server_->base_url());
    ASSERT_TRUE(HasStatus(browser.Login(b_email, kPassword), 201));
    HttpResponse mine = clients_->a.Post("/api/organizations", Doc("organizations", {{"name", tag_ + " of A"}}));
    ASSERT_TRUE(HasStatus(mine, 201));
    const std::string one = "/api/organizations/" + std::to_string(IdOf(*mine.Json().Find("data")));
    EXPECT_TRUE(IsErrorResponse(browser.Get(one), 404));
    EXPECT_EQ(browser.Get(one).body, clients_->b.Get(one).body) << "the same 404 as account B's key gets";
}

// The administration API as the web UI uses it: users, groups and keys.
TEST_P(WebSessionsTest, AdministratorsManageUsersGroupsAndKeys) {
    const std::string admin_email = NewUser();
    Browser admin(server_->base_url());
    ASSERT_TRUE(HasStatus(admin.Login(admin_email, kPassword), 201));
    const int64_t admin_id = ValueAt(admin.Get("/api/web_sessions/current").Json(), "data.attributes.user-id").as_int();

    // Create a user; the password is never echoed, the email is lower-cased.
    const std::string email = tag_ + "-Made@Example.com";
    HttpResponse made = admin.Post(
        "/api/mortar_users",
        Doc("mortar-users", {{"email", email}, {"name", "Made " + tag_}, {"role", "Editor"}, {"password", kPassword}})
    );
    ASSERT_TRUE(HasStatus(made, 201));
    EXPECT_EQ(made.body.find(kPassword), std::string::npos);
    const json::Value& user = *made.Json().Find("data");
    EXPECT_TRUE(IsResourceObject(user, "mortar-users"));
    const int64_t user_id = IdOf(user);
    EXPECT_EQ(StringAt(user, "attributes.email"), Lower(email));
    EXPECT_EQ(StringAt(user, "attributes.role"), "editor");
    EXPECT_TRUE(ValueAt(user, "attributes.all-organizations").as_bool());
    EXPECT_TRUE(JsonEqual(ValueAt(user, "attributes.organization-ids"), json::Value(JArray{})));
    EXPECT_TRUE(ValueAt(user, "attributes.last-login-at").is_null());
    // Validation: a taken email, a short password, an unknown role, a missing password.
    EXPECT_TRUE(IsErrorResponse(
        admin.Post(
            "/api/mortar_users",
            Doc("mortar-users", {{"email", Lower(email)}, {"name", "x"}, {"role", "editor"}, {"password", kPassword}})
        ),
        422,
        {"/data/attributes/email"}
    ));
    EXPECT_TRUE(IsErrorResponse(
        admin.Post(
            "/api/mortar_users",
            Doc("mortar-users",
                {{"email", tag_ + "-x@example.com"}, {"name", "x"}, {"role", "editor"}, {"password", "short"}})
        ),
        422,
        {"/data/attributes/password"}
    ));
    EXPECT_TRUE(IsErrorResponse(
        admin.Post(
            "/api/mortar_users",
            Doc("mortar-users",
                {{"email", tag_ + "-y@example.com"}, {"name", "y"}, {"role", "owner"}, {"password", kPassword}})
        ),
        422,
        {"/data/attributes/role"}
    ));
    EXPECT_TRUE(IsErrorResponse(
        admin.Post(
            "/api/mortar_users",
            Doc("mortar-users", {{"email", tag_ + "-z@example.com"}, {"name", "z"}, {"role", "lite"}})
        ),
        422,
        {"/data/attributes/password"}
    ));
    HttpResponse by_email = admin.Get("/api/mortar_users?filter[email]=" + UrlEncode(Lower(email)));
    ASSERT_TRUE(HasStatus(by_email, 200));
    EXPECT_EQ(IdsOf(by_email.Json()), std::vector<int64_t>{user_id});

    // A group with the user; the user shows the group.
    HttpResponse group = admin.Post(
        "/api/mortar_groups", Doc("mortar-groups", {{"name", tag_ + " techs"}, {"member-ids", JArray{user_id}}})
    );
    ASSERT_TRUE(HasStatus(group, 201));
    const int64_t group_id = IdOf(*group.Json().Find("data"));
    EXPECT_TRUE(JsonEqual(ValueAt(group.Json(), "data.attributes.member-ids"), json::Value(JArray{user_id})));
    EXPECT_TRUE(JsonEqual(
        ValueAt(admin.Get("/api/mortar_users/" + std::to_string(user_id)).Json(), "data.attributes.group-ids"),
        json::Value(JArray{group_id})
    ));
    EXPECT_TRUE(IsErrorResponse(
        admin.Patch(
            "/api/mortar_groups/" + std::to_string(group_id), Doc("mortar-groups", {{"member-ids", JArray{999999999}}})
        ),
        422
    ));

    // The user signs in; an administrator's new password and disabling end the session.
    Browser user_browser(server_->base_url());
    ASSERT_TRUE(HasStatus(user_browser.Login(email, kPassword), 201));
    EXPECT_TRUE(
        IsResourceObject(*admin.Get("/api/mortar_users/" + std::to_string(user_id)).Json().Find("data"), "mortar-users")
    );
    EXPECT_TRUE(IsTimestamp(
        ValueAt(admin.Get("/api/mortar_users/" + std::to_string(user_id)).Json(), "data.attributes.last-login-at")
    ));
    for (int i = 0; i < 5; ++i) user_browser.Login(email, "wrong wrong wrong");
    ASSERT_TRUE(IsErrorResponse(user_browser.Login(email, kPassword), 429));
    EXPECT_TRUE(IsTimestamp(
        ValueAt(admin.Get("/api/mortar_users/" + std::to_string(user_id)).Json(), "data.attributes.locked-until")
    ));
    Browser still(server_->base_url());
    still.set_cookie(user_browser.cookie());
    still.set_csrf(user_browser.csrf());
    const std::string reset = "another long password";
    ASSERT_TRUE(HasStatus(
        admin.Patch("/api/mortar_users/" + std::to_string(user_id), Doc("mortar-users", {{"password", reset}})), 200
    ));
    EXPECT_TRUE(IsErrorResponse(still.Get("/api/web_sessions/current"), 401)) << "the reset ended the session";
    ASSERT_TRUE(HasStatus(user_browser.Login(email, reset), 201)) << "and lifted the lockout";
    ASSERT_TRUE(HasStatus(
        admin.Patch("/api/mortar_users/" + std::to_string(user_id), Doc("mortar-users", {{"disabled", true}})), 200
    ));
    EXPECT_TRUE(IsErrorResponse(user_browser.Get("/api/web_sessions/current"), 401));
    EXPECT_TRUE(IsErrorResponse(user_browser.Login(email, reset), 401));

    // Administrators cannot lock themselves out.
    const std::string self = "/api/mortar_users/" + std::to_string(admin_id);
    EXPECT_TRUE(
        IsErrorResponse(admin.Patch(self, Doc("mortar-users", {{"role", "manager"}})), 422, {"/data/attributes/role"})
    );
    EXPECT_TRUE(IsErrorResponse(
        admin.Patch(self, Doc("mortar-users", {{"disabled", true}})), 422, {"/data/attributes/disabled"}
    ));
    EXPECT_TRUE(IsErrorResponse(admin.Delete(self), 422));
    EXPECT_TRUE(HasStatus(admin.Get(self), 200)) << "still there";

    // Keys: created with the secret shown once, listed without it, revoked at once.
    HttpResponse key =
        admin.Post("/api/api_keys", Doc("api-keys", {{"name", tag_ + " script"}, {"password-access", true}}));
    ASSERT_TRUE(HasStatus(key, 201));
    const std::string secret = StringAt(key.Json(), "data.attributes.key");
    const int64_t key_id = IdOf(*key.Json().Find("data"));
    ASSERT_EQ(secret.rfind("ITG.", 0), 0u) << key.Describe();
    EXPECT_EQ(StringAt(key.Json(), "data.attributes.prefix"), secret.substr(0, 20));
    EXPECT_TRUE(ValueAt(key.Json(), "data.attributes.password-access").as_bool());
    HttpResponse keys = admin.Get("/api/api_keys?page[size]=1000");
    ASSERT_TRUE(HasStatus(keys, 200));
    EXPECT_EQ(keys.body.find(secret.substr(21)), std::string::npos) << "never the secret";
    const std::vector<int64_t> key_ids = IdsOf(keys.Json());
    EXPECT_NE(std::find(key_ids.begin(), key_ids.end(), key_id), key_ids.end());
    HttpClient with_key(server_->base_url(), secret);
    EXPECT_TRUE(HasStatus(with_key.Get("/api/organizations"), 200));
    EXPECT_TRUE(IsTimestamp(
        ValueAt(admin.Get("/api/api_keys/" + std::to_string(key_id)).Json(), "data.attributes.last-used-at")
    )) << "its use is recorded";
    EXPECT_TRUE(
        IsErrorResponse(admin.Post("/api/api_keys", Doc("api-keys", {{"name", ""}})), 422, {"/data/attributes/name"})
    );
    ASSERT_TRUE(HasStatus(admin.Delete("/api/api_keys/" + std::to_string(key_id)), 204));
    EXPECT_TRUE(IsErrorResponse(with_key.Get("/api/organizations"), 401)) << "revoked at once";
    EXPECT_TRUE(IsErrorResponse(admin.Delete("/api/api_keys/" + std::to_string(key_id)), 404)) << "revoked once";
    EXPECT_TRUE(
        IsTimestamp(ValueAt(admin.Get("/api/api_keys/" + std::to_string(key_id)).Json(), "data.attributes.revoked-at"))
    );

    // User administration is logged, and only administrators see it.
    HttpResponse events = admin.Get(
        "/api/activity_events?filter[resource_type]=mortar-users&filter[resource_id]=" + std::to_string(user_id)
    );
    ASSERT_TRUE(HasStatus(events, 200));
    EXPECT_GE(IdsOf(events.Json()).size(), 3u);
    EXPECT_EQ(events.body.find(reset), std::string::npos) << "passwords are never logged";
    const std::string reader = NewUser("read-only");
    Browser reading(server_->base_url());
    ASSERT_TRUE(HasStatus(reading.Login(reader, kPassword), 201));
    HttpResponse hidden = reading.Get(
        "/api/activity_events?filter[resource_type]=mortar-users&filter[resource_id]=" + std::to_string(user_id)
    );
    ASSERT_TRUE(HasStatus(hidden, 200));
    EXPECT_TRUE(IdsOf(hidden.Json()).empty());

    // Deleting a user ends everything of theirs.
    ASSERT_TRUE(HasStatus(admin.Delete("/api/mortar_users/" + std::to_string(user_id)), 204));
    EXPECT_TRUE(IsErrorResponse(admin.Get("/api/mortar_users/" + std::to_string(user_id)), 404));
    EXPECT_TRUE(JsonEqual(
        ValueAt(admin.Get("/api/mortar_groups/" + std::to_string(group_id)).Json(), "data.attributes.member-ids"),
        json::Value(JArray{})
    ));
}

INSTANTIATE_TEST_SUITE_P(
    All, WebSessionsTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendParamName
);

}  // namespace
}  // namespace mortar::ftest
