// SPDX-License-Identifier: AGPL-3.0-or-later
// Flexible assets (API.md 3.8–3.10, SPEC DOC-4): record types an MSP defines for what
// the fixed resources do not cover — Wi-Fi networks, licences, vendors, LOB applications —
// with ordered, typed fields, and the assets whose traits follow their type. Traits are
// keyed by each field's name-key (a slug of its name), checked against the field's kind,
// and replaced as a whole by PATCH. Tag traits point at other records and are returned
// as {"type", "values": [{id, name, organization-name}]}. A Password trait's secret is an
// embedded password of the asset, sealed by the vault and revealed (and logged) through
// /api/passwords/:id; the trait holds only {"type": "Password", "password-id"}. An Upload
// trait's files are attachments of the asset; the trait lists them.
#include <algorithm>
#include <cmath>
#include <string>
#include <tuple>
#include <vector>

#include "api/search.hpp"
#include "core/clock.hpp"
#include "core/json_writer.hpp"
#include "core/strings.hpp"
#include "domains/common.hpp"
#include "jsonapi/body.hpp"
#include "vault/vault.hpp"

namespace mortar::domains {
namespace {

constexpr std::string_view kKinds[] = {
    "Checkbox", "Date", "Header", "Number", "Select", "Text", "Textbox", "Upload", "Tag", "Percent", "Password"};

// A Tag field's target: the IT Glue tag type, its table and the record name expression.
struct TagTarget {
    std::string_view tag_type;
    std::string_view table;
    std::string_view name_sql;  // over alias t
};
constexpr TagTarget kTagTargets[] = {
    {"Configurations", "configurations", "t.name"},
    {"Contacts", "contacts", "trim(coalesce(t.first_name, '') || ' ' || coalesce(t.last_name, ''))"},
    {"Documents", "documents", "t.name"},
    {"Locations", "locations", "t.name"},
    {"Organizations", "organizations", "t.name"},
    {"Passwords", "passwords", "t.name"},
    {"Checklists", "checklists", "t.name"},
};
constexpr std::string_view kOtherTagTypes[] = {
    "Domains", "SslCertificates", "Tickets", "ChecklistTemplates", "AccountsUsers"};
constexpr std::string_view kFlexibleTagPrefix = "FlexibleAssetType: ";

// "Owner Team" -> "owner-team".
std::string NameKey(std::string_view name) {
    std::string key;
    for (char ch : name) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            key += ch;
        } else if (c >= 'A' && c <= 'Z') {
            key += static_cast<char>(c - 'A' + 'a');
        } else if (c >= 0x80) {
            key += ch;
        } else if (!key.empty() && key.back() != '-') {
            key += '-';
        }
    }
    while (!key.empty() && key.back() == '-') key.pop_back();
    return key;
}

bool KnownKind(std::string_view kind) {
    return std::find(std::begin(kKinds), std::end(kKinds), kind) != std::end(kKinds);
}

bool KnownTagType(std::string_view tag_type) {
    for (const TagTarget& t : kTagTargets) {
        if (t.tag_type == tag_type) return true;
    }
    if (std::find(std::begin(kOtherTagTypes), std::end(kOtherTagTypes), tag_type) != std::end(kOtherTagTypes))
        return true;
    return tag_type.starts_with(kFlexibleTagPrefix) &&
           ParseInt64(tag_type.substr(kFlexibleTagPrefix.size())).has_value();
}

// The rules a field definition must satisfy, whichever route defines it.
Status CheckFieldRules(
    std::string_view kind,
    const std::optional<std::string>& tag_type,
    const std::optional<std::string>& default_value,
    bool create,
    const std::function<std::string(std::string_view)>& pointer
) {
    if (!KnownKind(kind)) {
        return Status::Unprocessable(
            "must be one of Checkbox, Date, Header, Number, Select, Text, Textbox, Upload, Tag, Percent, Password",
            pointer("kind")
        );
    }
    if (kind == "Tag") {
        if (!tag_type || !KnownTagType(*tag_type)) {
            return Status::Unprocessable("must be a documented tag type for a Tag field", pointer("tag_type"));
        }
    } else if (tag_type) {
        return Status::Unprocessable("is only for Tag fields", pointer("tag_type"));
    }
    if (kind == "Select" && create && (!default_value || Trim(*default_value).empty())) {
        return Status::Unprocessable("must list the options of a Select field", pointer("default_value"));
    }
    return Status::Ok();
}

constexpr db::Query kFieldNameTaken{
    "flexible_asset_fields.name_taken",
    "SELECT 1 FROM flexible_asset_fields WHERE account_id = $1 AND flexible_asset_type_id = $2 AND name_key = $3 "
    "AND id <> $4"};
constexpr db::Query kFieldRow{
    "flexible_asset_fields.row",
    "SELECT flexible_asset_type_id, kind, tag_type, default_value, name_key FROM flexible_asset_fields "
    "WHERE account_id = $1 AND id = $2"};
constexpr db::Query kTypeTraits{
    "flexible_assets.traits_of_type",
    "SELECT id, traits FROM flexible_assets WHERE account_id = $1 AND flexible_asset_type_id = $2 ORDER BY id"};
constexpr db::Query kSetTraits{
    "flexible_assets.set_traits", "UPDATE flexible_assets SET traits = $3 WHERE account_id = $1 AND id = $2"};

// Applies `edit` to the traits of every asset of the type and stores those it changed.
// `edit` returns whether it changed the object.
Status EditTraitsOfType(
    db::Tx& tx, int64_t account_id, int64_t type_id, const std::function<bool(json::Value::Object&)>& edit
) {
    std::vector<std::pair<int64_t, std::string>> rows;
    {
        auto stmt = tx.Prepare(kTypeTraits);
        if (!stmt) return stmt.status();
        stmt->Bind(1, account_id).Bind(2, type_id);
        while (true) {
            auto step = stmt->Step();
            if (!step) return step.status();
            if (!*step) break;
            rows.emplace_back(stmt->row().GetInt(0), std::string(stmt->row().GetText(1)));
        }
    }
    for (auto& [id, text] : rows) {
        auto traits = json::Parse(text);
        if (!traits) return Status::Internal("stored traits of flexible asset " + std::to_string(id) + " are not JSON");
        if (!traits->is_object() || !edit(traits->as_object())) continue;
        auto stmt = tx.Prepare(kSetTraits);
        if (!stmt) return stmt.status();
        const std::string dumped = traits->Dump();
        stmt->Bind(1, account_id).Bind(2, id).Bind(3, std::string_view(dumped));
        if (auto n = stmt->Execute(); !n) return n.status();
    }
    return Status::Ok();
}

// Whether any asset of the type has a value for the trait `key`.
Result<bool> TypeHasValuesFor(db::Tx& tx, int64_t account_id, int64_t type_id, const std::string& key) {
    bool found = false;
    MORTAR_RETURN_IF_ERROR(EditTraitsOfType(tx, account_id, type_id, [&](json::Value::Object& traits) {
        for (const auto& [k, v] : traits) found = found || (k == key && !v.is_null());
        return false;
    }));
    return found;
}

