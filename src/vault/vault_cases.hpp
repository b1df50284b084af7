// SPDX-License-Identifier: AGPL-3.0-or-later
// The vault checked against a real store: vault_test.cpp runs these cases on SQLite (a
// temporary file), vault_pgtest.cpp on PostgreSQL (MORTAR_TEST_PG_DSN, one fresh schema per
// test; skipped when unset).
#pragma once

#include <atomic>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <sodium.h>
#include <unistd.h>

#include "db/database.hpp"
#include "vault/vault.hpp"

namespace mortar::vault::testing {

namespace fs = std::filesystem;

inline std::optional<std::string> PgDsn() {
    const char* dsn = std::getenv("MORTAR_TEST_PG_DSN");
    if (dsn == nullptr || *dsn == '\0') return std::nullopt;
    return std::string(dsn);
}

// A fresh, migrated database for one test, and a temporary directory for key files: the
// SQLite database is a file in that directory; on PostgreSQL a new schema is created (and
// dropped afterwards) and made the connections' search_path.
// Thread safety: confined to one thread.
class TestStore {
public:
    static std::unique_ptr<TestStore> Create(db::Dialect dialect, std::string* why) {
        std::unique_ptr<TestStore> store(new TestStore());
        static std::atomic<int> counter{0};
        const std::string unique = std::to_string(getpid()) + "_" + std::to_string(counter++) + "_" +
                                   std::to_string(std::random_device()() % 1000000);
        store->dir_ = fs::temp_directory_path() / ("mortar_vault_test_" + unique);
        std::error_code ec;
        fs::create_directories(store->dir_, ec);
        if (ec) {
            *why = "cannot create " + store->dir_.string() + ": " + ec.message();
            return nullptr;
        }
        if (dialect == db::Dialect::kSqlite) {
            store->url_ = (store->dir_ / "mortar.db").string();
        } else {
            const std::optional<std::string> dsn = PgDsn();
            if (!dsn) {
                *why = "MORTAR_TEST_PG_DSN is not set";
                return nullptr;
            }
            store->admin_dsn_ = *dsn;
            store->schema_ = "mortar_vault_test_" + unique;
            Status created = store->RunAdmin("CREATE SCHEMA " + store->schema_);
            if (!created.ok()) {
                *why = created.message();
                store->schema_.clear();
                return nullptr;
            }
            store->url_ = dsn->starts_with("postgres") ? *dsn + (dsn->find('?') == std::string::npos ? "?" : "&") +
                                                             "options=-c%20search_path%3D" + store->schema_
                                                       : *dsn + " options='-c search_path=" + store->schema_ + "'";
        }
        Result<std::unique_ptr<db::Database>> db = store->Open();
        if (!db.ok()) {
            *why = db.status().message();
            return nullptr;
        }
        Result<int> migrated = (*db)->Migrate();
        if (!migrated.ok()) {
            *why = migrated.status().message();
            return nullptr;
        }
        return store;
    }

    ~TestStore() {
        if (!schema_.empty()) (void)RunAdmin("DROP SCHEMA " + schema_ + " CASCADE");  // best effort
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }

    Result<std::unique_ptr<db::Database>> Open() const {
        return db::Database::Open(db::Config{.url = url_, .pool_size = 4});
    }
    const fs::path& dir() const { return dir_; }
    // The SQLite database file ("" on PostgreSQL).
    std::string sqlite_file() const { return schema_.empty() ? url_ : std::string(); }

private:
    TestStore() = default;

    Status RunAdmin(const std::string& sql) const {
        Result<std::unique_ptr<db::Database>> db = db::Database::Open(db::Config{.url = admin_dsn_, .pool_size = 1});
        if (!db.ok()) return db.status();
        Result<db::Tx> tx = (*db)->Begin(db::TxMode::kWrite);
        if (!tx.ok()) return tx.status();
        MORTAR_RETURN_IF_ERROR(tx->ExecScript(sql));
        return tx->Commit();
    }

