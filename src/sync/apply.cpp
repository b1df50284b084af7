// SPDX-License-Identifier: AGPL-3.0-or-later
#include "sync/apply.hpp"

#include <algorithm>

#include "api/record_writes.hpp"
#include "api/resource.hpp"
#include "api/search.hpp"
#include "api/service.hpp"
#include "core/json_writer.hpp"
#include "core/log.hpp"
#include "core/mac.hpp"
#include "core/strings.hpp"
#include "domains/common.hpp"

namespace mortar::sync {
namespace {

using api::ColumnValue;

// Records written per transaction, at most.
constexpr std::size_t kBatchRecords = 2000;

enum class ColType { kText, kInt, kBool, kJson };

// A column the sync writes, with its attribute key for the activity log ("": not logged).
struct Col {
    const char* column;
    const char* attr;
    ColType type;
};

// The PSA-owned columns of each Mortar type; organization_id (when present) comes first.
const std::vector<Col>& ColumnsOf(EntityKind kind) {
    static const std::vector<Col> kOrganizations = {
        {"name", "name", ColType::kText},
        {"organization_type_id", "organization-type-id", ColType::kInt},
        {"organization_status_id", "organization-status-id", ColType::kInt},
    };
    static const std::vector<Col> kLocations = {
        {"organization_id", "organization-id", ColType::kInt},
        {"name", "name", ColType::kText},
        {"is_primary", "primary", ColType::kBool},
        {"address_1", "address-1", ColType::kText},
        {"address_2", "address-2", ColType::kText},
        {"city", "city", ColType::kText},
        {"postal_code", "postal-code", ColType::kText},
        {"phone", "phone", ColType::kText},
    };
    static const std::vector<Col> kContacts = {
        {"organization_id", "organization-id", ColType::kInt},
        {"first_name", "first-name", ColType::kText},
        {"last_name", "last-name", ColType::kText},
        {"title", "title", ColType::kText},
        {"contact_emails", "contact-emails", ColType::kJson},
        {"contact_phones", "contact-phones", ColType::kJson},
        {"primary_email", "", ColType::kText},
        {"location_id", "location-id", ColType::kInt},
    };
    static const std::vector<Col> kConfigurations = {
        {"organization_id", "organization-id", ColType::kInt},
        {"name", "name", ColType::kText},
        {"hostname", "hostname", ColType::kText},
        {"primary_ip", "primary-ip", ColType::kText},
        {"mac_address", "mac-address", ColType::kText},
        {"mac_normalized", "", ColType::kText},
        {"serial_number", "serial-number", ColType::kText},
        {"asset_tag", "asset-tag", ColType::kText},
        {"configuration_type_id", "configuration-type-id", ColType::kInt},
        {"configuration_status_id", "configuration-status-id", ColType::kInt},
        {"manufacturer_id", "manufacturer-id", ColType::kInt},
        {"location_id", "location-id", ColType::kInt},
        {"contact_id", "contact-id", ColType::kInt},
        {"installed_at", "installed-at", ColType::kText},
        {"warranty_expires_at", "warranty-expires-at", ColType::kText},
    };
    switch (kind) {
        case EntityKind::kCompany:
            return kOrganizations;
        case EntityKind::kSite:
            return kLocations;
        case EntityKind::kContact:
            return kContacts;
        default:
            return kConfigurations;
    }
}

// Trimmed text cut to `max` characters; empty is null (API.md 2.4).
ColumnValue Text(std::string_view s, int max = 255) {
    s = Trim(s);
    if (s.empty()) return db::Null{};
    int chars = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
            if (chars == max) return std::string(s.substr(0, i));
            ++chars;
        }
    }
    return std::string(s);
}

// "2027-03-31" from "2027-03-31", "2027-03-31T00:00:00Z" and the like; else null.
ColumnValue Date(std::string_view s) {
    s = Trim(s);
    if (s.size() < 10) return db::Null{};
    const std::string day(s.substr(0, 10));
    if (!ValidateDate(day).ok()) return db::Null{};
    return day;
}

ColumnValue Id(std::optional<int64_t> id) {
    if (!id) return db::Null{};
    return *id;
}

std::optional<int64_t> Find(const std::unordered_map<std::string, int64_t>& map, std::string_view key) {
    if (key.empty()) return std::nullopt;
    auto it = map.find(std::string(key));
    if (it == map.end()) return std::nullopt;
    return it->second;
}

ColumnValue FromRow(const db::Row& row, int col, ColType type) {
    if (row.IsNull(col)) return db::Null{};
    switch (type) {
        case ColType::kInt:
            return row.GetInt(col);
        case ColType::kBool:
            return row.GetBool(col);
        default:
            return std::string(row.GetText(col));
    }
}

