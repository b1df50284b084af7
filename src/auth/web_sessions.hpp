// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "auth/api_keys.hpp"
#include "auth/users.hpp"
#include "core/clock.hpp"
#include "core/status.hpp"
#include "db/database.hpp"

// Browser sessions (SPEC ACL-4): login with email and password, an opaque random token
// in a cookie (only its hash is stored, in web_sessions, so every process of an
// installation shares the sessions), a CSRF token per session, idle and absolute expiry,
// and a login throttle per email kept in the store.
namespace mortar::auth {

struct SessionPolicy {
    int64_t idle_seconds = 8 * 3600;           // a session unused this long has ended
    int64_t absolute_seconds = 7 * 24 * 3600;  // and none lives longer than this
    int lockout_threshold = 5;                 // failed logins before the first lock
    int64_t lockout_base_seconds = 30;         // the first lock; doubled by each further failure
    int64_t lockout_max_seconds = 900;
    int64_t failure_memory_seconds = 3600;  // failures older than this are forgotten
    int64_t touch_interval_seconds = 60;    // how often last use is written back
};

// One signed-in session as the API describes it.
struct WebSession {
    int64_t id = 0;
    std::string token;  // the cookie value: set only by Login
    std::string csrf_token;
    std::string email;
    std::string name;
    std::string expires_at;  // the earlier of the idle and the absolute end
    Principal principal;     // user_id, account, role and access lists
};

// A refusal of Login/ChangePassword while locked out: kResourceExhausted, and the
// seconds after which to try again.
struct Lockout {
    int64_t retry_after_seconds = 0;
};

// Thread safety: thread-safe (all state is in the store).
class WebSessions {
public:
    WebSessions(db::Database& db, const Clock& clock, SessionPolicy policy = {});

    // kUnauthenticated with one message for an unknown email, a wrong password and a
    // disabled user; kResourceExhausted (and `lockout`) while the email is locked out.
    Result<WebSession> Login(std::string_view email, std::string_view password, Lockout* lockout);
    // The session of a cookie value; kUnauthenticated when unknown, expired or its user
    // is disabled. Records the use at most every touch_interval_seconds.
    Result<WebSession> Authenticate(std::string_view token);
    // Ends the session; it is not an error if it ended already.
    Status Logout(int64_t session_id);
    // Changes the signed-in user's password and ends the user's other sessions. A wrong
    // current password is 422 on /data/attributes/current-password and counts as a
    // failed login; a short new one is 422 on /data/attributes/new-password.
    Status ChangePassword(const WebSession& session, std::string_view current, std::string_view next, Lockout* lockout);

    const SessionPolicy& policy() const { return policy_; }

private:
    Status CheckThrottle(const std::string& email, int64_t now, Lockout* lockout);
    Status RecordFailure(const std::string& email, int64_t now);

    db::Database& db_;
    const Clock& clock_;
    const SessionPolicy policy_;
};

// Fills the principal's role-derived flags and access lists for user `user_id` (groups,
// organizations of the user and of the user's groups).
Status LoadUserAccess(db::Tx& tx, int64_t user_id, Role role, bool all_organizations, Principal& principal);

}  // namespace mortar::auth