    fs::path dir_;
    std::string url_;
    std::string admin_dsn_;
    std::string schema_;
};

inline std::string Hex(std::string_view bytes) {
    std::string out(bytes.size() * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
    out.pop_back();
    return out;
}

inline std::string Base64(std::string_view bytes, int variant) {
    std::string out(sodium_base64_ENCODED_LEN(bytes.size(), variant), '\0');
    sodium_bin2base64(
        out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), variant
    );
    out.resize(out.size() - 1);
    return out;
}

inline std::string KeyBytes(const SecretKey& key) {
    return std::string(reinterpret_cast<const char*>(key.data()), key.size());
}

// Every form in which a secret could leak into storage: raw, hex (both cases) and base64
// (standard and URL-safe, with and without padding).
inline std::vector<std::string> LeakForms(std::string_view secret) {
    std::string upper = Hex(secret);
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return {
        std::string(secret),
        Hex(secret),
        upper,
        Base64(secret, sodium_base64_VARIANT_ORIGINAL),
        Base64(secret, sodium_base64_VARIANT_ORIGINAL_NO_PADDING),
        Base64(secret, sodium_base64_VARIANT_URLSAFE),
        Base64(secret, sodium_base64_VARIANT_URLSAFE_NO_PADDING),
    };
}

constexpr db::Query kDumpKeys{
    "test.vault_keys_dump",
    "SELECT id, wrapped_key, master_key_check, created_at, retired_at FROM vault_keys ORDER BY id"};
constexpr db::Query kInsertSecret{"test.secrets_insert", "INSERT INTO test_secrets (id, envelope) VALUES ($1, $2)"};
constexpr db::Query kListSecrets{"test.secrets_list", "SELECT id, envelope FROM test_secrets ORDER BY id"};
constexpr db::Query kDumpSchema{
    "test.schema_tables",
    "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name"};

class VaultTest : public ::testing::TestWithParam<db::Dialect> {
protected:
    void SetUp() override {
        if (GetParam() == db::Dialect::kPostgres && !PgDsn()) GTEST_SKIP() << "MORTAR_TEST_PG_DSN is not set";
        std::string why;
        store_ = TestStore::Create(GetParam(), &why);
        ASSERT_NE(store_, nullptr) << why;
        Result<std::unique_ptr<db::Database>> db = store_->Open();
        ASSERT_TRUE(db.ok()) << db.status().message();
        db_ = std::move(*db);
        ASSERT_EQ(db_->dialect(), GetParam());
        Result<MasterKey> master = MasterKey::Generate();
        ASSERT_TRUE(master.ok());
        master_.emplace(std::move(*master));
        // Where a domain would keep its envelopes.
        Result<db::Tx> tx = db_->Begin(db::TxMode::kWrite);
        ASSERT_TRUE(tx.ok());
        ASSERT_TRUE(tx->ExecScript("CREATE TABLE test_secrets (id BIGINT PRIMARY KEY, envelope TEXT NOT NULL)").ok());
        ASSERT_TRUE(tx->Commit().ok());
    }

    static MasterKey NewKey() {
        Result<MasterKey> key = MasterKey::Generate();
        if (!key.ok()) throw std::runtime_error(key.status().message());
        return std::move(*key);
    }

    std::unique_ptr<Vault> OpenVault(const MasterKey& key) {
        Result<std::unique_ptr<Vault>> vault = Vault::Open(*db_, key);
        if (!vault.ok()) throw std::runtime_error("Vault::Open: " + vault.status().message());
        return std::move(*vault);
    }

    static std::string MustSeal(const Vault& vault, std::string_view plaintext, std::string_view context) {
        Result<std::string> sealed = vault.Seal(plaintext, context);
        if (!sealed.ok()) throw std::runtime_error("Seal: " + sealed.status().message());
        return std::move(*sealed);
    }

    // Every row of vault_keys, all columns, as text.
    std::vector<std::string> DumpKeys() {
        std::vector<std::string> rows;
        Result<db::Tx> tx = db_->Begin(db::TxMode::kRead);
        if (!tx.ok()) throw std::runtime_error(tx.status().message());
        Result<db::Stmt> dump = tx->Prepare(kDumpKeys);
        if (!dump.ok()) throw std::runtime_error(dump.status().message());
        while (*dump->Step()) {
            const db::Row& r = dump->row();
            std::string row;
            for (int col = 0; col < r.ColumnCount(); ++col)
                row += (r.IsNull(col) ? "NULL" : std::string(r.GetText(col))) + "|";
            rows.push_back(row);
        }
        return rows;
    }

    void StoreSecret(int64_t id, const std::string& envelope) {
        Result<db::Tx> tx = db_->Begin(db::TxMode::kWrite);
        ASSERT_TRUE(tx.ok());
        Result<db::Stmt> insert = tx->Prepare(kInsertSecret);
        ASSERT_TRUE(insert.ok());
        insert->Bind(1, id).Bind(2, std::string_view(envelope));
        ASSERT_TRUE(insert->Execute().ok());
        ASSERT_TRUE(tx->Commit().ok());
    }

    std::vector<std::pair<int64_t, std::string>> StoredSecrets() {
        std::vector<std::pair<int64_t, std::string>> rows;
        Result<db::Tx> tx = db_->Begin(db::TxMode::kRead);
        if (!tx.ok()) throw std::runtime_error(tx.status().message());
        Result<db::Stmt> list = tx->Prepare(kListSecrets);
        if (!list.ok()) throw std::runtime_error(list.status().message());
        while (*list->Step()) rows.emplace_back(list->row().GetInt(0), std::string(list->row().GetText(1)));
        return rows;
    }

