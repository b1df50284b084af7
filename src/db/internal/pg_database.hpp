// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <memory>

#include "core/status.hpp"
#include "db/database.hpp"

namespace mortar::db::internal {

// Opens a pool of up to config.pool_size PostgreSQL connections for config.url (a
// postgres:// URL or a libpq key=value string). One connection is opened now to check
// the server can be reached (kUnavailable otherwise); the others are opened on demand.
// Returns kInvalidArgument when libpq cannot parse the URL.
Result<std::unique_ptr<Database>> OpenPostgresDatabase(const Config& config);

}  // namespace mortar::db::internal