// Keeps the values of a renamed field: traits are keyed by name-key.
Status RenameTraitKey(db::Tx& tx, int64_t account_id, int64_t type_id, const std::string& from, const std::string& to) {
    if (from == to) return Status::Ok();
    return EditTraitsOfType(tx, account_id, type_id, [&](json::Value::Object& traits) {
        bool changed = false;
        for (auto& [k, v] : traits) {
            if (k == from) {
                k = to;
                changed = true;
            }
        }
        return changed;
    });
}

Status CheckNameFree(
    db::Tx& tx,
    int64_t account_id,
    int64_t type_id,
    const std::string& key,
    int64_t field_id,
    const std::string& pointer
) {
    auto stmt = tx.Prepare(kFieldNameTaken);
    if (!stmt) return stmt.status();
    stmt->Bind(1, account_id).Bind(2, type_id).Bind(3, std::string_view(key)).Bind(4, field_id);
    auto step = stmt->Step();
    if (!step) return step.status();
    if (*step) return Status::Unprocessable("is already the name of a field of this type", pointer);
    return Status::Ok();
}

std::optional<std::string> TextOf(const api::ColumnValue* v) {
    if (!v) return std::nullopt;
    if (const auto* s = std::get_if<std::string>(v)) return *s;
    return std::nullopt;
}

// POST/PATCH on /flexible_asset_fields: kind, tag type, options and a unique name-key.
Status BeforeFieldWrite(db::Tx& tx, api::WriteContext& wc) {
    std::optional<int64_t> type_id;
    std::optional<std::string> kind = TextOf(wc.Get("kind"));
    std::optional<std::string> tag_type = TextOf(wc.Get("tag_type"));
    std::optional<std::string> default_value = TextOf(wc.Get("default_value"));
    if (const auto* t = wc.Get("flexible_asset_type_id"); t && std::holds_alternative<int64_t>(*t)) {
        type_id = std::get<int64_t>(*t);
    }
    std::optional<std::string> stored_key;
    if (wc.id) {
        auto stmt = tx.Prepare(kFieldRow);
        if (!stmt) return stmt.status();
        stmt->Bind(1, wc.account_id).Bind(2, *wc.id);
        auto step = stmt->Step();
        if (!step) return step.status();
        if (*step) {
            const db::Row& r = stmt->row();
            if (type_id && *type_id != r.GetInt(0)) {
                return Status::Unprocessable(
                    "can't change once the field exists", wc.Pointer("flexible_asset_type_id")
                );
            }
            type_id = r.GetInt(0);
            stored_key = std::string(r.GetText(4));
            const std::string stored_kind(r.GetText(1));
            if (kind && *kind != stored_kind) {
                auto used = TypeHasValuesFor(tx, wc.account_id, *type_id, *stored_key);
                if (!used) return used.status();
                if (*used)
                    return Status::Unprocessable("can't change once assets have values for it", wc.Pointer("kind"));
            }
            if (!kind) kind = stored_kind;
            if (!wc.Get("tag_type") && !r.IsNull(2)) tag_type = std::string(r.GetText(2));
            if (!wc.Get("default_value") && !r.IsNull(3)) default_value = std::string(r.GetText(3));
        }
    }
    if (!kind) return Status::Unprocessable("can't be blank", wc.Pointer("kind"));
    MORTAR_RETURN_IF_ERROR(CheckFieldRules(*kind, tag_type, default_value, wc.create, [&](std::string_view a) {
        return wc.Pointer(a);
    }));
    if (const auto name = TextOf(wc.Get("name"))) {
        const std::string key = NameKey(*name);
        if (key.empty()) return Status::Unprocessable("must contain a letter or digit", wc.Pointer("name"));
        MORTAR_RETURN_IF_ERROR(
            CheckNameFree(tx, wc.account_id, type_id.value_or(0), key, wc.id.value_or(0), wc.Pointer("name"))
        );
        if (stored_key) MORTAR_RETURN_IF_ERROR(RenameTraitKey(tx, wc.account_id, *type_id, *stored_key, key));
        wc.Set("name_key", key);
    }
    return Status::Ok();
}

// ---------------------------------------------------------------------------------
// Fields given inline with their type: attributes.fields[] or
// relationships.flexible_asset_fields.data[].attributes (API.md R7).

constexpr db::Query kInsertField{
    "flexible_asset_fields.insert_inline",
    "INSERT INTO flexible_asset_fields (account_id, flexible_asset_type_id, field_order, name, name_key, kind, hint, "
    "decimals, default_value, tag_type, required, use_for_title, expiration, show_in_list, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15)"};
constexpr db::Query kUpdateField{
    "flexible_asset_fields.update_inline",
    "UPDATE flexible_asset_fields SET field_order = $3, name = $4, name_key = $5, hint = $6, decimals = $7, "
    "default_value = $8, required = $9, use_for_title = $10, expiration = $11, show_in_list = $12, updated_at = $13 "
    "WHERE account_id = $1 AND id = $2 AND flexible_asset_type_id = $14"};

struct InlineField {
    std::optional<int64_t> id;
    int64_t order = 0;
    std::string name;
    std::string kind;
    std::optional<std::string> hint, default_value, tag_type;
    std::optional<int64_t> decimals;
    bool required = false, use_for_title = false, expiration = false, show_in_list = false;
};

Result<InlineField> ReadInlineField(const json::Value& attrs, const std::string& pointer, std::size_t position) {
    if (!attrs.is_object()) return Status::Unprocessable("must be an object", pointer);
    InlineField f;
    f.order = static_cast<int64_t>(position + 1);
    auto at = [&](std::string_view key) { return pointer + "/" + std::string(key); };
    for (const auto& [raw, v] : attrs.as_object()) {
        const std::string key = DashToUnderscore(raw);
        if (key == "name" || key == "kind" || key == "hint" || key == "default_value" || key == "tag_type") {
            auto s = jsonapi::ReadString(v);
            if (!s) return Status::Unprocessable(s.status().message(), at(raw));
            std::optional<std::string> value = *s && !(*s)->empty() ? *s : std::nullopt;
            if (key == "name") f.name = value.value_or("");
            if (key == "kind") f.kind = value.value_or("");
            if (key == "hint") f.hint = value;
            if (key == "default_value") f.default_value = value;
            if (key == "tag_type") f.tag_type = value;
        } else if (key == "id" || key == "order" || key == "decimals") {
            auto n = jsonapi::ReadInt(v);
            if (!n) return Status::Unprocessable(n.status().message(), at(raw));
            if (key == "id") f.id = *n;
            if (key == "order" && *n) f.order = **n;
            if (key == "decimals") f.decimals = *n;
        } else if (key == "required" || key == "use_for_title" || key == "expiration" || key == "show_in_list") {
            auto b = jsonapi::ReadBool(v);
            if (!b) return Status::Unprocessable(b.status().message(), at(raw));
            const bool value = b->value_or(false);
            (key == "required"        ? f.required
             : key == "use_for_title" ? f.use_for_title
             : key == "expiration"    ? f.expiration
                                      : f.show_in_list) = value;
        }
    }
    if (Trim(f.name).empty()) return Status::Unprocessable("can't be blank", at("name"));
    if (!f.id) {
        MORTAR_RETURN_IF_ERROR(CheckFieldRules(f.kind, f.tag_type, f.default_value, true, at));
    }
    return f;
}

