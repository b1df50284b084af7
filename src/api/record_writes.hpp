// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.hpp"
#include "db/database.hpp"

// For writers of documented records outside the resource engine (the sync engine):
// the activity-log entry the engine records for its own writes. Together with
// BumpDataVersion (service.hpp) and IndexRecord (search.hpp) such a writer leaves the
// account exactly as an API write would.
namespace mortar::api {

struct ActivityEntry {
    int64_t account_id = 0;
    std::string_view action;         // "create", "update", "delete"
    std::string_view resource_type;  // JSON:API type: "organizations", "configurations"
    int64_t resource_id = 0;
    std::optional<std::string> resource_name;
    std::optional<int64_t> organization_id;
    int64_t actor_key_id = 0;  // 0: no API key (a background job)
    // {"attr": {"from": before, "to": after}} with kebab-case keys; never secrets.
    std::string changes = "{}";
    std::string_view now;  // RFC 3339
};

// Records one activity event inside the writing transaction.
Status RecordActivityEvent(db::Tx& tx, const ActivityEntry& entry);

}  // namespace mortar::api
