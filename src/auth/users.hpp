// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/status.hpp"
#include "db/database.hpp"

// Users of an account (SPEC ACL-1): their roles, their organization access lists and
// their passwords, hashed with Argon2id. What each role may do is decided by the API
// layer (api/access.hpp) and written down in docs/ACCESS.md.
namespace mortar::auth {

enum class Role { kAdministrator, kManager, kEditor, kCreator, kLite, kReadOnly };

// "administrator", "manager", "editor", "creator", "lite", "read-only".
std::string_view RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);
// "one of administrator, manager, editor, creator, lite, read-only": for messages.
std::string RoleChoices();

// User passwords are at least this many characters long.
inline constexpr std::size_t kMinPasswordLength = 12;
inline constexpr std::size_t kMaxPasswordLength = 1024;

// The Argon2id parameters of new hashes (libsodium crypto_pwhash_str): 2 passes over
// 32 MiB, about 50-100 ms on one core. Hashes with other parameters still verify and are
// replaced at the next successful login.
inline constexpr unsigned long long kPasswordOpsLimit = 2;
inline constexpr std::size_t kPasswordMemLimit = 32u * 1024 * 1024;

// An Argon2id hash in libsodium's encoded form ("$argon2id$v=19$m=32768,t=2,p=1$...").
Result<std::string> HashPassword(std::string_view password);
// Whether `password` matches the encoded hash; false for a malformed hash.
bool VerifyPassword(std::string_view hash, std::string_view password);
// Whether the hash was made with other parameters than today's.
bool PasswordNeedsRehash(std::string_view hash);
// Verifies against a fixed hash, so that a login for an unknown email costs as much as one
// for a known email.
void BurnPasswordCheck(std::string_view password);

// Emails are compared lower-cased and trimmed.
std::string NormaliseEmail(std::string_view email);
// kUnprocessable with `pointer` unless the email looks like local@domain.
Status CheckEmail(std::string_view email, const std::string& pointer);
// kUnprocessable with `pointer` unless the password is long enough.
Status CheckNewPassword(std::string_view password, const std::string& pointer);

struct NewUser {
    std::string account;  // account name; "" is the default account (created when missing)
    std::string email;
    std::string name;
    Role role = Role::kAdministrator;
    std::string password;
};

// Creates a user (the first administrator: `mortar admin create-user`). kConflict when
// the email is taken. Returns the user's id. Blocks on the store.
Result<int64_t> CreateUser(db::Database& db, const NewUser& user, const Clock& clock);

}  // namespace mortar::auth
