// SPDX-License-Identifier: AGPL-3.0-or-later
#include "auth/web_sessions.hpp"

#include <algorithm>

#include <sodium.h>

#include "core/strings.hpp"

namespace mortar::auth {
namespace {

constexpr db::Query kThrottle{"login_throttles.find", "SELECT locked_until FROM login_throttles WHERE email = $1"};
// One failure more, counted afresh when the last one is older than $3.
constexpr db::Query kRecordFailure{
    "login_throttles.fail",
    "INSERT INTO login_throttles (email, failures, last_failure_at) VALUES ($1, 1, $2) "
    "ON CONFLICT (email) DO UPDATE SET failures = CASE WHEN login_throttles.last_failure_at < $3 THEN 1 "
    "ELSE login_throttles.failures + 1 END, last_failure_at = $2 RETURNING failures"};
constexpr db::Query kLock{"login_throttles.lock", "UPDATE login_throttles SET locked_until = $2 WHERE email = $1"};
constexpr db::Query kClearThrottle{"login_throttles.clear", "DELETE FROM login_throttles WHERE email = $1"};
constexpr db::Query kUserByEmail{
    "users.by_email",
    "SELECT id, account_id, name, role, password_hash, disabled, all_organizations FROM users WHERE email = $1"};
constexpr db::Query kUserHash{"users.password_hash", "SELECT password_hash FROM users WHERE id = $1"};
constexpr db::Query kSetHash{
    "users.set_password_hash", "UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1"};
constexpr db::Query kLoggedIn{"users.logged_in", "UPDATE users SET last_login_at = $2 WHERE id = $1"};
constexpr db::Query kInsertSession{
    "web_sessions.insert",
    "INSERT INTO web_sessions (account_id, user_id, token_hash, csrf_token, created_at, last_seen_at, expires_at) "
    "VALUES ($1, $2, $3, $4, $5, $5, $6) RETURNING id"};
constexpr db::Query kSessionByHash{
    "web_sessions.by_hash",
    "SELECT s.id, s.account_id, s.user_id, s.csrf_token, s.last_seen_at, s.expires_at, u.email, u.name, u.role, "
    "u.disabled, u.all_organizations FROM web_sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1"};
constexpr db::Query kTouchSession{"web_sessions.touch", "UPDATE web_sessions SET last_seen_at = $2 WHERE id = $1"};
constexpr db::Query kDeleteSession{"web_sessions.delete", "DELETE FROM web_sessions WHERE id = $1"};
constexpr db::Query kDeleteOtherSessions{
    "web_sessions.delete_others", "DELETE FROM web_sessions WHERE user_id = $1 AND id <> $2"};
constexpr db::Query kUserGroups{
    "group_members.of_user", "SELECT group_id FROM group_members WHERE user_id = $1 ORDER BY group_id"};
constexpr db::Query kUserOrganizations{
    "users.organizations",
    "SELECT organization_id FROM user_organizations WHERE user_id = $1 UNION "
    "SELECT go.organization_id FROM group_organizations go JOIN group_members gm ON gm.group_id = go.group_id "
    "WHERE gm.user_id = $1"};

const Status& Refused() {
    static const Status s = Status::Unauthenticated("unknown email or wrong password");
    return s;
}

const Status& NoSession() {
    static const Status s = Status::Unauthenticated("not signed in, or the session has ended");
    return s;
}

std::string RandomHex(std::size_t bytes) {
    std::string raw(bytes, '\0');
    randombytes_buf(raw.data(), raw.size());
    std::string hex = HexEncode(raw);
    sodium_memzero(raw.data(), raw.size());
    return hex;
}

std::string HashToken(std::string_view token) {
    unsigned char out[crypto_generichash_BYTES];
    crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(token.data()), token.size(), nullptr, 0);
    return HexEncode(std::string_view(reinterpret_cast<const char*>(out), sizeof out));
}

bool IsTokenShaped(std::string_view token) {
    if (token.size() != 64) return false;
    return std::all_of(token.begin(), token.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    });
}

int64_t CeilSeconds(int64_t millis) {
    return std::max<int64_t>(1, (millis + 999) / 1000);
}

