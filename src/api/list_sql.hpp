// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/resource.hpp"
#include "core/status.hpp"
#include "jsonapi/query.hpp"

namespace mortar::api {

// The WHERE and ORDER BY of a list query, with the values bound to its $n placeholders.
struct ListSql {
    std::string where;     // " WHERE t.account_id = $1 AND ..."
    std::string order_by;  // " ORDER BY ..., t.id"
    std::vector<ColumnValue> params;
};

// Restricts a list to the children of one parent record (nested routes).
struct ParentFilter {
    const Field* field;
    int64_t parent_id;
};

// Translates the filters and sort of a JSON:API list request into SQL over the
// resource's table (aliased `t`). Filters: `filter[x]=a,b` is any of; exclude[x] is none
// of (NULLs kept); range[x]=low,high on integer fields; timestamp fields take
// "start,end" ranges in UTC with '*' open and a date-only end covering its whole day;
// `id` is always filterable; unknown filters are ignored. psa_id/psa_integration_type
// per API.md section 4. Sort: allowed keys only; text sorts case-insensitively; nulls
// last ascending and first descending on both engines; ties broken by id.
// Returns kInvalidArgument (400) for a malformed filter value or an unsupported sort key.
Result<ListSql> BuildListSql(
    const ResourceDef& def, const jsonapi::ListQuery& query, int64_t account_id, std::optional<ParentFilter> parent
);

}  // namespace mortar::api
