// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "core/status.hpp"

// The vault's keys in memory, and the master key file on disk.
//
// The master key is 32 random bytes kept in a file outside the database (one line: 64 hex
// digits; 44-character standard base64 is accepted too). It never enters the database; a
// copy of the database alone opens no secret. Its path comes from configuration
// (--master-key-file / MORTAR_MASTER_KEY_FILE, default <data-dir>/master.key).
namespace mortar::vault {

inline constexpr std::size_t kKeyBytes = 32;

// A SecretKey is 32 secret bytes (a master key or a data key) held in memory from
// sodium_malloc: guard pages on both sides, locked out of swap where the system allows,
// read-only once filled, and wiped when freed. It cannot be copied, only moved; a moved-from
// key is empty and using it is a LogicError.
// Thread safety: thread-compatible; its bytes never change, so const use from any thread is safe.
class SecretKey {
public:
    // A fresh key from the system's random source. kInternal when libsodium cannot start
    // or the guarded allocation fails.
    static Result<SecretKey> Generate();
    // A copy of exactly kKeyBytes bytes. kInvalidArgument for any other length (the message
    // names the length, never the bytes); kInternal when the allocation fails.
    static Result<SecretKey> FromBytes(std::span<const unsigned char> bytes);
    // Allocates the guarded memory and calls `fill` to write the kKeyBytes bytes straight into
    // it (so they need not pass through another buffer), then makes them read-only. A non-OK
    // Status from `fill` is returned as is, and the memory is wiped and freed. kInternal when
    // libsodium cannot start or the allocation fails.
    static Result<SecretKey> Create(const std::function<Status(std::span<unsigned char, kKeyBytes>)>& fill);

    SecretKey(SecretKey&& other) noexcept;
    SecretKey& operator=(SecretKey&& other) noexcept;
    SecretKey(const SecretKey&) = delete;
    SecretKey& operator=(const SecretKey&) = delete;
    ~SecretKey();

    // The kKeyBytes bytes, valid as long as this key.
    const unsigned char* data() const;
    static constexpr std::size_t size() { return kKeyBytes; }
    // Compares in constant time.
    bool Equals(const SecretKey& other) const;

private:
    explicit SecretKey(unsigned char* bytes) : bytes_(bytes) {}

    unsigned char* bytes_ = nullptr;  // from sodium_malloc; null once moved from
};

// The installation's master key. It wraps the data keys in vault_keys and nothing else.
using MasterKey = SecretKey;

// A master key read from (or just written to) its file.
struct MasterKeyFile {
    MasterKey key;
    // This call created the file (there was none); the caller should say so in its log,
    // with the path, so the operator knows to back the file up.
    bool created = false;
    // The file's mode lets its group or other users read or write it (mode & 077). The key
    // is still returned; the caller should warn. (Secrets mounted by container platforms
    // are often 0644 symlinks, so this is not refused.)
    bool insecure_permissions = false;
};

// Reads the master key file at `path`. When the file does not exist and `create_if_missing`
// is true, creates it first with a new random key: the key is written to a temporary file
// of mode 0600 in the same directory, flushed to disk, and then linked to `path` only if
// nothing exists there (so it never replaces a file, and two processes racing to create it
// both end up with the one that won); the directory is flushed too. The directory must
// exist and its file system must support hard links.
// Returns:
//   kNotFound          no file and create_if_missing is false;
//   kPermissionDenied  the file or its directory cannot be read or written by this process;
//   kInvalidArgument   the path is empty, names something other than a regular file, or the
//                      file is malformed (not one line of 64 hex digits or 44 base64
//                      characters, or an all-zero key); the message names the path and the
//                      problem, never the file's content;
//   kUnavailable       any other I/O failure (message names the path and the system error).
// Blocks on the file system. The key is copied into guarded memory; the buffers that held
// its text are wiped.
Result<MasterKeyFile> LoadOrCreateMasterKey(const std::string& path, bool create_if_missing);

// Writes `key` to a new file at `path` the same way LoadOrCreateMasterKey creates one
// (mode 0600, flushed, never replacing anything). kConflict when `path` already exists;
// otherwise the codes of LoadOrCreateMasterKey. Blocks on the file system.
Status WriteMasterKeyFile(const std::string& path, const MasterKey& key);

// Renames the key file `from` over `to` (atomically replacing it) and flushes the directory.
// Both must be in the same directory. Returns the codes of LoadOrCreateMasterKey.
// Blocks on the file system.
Status ReplaceMasterKeyFile(const std::string& from, const std::string& to);

// Parses the text of a master key file (surrounding whitespace ignored). kInvalidArgument
// for anything but 64 hex digits or 44 characters of padded standard base64 decoding to
// a key that is not all zeros; the message never quotes the text.
Result<MasterKey> ParseMasterKey(std::string_view text);

}  // namespace mortar::vault
