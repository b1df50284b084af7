// SPDX-License-Identifier: AGPL-3.0-or-later
// Flexible assets (API.md 3.8–3.10, SPEC DOC-4): record types an MSP defines for what
// the fixed resources do not cover — Wi-Fi networks, licences, vendors, LOB applications —
// with ordered, typed fields, and the assets whose traits follow their type. Traits are
// keyed by each field's name-key (a slug of its name), checked against the field's kind,
// and replaced as a whole by PATCH. Tag traits point at other records and are returned
// as {"type", "values": [{id, name, organization-name}]}.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/json_writer.hpp"
#include "core/strings.hpp"
#include "domains/common.hpp"
#include "jsonapi/body.hpp"

namespace mortar::domains {
namespace {

constexpr std::string_view kKinds[] = {
    "Checkbox", "Date", "Header", "Number", "Select", "Text", "Textbox", "Upload", "Tag", "Percent", "Password"};

// A Tag field's target: the IT Glue tag type, its table and the record name expression.
struct TagTarget {
    std::string_view tag_type;
    std::string_view table;
    std::string_view name_sql;  // over alias x
};
constexpr TagTarget kTagTargets[] = {
    {"Configurations", "configurations", "x.name"},
    {"Contacts", "contacts", "trim(coalesce(x.first_name, '') || ' ' || coalesce(x.last_name, ''))"},
    {"Documents", "documents", "x.name"},
    {"Locations", "locations", "x.name"},
    {"Organizations", "organizations", "x.name"},
    {"Passwords", "passwords", "x.name"},
    {"Checklists", "checklists", "x.name"},
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
    "SELECT flexible_asset_type_id, kind, tag_type, default_value FROM flexible_asset_fields "
    "WHERE account_id = $1 AND id = $2"};

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
    if (wc.id) {
        auto stmt = tx.Prepare(kFieldRow);
        if (!stmt) return stmt.status();
        stmt->Bind(1, wc.account_id).Bind(2, *wc.id);
        auto step = stmt->Step();
        if (!step) return step.status();
        if (*step) {
            const db::Row& r = stmt->row();
            if (!type_id) type_id = r.GetInt(0);
            if (!kind) kind = std::string(r.GetText(1));
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
    std::string name, name_key, kind;
    std::optional<std::string> tag_type, default_value;
    std::optional<int64_t> decimals;
    bool required = false, use_for_title = false;
};

constexpr db::Query kTypeFields{
    "flexible_asset_fields.of_type",
    "SELECT name, name_key, kind, tag_type, default_value, decimals, required, use_for_title "
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

// Resolves tag ids to {"type", "values": [{id, name, organization-name}]}.
Status WriteTag(
    db::Tx& tx,
    int64_t account_id,
    const FieldDef& f,
    const std::vector<int64_t>& ids,
    const std::string& pointer,
    json::Writer& w,
    std::vector<std::string>& names
) {
    const std::string tag_type = f.tag_type.value_or("");
    std::string sql;
    for (const TagTarget& t : kTagTargets) {
        if (t.tag_type != tag_type) continue;
        const bool has_org = t.table != "organizations";
        sql = "SELECT x.id, " + std::string(t.name_sql) + ", " + (has_org ? "o.name" : "NULL") + " FROM " +
              std::string(t.table) + " x" + (has_org ? " LEFT JOIN organizations o ON o.id = x.organization_id" : "") +
              " WHERE x.account_id = $1 AND x.id = $2";
    }
    if (sql.empty() && tag_type.starts_with(kFlexibleTagPrefix)) {
        sql =
            "SELECT x.id, x.name, o.name FROM flexible_assets x LEFT JOIN organizations o ON o.id = x.organization_id "
            "WHERE x.account_id = $1 AND x.id = $2 AND x.flexible_asset_type_id = " +
            std::to_string(*ParseInt64(std::string_view(tag_type).substr(kFlexibleTagPrefix.size())));
    }
    if (sql.empty()) return Status::Unprocessable("tags of type " + tag_type + " are not supported yet", pointer);
    w.BeginObject();
    w.Key("type");
    w.String(tag_type);
    w.Key("values");
    w.BeginArray();
    for (int64_t id : ids) {
        auto stmt = tx.PrepareDynamic(sql);
        if (!stmt) return stmt.status();
        stmt->Bind(1, account_id).Bind(2, id);
        auto step = stmt->Step();
        if (!step) return step.status();
        if (!*step) return Status::Unprocessable("must exist (" + std::to_string(id) + ")", pointer);
        const db::Row& r = stmt->row();
        w.BeginObject();
        w.Key("id");
        w.Int(r.GetInt(0));
        w.Key("name");
        w.String(r.GetText(1));
        names.emplace_back(r.GetText(1));
        w.Key("organization-name");
        r.IsNull(2) ? w.Null() : w.String(r.GetText(2));
        w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    return Status::Ok();
}

// Checks traits against the fields and writes the stored object; sets `title` from the
// use-for-title fields.
Status NormaliseTraits(
    db::Tx& tx,
    int64_t account_id,
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
        if (kind == "Upload" || kind == "Password") {
            return Status::Unprocessable(kind + " traits are not supported yet", at);
        }
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
            MORTAR_RETURN_IF_ERROR(WriteTag(tx, account_id, f, *ids, at, w, names));
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
        tx, wc.account_id, *fields, traits->is_null() ? kEmpty : *traits, wc.Pointer("traits"), stored, title
    ));
    wc.Set("traits", stored);
    wc.Set("name", title.empty() ? api::ColumnValue(db::Null{}) : api::ColumnValue(title));
    return Status::Ok();
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
            Field::Computed("traits", FieldKind::kJson, "t.traits"),
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
    def.restrictable = true;
    def.parent = api::Parent{
        .path = "organizations", .table = "organizations", .field = "organization_id", .routes = api::kCreate};
    return def;
}

}  // namespace mortar::domains