    // Everything the store holds, as bytes a thief of the database would see: on SQLite the
    // database file with its WAL and shared-memory files; on PostgreSQL every row of every
    // table of the test schema rendered as text.
    std::string EverythingStored() {
        std::string all;
        if (GetParam() == db::Dialect::kSqlite) {
            for (const std::string suffix : {"", "-wal", "-shm", "-journal"}) {
                std::ifstream in(store_->sqlite_file() + suffix, std::ios::binary);
                if (!in) continue;
                std::stringstream bytes;
                bytes << in.rdbuf();
                all += bytes.str();
            }
            return all;
        }
        std::vector<std::string> tables;
        {
            Result<db::Tx> tx = db_->Begin(db::TxMode::kRead);
            if (!tx.ok()) throw std::runtime_error(tx.status().message());
            Result<db::Stmt> list = tx->Prepare(kDumpSchema);
            if (!list.ok()) throw std::runtime_error(list.status().message());
            while (*list->Step()) tables.emplace_back(list->row().GetText(0));
        }
        Result<db::Tx> tx = db_->Begin(db::TxMode::kRead);
        if (!tx.ok()) throw std::runtime_error(tx.status().message());
        for (const std::string& table : tables) {
            Result<db::Stmt> rows = tx->PrepareDynamic("SELECT t::text FROM \"" + table + "\" AS t");
            if (!rows.ok()) throw std::runtime_error(rows.status().message());
            while (*rows->Step()) all += std::string(rows->row().GetText(0)) + "\n";
        }
        return all;
    }

