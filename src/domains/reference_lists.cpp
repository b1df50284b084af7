// SPDX-License-Identifier: AGPL-3.0-or-later
// The read-only reference lists IT Glue seeds (API.md 3.2): countries and their regions
// (ISO 3166), platforms and operating systems. They are shared by every account, seeded
// by migration 0014 with stable ids, and referenced by locations (country-id, region-id)
// and configurations (operating-system-id).
#include "domains/common.hpp"

namespace mortar::domains {
namespace {

constexpr db::Query kRegionCountry{
    "regions.country", "SELECT country_id FROM regions WHERE CAST($1 AS BIGINT) IS NOT NULL AND id = $2"};
constexpr db::Query kCountryExists{
    "countries.exists", "SELECT id FROM countries WHERE CAST($1 AS BIGINT) IS NOT NULL AND id = $2"};
constexpr db::Query kOperatingSystemExists{
    "operating_systems.exists", "SELECT id FROM operating_systems WHERE CAST($1 AS BIGINT) IS NOT NULL AND id = $2"};
constexpr db::Query kLocationCountry{
    "locations.country", "SELECT country_id FROM locations WHERE account_id = $1 AND id = $2"};

api::ResourceDef ReferenceList(const char* path, std::vector<api::Field> fields) {
    api::ResourceDef def;
    def.path = path;
    def.table = path;
    def.fields = std::move(fields);
    def.routes = api::kList | api::kShow;
    def.global = true;
    def.audited = false;
    return def;
}

std::optional<int64_t> IntValue(const api::ColumnValue* v) {
    if (const auto* i = v ? std::get_if<int64_t>(v) : nullptr) return *i;
    return std::nullopt;
}

}  // namespace

std::vector<api::ResourceDef> MakeReferenceLists() {
    using api::Field;
    using api::FieldKind;
    std::vector<api::ResourceDef> defs;
    defs.push_back(ReferenceList(
        "countries",
        {Field::Text("name").ReadOnly().Filterable().Sortable(), Field::Text("iso").ReadOnly().Filterable().Sortable()}
    ));
    api::ResourceDef regions = ReferenceList(
        "regions",
        {Field::Text("name").ReadOnly().Filterable().Sortable(),
         Field::Text("iso").ReadOnly().Filterable().Sortable(),
         Field::Int("country_id").Filterable()}
    );
    regions.parent = api::Parent{
        .path = "countries",
        .table = "countries",
        .field = "country_id",
        .routes = api::kList | api::kShow,
        .global = true};
    defs.push_back(std::move(regions));
    defs.push_back(ReferenceList("platforms", {Field::Text("name").ReadOnly().Filterable().Sortable()}));
    api::ResourceDef systems = ReferenceList(
        "operating_systems",
        {Field::Text("name").ReadOnly().Filterable().Sortable(),
         Field::Int("platform_id").ReadOnly().Filterable(),
         Field::Computed("platform_name", FieldKind::kText, "p.name")}
    );
    systems.joins = " LEFT JOIN platforms p ON p.id = t.platform_id";
    defs.push_back(std::move(systems));
    return defs;
}

Status CheckLocationPlace(db::Tx& tx, api::WriteContext& wc) {
    std::optional<int64_t> country = IntValue(wc.Get("country_id"));
    const std::optional<int64_t> region = IntValue(wc.Get("region_id"));
    if (country) {
        auto found = LookupInt(tx, kCountryExists, wc.account_id, *country);
        if (!found.ok()) return Status::Unprocessable("must exist", wc.Pointer("country_id"));
    }
    if (!region) return Status::Ok();
    auto region_country = LookupInt(tx, kRegionCountry, wc.account_id, *region);
    if (!region_country.ok()) return Status::Unprocessable("must exist", wc.Pointer("region_id"));
    if (!country && !wc.Get("country_id") && wc.id) {
        auto stored = LookupInt(tx, kLocationCountry, wc.account_id, *wc.id);
        if (!stored) return stored.status();
        country = *stored;
    }
    if (!country) {
        // A region names its country.
        wc.Set("country_id", **region_country);
    } else if (**region_country != *country) {
        return Status::Unprocessable("must be a region of the location's country", wc.Pointer("region_id"));
    }
    return Status::Ok();
}

Status CheckOperatingSystem(db::Tx& tx, const api::WriteContext& wc) {
    const std::optional<int64_t> os = IntValue(wc.Get("operating_system_id"));
    if (!os) return Status::Ok();
    auto found = LookupInt(tx, kOperatingSystemExists, wc.account_id, *os);
    if (!found.ok()) return Status::Unprocessable("must exist", wc.Pointer("operating_system_id"));
    return Status::Ok();
}

}  // namespace mortar::domains
