// SPDX-License-Identifier: AGPL-3.0-or-later
// Documents (API.md 3.11, SPEC DOC-5): the runbooks and procedures a technician writes
// in the rich-text editor, in folders, per organization or global (no organization).
// The HTML is sanitised on the way in, so no script can be stored; publishing records
// when a document was made final.
#include <string>

#include "domains/common.hpp"
#include "sanitize/html_sanitizer.hpp"

namespace mortar::domains {
namespace {

constexpr db::Query kFolderOrganization{
    "document_folders.organization", "SELECT organization_id FROM document_folders WHERE account_id = $1 AND id = $2"};
constexpr db::Query kDocumentOrganization{
    "documents.organization", "SELECT organization_id FROM documents WHERE account_id = $1 AND id = $2"};
constexpr db::Query kFolderParentOrganization{
    "document_folders.parent_organization",
    "SELECT organization_id FROM document_folders WHERE account_id = $1 AND id = $2"};

// The organization a write leaves the record in: from the body, else the stored one.
Result<std::optional<int64_t>> TargetOrganization(db::Tx& tx, const api::WriteContext& wc, const db::Query& current) {
    if (const api::ColumnValue* org = wc.Get("organization_id")) {
        if (const auto* id = std::get_if<int64_t>(org)) return std::optional<int64_t>(*id);
        return std::optional<int64_t>();
    }
    if (!wc.id) return std::optional<int64_t>();
    return LookupInt(tx, current, wc.account_id, *wc.id);
}

// A folder reference must name a folder of the same organization (or a global folder
// for a global record).
Status CheckFolder(
    db::Tx& tx, const api::WriteContext& wc, const char* column, const db::Query& current, std::string_view attr
) {
    const api::ColumnValue* folder = wc.Get(column);
    const auto* folder_id = folder ? std::get_if<int64_t>(folder) : nullptr;
    if (!folder_id) return Status::Ok();
    auto target = TargetOrganization(tx, wc, current);
    if (!target) return target.status();
    auto folder_org = LookupInt(tx, kFolderOrganization, wc.account_id, *folder_id);
    if (!folder_org) return folder_org.status();
    if (*folder_org != *target) {
        return Status::Unprocessable("must be a folder of the same organization", wc.Pointer(attr));
    }
    return Status::Ok();
}

Status BeforeDocumentWrite(db::Tx& tx, api::WriteContext& wc) {
    if (const api::ColumnValue* content = wc.Get("content")) {
        const auto* html = std::get_if<std::string>(content);
        if (html) {
            auto clean = sanitize::SanitizeHtml(*html);
            if (!clean) return Status::Unprocessable(clean.status().message(), wc.Pointer("content"));
            wc.Set("content", std::move(*clean));
        } else {
            wc.Set("content", std::string());
        }
    }
    if (wc.create) {
        wc.Set(
            "created_by_key_id", wc.actor_key_id > 0 ? api::ColumnValue(wc.actor_key_id) : api::ColumnValue(db::Null{})
        );
    }
    wc.Set("updated_by_key_id", wc.actor_key_id > 0 ? api::ColumnValue(wc.actor_key_id) : api::ColumnValue(db::Null{}));
    return CheckFolder(tx, wc, "document_folder_id", kDocumentOrganization, "document_folder_id");
}

Status BeforeFolderWrite(db::Tx& tx, api::WriteContext& wc) {
    const api::ColumnValue* parent = wc.Get("parent_id");
    if (const auto* parent_id = parent ? std::get_if<int64_t>(parent) : nullptr) {
        if (wc.id && *parent_id == *wc.id) {
            return Status::Unprocessable("can't be the folder itself", wc.Pointer("parent_id"));
        }
    }
    return CheckFolder(tx, wc, "parent_id", kFolderParentOrganization, "parent_id");
}

}  // namespace

api::ResourceDef MakeDocumentFolders() {
    using api::Field;
    using api::FieldKind;
    api::ResourceDef def;
    def.path = "document_folders";
    def.table = "document_folders";
    def.joins = kJoinOrganization;
    def.fields = {
        Field::Ref("organization_id", "organizations").Filterable(),
        Field::Computed("organization_name", FieldKind::kText, "o.name"),
        Field::Ref("parent_id", "document_folders").Filterable(),
        Field::Text("name").Required().Filterable().Sortable(),
    };
    AddTimestamps(def.fields);
    def.routes = api::kList | api::kShow | api::kCreate | api::kUpdate | api::kDeleteOne;
    def.hooks.before_write = BeforeFolderWrite;
    def.parent = api::Parent{
        .path = "organizations",
        .table = "organizations",
        .field = "organization_id",
        .routes = api::kList | api::kShow | api::kCreate};
    return def;
}

api::ResourceDef MakeDocuments() {
    using api::Field;
    using api::FieldKind;
    api::ResourceDef def;
    def.path = "documents";
    def.table = "documents";
    def.joins = std::string(kJoinOrganization) + " LEFT JOIN document_folders f ON f.id = t.document_folder_id";
    def.fields = {
        Field::Ref("organization_id", "organizations").Filterable(),
        Field::Computed("organization_name", FieldKind::kText, "o.name"),
        Field::Computed(
            "resource_url",
            FieldKind::kText,
            "coalesce(CAST(t.organization_id AS TEXT), 'global') || '/docs/' || CAST(t.id AS TEXT)"
        )
            .PublicUrl(),
        Field::Text("name").Required().Filterable().Sortable(),
        Field::LongText("content").MaxLength(2 * 1024 * 1024),
        Field::Ref("document_folder_id", "document_folders").Filterable(),
        Field::Computed("document_folder_name", FieldKind::kText, "f.name"),
        Field::Bool("restricted"),
        Field::Bool("archived").Filterable(),
        Field::Bool("public"),
        Field::Bool("published").ReadOnly().Filterable(),
        Field::Timestamp("published_at").ReadOnly(),
        Field::Int("created_by_key_id").ReadOnly(),
        Field::Int("updated_by_key_id").ReadOnly(),
    };
    AddTimestamps(def.fields);
    def.routes = api::kList | api::kShow | api::kCreate | api::kUpdate | api::kBulkUpdate | api::kDeleteOne;
    def.hooks.before_write = BeforeDocumentWrite;
    def.restrictable = true;
    def.search_title = "name";
    def.actions.push_back(api::Action{.name = "publish", .apply = [](db::Tx&, api::WriteContext& wc) {
                                          wc.Set("published", true);
                                          wc.Set("published_at", wc.now);
                                          return Status::Ok();
                                      }});
    def.parent = api::Parent{
        .path = "organizations",
        .table = "organizations",
        .field = "organization_id",
        .routes = api::kList | api::kShow | api::kCreate | api::kUpdate};
    return def;
}

}  // namespace mortar::domains
