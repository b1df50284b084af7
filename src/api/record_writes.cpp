// SPDX-License-Identifier: AGPL-3.0-or-later
#include "api/record_writes.hpp"

namespace mortar::api {
namespace {

constexpr db::Query kInsert{
    "activity_events.insert_external",
    "INSERT INTO activity_events (account_id, occurred_at, action, resource_type, resource_id, resource_name, "
    "organization_id, actor_key_id, changes, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $2, "
    "$2)"};

}  // namespace

Status RecordActivityEvent(db::Tx& tx, const ActivityEntry& e) {
    auto stmt = tx.Prepare(kInsert);
    if (!stmt) return stmt.status();
    stmt->Bind(1, e.account_id)
        .Bind(2, e.now)
        .Bind(3, e.action)
        .Bind(4, e.resource_type)
        .Bind(5, e.resource_id)
        .Bind(6, e.resource_name ? db::Param(std::string_view(*e.resource_name)) : db::Param(db::Null{}))
        .Bind(7, e.organization_id ? db::Param(*e.organization_id) : db::Param(db::Null{}))
        .Bind(8, e.actor_key_id > 0 ? db::Param(e.actor_key_id) : db::Param(db::Null{}))
        .Bind(9, std::string_view(e.changes));
    auto n = stmt->Execute();
    if (!n) return n.status();
    return Status::Ok();
}

}  // namespace mortar::api