    std::unique_ptr<TestStore> store_;
    std::unique_ptr<db::Database> db_;
    std::optional<MasterKey> master_;
};

TEST_P(VaultTest, RoundTrips) {
    std::unique_ptr<Vault> vault = OpenVault(*master_);
    std::string binary(64 * 1024, '\0');
    randombytes_buf(binary.data(), binary.size());
    const std::vector<std::string> plaintexts = {
        "",
        "hunter2",
        "pässwörd – 🔑 日本語 \xF0\x9F\x98\x80",
        std::string("nul\0inside", 10),
        binary,
        std::string(kMaxPlaintextBytes, 'x'),
    };
    for (std::size_t i = 0; i < plaintexts.size(); ++i) {
        const std::string context = SecretContext("passwords", 7, static_cast<int64_t>(i), "password");
        Result<std::string> sealed = vault->Seal(plaintexts[i], context);
        ASSERT_TRUE(sealed.ok()) << sealed.status().message();
        Result<std::string> opened = vault->Open(*sealed, context);
        ASSERT_TRUE(opened.ok()) << "case " << i << ": " << opened.status().message();
        EXPECT_EQ(*opened, plaintexts[i]) << "case " << i;
    }
}

TEST_P(VaultTest, EnvelopeHasTheDocumentedFormat) {
    std::unique_ptr<Vault> vault = OpenVault(*master_);
    EXPECT_EQ(vault->active_key_id(), 1);
    const std::string envelope = MustSeal(*vault, "hunter2", "ctx");
    const std::vector<std::string_view> parts = [&] {
        std::vector<std::string_view> out;
        std::string_view rest = envelope;
        for (auto colon = rest.find(':'); colon != std::string_view::npos; colon = rest.find(':')) {
            out.push_back(rest.substr(0, colon));
            rest.remove_prefix(colon + 1);
        }
        out.push_back(rest);
        return out;
    }();
    ASSERT_EQ(parts.size(), 4u) << envelope;
    EXPECT_EQ(parts[0], "v1");
    EXPECT_EQ(parts[1], "1");
    EXPECT_EQ(parts[2].size(), 32u);                        // 24-byte nonce
    EXPECT_EQ(parts[3].size(), (7u + 16u + 2u) / 3u * 4u);  // 7 bytes + 16-byte tag
    for (char c : envelope) EXPECT_TRUE(c >= 0x21 && c <= 0x7e) << envelope;

    // A fresh nonce every time: the same secret never gives the same envelope.
    EXPECT_NE(MustSeal(*vault, "hunter2", "ctx"), envelope);
}

TEST_P(VaultTest, TooLargeSecretsAreRefused) {
    std::unique_ptr<Vault> vault = OpenVault(*master_);
    Result<std::string> sealed = vault->Seal(std::string(kMaxPlaintextBytes + 1, 'x'), "ctx");
    ASSERT_FALSE(sealed.ok());
    EXPECT_EQ(sealed.status().code(), Code::kInvalidArgument);
}

TEST_P(VaultTest, EnvelopesOpenOnlyInTheirContext) {
    std::unique_ptr<Vault> vault = OpenVault(*master_);
    const std::string secret = "correct horse battery staple";
    const std::string context = SecretContext("passwords", 7, 42, "password");
    const std::string envelope = MustSeal(*vault, secret, context);
    ASSERT_TRUE(vault->Open(envelope, context).ok());
    const std::vector<std::string> elsewhere = {
        SecretContext("passwords", 7, 43, "password"),    // another record
        SecretContext("passwords", 8, 42, "password"),    // another account
        SecretContext("passwords", 7, 42, "otp_secret"),  // another column
        SecretContext("integrations", 7, 42, "password"),
        "",
        context + " ",
    };
    for (const std::string& other : elsewhere) {
        Result<std::string> opened = vault->Open(envelope, other);
        ASSERT_FALSE(opened.ok()) << other;
        EXPECT_EQ(opened.status().code(), Code::kInternal);
        EXPECT_EQ(opened.status().message().find(secret), std::string::npos);
        EXPECT_EQ(opened.status().message().find(envelope.substr(5, 20)), std::string::npos);
    }
}

TEST_P(VaultTest, AnyChangeToAnEnvelopeIsDetected) {
    std::unique_ptr<Vault> vault = OpenVault(*master_);
    const std::string secret = "s3cr3t-value";
    const std::string envelope = MustSeal(*vault, secret, "ctx");
    // Every single-character change, at every position: version, key id, separators, nonce,
    // ciphertext and tag.
    for (std::size_t pos = 0; pos < envelope.size(); ++pos) {
        for (char replacement : {'A', 'B', '9', '+', ':'}) {
            if (envelope[pos] == replacement) continue;
            std::string tampered = envelope;
            tampered[pos] = replacement;
            Result<std::string> opened = vault->Open(tampered, "ctx");
            ASSERT_FALSE(opened.ok()) << "position " << pos << " -> " << replacement;
            EXPECT_EQ(opened.status().code(), Code::kInternal);
            EXPECT_EQ(opened.status().message().find(secret), std::string::npos);
            EXPECT_EQ(opened.status().message().find(tampered.substr(5, 20)), std::string::npos);
        }
    }
    // Truncated, extended, reordered, empty and foreign values.
    const std::string nonce_and_ct = envelope.substr(envelope.find(':', 3) + 1);
    const std::vector<std::string> broken = {
        "",
        secret,
        envelope.substr(0, envelope.size() - 4),
        envelope + "AAAA",
        envelope + ":",
        "v2" + envelope.substr(2),
        "v1:01:" + nonce_and_ct,
        "v1:-1:" + nonce_and_ct,
        "v1::" + nonce_and_ct,
        "v1:1:" + nonce_and_ct.substr(nonce_and_ct.find(':') + 1) + ":" +
            nonce_and_ct.substr(0, nonce_and_ct.find(':')),
        "v1:1:" + nonce_and_ct.substr(0, nonce_and_ct.find(':')) + ":",
    };
    for (const std::string& value : broken) {
        Result<std::string> opened = vault->Open(value, "ctx");
        ASSERT_FALSE(opened.ok()) << value;
        EXPECT_EQ(opened.status().code(), Code::kInternal) << value;
    }
    // The untouched envelope still opens.
    Result<std::string> opened = vault->Open(envelope, "ctx");
    ASSERT_TRUE(opened.ok());
    EXPECT_EQ(*opened, secret);
}

TEST_P(VaultTest, ChangingTheKeyIdIsDetected) {
    std::unique_ptr<Vault> vault = OpenVault(*master_);
    const std::string envelope = MustSeal(*vault, "value", "ctx");
    ASSERT_EQ(envelope.substr(0, 5), "v1:1:");
    Result<int64_t> rotated = vault->RotateDataKey();
    ASSERT_TRUE(rotated.ok()) << rotated.status().message();
    ASSERT_EQ(*rotated, 2);

    // Key 2 exists, but the envelope was sealed with key 1.
    Result<std::string> opened = vault->Open("v1:2:" + envelope.substr(5), "ctx");
    ASSERT_FALSE(opened.ok());
    EXPECT_EQ(opened.status().code(), Code::kInternal);
    EXPECT_NE(opened.status().message().find("vault key 2"), std::string::npos) << opened.status().message();

    // Key 99 does not exist.
    opened = vault->Open("v1:99:" + envelope.substr(5), "ctx");
    ASSERT_FALSE(opened.ok());
    EXPECT_EQ(opened.status().code(), Code::kInternal);
    EXPECT_NE(opened.status().message().find("vault key 99"), std::string::npos) << opened.status().message();
    EXPECT_NE(opened.status().message().find("does not exist"), std::string::npos) << opened.status().message();
}

TEST_P(VaultTest, FirstOpenCreatesOneDataKeyAndLaterOpensWriteNothing) {
    EXPECT_TRUE(DumpKeys().empty());
    std::unique_ptr<Vault> first = OpenVault(*master_);
    const std::vector<std::string> after_first = DumpKeys();
    ASSERT_EQ(after_first.size(), 1u);
    EXPECT_EQ(after_first[0].substr(0, 2), "1|");
    EXPECT_NE(after_first[0].find("|NULL|"), std::string::npos) << "not retired";

    const std::string envelope = MustSeal(*first, "kept", "ctx");
    first.reset();
    std::unique_ptr<Vault> second = OpenVault(*master_);
    EXPECT_EQ(DumpKeys(), after_first);
    Result<std::string> opened = second->Open(envelope, "ctx");
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    EXPECT_EQ(*opened, "kept");
}

TEST_P(VaultTest, ConcurrentFirstOpensAgreeOnOneKey) {
    constexpr int kThreads = 6;
    std::vector<std::optional<Result<std::unique_ptr<Vault>>>> vaults(kThreads);
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
        threads.emplace_back([&, i] { vaults[i].emplace(Vault::Open(*db_, *master_)); });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(DumpKeys().size(), 1u);
    for (int i = 0; i < kThreads; ++i) {
        ASSERT_TRUE(vaults[i]->ok()) << vaults[i]->status().message();
    }
    // Each opens what any other sealed.
    const std::string envelope = MustSeal(***vaults[0], "shared", "ctx");
    for (int i = 1; i < kThreads; ++i) {
        Result<std::string> opened = (**vaults[i])->Open(envelope, "ctx");
        ASSERT_TRUE(opened.ok()) << opened.status().message();
        EXPECT_EQ(*opened, "shared");
    }
}

TEST_P(VaultTest, ConcurrentFirstOpensWithDifferentKeysLetOneWin) {
    constexpr int kThreads = 4;
    std::vector<MasterKey> keys;
    for (int i = 0; i < kThreads; ++i) keys.push_back(NewKey());
    std::vector<std::optional<Result<std::unique_ptr<Vault>>>> vaults(kThreads);
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
        threads.emplace_back([&, i] { vaults[i].emplace(Vault::Open(*db_, keys[i])); });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(DumpKeys().size(), 1u);
    int winners = 0;
    for (int i = 0; i < kThreads; ++i) {
        if (vaults[i]->ok()) {
            ++winners;
        } else {
            EXPECT_EQ(vaults[i]->status().code(), Code::kUnprocessable) << vaults[i]->status().message();
        }
    }
    EXPECT_EQ(winners, 1);
}

TEST_P(VaultTest, WrongMasterKeyIsRefusedAndNothingIsWritten) {
    std::unique_ptr<Vault> vault = OpenVault(*master_);
    StoreSecret(1, MustSeal(*vault, "one", "ctx:1"));
    ASSERT_TRUE(vault->RotateDataKey().ok());
    StoreSecret(2, MustSeal(*vault, "two", "ctx:2"));
    vault.reset();
    const std::vector<std::string> keys_before = DumpKeys();
    const auto secrets_before = StoredSecrets();
    ASSERT_EQ(keys_before.size(), 2u);

    const MasterKey wrong = NewKey();
    Result<std::unique_ptr<Vault>> refused = Vault::Open(*db_, wrong);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.status().code(), Code::kUnprocessable);
    const std::string& message = refused.status().message();
    EXPECT_NE(message.find("the master key does not match this database (vault key 1)"), std::string::npos) << message;
    EXPECT_NE(message.find("--master-key-file"), std::string::npos) << message;
    for (const std::string& form : LeakForms(KeyBytes(wrong))) EXPECT_EQ(message.find(form), std::string::npos);
    for (const std::string& form : LeakForms(KeyBytes(*master_))) EXPECT_EQ(message.find(form), std::string::npos);

