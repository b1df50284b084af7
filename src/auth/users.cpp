// SPDX-License-Identifier: AGPL-3.0-or-later
#include "auth/users.hpp"

#include <algorithm>
#include <semaphore>
#include <thread>

#include <sodium.h>

#include "auth/api_keys.hpp"
#include "core/strings.hpp"

namespace mortar::auth {
namespace {

constexpr std::string_view kRoleNames[] = {"administrator", "manager", "editor", "creator", "lite", "read-only"};

constexpr db::Query kInsertUser{
    "users.insert",
    "INSERT INTO users (account_id, email, name, role, password_hash, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id"};
constexpr db::Query kEmailTaken{"users.email_taken", "SELECT 1 FROM users WHERE email = $1"};

// At most this many Argon2id computations run at once (each takes kPasswordMemLimit of
// memory), so a flood of logins queues instead of exhausting memory.
std::counting_semaphore<64>& HashSlots() {
    static std::counting_semaphore<64> slots(std::clamp<std::ptrdiff_t>(std::thread::hardware_concurrency(), 2, 64));
    return slots;
}

class HashSlot {
public:
    HashSlot() { HashSlots().acquire(); }
    ~HashSlot() { HashSlots().release(); }
    HashSlot(const HashSlot&) = delete;
    HashSlot& operator=(const HashSlot&) = delete;
};

}  // namespace

std::string_view RoleName(Role role) {
    return kRoleNames[static_cast<int>(role)];
}

std::optional<Role> ParseRole(std::string_view name) {
    const std::string lower = ToLower(Trim(name));
    for (int i = 0; i < 6; ++i) {
        if (lower == kRoleNames[i]) return static_cast<Role>(i);
    }
    if (lower == "read_only" || lower == "readonly") return Role::kReadOnly;
    return std::nullopt;
}

std::string RoleChoices() {
    return "one of administrator, manager, editor, creator, lite, read-only";
}

Result<std::string> HashPassword(std::string_view password) {
    if (sodium_init() < 0) return Status::Internal("libsodium failed to initialise");
    char out[crypto_pwhash_STRBYTES];
    HashSlot slot;
    if (crypto_pwhash_str(out, password.data(), password.size(), kPasswordOpsLimit, kPasswordMemLimit) != 0) {
        return Status::Unavailable("not enough memory to hash a password");
    }
    return std::string(out);
}

bool VerifyPassword(std::string_view hash, std::string_view password) {
    if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
    const std::string terminated(hash);
    HashSlot slot;
    return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

bool PasswordNeedsRehash(std::string_view hash) {
    const std::string terminated(hash);
    return crypto_pwhash_str_needs_rehash(terminated.c_str(), kPasswordOpsLimit, kPasswordMemLimit) != 0;
}

void BurnPasswordCheck(std::string_view password) {
    static const std::string dummy = [] {
        auto h = HashPassword("mortar-dummy-password-for-unknown-emails");
        return h.ok() ? *h : std::string();
    }();
    (void)VerifyPassword(dummy, password);
}

std::string NormaliseEmail(std::string_view email) {
    return ToLower(Trim(email));
}

Status CheckEmail(std::string_view email, const std::string& pointer) {
    const auto at = email.find('@');
    if (at == std::string_view::npos || at == 0 || at + 1 >= email.size() ||
        email.find('@', at + 1) != std::string_view::npos || email.size() > 254) {
        return Status::Unprocessable("must be an email address", pointer);
    }
    for (unsigned char c : email) {
        if (c <= ' ') return Status::Unprocessable("must be an email address", pointer);
    }
    return Status::Ok();
}

Status CheckNewPassword(std::string_view password, const std::string& pointer) {
    std::size_t chars = 0;
    for (unsigned char ch : password) chars += (ch & 0xC0) != 0x80;
    if (chars < kMinPasswordLength) {
        return Status::Unprocessable(
            "is too short (minimum is " + std::to_string(kMinPasswordLength) + " characters)", pointer
        );
    }
    if (password.size() > kMaxPasswordLength) {
        return Status::Unprocessable(
            "is too long (maximum is " + std::to_string(kMaxPasswordLength) + " bytes)", pointer
        );
    }
    return Status::Ok();
}

Result<int64_t> CreateUser(db::Database& db, const NewUser& user, const Clock& clock) {
    const std::string email = NormaliseEmail(user.email);
    if (Status s = CheckEmail(email, "email"); !s.ok())
        return Status::InvalidArgument("--email must be an email address");
    if (Trim(user.name).empty()) return Status::InvalidArgument("--name must not be empty");
    if (Status s = CheckNewPassword(user.password, "password"); !s.ok()) {
        return Status::InvalidArgument("the password " + s.message());
    }
    auto hash = HashPassword(user.password);
    if (!hash) return hash.status();
    auto account_id = EnsureAccount(db, user.account, clock);
    if (!account_id) return account_id.status();
    auto tx = db.Begin(db::TxMode::kWrite);
    if (!tx) return tx.status();
    auto taken = tx->Prepare(kEmailTaken);
    if (!taken) return taken.status();
    taken->Bind(1, std::string_view(email));
    auto found = taken->Step();
    if (!found) return found.status();
    if (*found) return Status::Conflict("a user with the email " + email + " exists already");
    const std::string now = FormatTimestamp(clock.NowMillis());
    const std::string name(Trim(user.name));
    auto insert = tx->Prepare(kInsertUser);
    if (!insert) return insert.status();
    insert->Bind(1, *account_id)
        .Bind(2, std::string_view(email))
        .Bind(3, std::string_view(name))
        .Bind(4, RoleName(user.role))
        .Bind(5, std::string_view(*hash))
        .Bind(6, std::string_view(now));
    auto step = insert->Step();
    if (!step) return step.status();
    if (!*step) return Status::Internal("user insert returned no id");
    const int64_t id = insert->row().GetInt(0);
    MORTAR_RETURN_IF_ERROR(tx->Commit());
    return id;
}

}  // namespace mortar::auth