db::Param OptText(const std::optional<std::string>& s) {
    return s ? db::Param(std::string_view(*s)) : db::Param(db::Null{});
}

Status SaveInlineFields(db::Tx& tx, const api::WriteContext& wc, int64_t type_id) {
    const json::Value* list = wc.input->Attr("fields");
    std::string pointer = wc.Pointer("fields");
    if (!list) {
        for (const auto& [key, value] : wc.input->relationships) {
            if (key != "flexible_asset_fields") continue;
            list = value.is_object() ? value.Find("data") : nullptr;
            pointer = (wc.in_array ? "/data/" + std::to_string(wc.input->index) : std::string("/data")) +
                      "/relationships/flexible_asset_fields/data";
        }
    }
    if (!list || list->is_null()) {
        if (wc.create) return Status::Unprocessable("a flexible asset type needs at least one field", pointer);
        return Status::Ok();
    }
    if (!list->is_array()) return Status::Unprocessable("must be an array", pointer);
    if (wc.create && list->as_array().empty()) {
        return Status::Unprocessable("a flexible asset type needs at least one field", pointer);
    }
    const std::string& now = wc.now;
    for (std::size_t i = 0; i < list->as_array().size(); ++i) {
        const json::Value& item = list->as_array()[i];
        // relationships entries carry {"type", "attributes": {...}}; attributes.fields[] entries are flat.
        const json::Value* attrs = item.is_object() && item.Find("attributes") ? item.Find("attributes") : &item;
        const std::string at = pointer + "/" + std::to_string(i) + (attrs == &item ? "" : "/attributes");
        auto f = ReadInlineField(*attrs, at, i);
        if (!f) return f.status();
        const std::string key = NameKey(f->name);
        if (key.empty()) return Status::Unprocessable("must contain a letter or digit", at + "/name");
        MORTAR_RETURN_IF_ERROR(CheckNameFree(tx, wc.account_id, type_id, key, f->id.value_or(0), at + "/name"));
        const db::Param decimals = f->decimals ? db::Param(*f->decimals) : db::Param(db::Null{});
        if (f->id) {
            auto stored = tx.Prepare(kFieldRow);
            if (!stored) return stored.status();
            stored->Bind(1, wc.account_id).Bind(2, *f->id);
            auto found = stored->Step();
            if (!found) return found.status();
            if (!*found || stored->row().GetInt(0) != type_id) {
                return Status::Unprocessable("is not a field of this type", at + "/id");
            }
            const std::string stored_key(stored->row().GetText(4));
            MORTAR_RETURN_IF_ERROR(RenameTraitKey(tx, wc.account_id, type_id, stored_key, key));
            auto stmt = tx.Prepare(kUpdateField);
            if (!stmt) return stmt.status();
            stmt->Bind(1, wc.account_id).Bind(2, *f->id).Bind(3, f->order).Bind(4, std::string_view(f->name));
            stmt->Bind(5, std::string_view(key)).Bind(6, OptText(f->hint)).Bind(7, decimals);
            stmt->Bind(8, OptText(f->default_value)).Bind(9, f->required).Bind(10, f->use_for_title);
            stmt->Bind(11, f->expiration).Bind(12, f->show_in_list).Bind(13, std::string_view(now)).Bind(14, type_id);
            auto n = stmt->Execute();
            if (!n) return n.status();
            if (*n == 0) return Status::Unprocessable("is not a field of this type", at + "/id");
        } else {
            auto stmt = tx.Prepare(kInsertField);
            if (!stmt) return stmt.status();
            stmt->Bind(1, wc.account_id).Bind(2, type_id).Bind(3, f->order).Bind(4, std::string_view(f->name));
            stmt->Bind(5, std::string_view(key)).Bind(6, std::string_view(f->kind)).Bind(7, OptText(f->hint));
            stmt->Bind(8, decimals).Bind(9, OptText(f->default_value)).Bind(10, OptText(f->tag_type));
            stmt->Bind(11, f->required).Bind(12, f->use_for_title).Bind(13, f->expiration).Bind(14, f->show_in_list);
            stmt->Bind(15, std::string_view(now));
            if (auto n = stmt->Execute(); !n) return n.status();
        }
    }
    return Status::Ok();
}

// ---------------------------------------------------------------------------------
// Assets: traits checked against the type's fields.

struct FieldDef {
    int64_t id = 0;
    std::string name, name_key, kind;
    std::optional<std::string> tag_type, default_value;
    std::optional<int64_t> decimals;
    bool required = false, use_for_title = false;
};

constexpr db::Query kTypeFields{
    "flexible_asset_fields.of_type",
    "SELECT name, name_key, kind, tag_type, default_value, decimals, required, use_for_title, id "
    "FROM flexible_asset_fields WHERE account_id = $1 AND flexible_asset_type_id = $2 ORDER BY field_order, id"};
constexpr db::Query kAssetRow{
    "flexible_assets.row",
    "SELECT flexible_asset_type_id, traits FROM flexible_assets WHERE account_id = $1 AND id = $2"};

Result<std::vector<FieldDef>> LoadFields(db::Tx& tx, int64_t account_id, int64_t type_id) {
    auto stmt = tx.Prepare(kTypeFields);
    if (!stmt) return stmt.status();
    stmt->Bind(1, account_id).Bind(2, type_id);
    std::vector<FieldDef> fields;
    while (true) {
        auto step = stmt->Step();
        if (!step) return step.status();
        if (!*step) break;
        const db::Row& r = stmt->row();
        FieldDef f;
        f.name = r.GetText(0);
        f.name_key = r.GetText(1);
        f.kind = r.GetText(2);
        if (!r.IsNull(3)) f.tag_type = std::string(r.GetText(3));
        if (!r.IsNull(4)) f.default_value = std::string(r.GetText(4));
        if (!r.IsNull(5)) f.decimals = r.GetInt(5);
        f.required = r.GetBool(6);
        f.use_for_title = r.GetBool(7);
        f.id = r.GetInt(8);
        fields.push_back(std::move(f));
    }
    return fields;
}