    EXPECT_EQ(DumpKeys(), keys_before);
    EXPECT_EQ(StoredSecrets(), secrets_before);

    // The right key still opens everything.
    vault = OpenVault(*master_);
    for (const auto& [id, envelope] : secrets_before) {
        Result<std::string> opened = vault->Open(envelope, "ctx:" + std::to_string(id));
        ASSERT_TRUE(opened.ok()) << opened.status().message();
    }
}

TEST_P(VaultTest, DamagedKeyRowsAreNotMistakenForAWrongMasterKey) {
    std::unique_ptr<Vault> vault = OpenVault(*master_);
    ASSERT_TRUE(vault->RotateDataKey().ok());
    vault.reset();
    std::vector<std::string> wrapped;  // wrapped_key of keys 1 and 2
    {
        Result<db::Tx> tx = db_->Begin(db::TxMode::kRead);
        ASSERT_TRUE(tx.ok());
        Result<db::Stmt> list = tx->PrepareDynamic("SELECT wrapped_key FROM vault_keys ORDER BY id");
        ASSERT_TRUE(list.ok());
        while (*list->Step()) wrapped.emplace_back(list->row().GetText(0));
    }
    ASSERT_EQ(wrapped.size(), 2u);
    auto set_wrapped = [&](int64_t id, const std::string& value) {
        Result<db::Tx> tx = db_->Begin(db::TxMode::kWrite);
        ASSERT_TRUE(tx.ok());
        Result<db::Stmt> update = tx->PrepareDynamic("UPDATE vault_keys SET wrapped_key = $2 WHERE id = $1");
        ASSERT_TRUE(update.ok());
        update->Bind(1, id).Bind(2, std::string_view(value));
        ASSERT_TRUE(update->Execute().ok());
        ASSERT_TRUE(tx->Commit().ok());
    };
    auto expect_damaged = [&](int64_t id) {
        Result<std::unique_ptr<Vault>> damaged = Vault::Open(*db_, *master_);
        ASSERT_FALSE(damaged.ok());
        EXPECT_EQ(damaged.status().code(), Code::kInternal);
        const std::string& message = damaged.status().message();
        EXPECT_NE(
            message.find("vault key " + std::to_string(id) + " matches the master key but does not unwrap"),
            std::string::npos
        ) << message;
    };

    // Keys swapped between rows: both are wrapped under this master key, and the checks
    // (which depend on the id only) still match, but each wrapping is bound to its own id.
    set_wrapped(1, wrapped[1]);
    set_wrapped(2, wrapped[0]);
    expect_damaged(1);

    // One character of the wrapped key changed.
    std::string flipped = wrapped[0];
    const std::size_t pos = flipped.size() - 10;
    flipped[pos] = flipped[pos] == 'A' ? 'B' : 'A';
    set_wrapped(1, flipped);
    set_wrapped(2, wrapped[1]);
    expect_damaged(1);

    // Restored, both open again.
    set_wrapped(1, wrapped[0]);
    EXPECT_TRUE(Vault::Open(*db_, *master_).ok());
}

