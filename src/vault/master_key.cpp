// SPDX-License-Identifier: AGPL-3.0-or-later
#include "vault/master_key.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <string_view>
#include <system_error>
#include <utility>

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mortar::vault {
namespace {

// A key file is one short line; anything longer is not a key file.
constexpr std::size_t kMaxFileBytes = 4096;
constexpr std::size_t kHexChars = 2 * kKeyBytes;  // 64
constexpr std::size_t kBase64Chars = 44;          // 32 bytes, padded standard base64

std::string Describe(const std::string& path) {
    return "master key file " + path;
}

// Maps an errno from the file system to a Status naming the path and the operation.
Status ErrnoStatus(int err, const std::string& path, std::string_view what) {
    std::string message = Describe(path) + ": " + std::string(what) + ": " + std::generic_category().message(err);
    switch (err) {
        case ENOENT:
            return Status::NotFound(std::move(message));
        case EACCES:
        case EPERM:
        case EROFS:
            return Status::PermissionDenied(std::move(message));
        case ENOTDIR:
        case EISDIR:
        case ELOOP:
        case ENAMETOOLONG:
            return Status::InvalidArgument(std::move(message));
        default:
            return Status::Unavailable(std::move(message));
    }
}

// Closes a file descriptor when it goes out of scope.
class Fd {
public:
    explicit Fd(int fd) : fd_(fd) {}
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    int get() const { return fd_; }
    // Closes now and reports whether close() succeeded (it can report a failed write).
    bool Close() {
        const int fd = std::exchange(fd_, -1);
        return fd < 0 || ::close(fd) == 0;
    }

private:
    int fd_;
};

std::string_view TrimSpace(std::string_view s) {
    constexpr std::string_view kSpace = " \t\r\n";
    const auto first = s.find_first_not_of(kSpace);
    if (first == std::string_view::npos) return {};
    const auto last = s.find_last_not_of(kSpace);
    return s.substr(first, last - first + 1);
}

std::string DirectoryOf(const std::string& path) {
    const auto slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    if (slash == 0) return "/";
    return path.substr(0, slash);
}

// Flushes a directory so that a new entry in it survives a crash.
Status SyncDirectory(const std::string& dir, const std::string& path) {
    Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() < 0) return ErrnoStatus(errno, path, "cannot open its directory to flush it");
    if (::fsync(fd.get()) != 0) return ErrnoStatus(errno, path, "cannot flush its directory");
    return Status::Ok();
}

struct LoadedKey {
    MasterKey key;
    bool insecure_permissions = false;
};

Result<LoadedKey> ReadKeyFile(const std::string& path) {
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) return ErrnoStatus(errno, path, "cannot open");
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) return ErrnoStatus(errno, path, "cannot stat");
    if (!S_ISREG(st.st_mode)) return Status::InvalidArgument(Describe(path) + " is not a regular file");
    if (st.st_size > static_cast<off_t>(kMaxFileBytes)) {
        return Status::InvalidArgument(Describe(path) + " is malformed: too large for a key file");
    }

    std::array<char, kMaxFileBytes + 1> buffer{};
    std::size_t total = 0;
    while (total < buffer.size()) {
        const ssize_t n = ::read(fd.get(), buffer.data() + total, buffer.size() - total);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            const int err = errno;
            sodium_memzero(buffer.data(), buffer.size());
            return ErrnoStatus(err, path, "cannot read");
        }
        if (n == 0) break;
        total += static_cast<std::size_t>(n);
    }
    Result<MasterKey> key = total > kMaxFileBytes
                                ? Result<MasterKey>(Status::InvalidArgument("too large for a key file"))
                                : ParseMasterKey(std::string_view(buffer.data(), total));
    sodium_memzero(buffer.data(), buffer.size());
    if (!key.ok()) return Status(key.status().code(), Describe(path) + " is malformed: " + key.status().message());
    return LoadedKey{.key = std::move(key).value(), .insecure_permissions = (st.st_mode & 077) != 0};
}

// Writes `key` as one line of hex to a new file at `path`, never replacing an existing one:
// temporary file (0600) + fsync + link() (which fails with EEXIST) + fsync of the directory.
Status CreateKeyFile(const std::string& path, const MasterKey& key) {
    std::string temp = path + ".tmp.XXXXXX";
    Fd fd(::mkostemp(temp.data(), O_CLOEXEC));
    if (fd.get() < 0) return ErrnoStatus(errno, path, "cannot create a temporary file beside it");
    struct RemoveTemp {
        const std::string& name;
        ~RemoveTemp() { ::unlink(name.c_str()); }
    } remove_temp{temp};

    if (::fchmod(fd.get(), 0600) != 0) return ErrnoStatus(errno, path, "cannot set mode 0600");
    std::array<char, kHexChars + 2> line{};  // 64 hex digits, '\n', and sodium_bin2hex's NUL
    sodium_bin2hex(line.data(), line.size(), key.data(), key.size());
    line[kHexChars] = '\n';
    std::size_t written = 0;
    int write_error = 0;
    while (written < kHexChars + 1) {
        const ssize_t n = ::write(fd.get(), line.data() + written, kHexChars + 1 - written);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            write_error = errno;
            break;
        }
        written += static_cast<std::size_t>(n);
    }
    sodium_memzero(line.data(), line.size());
    if (write_error != 0) return ErrnoStatus(write_error, path, "cannot write");
    if (::fsync(fd.get()) != 0) return ErrnoStatus(errno, path, "cannot flush");
    if (!fd.Close()) return ErrnoStatus(errno, path, "cannot close");

    if (::link(temp.c_str(), path.c_str()) != 0) {
        if (errno == EEXIST) return Status::Conflict(Describe(path) + " already exists");
        return ErrnoStatus(errno, path, "cannot create");
    }
    // Drop the temporary name before flushing the directory, so the flush records both
    // the new name and the removal (RemoveTemp's second unlink is then a harmless no-op).
    ::unlink(temp.c_str());
    return SyncDirectory(DirectoryOf(path), path);
}

}  // namespace

