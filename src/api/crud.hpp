// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include "api/resource.hpp"
#include "api/service.hpp"
#include "http/router.hpp"

namespace mortar::api {

// Registers every route the ResourceDef offers (flat under /api/<path>, nested under
// its parent), implemented by the generic engine: list with filters, sort and
// pagination; show; create (one, or data[] where allowed); update; bulk update; bulk
// delete; delete one. Each write runs in one transaction: a failing item leaves
// nothing written. `def` must outlive the router.
void RegisterResource(Service& service, http::Router& router, const ResourceDef& def);

// Reads a JSON array of positive ids (digit strings allowed; null is empty), sorted
// and without repeats. With `exists` ($1 account, $2 id), every id must name a row:
// else 422 "must exist" at `pointer`.
Result<std::vector<int64_t>> ReadIdArray(
    db::Tx& tx, const json::Value& value, const std::string& pointer, int64_t account_id, const db::Query* exists
);

}  // namespace mortar::api
