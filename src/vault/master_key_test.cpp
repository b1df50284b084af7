// SPDX-License-Identifier: AGPL-3.0-or-later
#include "vault/master_key.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mortar::vault {
namespace {

namespace fs = std::filesystem;

std::string Hex(const SecretKey& key) {
    char out[2 * kKeyBytes + 1];
    sodium_bin2hex(out, sizeof out, key.data(), key.size());
    return out;
}

std::string Base64(const SecretKey& key) {
    char out[sodium_base64_ENCODED_LEN(kKeyBytes, sodium_base64_VARIANT_ORIGINAL)];
    sodium_bin2base64(out, sizeof out, key.data(), key.size(), sodium_base64_VARIANT_ORIGINAL);
    return out;
}

class MasterKeyTest : public ::testing::Test {
protected:
    void SetUp() override {
        static std::atomic<int> counter{0};
        dir_ = fs::temp_directory_path() /
               ("mortar_master_key_test_" + std::to_string(getpid()) + "_" + std::to_string(counter++));
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    std::string PathOf(const std::string& name) const { return (dir_ / name).string(); }

    void WriteFile(
        const std::string& path,
        const std::string& content,
        fs::perms perms = fs::perms::owner_read | fs::perms::owner_write
    ) {
        std::ofstream(path, std::ios::binary) << content;
        fs::permissions(path, perms);
    }

    static std::string ReadFile(const std::string& path) {
        std::ifstream in(path, std::ios::binary);
        std::stringstream content;
        content << in.rdbuf();
        return content.str();
    }

    std::vector<std::string> Entries() const {
        std::vector<std::string> names;
        for (const auto& entry : fs::directory_iterator(dir_)) names.push_back(entry.path().filename().string());
        std::sort(names.begin(), names.end());
        return names;
    }

    fs::path dir_;
};

TEST_F(MasterKeyTest, CreatesAFileOfMode0600AndReloadsTheSameKey) {
    const std::string path = PathOf("master.key");
    const mode_t old_umask = ::umask(0);  // a permissive umask must not widen the file's mode
    Result<MasterKeyFile> created = LoadOrCreateMasterKey(path, true);
    ::umask(old_umask);
    ASSERT_TRUE(created.ok()) << created.status().message();
    EXPECT_TRUE(created->created);
    EXPECT_FALSE(created->insecure_permissions);

    struct stat st {};
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_TRUE(S_ISREG(st.st_mode));
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    // One line of 64 lower-case hex digits, and no temporary file left beside it.
    EXPECT_EQ(ReadFile(path), Hex(created->key) + "\n");
    EXPECT_EQ(Entries(), std::vector<std::string>{"master.key"});

    Result<MasterKeyFile> reloaded = LoadOrCreateMasterKey(path, true);
    ASSERT_TRUE(reloaded.ok()) << reloaded.status().message();
    EXPECT_FALSE(reloaded->created);
    EXPECT_FALSE(reloaded->insecure_permissions);
    EXPECT_TRUE(reloaded->key.Equals(created->key));

    Result<MasterKeyFile> read_only = LoadOrCreateMasterKey(path, false);
    ASSERT_TRUE(read_only.ok()) << read_only.status().message();
    EXPECT_TRUE(read_only->key.Equals(created->key));
}

TEST_F(MasterKeyTest, NewKeysAreRandom) {
    Result<MasterKeyFile> a = LoadOrCreateMasterKey(PathOf("a.key"), true);
    Result<MasterKeyFile> b = LoadOrCreateMasterKey(PathOf("b.key"), true);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_FALSE(a->key.Equals(b->key));
}

TEST_F(MasterKeyTest, MissingFileIsNotFoundWithoutCreate) {
    const std::string path = PathOf("absent.key");
    Result<MasterKeyFile> loaded = LoadOrCreateMasterKey(path, false);
    ASSERT_FALSE(loaded.ok());
    EXPECT_EQ(loaded.status().code(), Code::kNotFound);
    EXPECT_NE(loaded.status().message().find(path), std::string::npos) << loaded.status().message();
    EXPECT_FALSE(fs::exists(path));
}

TEST_F(MasterKeyTest, MissingDirectoryIsReported) {
    Result<MasterKeyFile> loaded = LoadOrCreateMasterKey(PathOf("no/such/dir/master.key"), true);
    ASSERT_FALSE(loaded.ok());
    EXPECT_EQ(loaded.status().code(), Code::kNotFound);
    EXPECT_EQ(Entries(), std::vector<std::string>{});
}

TEST_F(MasterKeyTest, EmptyPathIsRefused) {
    Result<MasterKeyFile> loaded = LoadOrCreateMasterKey("", true);
    ASSERT_FALSE(loaded.ok());
    EXPECT_EQ(loaded.status().code(), Code::kInvalidArgument);
}

TEST_F(MasterKeyTest, AcceptsHexInEitherCaseAndBase64WithSurroundingWhitespace) {
    Result<SecretKey> key = SecretKey::Generate();
    ASSERT_TRUE(key.ok());
    std::string upper = Hex(*key);
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    const std::vector<std::string> forms = {
        Hex(*key), Hex(*key) + "\n", "  " + upper + "\r\n", Base64(*key) + "\n", "\n" + Base64(*key)};
    for (std::size_t i = 0; i < forms.size(); ++i) {
        const std::string path = PathOf("form" + std::to_string(i) + ".key");
        WriteFile(path, forms[i]);
        Result<MasterKeyFile> loaded = LoadOrCreateMasterKey(path, false);
        ASSERT_TRUE(loaded.ok()) << "form " << i << ": " << loaded.status().message();
        EXPECT_TRUE(loaded->key.Equals(*key)) << "form " << i;
    }
}

TEST_F(MasterKeyTest, MalformedFilesAreRefusedWithoutEchoingTheirContent) {
    Result<SecretKey> key = SecretKey::Generate();
    ASSERT_TRUE(key.ok());
    const std::string hex = Hex(*key);
    const std::string b64 = Base64(*key);
    const std::vector<std::string> bad = {
        "",
        "\n",
        hex.substr(0, 62),                          // too short
        hex + "00",                                 // too long
        hex.substr(0, 63) + "g",                    // not hex
        hex.substr(0, 32) + "\n" + hex.substr(32),  // two lines
        hex.substr(0, 32) + " " + hex.substr(33),   // inner space
        b64.substr(0, 43) + "!",                    // not base64
        b64.substr(0, 42) + "B=",                   // non-canonical trailing bits
        std::string(64, '0'),                       // an all-zero key
        "-----BEGIN PRIVATE KEY-----\n" + hex + "\n-----END PRIVATE KEY-----\n",
        std::string(5000, 'a'),  // far too large
    };
    for (std::size_t i = 0; i < bad.size(); ++i) {
        const std::string path = PathOf("bad" + std::to_string(i) + ".key");
        WriteFile(path, bad[i]);
        Result<MasterKeyFile> loaded = LoadOrCreateMasterKey(path, true);
        ASSERT_FALSE(loaded.ok()) << "case " << i;
        EXPECT_EQ(loaded.status().code(), Code::kInvalidArgument) << "case " << i;
        const std::string& message = loaded.status().message();
        EXPECT_NE(message.find(path), std::string::npos) << message;
        EXPECT_NE(message.find("malformed"), std::string::npos) << message;
        EXPECT_EQ(message.find(hex.substr(0, 16)), std::string::npos) << message;
        EXPECT_EQ(message.find(b64.substr(0, 16)), std::string::npos) << message;
        // create_if_missing never replaces a file that exists but is broken.
        EXPECT_EQ(ReadFile(path), bad[i]) << "case " << i;
    }
}

TEST_F(MasterKeyTest, ADirectoryIsNotAKeyFile) {
    const std::string path = PathOf("keydir");
    fs::create_directories(path);
    Result<MasterKeyFile> loaded = LoadOrCreateMasterKey(path, true);
    ASSERT_FALSE(loaded.ok());
    EXPECT_EQ(loaded.status().code(), Code::kInvalidArgument);
}

TEST_F(MasterKeyTest, GroupOrOtherAccessIsFlagged) {
    Result<SecretKey> key = SecretKey::Generate();
    ASSERT_TRUE(key.ok());
    const std::string path = PathOf("open.key");
    WriteFile(
        path,
        Hex(*key) + "\n",
        fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read
    );
    Result<MasterKeyFile> loaded = LoadOrCreateMasterKey(path, true);
    ASSERT_TRUE(loaded.ok()) << loaded.status().message();
    EXPECT_TRUE(loaded->insecure_permissions);
    EXPECT_FALSE(loaded->created);
    EXPECT_TRUE(loaded->key.Equals(*key));

    fs::permissions(path, fs::perms::owner_read);
    loaded = LoadOrCreateMasterKey(path, true);
    ASSERT_TRUE(loaded.ok()) << loaded.status().message();
    EXPECT_FALSE(loaded->insecure_permissions);
}

TEST_F(MasterKeyTest, UnreadableFileIsPermissionDenied) {
    if (::geteuid() == 0) GTEST_SKIP() << "root reads files of any mode";
    const std::string path = PathOf("locked.key");
    WriteFile(path, std::string(64, 'a'), fs::perms::none);
    Result<MasterKeyFile> loaded = LoadOrCreateMasterKey(path, true);
    ASSERT_FALSE(loaded.ok());
    EXPECT_EQ(loaded.status().code(), Code::kPermissionDenied);
}

TEST_F(MasterKeyTest, WriteNeverReplacesAnExistingFile) {
    Result<SecretKey> first = SecretKey::Generate();
    Result<SecretKey> second = SecretKey::Generate();
    ASSERT_TRUE(first.ok() && second.ok());
    const std::string path = PathOf("master.key");
    ASSERT_TRUE(WriteMasterKeyFile(path, *first).ok());
    Status again = WriteMasterKeyFile(path, *second);
    EXPECT_EQ(again.code(), Code::kConflict) << again.message();
    EXPECT_EQ(ReadFile(path), Hex(*first) + "\n");
    EXPECT_EQ(Entries(), std::vector<std::string>{"master.key"});
}

TEST_F(MasterKeyTest, ConcurrentCreatorsAllGetTheOneKeyThatWon) {
    const std::string path = PathOf("master.key");
    constexpr int kThreads = 8;
    std::vector<std::optional<Result<MasterKeyFile>>> results(kThreads);
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
        threads.emplace_back([&, i] { results[i].emplace(LoadOrCreateMasterKey(path, true)); });
    }
    for (auto& t : threads) t.join();
    Result<MasterKeyFile> on_disk = LoadOrCreateMasterKey(path, false);
    ASSERT_TRUE(on_disk.ok());
    int creators = 0;
    for (auto& r : results) {
        ASSERT_TRUE(r->ok()) << r->status().message();
        EXPECT_TRUE((*r)->key.Equals(on_disk->key));
        creators += (*r)->created ? 1 : 0;
    }
    EXPECT_EQ(creators, 1);
    EXPECT_EQ(Entries(), std::vector<std::string>{"master.key"});
}

TEST_F(MasterKeyTest, ReplaceSwapsTheFileAtomically) {
    Result<SecretKey> old_key = SecretKey::Generate();
    Result<SecretKey> new_key = SecretKey::Generate();
    ASSERT_TRUE(old_key.ok() && new_key.ok());
    const std::string path = PathOf("master.key");
    ASSERT_TRUE(WriteMasterKeyFile(path, *old_key).ok());
    ASSERT_TRUE(WriteMasterKeyFile(path + ".new", *new_key).ok());
    ASSERT_TRUE(ReplaceMasterKeyFile(path + ".new", path).ok());
    Result<MasterKeyFile> loaded = LoadOrCreateMasterKey(path, false);
    ASSERT_TRUE(loaded.ok());
    EXPECT_TRUE(loaded->key.Equals(*new_key));
    EXPECT_EQ(Entries(), std::vector<std::string>{"master.key"});
}

TEST(SecretKeyTest, FromBytesChecksTheLengthAndCopies) {
    std::vector<unsigned char> bytes(kKeyBytes);
    for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<unsigned char>(i);
    Result<SecretKey> key = SecretKey::FromBytes(bytes);
    ASSERT_TRUE(key.ok());
    EXPECT_EQ(std::vector<unsigned char>(key->data(), key->data() + key->size()), bytes);

    Result<SecretKey> same = SecretKey::FromBytes(bytes);
    ASSERT_TRUE(same.ok());
    EXPECT_TRUE(key->Equals(*same));
    bytes[31] ^= 1;
    Result<SecretKey> other = SecretKey::FromBytes(bytes);
    ASSERT_TRUE(other.ok());
    EXPECT_FALSE(key->Equals(*other));

    Result<SecretKey> short_key = SecretKey::FromBytes(std::span<const unsigned char>(bytes.data(), 31));
    ASSERT_FALSE(short_key.ok());
    EXPECT_EQ(short_key.status().code(), Code::kInvalidArgument);
}

TEST(SecretKeyTest, MovedFromKeyIsEmptyAndUsingItIsALogicError) {
    Result<SecretKey> key = SecretKey::Generate();
    ASSERT_TRUE(key.ok());
    SecretKey moved = std::move(*key);
    EXPECT_NE(moved.data(), nullptr);
    EXPECT_THROW((void)key->data(), LogicError);
}

TEST(SecretKeyTest, AFailingFillIsReturned) {
    Result<SecretKey> key =
        SecretKey::Create([](std::span<unsigned char, kKeyBytes>) { return Status::Unprocessable("nope"); });
    ASSERT_FALSE(key.ok());
    EXPECT_EQ(key.status().code(), Code::kUnprocessable);
}

}  // namespace
}  // namespace mortar::vault
