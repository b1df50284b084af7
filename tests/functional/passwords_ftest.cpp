// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Passwords and the vault (API.md 3.7 and 2.6, SPEC DOC-3, ACL-3, ACL-5): show_password
// rules, the OTP secret never echoed, lists never carrying secrets, keys without
// password access, reveals logged, embedding, and a canary secret that never appears in
// plaintext in the store (SQLite file or PostgreSQL dump), the server's log or a list.

#include <cstdio>
#include <fstream>
#include <sstream>

#include "resource_test_base.hpp"

namespace mortar::ftest {
namespace {

std::string S(int64_t v) {
    return std::to_string(v);
}

class PasswordsTest : public BackendTest {
protected:
    void SetUp() override {
        BackendTest::SetUp();
        if (IsSkipped() || HasFatalFailure()) return;
        std::string error;
        auto key = server_->CreateApiKey("", true, &error);
        ASSERT_TRUE(key.has_value()) << error;
        vault_ = std::make_unique<HttpClient>(server_->base_url(), *key);
        org_id_ = CreateId("/api/organizations", "organizations", {{"name", tag_ + " Dental"}});
        ASSERT_NE(org_id_, 0);
    }
    // Creates a password through the key with password access.
    json::Value NewPassword(const std::string& secret, const std::string& query = "") {
        HttpResponse r = vault_->Post(
            "/api/passwords" + query,
            Doc("passwords",
                {{"organization-id", org_id_},
                 {"name", tag_ + " firewall"},
                 {"username", "admin"},
                 {"password", secret},
                 {"otp-secret", "JBSWY3DPEHPK3PXP" + tag_}})
        );
        if (!HasStatus(r, 201)) {
            ADD_FAILURE() << r.Describe();
            return nullptr;
        }
        return ValueAt(r.Json(), "data");
    }
    std::string PasswordOf(const json::Value& data) { return StringAt(data, "attributes.password"); }
    bool HasPassword(const json::Value& data) { return At(data, "attributes.password") != nullptr; }

