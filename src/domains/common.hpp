// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/resource.hpp"

// Field sets and joins shared by several resources.
namespace mortar::domains {

// created-at and updated-at: read-only, sortable, filterable by range ("2024-01-01,*").
inline void AddTimestamps(std::vector<api::Field>& fields) {
    fields.push_back(api::Field::Timestamp("created_at").ReadOnly().Sortable().Filterable());
    fields.push_back(api::Field::Timestamp("updated_at").ReadOnly().Sortable().Filterable());
}

// organization-id (required, filterable) and organization-name through the join "o".
inline void AddOrganization(std::vector<api::Field>& fields) {
    fields.push_back(api::Field::Ref("organization_id", "organizations").Required().Filterable());
    fields.push_back(api::Field::Computed("organization_name", api::FieldKind::kText, "o.name"));
}
inline constexpr const char* kJoinOrganization = " LEFT JOIN organizations o ON o.id = t.organization_id";

// A Mortar-side column differing from the attribute name ("primary" is a reserved word).
inline api::Field Renamed(api::Field f, const char* column) {
    f.column = column;
    f.select = std::string("t.") + column;
    return f;
}

// The parts of the routes each kind of resource offers.
inline constexpr unsigned kFlatRecordRoutes =
    api::kList | api::kShow | api::kCreate | api::kUpdate | api::kBulkUpdate | api::kBulkDelete | api::kDeleteOne;
inline constexpr unsigned kNestedRecordRoutes =
    api::kList | api::kShow | api::kCreate | api::kUpdate | api::kBulkDelete | api::kDeleteOne;

// The integer in the first column of the row `query` finds with $1 = account id and
// $2 = id: nullopt when that column is NULL, kNotFound when there is no row.
Result<std::optional<int64_t>> LookupInt(db::Tx& tx, const db::Query& query, int64_t account_id, int64_t id);

// A contact's e-mail (phones: false) or phone entries checked and stored as the contacts
// resource stores them: [{"value", "label-name", "primary"[, "extension", "label-type",
// "formatted-value"]}], for writers outside the resource engine (the sync engine).
Result<std::string> NormaliseContactEntries(const json::Value& entries, bool phones);

api::ResourceDef MakeOrganizations();
api::ResourceDef MakeLocations();
api::ResourceDef MakeContacts();
std::vector<api::ResourceDef> MakeLookups();
api::ResourceDef MakeModels();
api::ResourceDef MakeConfigurations();
api::ResourceDef MakeConfigurationInterfaces();
api::ResourceDef MakeActivityEvents();
api::ResourceDef MakeChecklistTemplates();
api::ResourceDef MakeChecklists();
api::ResourceDef MakePasswordCategories();
api::ResourceDef MakePasswords();
api::ResourceDef MakeDocumentFolders();
api::ResourceDef MakeDocuments();
api::ResourceDef MakeFlexibleAssetTypes();
api::ResourceDef MakeFlexibleAssetFields();
api::ResourceDef MakeFlexibleAssets();
// Countries, regions, platforms and operating systems (reference_lists.cpp).
std::vector<api::ResourceDef> MakeReferenceLists();
// Location writes: country and region exist, and the region is one of the country's.
Status CheckLocationPlace(db::Tx& tx, api::WriteContext& wc);
Status CheckOperatingSystem(db::Tx& tx, const api::WriteContext& wc);

// The attachments of each kind of record that carries them (attachments.cpp).
std::vector<api::ResourceDef> MakeAttachments();
// Makes deleting a record that carries attachments delete them too.
void DeleteAttachmentsWithRecords(std::vector<api::ResourceDef>& defs);

// A file given as {"content": "<base64>", "file_name": "x.pdf"}, checked and re-encoded.
struct AttachmentFile {
    std::string file_name;
    std::string ext;
    std::string content_type;
    bool viewable = false;
    std::size_t size = 0;  // decoded bytes
    std::string base64;
};
Result<AttachmentFile> ReadAttachmentFile(const json::Value& attachment, const std::string& pointer);
// Stores a new attachment of the record (resource_type is its API path) and returns its id.
Result<int64_t> InsertAttachment(
    db::Tx& tx,
    int64_t account_id,
    std::string_view resource_type,
    int64_t resource_id,
    std::optional<int64_t> field_id,
    const AttachmentFile& file,
    const std::string& now
);
Status DeleteAttachmentsOf(db::Tx& tx, int64_t account_id, std::string_view resource_type, int64_t resource_id);

}  // namespace mortar::domains
