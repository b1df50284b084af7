// SPDX-License-Identifier: AGPL-3.0-or-later
#include "auth/api_keys.hpp"

#include <regex>

#include <gtest/gtest.h>

namespace mortar::auth {
namespace {

class ApiKeysTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto opened = db::Database::Open(db::Config{.url = ":memory:"});
        ASSERT_TRUE(opened.ok()) << opened.status().message();
        db_ = std::move(*opened);
        auto applied = db_->Migrate();
        ASSERT_TRUE(applied.ok()) << applied.status().message();
    }
    std::unique_ptr<db::Database> db_;
};

TEST_F(ApiKeysTest, CreatedKeyHasTheItGlueShapeAndAuthenticatesToItsAccount) {
    auto key = CreateApiKey(*db_, "acme", "script", true, Clock::Real());
    ASSERT_TRUE(key.ok()) << key.status().message();
    EXPECT_TRUE(std::regex_match(*key, std::regex("ITG\\.[0-9a-f]{16}\\.[0-9a-f]{64}"))) << *key;
    Authenticator auth(*db_, Clock::Real());
    auto p = auth.Authenticate(*key);
    ASSERT_TRUE(p.ok()) << p.status().message();
    auto acme = EnsureAccount(*db_, "acme", Clock::Real());
    ASSERT_TRUE(acme.ok());
    EXPECT_EQ(p->account_id, *acme);
    EXPECT_TRUE(p->password_access);
}

TEST_F(ApiKeysTest, OnlyAHashOfTheSecretIsStored) {
    auto key = CreateApiKey(*db_, "", "", false, Clock::Real());
    ASSERT_TRUE(key.ok());
    const std::string secret = key->substr(key->rfind('.') + 1);
    auto tx = db_->Begin(db::TxMode::kRead);
    ASSERT_TRUE(tx.ok());
    auto stmt = tx->PrepareDynamic("SELECT prefix, secret_hash FROM api_keys");
    ASSERT_TRUE(stmt.ok());
    auto step = stmt->Step();
    ASSERT_TRUE(step.ok() && *step);
    EXPECT_EQ(std::string(stmt->row().GetText(0)), key->substr(4, 16));
    EXPECT_NE(std::string(stmt->row().GetText(1)), secret);
    EXPECT_EQ(stmt->row().GetText(1).find(secret), std::string_view::npos);
}

TEST_F(ApiKeysTest, WrongMalformedAndRevokedKeysAreRefusedAlike) {
    auto key = CreateApiKey(*db_, "", "", false, Clock::Real());
    ASSERT_TRUE(key.ok());
    Authenticator auth(*db_, Clock::Real());
    std::string wrong = *key;
    wrong.back() = wrong.back() == '0' ? '1' : '0';
    for (const std::string& bad : {std::string(), std::string("nonsense"), wrong, std::string("ITG.x.y")}) {
        auto p = auth.Authenticate(bad);
        ASSERT_FALSE(p.ok()) << bad;
        EXPECT_EQ(p.status().code(), Code::kUnauthenticated);
        EXPECT_EQ(p.status().message(), "a valid x-api-key header is required");
    }
    ASSERT_TRUE(RevokeApiKey(*db_, key->substr(0, 20), Clock::Real()).ok());
    auth.InvalidateAll();
    auto revoked = auth.Authenticate(*key);
    ASSERT_FALSE(revoked.ok());
    EXPECT_EQ(revoked.status().code(), Code::kUnauthenticated);
    EXPECT_EQ(RevokeApiKey(*db_, key->substr(4, 16), Clock::Real()).code(), Code::kNotFound);
}

TEST_F(ApiKeysTest, ListingShowsPrefixesAndFlagsButNoSecrets) {
    auto a = CreateApiKey(*db_, "one", "first", true, Clock::Real());
    auto b = CreateApiKey(*db_, "two", "", false, Clock::Real());
    ASSERT_TRUE(a.ok() && b.ok());
    auto keys = ListApiKeys(*db_, "");
    ASSERT_TRUE(keys.ok());
    ASSERT_EQ(keys->size(), 2u);
    EXPECT_EQ((*keys)[0].account_name, "one");
    EXPECT_EQ((*keys)[0].prefix, a->substr(4, 16));
    EXPECT_TRUE((*keys)[0].password_access);
    EXPECT_FALSE((*keys)[1].password_access);
    auto only_two = ListApiKeys(*db_, "two");
    ASSERT_TRUE(only_two.ok());
    ASSERT_EQ(only_two->size(), 1u);
    EXPECT_EQ((*only_two)[0].account_name, "two");
}

}  // namespace
}  // namespace mortar::auth