// Tag input: one id, an array of ids, or a comma-separated string (itglue-py sends strings).
Result<std::vector<int64_t>> TagIds(const json::Value& v, const std::string& pointer) {
    std::vector<int64_t> ids;
    auto add = [&](const json::Value& one) -> Status {
        if (one.is_string()) {
            for (const std::string& piece : jsonapi::SplitFilterValue(one.as_string())) {
                auto id = ParseInt64(piece);
                if (!id) return Status::Unprocessable("must be record ids", pointer);
                ids.push_back(*id);
            }
            return Status::Ok();
        }
        auto id = jsonapi::ReadInt(one);
        if (!id || !*id) return Status::Unprocessable("must be record ids", pointer);
        ids.push_back(**id);
        return Status::Ok();
    };
    if (v.is_array()) {
        for (const json::Value& one : v.as_array()) MORTAR_RETURN_IF_ERROR(add(one));
    } else {
        MORTAR_RETURN_IF_ERROR(add(v));
    }
    return ids;
}

// The SQL naming tagged records of a tag type: id, name and organization name of the
// rows of `ids_sql` (an IN list), over alias t so visibility conditions apply; "" for a
// tag type Mortar does not resolve.
std::string TagSql(std::string_view tag_type, std::string_view* table) {
    for (const TagTarget& t : kTagTargets) {
        if (t.tag_type != tag_type) continue;
        *table = t.table;
        const bool has_org = t.table != "organizations";
        return "SELECT t.id, " + std::string(t.name_sql) + ", " + (has_org ? "o.name" : "NULL") + " FROM " +
               std::string(t.table) + " t" + (has_org ? " LEFT JOIN organizations o ON o.id = t.organization_id" : "") +
               " WHERE t.account_id = $1";
    }
    if (tag_type.starts_with(kFlexibleTagPrefix)) {
        const auto type_id = ParseInt64(tag_type.substr(kFlexibleTagPrefix.size()));
        if (!type_id) return {};
        *table = "flexible_assets";
        return "SELECT t.id, t.name, o.name FROM flexible_assets t LEFT JOIN organizations o ON o.id = "
               "t.organization_id WHERE t.account_id = $1 AND t.flexible_asset_type_id = " +
               std::to_string(*type_id);
    }
    return {};
}

// The tagged records among `ids` that `visible` lets through, by id: {name, organization name}.
Result<std::vector<std::tuple<int64_t, std::string, std::optional<std::string>>>> TaggedRecords(
    db::Tx& tx,
    int64_t account_id,
    std::string_view tag_type,
    const std::vector<int64_t>& ids,
    const std::function<std::string(std::string_view)>& visible
) {
    std::vector<std::tuple<int64_t, std::string, std::optional<std::string>>> found;
    std::string_view table;
    const std::string sql = TagSql(tag_type, &table);
    if (sql.empty() || ids.empty()) return found;
    std::string in;
    for (int64_t id : ids) in += (in.empty() ? "" : ", ") + std::to_string(id);
    auto stmt = tx.PrepareDynamic(sql + " AND t.id IN (" + in + ")" + (visible ? visible(table) : std::string()));
    if (!stmt) return stmt.status();
    stmt->Bind(1, account_id);
    while (true) {
        auto step = stmt->Step();
        if (!step) return step.status();
        if (!*step) break;
        const db::Row& r = stmt->row();
        found.emplace_back(
            r.GetInt(0),
            std::string(r.GetText(1)),
            r.IsNull(2) ? std::nullopt : std::optional(std::string(r.GetText(2)))
        );
    }
    return found;
}

// Checks tag ids (each must exist where the writer can see it) and writes the stored
// {"type", "values": [{"id"}]}. Names are not stored: they are resolved for each reader.
Status WriteTag(
    db::Tx& tx,
    int64_t account_id,
    const FieldDef& f,
    const std::vector<int64_t>& ids,
    const std::string& pointer,
    const std::function<std::string(std::string_view)>& visible,
    json::Writer& w,
    std::vector<std::string>& names
) {
    const std::string tag_type = f.tag_type.value_or("");
    std::string_view table;
    if (TagSql(tag_type, &table).empty()) {
        return Status::Unprocessable("tags of type " + tag_type + " are not supported yet", pointer);
    }
    auto found = TaggedRecords(tx, account_id, tag_type, ids, visible);
    if (!found) return found.status();
    w.BeginObject();
    w.Key("type");
    w.String(tag_type);
    w.Key("values");
    w.BeginArray();
    for (int64_t id : ids) {
        const auto it = std::find_if(found->begin(), found->end(), [&](const auto& r) { return std::get<0>(r) == id; });
        if (it == found->end()) return Status::Unprocessable("must exist (" + std::to_string(id) + ")", pointer);
        w.BeginObject();
        w.Key("id");
        w.Int(id);
        w.EndObject();
        names.push_back(std::get<1>(*it));
    }
    w.EndArray();
    w.EndObject();
    return Status::Ok();
}

// The traits a reader gets: each Tag trait names the tagged records the reader may see,
// as they are named now ({"type", "values": [{id, name, organization-name}]}); records
// the reader may not see are left out.
Result<std::string> RenderTraits(const api::RenderEnv& env, std::string_view stored) {
    auto traits = json::Parse(stored);
    if (!traits || !traits->is_object()) return std::string(stored);
    bool tags = false;
    for (auto& [key, value] : traits->as_object()) {
        const json::Value* type = value.Find("type");
        const json::Value* values = value.Find("values");
        if (!type || !type->is_string() || !values || !values->is_array()) continue;
        std::string_view table;
        if (TagSql(type->as_string(), &table).empty()) continue;  // Upload and other non-tag objects
        tags = true;
        std::vector<int64_t> ids;
        for (const json::Value& v : values->as_array()) {
            if (const json::Value* id = v.Find("id"); id && id->is_int()) ids.push_back(id->as_int());
        }
        auto found = TaggedRecords(env.tx, env.account_id, type->as_string(), ids, env.visible_rows);
        if (!found) return found.status();
        json::Value::Array resolved;
        for (int64_t id : ids) {
            const auto it =
                std::find_if(found->begin(), found->end(), [&](const auto& r) { return std::get<0>(r) == id; });
            if (it == found->end()) continue;  // deleted since, or not for this reader
            resolved.push_back(json::Value(json::Value::Object{
                {"id", json::Value(id)},
                {"name", json::Value(std::get<1>(*it))},
                {"organization-name", std::get<2>(*it) ? json::Value(*std::get<2>(*it)) : json::Value(nullptr)},
            }));
        }
        value = json::Value(json::Value::Object{{"type", *type}, {"values", json::Value(std::move(resolved))}});
    }
    if (!tags) return std::string(stored);
    return traits->Dump();
}

