// SPDX-License-Identifier: AGPL-3.0-or-later
// Checklists (API.md 3.12, SPEC DOC-6): the ordered steps a technician ticks off for a
// client (onboarding a user, a monthly check), optionally made from a template. Each
// item can be completed and un-completed; completion records who (the API key) and
// when. A checklist is complete when all of its items are.
#include <algorithm>
#include <string>
#include <vector>

#include "core/json_writer.hpp"
#include "core/strings.hpp"
#include "domains/common.hpp"
#include "jsonapi/body.hpp"

namespace mortar::domains {
namespace {

constexpr db::Query kChecklistItems{
    "checklists.items", "SELECT items FROM checklists WHERE account_id = $1 AND id = $2"};
constexpr db::Query kTemplateItems{
    "checklist_templates.items", "SELECT items FROM checklist_templates WHERE account_id = $1 AND id = $2"};
constexpr std::size_t kMaxItems = 500;

struct Item {
    int64_t id = 0;
    std::string name;
    int64_t position = 0;
    bool completed = false;
    std::optional<std::string> completed_at;
    std::optional<int64_t> completed_by_key_id;
};

std::string Serialise(const std::vector<Item>& items, bool with_state) {
    json::Writer w;
    w.BeginArray();
    for (const Item& item : items) {
        w.BeginObject();
        w.Key("id");
        w.Int(item.id);
        w.Key("name");
        w.String(item.name);
        w.Key("position");
        w.Int(item.position);
        if (with_state) {
            w.Key("completed");
            w.Bool(item.completed);
            w.Key("completed-at");
            item.completed_at ? w.String(*item.completed_at) : w.Null();
            w.Key("completed-by-key-id");
            item.completed_by_key_id ? w.Int(*item.completed_by_key_id) : w.Null();
        }
        w.EndObject();
    }
    w.EndArray();
    return w.Take();
}

// Reads stored items (always well-formed: written by Serialise).
std::vector<Item> Parse(std::string_view stored) {
    std::vector<Item> items;
    auto doc = json::Parse(stored);
    if (!doc || !doc->is_array()) return items;
    for (const json::Value& v : doc->as_array()) {
        Item item;
        if (const json::Value* x = v.Find("id"); x && x->is_int()) item.id = x->as_int();
        if (const json::Value* x = v.Find("name"); x && x->is_string()) item.name = x->as_string();
        if (const json::Value* x = v.Find("position"); x && x->is_int()) item.position = x->as_int();
        if (const json::Value* x = v.Find("completed"); x && x->is_bool()) item.completed = x->as_bool();
        if (const json::Value* x = v.Find("completed-at"); x && x->is_string()) item.completed_at = x->as_string();
        if (const json::Value* x = v.Find("completed-by-key-id"); x && x->is_int())
            item.completed_by_key_id = x->as_int();
        items.push_back(std::move(item));
    }
    return items;
}

// Checks the items of a body: an array of {name*, position, id}; keys in either spelling.
// Items keep the order of their positions (then of the body); ids and completion state
// are assigned when the checklist is written.
Result<std::vector<Item>> ReadItems(const json::Value& value, const std::string& pointer) {
    if (!value.is_array()) return Status::Unprocessable("must be an array", pointer);
    if (value.as_array().size() > kMaxItems) return Status::Unprocessable("has too many items (at most 500)", pointer);
    std::vector<Item> items;
    std::size_t idx = 0;
    for (const json::Value& v : value.as_array()) {
        const std::string at = pointer + "/" + std::to_string(idx);
        if (!v.is_object()) return Status::Unprocessable("must be an object", at);
        Item item;
        item.position = static_cast<int64_t>(++idx);
        for (const auto& [raw, field] : v.as_object()) {
            const std::string key = DashToUnderscore(raw);
            if (key == "name") {
                auto s = jsonapi::ReadString(field);
                if (!s) return Status::Unprocessable(s.status().message(), at + "/name");
                if (*s) item.name = std::string(Trim(**s));
            } else if (key == "position" || key == "id") {
                auto n = jsonapi::ReadInt(field);
                if (!n) return Status::Unprocessable(n.status().message(), at + "/" + raw);
                if (*n) (key == "id" ? item.id : item.position) = **n;
            }
        }
        if (item.name.empty()) return Status::Unprocessable("can't be blank", at + "/name");
        if (item.name.size() > 1000)
            return Status::Unprocessable("is too long (maximum is 1000 characters)", at + "/name");
        items.push_back(std::move(item));
    }
    std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) { return a.position < b.position; });
    for (std::size_t i = 0; i < items.size(); ++i) items[i].position = static_cast<int64_t>(i + 1);
    return items;
}

Result<std::string> StoredItems(db::Tx& tx, const db::Query& q, int64_t account_id, int64_t id) {
    auto stmt = tx.Prepare(q);
    if (!stmt) return stmt.status();
    stmt->Bind(1, account_id).Bind(2, id);
    auto step = stmt->Step();
    if (!step) return step.status();
    if (!*step) return Status::NotFound("record");
    return std::string(stmt->row().GetText(0));
}

// The checklist's completion time: the last item's, once every item is complete.
api::ColumnValue CompletedAt(const std::vector<Item>& items) {
    std::optional<std::string> last;
    for (const Item& item : items) {
        if (!item.completed || !item.completed_at) return db::Null{};
        if (!last || *item.completed_at > *last) last = item.completed_at;
    }
    return last ? api::ColumnValue(*last) : api::ColumnValue(db::Null{});
}

