// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "api/access.hpp"
#include "core/json.hpp"
#include "core/status.hpp"
#include "db/database.hpp"
#include "jsonapi/body.hpp"
#include "jsonapi/query.hpp"

namespace mortar::http {
struct Request;
struct Response;
}  // namespace mortar::http
namespace mortar::vault {
class Vault;
}  // namespace mortar::vault

// A resource is declared as data: its table, its attributes and how each takes part
// in reading, writing, filtering and sorting. The generic engine (crud.hpp) turns a
// ResourceDef into every route of API.md section 3 for it, so adding a resource is
// adding a table of fields (see src/domains/).
namespace mortar::api {

enum class FieldKind {
    kText,       // string, at most max_length characters
    kInt,        // integer
    kBool,       // true/false; NOT NULL columns, default false
    kDate,       // "YYYY-MM-DD"
    kTimestamp,  // RFC 3339 UTC with milliseconds, stored as text
    kRef,        // integer id of a row of ref_table in the same account ("must exist")
    kJson,       // a JSON value stored as text, checked by `normalise`
};

// An owned value about to be written to a column.
using ColumnValue = std::variant<db::Null, int64_t, double, std::string, bool>;

db::Param AsParam(const ColumnValue& v);

// Checks and normalises a kJson attribute, returning the JSON text to store.
// `pointer` is the attribute's JSON pointer for error sources.
using JsonNormaliser = std::function<Result<std::string>(const json::Value& value, const std::string& pointer)>;

// What a field's render hook may use: the reading transaction, the account and the
// viewer's visibility (" AND ..." over alias t for a table; "" when nothing restricts).
struct RenderEnv {
    db::Tx& tx;
    int64_t account_id = 0;
    std::function<std::string(std::string_view table)> visible_rows;
};

// Turns a kJson field's stored text into the JSON the viewer gets (a flexible asset's
// Tag traits name the tagged records the viewer may see, as they are named now).
using FieldRenderer = std::function<Result<std::string>(const RenderEnv& env, std::string_view stored)>;

// One attribute of a resource.
struct Field {
    std::string name;  // snake_case attribute name; the kebab-case key is derived
    FieldKind kind = FieldKind::kText;
    std::string select;  // SQL expression read in SELECT; default "t.<name>"
    std::string column;  // column written by POST/PATCH; empty: read-only
    bool required = false;
    bool filter = false;
    bool sort = false;
    std::string ref_table;  // kRef
    int max_length = 255;   // kText
    int list_truncate = 0;  // list responses cut the value to this many characters
    bool empty_string_for_null = false;
    bool hidden = false;      // read for hooks, never rendered
    bool public_url = false;  // the value is a path rendered after the public base URL
    bool secret = false;      // never written to the activity log
    bool logged = false;      // read-only but derived from the body by hooks: its changes are logged
    JsonNormaliser normalise;
    // kJson only: applied when a response is rendered for a viewer; the stored text is
    // what the activity log records.
    FieldRenderer render;
    std::string key;  // kebab-case response key, set by Finalise()

    static Field Text(std::string name);
    static Field LongText(std::string name);  // up to 65,535 characters
    static Field Int(std::string name);
    static Field Bool(std::string name);
    static Field Date(std::string name);
    static Field Timestamp(std::string name);
    static Field Ref(std::string name, std::string ref_table);
    static Field Json(std::string name, JsonNormaliser normalise);
    // A read-only attribute computed by a SQL expression (a join or a subquery).
    static Field Computed(std::string name, FieldKind kind, std::string select);