// Checks traits against the fields and writes the stored object; sets `title` from the
// use-for-title fields.
Status NormaliseTraits(
    db::Tx& tx,
    int64_t account_id,
    const std::function<std::string(std::string_view)>& visible,
    const std::vector<FieldDef>& fields,
    const json::Value& traits,
    const std::string& pointer,
    std::string& stored,
    std::string& title
) {
    if (!traits.is_object()) return Status::Unprocessable("must be an object keyed by field name-key", pointer);
    // Keys may arrive snake_case (itglue-py): compare with dashes.
    auto find = [&](const std::string& key) -> const json::Value* {
        const json::Value* found = nullptr;
        for (const auto& [k, v] : traits.as_object()) {
            if (UnderscoreToDash(k) == key) found = &v;
        }
        return found;
    };
    for (const auto& [k, v] : traits.as_object()) {
        const std::string key = UnderscoreToDash(k);
        const bool known =
            std::any_of(fields.begin(), fields.end(), [&](const FieldDef& f) { return f.name_key == key; });
        if (!known) return Status::Unprocessable("is not a field of this flexible asset type", pointer + "/" + k);
    }
    json::Writer w;
    w.BeginObject();
    std::vector<std::string> title_parts;
    for (const FieldDef& f : fields) {
        const std::string at = pointer + "/" + f.name_key;
        const json::Value* v = find(f.name_key);
        if (!v || v->is_null() || (v->is_string() && v->as_string().empty())) {
            if (f.required && f.kind != "Header") return Status::Unprocessable("can't be blank", at);
            continue;
        }
        const std::string& kind = f.kind;
        if (kind == "Header") return Status::Unprocessable("a Header field takes no value", at);
        if (kind == "Password") {
            // A new secret, or the stored trait echoed back (kept); stored by the after-write hook.
            if (!v->is_string() && !v->is_object()) return Status::Unprocessable("must be a string", at);
            continue;
        }
        if (kind == "Upload") continue;  // files are checked and stored by the after-write hook
        w.Key(f.name_key);
        if (kind == "Text" || kind == "Textbox" || kind == "Select" || kind == "Date") {
            auto s = jsonapi::ReadString(*v);
            if (!s || !*s) return Status::Unprocessable("must be a string", at);
            if ((*s)->size() > 65535) return Status::Unprocessable("is too long", at);
            if (kind == "Date" && !ValidateDate(**s).ok())
                return Status::Unprocessable("must be a date (YYYY-MM-DD)", at);
            if (kind == "Select" && f.default_value) {
                bool listed = false;
                for (std::string_view option : Split(*f.default_value, '\n')) listed = listed || Trim(option) == **s;
                if (!listed) return Status::Unprocessable("must be one of the field's options", at);
            }
            w.String(**s);
            if (f.use_for_title) title_parts.push_back(**s);
        } else if (kind == "Number" || kind == "Percent") {
            auto d = jsonapi::ReadDouble(*v);
            if (!d || !*d || !std::isfinite(**d)) return Status::Unprocessable("must be a number", at);
            const double value = **d;
            if (value == std::floor(value) && std::fabs(value) < 9e15) {
                w.Int(static_cast<int64_t>(value));
            } else {
                w.Double(value);
            }
            if (f.use_for_title) title_parts.push_back(v->is_string() ? v->as_string() : json::Value(value).Dump());
        } else if (kind == "Checkbox") {
            auto b = jsonapi::ReadBool(*v);
            if (!b || !*b) return Status::Unprocessable("must be true or false", at);
            w.Bool(**b);
        } else if (kind == "Tag") {
            auto ids = TagIds(*v, at);
            if (!ids) return ids.status();
            std::vector<std::string> names;
            MORTAR_RETURN_IF_ERROR(WriteTag(tx, account_id, f, *ids, at, visible, w, names));
            if (f.use_for_title) {
                for (auto& n : names) title_parts.push_back(std::move(n));
            }
        }
    }
    w.EndObject();
    stored = w.Take();
    title.clear();
    for (const std::string& part : title_parts) title += (title.empty() ? "" : " ") + part;
    return Status::Ok();
}

Status BeforeAssetWrite(db::Tx& tx, api::WriteContext& wc) {
    std::optional<int64_t> type_id;
    if (const auto* t = wc.Get("flexible_asset_type_id"); t && std::holds_alternative<int64_t>(*t)) {
        type_id = std::get<int64_t>(*t);
    }
    if (wc.id) {
        auto stmt = tx.Prepare(kAssetRow);
        if (!stmt) return stmt.status();
        stmt->Bind(1, wc.account_id).Bind(2, *wc.id);
        auto step = stmt->Step();
        if (!step) return step.status();
        if (*step && type_id && *type_id != stmt->row().GetInt(0)) {
            return Status::Unprocessable("can't change once the asset exists", wc.Pointer("flexible_asset_type_id"));
        }
        if (*step && !type_id) type_id = stmt->row().GetInt(0);
    }
    const json::Value* traits = wc.input->Attr("traits");
    if (!traits) {
        if (wc.create) return Status::Unprocessable("can't be blank", wc.Pointer("traits"));
        return Status::Ok();
    }
    auto fields = LoadFields(tx, wc.account_id, type_id.value_or(0));
    if (!fields) return fields.status();
    std::string stored, title;
    static const json::Value kEmpty = json::Value::Object{};
    MORTAR_RETURN_IF_ERROR(NormaliseTraits(
        tx,
        wc.account_id,
        [&wc](std::string_view table) { return wc.VisibleRows(table); },
        *fields,
        traits->is_null() ? kEmpty : *traits,
        wc.Pointer("traits"),
        stored,
        title
    ));
    wc.Set("traits", stored);
    wc.Set("name", title.empty() ? api::ColumnValue(db::Null{}) : api::ColumnValue(title));
    return Status::Ok();
}

// ---------------------------------------------------------------------------------
// Password and Upload traits: records of their own that belong to the asset.

constexpr db::Query kAssetForTraits{
    "flexible_assets.for_traits",
    "SELECT flexible_asset_type_id, organization_id, coalesce(name, ''), restricted, traits FROM flexible_assets "
    "WHERE account_id = $1 AND id = $2"};
constexpr db::Query kFieldPassword{
    "passwords.of_asset_field",
    "SELECT id FROM passwords WHERE account_id = $1 AND resource_type = 'Flexible Asset' AND resource_id = $2 AND "
    "flexible_asset_field_id = $3"};
constexpr db::Query kInsertFieldPassword{
    "passwords.insert_for_field",
    "INSERT INTO passwords (account_id, organization_id, name, resource_id, resource_type, cached_resource_type_name, "
    "cached_resource_name, flexible_asset_field_id, restricted, password_updated_at, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, 'Flexible Asset', 'Flexible Asset', $5, $6, $7, $8, $8, $8) RETURNING id"};
constexpr db::Query kSealFieldPassword{
    "passwords.seal_for_field",
    "UPDATE passwords SET password_envelope = $3, password_updated_at = $4, updated_at = $4 "
    "WHERE account_id = $1 AND id = $2"};
constexpr db::Query kTraitPasswordsFollowAsset{
    "passwords.follow_asset",
    "UPDATE passwords SET cached_resource_name = $3, restricted = $4 WHERE account_id = $1 AND resource_type = "
    "'Flexible Asset' AND resource_id = $2 AND flexible_asset_field_id IS NOT NULL"};
