// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "auth/api_keys.hpp"
#include "core/status.hpp"
#include "db/database.hpp"

// Who may do what (SPEC ACL-1, ACL-2; the table is docs/ACCESS.md). The resource engine
// asks these functions on every route, so list, show, create, update, delete, bulk,
// nested routes, search and the activity log follow one set of rules:
// - the role decides which operations a principal may run on a class of resource
//   (403 when it may not);
// - the organization access list hides the records of other organizations;
// - restricted records are hidden from everyone but administrators and the users and
//   groups they are granted to.
// Hidden records answer exactly as missing ones do (404, absent from lists).
namespace mortar::api {

// What a request does to a resource.
enum class Op {
    kRead,      // list, show, include, search, activity
    kCreate,    // POST
    kUpdate,    // PATCH, bulk PATCH, actions
    kDelete,    // DELETE, bulk DELETE
    kReveal,    // show a secret
    kComplete,  // complete or uncomplete a checklist item
};

// Which rules a resource follows.
enum class AccessClass {
    kDocumentation,   // the records of an organization: configurations, passwords, documents, ...
    kOrganizations,   // organizations themselves
    kConfiguration,   // account configuration: lookups, models, flexible asset types, templates
    kActivity,        // the activity log (read-only)
    kAdministration,  // users, groups and API keys
};

std::string_view OpName(Op op);

// The role table.
bool RoleAllows(auth::Role role, AccessClass cls, Op op);

// OK, or kPermissionDenied saying what the principal's role may not do. An API key acts
// as an administrator (and reveals only with password access, checked elsewhere).
Status CheckRole(const auth::Principal& principal, AccessClass cls, Op op, std::string_view what);

// Whether the principal sees every record regardless of restrictions.
inline bool SeesEverything(const auth::Principal& p) {
    return p.role == auth::Role::kAdministrator;
}

// A restrictable resource: its table and JSON:API type ("passwords", "passwords").
struct RestrictableTable {
    std::string table;
    std::string type;
};

// SQL conditions over rows aliased `alias`, each "" when nothing restricts the principal
// (so callers append " AND (...)" only when needed). Values are integer literals from
// the principal, never request input.
// The organization expression `org_expr` (e.g. "t.organization_id") must be in the
// principal's organizations, or NULL (records of no organization follow the role only).
std::string OrganizationCondition(const auth::Principal& p, std::string_view org_expr);
// A restricted row of `table` must be granted to the principal (user or group).
std::string GrantCondition(const auth::Principal& p, std::string_view alias, std::string_view table);
// An activity event (alias t) about a restrictable record is visible when the record is,
// or, for a record gone since, when the event was not about a restricted one; events
// about administration resources (`admin_types`) only to administrators. (The
// organization condition of the events is separate.)
std::string ActivityCondition(
    const auth::Principal& p,
    const std::vector<RestrictableTable>& restrictable,
    const std::vector<std::string>& admin_types
);
// A search entry (alias e) is visible when its record is.
std::string SearchCondition(const auth::Principal& p, const std::vector<RestrictableTable>& restrictable);

// A correlated subquery rendering the ids `column` of `from_where` ("record_grants g
// WHERE ...") as a JSON array text, ordered, "[]" when none.
std::string JsonIdArraySql(db::Dialect dialect, std::string_view column, std::string_view from_where);

}  // namespace mortar::api
