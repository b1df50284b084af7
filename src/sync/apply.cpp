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
#include "db/batch.hpp"
#include "domains/common.hpp"

namespace mortar::sync {
namespace {

using api::ColumnValue;

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
    if (it == map.end() || it->second == 0) return std::nullopt;
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

constexpr const char* kLinkColumns =
    "id, external_id, local_id, state, coalesce(payload_hash, ''), coalesce(psa_type_id, ''), coalesce(psa_status_id, "
    "'')";
constexpr db::Query kLoadLinks{
    "sync_links.load_kind",
    "SELECT id, external_id, local_id, state, coalesce(payload_hash, ''), coalesce(psa_type_id, ''), "
    "coalesce(psa_status_id, '') FROM sync_links WHERE integration_id = $1 AND external_type = $2 ORDER BY id"};
constexpr db::Query kParentLinks{
    "sync_links.parents",
    "SELECT external_id, local_id FROM sync_links WHERE integration_id = $1 AND external_type = $2"};
constexpr db::Query kLinkError{
    "sync_links.error",
    "UPDATE sync_links SET state = 'error', error_detail = $2, payload_hash = NULL, last_seen_run_id = $3, updated_at "
    "= $4 WHERE id = $1 AND state IN ('syncing', 'error', 'orphaned')"};
constexpr db::Query kRunError{
    "sync_run_errors.insert",
    "INSERT INTO sync_run_errors (account_id, sync_run_id, external_type, external_id, local_type, local_id, detail, "
    "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)"};
constexpr db::Query kOrganizationNames{
    "organizations.names_for_matching",
    "SELECT o.id, o.name FROM organizations o WHERE o.account_id = $1 AND NOT EXISTS (SELECT 1 FROM sync_links sl "
    "WHERE sl.integration_id = $2 AND sl.local_type = 'organizations' AND sl.local_id = o.id) ORDER BY o.id"};
// PostgreSQL only: ids for the records a batch creates, so one multi-row INSERT writes
// them and the ids are known without relying on the order of RETURNING rows.
constexpr db::Query kReserveIds{
    "records.reserve_ids", "SELECT nextval(pg_get_serial_sequence($1, 'id')) FROM generate_series(1, $2::bigint)"};

// Runs `head` + `rows` VALUES tuples of `width` + `tail` for every statement-sized slice
// of `params` (width parameters per row), calling `on_row` with each RETURNING row.
template <class OnRow>
Status RunValues(
    db::Tx& tx,
    std::string_view head,
    std::size_t width,
    std::span<const db::Param> params,
    std::string_view tail,
    OnRow&& on_row
) {
    const std::size_t rows = params.size() / width;
    std::size_t at = 0;
    for (std::size_t n : db::BatchSizes(rows, width, db::MaxBatchRows(tx.dialect()))) {
        auto stmt = tx.PrepareDynamic(std::string(head) + db::ValuesPlaceholders(n, width) + std::string(tail));
        if (!stmt) return stmt.status();
        stmt->BindAll(params.subspan(at * width, n * width));
        while (true) {
            auto step = stmt->Step();
            if (!step) return step.status();
            if (!*step) break;
            on_row(stmt->row());
        }
        at += n;
    }
    return Status::Ok();
}

Status RunValues(
    db::Tx& tx, std::string_view head, std::size_t width, std::span<const db::Param> params, std::string_view tail
) {
    return RunValues(tx, head, width, params, tail, [](const db::Row&) {});
}

// Runs `head` + "IN ($k, ...)" + `tail` over `keys`, the `fixed` parameters first.
template <class OnRow>
Status RunIn(
    db::Tx& tx,
    std::string_view head,
    std::span<const db::Param> fixed,
    std::span<const db::Param> keys,
    std::string_view tail,
    OnRow&& on_row
) {
    std::size_t at = 0;
    for (std::size_t n : db::BatchSizes(keys.size(), 1, db::MaxBatchRows(tx.dialect()))) {
        auto stmt = tx.PrepareDynamic(
            std::string(head) + "IN (" + db::ListPlaceholders(n, fixed.size() + 1) + ")" + std::string(tail)
        );
        if (!stmt) return stmt.status();
        stmt->BindAll(fixed);
        for (std::size_t i = 0; i < n; ++i) stmt->Bind(static_cast<int>(fixed.size() + i + 1), keys[at + i]);
        while (true) {
            auto step = stmt->Step();
            if (!step) return step.status();
            if (!*step) break;
            on_row(stmt->row());
        }
        at += n;
    }
    return Status::Ok();
}

db::Param TextOrNull(std::string_view s) {
    return s.empty() ? db::Param(db::Null{}) : db::Param(s);
}

db::Param IdOrNull(const std::optional<int64_t>& id) {
    return id ? db::Param(*id) : db::Param(db::Null{});
}

LinkRow ReadLink(const db::Row& row) {
    LinkRow link;
    link.link_id = row.GetInt(0);
    link.external_id = std::string(row.GetText(1));
    link.local_id = row.GetInt(2);
    link.state = LinkStateFromName(row.GetText(3)).value_or(LinkState::kError);
    link.payload_hash = std::string(row.GetText(4));
    link.psa_type_id = std::string(row.GetText(5));
    link.psa_status_id = std::string(row.GetText(6));
    return link;
}

}  // namespace

// One link written in the current transaction, merged into the index after commit.
struct KindApplier::Pending {
    LinkRow row;
};

// One record of a batch on its way to the store.
struct KindApplier::Prepared {
    const Work* work = nullptr;
    std::vector<ColumnValue> values;  // ColumnsOf(kind) order
    std::string title;
    std::optional<int64_t> organization;  // the record's organization (itself for companies)
    std::optional<int64_t> local_id;
    std::vector<ColumnValue> before;  // empty: a new record
    bool matched = false;
    bool created = false;
    bool changed = false;
    std::string changes;
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

Status KindApplier::Load(bool all_links) {
    auto tx = db_.Begin(db::TxMode::kRead);
    if (!tx) return tx.status();
    links_.clear();
    organizations_.clear();
    locations_.clear();
    contacts_.clear();
    all_links_ = all_links;
    if (all_links) {
        auto stmt = tx->Prepare(kLoadLinks);
        if (!stmt) return stmt.status();
        stmt->Bind(1, scope_.integration_id).Bind(2, std::string_view(external_type_));
        while (true) {
            auto step = stmt->Step();
            if (!step) return step.status();
            if (!*step) break;
            LinkRow link = ReadLink(stmt->row());
            std::string key = link.external_id;
            links_.insert_or_assign(std::move(key), std::move(link));
        }
        auto load_parents = [&](std::string_view external_type, std::unordered_map<std::string, int64_t>& out) {
            auto parents = tx->Prepare(kParentLinks);
            if (!parents) return parents.status();
            parents->Bind(1, scope_.integration_id).Bind(2, external_type);
            while (true) {
                auto step = parents->Step();
                if (!step) return step.status();
                if (!*step) break;
                out[std::string(parents->row().GetText(0))] = parents->row().GetInt(1);
            }
            return Status::Ok();
        };
        if (kind_ != EntityKind::kCompany) MORTAR_RETURN_IF_ERROR(load_parents("company", organizations_));
        if (kind_ == EntityKind::kContact || kind_ == EntityKind::kConfiguration) {
            MORTAR_RETURN_IF_ERROR(load_parents("site", locations_));
        }
        if (kind_ == EntityKind::kConfiguration) MORTAR_RETURN_IF_ERROR(load_parents("contact", contacts_));
    }
    if (kind_ == EntityKind::kCompany)
        MORTAR_RETURN_IF_ERROR(matcher_.Load(*tx, scope_.account_id, scope_.integration_id));
    tx->Rollback();
    return Status::Ok();
}

Status KindApplier::LoadLinks(db::Tx& tx, std::span<const std::string> external_ids) {
    std::vector<db::Param> keys(external_ids.begin(), external_ids.end());
    const db::Param fixed[] = {scope_.integration_id, std::string_view(external_type_)};
    return RunIn(
        tx,
        std::string("SELECT ") + kLinkColumns +
            " FROM sync_links WHERE integration_id = $1 AND external_type = $2 AND "
            "external_id ",
        fixed,
        keys,
        "",
        [&](const db::Row& row) {
            LinkRow link = ReadLink(row);
            std::string key = link.external_id;
            links_.insert_or_assign(std::move(key), std::move(link));
        }
    );
}

Status KindApplier::LoadParents(
    db::Tx& tx,
    std::string_view external_type,
    std::unordered_map<std::string, int64_t>& out,
    std::span<const std::string> external_ids
) {
    std::vector<db::Param> keys(external_ids.begin(), external_ids.end());
    for (const std::string& id : external_ids) out.emplace(id, 0);  // not linked unless found
    const db::Param fixed[] = {scope_.integration_id, external_type};
    return RunIn(
        tx,
        "SELECT external_id, local_id FROM sync_links WHERE integration_id = $1 AND external_type = $2 AND "
        "external_id ",
        fixed,
        keys,
        "",
        [&](const db::Row& row) { out[std::string(row.GetText(0))] = row.GetInt(1); }
    );
}

// An incremental batch reads the links of its records and the parents they name, in
// one read transaction, instead of every link of the kind.
Status KindApplier::FetchForBatch(std::span<const ExternalRecord> records) {
    std::vector<std::string> links, companies, sites, contacts;
    std::unordered_set<std::string_view> asked;
    auto want = [&](std::vector<std::string>& list,
                    const std::unordered_map<std::string, int64_t>& known,
                    std::string_view id) {
        if (id.empty() || known.count(std::string(id))) return;
        list.emplace_back(id);
    };
    for (const ExternalRecord& r : records) {
        if (!links_.count(r.external_id) && asked.insert(r.external_id).second) links.push_back(r.external_id);
        if (kind_ != EntityKind::kCompany) want(companies, organizations_, r.parent_external_id);
        if (kind_ == EntityKind::kContact || kind_ == EntityKind::kConfiguration) {
            want(sites, locations_, r.Field("site_id"));
        }
        if (kind_ == EntityKind::kConfiguration) want(contacts, contacts_, r.Field("contact_id"));
    }
    auto dedupe = [](std::vector<std::string>& v) {
        std::sort(v.begin(), v.end());
        v.erase(std::unique(v.begin(), v.end()), v.end());
    };
    dedupe(companies);
    dedupe(sites);
    dedupe(contacts);
    if (links.empty() && companies.empty() && sites.empty() && contacts.empty()) return Status::Ok();
    auto tx = db_.Begin(db::TxMode::kRead);
    if (!tx) return tx.status();
    MORTAR_RETURN_IF_ERROR(LoadLinks(*tx, links));
    MORTAR_RETURN_IF_ERROR(LoadParents(*tx, "company", organizations_, companies));
    MORTAR_RETURN_IF_ERROR(LoadParents(*tx, "site", locations_, sites));
    MORTAR_RETURN_IF_ERROR(LoadParents(*tx, "contact", contacts_, contacts));
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

// The column values and title of a record; kUnprocessable when it cannot be applied.
Status KindApplier::PrepareValues(db::Tx& tx, const ExternalRecord& r, Prepared& p) {
    std::vector<ColumnValue>& values = p.values;
    const std::optional<int64_t> organization = Find(organizations_, r.parent_external_id);
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
    if (kind_ != EntityKind::kCompany && !organization) return Status::Unprocessable("its PSA company is not synced");
    if (kind_ == EntityKind::kContact) {
        const auto& f = values[1];
        const auto& l = values[2];
        p.title = std::string(Trim(
            (std::holds_alternative<std::string>(f) ? std::get<std::string>(f) : std::string()) + " " +
            (std::holds_alternative<std::string>(l) ? std::get<std::string>(l) : std::string())
        ));
    } else {
        p.title = std::get<std::string>(values[kind_ == EntityKind::kCompany ? 0 : 1]);
    }
    p.organization = organization;
    return Status::Ok();
}

// Writes one transaction's records: per step one multi-row statement (or, on SQLite, one
// prepared statement run per row, which costs no round trip) for all of them.
Status KindApplier::ApplyChunk(
    db::Tx& tx,
    std::span<const Work> work,
    std::vector<Pending>& pending,
    Counts& c,
    std::vector<std::pair<std::size_t, Status>>& item_errors
) {
    const std::string now = Now();
    const std::vector<Col>& cols = ColumnsOf(kind_);
    const bool postgres = tx.dialect() == db::Dialect::kPostgres;

    // Unchanged records: their links are marked seen by this run, in one statement.
    std::vector<db::Param> seen;
    std::vector<Prepared> todo;
    todo.reserve(work.size());
    for (std::size_t i = 0; i < work.size(); ++i) {
        const Work& w = work[i];
        if (w.action == Action::kUnchanged) {
            seen.emplace_back(w.link->link_id);
            continue;
        }
        Prepared p;
        p.work = &w;
        Status s = PrepareValues(tx, *w.record, p);
        if (s.code() == Code::kUnprocessable) {
            item_errors.emplace_back(i, s);  // checked before anything was written
            continue;
        }
        MORTAR_RETURN_IF_ERROR(s);
        todo.push_back(std::move(p));
    }
    if (!seen.empty()) {
        const db::Param fixed[] = {scope_.run_id};
        MORTAR_RETURN_IF_ERROR(
            RunIn(tx, "UPDATE sync_links SET last_seen_run_id = $1 WHERE id ", fixed, seen, "", [](const db::Row&) {})
        );
        c.unchanged += static_cast<int64_t>(seen.size());
    }
    if (todo.empty()) return Status::Ok();

    // The Mortar record: the linked one, else (first sync, organizations) a match by
    // name, else a new one. A linked record deleted in Mortar meanwhile is created again.
    std::string select = "SELECT id";
    for (const Col& col : cols) select += std::string(", ") + col.column;
    select += " FROM " + local_type_ + " WHERE account_id = $1 AND id ";
    auto read_before = [&](const std::vector<db::Param>& ids,
                           std::unordered_map<int64_t, std::vector<ColumnValue>>& out) {
        const db::Param fixed[] = {scope_.account_id};
        return RunIn(tx, select, fixed, ids, "", [&](const db::Row& row) {
            std::vector<ColumnValue>& v = out[row.GetInt(0)];
            for (std::size_t i = 0; i < cols.size(); ++i)
                v.push_back(FromRow(row, static_cast<int>(i) + 1, cols[i].type));
        });
    };
    std::unordered_map<int64_t, std::vector<ColumnValue>> before;
    {
        std::vector<db::Param> ids;
        for (const Prepared& p : todo) {
            if (p.work->link) ids.emplace_back(p.work->link->local_id);
        }
        if (!ids.empty()) MORTAR_RETURN_IF_ERROR(read_before(ids, before));
    }
    std::vector<db::Param> matched_ids;
    for (Prepared& p : todo) {
        if (p.work->link) {
            if (auto it = before.find(p.work->link->local_id); it != before.end()) {
                p.local_id = p.work->link->local_id;
                p.before = std::move(it->second);
                before.erase(it);
                continue;
            }
        }
        if (kind_ != EntityKind::kCompany) continue;
        if (auto found = matcher_.Find(p.work->record->name)) {
            p.local_id = *found;
            p.matched = true;
            matcher_.Claim(*found);
            claims_in_tx_.push_back(*found);
            matched_ids.emplace_back(*found);
        }
    }
    if (!matched_ids.empty()) {
        before.clear();
        MORTAR_RETURN_IF_ERROR(read_before(matched_ids, before));
        for (Prepared& p : todo) {
            if (!p.matched) continue;
            auto it = before.find(*p.local_id);
            if (it == before.end()) return Status::Unavailable("a matched organization disappeared");
            p.before = std::move(it->second);
        }
    }

    // What changed, for the activity log.
    for (Prepared& p : todo) {
        json::Writer changes;
        changes.BeginObject();
        for (std::size_t i = 0; i < cols.size(); ++i) {
            const ColumnValue none = db::Null{};
            const ColumnValue& from = p.before.empty() ? none : p.before[i];
            if (!p.before.empty() && Same(from, p.values[i], cols[i].type)) continue;
            p.changed = true;
            if (*cols[i].attr == '\0') continue;
            if (p.before.empty() && std::holds_alternative<db::Null>(p.values[i])) continue;
            changes.Key(cols[i].attr);
            changes.BeginObject();
            changes.Key("from");
            WriteColumnValue(changes, from, cols[i].type);
            changes.Key("to");
            WriteColumnValue(changes, p.values[i], cols[i].type);
            changes.EndObject();
        }
        changes.EndObject();
        p.changes = changes.Take();
        p.created = !p.local_id.has_value();
        if (kind_ == EntityKind::kCompany && p.local_id) p.organization = p.local_id;
    }

    // New records. PostgreSQL: ids reserved in one round trip, then multi-row INSERTs;
    // SQLite: one prepared INSERT run per record.
    std::string names = "account_id";
    for (const Col& col : cols) names += std::string(", ") + col.column;
    names += ", created_at, updated_at";
    std::vector<Prepared*> created;
    for (Prepared& p : todo) {
        if (p.created) created.push_back(&p);
    }
    if (!created.empty() && postgres) {
        auto reserve = tx.Prepare(kReserveIds);
        if (!reserve) return reserve.status();
        reserve->Bind(1, std::string_view(local_type_)).Bind(2, static_cast<int64_t>(created.size()));
        for (Prepared* p : created) {
            auto step = reserve->Step();
            if (!step) return step.status();
            if (!*step) return Status::Internal("reserving ids for " + local_type_ + " returned too few");
            p->local_id = reserve->row().GetInt(0);
        }
        const std::size_t width = cols.size() + 4;
        std::vector<db::Param> params;
        params.reserve(created.size() * width);
        for (Prepared* p : created) {
            params.emplace_back(*p->local_id);
            params.emplace_back(scope_.account_id);
            for (const ColumnValue& v : p->values) params.push_back(api::AsParam(v));
            params.emplace_back(std::string_view(now));
            params.emplace_back(std::string_view(now));
        }
        MORTAR_RETURN_IF_ERROR(
            RunValues(tx, "INSERT INTO " + local_type_ + " (id, " + names + ") VALUES ", width, params, "")
        );
    } else if (!created.empty()) {
        const std::string ts = "$" + std::to_string(cols.size() + 2);
        auto stmt = tx.PrepareDynamic(
            "INSERT INTO " + local_type_ + " (" + names + ") VALUES (" + db::ListPlaceholders(cols.size() + 1) + ", " +
            ts + ", " + ts + ") RETURNING id"
        );
        if (!stmt) return stmt.status();
        for (Prepared* p : created) {
            stmt->Reset();
            stmt->Bind(1, scope_.account_id);
            for (std::size_t i = 0; i < p->values.size(); ++i) {
                stmt->Bind(static_cast<int>(i) + 2, api::AsParam(p->values[i]));
            }
            stmt->Bind(static_cast<int>(cols.size()) + 2, std::string_view(now));
            auto step = stmt->Step();
            if (!step) return step.status();
            if (!*step) return Status::Internal("insert into " + local_type_ + " returned no id");
            p->local_id = stmt->row().GetInt(0);
        }
    }
    for (Prepared* p : created) {
        if (kind_ == EntityKind::kCompany) p->organization = p->local_id;
    }

    // Changed records. PostgreSQL: multi-row UPDATE ... FROM (VALUES ...); SQLite: one
    // prepared UPDATE run per record.
    std::vector<const Prepared*> changed;
    for (const Prepared& p : todo) {
        if (!p.created && p.changed) changed.push_back(&p);
    }
    if (!changed.empty() && postgres) {
        auto cast = [](ColType type) {
            switch (type) {
                case ColType::kInt:
                    return "::bigint";
                case ColType::kBool:
                    return "::boolean";
                default:
                    return "::text";
            }
        };
        const std::size_t width = cols.size() + 1;
        std::vector<db::Param> params;
        params.reserve(changed.size() * width);
        for (const Prepared* p : changed) {
            params.emplace_back(*p->local_id);
            for (const ColumnValue& v : p->values) params.push_back(api::AsParam(v));
        }
        std::string sets = "updated_at = $2";
        std::string names = "id";
        for (const Col& col : cols) {
            sets += std::string(", ") + col.column + " = v." + col.column;
            names += std::string(", ") + col.column;
        }
        std::size_t at = 0;
        for (std::size_t n : db::BatchSizes(changed.size(), width, db::MaxBatchRows(tx.dialect()))) {
            // VALUES rows carry no column types: the first row casts its parameters.
            std::string values;
            std::size_t k = 3;
            for (std::size_t r = 0; r < n; ++r) {
                values += r ? ", (" : "(";
                for (std::size_t c = 0; c < width; ++c) {
                    if (c) values += ", ";
                    values += "$" + std::to_string(k++);
                    if (r == 0) values += c == 0 ? "::bigint" : cast(cols[c - 1].type);
                }
                values += ")";
            }
            auto stmt = tx.PrepareDynamic(
                "UPDATE " + local_type_ + " AS t SET " + sets + " FROM (VALUES " + values + ") AS v(" + names +
                ") WHERE t.account_id = $1 AND t.id = v.id"
            );
            if (!stmt) return stmt.status();
            stmt->Bind(1, scope_.account_id).Bind(2, std::string_view(now));
            for (std::size_t i = 0; i < n * width; ++i) stmt->Bind(static_cast<int>(i) + 3, params[at * width + i]);
            if (auto updated = stmt->Execute(); !updated) return updated.status();
            at += n;
        }
    } else if (!changed.empty()) {
        std::string sets = "updated_at = $3";
        for (std::size_t i = 0; i < cols.size(); ++i) {
            sets += std::string(", ") + cols[i].column + " = $" + std::to_string(i + 4);
        }
        auto update =
            tx.PrepareDynamic("UPDATE " + local_type_ + " SET " + sets + " WHERE account_id = $1 AND id = $2");
        if (!update) return update.status();
        for (const Prepared* p : changed) {
            update->Reset();
            update->Bind(1, scope_.account_id).Bind(2, *p->local_id).Bind(3, std::string_view(now));
            for (std::size_t i = 0; i < p->values.size(); ++i) {
                update->Bind(static_cast<int>(i) + 4, api::AsParam(p->values[i]));
            }
            if (auto n = update->Execute(); !n) return n.status();
        }
    }

    // Activity events and the search index of every record created or changed, as
    // api::RecordActivityEvent and api::IndexRecord write them, a statement per table.
    std::vector<const Prepared*> written;
    for (const Prepared& p : todo) {
        if (p.created || p.changed) written.push_back(&p);
    }
    if (!written.empty()) {
        std::vector<db::Param> params;
        params.reserve(written.size() * 11);
        for (const Prepared* p : written) {
            params.emplace_back(scope_.account_id);
            params.emplace_back(std::string_view(now));
            params.emplace_back(std::string_view(p->created ? "create" : "update"));
            params.emplace_back(std::string_view(local_type_));
            params.emplace_back(*p->local_id);
            params.emplace_back(std::string_view(p->title));
            params.push_back(IdOrNull(p->organization));
            params.emplace_back(db::Null{});
            params.emplace_back(std::string_view(p->changes));
            params.emplace_back(std::string_view(now));
            params.emplace_back(std::string_view(now));
        }
        MORTAR_RETURN_IF_ERROR(RunValues(
            tx,
            "INSERT INTO activity_events (account_id, occurred_at, action, resource_type, resource_id, resource_name, "
            "organization_id, actor_key_id, changes, created_at, updated_at) VALUES ",
            11,
            params,
            ""
        ));

        // A changed record's words are replaced: the old ones go first.
        std::vector<db::Param> updated_ids;
        for (const Prepared* p : written) {
            if (!p->created) updated_ids.emplace_back(*p->local_id);
        }
        if (!updated_ids.empty()) {
            const db::Param fixed[] = {scope_.account_id, std::string_view(local_type_)};
            MORTAR_RETURN_IF_ERROR(RunIn(
                tx,
                "DELETE FROM search_words WHERE entry_id IN (SELECT id FROM search_entries WHERE account_id = $1 AND "
                "resource_type = $2 AND resource_id ",
                fixed,
                updated_ids,
                ")",
                [](const db::Row&) {}
            ));
        }
        params.clear();
        for (const Prepared* p : written) {
            params.emplace_back(scope_.account_id);
            params.emplace_back(std::string_view(local_type_));
            params.emplace_back(*p->local_id);
            params.push_back(IdOrNull(p->organization));
            params.emplace_back(std::string_view(p->title));
            params.emplace_back(std::string_view(now));
        }
        std::unordered_map<int64_t, int64_t> entry_of;  // record id -> search entry id
        entry_of.reserve(written.size());
        MORTAR_RETURN_IF_ERROR(RunValues(
            tx,
            "INSERT INTO search_entries (account_id, resource_type, resource_id, organization_id, title, updated_at) "
            "VALUES ",
            6,
            params,
            " ON CONFLICT (account_id, resource_type, resource_id) DO UPDATE SET organization_id = "
            "excluded.organization_id, title = excluded.title, updated_at = excluded.updated_at RETURNING id, "
            "resource_id",
            [&](const db::Row& row) { entry_of[row.GetInt(1)] = row.GetInt(0); }
        ));
        params.clear();
        std::vector<std::string> words;
        std::vector<std::pair<std::size_t, int64_t>> word_rows;  // index into words, entry id
        for (const Prepared* p : written) {
            auto it = entry_of.find(*p->local_id);
            if (it == entry_of.end()) return Status::Internal("search entry upsert returned no id");
            for (std::string& w : api::SearchWords(p->title)) {
                word_rows.emplace_back(words.size(), it->second);
                words.push_back(std::move(w));
            }
        }
        for (const auto& [word, entry] : word_rows) {
            params.emplace_back(scope_.account_id);
            params.emplace_back(std::string_view(words[word]));
            params.emplace_back(entry);
        }
        if (!params.empty()) {
            MORTAR_RETURN_IF_ERROR(RunValues(
                tx,
                "INSERT INTO search_words (account_id, word, entry_id) VALUES ",
                3,
                params,
                " ON CONFLICT (account_id, word, entry_id) DO NOTHING"
            ));
        }
    }

    // The links, in multi-row upserts; RETURNING names each link's external id, so the
    // order of the rows returned does not matter.
    std::vector<db::Param> params;
    params.reserve(todo.size() * 13);
    for (const Prepared& p : todo) {
        const Work& w = *p.work;
        params.emplace_back(scope_.account_id);
        params.emplace_back(scope_.integration_id);
        params.emplace_back(std::string_view(external_type_));
        params.emplace_back(std::string_view(w.record->external_id));
        params.emplace_back(std::string_view(local_type_));
        params.emplace_back(*p.local_id);
        params.emplace_back(std::string_view("syncing"));
        params.emplace_back(std::string_view(w.record->payload_hash));
        params.push_back(TextOrNull(w.type_id));
        params.push_back(TextOrNull(w.status_id));
        params.emplace_back(scope_.run_id);
        params.emplace_back(std::string_view(now));
        params.emplace_back(std::string_view(now));
    }
    std::unordered_map<std::string, int64_t> link_ids;
    link_ids.reserve(todo.size());
    MORTAR_RETURN_IF_ERROR(RunValues(
        tx,
        "INSERT INTO sync_links (account_id, integration_id, external_type, external_id, local_type, local_id, state, "
        "payload_hash, psa_type_id, psa_status_id, last_seen_run_id, created_at, updated_at) VALUES ",
        13,
        params,
        " ON CONFLICT (integration_id, external_type, external_id) DO UPDATE SET local_type = excluded.local_type, "
        "local_id = excluded.local_id, state = 'syncing', error_detail = NULL, payload_hash = excluded.payload_hash, "
        "psa_type_id = excluded.psa_type_id, psa_status_id = excluded.psa_status_id, last_seen_run_id = "
        "excluded.last_seen_run_id, updated_at = excluded.updated_at RETURNING id, external_id",
        [&](const db::Row& row) { link_ids[std::string(row.GetText(1))] = row.GetInt(0); }
    ));
    for (const Prepared& p : todo) {
        const Work& w = *p.work;
        auto it = link_ids.find(w.record->external_id);
        if (it == link_ids.end()) return Status::Internal("link upsert returned no id");
        LinkRow row;
        row.link_id = it->second;
        row.external_id = w.record->external_id;
        row.local_id = *p.local_id;
        row.state = LinkState::kSyncing;
        row.payload_hash = w.record->payload_hash;
        row.psa_type_id = w.type_id;
        row.psa_status_id = w.status_id;
        pending.push_back(Pending{std::move(row)});
        if (w.action == Action::kReturn) {
            ++c.returned;
        } else if (p.created || (w.link == nullptr && p.matched)) {
            ++c.created;
        } else if (p.changed || (w.link && w.link->state == LinkState::kError)) {
            ++c.updated;
        } else {
            ++c.unchanged;
        }
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
        LinkRow& stored = links_.at(link->external_id);
        stored.state = LinkState::kError;
        stored.payload_hash.clear();
    }
    ++counts_.errors;
    if (r.updated_at_ms > 0 && (min_failed_updated_ms_ == 0 || r.updated_at_ms < min_failed_updated_ms_)) {
        min_failed_updated_ms_ = r.updated_at_ms;
    }
    return Status::Ok();
}

// After a commit: the links written become the known ones.
void KindApplier::Merge(std::vector<Pending>& pending) {
    lookups_in_tx_.clear();
    claims_in_tx_.clear();
    for (Pending& p : pending) {
        auto it = links_.find(p.row.external_id);
        if (it == links_.end()) {
            std::string key = p.row.external_id;
            links_.emplace(std::move(key), std::move(p.row));
        } else {
            it->second = std::move(p.row);
        }
    }
}

// After a rollback: lookups the transaction created and organizations it matched are
// forgotten.
void KindApplier::ForgetTx() {
    for (const auto& [table, key] : lookups_in_tx_) lookups_[table].erase(key);
    lookups_in_tx_.clear();
    for (int64_t id : claims_in_tx_) matcher_.Unclaim(id);
    claims_in_tx_.clear();
}

Status KindApplier::ApplyBatch(std::span<const ExternalRecord> records) {
    if (!all_links_) MORTAR_RETURN_IF_ERROR(FetchForBatch(records));
    // A record listed twice (a page boundary moved while listing) is applied once, as
    // last listed.
    std::unordered_map<std::string_view, std::size_t> last;
    last.reserve(records.size());
    for (std::size_t i = 0; i < records.size(); ++i) last[records[i].external_id] = i;
    // Plan the batch.
    std::vector<Work> work;
    work.reserve(records.size());
    for (std::size_t i = 0; i < records.size(); ++i) {
        const ExternalRecord& r = records[i];
        if (r.updated_at_ms > max_updated_ms_) max_updated_ms_ = r.updated_at_ms;
        if (last[r.external_id] != i) continue;
        std::string type_id = PsaTypeId(r);
        std::string status_id = PsaStatusId(r);
        PlanRecord pr{.external_id = r.external_id, .payload_hash = r.payload_hash};
        pr.meets_settings = settings_.Meets(local_type_, r.active, type_id, status_id);
        // A site, contact or configuration item belongs to a synced company.
        if (kind_ != EntityKind::kCompany && !Find(organizations_, r.parent_external_id)) pr.meets_settings = false;
        pr.disconnected = settings_.DisconnectedBy(local_type_, type_id, status_id) != nullptr;
        if (all_links_ && CountsAsListed(pr)) listed_.insert(r.external_id);
        auto it = links_.find(r.external_id);
        const LinkRow* link = it == links_.end() ? nullptr : &it->second;
        const Action action = DecideRecord(link, pr);
        if (action == Action::kSkip) continue;
        work.push_back(Work{&r, action, link, std::move(type_id), std::move(status_id)});
    }
    // Apply it in transactions of at most batch_records_ records; when one fails, its
    // records are applied one by one so a bad record fails alone.
    for (std::size_t start = 0; start < work.size(); start += batch_records_) {
        const std::size_t end = std::min(work.size(), start + batch_records_);
        const std::span<const Work> chunk(work.data() + start, end - start);
        std::vector<Pending> pending;
        Counts c;
        std::vector<std::pair<std::size_t, Status>> item_errors;
        Status failed = Status::Ok();
        {
            auto tx = db_.Begin(db::TxMode::kWrite);
            if (!tx) return tx.status();
            failed = ApplyChunk(*tx, chunk, pending, c, item_errors);
            if (failed.ok()) failed = api::BumpDataVersion(*tx, scope_.account_id);
            if (failed.ok()) failed = tx->Commit();
        }
        if (failed.ok()) {
            Merge(pending);
            counts_ += c;
            for (const auto& [i, s] : item_errors) {
                MORTAR_RETURN_IF_ERROR(RecordItemError(*chunk[i].record, chunk[i].link, s));
            }
            continue;
        }
        // The transaction rolled back: forget what it created, then go one by one.
        ForgetTx();
        log::warn("sync: a batch of {} failed ({}); applying its records one by one", external_type_, failed.message());
        for (std::size_t i = 0; i < chunk.size(); ++i) {
            std::vector<Pending> one;
            Counts oc;
            std::vector<std::pair<std::size_t, Status>> one_error;
            Status s = Status::Ok();
            {
                auto tx = db_.Begin(db::TxMode::kWrite);
                if (!tx) return tx.status();
                s = ApplyChunk(*tx, chunk.subspan(i, 1), one, oc, one_error);
                if (s.ok() && !one_error.empty()) s = one_error.front().second;
                if (s.ok()) s = api::BumpDataVersion(*tx, scope_.account_id);
                if (s.ok()) s = tx->Commit();
            }
            if (!s.ok()) {
                ForgetTx();
                MORTAR_RETURN_IF_ERROR(RecordItemError(*chunk[i].record, chunk[i].link, s));
                continue;
            }
            Merge(one);
            counts_ += oc;
        }
    }
    return Status::Ok();
}

Result<OrphanPlan> KindApplier::FinishOrphans(bool listing_complete, bool full, int64_t confirmed) {
    // Only a complete, full listing orphans; it loaded every link (Load(true)).
    if (!all_links_) return OrphanPlan{};
    std::vector<LinkView> views;
    views.reserve(links_.size());
    for (const auto& [external_id, link] : links_) views.push_back(link);
    std::sort(views.begin(), views.end(), [](const LinkView& a, const LinkView& b) { return a.link_id < b.link_id; });
    OrphanPlan plan = PlanOrphans(OrphanInput{
        .links = &views,
        .listed = &listed_,
        .listing_complete = listing_complete,
        .full = full,
        .orphan_share_percent = settings_.orphan_share_percent,
        .confirmed = confirmed});
    for (std::size_t start = 0; start < plan.orphans.size(); start += batch_records_) {
        const std::size_t end = std::min(plan.orphans.size(), start + batch_records_);
        auto tx = db_.Begin(db::TxMode::kWrite);
        if (!tx) return tx.status();
        const std::string now = Now();
        std::vector<db::Param> ids;
        for (std::size_t i = start; i < end; ++i) ids.emplace_back(plan.orphans[i]->link_id);
        const db::Param fixed[] = {std::string_view(now)};
        int64_t n = 0;
        MORTAR_RETURN_IF_ERROR(RunIn(
            *tx,
            "UPDATE sync_links SET state = 'orphaned', updated_at = $1 WHERE state IN ('syncing', 'error') AND id ",
            fixed,
            ids,
            " RETURNING id",
            [&](const db::Row&) { ++n; }
        ));
        MORTAR_RETURN_IF_ERROR(api::BumpDataVersion(*tx, scope_.account_id));
        MORTAR_RETURN_IF_ERROR(tx->Commit());
        counts_.orphaned += n;
        for (std::size_t i = start; i < end; ++i) links_.at(plan.orphans[i]->external_id).state = LinkState::kOrphaned;
    }
    plan.orphans.clear();  // they point into `views`; counts_.orphaned has the number
    return plan;
}

}  // namespace mortar::sync