Result<std::vector<int64_t>> Ids(db::Tx& tx, const db::Query& query, int64_t id) {
    auto stmt = tx.Prepare(query);
    if (!stmt) return stmt.status();
    stmt->Bind(1, id);
    std::vector<int64_t> out;
    while (true) {
        auto step = stmt->Step();
        if (!step) return step.status();
        if (!*step) break;
        out.push_back(stmt->row().GetInt(0));
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

}  // namespace

Status LoadUserAccess(db::Tx& tx, int64_t user_id, Role role, bool all_organizations, Principal& p) {
    p.user_id = user_id;
    p.key_id = 0;
    p.role = role;
    p.password_access = role != Role::kReadOnly;
    p.all_organizations = all_organizations || role == Role::kAdministrator || role == Role::kManager;
    auto groups = Ids(tx, kUserGroups, user_id);
    if (!groups) return groups.status();
    p.group_ids = std::move(*groups);
    p.organization_ids.clear();
    if (!p.all_organizations) {
        auto orgs = Ids(tx, kUserOrganizations, user_id);
        if (!orgs) return orgs.status();
        p.organization_ids = std::move(*orgs);
    }
    return Status::Ok();
}

WebSessions::WebSessions(db::Database& db, const Clock& clock, SessionPolicy policy)
    : db_(db), clock_(clock), policy_(policy) {
    if (sodium_init() < 0) throw LogicError("libsodium failed to initialise");
}

Status WebSessions::CheckThrottle(const std::string& email, int64_t now, Lockout* lockout) {
    auto tx = db_.Begin(db::TxMode::kSingleRead);
    if (!tx) return tx.status();
    auto stmt = tx->Prepare(kThrottle);
    if (!stmt) return stmt.status();
    stmt->Bind(1, std::string_view(email));
    auto step = stmt->Step();
    if (!step) return step.status();
    if (!*step || stmt->row().IsNull(0)) return tx->Commit();
    auto until = ParseTimestamp(stmt->row().GetText(0));
    if (!until || *until <= now) return tx->Commit();
    if (lockout) lockout->retry_after_seconds = CeilSeconds(*until - now);
    return Status::ResourceExhausted("too many failed logins: try again later");
}

Status WebSessions::RecordFailure(const std::string& email, int64_t now) {
    auto tx = db_.Begin(db::TxMode::kWrite);
    if (!tx) return tx.status();
    auto fail = tx->Prepare(kRecordFailure);
    if (!fail) return fail.status();
    const std::string now_text = FormatTimestamp(now);
    const std::string forget_before = FormatTimestamp(now - policy_.failure_memory_seconds * 1000);
    fail->Bind(1, std::string_view(email)).Bind(2, std::string_view(now_text)).Bind(3, std::string_view(forget_before));
    auto step = fail->Step();
    if (!step) return step.status();
    const int64_t failures = *step ? fail->row().GetInt(0) : 1;
    if (failures >= policy_.lockout_threshold) {
        const int64_t extra = std::min<int64_t>(failures - policy_.lockout_threshold, 20);
        const int64_t seconds = std::min(policy_.lockout_base_seconds << extra, policy_.lockout_max_seconds);
        auto lock = tx->Prepare(kLock);
        if (!lock) return lock.status();
        const std::string until = FormatTimestamp(now + seconds * 1000);
        lock->Bind(1, std::string_view(email)).Bind(2, std::string_view(until));
        if (auto n = lock->Execute(); !n) return n.status();
    }
    return tx->Commit();
}

Result<WebSession> WebSessions::Login(std::string_view raw_email, std::string_view password, Lockout* lockout) {
    const std::string email = NormaliseEmail(raw_email);
    const int64_t now = clock_.NowMillis();
    if (email.empty() || password.empty() || password.size() > kMaxPasswordLength) return Refused();
    MORTAR_RETURN_IF_ERROR(CheckThrottle(email, now, lockout));

    struct Found {
        int64_t id = 0, account_id = 0;
        std::string name, role, hash;
        bool disabled = false, all_organizations = true;
    };
    std::optional<Found> user;
    {
        auto tx = db_.Begin(db::TxMode::kSingleRead);
        if (!tx) return tx.status();
        auto stmt = tx->Prepare(kUserByEmail);
        if (!stmt) return stmt.status();
        stmt->Bind(1, std::string_view(email));
        auto step = stmt->Step();
        if (!step) return step.status();
        if (*step) {
            const db::Row& r = stmt->row();
            user = Found{
                .id = r.GetInt(0),
                .account_id = r.GetInt(1),
                .name = std::string(r.GetText(2)),
                .role = std::string(r.GetText(3)),
                .hash = std::string(r.GetText(4)),
                .disabled = r.GetBool(5),
                .all_organizations = r.GetBool(6)};
        }
        MORTAR_RETURN_IF_ERROR(tx->Commit());
    }
    bool ok = false;
    if (user && !user->hash.empty()) {
        ok = VerifyPassword(user->hash, password);
    } else {
        BurnPasswordCheck(password);
    }
    if (!ok) {
        MORTAR_RETURN_IF_ERROR(RecordFailure(email, now));
        return Refused();
    }
    const std::optional<Role> role = ParseRole(user->role);
    if (user->disabled || !role) return Refused();

    WebSession session;
    session.token = RandomHex(32);
    session.csrf_token = RandomHex(32);
    session.email = email;
    session.name = user->name;
    session.principal.account_id = user->account_id;
    const int64_t absolute_end = now + policy_.absolute_seconds * 1000;
    session.expires_at = FormatTimestamp(std::min(absolute_end, now + policy_.idle_seconds * 1000));
    const std::string now_text = FormatTimestamp(now);
    const std::string end_text = FormatTimestamp(absolute_end);
    const std::string token_hash = HashToken(session.token);
    std::optional<std::string> rehash;
    if (PasswordNeedsRehash(user->hash)) {
        auto h = HashPassword(password);
        if (h) rehash = std::move(*h);
    }

    auto tx = db_.Begin(db::TxMode::kWrite);
    if (!tx) return tx.status();
    auto clear = tx->Prepare(kClearThrottle);
    if (!clear) return clear.status();
    clear->Bind(1, std::string_view(email));
    if (auto n = clear->Execute(); !n) return n.status();
    auto logged = tx->Prepare(kLoggedIn);
    if (!logged) return logged.status();
    logged->Bind(1, user->id).Bind(2, std::string_view(now_text));
    if (auto n = logged->Execute(); !n) return n.status();
    if (rehash) {
        auto set = tx->Prepare(kSetHash);
        if (!set) return set.status();
        set->Bind(1, user->id).Bind(2, std::string_view(*rehash)).Bind(3, std::string_view(now_text));
        if (auto n = set->Execute(); !n) return n.status();
    }
    auto insert = tx->Prepare(kInsertSession);
    if (!insert) return insert.status();
    insert->Bind(1, user->account_id)
        .Bind(2, user->id)
        .Bind(3, std::string_view(token_hash))
        .Bind(4, std::string_view(session.csrf_token))
        .Bind(5, std::string_view(now_text))
        .Bind(6, std::string_view(end_text));
    auto step = insert->Step();
    if (!step) return step.status();
    if (!*step) return Status::Internal("session insert returned no id");
    session.id = insert->row().GetInt(0);
    MORTAR_RETURN_IF_ERROR(LoadUserAccess(*tx, user->id, *role, user->all_organizations, session.principal));
    MORTAR_RETURN_IF_ERROR(tx->Commit());
    return session;
}

Result<WebSession> WebSessions::Authenticate(std::string_view token) {
    token = Trim(token);
    if (!IsTokenShaped(token)) return NoSession();
    const std::string token_hash = HashToken(token);
    const int64_t now = clock_.NowMillis();
    WebSession session;
    int64_t last_seen = 0;
    bool expired = false;
    {
        auto tx = db_.Begin(db::TxMode::kRead);
        if (!tx) return tx.status();
        auto stmt = tx->Prepare(kSessionByHash);
        if (!stmt) return stmt.status();
        stmt->Bind(1, std::string_view(token_hash));
        auto step = stmt->Step();
        if (!step) return step.status();
        if (!*step) return NoSession();
        const db::Row& r = stmt->row();
        session.id = r.GetInt(0);
        session.principal.account_id = r.GetInt(1);
        const int64_t user_id = r.GetInt(2);
        session.csrf_token = std::string(r.GetText(3));
        auto seen = ParseTimestamp(r.GetText(4));
        auto end = ParseTimestamp(r.GetText(5));
        session.email = std::string(r.GetText(6));
        session.name = std::string(r.GetText(7));
        const std::optional<Role> role = ParseRole(r.GetText(8));
        const bool disabled = r.GetBool(9);
        const bool all_organizations = r.GetBool(10);
        if (!seen || !end || !role) return NoSession();
        last_seen = *seen;
        const int64_t idle_end = *seen + policy_.idle_seconds * 1000;
        expired = *end <= now || idle_end <= now;
        if (disabled) return NoSession();
        if (!expired) {
            session.expires_at = FormatTimestamp(std::min(*end, now + policy_.idle_seconds * 1000));
            MORTAR_RETURN_IF_ERROR(LoadUserAccess(*tx, user_id, *role, all_organizations, session.principal));
        }
        MORTAR_RETURN_IF_ERROR(tx->Commit());
    }
    if (expired) {
        (void)Logout(session.id);
        return NoSession();
    }
    if (now - last_seen >= policy_.touch_interval_seconds * 1000) {
        auto tx = db_.Begin(db::TxMode::kWrite);
        if (!tx) return tx.status();
        auto touch = tx->Prepare(kTouchSession);
        if (!touch) return touch.status();
        const std::string now_text = FormatTimestamp(now);
        touch->Bind(1, session.id).Bind(2, std::string_view(now_text));
        if (auto n = touch->Execute(); !n) return n.status();
        MORTAR_RETURN_IF_ERROR(tx->Commit());
    }
    return session;
}

Status WebSessions::Logout(int64_t session_id) {
    auto tx = db_.Begin(db::TxMode::kWrite);
    if (!tx) return tx.status();
    auto del = tx->Prepare(kDeleteSession);
    if (!del) return del.status();
    del->Bind(1, session_id);
    if (auto n = del->Execute(); !n) return n.status();
    return tx->Commit();
}

Status WebSessions::ChangePassword(
    const WebSession& session, std::string_view current, std::string_view next, Lockout* lockout
) {
    const int64_t now = clock_.NowMillis();
    MORTAR_RETURN_IF_ERROR(CheckThrottle(session.email, now, lockout));
    std::string hash;
    {
        auto tx = db_.Begin(db::TxMode::kSingleRead);
        if (!tx) return tx.status();
        auto stmt = tx->Prepare(kUserHash);
        if (!stmt) return stmt.status();
        stmt->Bind(1, session.principal.user_id);
        auto step = stmt->Step();
        if (!step) return step.status();
        if (!*step) return NoSession();
        hash = std::string(stmt->row().GetText(0));
        MORTAR_RETURN_IF_ERROR(tx->Commit());
    }
    if (current.size() > kMaxPasswordLength || !VerifyPassword(hash, current)) {
        MORTAR_RETURN_IF_ERROR(RecordFailure(session.email, now));
        return Status::Unprocessable("is not the current password", "/data/attributes/current-password");
    }
    MORTAR_RETURN_IF_ERROR(CheckNewPassword(next, "/data/attributes/new-password"));
    auto new_hash = HashPassword(next);
    if (!new_hash) return new_hash.status();
    auto tx = db_.Begin(db::TxMode::kWrite);
    if (!tx) return tx.status();
    auto set = tx->Prepare(kSetHash);
    if (!set) return set.status();
    const std::string now_text = FormatTimestamp(now);
    set->Bind(1, session.principal.user_id).Bind(2, std::string_view(*new_hash)).Bind(3, std::string_view(now_text));
    if (auto n = set->Execute(); !n) return n.status();
    auto others = tx->Prepare(kDeleteOtherSessions);
    if (!others) return others.status();
    others->Bind(1, session.principal.user_id).Bind(2, session.id);
    if (auto n = others->Execute(); !n) return n.status();
    auto clear = tx->Prepare(kClearThrottle);
    if (!clear) return clear.status();
    clear->Bind(1, std::string_view(session.email));
    if (auto n = clear->Execute(); !n) return n.status();
    return tx->Commit();
}

}  // namespace mortar::auth