void WriteColumnValue(json::Writer& w, const ColumnValue& v, ColType type) {
    if (std::holds_alternative<db::Null>(v)) {
        type == ColType::kBool ? w.Bool(false) : w.Null();
    } else if (const auto* i = std::get_if<int64_t>(&v)) {
        w.Int(*i);
    } else if (const auto* b = std::get_if<bool>(&v)) {
        w.Bool(*b);
    } else if (const auto* d = std::get_if<double>(&v)) {
        w.Double(*d);
    } else if (type == ColType::kJson) {
        w.Raw(std::get<std::string>(v));
    } else {
        w.String(std::get<std::string>(v));
    }
}

bool Same(const ColumnValue& a, const ColumnValue& b, ColType type) {
    if (type == ColType::kBool) {
        auto truth = [](const ColumnValue& v) {
            const auto* x = std::get_if<bool>(&v);
            return x && *x;
        };
        return truth(a) == truth(b);
    }
    if (type == ColType::kJson && std::holds_alternative<std::string>(a) && std::holds_alternative<std::string>(b)) {
        auto x = json::Parse(std::get<std::string>(a));
        auto y = json::Parse(std::get<std::string>(b));
        if (x.ok() && y.ok()) return x->Dump() == y->Dump();
    }
    if (a.index() != b.index()) return false;
    if (std::holds_alternative<db::Null>(a)) return true;
    if (const auto* i = std::get_if<int64_t>(&a)) return *i == std::get<int64_t>(b);
    if (const auto* d = std::get_if<double>(&a)) return *d == std::get<double>(b);
    return std::get<std::string>(a) == std::get<std::string>(b);
}

// The entries of a contact's e-mails or phones, as the contacts resource stores them.
Result<ColumnValue> ContactEntries(const std::vector<std::pair<std::string, std::string>>& items, bool phones) {
    json::Value::Array entries;
    for (const auto& [label, value] : items) {
        if (Trim(value).empty()) continue;
        json::Value::Object e;
        e.emplace_back("value", json::Value(std::string(Trim(value))));
        e.emplace_back("label_name", json::Value(label));
        e.emplace_back("primary", json::Value(entries.empty()));
        entries.emplace_back(std::move(e));
    }
    auto text = domains::NormaliseContactEntries(json::Value(std::move(entries)), phones);
    if (!text) return text.status();
    return ColumnValue(std::move(*text));
}

std::string_view FirstNonEmpty(std::initializer_list<std::string_view> values) {
    for (std::string_view v : values) {
        if (!Trim(v).empty()) return Trim(v);
    }
    return {};
}

constexpr db::Query kLoadLinks{
    "sync_links.load_kind",
    "SELECT id, external_id, local_id, state, coalesce(payload_hash, ''), coalesce(psa_type_id, ''), "
    "coalesce(psa_status_id, '') FROM sync_links WHERE integration_id = $1 AND external_type = $2 ORDER BY id"};
constexpr db::Query kParentLinks{
    "sync_links.parents",
    "SELECT external_id, local_id FROM sync_links WHERE integration_id = $1 AND external_type = $2"};
constexpr db::Query kUpsertLink{
    "sync_links.upsert",
    "INSERT INTO sync_links (account_id, integration_id, external_type, external_id, local_type, local_id, state, "
    "error_detail, payload_hash, psa_type_id, psa_status_id, last_seen_run_id, created_at, updated_at) VALUES ($1, $2, "
    "$3, $4, $5, $6, 'syncing', NULL, $7, $8, $9, $10, $11, $11) ON CONFLICT (integration_id, external_type, "
    "external_id) DO UPDATE SET local_type = excluded.local_type, local_id = excluded.local_id, state = 'syncing', "
    "error_detail = NULL, payload_hash = excluded.payload_hash, psa_type_id = excluded.psa_type_id, psa_status_id = "
    "excluded.psa_status_id, last_seen_run_id = excluded.last_seen_run_id, updated_at = excluded.updated_at RETURNING "
    "id"};
constexpr db::Query kSeen{"sync_links.seen", "UPDATE sync_links SET last_seen_run_id = $2 WHERE id = $1"};
constexpr db::Query kLinkError{
    "sync_links.error",
    "UPDATE sync_links SET state = 'error', error_detail = $2, payload_hash = NULL, last_seen_run_id = $3, updated_at "
    "= $4 WHERE id = $1 AND state IN ('syncing', 'error', 'orphaned')"};
constexpr db::Query kRunError{
    "sync_run_errors.insert",
    "INSERT INTO sync_run_errors (account_id, sync_run_id, external_type, external_id, local_type, local_id, detail, "
    "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)"};
