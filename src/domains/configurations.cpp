// SPDX-License-Identifier: AGPL-3.0-or-later
// Configurations (API.md 3.3) are the devices an MSP looks after for a client —
// servers, workstations, switches, firewalls — with their network interfaces (3.4).
// MAC addresses are stored as entered and normalised (12 hex digits), so a lookup by
// any spelling finds the device on its own MAC or on any of its interfaces.
#include <string>

#include <arpa/inet.h>

#include "api/psa_links.hpp"
#include "core/mac.hpp"
#include "core/strings.hpp"
#include "domains/common.hpp"
#include "jsonapi/body.hpp"

namespace mortar::domains {
namespace {

constexpr db::Query kInsertInterface{
    "configuration_interfaces.insert_from_configuration",
    "INSERT INTO configuration_interfaces (account_id, configuration_id, name, ip_address, mac_address, "
    "mac_normalized, is_primary, notes, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)"};

bool IsIpAddress(const std::string& text) {
    unsigned char buf[16];
    return inet_pton(AF_INET, text.c_str(), buf) == 1 || inet_pton(AF_INET6, text.c_str(), buf) == 1;
}

// Sets mac_normalized from mac_address when the body changed it.
void DeriveMac(api::WriteContext& wc) {
    const api::ColumnValue* mac = wc.Get("mac_address");
    if (!mac) return;
    const auto* text = std::get_if<std::string>(mac);
    const auto normalized = text ? NormalizeMac(*text) : std::nullopt;
    wc.Set("mac_normalized", normalized ? api::ColumnValue(*normalized) : api::ColumnValue(db::Null{}));
}

Status CheckIp(const api::WriteContext& wc, const char* column, const std::string& pointer) {
    const api::ColumnValue* ip = wc.Get(column);
    const auto* text = ip ? std::get_if<std::string>(ip) : nullptr;
    if (text && !IsIpAddress(*text)) return Status::Unprocessable("must be an IPv4 or IPv6 address", pointer);
    return Status::Ok();
}

// Reads one interface given inside a configuration's create body
// (relationships.configuration_interfaces.data[i].attributes), keys in either spelling.
struct InterfaceInput {
    std::optional<std::string> name, ip_address, mac_address, notes;
    bool primary = false;
};

Result<InterfaceInput> ReadInterface(const json::Value& item, const std::string& pointer) {
    if (!item.is_object()) return Status::Unprocessable("must be an object", pointer);
    const json::Value* attrs = item.Find("attributes");
    if (!attrs || !attrs->is_object()) return Status::Unprocessable("needs attributes", pointer + "/attributes");
    InterfaceInput in;
    for (const auto& [raw_key, value] : attrs->as_object()) {
        const std::string key = DashToUnderscore(raw_key);
        const std::string at = pointer + "/attributes/" + raw_key;
        std::optional<std::string>* text = key == "name"          ? &in.name
                                           : key == "ip_address"  ? &in.ip_address
                                           : key == "mac_address" ? &in.mac_address
                                           : key == "notes"       ? &in.notes
                                                                  : nullptr;
        if (text) {
            auto s = jsonapi::ReadString(value);
            if (!s) return Status::Unprocessable(s.status().message(), at);
            if (*s && (*s)->size() > (key == "notes" ? 65535u : 255u)) return Status::Unprocessable("is too long", at);
            if (*s && !(*s)->empty()) *text = **s;
        } else if (key == "primary") {
            auto b = jsonapi::ReadBool(value);
            if (!b) return Status::Unprocessable(b.status().message(), at);
            in.primary = b->value_or(false);
        }
    }
    if (in.ip_address && !IsIpAddress(*in.ip_address)) {
        return Status::Unprocessable("must be an IPv4 or IPv6 address", pointer + "/attributes/ip_address");
    }
    return in;
}

db::Param TextParam(const std::optional<std::string>& s) {
    return s ? db::Param(std::string_view(*s)) : db::Param(db::Null{});
}

// Creates the interfaces a configuration's create body carries (API.md R7).
Status CreateInterfaces(db::Tx& tx, const api::WriteContext& wc, int64_t configuration_id) {
    if (!wc.create) return Status::Ok();
    const json::Value* rel = nullptr;
    for (const auto& [key, value] : wc.input->relationships) {
        if (key == "configuration_interfaces") rel = &value;
    }
    if (!rel || rel->is_null()) return Status::Ok();
    const std::string base = wc.in_array ? "/data/" + std::to_string(wc.input->index) : "/data";
    const std::string pointer = base + "/relationships/configuration_interfaces/data";
    const json::Value* data = rel->is_object() ? rel->Find("data") : nullptr;
    if (!data || !data->is_array()) return Status::Unprocessable("must hold a data array", pointer);
    const std::string& now = wc.now;
    std::size_t idx = 0;
    for (const json::Value& item : data->as_array()) {
        auto in = ReadInterface(item, pointer + "/" + std::to_string(idx++));
        if (!in) return in.status();
        const auto normalized = in->mac_address ? NormalizeMac(*in->mac_address) : std::nullopt;
        auto stmt = tx.Prepare(kInsertInterface);
        if (!stmt) return stmt.status();
        stmt->Bind(1, wc.account_id)
            .Bind(2, configuration_id)
            .Bind(3, TextParam(in->name))
            .Bind(4, TextParam(in->ip_address))
            .Bind(5, TextParam(in->mac_address))
            .Bind(6, TextParam(normalized))
            .Bind(7, in->primary)
            .Bind(8, TextParam(in->notes))
            .Bind(9, std::string_view(now));
        if (auto n = stmt->Execute(); !n) return n.status();
    }
    return Status::Ok();
}

// filter[mac_address]: any spelling, matching the configuration's own MAC or any of its
// interfaces'. A comma means any of.
api::CustomFilter MacFilter() {
    return api::CustomFilter{
        .name = "mac_address",
        .build = [](std::string_view value,
                    const std::function<std::string(api::ColumnValue)>& bind) -> Result<std::string> {
            std::string list;
            for (const std::string& piece : jsonapi::SplitFilterValue(value)) {
                auto mac = NormalizeMac(piece);
                if (!mac)
                    return Status::InvalidArgument("filter[mac_address] must be MAC addresses such as 3C:52:82:10:AA:01"
                    );
                if (!list.empty()) list += ", ";
                list += bind(*mac);
            }
            if (list.empty()) return Status::InvalidArgument("filter[mac_address] needs a value");
            return "(t.mac_normalized IN (" + list +
                   ") OR EXISTS (SELECT 1 FROM configuration_interfaces i WHERE i.account_id = t.account_id AND "
                   "i.configuration_id = t.id AND i.mac_normalized IN (" +
                   list + ")))";
        }};
}

}  // namespace

api::ResourceDef MakeConfigurations() {
    using api::Field;
    using api::FieldKind;
    api::ResourceDef def;
    def.path = "configurations";
    def.table = "configurations";
    def.joins = std::string(kJoinOrganization) +
                " LEFT JOIN configuration_types ct ON ct.id = t.configuration_type_id"
                " LEFT JOIN configuration_statuses cs ON cs.id = t.configuration_status_id"
                " LEFT JOIN locations l ON l.id = t.location_id"
                " LEFT JOIN contacts c ON c.id = t.contact_id"
                " LEFT JOIN manufacturers m ON m.id = t.manufacturer_id"
                " LEFT JOIN models md ON md.id = t.model_id"
                " LEFT JOIN operating_systems os ON os.id = t.operating_system_id";
    AddOrganization(def.fields);
    def.fields.insert(
        def.fields.end(),
        {
            Field::Computed("organization_short_name", FieldKind::kText, "o.short_name"),
            Field::Computed(
                "resource_url",
                FieldKind::kText,
                "CAST(t.organization_id AS TEXT) || '/configurations/' || CAST(t.id AS TEXT)"
            )
                .PublicUrl(),
            Field::Text("name").Required().Filterable().Sortable(),
            Field::Text("hostname"),
            Field::Text("primary_ip"),
            Field::Text("mac_address").MaxLength(17),
            Field::Text("mac_normalized").ReadOnly().Hidden(),
            Field::Text("default_gateway"),
            Field::Text("serial_number").Filterable(),
            Field::Text("asset_tag").Filterable(),
            Field::Text("position"),
            Field::Text("installed_by"),
            Field::Text("purchased_by"),
            Field::LongText("notes"),
            Field::LongText("operating_system_notes"),
            Field::Date("warranty_expires_at"),
            Field::Date("installed_at"),
            Field::Date("purchased_at"),
            Field::Date("mitp_device_expiration_date"),
            Field::Date("mitp_end_of_life_date"),
            Field::Ref("configuration_type_id", "configuration_types").Required().Filterable(),
            Field::Computed("configuration_type_name", FieldKind::kText, "ct.name"),
            Field::Computed("configuration_type_kind", FieldKind::kText, "ct.kind"),
            Field::Ref("configuration_status_id", "configuration_statuses").Filterable(),
            Field::Computed("configuration_status_name", FieldKind::kText, "cs.name"),
            Field::Ref("manufacturer_id", "manufacturers"),
            Field::Computed("manufacturer_name", FieldKind::kText, "m.name"),
            Field::Ref("model_id", "models"),
            Field::Computed("model_name", FieldKind::kText, "md.name"),
            Field::Int("operating_system_id"),
            Field::Computed("operating_system_name", FieldKind::kText, "os.name"),
            Field::Ref("location_id", "locations"),
            Field::Computed("location_name", FieldKind::kText, "l.name"),
            Field::Ref("contact_id", "contacts").Filterable(),
            Field::Computed(
                "contact_name",
                FieldKind::kText,
                "NULLIF(trim(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '')), '')"
            ),
            Field::Bool("archived").Filterable(),
            Field::Bool("restricted"),
            Field::Computed("my_glue", FieldKind::kBool, "NULL"),
            Field::Computed("psa_integration", FieldKind::kText, api::PsaIntegrationSelect("configurations")),
        }
    );
    AddTimestamps(def.fields);
    def.routes = kFlatRecordRoutes;
    def.psa_filters = true;
    def.search_title = "name";
    def.custom_filters.push_back(MacFilter());
    def.to_many.push_back(api::ToMany{
        .name = "configuration-interfaces",
        .type = "configuration-interfaces",
        .sql = "SELECT id FROM configuration_interfaces WHERE account_id = $1 AND configuration_id = $2 ORDER BY id"});
    // A configuration item synced from a PSA: identity, type, status, addresses, site,
    // contact and dates are the PSA's (SPEC SYNC-4); notes, position, purchase and
    // installer details, MITP dates, model, operating system, archived and restricted
    // stay editable.
    def.hooks.before_write = api::ChainHooks<std::function<Status(db::Tx&, api::WriteContext&)>>(
        api::RefusePsaOwnedChanges(
            "configurations",
            "configurations",
            {{"organization_id", "organization_id"},
             {"name", "name"},
             {"hostname", "hostname"},
             {"primary_ip", "primary_ip"},
             {"mac_address", "mac_address"},
             {"serial_number", "serial_number"},
             {"asset_tag", "asset_tag"},
             {"configuration_type_id", "configuration_type_id"},
             {"configuration_status_id", "configuration_status_id"},
             {"manufacturer_id", "manufacturer_id"},
             {"location_id", "location_id"},
             {"contact_id", "contact_id"},
             {"installed_at", "installed_at"},
             {"warranty_expires_at", "warranty_expires_at"}}
        ),
        [](db::Tx& tx, api::WriteContext& wc) {
            DeriveMac(wc);
            return CheckOperatingSystem(tx, wc);
        }
    );
    def.hooks.before_delete = api::RefuseSyncedDelete("configurations");
    def.hooks.after_write = CreateInterfaces;
    def.parent = api::Parent{
        .path = "organizations", .table = "organizations", .field = "organization_id", .routes = kNestedRecordRoutes};
    return def;
}

api::ResourceDef MakeConfigurationInterfaces() {
    using api::Field;
    api::ResourceDef def;
    def.path = "configuration_interfaces";
    def.table = "configuration_interfaces";
    def.fields = {
        Field::Ref("configuration_id", "configurations").Required().Filterable(),
        Field::Text("name"),
        Field::Text("ip_address").Filterable(),
        Field::Text("mac_address"),
        Field::Text("mac_normalized").ReadOnly().Hidden(),
        Renamed(Field::Bool("primary"), "is_primary"),
        Field::LongText("notes"),
    };
    AddTimestamps(def.fields);
    def.routes = api::kShow | api::kCreate | api::kUpdate | api::kBulkUpdate | api::kDeleteOne;
    def.organization_sql =
        "(SELECT c.organization_id FROM configurations c WHERE c.account_id = t.account_id AND c.id = "
        "t.configuration_id)";
    def.hooks.before_write = [](db::Tx&, api::WriteContext& wc) {
        DeriveMac(wc);
        return CheckIp(wc, "ip_address", wc.Pointer("ip_address"));
    };
    def.parent = api::Parent{
        .path = "configurations",
        .table = "configurations",
        .field = "configuration_id",
        .routes = api::kList | api::kShow | api::kCreate | api::kUpdate | api::kDeleteOne};
    return def;
}

}  // namespace mortar::domains
