// SPDX-License-Identifier: AGPL-3.0-or-later
// Locations (API.md 3.6): the sites of an organization — offices, data centres, branches.
#include "domains/common.hpp"

namespace mortar::domains {

api::ResourceDef MakeLocations() {
    using api::Field;
    using api::FieldKind;
    api::ResourceDef def;
    def.path = "locations";
    def.table = "locations";
    def.joins = std::string(kJoinOrganization) +
                " LEFT JOIN regions rg ON rg.id = t.region_id LEFT JOIN countries co ON co.id = t.country_id";
    AddOrganization(def.fields);
    def.fields.insert(
        def.fields.end(),
        {
            Field::Text("name").Required().Filterable().Sortable(),
            Renamed(Field::Bool("primary"), "is_primary").Sortable(),
            Field::Text("address_1"),
            Field::Text("address_2"),
            Field::Text("city").Filterable(),
            Field::Text("postal_code"),
            Field::Int("region_id").Filterable(),
            Field::Computed("region_name", FieldKind::kText, "rg.name"),
            Field::Int("country_id").Filterable(),
            Field::Computed("country_name", FieldKind::kText, "co.name"),
            Field::Text("phone"),
            Field::Computed("formatted_phone", FieldKind::kText, "t.phone"),
            Field::Text("fax"),
            Field::Computed("formatted_fax", FieldKind::kText, "t.fax"),
            Field::LongText("notes"),
            Field::Bool("restricted"),
            Field::Computed("psa_integration", FieldKind::kText, "NULL"),
        }
    );
    AddTimestamps(def.fields);
    def.routes = kFlatRecordRoutes;
    def.psa_filters = true;
    def.search_title = "name";
    def.hooks.before_write = CheckLocationPlace;
    def.parent = api::Parent{
        .path = "organizations", .table = "organizations", .field = "organization_id", .routes = kNestedRecordRoutes};
    return def;
}

}  // namespace mortar::domains