TEST_P(VaultTest, DataKeyRotationKeepsOldEnvelopesReadable) {
    std::unique_ptr<Vault> vault = OpenVault(*master_);
    std::unique_ptr<Vault> other_process = OpenVault(*master_);
    const std::string old_envelope = MustSeal(*vault, "before", "ctx");
    ASSERT_EQ(old_envelope.substr(0, 5), "v1:1:");

    Result<int64_t> rotated = vault->RotateDataKey();
    ASSERT_TRUE(rotated.ok()) << rotated.status().message();
    EXPECT_EQ(*rotated, 2);
    EXPECT_EQ(vault->active_key_id(), 2);
    const std::string new_envelope = MustSeal(*vault, "after", "ctx");
    EXPECT_EQ(new_envelope.substr(0, 5), "v1:2:");

    const std::vector<std::string> rows = DumpKeys();
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].find("|NULL|"), std::string::npos) << "key 1 is retired: " << rows[0];
    EXPECT_NE(rows[1].find("|NULL|"), std::string::npos) << "key 2 is active: " << rows[1];

    for (const Vault* v : {vault.get(), other_process.get()}) {
        Result<std::string> before = v->Open(old_envelope, "ctx");
        Result<std::string> after = v->Open(new_envelope, "ctx");
        ASSERT_TRUE(before.ok()) << before.status().message();
        ASSERT_TRUE(after.ok()) << after.status().message();  // another Vault reads key 2 on first use
        EXPECT_EQ(*before, "before");
        EXPECT_EQ(*after, "after");
    }
    // A Vault opened before the rotation keeps sealing with the key it opened with.
    EXPECT_EQ(other_process->active_key_id(), 1);

    std::unique_ptr<Vault> reopened = OpenVault(*master_);
    EXPECT_EQ(reopened->active_key_id(), 2);
    EXPECT_EQ(MustSeal(*reopened, "x", "ctx").substr(0, 5), "v1:2:");
    ASSERT_TRUE(reopened->Open(old_envelope, "ctx").ok());

    Result<int64_t> again = reopened->RotateDataKey();
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(*again, 3);
    EXPECT_EQ(DumpKeys().size(), 3u);
}

TEST_P(VaultTest, MasterKeyRotationKeepsEverySecretReadable) {
    std::unique_ptr<Vault> vault = OpenVault(*master_);
    constexpr int kSecrets = 20;
    for (int i = 0; i < kSecrets; ++i) {
        if (i == kSecrets / 2) {
            ASSERT_TRUE(vault->RotateDataKey().ok());
        }
        StoreSecret(i, MustSeal(*vault, "secret " + std::to_string(i), "ctx:" + std::to_string(i)));
    }
    const auto secrets_before = StoredSecrets();
    const std::vector<std::string> keys_before = DumpKeys();

    const MasterKey next = NewKey();
    Result<int> rewrapped = RotateMasterKey(*db_, *master_, next);
    ASSERT_TRUE(rewrapped.ok()) << rewrapped.status().message();
    EXPECT_EQ(*rewrapped, 2);

    // Envelopes are untouched; every key row changed.
    EXPECT_EQ(StoredSecrets(), secrets_before);
    const std::vector<std::string> keys_after = DumpKeys();
    ASSERT_EQ(keys_after.size(), keys_before.size());
    for (std::size_t i = 0; i < keys_after.size(); ++i) EXPECT_NE(keys_after[i], keys_before[i]);

    // A Vault that was already running keeps working (its data keys are in memory).
    Result<std::string> still = vault->Open(secrets_before[0].second, "ctx:0");
    ASSERT_TRUE(still.ok()) << still.status().message();
    // ... but it may not add a key wrapped under the old master key.
    Result<int64_t> stale = vault->RotateDataKey();
    ASSERT_FALSE(stale.ok());
    EXPECT_EQ(stale.status().code(), Code::kUnprocessable);
    EXPECT_EQ(DumpKeys(), keys_after);

    // The new key opens everything; the old key is refused.
    std::unique_ptr<Vault> rotated = OpenVault(next);
    for (const auto& [id, envelope] : secrets_before) {
        Result<std::string> opened = rotated->Open(envelope, "ctx:" + std::to_string(id));
        ASSERT_TRUE(opened.ok()) << opened.status().message();
        EXPECT_EQ(*opened, "secret " + std::to_string(id));
    }
    Result<std::unique_ptr<Vault>> old = Vault::Open(*db_, *master_);
    ASSERT_FALSE(old.ok());
    EXPECT_EQ(old.status().code(), Code::kUnprocessable);

    // Repeating the rotation (as after a crash before the key file moved) is a no-op.
    Result<int> repeated = RotateMasterKey(*db_, *master_, next);
    ASSERT_TRUE(repeated.ok()) << repeated.status().message();
    EXPECT_EQ(*repeated, 0);
    EXPECT_EQ(DumpKeys(), keys_after);
}

