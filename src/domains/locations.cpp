// SPDX-License-Identifier: AGPL-3.0-or-later
// Locations (API.md 3.6): the sites of an organization — offices, data centres, branches.
#include "api/psa_links.hpp"
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
            Field::Computed("psa_integration", FieldKind::kText, api::PsaIntegrationSelect("locations")),
        }
    );
    AddTimestamps(def.fields);
    def.routes = kFlatRecordRoutes;
    def.psa_filters = true;
    def.search_title = "name";
    // A site synced from a PSA: its name, address and phone are the PSA's (SPEC SYNC-4);
    // notes, fax, region, country and restricted stay editable.
    def.hooks.before_write = api::ChainHooks<std::function<Status(db::Tx&, api::WriteContext&)>>(
        api::RefusePsaOwnedChanges(
            "locations",
            "locations",
            {{"organization_id", "organization_id"},
             {"name", "name"},
             {"primary", "is_primary"},
             {"address_1", "address_1"},
             {"address_2", "address_2"},
             {"city", "city"},
             {"postal_code", "postal_code"},
             {"phone", "phone"}}
        ),
        CheckLocationPlace
    );
    def.hooks.before_delete = api::RefuseSyncedDelete("locations");
    def.parent = api::Parent{
        .path = "organizations", .table = "organizations", .field = "organization_id", .routes = kNestedRecordRoutes};
    return def;
}

}  // namespace mortar::domains