    Field& Required() {
        required = true;
        return *this;
    }
    Field& Filterable() {
        filter = true;
        return *this;
    }
    Field& Sortable() {
        sort = true;
        return *this;
    }
    Field& ReadOnly() {
        column.clear();
        return *this;
    }
    Field& MaxLength(int n) {
        max_length = n;
        return *this;
    }
    Field& TruncateInLists(int n) {
        list_truncate = n;
        return *this;
    }
    Field& EmptyStringForNull() {
        empty_string_for_null = true;
        return *this;
    }
    Field& Hidden() {
        hidden = true;
        return *this;
    }
    Field& PublicUrl() {
        public_url = true;
        return *this;
    }
    Field& Secret() {
        secret = true;
        return *this;
    }
    Field& Logged() {
        logged = true;
        return *this;
    }
    Field& RenderedBy(FieldRenderer renderer) {
        render = std::move(renderer);
        return *this;
    }
};

// A secret attribute (a password, an OTP secret). The vault seals it into `column`
// after the row is written, bound to the row; it is never logged, never in lists, and
// returned only when revealed (API.md 2.6 show_password) to a key with password access.
struct SecretField {
    std::string name;          // snake_case attribute name: "password"
    std::string column;        // envelope column: "password_envelope"
    bool revealable = true;    // false: write-only (an OTP secret is never echoed)
    bool required = false;     // on create
    std::string touch_column;  // set to the write's time when the secret changes
    std::string key;           // kebab-case response key, set by Finalise()
};

// What a write hook sees and may change: the column values collected from the body.
struct WriteContext {
    int64_t account_id = 0;
    int64_t actor_key_id = 0;   // the API key making the change (0: none)
    int64_t actor_user_id = 0;  // the signed-in user making the change (0: none)
    std::string now;            // the write's time (the Service clock), RFC 3339
    std::optional<int64_t> id;  // set on update
    bool create = false;
    const jsonapi::ResourceInput* input = nullptr;
    bool in_array = false;
    std::vector<std::pair<std::string, ColumnValue>> values;  // column -> value
    // Secrets given in the body (nullopt: cleared), sealed after the row is written.
    std::vector<std::pair<const SecretField*, std::optional<std::string>>> secrets;
    // The route's path parameters for actions ("item_id"), else empty.
    std::vector<std::pair<std::string, std::string>> path_params;
    // Seals secrets a hook writes into other tables; null when no vault is configured.
    const vault::Vault* vault = nullptr;

    // " AND ..." limiting rows of `table` (aliased t) to those the writer may see, for
    // hooks that look other records up; "" when nothing restricts.
    std::function<std::string(std::string_view table)> visible_rows;

