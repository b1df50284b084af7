// SPDX-License-Identifier: AGPL-3.0-or-later
// After all migrations, SQLite and PostgreSQL must have the same tables, the same columns
// in each, and the same explicitly created indexes.
#include <set>
#include <string>
#include <utility>

#include <gtest/gtest.h>

#include "db/database.hpp"
#include "db/internal/test_support.hpp"

namespace mortar::db {
namespace {

constexpr DialectQuery kColumns{
    "parity.columns",
    "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()",
    "SELECT m.name, p.name FROM sqlite_schema AS m JOIN pragma_table_info(m.name) AS p "
    "WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"};
// Indexes created with CREATE INDEX (not those backing a primary key or unique constraint).
constexpr DialectQuery kIndexes{
    "parity.indexes",
    "SELECT i.tablename, i.indexname FROM pg_indexes AS i WHERE i.schemaname = current_schema() AND NOT EXISTS "
    "(SELECT 1 FROM pg_constraint AS c WHERE c.conindid = (quote_ident(i.schemaname) || '.' || "
    "quote_ident(i.indexname))::regclass AND c.contype IN ('p', 'u', 'x'))",
    "SELECT tbl_name, name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL"};

using Names = std::set<std::pair<std::string, std::string>>;

Names Collect(Database& db, const DialectQuery& query) {
    Names names;
    Result<Tx> tx = db.Begin(TxMode::kRead);
    EXPECT_TRUE(tx.ok()) << tx.status().message();
    if (!tx.ok()) return names;
    Result<Stmt> stmt = tx->Prepare(query);
    EXPECT_TRUE(stmt.ok()) << stmt.status().message();
    if (!stmt.ok()) return names;
    while (true) {
        Result<bool> row = stmt->Step();
        EXPECT_TRUE(row.ok()) << row.status().message();
        if (!row.ok() || !*row) break;
        names.emplace(stmt->row().GetText(0), stmt->row().GetText(1));
    }
    return names;
}

TEST(MigrationsParity, BothEnginesEndWithTheSameSchema) {
    if (!testing::PgDsn()) GTEST_SKIP() << "MORTAR_TEST_PG_DSN is not set";
    std::string why;
    auto sqlite_env = testing::TestDatabase::Create(Dialect::kSqlite, &why);
    ASSERT_NE(sqlite_env, nullptr) << why;
    auto pg_env = testing::TestDatabase::Create(Dialect::kPostgres, &why);
    ASSERT_NE(pg_env, nullptr) << why;
    Result<std::unique_ptr<Database>> sqlite = sqlite_env->Open();
    Result<std::unique_ptr<Database>> pg = pg_env->Open();
    ASSERT_TRUE(sqlite.ok()) << sqlite.status().message();
    ASSERT_TRUE(pg.ok()) << pg.status().message();

    Result<int> sqlite_applied = (*sqlite)->Migrate();
    Result<int> pg_applied = (*pg)->Migrate();
    ASSERT_TRUE(sqlite_applied.ok()) << sqlite_applied.status().message();
    ASSERT_TRUE(pg_applied.ok()) << pg_applied.status().message();
    EXPECT_EQ(*sqlite_applied, *pg_applied);

    Names sqlite_columns = Collect(**sqlite, kColumns);
    Names pg_columns = Collect(**pg, kColumns);
    EXPECT_TRUE(sqlite_columns.contains({"accounts", "name"}));
    EXPECT_TRUE(sqlite_columns.contains({"api_keys", "password_access"}));
    EXPECT_TRUE(sqlite_columns.contains({"schema_migrations", "version"}));
    EXPECT_EQ(sqlite_columns, pg_columns);

    Names sqlite_indexes = Collect(**sqlite, kIndexes);
    Names pg_indexes = Collect(**pg, kIndexes);
    EXPECT_TRUE(sqlite_indexes.contains({"api_keys", "api_keys_account_id_idx"}));
    EXPECT_EQ(sqlite_indexes, pg_indexes);
}

}  // namespace
}  // namespace mortar::db