constexpr db::Query kDropTraitPasswordGrants{
    "record_grants.drop_trait_passwords",
    "DELETE FROM record_grants WHERE account_id = $1 AND record_table = 'passwords' AND record_id IN (SELECT id FROM "
    "passwords WHERE account_id = $1 AND resource_type = 'Flexible Asset' AND resource_id = $2 AND "
    "flexible_asset_field_id IS NOT NULL)"};
constexpr db::Query kCopyAssetGrants{
    "record_grants.copy_asset_to_trait_passwords",
    "INSERT INTO record_grants (account_id, record_table, record_id, user_id, group_id) SELECT g.account_id, "
    "'passwords', p.id, g.user_id, g.group_id FROM record_grants g JOIN passwords p ON p.account_id = g.account_id AND "
    "p.resource_type = 'Flexible Asset' AND p.resource_id = g.record_id AND p.flexible_asset_field_id IS NOT NULL "
    "WHERE g.account_id = $1 AND g.record_table = 'flexible_assets' AND g.record_id = $2"};
constexpr db::Query kEmbeddedPasswords{
    "passwords.embedded_in_asset",
    "SELECT id FROM passwords WHERE account_id = $1 AND resource_type = 'Flexible Asset' AND resource_id = $2"};
constexpr db::Query kDeletePassword{
    "passwords.delete_embedded", "DELETE FROM passwords WHERE account_id = $1 AND id = $2"};
constexpr db::Query kFieldAttachments{
    "attachments.of_asset_field",
    "SELECT id, name, file_size, content_type FROM attachments WHERE account_id = $1 AND resource_type = "
    "'flexible_assets' AND resource_id = $2 AND flexible_asset_field_id = $3 ORDER BY id"};
constexpr db::Query kAssetAttachment{
    "attachments.of_asset",
    "SELECT id, name, file_size, content_type, flexible_asset_field_id FROM attachments WHERE account_id = $1 AND "
    "resource_type = 'flexible_assets' AND resource_id = $2 AND id = $3"};
constexpr db::Query kClaimAttachment{
    "attachments.claim_for_field",
    "UPDATE attachments SET flexible_asset_field_id = $3 WHERE account_id = $1 AND id = $2"};
constexpr db::Query kDeleteAttachment{
    "attachments.delete_one", "DELETE FROM attachments WHERE account_id = $1 AND id = $2"};
constexpr db::Query kFieldForDelete{
    "flexible_asset_fields.for_delete",
    "SELECT flexible_asset_type_id, name_key FROM flexible_asset_fields WHERE account_id = $1 AND id = $2"};
constexpr db::Query kFieldOwnedPasswords{
    "passwords.owned_by_field", "SELECT id FROM passwords WHERE account_id = $1 AND flexible_asset_field_id = $2"};
constexpr db::Query kDeleteFieldAttachments{
    "attachments.delete_owned_by_field",
    "DELETE FROM attachments WHERE account_id = $1 AND flexible_asset_field_id = $2"};

// The ids the query (binding $1 account, $2 and $3) returns in its first column.
Result<std::vector<int64_t>> Ids(db::Tx& tx, const db::Query& query, int64_t account_id, int64_t a, int64_t b = 0) {
    auto stmt = tx.Prepare(query);
    if (!stmt) return stmt.status();
    stmt->Bind(1, account_id).Bind(2, a);
    if (b) stmt->Bind(3, b);
    std::vector<int64_t> ids;
    while (true) {
        auto step = stmt->Step();
        if (!step) return step.status();
        if (!*step) break;
        ids.push_back(stmt->row().GetInt(0));
    }
    return ids;
}

Status RunOn(db::Tx& tx, const db::Query& query, int64_t account_id, int64_t id) {
    auto stmt = tx.Prepare(query);
    if (!stmt) return stmt.status();
    stmt->Bind(1, account_id).Bind(2, id);
    auto n = stmt->Execute();
    if (!n) return n.status();
    return Status::Ok();
}

Status DeleteEmbeddedPassword(db::Tx& tx, int64_t account_id, int64_t password_id) {
    MORTAR_RETURN_IF_ERROR(RunOn(tx, kDeletePassword, account_id, password_id));
    return api::UnindexRecord(tx, account_id, "passwords", password_id);
}

struct AssetRow {
    int64_t type_id = 0, organization_id = 0;
    std::string title;
    bool restricted = false;
    json::Value traits;
};

Result<AssetRow> ReadAsset(db::Tx& tx, int64_t account_id, int64_t id) {
    auto stmt = tx.Prepare(kAssetForTraits);
    if (!stmt) return stmt.status();
    stmt->Bind(1, account_id).Bind(2, id);
    auto step = stmt->Step();
    if (!step) return step.status();
    if (!*step) return Status::NotFound("flexible asset " + std::to_string(id) + " not found");
    const db::Row& r = stmt->row();
    AssetRow row{r.GetInt(0), r.GetInt(1), std::string(r.GetText(2)), r.GetBool(3), nullptr};
    auto traits = json::Parse(r.GetText(4));
    if (!traits || !traits->is_object()) return Status::Internal("stored traits are not a JSON object");
    row.traits = std::move(*traits);
    return row;
}

// The Password trait `f` of asset `id`: a string stores a new secret in the field's
// embedded password (created on first use), an object keeps what is stored, anything
// else deletes it. Returns the trait to store, or null.
Result<json::Value> ApplyPasswordTrait(
    db::Tx& tx,
    const api::WriteContext& wc,
    int64_t id,
    const AssetRow& asset,
    const FieldDef& f,
    const json::Value* v,
    const std::string& at
) {
    auto existing = Ids(tx, kFieldPassword, wc.account_id, id, f.id);
    if (!existing) return existing.status();
    std::optional<int64_t> password_id;
    if (!existing->empty()) password_id = existing->front();
    const bool new_secret = v && v->is_string() && !v->as_string().empty();
    const bool keep = v && v->is_object() && password_id;
    if (!new_secret && !keep) {
        if (password_id) MORTAR_RETURN_IF_ERROR(DeleteEmbeddedPassword(tx, wc.account_id, *password_id));
        if (f.required) return Status::Unprocessable("can't be blank", at);
        return json::Value(nullptr);
    }
    if (!password_id) {
        auto stmt = tx.Prepare(kInsertFieldPassword);
        if (!stmt) return stmt.status();
        stmt->Bind(1, wc.account_id).Bind(2, asset.organization_id).Bind(3, std::string_view(f.name)).Bind(4, id);
        stmt->Bind(5, std::string_view(asset.title)).Bind(6, f.id).Bind(7, asset.restricted);
        stmt->Bind(8, std::string_view(wc.now));
        auto step = stmt->Step();
        if (!step) return step.status();
        if (!*step) return Status::Internal("insert into passwords returned no id");
        password_id = stmt->row().GetInt(0);
        MORTAR_RETURN_IF_ERROR(
            api::IndexRecord(tx, wc.account_id, "passwords", *password_id, asset.organization_id, f.name, wc.now)
        );
    }
    if (new_secret) {
        if (!wc.vault) return Status::Unavailable("the vault is not configured");
        auto sealed = wc.vault->Seal(
            v->as_string(), vault::SecretContext("passwords", wc.account_id, *password_id, "password_envelope")
        );
        if (!sealed) return sealed.status();
        auto stmt = tx.Prepare(kSealFieldPassword);
        if (!stmt) return stmt.status();
        stmt->Bind(1, wc.account_id).Bind(2, *password_id).Bind(3, std::string_view(*sealed));
        stmt->Bind(4, std::string_view(wc.now));
        if (auto n = stmt->Execute(); !n) return n.status();
    }
    return json::Value(json::Value::Object{
        {"type", json::Value("Password")}, {"password-id", json::Value(*password_id)}});
}