TEST_P(VaultTest, MasterKeyRotationRefusesAWrongOldKeyAndWritesNothing) {
    OpenVault(*master_).reset();
    const std::vector<std::string> keys_before = DumpKeys();
    const MasterKey wrong = NewKey();
    const MasterKey next = NewKey();
    Result<int> rewrapped = RotateMasterKey(*db_, wrong, next);
    ASSERT_FALSE(rewrapped.ok());
    EXPECT_EQ(rewrapped.status().code(), Code::kUnprocessable);
    EXPECT_EQ(DumpKeys(), keys_before);

    Result<int> same = RotateMasterKey(*db_, *master_, *master_);
    ASSERT_FALSE(same.ok());
    EXPECT_EQ(same.status().code(), Code::kInvalidArgument);
    EXPECT_EQ(DumpKeys(), keys_before);
}

TEST_P(VaultTest, MasterKeyFileRotation) {
    const std::string path = (store_->dir() / "master.key").string();
    Result<MasterKeyFile> file = LoadOrCreateMasterKey(path, true);
    ASSERT_TRUE(file.ok()) << file.status().message();
    std::unique_ptr<Vault> vault = OpenVault(file->key);
    const std::string envelope = MustSeal(*vault, "rotated", "ctx");

    Result<MasterKeyRotation> rotation = RotateMasterKeyFile(*db_, path);
    ASSERT_TRUE(rotation.ok()) << rotation.status().message();
    EXPECT_EQ(rotation->keys_rewrapped, 1);
    EXPECT_FALSE(rotation->resumed);
    EXPECT_FALSE(fs::exists(path + ".new"));

    Result<MasterKeyFile> after = LoadOrCreateMasterKey(path, false);
    ASSERT_TRUE(after.ok());
    EXPECT_FALSE(after->key.Equals(file->key));
    EXPECT_FALSE(after->insecure_permissions);
    Result<std::string> opened = OpenVault(after->key)->Open(envelope, "ctx");
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    EXPECT_EQ(*opened, "rotated");
    EXPECT_EQ(Vault::Open(*db_, file->key).status().code(), Code::kUnprocessable);
}

TEST_P(VaultTest, InterruptedMasterKeyFileRotationsComplete) {
    const std::string path = (store_->dir() / "master.key").string();
    Result<MasterKeyFile> file = LoadOrCreateMasterKey(path, true);
    ASSERT_TRUE(file.ok());
    const std::string envelope = MustSeal(*OpenVault(file->key), "kept", "ctx");

    // Crashed after writing "<path>.new" but before the database changed.
    const MasterKey pending = NewKey();
    ASSERT_TRUE(WriteMasterKeyFile(path + ".new", pending).ok());
    Result<MasterKeyRotation> rotation = RotateMasterKeyFile(*db_, path);
    ASSERT_TRUE(rotation.ok()) << rotation.status().message();
    EXPECT_TRUE(rotation->resumed);
    EXPECT_EQ(rotation->keys_rewrapped, 1);
    Result<MasterKeyFile> now = LoadOrCreateMasterKey(path, false);
    ASSERT_TRUE(now.ok());
    EXPECT_TRUE(now->key.Equals(pending));

    // Crashed after the database changed but before the file moved: the old file no
    // longer opens the database, and running the rotation again finishes it.
    const MasterKey next = NewKey();
    ASSERT_TRUE(WriteMasterKeyFile(path + ".new", next).ok());
    ASSERT_TRUE(RotateMasterKey(*db_, pending, next).ok());
    EXPECT_EQ(Vault::Open(*db_, pending).status().code(), Code::kUnprocessable);
    rotation = RotateMasterKeyFile(*db_, path);
    ASSERT_TRUE(rotation.ok()) << rotation.status().message();
    EXPECT_TRUE(rotation->resumed);
    EXPECT_EQ(rotation->keys_rewrapped, 0);
    now = LoadOrCreateMasterKey(path, false);
    ASSERT_TRUE(now.ok());
    EXPECT_TRUE(now->key.Equals(next));
    Result<std::string> opened = OpenVault(now->key)->Open(envelope, "ctx");
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    EXPECT_EQ(*opened, "kept");
    EXPECT_FALSE(fs::exists(path + ".new"));
}

