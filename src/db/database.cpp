// SPDX-License-Identifier: AGPL-3.0-or-later
#include "db/database.hpp"

#include <array>
#include <cctype>

#include "db/internal/impl.hpp"
#include "db/internal/pg_database.hpp"
#include "db/internal/sqlite_database.hpp"

namespace mortar::db {

// ---- Stmt ----

Stmt::Stmt(std::unique_ptr<StmtImpl> impl) : impl_(std::move(impl)) {}
Stmt::Stmt(Stmt&&) noexcept = default;
Stmt& Stmt::operator=(Stmt&&) noexcept = default;
Stmt::~Stmt() = default;

Stmt& Stmt::Bind(int idx, Param value) {
    MORTAR_CHECK(impl_, "use of a moved-from Stmt");
    impl_->Bind(idx, value);
    return *this;
}

Stmt& Stmt::BindAll(std::span<const Param> params) {
    MORTAR_CHECK(impl_, "use of a moved-from Stmt");
    for (size_t i = 0; i < params.size(); ++i) impl_->Bind(static_cast<int>(i) + 1, params[i]);
    return *this;
}

Result<bool> Stmt::Step() {
    MORTAR_CHECK(impl_, "use of a moved-from Stmt");
    return impl_->Step();
}

const Row& Stmt::row() const {
    MORTAR_CHECK(impl_, "use of a moved-from Stmt");
    return impl_->row();
}

Result<int64_t> Stmt::Execute() {
    MORTAR_CHECK(impl_, "use of a moved-from Stmt");
    return impl_->Execute();
}

void Stmt::Reset() {
    MORTAR_CHECK(impl_, "use of a moved-from Stmt");
    impl_->Reset();
}

// ---- Tx ----

Tx::Tx(std::unique_ptr<TxImpl> impl) : impl_(std::move(impl)) {}
Tx::Tx(Tx&&) noexcept = default;
Tx& Tx::operator=(Tx&&) noexcept = default;
Tx::~Tx() = default;

Dialect Tx::dialect() const {
    MORTAR_CHECK(impl_, "use of a moved-from Tx");
    return impl_->dialect();
}

Result<Stmt> Tx::Prepare(const Query& query) {
    MORTAR_CHECK(impl_, "use of a moved-from Tx");
    return impl_->Prepare(query.name, query.sql, false);
}

Result<Stmt> Tx::Prepare(const DialectQuery& query) {
    MORTAR_CHECK(impl_, "use of a moved-from Tx");
    return impl_->Prepare(query.name, impl_->dialect() == Dialect::kPostgres ? query.postgres : query.sqlite, false);
}

Result<Stmt> Tx::PrepareDynamic(std::string sql) {
    MORTAR_CHECK(impl_, "use of a moved-from Tx");
    return impl_->Prepare("dynamic query", sql, true);
}

Status Tx::ExecScript(std::string_view sql) {
    MORTAR_CHECK(impl_, "use of a moved-from Tx");
    return impl_->ExecScript(sql);
}

Status Tx::Commit() {
    MORTAR_CHECK(impl_, "use of a moved-from Tx");
    return impl_->Commit();
}

void Tx::Rollback() {
    MORTAR_CHECK(impl_, "use of a moved-from Tx");
    impl_->Rollback();
}

ErrorKind Tx::last_error_kind() const {
    MORTAR_CHECK(impl_, "use of a moved-from Tx");
    return impl_->last_error_kind();
}

// ---- BulkWriter ----

BulkWriter::BulkWriter(std::unique_ptr<BulkWriterImpl> impl) : impl_(std::move(impl)) {}
BulkWriter::BulkWriter(BulkWriter&&) noexcept = default;
BulkWriter::~BulkWriter() = default;

Result<BulkWriter> BulkWriter::Create(Tx& tx, BulkSpec spec) {
    MORTAR_CHECK(tx.impl_, "use of a moved-from Tx");
    Result<std::unique_ptr<BulkWriterImpl>> impl = tx.impl_->CreateBulkWriter(std::move(spec));
    if (!impl.ok()) return impl.status();
    return BulkWriter(std::move(impl).value());
}

Status BulkWriter::Add(std::span<const Param> row) {
    MORTAR_CHECK(impl_, "use of a moved-from BulkWriter");
    return impl_->Add(row);
}

Result<int64_t> BulkWriter::Finish() {
    MORTAR_CHECK(impl_, "use of a moved-from BulkWriter");
    return impl_->Finish();
}

// ---- Database ----

bool IsPostgresUrl(std::string_view url) {
    if (url.starts_with("postgresql://") || url.starts_with("postgres://")) return true;
    // A libpq key=value string: its first word is a connection keyword followed by '='.
    size_t i = 0;
    while (i < url.size() && std::isspace(static_cast<unsigned char>(url[i]))) ++i;
    size_t start = i;
    while (i < url.size() && (std::isalnum(static_cast<unsigned char>(url[i])) || url[i] == '_')) ++i;
    std::string_view keyword = url.substr(start, i - start);
    while (i < url.size() && std::isspace(static_cast<unsigned char>(url[i]))) ++i;
    if (i >= url.size() || url[i] != '=') return false;
    static constexpr std::array<std::string_view, 12> kKeywords = {
        "host",
        "hostaddr",
        "port",
        "dbname",
        "user",
        "password",
        "passfile",
        "service",
        "sslmode",
        "application_name",
        "connect_timeout",
        "options"};
    for (std::string_view k : kKeywords) {
        if (keyword == k) return true;
    }
    return false;
}

Result<std::unique_ptr<Database>> Database::Open(const Config& config) {
    if (config.url.empty()) return Status::InvalidArgument("database URL is empty");
    if (config.pool_size < 1) return Status::InvalidArgument("database pool size must be at least 1");
    if (config.acquire_timeout.count() < 0 || config.busy_timeout.count() < 0) {
        return Status::InvalidArgument("database timeouts must not be negative");
    }
    if (IsPostgresUrl(config.url)) return internal::OpenPostgresDatabase(config);
    return internal::OpenSqliteDatabase(config);
}

}  // namespace mortar::db