constexpr db::Query kOrphan{
    "sync_links.orphan",
    "UPDATE sync_links SET state = 'orphaned', updated_at = $2 WHERE id = $1 AND state IN ('syncing', 'error')"};
constexpr db::Query kOrganizationNames{
    "organizations.names_for_matching",
    "SELECT o.id, o.name FROM organizations o WHERE o.account_id = $1 AND NOT EXISTS (SELECT 1 FROM sync_links sl "
    "WHERE sl.integration_id = $2 AND sl.local_type = 'organizations' AND sl.local_id = o.id) ORDER BY o.id"};

}  // namespace

// One link written in the current transaction, merged into the index after commit.
struct KindApplier::Pending {
    LinkRow row;
};

std::string_view LocalTypeOf(EntityKind kind) {
    switch (kind) {
        case EntityKind::kCompany:
            return "organizations";
        case EntityKind::kSite:
            return "locations";
        case EntityKind::kContact:
            return "contacts";
        case EntityKind::kConfiguration:
            return "configurations";
        default:
            return "";
    }
}

std::optional<EntityKind> KindOfLocalType(std::string_view local_type) {
    for (EntityKind k : {EntityKind::kCompany, EntityKind::kSite, EntityKind::kContact, EntityKind::kConfiguration}) {
        if (LocalTypeOf(k) == local_type) return k;
    }
    return std::nullopt;
}

Counts& Counts::operator+=(const Counts& o) {
    created += o.created;
    updated += o.updated;
    unchanged += o.unchanged;
    orphaned += o.orphaned;
    returned += o.returned;
    errors += o.errors;
    return *this;
}

std::string PsaTypeId(const ExternalRecord& r) {
    return std::string(r.Field("type_id"));
}

std::string PsaStatusId(const ExternalRecord& r) {
    if (r.kind == EntityKind::kCompany) return std::string(r.Field("status_name"));
    return std::string(r.Field("status_id"));
}

// ----------------------------------------------------------------------------------
// Matching organizations on the first sync

Status OrganizationMatcher::Load(db::Tx& tx, int64_t account_id, int64_t integration_id) {
    std::vector<match::Record> organizations;
    auto stmt = tx.Prepare(kOrganizationNames);
    if (!stmt) return stmt.status();
    stmt->Bind(1, account_id).Bind(2, integration_id);
    while (true) {
        auto step = stmt->Step();
        if (!step) return step.status();
        if (!*step) break;
        organizations.push_back(match::Record{stmt->row().GetInt(0), std::string(stmt->row().GetText(1))});
    }
    index_ = std::make_unique<match::NameIndex>(organizations);
    return Status::Ok();
}

std::optional<int64_t> OrganizationMatcher::Find(std::string_view psa_name) const {
    if (!index_) return std::nullopt;
    const match::MatchResult result = index_->Match(psa_name);
    if (result.decision != match::Decision::kAuto || result.candidates.empty()) return std::nullopt;
    const int64_t id = result.candidates.front().id;
    if (claimed_.count(id)) return std::nullopt;
    return id;
}

// ----------------------------------------------------------------------------------
// KindApplier

KindApplier::KindApplier(db::Database& db, ApplyScope scope, EntityKind kind, const Settings& settings)
    : db_(db),
      scope_(scope),
      kind_(kind),
      settings_(settings),
      local_type_(LocalTypeOf(kind)),
      external_type_(connectors::EntityKindName(kind)) {}

std::string KindApplier::Now() const {
    return FormatTimestamp(scope_.clock->NowMillis());
}

Status KindApplier::Load() {
    auto tx = db_.Begin(db::TxMode::kRead);
    if (!tx) return tx.status();
    links_.clear();
    link_index_.clear();
    {
        auto stmt = tx->Prepare(kLoadLinks);
        if (!stmt) return stmt.status();
        stmt->Bind(1, scope_.integration_id).Bind(2, std::string_view(external_type_));
        while (true) {
            auto step = stmt->Step();
            if (!step) return step.status();
            if (!*step) break;
            const db::Row& row = stmt->row();
            LinkRow link;
            link.link_id = row.GetInt(0);
            link.external_id = std::string(row.GetText(1));
            link.local_id = row.GetInt(2);
            link.state = LinkStateFromName(row.GetText(3)).value_or(LinkState::kError);
            link.payload_hash = std::string(row.GetText(4));
            link.psa_type_id = std::string(row.GetText(5));
            link.psa_status_id = std::string(row.GetText(6));
            link_index_[link.external_id] = links_.size();
            links_.push_back(std::move(link));
        }
    }
    auto load_parents = [&](std::string_view external_type, std::unordered_map<std::string, int64_t>& out) -> Status {
        auto stmt = tx->Prepare(kParentLinks);
        if (!stmt) return stmt.status();
        stmt->Bind(1, scope_.integration_id).Bind(2, external_type);
        while (true) {
            auto step = stmt->Step();
            if (!step) return step.status();
            if (!*step) break;
            out[std::string(stmt->row().GetText(0))] = stmt->row().GetInt(1);
        }
        return Status::Ok();
    };
    if (kind_ != EntityKind::kCompany) MORTAR_RETURN_IF_ERROR(load_parents("company", organizations_));
    if (kind_ == EntityKind::kContact || kind_ == EntityKind::kConfiguration) {
        MORTAR_RETURN_IF_ERROR(load_parents("site", locations_));
    }
    if (kind_ == EntityKind::kConfiguration) MORTAR_RETURN_IF_ERROR(load_parents("contact", contacts_));
    if (kind_ == EntityKind::kCompany)
        MORTAR_RETURN_IF_ERROR(matcher_.Load(*tx, scope_.account_id, scope_.integration_id));
    tx->Rollback();
    return Status::Ok();
}