    const ColumnValue* Get(std::string_view column) const;
    std::string VisibleRows(std::string_view table) const { return visible_rows ? visible_rows(table) : ""; }
    void Set(std::string column, ColumnValue value);
    std::string Pointer(std::string_view attr) const { return input->Pointer(attr, in_array); }
    std::string_view PathParam(std::string_view name) const {
        for (const auto& [k, v] : path_params) {
            if (k == name) return v;
        }
        return {};
    }
};

// Routes a resource offers; flat routes live at /api/<path>, nested ones under the parent.
enum Route : unsigned {
    kList = 1u << 0,
    kShow = 1u << 1,
    kCreate = 1u << 2,
    kUpdate = 1u << 3,
    kBulkUpdate = 1u << 4,
    kBulkDelete = 1u << 5,
    kDeleteOne = 1u << 6,
};

// A resource that also lives under a parent: /api/<parent_path>/{parent_id}/relationships/<path>.
struct Parent {
    std::string path;   // "organizations"
    std::string table;  // "organizations"
    std::string field;  // the child's attribute holding the parent id: "organization_id"
    unsigned routes = 0;
    bool global = false;  // the parent is a shared reference list (countries of regions)
};

struct Hooks {
    // Runs inside the write transaction after validation, before INSERT/UPDATE. May
    // set derived columns or refuse with a Status (422 with a pointer).
    std::function<Status(db::Tx&, WriteContext&)> before_write;
    // Runs inside the write transaction after INSERT/UPDATE of the row `id`.
    std::function<Status(db::Tx&, const WriteContext&, int64_t id)> after_write;
    // Runs inside the delete transaction just before the row `id` of the account is
    // deleted: removes what belongs to it (attachments, embedded passwords).
    std::function<Status(db::Tx&, int64_t account_id, int64_t id)> before_delete;
    // Runs before any delete of the row `id` by `principal` (single and bulk): may refuse
    // it (422) for who is asking, e.g. an administrator deleting their own user.
    std::function<Status(const auth::Principal& principal, int64_t id)> refuse_delete;
};

// A read-only sub-resource answered with raw bytes: GET /api/<path>/{id}/<name> (and
// under the parent), after the same checks as GET one ("download" of an attachment).
struct RawGet {
    std::string name;
    std::function<Result<http::Response>(db::Tx&, int64_t account_id, int64_t id)> render;
};

// A state change with a route of its own: PATCH /api/<path>/{id}/<name> (and under the
// parent) runs `apply` on an update that carries no attributes from the body, so the
// change is validated, logged and rendered like any other update ("publish"). The name
// may hold captures ("items/{item_id}/complete"), read with WriteContext::PathParam.
struct Action {
    std::string name;
    std::function<Status(db::Tx&, WriteContext&)> apply;
    // What the action counts as for the role check (docs/ACCESS.md).
    Op op = Op::kUpdate;
};

// A to-many relationship rendered on single-resource responses:
// "relationships": {"<name>": {"data": [{"id": "7", "type": "<type>"}]}}.
// `sql` selects the related ids with $1 = account id and $2 = the record's id.
struct ResourceDef;
struct ToMany {
    std::string name;  // kebab-case relationship name: "configuration-interfaces"
    std::string type;  // JSON:API type of the related records
    std::string sql;
    // The related records' resource: when set, include=<name> (snake or kebab) adds them
    // to the response's top-level "included" array (show and list).
    const ResourceDef* target = nullptr;
};

// A filter that is not a plain column comparison (filter[mac_address] on
// configurations matches interfaces too). `build` returns the SQL condition over `t`,
// binding values through `bind`, which returns their "$n" placeholders; a malformed
// value is kInvalidArgument.
struct CustomFilter {
    std::string name;  // snake_case filter name
    std::function<Result<std::string>(std::string_view value, const std::function<std::string(ColumnValue)>& bind)>
        build;
};

struct ResourceDef {
    std::string path;   // snake_case plural used in URLs: "organization_types"
    std::string type;   // JSON:API type, derived: "organization-types"
    std::string table;  // SQL table
    std::string joins;  // appended after "FROM <table> t"
    std::vector<Field> fields;
    unsigned routes = kList | kShow | kCreate | kUpdate;
    std::optional<Parent> parent;
    // Accepts filter[psa_id] with filter[psa_integration_type] (API.md section 4).
    bool psa_filters = false;
    std::vector<ToMany> to_many;
    std::vector<CustomFilter> custom_filters;
    // Writes are recorded in the activity log (activity_events).
    bool audited = true;
    // The kebab-case attribute searched by /api/search_results ("name"); empty: the
    // resource is not searchable. Never a secret.
    std::string search_title;
    std::vector<Action> actions;
    std::vector<SecretField> secrets;
    // Filters a list must carry (API.md: flexible assets need their type): 400 without.
    std::vector<std::string> required_filters;
    // The flat POST also takes data[] (R6), not only the nested one.
    bool flat_create_array = false;
    // A condition over `t` every row of this resource meets: several definitions can
    // share one table ("t.resource_type = 'configurations'" for the attachments of each
    // kind of record). Empty: none.
    std::string scope_sql;
    // Rows shared by every account, without account_id: the read-only reference lists
    // (countries, regions, platforms, operating systems). Only list and show routes.
    bool global = false;
    std::vector<RawGet> raw_gets;
    // Turns a body of another media type (multipart/form-data) into the JSON:API JSON
    // text of a create; null: only JSON bodies are accepted (415 otherwise).
    std::function<Result<std::string>(const http::Request&)> body_adapter;
    Hooks hooks;
    // The role rules the resource follows (api/access.hpp, docs/ACCESS.md).
    AccessClass access = AccessClass::kDocumentation;
    // The SQL expression over `t` of the organization a record belongs to, for the
    // organization access lists; derived by Finalise() for organizations (t.id) and for
    // tables with an organization_id column. Empty: the records follow the role only.
    std::string organization_sql;
    // Records can be restricted (the `restricted` boolean column) to the users and groups
    // in allowed-user-ids and allowed-group-ids, which the engine adds and stores.
    bool restrictable = false;

    // Derives type and keys and fills default select/column expressions.
    // MORTAR_CHECKs the definition (unique names, refs have a table).
    void Finalise();
    const Field* FindField(std::string_view snake_name) const;
};

}  // namespace mortar::api
