// SPDX-License-Identifier: AGPL-3.0-or-later
#include "api/resource.hpp"

#include <set>

#include "core/strings.hpp"

namespace mortar::api {

db::Param AsParam(const ColumnValue& v) {
    return std::visit(
        [](const auto& x) -> db::Param {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, std::string>) {
                return std::string_view(x);
            } else {
                return x;
            }
        },
        v
    );
}

namespace {
Field Make(std::string name, FieldKind kind) {
    Field f;
    f.column = name;
    f.name = std::move(name);
    f.kind = kind;
    return f;
}
}  // namespace

Field Field::Text(std::string name) {
    return Make(std::move(name), FieldKind::kText);
}
Field Field::LongText(std::string name) {
    Field f = Make(std::move(name), FieldKind::kText);
    f.max_length = 65535;
    return f;
}
Field Field::Int(std::string name) {
    return Make(std::move(name), FieldKind::kInt);
}
Field Field::Bool(std::string name) {
    return Make(std::move(name), FieldKind::kBool);
}
Field Field::Date(std::string name) {
    return Make(std::move(name), FieldKind::kDate);
}
Field Field::Timestamp(std::string name) {
    return Make(std::move(name), FieldKind::kTimestamp);
}
Field Field::Ref(std::string name, std::string ref_table) {
    Field f = Make(std::move(name), FieldKind::kRef);
    f.ref_table = std::move(ref_table);
    return f;
}
Field Field::Json(std::string name, JsonNormaliser normalise) {
    Field f = Make(std::move(name), FieldKind::kJson);
    f.normalise = std::move(normalise);
    return f;
}
Field Field::Computed(std::string name, FieldKind kind, std::string select) {
    Field f;
    f.name = std::move(name);
    f.kind = kind;
    f.select = std::move(select);
    return f;
}

const ColumnValue* WriteContext::Get(std::string_view column) const {
    for (const auto& [c, v] : values) {
        if (c == column) return &v;
    }
    return nullptr;
}

void WriteContext::Set(std::string column, ColumnValue value) {
    for (auto& [c, v] : values) {
        if (c == column) {
            v = std::move(value);
            return;
        }
    }
    values.emplace_back(std::move(column), std::move(value));
}

void ResourceDef::Finalise() {
    type = UnderscoreToDash(path);
    std::set<std::string> seen;
    for (Field& f : fields) {
        MORTAR_CHECK(seen.insert(f.name).second, "duplicate field " + f.name + " in " + path);
        f.key = UnderscoreToDash(f.name);
        if (f.select.empty()) f.select = "t." + f.name;
        MORTAR_CHECK(f.kind != FieldKind::kRef || !f.ref_table.empty(), "ref field without table: " + f.name);
        // Counting a list joins nothing, so filters may only use the table's own columns.
        MORTAR_CHECK(!f.filter || f.select.rfind("t.", 0) == 0, "filterable field must be a column of t: " + f.name);
        MORTAR_CHECK(f.kind != FieldKind::kJson || f.column.empty() || f.normalise, "json field without normaliser");
    }
    if (parent) MORTAR_CHECK(FindField(parent->field) != nullptr, "parent field missing in " + path);
    if (organization_sql.empty()) {
        const Field* org = FindField("organization_id");
        if (table == "organizations") {
            organization_sql = "t.id";
        } else if (org && org->select == "t.organization_id") {
            organization_sql = org->select;
        }
    }
    MORTAR_CHECK(!restrictable || FindField("restricted") != nullptr, "restrictable without restricted: " + path);
    for (SecretField& secret : secrets) {
        secret.key = UnderscoreToDash(secret.name);
        MORTAR_CHECK(FindField(secret.name) == nullptr, "secret " + secret.name + " is also a field");
        MORTAR_CHECK(!secret.column.empty(), "secret without a column: " + secret.name);
    }
}

const Field* ResourceDef::FindField(std::string_view snake_name) const {
    for (const Field& f : fields) {
        if (f.name == snake_name) return &f;
    }
    return nullptr;
}

}  // namespace mortar::api