// The Upload trait `f` of asset `id`: a list (or one) of files {content, file_name}
// (stored as new attachments of the asset), attachment ids of the asset, or the stored
// trait echoed back ({"values": [{"id"}…]}). Attachments the field held and the list no
// longer names are deleted. Returns the trait to store, or null.
Result<json::Value> ApplyUploadTrait(
    db::Tx& tx, const api::WriteContext& wc, int64_t id, const FieldDef& f, const json::Value* v, const std::string& at
) {
    std::vector<const json::Value*> items;
    if (v && v->is_object() && v->Find("values") && v->Find("values")->is_array()) {
        for (const json::Value& one : v->Find("values")->as_array()) items.push_back(&one);
    } else if (v && v->is_array()) {
        for (const json::Value& one : v->as_array()) items.push_back(&one);
    } else if (v && !v->is_null() && !(v->is_string() && v->as_string().empty())) {
        items.push_back(v);
    }
    json::Value::Array values;
    std::vector<int64_t> kept;
    for (std::size_t i = 0; i < items.size(); ++i) {
        const json::Value& item = *items[i];
        const std::string item_at = v->is_array() || v->is_object() ? at + "/" + std::to_string(i) : at;
        int64_t attachment_id = 0;
        if (item.is_object() && (item.Find("content") || item.Find("file_name") || item.Find("file-name"))) {
            auto file = ReadAttachmentFile(item, item_at);
            if (!file) return file.status();
            auto created = InsertAttachment(tx, wc.account_id, "flexible_assets", id, f.id, *file, wc.now);
            if (!created) return created.status();
            attachment_id = *created;
        } else {
            const json::Value* raw = item.is_object() ? item.Find("id") : &item;
            auto parsed = raw ? jsonapi::ReadInt(*raw) : Result<std::optional<int64_t>>(std::optional<int64_t>());
            if (!parsed || !*parsed) {
                return Status::Unprocessable("must be files {content, file_name} or attachment ids", item_at);
            }
            attachment_id = **parsed;
        }
        auto stmt = tx.Prepare(kAssetAttachment);
        if (!stmt) return stmt.status();
        stmt->Bind(1, wc.account_id).Bind(2, id).Bind(3, attachment_id);
        auto step = stmt->Step();
        if (!step) return step.status();
        if (!*step) return Status::Unprocessable("must be an attachment of this asset", item_at);
        const db::Row& r = stmt->row();
        if (r.IsNull(4) || r.GetInt(4) != f.id) {
            if (!r.IsNull(4)) return Status::Unprocessable("belongs to another field of this asset", item_at);
            auto claim = tx.Prepare(kClaimAttachment);
            if (!claim) return claim.status();
            claim->Bind(1, wc.account_id).Bind(2, attachment_id).Bind(3, f.id);
            if (auto n = claim->Execute(); !n) return n.status();
        }
        if (std::find(kept.begin(), kept.end(), attachment_id) != kept.end()) continue;
        kept.push_back(attachment_id);
        values.push_back(json::Value(json::Value::Object{
            {"id", json::Value(attachment_id)},
            {"name", json::Value(std::string(r.GetText(1)))},
            {"file-size", json::Value(r.GetInt(2))},
            {"content-type", json::Value(std::string(r.GetText(3)))},
        }));
    }
    auto held = Ids(tx, kFieldAttachments, wc.account_id, id, f.id);
    if (!held) return held.status();
    for (int64_t old : *held) {
        if (std::find(kept.begin(), kept.end(), old) == kept.end()) {
            MORTAR_RETURN_IF_ERROR(RunOn(tx, kDeleteAttachment, wc.account_id, old));
        }
    }
    if (values.empty()) {
        if (f.required) return Status::Unprocessable("can't be blank", at);
        return json::Value(nullptr);
    }
    return json::Value(json::Value::Object{{"type", json::Value("Upload")}, {"values", json::Value(std::move(values))}}
    );
}

// Stores the Password and Upload traits the write carried into the asset's traits.
Status ApplyFileAndSecretTraits(db::Tx& tx, const api::WriteContext& wc, int64_t id, AssetRow& asset) {
    const json::Value* traits = wc.input->Attr("traits");
    if (!traits) return Status::Ok();  // traits untouched: so are their passwords and files
    auto fields = LoadFields(tx, wc.account_id, asset.type_id);
    if (!fields) return fields.status();
    const std::string pointer = wc.Pointer("traits");
    json::Value::Object& stored = asset.traits.as_object();
    bool changed = false;
    for (const FieldDef& f : *fields) {
        if (f.kind != "Password" && f.kind != "Upload") continue;
        const json::Value* v = nullptr;
        if (traits->is_object()) {
            for (const auto& [k, value] : traits->as_object()) {
                if (UnderscoreToDash(k) == f.name_key) v = &value;
            }
        }
        const std::string at = pointer + "/" + f.name_key;
        auto trait = f.kind == "Password" ? ApplyPasswordTrait(tx, wc, id, asset, f, v, at)
                                          : ApplyUploadTrait(tx, wc, id, f, v, at);
        if (!trait) return trait.status();
        if (trait->is_null()) continue;
        stored.emplace_back(f.name_key, std::move(*trait));
        changed = true;
    }
    if (!changed) return Status::Ok();
    auto stmt = tx.Prepare(kSetTraits);
    if (!stmt) return stmt.status();
    const std::string dumped = asset.traits.Dump();
    stmt->Bind(1, wc.account_id).Bind(2, id).Bind(3, std::string_view(dumped));
    auto n = stmt->Execute();
    if (!n) return n.status();
    return Status::Ok();
}

// The passwords of an asset's Password traits are as visible as the asset: same
// restriction, same grants, and they carry its current name.
Status TraitPasswordsFollowAsset(db::Tx& tx, int64_t account_id, int64_t id, const AssetRow& asset) {
    auto stmt = tx.Prepare(kTraitPasswordsFollowAsset);
    if (!stmt) return stmt.status();
    stmt->Bind(1, account_id).Bind(2, id).Bind(3, std::string_view(asset.title)).Bind(4, asset.restricted);
    if (auto n = stmt->Execute(); !n) return n.status();
    MORTAR_RETURN_IF_ERROR(RunOn(tx, kDropTraitPasswordGrants, account_id, id));
    return RunOn(tx, kCopyAssetGrants, account_id, id);
}

