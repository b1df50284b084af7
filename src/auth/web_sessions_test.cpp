// SPDX-License-Identifier: AGPL-3.0-or-later
#include "auth/web_sessions.hpp"

#include <atomic>

#include <gtest/gtest.h>

namespace mortar::auth {
namespace {

class FakeClock : public Clock {
public:
    int64_t NowMillis() const override { return now_.load(); }
    void Advance(int64_t millis) { now_ += millis; }

private:
    std::atomic<int64_t> now_{1'700'000'000'000};
};

constexpr const char* kPassword = "correct horse battery";

class WebSessionsTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto opened = db::Database::Open(db::Config{.url = ":memory:"});
        ASSERT_TRUE(opened.ok()) << opened.status().message();
        db_ = std::move(*opened);
        ASSERT_TRUE(db_->Migrate().ok());
        auto id = CreateUser(
            *db_,
            NewUser{
                .account = "acme",
                .email = " Ada@Example.COM ",
                .name = "Ada",
                .role = Role::kEditor,
                .password = kPassword},
            clock_
        );
        ASSERT_TRUE(id.ok()) << id.status().message();
        user_id_ = *id;
    }

    SessionPolicy Policy() const {
        SessionPolicy p;
        p.idle_seconds = 600;
        p.absolute_seconds = 3600;
        p.touch_interval_seconds = 60;
        return p;
    }

    FakeClock clock_;
    std::unique_ptr<db::Database> db_;
    int64_t user_id_ = 0;
};

TEST(PasswordHashTest, Argon2idHashesVerifyAndCarryTheirParameters) {
    auto hash = HashPassword(kPassword);
    ASSERT_TRUE(hash.ok());
    EXPECT_EQ(hash->rfind("$argon2id$", 0), 0u) << *hash;
    EXPECT_NE(hash->find("m=32768,t=2"), std::string::npos) << *hash;
    EXPECT_TRUE(VerifyPassword(*hash, kPassword));
    EXPECT_FALSE(VerifyPassword(*hash, "correct horse batterY"));
    EXPECT_FALSE(VerifyPassword("", kPassword));
    EXPECT_FALSE(VerifyPassword("$argon2id$garbage", kPassword));
    EXPECT_FALSE(PasswordNeedsRehash(*hash));
    auto again = HashPassword(kPassword);
    ASSERT_TRUE(again.ok());
    EXPECT_NE(*hash, *again) << "salted";
}

TEST(RoleTest, NamesRoundTrip) {
    for (Role r : {Role::kAdministrator, Role::kManager, Role::kEditor, Role::kCreator, Role::kLite, Role::kReadOnly}) {
        EXPECT_EQ(ParseRole(RoleName(r)), r);
    }
    EXPECT_EQ(ParseRole("Read-Only"), Role::kReadOnly);
    EXPECT_EQ(ParseRole("owner"), std::nullopt);
}

TEST_F(WebSessionsTest, LoginAuthenticateAndLogout) {
    WebSessions sessions(*db_, clock_, Policy());
    auto s = sessions.Login("ada@example.com", kPassword, nullptr);
    ASSERT_TRUE(s.ok()) << s.status().message();
    EXPECT_EQ(s->principal.user_id, user_id_);
    EXPECT_EQ(s->principal.role, Role::kEditor);
    EXPECT_TRUE(s->principal.password_access);
    EXPECT_EQ(s->principal.key_id, 0);
    EXPECT_EQ(s->email, "ada@example.com");
    auto again = sessions.Authenticate(s->token);
    ASSERT_TRUE(again.ok()) << again.status().message();
    EXPECT_EQ(again->id, s->id);
    EXPECT_EQ(again->csrf_token, s->csrf_token);
    EXPECT_TRUE(again->token.empty()) << "the token is never read back";
    // Only the token's hash is stored.
    auto tx = db_->Begin(db::TxMode::kRead);
    ASSERT_TRUE(tx.ok());
    auto stmt = tx->PrepareDynamic("SELECT token_hash FROM web_sessions");
    ASSERT_TRUE(stmt.ok());
    ASSERT_TRUE(*stmt->Step());
    EXPECT_NE(stmt->row().GetText(0), s->token);
    tx->Rollback();

    ASSERT_TRUE(sessions.Logout(s->id).ok());
    EXPECT_EQ(sessions.Authenticate(s->token).status().code(), Code::kUnauthenticated);
}

