// SPDX-License-Identifier: AGPL-3.0-or-later
#include "api/access.hpp"

namespace mortar::api {
namespace {

using auth::Role;

std::string JoinIds(const std::vector<int64_t>& ids) {
    std::string out;
    for (int64_t id : ids) {
        if (!out.empty()) out += ", ";
        out += std::to_string(id);
    }
    return out;
}

std::string SqlString(std::string_view s) {
    std::string out = "'";
    for (char c : s) {
        if (c == '\'') out += '\'';
        out += c;
    }
    return out + "'";
}

}  // namespace

std::string_view OpName(Op op) {
    switch (op) {
        case Op::kRead:
            return "read";
        case Op::kCreate:
            return "create";
        case Op::kUpdate:
            return "update";
        case Op::kDelete:
            return "delete";
        case Op::kReveal:
            return "reveal";
        case Op::kComplete:
            return "complete";
    }
    return "use";
}

bool RoleAllows(Role role, AccessClass cls, Op op) {
    if (role == Role::kAdministrator) return true;
    const bool manager = role == Role::kManager;
    const bool editor = manager || role == Role::kEditor;
    const bool creator = editor || role == Role::kCreator;
    const bool lite = creator || role == Role::kLite;
    switch (cls) {
        case AccessClass::kAdministration:
            return false;
        case AccessClass::kActivity:
            return op == Op::kRead;
        case AccessClass::kConfiguration:
            return op == Op::kRead || (manager && op != Op::kReveal && op != Op::kComplete);
        case AccessClass::kOrganizations:
            switch (op) {
                case Op::kRead:
                    return true;
                case Op::kCreate:
                case Op::kDelete:
                    return manager;
                case Op::kUpdate:
                    return creator;
                case Op::kReveal:
                case Op::kComplete:
                    return false;
            }
            return false;
        case AccessClass::kDocumentation:
            switch (op) {
                case Op::kRead:
                    return true;
                case Op::kCreate:
                case Op::kUpdate:
                    return creator;
                case Op::kDelete:
                    return editor;
                case Op::kReveal:
                case Op::kComplete:
                    return lite;
            }
            return false;
    }
    return false;
}

Status CheckRole(const auth::Principal& p, AccessClass cls, Op op, std::string_view what) {
    if (RoleAllows(p.role, cls, op)) return Status::Ok();
    std::string detail = "the role " + std::string(auth::RoleName(p.role)) + " may not ";
    detail += OpName(op);
    detail += " " + std::string(what);
    return Status::PermissionDenied(detail);
}

std::string OrganizationCondition(const auth::Principal& p, std::string_view org_expr) {
    if (org_expr.empty() || p.all_organizations) return "";
    const std::string e(org_expr);
    if (p.organization_ids.empty()) return e + " IS NULL";
    return "(" + e + " IS NULL OR " + e + " IN (" + JoinIds(p.organization_ids) + "))";
}

std::string GrantCondition(const auth::Principal& p, std::string_view alias, std::string_view table) {
    if (SeesEverything(p)) return "";
    const std::string a(alias);
    std::string who = "g.user_id = " + std::to_string(p.user_id);
    if (!p.group_ids.empty()) who = "(" + who + " OR g.group_id IN (" + JoinIds(p.group_ids) + "))";
    return "(NOT " + a + ".restricted OR EXISTS (SELECT 1 FROM record_grants g WHERE g.account_id = " + a +
           ".account_id AND g.record_table = " + SqlString(table) + " AND g.record_id = " + a + ".id AND " + who + "))";
}

std::string ActivityCondition(
    const auth::Principal& p,
    const std::vector<RestrictableTable>& restrictable,
    const std::vector<std::string>& admin_types
) {
    std::string out;
    if (SeesEverything(p)) return out;
    auto add = [&](const std::string& clause) { out += (out.empty() ? "" : " AND ") + clause; };
    for (const RestrictableTable& r : restrictable) {
        const std::string record =
            "SELECT 1 FROM " + r.table + " r WHERE r.account_id = t.account_id AND r.id = t.resource_id";
        add("(t.resource_type <> " + SqlString(r.type) + " OR CASE WHEN EXISTS (" + record + ") THEN EXISTS (" +
            record + " AND " + GrantCondition(p, "r", r.table) + ") ELSE NOT t.restricted END)");
    }
    if (!admin_types.empty()) {
        std::string list;
        for (const std::string& type : admin_types) list += (list.empty() ? "" : ", ") + SqlString(type);
        add("t.resource_type NOT IN (" + list + ")");
    }
    return out;
}

std::string SearchCondition(const auth::Principal& p, const std::vector<RestrictableTable>& restrictable) {
    std::string out = OrganizationCondition(p, "e.organization_id");
    if (SeesEverything(p)) return out;
    for (const RestrictableTable& r : restrictable) {
        out += (out.empty() ? "" : " AND ");
        out += "(e.resource_type <> " + SqlString(r.type) + " OR EXISTS (SELECT 1 FROM " + r.table +
               " r WHERE r.account_id = e.account_id AND r.id = e.resource_id AND " + GrantCondition(p, "r", r.table) +
               "))";
    }
    return out;
}

std::string JsonIdArraySql(db::Dialect dialect, std::string_view column, std::string_view from_where) {
    const std::string c(column);
    if (dialect == db::Dialect::kPostgres) {
        return "(SELECT coalesce(json_agg(" + c + " ORDER BY " + c + "), '[]'::json)::text FROM " +
               std::string(from_where) + ")";
    }
    return "(SELECT json_group_array(x) FROM (SELECT " + c + " AS x FROM " + std::string(from_where) + " ORDER BY " +
           c + "))";
}

}  // namespace mortar::api
