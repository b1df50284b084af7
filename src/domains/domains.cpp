// SPDX-License-Identifier: AGPL-3.0-or-later
#include "domains/domains.hpp"

#include <vector>

#include "api/crud.hpp"
#include "api/search.hpp"
#include "domains/common.hpp"

namespace mortar::domains {

Result<std::optional<int64_t>> LookupInt(db::Tx& tx, const db::Query& query, int64_t account_id, int64_t id) {
    auto stmt = tx.Prepare(query);
    if (!stmt) return stmt.status();
    stmt->Bind(1, account_id).Bind(2, id);
    auto step = stmt->Step();
    if (!step) return step.status();
    if (!*step) return Status::NotFound("record " + std::to_string(id) + " not found");
    if (stmt->row().IsNull(0)) return std::optional<int64_t>();
    return std::optional<int64_t>(stmt->row().GetInt(0));
}

void RegisterAll(api::Service& service, http::Router& router) {
    // The definitions live as long as the process: the routes refer to them.
    static const std::vector<api::ResourceDef> defs = [] {
        std::vector<api::ResourceDef> all = MakeLookups();
        for (auto& def : MakeReferenceLists()) all.push_back(std::move(def));
        all.push_back(MakeModels());
        all.push_back(MakeOrganizations());
        all.push_back(MakeLocations());
        all.push_back(MakeContacts());
        all.push_back(MakeConfigurations());
        all.push_back(MakeConfigurationInterfaces());
        all.push_back(MakeActivityEvents());
        all.push_back(MakeChecklistTemplates());
        all.push_back(MakeChecklists());
        all.push_back(MakePasswordCategories());
        all.push_back(MakePasswords());
        all.push_back(MakeDocumentFolders());
        all.push_back(MakeDocuments());
        all.push_back(MakeFlexibleAssetTypes());
        all.push_back(MakeFlexibleAssetFields());
        all.push_back(MakeFlexibleAssets());
        DeleteAttachmentsWithRecords(all);
        for (auto& def : MakeAttachments()) all.push_back(std::move(def));
        for (auto& def : all) def.Finalise();
        // include=flexible_asset_fields on types renders the fields' own resource objects.
        for (auto& def : all) {
            if (def.path != "flexible_asset_types") continue;
            for (const auto& other : all) {
                if (other.path == "flexible_asset_fields") def.to_many.front().target = &other;
            }
        }
        return all;
    }();
    for (const auto& def : defs) api::RegisterResource(service, router, def);
    api::RegisterSearch(service, router);
}

}  // namespace mortar::domains