namespace {

// A lookup's cache key: case-folded, trimmed, inner whitespace collapsed.
std::string LookupKey(std::string_view name) {
    std::string out;
    bool space = false;
    for (char c : Trim(name)) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            space = true;
            continue;
        }
        if (space && !out.empty()) out += ' ';
        space = false;
        out += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    return out;
}

}  // namespace

Result<std::optional<int64_t>> KindApplier::Lookup(db::Tx& tx, std::string_view table, std::string_view name) {
    const std::string_view trimmed = Trim(name);
    if (trimmed.empty()) return std::optional<int64_t>();
    const std::string key = LookupKey(trimmed);
    auto& cache = lookups_[std::string(table)];
    if (auto it = cache.find(key); it != cache.end()) return std::optional<int64_t>(it->second);
    const std::string t(table);
    auto find = tx.PrepareDynamic(
        "SELECT id FROM " + t + " WHERE account_id = $1 AND lower(name) = lower($2) ORDER BY id LIMIT 1"
    );
    if (!find) return find.status();
    const ColumnValue value = Text(trimmed);
    const std::string stored = std::get<std::string>(value);
    find->Bind(1, scope_.account_id).Bind(2, std::string_view(stored));
    auto step = find->Step();
    if (!step) return step.status();
    int64_t id = 0;
    if (*step) {
        id = find->row().GetInt(0);
    } else {
        const std::string now = Now();
        auto insert = tx.PrepareDynamic(
            "INSERT INTO " + t + " (account_id, name, created_at, updated_at) VALUES ($1, $2, $3, $3) RETURNING id"
        );
        if (!insert) return insert.status();
        insert->Bind(1, scope_.account_id).Bind(2, std::string_view(stored)).Bind(3, std::string_view(now));
        auto inserted = insert->Step();
        if (!inserted) return inserted.status();
        if (!*inserted) return Status::Internal("insert into " + t + " returned no id");
        id = insert->row().GetInt(0);
        lookups_in_tx_.emplace_back(t, key);
    }
    cache[key] = id;
    return std::optional<int64_t>(id);
}

