// SPDX-License-Identifier: AGPL-3.0-or-later
#include "api/list_sql.hpp"

#include "api/psa_links.hpp"
#include "core/clock.hpp"
#include "core/strings.hpp"

namespace mortar::api {
namespace {

// Collects WHERE clauses with their bound values.
class Where {
public:
    std::string Bind(ColumnValue v) {
        params_.push_back(std::move(v));
        return "$" + std::to_string(params_.size());
    }
    void And(std::string clause) {
        sql_ += sql_.empty() ? " WHERE " : " AND ";
        sql_ += clause;
    }
    const std::string& sql() const { return sql_; }
    const std::vector<ColumnValue>& params() const { return params_; }

private:
    std::string sql_;
    std::vector<ColumnValue> params_;
};

Status BadFilter(const jsonapi::Filter& f, std::string_view what) {
    return Status::InvalidArgument("filter[" + f.field + "] " + std::string(what));
}

// The value pieces of a filter converted to the field's kind.
Result<std::vector<ColumnValue>> FilterValues(const jsonapi::Filter& f, FieldKind kind) {
    std::vector<ColumnValue> out;
    for (const std::string& piece : jsonapi::SplitFilterValue(f.value)) {
        switch (kind) {
            case FieldKind::kInt:
            case FieldKind::kRef: {
                auto n = ParseInt64(piece);
                if (!n) return BadFilter(f, "must be an integer or a comma-separated list of integers");
                out.emplace_back(*n);
                break;
            }
            case FieldKind::kBool: {
                const std::string v = ToLower(piece);
                if (v == "true" || v == "1") {
                    out.emplace_back(true);
                } else if (v == "false" || v == "0") {
                    out.emplace_back(false);
                } else {
                    return BadFilter(f, "must be true or false");
                }
                break;
            }
            default:
                out.emplace_back(piece);
                break;
        }
    }
    if (out.empty()) return BadFilter(f, "needs a value");
    return out;
}

// "2024-01-01,*": start and end in UTC, '*' open. A date-only end covers that whole day.
Status AddTimestampRange(Where& where, const Field& field, const jsonapi::Filter& f) {
    const auto comma = f.value.find(',');
    const std::string start = std::string(Trim(std::string_view(f.value).substr(0, comma)));
    const std::string end = comma == std::string::npos ? start : std::string(Trim(f.value.substr(comma + 1)));
    if (!start.empty() && start != "*") {
        auto t = ParseTimestamp(start);
        if (!t) return BadFilter(f, "must be a date or timestamp range such as 2024-01-01,*");
        where.And(field.select + " >= " + where.Bind(FormatTimestamp(*t)));
    }
    if (!end.empty() && end != "*") {
        auto t = ParseTimestamp(end);
        if (!t) return BadFilter(f, "must be a date or timestamp range such as 2024-01-01,*");
        int64_t limit = *t;
        if (end.size() == 10) {
            limit += 24LL * 3600 * 1000;  // through the end of that day
            where.And(field.select + " < " + where.Bind(FormatTimestamp(limit)));
        } else {
            where.And(field.select + " <= " + where.Bind(FormatTimestamp(limit)));
        }
    }
    return Status::Ok();
}

constexpr std::string_view kPsaTypes[] = {
    "manage", "autotask", "tigerpaw", "kaseya-bms", "pulseway-psa", "vorex", "halopsa"};

// filter[psa_id] needs filter[psa_integration_type] (API.md section 4), answered from the
// sync engine's links (any state but orphaned); a type Mortar never syncs matches nothing.
Status AddPsaFilter(Where& where, const ResourceDef& def, const jsonapi::ListQuery& lq) {
    const jsonapi::Filter* id = nullptr;
    const jsonapi::Filter* type = nullptr;
    for (const auto& f : lq.filters) {
        if (f.op != jsonapi::FilterOp::kEq) continue;
        if (f.field == "psa_id") id = &f;
        if (f.field == "psa_integration_type") type = &f;
    }
    if (!id && !type) return Status::Ok();
    if (id && !type) return Status::InvalidArgument("filter[psa_id] requires filter[psa_integration_type]");
    bool known = false;
    for (std::string_view t : kPsaTypes) known = known || type->value == t;
    if (!known) {
        return Status::InvalidArgument(
            "filter[psa_integration_type] must be one of manage, autotask, tigerpaw, kaseya-bms, pulseway-psa, vorex, "
            "halopsa"
        );
    }
    const auto kind = IntegrationKindOfPsaType(type->value);
    if (!kind) {
        where.And("1 = 0");
        return Status::Ok();
    }
    std::string clause =
        "EXISTS (SELECT 1 FROM sync_links sl JOIN integrations i ON i.id = sl.integration_id WHERE sl.account_id = "
        "t.account_id AND sl.local_type = " +
        where.Bind(def.path) +
        " AND sl.local_id = t.id AND sl.state <> 'orphaned' AND i.kind = " + where.Bind(std::string(*kind));
    if (id) {
        std::string list;
        for (const std::string& piece : jsonapi::SplitFilterValue(id->value)) {
            if (!list.empty()) list += ", ";
            list += where.Bind(piece);
        }
        if (list.empty()) return Status::InvalidArgument("filter[psa_id] needs a value");
        clause += " AND sl.external_id IN (" + list + ")";
    }
    where.And(clause + ")");
    return Status::Ok();
}

// The filterable field for a filter name; `id` is always filterable.
const Field* FilterField(const ResourceDef& def, std::string_view name, const Field& id_field) {
    if (name == "id") return &id_field;
    const Field* f = def.FindField(name);
    return f && f->filter ? f : nullptr;
}

Status BuildFilters(Where& where, const ResourceDef& def, const jsonapi::ListQuery& lq) {
    static const Field kId = [] {
        Field f = Field::Computed("id", FieldKind::kInt, "t.id");
        return f;
    }();
    for (const jsonapi::Filter& f : lq.filters) {
        if (f.op == jsonapi::FilterOp::kEq) {
            const CustomFilter* custom = nullptr;
            for (const CustomFilter& c : def.custom_filters) {
                if (c.name == f.field) custom = &c;
            }
            if (custom) {
                auto clause = custom->build(f.value, [&where](ColumnValue v) { return where.Bind(std::move(v)); });
                if (!clause) return clause.status();
                where.And(*clause);
                continue;
            }
        }
        const Field* field = FilterField(def, f.field, kId);
        if (!field) continue;  // unknown filters are ignored (Mortar choice)
        if (f.op == jsonapi::FilterOp::kEq && field->kind == FieldKind::kTimestamp) {
            MORTAR_RETURN_IF_ERROR(AddTimestampRange(where, *field, f));
            continue;
        }
        if (f.op == jsonapi::FilterOp::kRange) {
            if (field->kind != FieldKind::kInt && field->kind != FieldKind::kRef) {
                return BadFilter(f, "does not support a range");
            }
            auto values = FilterValues(f, field->kind);
            if (!values) return values.status();
            if (values->size() != 2) return BadFilter(f, "range needs two values: low,high");
            where.And(field->select + " BETWEEN " + where.Bind((*values)[0]) + " AND " + where.Bind((*values)[1]));
            continue;
        }
        auto values = FilterValues(f, field->kind);
        if (!values) return values.status();
        std::string list;
        for (ColumnValue& v : *values) {
            if (!list.empty()) list += ", ";
            list += where.Bind(std::move(v));
        }
        if (f.op == jsonapi::FilterOp::kExclude) {
            where.And("(" + field->select + " IS NULL OR " + field->select + " NOT IN (" + list + "))");
        } else if (values->size() == 1) {
            where.And(field->select + " = " + list);
        } else {
            where.And(field->select + " IN (" + list + ")");
        }
    }
    if (def.psa_filters) MORTAR_RETURN_IF_ERROR(AddPsaFilter(where, def, lq));
    return Status::Ok();
}

Result<std::string> BuildOrderBy(const ResourceDef& def, const jsonapi::ListQuery& lq) {
    std::string order;
    for (const jsonapi::SortKey& key : lq.sort) {
        std::string expr;
        FieldKind kind = FieldKind::kInt;
        if (key.field == "id") {
            expr = "t.id";
        } else if (const Field* f = def.FindField(key.field); f && f->sort) {
            expr = f->select;
            kind = f->kind;
        } else {
            std::string allowed = "id";
            for (const Field& f : def.fields) {
                if (f.sort) allowed += ", " + f.name;
            }
            return Status::InvalidArgument("sort by '" + key.field + "' is not supported; use one of: " + allowed);
        }
        if (!order.empty()) order += ", ";
        // Nulls last ascending and first descending on both engines; text case-insensitively.
        const char* dir = key.descending ? " DESC" : "";
        order += "(" + expr + " IS NULL)" + dir + ", ";
        order += (kind == FieldKind::kText ? "lower(" + expr + ")" : expr) + dir;
    }
    order += order.empty() ? "t.id" : ", t.id";
    return " ORDER BY " + order;
}

}  // namespace

Result<ListSql> BuildListSql(
    const ResourceDef& def, const jsonapi::ListQuery& query, int64_t account_id, std::optional<ParentFilter> parent
) {
    Where where;
    if (def.global) {
        where.And("true");
    } else {
        where.And("t.account_id = " + where.Bind(account_id));
    }
    if (parent) where.And(parent->field->select + " = " + where.Bind(parent->parent_id));
    if (!def.scope_sql.empty()) where.And("(" + def.scope_sql + ")");
    MORTAR_RETURN_IF_ERROR(BuildFilters(where, def, query));
    auto order = BuildOrderBy(def, query);
    if (!order) return order.status();
    return ListSql{.where = where.sql(), .order_by = std::move(*order), .params = where.params()};
}

}  // namespace mortar::api