void StoreItems(api::WriteContext& wc, const std::vector<Item>& items) {
    wc.Set("items", Serialise(items, true));
    wc.Set("completed_at", CompletedAt(items));
}

// Items given on create or update replace the list: an item naming the id of an existing
// item keeps its completion; new items get fresh ids. A create from a template without
// items copies the template's items.
Status BeforeChecklistWrite(db::Tx& tx, api::WriteContext& wc) {
    const json::Value* given = wc.input->Attr("items");
    std::vector<Item> current;
    if (wc.id) {
        auto stored = StoredItems(tx, kChecklistItems, wc.account_id, *wc.id);
        if (!stored) return stored.status();
        current = Parse(*stored);
    }
    std::vector<Item> items;
    if (given && !given->is_null()) {
        auto read = ReadItems(*given, wc.Pointer("items"));
        if (!read) return read.status();
        items = std::move(*read);
    } else if (wc.create) {
        const api::ColumnValue* tmpl = wc.Get("checklist_template_id");
        if (const auto* template_id = tmpl ? std::get_if<int64_t>(tmpl) : nullptr) {
            auto stored = StoredItems(tx, kTemplateItems, wc.account_id, *template_id);
            if (!stored) return stored.status();
            items = Parse(*stored);
            for (Item& item : items) item.id = 0;
        }
    } else {
        return Status::Ok();
    }
    int64_t next_id = 1;
    for (const Item& c : current) next_id = std::max(next_id, c.id + 1);
    for (Item& item : items) {
        auto kept = std::find_if(current.begin(), current.end(), [&](const Item& c) {
            return item.id != 0 && c.id == item.id;
        });
        if (kept != current.end()) {
            item.completed = kept->completed;
            item.completed_at = kept->completed_at;
            item.completed_by_key_id = kept->completed_by_key_id;
        } else {
            item.id = next_id++;
            item.completed = false;
            item.completed_at.reset();
            item.completed_by_key_id.reset();
        }
    }
    StoreItems(wc, items);
    return Status::Ok();
}

// PATCH /api/checklists/{id}/items/{item_id}/complete (or /uncomplete).
api::Action ItemAction(const char* name, bool complete) {
    return api::Action{
        .name = std::string("items/{item_id}/") + name,
        .apply = [complete](db::Tx& tx, api::WriteContext& wc) -> Status {
            const auto item_id = ParseInt64(wc.PathParam("item_id"));
            auto stored = StoredItems(tx, kChecklistItems, wc.account_id, *wc.id);
            if (!stored) return stored.status();
            std::vector<Item> items = Parse(*stored);
            auto it =
                std::find_if(items.begin(), items.end(), [&](const Item& i) { return item_id && i.id == *item_id; });
            if (it == items.end()) {
                return Status::NotFound("checklist item " + std::string(wc.PathParam("item_id")) + " not found");
            }
            it->completed = complete;
            if (complete) {
                it->completed_at = wc.now;
                it->completed_by_key_id = wc.actor_key_id > 0 ? std::optional<int64_t>(wc.actor_key_id) : std::nullopt;
            } else {
                it->completed_at.reset();
                it->completed_by_key_id.reset();
            }
            StoreItems(wc, items);
            return Status::Ok();
        },
        .op = api::Op::kComplete};
}

}  // namespace

api::ResourceDef MakeChecklistTemplates() {
    using api::Field;
    api::ResourceDef def;
    def.path = "checklist_templates";
    def.table = "checklist_templates";
    def.fields = {
        Field::Text("name").Required().Filterable().Sortable(),
        Field::LongText("description"),
        Field::Json(
            "items",
            [](const json::Value& v, const std::string& pointer) -> Result<std::string> {
                auto items = ReadItems(v, pointer);
                if (!items) return items.status();
                for (std::size_t i = 0; i < items->size(); ++i) (*items)[i].id = static_cast<int64_t>(i + 1);
                return Serialise(*items, false);
            }
        ),
    };
    AddTimestamps(def.fields);
    def.routes = api::kList | api::kShow | api::kCreate | api::kUpdate | api::kDeleteOne;
    def.access = api::AccessClass::kConfiguration;
    return def;
}

api::ResourceDef MakeChecklists() {
    using api::Field;
    using api::FieldKind;
    api::ResourceDef def;
    def.path = "checklists";
    def.table = "checklists";
    def.joins =
        std::string(kJoinOrganization) + " LEFT JOIN checklist_templates ctp ON ctp.id = t.checklist_template_id";
    AddOrganization(def.fields);
    def.fields.insert(
        def.fields.end(),
        {
            Field::Text("name").Required().Filterable().Sortable(),
            Field::LongText("description"),
            Field::Ref("checklist_template_id", "checklist_templates").Filterable(),
            Field::Computed("checklist_template_name", FieldKind::kText, "ctp.name"),
            Field::Date("due_date").Sortable(),
            // Read through the hook: the body's items are merged with the stored ones.
            Field::Computed("items", FieldKind::kJson, "t.items").Logged(),
            Field::Timestamp("completed_at").ReadOnly().Sortable(),
        }
    );
    AddTimestamps(def.fields);
    def.routes = kFlatRecordRoutes;
    def.search_title = "name";
    def.hooks.before_write = BeforeChecklistWrite;
    def.actions.push_back(ItemAction("complete", true));
    def.actions.push_back(ItemAction("uncomplete", false));
    def.parent = api::Parent{
        .path = "organizations", .table = "organizations", .field = "organization_id", .routes = kNestedRecordRoutes};
    return def;
}

}  // namespace mortar::domains