Status KindApplier::ApplyOne(
    db::Tx& tx, const ExternalRecord& r, Action action, const LinkRow* link, std::vector<Pending>& pending, Counts& c
) {
    const std::string now = Now();
    if (action == Action::kUnchanged) {
        auto stmt = tx.Prepare(kSeen);
        if (!stmt) return stmt.status();
        stmt->Bind(1, link->link_id).Bind(2, scope_.run_id);
        if (auto n = stmt->Execute(); !n) return n.status();
        ++c.unchanged;
        return Status::Ok();
    }
    const std::vector<Col>& cols = ColumnsOf(kind_);
    std::vector<ColumnValue> values;
    const std::optional<int64_t> organization = Find(organizations_, r.parent_external_id);
    std::string title;
    switch (kind_) {
        case EntityKind::kCompany: {
            if (Trim(r.name).empty()) return Status::Unprocessable("the PSA company has no name");
            auto type = Lookup(tx, "organization_types", r.Field("type_name"));
            if (!type) return type.status();
            auto status = Lookup(tx, "organization_statuses", r.Field("status_name"));
            if (!status) return status.status();
            values = {Text(r.name), Id(*type), Id(*status)};
            break;
        }
        case EntityKind::kSite: {
            if (Trim(r.name).empty()) return Status::Unprocessable("the PSA site has no name");
            values = {
                Id(organization),
                Text(r.name),
                ColumnValue(r.Field("primary") == "true"),
                Text(r.Field("address1")),
                Text(r.Field("address2")),
                Text(r.Field("city")),
                Text(r.Field("postal_code")),
                Text(r.Field("phone")),
            };
            break;
        }
        case EntityKind::kContact: {
            std::string_view first = r.Field("first_name");
            std::string_view last = r.Field("last_name");
            if (Trim(first).empty() && Trim(last).empty()) first = r.name;
            if (Trim(first).empty() && Trim(last).empty()) return Status::Unprocessable("the PSA contact has no name");
            auto emails = ContactEntries(
                {{"Work", std::string(r.Field("email"))},
                 {"Work", std::string(r.Field("email2"))},
                 {"Work", std::string(r.Field("email3"))}},
                false
            );
            if (!emails) return Status::Unprocessable("e-mail addresses: " + emails.status().message());
            auto phones = ContactEntries(
                {{"Work", std::string(r.Field("phone"))}, {"Mobile", std::string(r.Field("mobile"))}}, true
            );
            if (!phones) return Status::Unprocessable("phone numbers: " + phones.status().message());
            const std::string_view primary_email =
                FirstNonEmpty({r.Field("email"), r.Field("email2"), r.Field("email3")});
            values = {
                Id(organization),
                Text(first),
                Text(last),
                Text(r.Field("title")),
                std::move(*emails),
                std::move(*phones),
                Text(primary_email),
                Id(Find(locations_, r.Field("site_id"))),
            };
            break;
        }
        default: {
            const std::string_view name = FirstNonEmpty({r.name, r.Field("hostname")});
            if (name.empty()) return Status::Unprocessable("the PSA configuration item has no name");
            std::optional<int64_t> type;
            if (auto it = settings_.configuration_type_map.find(PsaTypeId(r));
                it != settings_.configuration_type_map.end()) {
                type = it->second;
            } else {
                const std::string_view type_name = FirstNonEmpty({r.Field("type_name")});
                auto found = Lookup(tx, "configuration_types", type_name.empty() ? "Other" : type_name);
                if (!found) return found.status();
                type = *found;
            }
            auto status = Lookup(tx, "configuration_statuses", r.Field("status_name"));
            if (!status) return status.status();
            auto manufacturer = Lookup(tx, "manufacturers", r.Field("manufacturer_name"));
            if (!manufacturer) return manufacturer.status();
            const std::string_view mac_text = Trim(r.Field("mac_address"));
            const std::optional<std::string> mac = NormalizeMac(mac_text);
            ColumnValue mac_value = db::Null{};
            if (mac) {
                if (mac_text.size() <= 17) {
                    mac_value = std::string(mac_text);
                } else {
                    std::string colon;
                    for (std::size_t i = 0; i < mac->size(); i += 2) {
                        colon += (i ? ":" : "") + mac->substr(i, 2);
                    }
                    mac_value = colon;
                }
            }
            values = {
                Id(organization),
                Text(name),
                Text(r.Field("hostname")),
                Text(r.Field("ip_address")),
                mac_value,
                mac ? ColumnValue(*mac) : ColumnValue(db::Null{}),
                Text(r.Field("serial_number")),
                Text(r.Field("asset_tag")),
                Id(type),
                Id(*status),
                Id(*manufacturer),
                Id(Find(locations_, r.Field("site_id"))),
                Id(Find(contacts_, r.Field("contact_id"))),
                Date(r.Field("install_date")),
                Date(r.Field("warranty_expires_at")),
            };
            break;
        }
    }
    const int64_t organization_col = kind_ == EntityKind::kCompany ? -1 : 0;
    if (organization_col == 0 && !organization) {
        return Status::Unprocessable("its PSA company is not synced");
    }
    if (kind_ == EntityKind::kContact) {
        const auto& f = values[1];
        const auto& l = values[2];
        title = std::string(Trim(
            (std::holds_alternative<std::string>(f) ? std::get<std::string>(f) : std::string()) + " " +
            (std::holds_alternative<std::string>(l) ? std::get<std::string>(l) : std::string())
        ));
    } else {
        title = std::get<std::string>(values[kind_ == EntityKind::kCompany ? 0 : 1]);
    }

    // The Mortar record: the linked one, else (first sync, organizations) a match by
    // name, else a new one. A linked record deleted in Mortar meanwhile is created again.
    std::optional<int64_t> local_id;
    std::vector<ColumnValue> before;
    if (link) {
        std::string select = "SELECT ";
        for (std::size_t i = 0; i < cols.size(); ++i) select += std::string(i ? ", " : "") + cols[i].column;
        auto stmt = tx.PrepareDynamic(select + " FROM " + local_type_ + " WHERE account_id = $1 AND id = $2");
        if (!stmt) return stmt.status();
        stmt->Bind(1, scope_.account_id).Bind(2, link->local_id);
        auto step = stmt->Step();
        if (!step) return step.status();
        if (*step) {
            local_id = link->local_id;
            for (std::size_t i = 0; i < cols.size(); ++i) {
                before.push_back(FromRow(stmt->row(), static_cast<int>(i), cols[i].type));
            }
        }
    }
    bool matched = false;
    if (!local_id && kind_ == EntityKind::kCompany) {
        if (auto found = matcher_.Find(r.name)) {
            local_id = *found;
            matched = true;
            auto stmt = tx.PrepareDynamic(
                "SELECT name, organization_type_id, organization_status_id FROM organizations WHERE account_id = $1 "
                "AND id = $2"
            );
            if (!stmt) return stmt.status();
            stmt->Bind(1, scope_.account_id).Bind(2, *local_id);
            auto step = stmt->Step();
            if (!step) return step.status();
            if (!*step) return Status::Unavailable("a matched organization disappeared");
            for (std::size_t i = 0; i < cols.size(); ++i) {
                before.push_back(FromRow(stmt->row(), static_cast<int>(i), cols[i].type));
            }
        }
    }

    json::Writer changes;
    changes.BeginObject();
    bool changed = false;
    for (std::size_t i = 0; i < cols.size(); ++i) {
        const ColumnValue none = db::Null{};
        const ColumnValue& from = before.empty() ? none : before[i];
        if (!before.empty() && Same(from, values[i], cols[i].type)) continue;
        changed = true;
        if (*cols[i].attr == '\0') continue;
        if (before.empty() && std::holds_alternative<db::Null>(values[i])) continue;
        changes.Key(cols[i].attr);
        changes.BeginObject();
        changes.Key("from");
        WriteColumnValue(changes, from, cols[i].type);
        changes.Key("to");
        WriteColumnValue(changes, values[i], cols[i].type);
        changes.EndObject();
    }
    changes.EndObject();

    const bool created = !local_id.has_value();
    if (created) {
        std::string names = "account_id";
        std::string params = "$1";
        for (std::size_t i = 0; i < cols.size(); ++i) {
            names += std::string(", ") + cols[i].column;
            params += ", $" + std::to_string(i + 2);
        }
        const std::string ts = "$" + std::to_string(cols.size() + 2);
        auto stmt = tx.PrepareDynamic(
            "INSERT INTO " + local_type_ + " (" + names + ", created_at, updated_at) VALUES (" + params + ", " + ts +
            ", " + ts + ") RETURNING id"
        );
        if (!stmt) return stmt.status();
        stmt->Bind(1, scope_.account_id);
        for (std::size_t i = 0; i < values.size(); ++i) stmt->Bind(static_cast<int>(i) + 2, api::AsParam(values[i]));
        stmt->Bind(static_cast<int>(cols.size()) + 2, std::string_view(now));
        auto step = stmt->Step();
        if (!step) return step.status();
        if (!*step) return Status::Internal("insert into " + local_type_ + " returned no id");
        local_id = stmt->row().GetInt(0);
    } else if (changed) {
        std::string sets = "updated_at = $3";
        for (std::size_t i = 0; i < cols.size(); ++i) {
            sets += std::string(", ") + cols[i].column + " = $" + std::to_string(i + 4);
        }
        auto stmt = tx.PrepareDynamic("UPDATE " + local_type_ + " SET " + sets + " WHERE account_id = $1 AND id = $2");
        if (!stmt) return stmt.status();
        stmt->Bind(1, scope_.account_id).Bind(2, *local_id).Bind(3, std::string_view(now));
        for (std::size_t i = 0; i < values.size(); ++i) stmt->Bind(static_cast<int>(i) + 4, api::AsParam(values[i]));
        if (auto n = stmt->Execute(); !n) return n.status();
    }
    const std::optional<int64_t> record_organization = kind_ == EntityKind::kCompany ? local_id : organization;
    if (created || changed) {
        MORTAR_RETURN_IF_ERROR(api::RecordActivityEvent(
            tx,
            api::ActivityEntry{
                .account_id = scope_.account_id,
                .action = created ? "create" : "update",
                .resource_type = local_type_,
                .resource_id = *local_id,
                .resource_name = title,
                .organization_id = record_organization,
                .changes = changes.Take(),
                .now = now}
        ));
        MORTAR_RETURN_IF_ERROR(
            api::IndexRecord(tx, scope_.account_id, local_type_, *local_id, record_organization, title, now)
        );
    }

    auto stmt = tx.Prepare(kUpsertLink);
    if (!stmt) return stmt.status();
    const std::string type_id = PsaTypeId(r);
    const std::string status_id = PsaStatusId(r);
    stmt->Bind(1, scope_.account_id)
        .Bind(2, scope_.integration_id)
        .Bind(3, std::string_view(external_type_))
        .Bind(4, std::string_view(r.external_id))
        .Bind(5, std::string_view(local_type_))
        .Bind(6, *local_id)
        .Bind(7, std::string_view(r.payload_hash))
        .Bind(8, type_id.empty() ? db::Param(db::Null{}) : db::Param(std::string_view(type_id)))
        .Bind(9, status_id.empty() ? db::Param(db::Null{}) : db::Param(std::string_view(status_id)))
        .Bind(10, scope_.run_id)
        .Bind(11, std::string_view(now));
    auto step = stmt->Step();
    if (!step) return step.status();
    if (!*step) return Status::Internal("link upsert returned no id");
    LinkRow row;
    row.link_id = stmt->row().GetInt(0);
    row.external_id = r.external_id;
    row.local_id = *local_id;
    row.state = LinkState::kSyncing;
    row.payload_hash = r.payload_hash;
    row.psa_type_id = type_id;
    row.psa_status_id = status_id;
    pending.push_back(Pending{std::move(row)});
    if (kind_ == EntityKind::kCompany && (created || matched)) matcher_.Claim(*local_id);
    if (action == Action::kReturn) {
        ++c.returned;
    } else if (created || (link == nullptr && matched)) {
        ++c.created;
    } else if (changed || (link && link->state == LinkState::kError)) {
        ++c.updated;
    } else {
        ++c.unchanged;
    }
    return Status::Ok();
}