    std::unique_ptr<HttpClient> vault_;
    int64_t org_id_ = 0;
};

TEST_P(PasswordsTest, ShowPasswordRules) {
    const std::string secret = "s3cret-" + tag_;
    json::Value created = NewPassword(secret);
    ASSERT_TRUE(created.is_object());
    EXPECT_FALSE(HasPassword(created)) << "POST leaves the password out by default";
    EXPECT_EQ(At(created, "attributes.otp-secret"), nullptr) << "the OTP secret is never returned";
    const std::string one = "/api/passwords/" + S(IdOf(created));

    HttpResponse shown = vault_->Get(one);
    ASSERT_TRUE(HasStatus(shown, 200));
    EXPECT_EQ(PasswordOf(ValueAt(shown.Json(), "data")), secret) << "GET one shows it by default";
    EXPECT_EQ(shown.body.find("JBSWY3DPEHPK3PXP"), std::string::npos);
    HttpResponse hidden = vault_->Get(one + "?show_password=false");
    ASSERT_TRUE(HasStatus(hidden, 200));
    EXPECT_FALSE(HasPassword(ValueAt(hidden.Json(), "data")));

    HttpResponse with = vault_->Post(
        "/api/passwords?show_password=true",
        Doc("passwords", {{"organization-id", org_id_}, {"name", tag_ + " b"}, {"password", secret + "b"}})
    );
    ASSERT_TRUE(HasStatus(with, 201));
    EXPECT_EQ(PasswordOf(ValueAt(with.Json(), "data")), secret + "b");

    HttpResponse patched = vault_->Patch(one, Doc("passwords", {{"password", secret + "2"}}));
    ASSERT_TRUE(HasStatus(patched, 200));
    EXPECT_FALSE(HasPassword(ValueAt(patched.Json(), "data")));
    EXPECT_EQ(PasswordOf(ValueAt(vault_->Get(one).Json(), "data")), secret + "2");

    for (const std::string q : {"", "&show_password=true"}) {
        HttpResponse list = vault_->Get("/api/passwords?filter[organization_id]=" + S(org_id_) + q);
        ASSERT_TRUE(HasStatus(list, 200));
        EXPECT_EQ(IdsOf(list.Json()).size(), 2u);
        EXPECT_EQ(list.body.find(secret), std::string::npos) << "lists never carry secrets";
        EXPECT_EQ(list.body.find("\"password\":"), std::string::npos);
    }
    HttpResponse missing =
        vault_->Post("/api/passwords", Doc("passwords", {{"organization-id", org_id_}, {"name", "x"}}));
    EXPECT_TRUE(IsErrorResponse(missing, 422, {"/data/attributes/password"})) << missing.Describe();
}

TEST_P(PasswordsTest, KeysWithoutPasswordAccessNeverSeeSecretsAndRevealsAreLogged) {
    const std::string secret = "hidden-" + tag_;
    json::Value created = NewPassword(secret);
    ASSERT_TRUE(created.is_object());
    const std::string one = "/api/passwords/" + S(IdOf(created));
    HttpResponse plain = clients_->a.Get(one);
    ASSERT_TRUE(HasStatus(plain, 200));
    EXPECT_FALSE(HasPassword(ValueAt(plain.Json(), "data"))) << "no password access: left out";
    EXPECT_TRUE(IsErrorResponse(clients_->a.Get(one + "?show_password=true"), 403));
    EXPECT_TRUE(IsErrorResponse(clients_->b.Get(one), 404)) << "another account";

    ASSERT_TRUE(HasStatus(vault_->Get(one), 200));
    HttpResponse events = vault_->Get(
        "/api/activity_events?filter[resource_type]=passwords&filter[resource_id]=" + S(IdOf(created)) +
        "&filter[action]=reveal"
    );
    ASSERT_TRUE(HasStatus(events, 200));
    EXPECT_EQ(IdsOf(events.Json()).size(), 1u) << "one reveal, by the key with access: " << events.Describe();
    // The event names what was revealed and where, and records no change.
    EXPECT_EQ(StringAt(events.Json(), "data.0.attributes.resource-name"), tag_ + " firewall") << events.Describe();
    EXPECT_EQ(IntAt(events.Json(), "data.0.attributes.organization-id"), org_id_);
    EXPECT_TRUE(JsonEqual(ValueAt(events.Json(), "data.0.attributes.changes"), JObject{})) << events.Describe();
    EXPECT_EQ(events.body.find(secret), std::string::npos) << "the log never holds the secret";
}

TEST_P(PasswordsTest, EmbeddedInARecordOfTheSameOrganization) {
    int64_t location = CreateId("/api/locations", "locations", {{"organization-id", org_id_}, {"name", tag_ + " HQ"}});
    int64_t elsewhere = CreateId("/api/organizations", "organizations", {{"name", tag_ + " Other"}});
    int64_t foreign = CreateId("/api/locations", "locations", {{"organization-id", elsewhere}, {"name", "Far"}});
    ASSERT_NE(location, 0);
    ASSERT_NE(foreign, 0);
    HttpResponse ok = vault_->Post(
        "/api/passwords",
        Doc("passwords",
            {{"organization-id", org_id_},
             {"name", tag_ + " alarm"},
             {"password", "1234"},
             {"resource-id", S(location)},
             {"resource-type", "Location"}})
    );
    ASSERT_TRUE(HasStatus(ok, 201)) << ok.Describe();
    EXPECT_EQ(StringAt(ok.Json(), "data.attributes.cached-resource-name"), tag_ + " HQ");
    EXPECT_EQ(StringAt(ok.Json(), "data.attributes.cached-resource-type-name"), "Location");
    HttpResponse wrong = vault_->Post(
        "/api/passwords",
        Doc("passwords",
            {{"organization-id", org_id_},
             {"name", "x"},
             {"password", "1"},
             {"resource-id", foreign},
             {"resource-type", "Location"}})
    );
    EXPECT_TRUE(IsErrorResponse(wrong, 422)) << wrong.Describe();
    HttpResponse half = vault_->Post(
        "/api/passwords",
        Doc("passwords", {{"organization-id", org_id_}, {"name", "x"}, {"password", "1"}, {"resource-id", location}})
    );
    EXPECT_TRUE(IsErrorResponse(half, 422)) << half.Describe();
}

// Everything the server stored or logged, as text.
std::string StoreAndLog(MortarServer& server, Backend backend) {
    std::string all = server.LogTail(64 * 1024 * 1024);
    const std::vector<std::string> args = server.StoreArgs();
    for (std::size_t i = 0; i + 1 < args.size(); ++i) {
        if (backend == Backend::kSqlite && args[i] == "--data-dir") {
            for (const char* suffix : {"/mortar.db", "/mortar.db-wal"}) {
                std::ifstream in(args[i + 1] + suffix, std::ios::binary);
                std::stringstream buf;
                buf << in.rdbuf();
                all += buf.str();
            }
        }
        if (backend == Backend::kPostgres && args[i] == "--db") {
            std::string cmd = "pg_dump --data-only '" + args[i + 1] + "' 2>&1";
            if (FILE* p = popen(cmd.c_str(), "r")) {
                char buf[65536];
                size_t n;
                while ((n = fread(buf, 1, sizeof buf, p)) > 0) all.append(buf, n);
                pclose(p);
            }
        }
    }
    return all;
}

TEST_P(PasswordsTest, ACanarySecretNeverAppearsInPlaintext) {
    const std::string canary = "CANARY-" + tag_ + "-do-not-leak";
    json::Value created = NewPassword(canary, "?show_password=true");
    ASSERT_TRUE(created.is_object());
    EXPECT_EQ(PasswordOf(created), canary);
    ASSERT_TRUE(HasStatus(
        vault_->Patch(
            "/api/passwords/" + S(IdOf(created)), Doc("passwords", {{"password", canary + "-2"}, {"notes", "rotated"}})
        ),
        200
    ));
    HttpResponse list = vault_->Get("/api/passwords?filter[organization_id]=" + S(org_id_));
    EXPECT_EQ(list.body.find(canary), std::string::npos);
    const std::string everything = StoreAndLog(*server_, backend());
    ASSERT_GT(everything.size(), 1000u) << "the store and the log were read";
    EXPECT_NE(everything.find(tag_ + " firewall"), std::string::npos) << "the dump holds the password's name";
    EXPECT_EQ(everything.find(canary), std::string::npos) << "the canary is in the store or the log";
    EXPECT_EQ(everything.find("JBSWY3DPEHPK3PXP" + tag_), std::string::npos) << "the OTP secret leaked";
}

INSTANTIATE_TEST_SUITE_P(All, PasswordsTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendParamName);

}  // namespace
}  // namespace mortar::ftest
