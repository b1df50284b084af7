// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <memory>

#include "core/status.hpp"
#include "db/database.hpp"

namespace mortar::db::internal {

// Opens a SQLite database at config.url: one writer connection (opened now, which creates
// the file and switches it to WAL) plus up to config.pool_size reader connections opened
// on demand. An in-memory database (":memory:", "file::memory:" or a URI with
// mode=memory) uses one connection for both, so readers see the writer's tables.
Result<std::unique_ptr<Database>> OpenSqliteDatabase(const Config& config);

}  // namespace mortar::db::internal