Status KindApplier::RecordItemError(const ExternalRecord& r, const LinkRow* link, const Status& error) {
    auto tx = db_.Begin(db::TxMode::kWrite);
    if (!tx) return tx.status();
    const std::string now = Now();
    const std::string detail = error.message().empty() ? "the record could not be applied" : error.message();
    if (link) {
        auto stmt = tx->Prepare(kLinkError);
        if (!stmt) return stmt.status();
        stmt->Bind(1, link->link_id)
            .Bind(2, std::string_view(detail))
            .Bind(3, scope_.run_id)
            .Bind(4, std::string_view(now));
        if (auto n = stmt->Execute(); !n) return n.status();
    }
    auto stmt = tx->Prepare(kRunError);
    if (!stmt) return stmt.status();
    stmt->Bind(1, scope_.account_id)
        .Bind(2, scope_.run_id)
        .Bind(3, std::string_view(external_type_))
        .Bind(4, std::string_view(r.external_id))
        .Bind(5, std::string_view(local_type_))
        .Bind(6, link ? db::Param(link->local_id) : db::Param(db::Null{}))
        .Bind(7, std::string_view(detail))
        .Bind(8, std::string_view(now));
    if (auto n = stmt->Execute(); !n) return n.status();
    if (link) MORTAR_RETURN_IF_ERROR(api::BumpDataVersion(*tx, scope_.account_id));
    MORTAR_RETURN_IF_ERROR(tx->Commit());
    if (link) {
        LinkRow& stored = links_[link_index_.at(link->external_id)];
        stored.state = LinkState::kError;
        stored.payload_hash.clear();
    }
    ++counts_.errors;
    if (r.updated_at_ms > 0 && (min_failed_updated_ms_ == 0 || r.updated_at_ms < min_failed_updated_ms_)) {
        min_failed_updated_ms_ = r.updated_at_ms;
    }
    return Status::Ok();
}

