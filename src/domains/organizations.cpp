// SPDX-License-Identifier: AGPL-3.0-or-later
// Organizations (API.md 3.1): the MSP's clients, and the MSP itself. Everything else an
// MSP documents belongs to one. An organization may have a parent (a client's
// subsidiary); `ancestor-ids` lists the chain from the top, e.g. "[1,6]".
#include <string>
#include <vector>

#include "api/psa_links.hpp"
#include "core/strings.hpp"
#include "domains/common.hpp"

namespace mortar::domains {
namespace {

constexpr db::Query kAncestors{
    "organizations.ancestors", "SELECT ancestor_ids FROM organizations WHERE account_id = $1 AND id = $2"};
constexpr db::Query kChildren{
    "organizations.children", "SELECT id FROM organizations WHERE account_id = $1 AND parent_id = $2"};
constexpr db::Query kSetAncestors{
    "organizations.set_ancestors", "UPDATE organizations SET ancestor_ids = $3 WHERE account_id = $1 AND id = $2"};

// Parses "[1,6]" into ids.
std::vector<int64_t> ParseIdList(std::string_view text) {
    std::vector<int64_t> ids;
    if (text.size() < 2) return ids;
    for (std::string_view piece : Split(text.substr(1, text.size() - 2), ',')) {
        if (auto id = ParseInt64(Trim(piece))) ids.push_back(*id);
    }
    return ids;
}

std::string FormatIdList(const std::vector<int64_t>& ids) {
    std::string out = "[";
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (i > 0) out += ',';
        out += std::to_string(ids[i]);
    }
    return out + "]";
}

Result<std::vector<int64_t>> Ancestors(db::Tx& tx, int64_t account_id, int64_t id) {
    auto stmt = tx.Prepare(kAncestors);
    if (!stmt) return stmt.status();
    stmt->Bind(1, account_id).Bind(2, id);
    auto step = stmt->Step();
    if (!step) return step.status();
    if (!*step) return Status::NotFound("organization " + std::to_string(id) + " not found");
    return ParseIdList(stmt->row().GetText(0));
}

// Sets ancestor_ids from the parent, refusing a parent that would close a cycle.
Status DeriveAncestors(db::Tx& tx, api::WriteContext& wc) {
    const api::ColumnValue* parent = wc.Get("parent_id");
    if (!parent) return Status::Ok();
    const auto* parent_id = std::get_if<int64_t>(parent);
    if (!parent_id) {
        wc.Set("ancestor_ids", std::string("[]"));
        return Status::Ok();
    }
    auto chain = Ancestors(tx, wc.account_id, *parent_id);
    if (!chain) return chain.status();
    if (wc.id) {
        bool cycle = *parent_id == *wc.id;
        for (int64_t a : *chain) cycle = cycle || a == *wc.id;
        if (cycle)
            return Status::Unprocessable(
                "can't be the organization itself or one of its descendants", wc.Pointer("parent_id")
            );
    }
    chain->push_back(*parent_id);
    wc.Set("ancestor_ids", FormatIdList(*chain));
    return Status::Ok();
}

// After a parent change, every descendant's chain changes too.
Status UpdateDescendants(db::Tx& tx, const api::WriteContext& wc, int64_t id) {
    if (wc.create || !wc.Get("parent_id")) return Status::Ok();
    std::vector<int64_t> pending{id};
    std::size_t guard = 0;
    while (!pending.empty()) {
        const int64_t node = pending.back();
        pending.pop_back();
        MORTAR_CHECK(++guard < 1'000'000, "organization hierarchy walk did not terminate");
        auto chain = Ancestors(tx, wc.account_id, node);
        if (!chain) return chain.status();
        chain->push_back(node);
        const std::string child_chain = FormatIdList(*chain);
        std::vector<int64_t> children;
        {
            auto stmt = tx.Prepare(kChildren);
            if (!stmt) return stmt.status();
            stmt->Bind(1, wc.account_id).Bind(2, node);
            while (true) {
                auto step = stmt->Step();
                if (!step) return step.status();
                if (!*step) break;
                children.push_back(stmt->row().GetInt(0));
            }
        }
        for (int64_t child : children) {
            auto set = tx.Prepare(kSetAncestors);
            if (!set) return set.status();
            set->Bind(1, wc.account_id).Bind(2, child).Bind(3, std::string_view(child_chain));
            if (auto n = set->Execute(); !n) return n.status();
            pending.push_back(child);
        }
    }
    return Status::Ok();
}

}  // namespace

api::ResourceDef MakeOrganizations() {
    using api::Field;
    using api::FieldKind;
    api::ResourceDef def;
    def.path = "organizations";
    def.table = "organizations";
    def.joins =
        " LEFT JOIN organization_types ot ON ot.id = t.organization_type_id"
        " LEFT JOIN organization_statuses os ON os.id = t.organization_status_id";
    def.fields = {
        Field::Text("name").Required().Filterable().Sortable(),
        Field::LongText("alert"),
        Field::LongText("description"),
        Field::LongText("quick_notes").TruncateInLists(250),
        Field::Text("short_name").Sortable(),
        Field::Ref("organization_type_id", "organization_types").Filterable(),
        Field::Computed("organization_type_name", FieldKind::kText, "ot.name").Sortable(),
        Field::Ref("organization_status_id", "organization_statuses").Filterable(),
        Field::Computed("organization_status_name", FieldKind::kText, "os.name").Sortable(),
        Field::Ref("parent_id", "organizations").Filterable(),
        Field::Computed("ancestor_ids", FieldKind::kText, "t.ancestor_ids"),
        Renamed(Field::Bool("primary"), "is_primary").ReadOnly().Filterable(),
        Field::Computed("logo", FieldKind::kText, "NULL").EmptyStringForNull(),
        Field::Int("my_glue_account_id").ReadOnly().Filterable().Sortable(),
        Field::Computed("psa_integration", FieldKind::kText, api::PsaIntegrationSelect("organizations")),
    };
    AddTimestamps(def.fields);
    def.routes = kFlatRecordRoutes;
    def.psa_filters = true;
    def.search_title = "name";
    // While synced from a PSA only alert, description and quick-notes stay editable
    // (API.md 2.9), and the organization cannot be deleted (SPEC SYNC-4, SYNC-5).
    def.hooks.before_write = api::ChainHooks<std::function<Status(db::Tx&, api::WriteContext&)>>(
        api::RefusePsaOwnedChanges(
            "organizations",
            "organizations",
            {{"name", "name"},
             {"short_name", "short_name"},
             {"organization_type_id", "organization_type_id"},
             {"organization_status_id", "organization_status_id"},
             {"parent_id", "parent_id"}}
        ),
        DeriveAncestors
    );
    def.hooks.before_delete = api::RefuseSyncedDelete(
        "organizations", {{"locations", "locations"}, {"contacts", "contacts"}, {"configurations", "configurations"}}
    );
    def.hooks.after_write = UpdateDescendants;
    def.access = api::AccessClass::kOrganizations;
    return def;
}

}  // namespace mortar::domains