TEST_F(WebSessionsTest, SessionsEndWhenIdleAndAtTheirAbsoluteEnd) {
    WebSessions sessions(*db_, clock_, Policy());
    auto idle = sessions.Login("ada@example.com", kPassword, nullptr);
    ASSERT_TRUE(idle.ok());
    clock_.Advance(599'000);
    EXPECT_TRUE(sessions.Authenticate(idle->token).ok()) << "used within the idle time";
    clock_.Advance(599'000);
    EXPECT_TRUE(sessions.Authenticate(idle->token).ok()) << "each use (recorded) restarts the idle time";
    clock_.Advance(601'000);
    EXPECT_EQ(sessions.Authenticate(idle->token).status().code(), Code::kUnauthenticated);

    auto busy = sessions.Login("ada@example.com", kPassword, nullptr);
    ASSERT_TRUE(busy.ok());
    for (int i = 0; i < 6; ++i) {
        clock_.Advance(590'000);
        EXPECT_TRUE(sessions.Authenticate(busy->token).ok()) << i;
    }
    clock_.Advance(590'000);  // 4130 s after login: past the absolute end
    EXPECT_EQ(sessions.Authenticate(busy->token).status().code(), Code::kUnauthenticated);
}

TEST_F(WebSessionsTest, LockoutBacksOffAndIsForgottenAfterSuccess) {
    WebSessions sessions(*db_, clock_, Policy());
    for (int i = 0; i < 4; ++i) {
        EXPECT_EQ(sessions.Login("ada@example.com", "wrong", nullptr).status().code(), Code::kUnauthenticated);
    }
    EXPECT_EQ(sessions.Login("ada@example.com", "wrong", nullptr).status().code(), Code::kUnauthenticated);
    Lockout lockout;
    EXPECT_EQ(sessions.Login("ada@example.com", kPassword, &lockout).status().code(), Code::kResourceExhausted);
    EXPECT_EQ(lockout.retry_after_seconds, 30);
    clock_.Advance(31'000);
    // One more failure doubles the lock.
    EXPECT_EQ(sessions.Login("ada@example.com", "wrong", nullptr).status().code(), Code::kUnauthenticated);
    EXPECT_EQ(sessions.Login("ada@example.com", kPassword, &lockout).status().code(), Code::kResourceExhausted);
    EXPECT_EQ(lockout.retry_after_seconds, 60);
    clock_.Advance(61'000);
    auto ok = sessions.Login("ADA@example.com", kPassword, nullptr);
    ASSERT_TRUE(ok.ok()) << ok.status().message();
    // Success forgets the failures: one wrong password does not lock again.
    EXPECT_EQ(sessions.Login("ada@example.com", "wrong", nullptr).status().code(), Code::kUnauthenticated);
    EXPECT_TRUE(sessions.Login("ada@example.com", kPassword, nullptr).ok());
}

TEST_F(WebSessionsTest, DisabledUsersCannotSignInAndLoseTheirSessions) {
    WebSessions sessions(*db_, clock_, Policy());
    auto s = sessions.Login("ada@example.com", kPassword, nullptr);
    ASSERT_TRUE(s.ok());
    auto tx = db_->Begin(db::TxMode::kWrite);
    ASSERT_TRUE(tx.ok());
    auto stmt = tx->PrepareDynamic("UPDATE users SET disabled = $1");
    ASSERT_TRUE(stmt.ok());
    stmt->Bind(1, true);
    ASSERT_TRUE(stmt->Execute().ok());
    ASSERT_TRUE(tx->Commit().ok());
    EXPECT_EQ(sessions.Authenticate(s->token).status().code(), Code::kUnauthenticated);
    auto refused = sessions.Login("ada@example.com", kPassword, nullptr);
    EXPECT_EQ(refused.status().code(), Code::kUnauthenticated);
    EXPECT_EQ(refused.status().message(), sessions.Login("nobody@example.com", kPassword, nullptr).status().message());
}

}  // namespace
}  // namespace mortar::auth