Status KindApplier::ApplyBatch(std::span<const ExternalRecord> records) {
    // Plan the batch.
    struct Work {
        const ExternalRecord* record;
        Action action;
        const LinkRow* link;
    };
    std::vector<Work> work;
    for (const ExternalRecord& r : records) {
        if (r.updated_at_ms > max_updated_ms_) max_updated_ms_ = r.updated_at_ms;
        const std::string type_id = PsaTypeId(r);
        const std::string status_id = PsaStatusId(r);
        PlanRecord pr{.external_id = r.external_id, .payload_hash = r.payload_hash};
        pr.meets_settings = settings_.Meets(local_type_, r.active, type_id, status_id);
        // A site, contact or configuration item belongs to a synced company.
        if (kind_ != EntityKind::kCompany && !Find(organizations_, r.parent_external_id)) pr.meets_settings = false;
        pr.disconnected = settings_.DisconnectedBy(local_type_, type_id, status_id) != nullptr;
        if (CountsAsListed(pr)) listed_.insert(r.external_id);
        auto it = link_index_.find(r.external_id);
        const LinkRow* link = it == link_index_.end() ? nullptr : &links_[it->second];
        const Action action = DecideRecord(link, pr);
        if (action == Action::kSkip) continue;
        work.push_back(Work{&r, action, link});
    }
    // Apply it in transactions of at most kBatchRecords records; when one fails, its
    // records are applied one by one so a bad record fails alone.
    for (std::size_t start = 0; start < work.size(); start += kBatchRecords) {
        const std::size_t end = std::min(work.size(), start + kBatchRecords);
        std::vector<Pending> pending;
        Counts c;
        std::vector<std::pair<std::size_t, Status>> item_errors;
        Status failed = Status::Ok();
        {
            auto tx = db_.Begin(db::TxMode::kWrite);
            if (!tx) return tx.status();
            for (std::size_t i = start; i < end && failed.ok(); ++i) {
                Status s = ApplyOne(*tx, *work[i].record, work[i].action, work[i].link, pending, c);
                if (s.code() == Code::kUnprocessable) {
                    item_errors.emplace_back(i, s);  // checked before anything was written
                } else if (!s.ok()) {
                    failed = s;
                }
            }
            if (failed.ok()) failed = api::BumpDataVersion(*tx, scope_.account_id);
            if (failed.ok()) failed = tx->Commit();
        }
        if (failed.ok()) {
            lookups_in_tx_.clear();
            for (Pending& p : pending) {
                auto it = link_index_.find(p.row.external_id);
                if (it == link_index_.end()) {
                    link_index_[p.row.external_id] = links_.size();
                    links_.push_back(std::move(p.row));
                } else {
                    links_[it->second] = std::move(p.row);
                }
            }
            counts_ += c;
            for (const auto& [i, s] : item_errors) {
                MORTAR_RETURN_IF_ERROR(RecordItemError(*work[i].record, work[i].link, s));
            }
            continue;
        }
        // The transaction rolled back: forget lookups it created, then go one by one.
        for (const auto& [table, key] : lookups_in_tx_) lookups_[table].erase(key);
        lookups_in_tx_.clear();
        log::warn("sync: a batch of {} failed ({}); applying its records one by one", external_type_, failed.message());
        for (std::size_t i = start; i < end; ++i) {
            std::vector<Pending> one;
            Counts oc;
            Status s = Status::Ok();
            {
                auto tx = db_.Begin(db::TxMode::kWrite);
                if (!tx) return tx.status();
                s = ApplyOne(*tx, *work[i].record, work[i].action, work[i].link, one, oc);
                if (s.ok()) s = api::BumpDataVersion(*tx, scope_.account_id);
                if (s.ok()) s = tx->Commit();
            }
            if (!s.ok()) {
                for (const auto& [table, key] : lookups_in_tx_) lookups_[table].erase(key);
                lookups_in_tx_.clear();
                MORTAR_RETURN_IF_ERROR(RecordItemError(*work[i].record, work[i].link, s));
                continue;
            }
            lookups_in_tx_.clear();
            for (Pending& p : one) {
                auto it = link_index_.find(p.row.external_id);
                if (it == link_index_.end()) {
                    link_index_[p.row.external_id] = links_.size();
                    links_.push_back(std::move(p.row));
                } else {
                    links_[it->second] = std::move(p.row);
                }
            }
            counts_ += oc;
        }
    }
    return Status::Ok();
}

