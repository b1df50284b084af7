// SPDX-License-Identifier: AGPL-3.0-or-later
// The activity log (SPEC DOC-7): who changed which record, when, and which attributes
// from what to what. Written by the resource engine inside every write transaction;
// read here, per record (filter[resource_type] + filter[resource_id]) or per
// organization (/api/organizations/:id/relationships/activity_events). Read-only.
#include "domains/common.hpp"

namespace mortar::domains {

api::ResourceDef MakeActivityEvents() {
    using api::Field;
    using api::FieldKind;
    api::ResourceDef def;
    def.path = "activity_events";
    def.table = "activity_events";
    def.fields = {
        Field::Timestamp("occurred_at").ReadOnly().Filterable().Sortable(),
        Field::Text("action").ReadOnly().Filterable(),
        Field::Text("resource_type").ReadOnly().Filterable(),
        Field::Int("resource_id").ReadOnly().Filterable(),
        Field::Text("resource_name").ReadOnly(),
        Field::Int("organization_id").ReadOnly().Filterable(),
        Field::Int("actor_key_id").ReadOnly().Filterable(),
        Field::Int("actor_user_id").ReadOnly().Filterable(),
        Field::Computed("changes", FieldKind::kJson, "t.changes"),
    };
    def.routes = api::kList | api::kShow;
    def.audited = false;
    def.access = api::AccessClass::kActivity;
    def.parent = api::Parent{
        .path = "organizations", .table = "organizations", .field = "organization_id", .routes = api::kList};
    return def;
}

}  // namespace mortar::domains
