// SPDX-License-Identifier: AGPL-3.0-or-later
// Lookup lists (API.md 3.2): the types and statuses an MSP sorts its organizations,
// contacts and configurations by, and the manufacturers of its devices.
#include "domains/common.hpp"

namespace mortar::domains {
namespace {

api::ResourceDef Lookup(const char* path) {
    api::ResourceDef def;
    def.path = path;
    def.table = path;
    def.fields.push_back(api::Field::Text("name").Required().Filterable().Sortable());
    def.routes = api::kList | api::kShow | api::kCreate | api::kUpdate;
    def.access = api::AccessClass::kConfiguration;
    return def;
}

}  // namespace

std::vector<api::ResourceDef> MakeLookups() {
    std::vector<api::ResourceDef> defs;
    for (const char* path :
         {"organization_types", "organization_statuses", "contact_types", "configuration_statuses", "manufacturers"}) {
        defs.push_back(Lookup(path));
    }
    // Configuration types carry their category (server, workstation, …) and a count of
    // the configurations of that type.
    api::ResourceDef types = Lookup("configuration_types");
    types.fields.push_back(api::Field::Text("kind").Filterable());
    types.fields.push_back(api::Field::Computed(
        "configurations_count",
        api::FieldKind::kInt,
        "(SELECT count(*) FROM configurations c WHERE c.account_id = t.account_id AND c.configuration_type_id = t.id)"
    ));
    defs.push_back(std::move(types));
    for (auto& def : defs) AddTimestamps(def.fields);
    return defs;
}

api::ResourceDef MakeModels() {
    api::ResourceDef def;
    def.path = "models";
    def.table = "models";
    def.joins = " LEFT JOIN manufacturers m ON m.id = t.manufacturer_id";
    def.fields = {
        api::Field::Text("name").Required().Filterable().Sortable(),
        api::Field::Ref("manufacturer_id", "manufacturers").Required().Filterable(),
        api::Field::Computed("manufacturer_name", api::FieldKind::kText, "m.name"),
    };
    AddTimestamps(def.fields);
    def.routes = api::kList | api::kShow | api::kCreate | api::kUpdate | api::kBulkUpdate;
    def.access = api::AccessClass::kConfiguration;
    def.parent = api::Parent{
        .path = "manufacturers",
        .table = "manufacturers",
        .field = "manufacturer_id",
        .routes = api::kList | api::kShow | api::kCreate | api::kUpdate};
    return def;
}

}  // namespace mortar::domains