Result<SecretKey> SecretKey::Create(const std::function<Status(std::span<unsigned char, kKeyBytes>)>& fill) {
    if (sodium_init() < 0) return Status::Internal("libsodium failed to initialise");
    auto* bytes = static_cast<unsigned char*>(sodium_malloc(kKeyBytes));
    if (bytes == nullptr) return Status::Internal("vault: cannot allocate guarded memory for a key");
    SecretKey key(bytes);  // frees (and wipes) the memory on every early return
    Status filled = fill(std::span<unsigned char, kKeyBytes>(bytes, kKeyBytes));
    if (!filled.ok()) return filled;
    sodium_mprotect_readonly(bytes);
    return key;
}

Result<SecretKey> SecretKey::Generate() {
    return Create([](std::span<unsigned char, kKeyBytes> out) {
        randombytes_buf(out.data(), out.size());
        return Status::Ok();
    });
}

Result<SecretKey> SecretKey::FromBytes(std::span<const unsigned char> bytes) {
    if (bytes.size() != kKeyBytes) {
        return Status::InvalidArgument(
            "a key must be " + std::to_string(kKeyBytes) + " bytes, not " + std::to_string(bytes.size())
        );
    }
    return Create([bytes](std::span<unsigned char, kKeyBytes> out) {
        std::copy(bytes.begin(), bytes.end(), out.begin());
        return Status::Ok();
    });
}

SecretKey::SecretKey(SecretKey&& other) noexcept : bytes_(std::exchange(other.bytes_, nullptr)) {}

SecretKey& SecretKey::operator=(SecretKey&& other) noexcept {
    if (this != &other) {
        sodium_free(bytes_);  // wipes; accepts null
        bytes_ = std::exchange(other.bytes_, nullptr);
    }
    return *this;
}

SecretKey::~SecretKey() {
    sodium_free(bytes_);
}

const unsigned char* SecretKey::data() const {
    MORTAR_CHECK(bytes_ != nullptr, "use of a moved-from SecretKey");
    return bytes_;
}

bool SecretKey::Equals(const SecretKey& other) const {
    return sodium_memcmp(data(), other.data(), kKeyBytes) == 0;
}

Result<MasterKey> ParseMasterKey(std::string_view text) {
    text = TrimSpace(text);
    const Status malformed = Status::InvalidArgument(
        "expected one line of " + std::to_string(kHexChars) + " hex digits (or " + std::to_string(kBase64Chars) +
        " characters of base64) holding a " + std::to_string(kKeyBytes) + "-byte key"
    );
    if (text.size() != kHexChars && text.size() != kBase64Chars) return malformed;
    Result<MasterKey> key = MasterKey::Create([&](std::span<unsigned char, kKeyBytes> out) {
        std::size_t decoded = 0;
        const char* end = nullptr;
        const int rc = text.size() == kHexChars
                           ? sodium_hex2bin(out.data(), out.size(), text.data(), text.size(), nullptr, &decoded, &end)
                           : sodium_base642bin(
                                 out.data(),
                                 out.size(),
                                 text.data(),
                                 text.size(),
                                 nullptr,
                                 &decoded,
                                 &end,
                                 sodium_base64_VARIANT_ORIGINAL
                             );
        if (rc != 0 || decoded != kKeyBytes || end != text.data() + text.size()) return malformed;
        if (sodium_is_zero(out.data(), out.size())) return Status::InvalidArgument("the key is all zeros");
        return Status::Ok();
    });
    return key;
}

Result<MasterKeyFile> LoadOrCreateMasterKey(const std::string& path, bool create_if_missing) {
    if (path.empty()) return Status::InvalidArgument("the master key file path is empty");
    Result<LoadedKey> loaded = ReadKeyFile(path);
    if (loaded.ok()) {
        return MasterKeyFile{.key = std::move(loaded->key), .insecure_permissions = loaded->insecure_permissions};
    }
    if (loaded.status().code() != Code::kNotFound || !create_if_missing) return loaded.status();

    Result<MasterKey> key = MasterKey::Generate();
    if (!key.ok()) return key.status();
    Status created = CreateKeyFile(path, *key);
    if (created.code() == Code::kConflict) {
        // Another process created it between our read and our link: use theirs.
        loaded = ReadKeyFile(path);
        if (!loaded.ok()) return loaded.status();
        return MasterKeyFile{.key = std::move(loaded->key), .insecure_permissions = loaded->insecure_permissions};
    }
    if (!created.ok()) return created;
    return MasterKeyFile{.key = std::move(key).value(), .created = true};
}

Status WriteMasterKeyFile(const std::string& path, const MasterKey& key) {
    if (path.empty()) return Status::InvalidArgument("the master key file path is empty");
    return CreateKeyFile(path, key);
}

Status ReplaceMasterKeyFile(const std::string& from, const std::string& to) {
    if (::rename(from.c_str(), to.c_str()) != 0) return ErrnoStatus(errno, to, "cannot rename " + from + " to it");
    return SyncDirectory(DirectoryOf(to), to);
}

}  // namespace mortar::vault