Result<OrphanPlan> KindApplier::FinishOrphans(bool listing_complete, bool full, int64_t confirmed) {
    std::vector<LinkView> views(links_.begin(), links_.end());
    OrphanPlan plan = PlanOrphans(OrphanInput{
        .links = &views,
        .listed = &listed_,
        .listing_complete = listing_complete,
        .full = full,
        .orphan_share_percent = settings_.orphan_share_percent,
        .confirmed = confirmed});
    for (std::size_t start = 0; start < plan.orphans.size(); start += kBatchRecords) {
        const std::size_t end = std::min(plan.orphans.size(), start + kBatchRecords);
        auto tx = db_.Begin(db::TxMode::kWrite);
        if (!tx) return tx.status();
        const std::string now = Now();
        int64_t n = 0;
        for (std::size_t i = start; i < end; ++i) {
            auto stmt = tx->Prepare(kOrphan);
            if (!stmt) return stmt.status();
            stmt->Bind(1, plan.orphans[i]->link_id).Bind(2, std::string_view(now));
            auto changed = stmt->Execute();
            if (!changed) return changed.status();
            n += *changed;
        }
        MORTAR_RETURN_IF_ERROR(api::BumpDataVersion(*tx, scope_.account_id));
        MORTAR_RETURN_IF_ERROR(tx->Commit());
        counts_.orphaned += n;
        for (std::size_t i = start; i < end; ++i) {
            links_[link_index_.at(plan.orphans[i]->external_id)].state = LinkState::kOrphaned;
        }
    }
    plan.orphans.clear();  // they point into `views`; counts_.orphaned has the number
    return plan;
}

}  // namespace mortar::sync
