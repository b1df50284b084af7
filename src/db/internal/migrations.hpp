// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <span>
#include <string_view>

#include "core/status.hpp"
#include "db/database.hpp"

namespace mortar::db::internal {

// One schema migration, from migrations/<dialect>/NNNN_name.sql.
struct Migration {
    int version;
    std::string_view name;
    std::string_view sql;
};

// The migrations of `dialect` embedded at build time (embedded_migrations.cpp, generated
// by embed_migrations.cmake), in ascending version order. Both dialects have the same
// versions; the build fails otherwise.
std::span<const Migration> EmbeddedMigrations(Dialect dialect);

// Applies the migrations of `migrations` that schema_migrations does not list, in order,
// each in its own write transaction together with its schema_migrations row. When
// `lock_sql` is not empty it runs first in every one of those transactions (PostgreSQL:
// a transaction-scoped advisory lock, so concurrent processes apply each migration once).
// Returns the number applied, or the failing migration's Status naming it.
Result<int> RunMigrations(Database& db, std::span<const Migration> migrations, std::string_view lock_sql);

}  // namespace mortar::db::internal