Status AfterAssetWrite(db::Tx& tx, const api::WriteContext& wc, int64_t id) {
    auto asset = ReadAsset(tx, wc.account_id, id);
    if (!asset) return asset.status();
    MORTAR_RETURN_IF_ERROR(ApplyFileAndSecretTraits(tx, wc, id, *asset));
    return TraitPasswordsFollowAsset(tx, wc.account_id, id, *asset);
}

// Deleting an asset deletes the passwords embedded in it.
Status BeforeAssetDelete(db::Tx& tx, int64_t account_id, int64_t id) {
    auto passwords = Ids(tx, kEmbeddedPasswords, account_id, id);
    if (!passwords) return passwords.status();
    for (int64_t password_id : *passwords) MORTAR_RETURN_IF_ERROR(DeleteEmbeddedPassword(tx, account_id, password_id));
    return Status::Ok();
}

// Deleting a field deletes its values: the trait of every asset, and the passwords and
// files of Password and Upload fields.
Status BeforeFieldDelete(db::Tx& tx, int64_t account_id, int64_t id) {
    auto stmt = tx.Prepare(kFieldForDelete);
    if (!stmt) return stmt.status();
    stmt->Bind(1, account_id).Bind(2, id);
    auto step = stmt->Step();
    if (!step) return step.status();
    if (!*step) return Status::Ok();
    const int64_t type_id = stmt->row().GetInt(0);
    const std::string key(stmt->row().GetText(1));
    MORTAR_RETURN_IF_ERROR(EditTraitsOfType(tx, account_id, type_id, [&](json::Value::Object& traits) {
        const auto before = traits.size();
        std::erase_if(traits, [&](const auto& member) { return member.first == key; });
        return traits.size() != before;
    }));
    auto passwords = Ids(tx, kFieldOwnedPasswords, account_id, id);
    if (!passwords) return passwords.status();
    for (int64_t password_id : *passwords) MORTAR_RETURN_IF_ERROR(DeleteEmbeddedPassword(tx, account_id, password_id));
    return RunOn(tx, kDeleteFieldAttachments, account_id, id);
}

}  // namespace

api::ResourceDef MakeFlexibleAssetFields() {
    using api::Field;
    api::ResourceDef def;
    def.path = "flexible_asset_fields";
    def.table = "flexible_asset_fields";
    def.fields = {
        Field::Ref("flexible_asset_type_id", "flexible_asset_types").Required().Filterable(),
        Renamed(Field::Int("order"), "field_order").Required().Sortable(),
        Field::Text("name").Required().Filterable().Sortable(),
        Field::Text("name_key").ReadOnly(),
        Field::Text("kind").Required(),
        Field::Text("hint"),
        Field::Int("decimals"),
        Field::LongText("default_value"),
        Field::Text("tag_type"),
        Field::Bool("required"),
        Field::Bool("use_for_title"),
        Field::Bool("expiration"),
        Field::Bool("show_in_list"),
    };
    AddTimestamps(def.fields);
    def.routes = api::kShow | api::kCreate | api::kUpdate | api::kBulkUpdate | api::kDeleteOne;
    def.hooks.before_write = BeforeFieldWrite;
    def.hooks.before_delete = BeforeFieldDelete;
    def.access = api::AccessClass::kConfiguration;
    def.parent = api::Parent{
        .path = "flexible_asset_types",
        .table = "flexible_asset_types",
        .field = "flexible_asset_type_id",
        .routes = api::kList | api::kShow | api::kCreate | api::kUpdate | api::kDeleteOne};
    return def;
}

api::ResourceDef MakeFlexibleAssetTypes() {
    using api::Field;
    api::ResourceDef def;
    def.path = "flexible_asset_types";
    def.table = "flexible_asset_types";
    def.fields = {
        Field::Text("name").Required().Filterable().Sortable(),
        Field::LongText("description"),
        Field::Text("icon").Filterable(),
        Field::Bool("enabled").Filterable(),
        Field::Bool("show_in_menu"),
    };
    AddTimestamps(def.fields);
    def.routes = api::kList | api::kShow | api::kCreate | api::kUpdate;
    def.to_many.push_back(api::ToMany{
        .name = "flexible-asset-fields",
        .type = "flexible-asset-fields",
        .sql = "SELECT id FROM flexible_asset_fields WHERE account_id = $1 AND flexible_asset_type_id = $2 "
               "ORDER BY field_order, id"});
    def.hooks.before_write = [](db::Tx&, api::WriteContext& wc) {
        // A new type is enabled and shown in the menu unless the body says otherwise.
        if (wc.create && !wc.Get("enabled")) wc.Set("enabled", true);
        if (wc.create && !wc.Get("show_in_menu")) wc.Set("show_in_menu", true);
        return Status::Ok();
    };
    def.hooks.after_write = SaveInlineFields;
    def.access = api::AccessClass::kConfiguration;
    return def;
}

api::ResourceDef MakeFlexibleAssets() {
    using api::Field;
    using api::FieldKind;
    api::ResourceDef def;
    def.path = "flexible_assets";
    def.table = "flexible_assets";
    def.joins =
        std::string(kJoinOrganization) + " LEFT JOIN flexible_asset_types fat ON fat.id = t.flexible_asset_type_id";
    AddOrganization(def.fields);
    def.fields.insert(
        def.fields.end(),
        {
            Field::Ref("flexible_asset_type_id", "flexible_asset_types").Required().Filterable(),
            Field::Computed("flexible_asset_type_name", FieldKind::kText, "fat.name"),
            Field::Text("name").ReadOnly().Filterable().Sortable(),
            Field::Computed("traits", FieldKind::kJson, "t.traits").Logged().RenderedBy(RenderTraits),
            Field::Bool("archived").Filterable(),
            Field::Bool("restricted"),
            Field::Computed(
                "resource_url",
                FieldKind::kText,
                "CAST(t.organization_id AS TEXT) || '/assets/records/' || CAST(t.id AS TEXT)"
            )
                .PublicUrl(),
            Field::Computed("my_glue", FieldKind::kBool, "NULL"),
        }
    );
    AddTimestamps(def.fields);
    def.routes = kFlatRecordRoutes;
    def.flat_create_array = true;
    def.required_filters = {"flexible_asset_type_id"};
    def.search_title = "name";
    def.hooks.before_write = BeforeAssetWrite;
    def.hooks.after_write = AfterAssetWrite;
    def.hooks.before_delete = BeforeAssetDelete;
    def.restrictable = true;
    def.parent = api::Parent{
        .path = "organizations", .table = "organizations", .field = "organization_id", .routes = api::kCreate};
    return def;
}

}  // namespace mortar::domains
