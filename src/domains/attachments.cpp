// SPDX-License-Identifier: AGPL-3.0-or-later
// Attachments (API.md 3.13): files kept with a documentation record — a configuration's
// invoice, a document's network diagram, the export a flexible asset's Upload field
// holds. They live under the record they belong to,
// /api/<resource_type>/<id>/relationships/attachments, as one resource definition per
// kind of record sharing the `attachments` table. Content arrives base64-encoded in JSON
// (attributes.attachment {content, file_name}) or as multipart/form-data, is stored
// base64-encoded in the row and is served by .../attachments/<id>/download.
#include <algorithm>
#include <string>
#include <vector>

#include <sodium.h>

#include "core/json_writer.hpp"
#include "core/strings.hpp"
#include "domains/common.hpp"
#include "http/request.hpp"
#include "http/response.hpp"
#include "jsonapi/body.hpp"

namespace mortar::domains {
namespace {

// The kinds of record that carry attachments, by their API path (and table).
constexpr std::string_view kAttachable[] = {
    "checklists",
    "checklist_templates",
    "configurations",
    "contacts",
    "documents",
    "locations",
    "passwords",
    "flexible_assets"};

struct KnownType {
    std::string_view ext;
    std::string_view content_type;
    bool viewable;  // shown in the browser (images, PDF, text) rather than only downloaded
};
constexpr KnownType kKnownTypes[] = {
    {"pdf", "application/pdf", true},
    {"png", "image/png", true},
    {"jpg", "image/jpeg", true},
    {"jpeg", "image/jpeg", true},
    {"gif", "image/gif", true},
    {"webp", "image/webp", true},
    {"bmp", "image/bmp", true},
    {"txt", "text/plain", true},
    {"log", "text/plain", true},
    {"csv", "text/csv", true},
    {"json", "application/json", true},
    {"svg", "image/svg+xml", false},
    {"xml", "application/xml", false},
    {"html", "text/html", false},
    {"htm", "text/html", false},
    {"zip", "application/zip", false},
    {"7z", "application/x-7z-compressed", false},
    {"gz", "application/gzip", false},
    {"doc", "application/msword", false},
    {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", false},
    {"xls", "application/vnd.ms-excel", false},
    {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", false},
    {"ppt", "application/vnd.ms-powerpoint", false},
    {"pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", false},
    {"msg", "application/vnd.ms-outlook", false},
    {"eml", "message/rfc822", false},
    {"cer", "application/pkix-cert", false},
    {"crt", "application/x-x509-ca-cert", false},
    {"pem", "application/x-pem-file", false},
    {"vsdx", "application/vnd.ms-visio.drawing", false},
};

// The largest file accepted, decoded. Requests are also bounded by --max-body-bytes.
constexpr std::size_t kMaxFileBytes = 64u << 20;

std::string Extension(std::string_view file_name) {
    const auto dot = file_name.rfind('.');
    if (dot == std::string_view::npos || dot + 1 == file_name.size()) return {};
    return ToLower(file_name.substr(dot + 1));
}

const KnownType* TypeOf(std::string_view ext) {
    for (const KnownType& t : kKnownTypes) {
        if (t.ext == ext) return &t;
    }
    return nullptr;
}

// A file name as stored: no directory part, no control characters, at most 255 bytes.
Result<std::string> CleanFileName(std::string_view raw, const std::string& pointer) {
    const auto slash = raw.find_last_of("/\\");
    if (slash != std::string_view::npos) raw = raw.substr(slash + 1);
    std::string name;
    for (char ch : raw) {
        if (static_cast<unsigned char>(ch) >= 0x20 && ch != 0x7f) name += ch;
    }
    name = std::string(Trim(name));
    if (name.empty() || name == "." || name == "..") return Status::Unprocessable("can't be blank", pointer);
    if (name.size() > 255 || !IsValidUtf8(name)) return Status::Unprocessable("must be a file name", pointer);
    return name;
}

Result<std::string> DecodeBase64(std::string_view text, const std::string& pointer) {
    std::string out(text.size() / 4 * 3 + 3, '\0');
    std::size_t len = 0;
    const char* end = nullptr;
    // Line breaks and spaces (MIME-style wrapping) are skipped; padding is optional.
    if (sodium_base642bin(
            reinterpret_cast<unsigned char*>(out.data()),
            out.size(),
            text.data(),
            text.size(),
            " \r\n\t",
            &len,
            &end,
            sodium_base64_VARIANT_ORIGINAL
        ) != 0 ||
        end != text.data() + text.size()) {
        // Some clients send URL-safe base64.
        if (sodium_base642bin(
                reinterpret_cast<unsigned char*>(out.data()),
                out.size(),
                text.data(),
                text.size(),
                " \r\n\t=",
                &len,
                &end,
                sodium_base64_VARIANT_URLSAFE_NO_PADDING
            ) != 0 ||
            end != text.data() + text.size()) {
            return Status::Unprocessable("must be base64-encoded file content", pointer);
        }
    }
    out.resize(len);
    return out;
}

// ---------------------------------------------------------------------------------
// multipart/form-data (RFC 7578): the part named "attachment" (or "file") is the file,
// a part named "name" the attachment's name.

std::string_view HeaderParam(std::string_view header, std::string_view param) {
    for (std::string_view piece : Split(header, ';')) {
        piece = Trim(piece);
        const auto eq = piece.find('=');
        if (eq == std::string_view::npos || ToLower(Trim(piece.substr(0, eq))) != param) continue;
        std::string_view value = Trim(piece.substr(eq + 1));
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
        return value;
    }
    return {};
}

Result<std::string> MultipartToJson(const http::Request& req) {
    const std::string_view boundary = HeaderParam(req.Header("content-type"), "boundary");
    if (boundary.empty() || boundary.size() > 70) {
        return Status::InvalidArgument("multipart/form-data needs a boundary parameter");
    }
    const std::string delimiter = "--" + std::string(boundary);
    std::string_view body = req.body;
    std::optional<std::string> file_name, content, name;
    std::size_t pos = body.find(delimiter);
    if (pos == std::string_view::npos) return Status::InvalidArgument("malformed multipart body: no boundary");
    while (true) {
        pos += delimiter.size();
        if (body.substr(pos, 2) == "--") break;  // the closing delimiter
        if (body.substr(pos, 2) != "\r\n") return Status::InvalidArgument("malformed multipart body");
        pos += 2;
        const std::size_t headers_end = body.find("\r\n\r\n", pos);
        if (headers_end == std::string_view::npos) return Status::InvalidArgument("malformed multipart part headers");
        std::string_view disposition;
        for (std::string_view line : Split(body.substr(pos, headers_end - pos), '\n')) {
            line = Trim(line);
            const auto colon = line.find(':');
            if (colon != std::string_view::npos && ToLower(Trim(line.substr(0, colon))) == "content-disposition") {
                disposition = line.substr(colon + 1);
            }
        }
        const std::size_t data_start = headers_end + 4;
        const std::size_t next = body.find("\r\n" + delimiter, data_start);
        if (next == std::string_view::npos)
            return Status::InvalidArgument("malformed multipart body: unterminated part");
        const std::string_view data = body.substr(data_start, next - data_start);
        const std::string_view field = HeaderParam(disposition, "name");
        if (field == "attachment" || field == "file" || field == "attachment[content]") {
            file_name = std::string(HeaderParam(disposition, "filename"));
            content = std::string(data);
        } else if (field == "name") {
            name = std::string(data);
        }
        pos = next + 2;
    }
    if (!content)
        return Status::Unprocessable("a multipart upload needs a part named attachment", "/data/attributes/attachment");
    json::Writer w;
    w.BeginObject();
    w.Key("data");
    w.BeginObject();
    w.Key("type");
    w.String("attachments");
    w.Key("attributes");
    w.BeginObject();
    if (name) {
        w.Key("name");
        w.String(*name);
    }
    w.Key("attachment");
    w.BeginObject();
    w.Key("content");
    w.String(Base64Encode(*content));
    w.Key("file_name");
    w.String(file_name.value_or(""));
    w.EndObject();
    w.EndObject();
    w.EndObject();
    w.EndObject();
    return w.Take();
}

// ---------------------------------------------------------------------------------

constexpr db::Query kInsertAttachment{
    "attachments.insert",
    "INSERT INTO attachments (account_id, resource_type, resource_id, flexible_asset_field_id, name, file_name, "
    "content_type, file_size, ext, viewable, content, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id"};
constexpr db::Query kAttachmentContent{
    "attachments.content",
    "SELECT file_name, content_type, content FROM attachments WHERE account_id = $1 AND id = $2"};
constexpr db::Query kDeleteAttachmentsOf{
    "attachments.delete_of",
    "DELETE FROM attachments WHERE account_id = $1 AND resource_type = $2 AND resource_id = $3"};

// Sets the file columns of an attachment write from an AttachmentFile.
void SetFileColumns(api::WriteContext& wc, const AttachmentFile& file) {
    wc.Set("file_name", file.file_name);
    wc.Set("content_type", file.content_type);
    wc.Set("file_size", static_cast<int64_t>(file.size));
    wc.Set("ext", file.ext);
    wc.Set("viewable", file.viewable);
    wc.Set("content", file.base64);
}

Status BeforeAttachmentWrite(std::string_view resource_type, api::WriteContext& wc) {
    const json::Value* attachment = wc.input->Attr("attachment");
    if (wc.create) {
        wc.Set("resource_type", std::string(resource_type));
        if (!attachment || attachment->is_null()) {
            return Status::Unprocessable("can't be blank", wc.Pointer("attachment"));
        }
    }
    if (attachment && !attachment->is_null()) {
        auto file = ReadAttachmentFile(*attachment, wc.Pointer("attachment"));
        if (!file) return file.status();
        SetFileColumns(wc, *file);
        const auto* name = wc.Get("name");
        if (wc.create && (!name || !std::holds_alternative<std::string>(*name))) wc.Set("name", file->file_name);
    }
    if (const auto* name = wc.Get("name"); name && !std::holds_alternative<std::string>(*name)) {
        return Status::Unprocessable("can't be blank", wc.Pointer("name"));
    }
    return Status::Ok();
}

Result<http::Response> Download(db::Tx& tx, int64_t account_id, int64_t id) {
    auto stmt = tx.Prepare(kAttachmentContent);
    if (!stmt) return stmt.status();
    stmt->Bind(1, account_id).Bind(2, id);
    auto step = stmt->Step();
    if (!step) return step.status();
    if (!*step) return Status::NotFound("attachment " + std::to_string(id) + " not found");
    const db::Row& r = stmt->row();
    auto bytes = DecodeBase64(r.GetText(2), "");
    if (!bytes) return Status::Internal("stored attachment content is not base64");
    const std::string file_name(r.GetText(0));
    // An ASCII fallback name and the exact UTF-8 name (RFC 6266).
    std::string ascii;
    std::string encoded;
    static constexpr char kHex[] = "0123456789ABCDEF";
    for (char ch : file_name) {
        const auto c = static_cast<unsigned char>(ch);
        ascii += (c >= 0x20 && c < 0x7f && ch != '"' && ch != '\\') ? ch : '_';
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || ch == '.' || ch == '-' ||
            ch == '_') {
            encoded += ch;
        } else {
            encoded += '%';
            encoded += kHex[c >> 4];
            encoded += kHex[c & 15];
        }
    }
    http::Response response;
    response.status = 200;
    response.body = std::move(*bytes);
    response.SetHeader("Content-Type", std::string(r.GetText(1)));
    response.SetHeader("Content-Disposition", "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded);
    // The bytes are the customer's, not Mortar's: never sniffed, never run as a page.
    response.SetHeader("X-Content-Type-Options", "nosniff");
    response.SetHeader("Content-Security-Policy", "default-src 'none'; sandbox");
    response.SetHeader("Cache-Control", "private, no-store");
    return response;
}

api::ResourceDef MakeAttachmentsOf(std::string_view resource_type) {
    using api::Field;
    using api::FieldKind;
    api::ResourceDef def;
    def.path = "attachments";
    def.table = "attachments";
    def.fields = {
        Field::Int("resource_id").Filterable(),
        Field::Text("resource_type").ReadOnly(),
        Field::Text("name").Filterable().Sortable(),
        Field::Computed("attachment_file_name", FieldKind::kText, "t.file_name"),
        Field::Computed("attachment_content_type", FieldKind::kText, "t.content_type"),
        Field::Computed("attachment_file_size", FieldKind::kInt, "t.file_size"),
        Field::Computed("ext", FieldKind::kText, "t.ext"),
        Field::Computed("viewable", FieldKind::kBool, "t.viewable"),
        Field::Computed(
            "download_url",
            FieldKind::kText,
            "'api/" + std::string(resource_type) +
                "/' || CAST(t.resource_id AS TEXT) || '/relationships/attachments/' || CAST(t.id AS TEXT) || "
                "'/download'"
        )
            .PublicUrl(),
    };
    AddTimestamps(def.fields);
    def.routes = 0;  // only under the record they belong to
    def.scope_sql = "t.resource_type = '" + std::string(resource_type) + "'";
    def.parent = api::Parent{
        .path = std::string(resource_type),
        .table = std::string(resource_type),
        .field = "resource_id",
        .routes = api::kList | api::kShow | api::kCreate | api::kUpdate | api::kBulkDelete | api::kDeleteOne};
    def.hooks.before_write = [type = std::string(resource_type)](db::Tx&, api::WriteContext& wc) {
        return BeforeAttachmentWrite(type, wc);
    };
    def.raw_gets.push_back(api::RawGet{.name = "download", .render = Download});
    def.body_adapter = MultipartToJson;
    return def;
}

}  // namespace

Result<AttachmentFile> ReadAttachmentFile(const json::Value& attachment, const std::string& pointer) {
    if (!attachment.is_object()) {
        return Status::Unprocessable("must be an object with content and file_name", pointer);
    }
    const json::Value* content = nullptr;
    const json::Value* file_name = nullptr;
    for (const auto& [key, value] : attachment.as_object()) {
        const std::string k = DashToUnderscore(key);
        if (k == "content") content = &value;
        if (k == "file_name") file_name = &value;
    }
    if (!file_name || !file_name->is_string()) return Status::Unprocessable("can't be blank", pointer + "/file_name");
    if (!content || !content->is_string()) return Status::Unprocessable("can't be blank", pointer + "/content");
    auto name = CleanFileName(file_name->as_string(), pointer + "/file_name");
    if (!name) return name.status();
    auto bytes = DecodeBase64(content->as_string(), pointer + "/content");
    if (!bytes) return bytes.status();
    if (bytes->size() > kMaxFileBytes) {
        return Status::Unprocessable(
            "is larger than " + std::to_string(kMaxFileBytes >> 20) + " MiB", pointer + "/content"
        );
    }
    AttachmentFile file;
    file.file_name = std::move(*name);
    file.ext = Extension(file.file_name);
    const KnownType* known = TypeOf(file.ext);
    file.content_type = known ? std::string(known->content_type) : "application/octet-stream";
    file.viewable = known && known->viewable;
    file.size = bytes->size();
    file.base64 = Base64Encode(*bytes);
    return file;
}

Result<int64_t> InsertAttachment(
    db::Tx& tx,
    int64_t account_id,
    std::string_view resource_type,
    int64_t resource_id,
    std::optional<int64_t> field_id,
    const AttachmentFile& file,
    const std::string& now
) {
    auto stmt = tx.Prepare(kInsertAttachment);
    if (!stmt) return stmt.status();
    stmt->Bind(1, account_id).Bind(2, resource_type).Bind(3, resource_id);
    stmt->Bind(4, field_id ? db::Param(*field_id) : db::Param(db::Null{}));
    stmt->Bind(5, std::string_view(file.file_name)).Bind(6, std::string_view(file.file_name));
    stmt->Bind(7, std::string_view(file.content_type)).Bind(8, static_cast<int64_t>(file.size));
    stmt->Bind(9, std::string_view(file.ext)).Bind(10, file.viewable).Bind(11, std::string_view(file.base64));
    stmt->Bind(12, std::string_view(now));
    auto step = stmt->Step();
    if (!step) return step.status();
    if (!*step) return Status::Internal("insert into attachments returned no id");
    return stmt->row().GetInt(0);
}

Status DeleteAttachmentsOf(db::Tx& tx, int64_t account_id, std::string_view resource_type, int64_t resource_id) {
    auto stmt = tx.Prepare(kDeleteAttachmentsOf);
    if (!stmt) return stmt.status();
    stmt->Bind(1, account_id).Bind(2, resource_type).Bind(3, resource_id);
    auto n = stmt->Execute();
    if (!n) return n.status();
    return Status::Ok();
}

std::vector<api::ResourceDef> MakeAttachments() {
    std::vector<api::ResourceDef> defs;
    for (std::string_view type : kAttachable) defs.push_back(MakeAttachmentsOf(type));
    return defs;
}

void DeleteAttachmentsWithRecords(std::vector<api::ResourceDef>& defs) {
    for (api::ResourceDef& def : defs) {
        if (def.path == "attachments") continue;
        if (std::find(std::begin(kAttachable), std::end(kAttachable), def.path) == std::end(kAttachable)) continue;
        auto previous = std::move(def.hooks.before_delete);
        def.hooks.before_delete = [previous = std::move(previous),
                                   type = def.path](db::Tx& tx, int64_t account_id, int64_t id) -> Status {
            if (previous) MORTAR_RETURN_IF_ERROR(previous(tx, account_id, id));
            return DeleteAttachmentsOf(tx, account_id, type, id);
        };
    }
}

}  // namespace mortar::domains