TEST_P(VaultTest, MasterKeyFileRotationWithAWrongKeyFileLeavesNoTrace) {
    OpenVault(*master_).reset();
    const std::string path = (store_->dir() / "master.key").string();
    Result<MasterKeyFile> wrong = LoadOrCreateMasterKey(path, true);
    ASSERT_TRUE(wrong.ok());
    const std::vector<std::string> keys_before = DumpKeys();
    Result<MasterKeyRotation> rotation = RotateMasterKeyFile(*db_, path);
    ASSERT_FALSE(rotation.ok());
    EXPECT_EQ(rotation.status().code(), Code::kUnprocessable);
    EXPECT_FALSE(fs::exists(path + ".new"));
    EXPECT_EQ(DumpKeys(), keys_before);
    Result<MasterKeyFile> unchanged = LoadOrCreateMasterKey(path, false);
    ASSERT_TRUE(unchanged.ok());
    EXPECT_TRUE(unchanged->key.Equals(wrong->key));
}

TEST_P(VaultTest, ConcurrentUseWhileTheDataKeyRotates) {
    std::unique_ptr<Vault> vault = OpenVault(*master_);
    constexpr int kThreads = 4;
    constexpr int kRounds = 200;
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kRounds; ++i) {
                const std::string secret = "t" + std::to_string(t) + "i" + std::to_string(i);
                Result<std::string> sealed = vault->Seal(secret, secret);
                if (!sealed.ok()) {
                    ++failures;
                    continue;
                }
                Result<std::string> opened = vault->Open(*sealed, secret);
                if (!opened.ok() || *opened != secret) ++failures;
            }
        });
    }
    for (int r = 0; r < 3; ++r) {
        Result<int64_t> rotated = vault->RotateDataKey();
        EXPECT_TRUE(rotated.ok()) << rotated.status().message();
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(vault->active_key_id(), 4);
}

TEST_P(VaultTest, CanaryNeverReachesTheStore) {
    const std::string canary = "CANARY-7f3a91c2-never-store-me-in-plaintext";
    const std::string control = "control-marker-stored-in-plaintext-on-purpose";
    std::unique_ptr<Vault> vault = OpenVault(*master_);
    constexpr int kCopies = 300;
    for (int i = 0; i < kCopies; ++i) {
        if (i == kCopies / 3) {
            ASSERT_TRUE(vault->RotateDataKey().ok());
        }
        StoreSecret(i, MustSeal(*vault, canary, SecretContext("passwords", 1, i, "password")));
    }
    const MasterKey next = NewKey();
    ASSERT_TRUE(RotateMasterKey(*db_, *master_, next).ok());
    StoreSecret(kCopies, control);

    const std::string stored = EverythingStored();
    // The scan sees what is stored: the control string stored in plaintext is found.
    ASSERT_NE(stored.find(control), std::string::npos) << "the scan did not see the stored rows";
    for (const std::string& form : LeakForms(canary)) {
        EXPECT_EQ(stored.find(form), std::string::npos) << "the canary leaked as " << form;
    }
    for (const std::string& form : LeakForms(KeyBytes(*master_))) {
        EXPECT_EQ(stored.find(form), std::string::npos) << "the old master key leaked";
    }
    for (const std::string& form : LeakForms(KeyBytes(next))) {
        EXPECT_EQ(stored.find(form), std::string::npos) << "the new master key leaked";
    }
    // And the secrets are all still there to be opened.
    std::unique_ptr<Vault> reopened = OpenVault(next);
    int opened_count = 0;
    for (const auto& [id, envelope] : StoredSecrets()) {
        if (id == kCopies) continue;
        Result<std::string> opened = reopened->Open(envelope, SecretContext("passwords", 1, id, "password"));
        ASSERT_TRUE(opened.ok()) << opened.status().message();
        EXPECT_EQ(*opened, canary);
        ++opened_count;
    }
    EXPECT_EQ(opened_count, kCopies);
}

TEST_P(VaultTest, UnmigratedDatabaseIsReported) {
    // As if the database had not been migrated to 0004_vault.
    Result<db::Tx> tx = db_->Begin(db::TxMode::kWrite);
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(tx->ExecScript("DROP TABLE vault_keys").ok());
    ASSERT_TRUE(tx->Commit().ok());
    Result<std::unique_ptr<Vault>> vault = Vault::Open(*db_, *master_);
    ASSERT_FALSE(vault.ok());
    EXPECT_EQ(vault.status().code(), Code::kInternal);
    EXPECT_NE(vault.status().message().find("vault_keys"), std::string::npos) << vault.status().message();
}

}  // namespace mortar::vault::testing
