// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Attachments (API.md 3.13): files under any record that carries them, uploaded as
// base64 JSON or multipart/form-data, listed, renamed, downloaded byte for byte with safe
// headers, deleted one by one or in bulk. Bad uploads write
// nothing; another record's or another account's attachments are 404.

#include "core/strings.hpp"
#include "resource_test_base.hpp"

namespace mortar::ftest {
namespace {

std::string S(int64_t v) {
    return std::to_string(v);
}

// Every byte value, so encoding and storage are checked on binary content.
std::string BinaryContent() {
    std::string bytes;
    for (int round = 0; round < 3; ++round) {
        for (int b = 0; b < 256; ++b) bytes += static_cast<char>(b);
    }
    return bytes;
}

class AttachmentsTest : public BackendTest {
protected:
    void SetUp() override {
        BackendTest::SetUp();
        if (IsSkipped() || HasFatalFailure()) return;
        org_id_ = CreateId("/api/organizations", "organizations", {{"name", tag_ + " Dental"}});
        const int64_t type = CreateId("/api/configuration_types", "configuration-types", {{"name", tag_ + " Server"}});
        config_ = CreateId(
            "/api/configurations",
            "configurations",
            {{"organization-id", org_id_}, {"name", tag_ + "-FS01"}, {"configuration-type-id", type}}
        );
        other_config_ = CreateId(
            "/api/configurations",
            "configurations",
            {{"organization-id", org_id_}, {"name", tag_ + "-FS02"}, {"configuration-type-id", type}}
        );
        ASSERT_NE(config_, 0);
        base_ = "/api/configurations/" + S(config_) + "/relationships/attachments";
    }
    HttpResponse Upload(const std::string& file_name, std::string_view bytes) {
        return clients_->a.Post(
            base_,
            Doc("attachments", {{"attachment", JObject{{"content", Base64Encode(bytes)}, {"file_name", file_name}}}})
        );
    }
    int64_t org_id_ = 0, config_ = 0, other_config_ = 0;
    std::string base_;
};

TEST_P(AttachmentsTest, UploadListDownloadRenameDelete) {
    const std::string bytes = BinaryContent();
    HttpResponse r = Upload("rack diagram.pdf", bytes);
    ASSERT_TRUE(HasStatus(r, 201)) << r.Describe();
    json::Value a = ValueAt(r.Json(), "data");
    EXPECT_EQ(StringAt(a, "type"), "attachments");
    EXPECT_TRUE(JsonSubset(
        JObject{
            {"name", "rack diagram.pdf"},
            {"attachment-file-name", "rack diagram.pdf"},
            {"attachment-content-type", "application/pdf"},
            {"attachment-file-size", static_cast<int64_t>(bytes.size())},
            {"ext", "pdf"},
            {"viewable", true},
            {"resource-id", config_},
            {"resource-type", "configurations"}},
        ValueAt(a, "attributes")
    )) << a.Dump();
    const int64_t id = IdOf(a);
    const std::string url = StringAt(a, "attributes.download-url");
    EXPECT_EQ(url, server_->base_url() + base_ + "/" + S(id) + "/download");

    HttpResponse download = clients_->a.GetAbsolute(url);
    ASSERT_TRUE(HasStatus(download, 200)) << download.Describe();
    EXPECT_EQ(download.body, bytes) << "byte for byte";
    ASSERT_NE(download.Header("content-type"), nullptr);
    EXPECT_EQ(*download.Header("content-type"), "application/pdf");
    ASSERT_NE(download.Header("content-disposition"), nullptr);
    EXPECT_EQ(
        *download.Header("content-disposition"),
        "attachment; filename=\"rack diagram.pdf\"; filename*=UTF-8''rack%20diagram.pdf"
    );
    ASSERT_NE(download.Header("x-content-type-options"), nullptr);
    EXPECT_EQ(*download.Header("x-content-type-options"), "nosniff");

    HttpResponse list = clients_->a.Get(base_);
    ASSERT_TRUE(HasStatus(list, 200));
    EXPECT_EQ(IdsOf(list.Json()), std::vector<int64_t>{id});
    EXPECT_EQ(list.body.find(Base64Encode(bytes).substr(0, 40)), std::string::npos) << "lists never carry content";

    HttpResponse renamed = clients_->a.Patch(base_ + "/" + S(id), Doc("attachments", {{"name", "Rack (2026)"}}));
    ASSERT_TRUE(HasStatus(renamed, 200)) << renamed.Describe();
    EXPECT_EQ(StringAt(renamed.Json(), "data.attributes.name"), "Rack (2026)");
    EXPECT_EQ(StringAt(renamed.Json(), "data.attributes.attachment-file-name"), "rack diagram.pdf");

    HttpResponse second = Upload("notes.txt", "hello");
    ASSERT_TRUE(HasStatus(second, 201));
    const int64_t second_id = IdOf(ValueAt(second.Json(), "data"));
    HttpResponse bulk = clients_->a.Delete(
        base_, BulkDoc(JArray{JObject{{"type", "attachments"}, {"attributes", JObject{{"id", second_id}}}}})
    );
    ASSERT_TRUE(HasStatus(bulk, 200)) << bulk.Describe();
    EXPECT_EQ(IdsOf(bulk.Json()), std::vector<int64_t>{second_id});
    HttpResponse one = clients_->a.Delete(base_ + "/" + S(id));
    EXPECT_TRUE(HasStatus(one, 204)) << one.Describe();
    EXPECT_TRUE(IsErrorResponse(clients_->a.GetAbsolute(url), 404));
    HttpResponse empty = clients_->a.Get(base_);
    ASSERT_TRUE(HasStatus(empty, 200));
    EXPECT_TRUE(IdsOf(empty.Json()).empty());

    // Every write was logged, without the content.
    HttpResponse events =
        clients_->a.Get("/api/activity_events?filter[resource_type]=attachments&filter[resource_id]=" + S(id));
    ASSERT_TRUE(HasStatus(events, 200));
    EXPECT_EQ(IdsOf(events.Json()).size(), 3u) << "create, rename, delete: " << events.Describe();
}

TEST_P(AttachmentsTest, MultipartUpload) {
    const std::string boundary = "----mortar" + tag_;
    const std::string bytes = BinaryContent();
    const std::string body =
        "--" + boundary +
        "\r\nContent-Disposition: form-data; name=\"attachment\"; filename=\"C:\\\\scans\\\\invoice.png\"\r\n"
        "Content-Type: image/png\r\n\r\n" +
        bytes + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nInvoice\r\n--" +
        boundary + "--\r\n";
    HttpResponse r =
        clients_->a.Send("POST", base_, body, {{"Content-Type", "multipart/form-data; boundary=" + boundary}});
    ASSERT_TRUE(HasStatus(r, 201)) << r.Describe();
    json::Value a = ValueAt(r.Json(), "data");
    EXPECT_EQ(StringAt(a, "attributes.name"), "Invoice");
    EXPECT_EQ(StringAt(a, "attributes.attachment-file-name"), "invoice.png") << "no client-side directory";
    EXPECT_EQ(StringAt(a, "attributes.attachment-content-type"), "image/png");
    HttpResponse download = clients_->a.GetAbsolute(StringAt(a, "attributes.download-url"));
    ASSERT_TRUE(HasStatus(download, 200));
    EXPECT_EQ(download.body, bytes);

    HttpResponse broken = clients_->a.Send(
        "POST",
        base_,
        "--" + boundary + "\r\nno headers",
        {{"Content-Type", "multipart/form-data; boundary=" + boundary}}
    );
    EXPECT_TRUE(IsErrorResponse(broken, 400)) << broken.Describe();
}

TEST_P(AttachmentsTest, BadUploadsWriteNothingAndScopesHold) {
    const std::vector<std::pair<JObject, std::string>> bad = {
        {JObject{}, "/data/attributes/attachment"},
        {JObject{{"attachment", "not an object"}}, "/data/attributes/attachment"},
        {JObject{{"attachment", JObject{{"content", "%%%not base64%%%"}, {"file_name", "x.pdf"}}}},
         "/data/attributes/attachment/content"},
        {JObject{{"attachment", JObject{{"content", Base64Encode("x")}, {"file_name", "../"}}}},
         "/data/attributes/attachment/file_name"},
        {JObject{{"attachment", JObject{{"content", Base64Encode("x")}}}}, "/data/attributes/attachment/file_name"},
    };
    for (const auto& [attributes, pointer] : bad) {
        HttpResponse r = clients_->a.Post(base_, Doc("attachments", attributes));
        EXPECT_TRUE(IsErrorResponse(r, 422, {pointer})) << pointer << ": " << r.Describe();
    }
    // One bad item of a data[] create leaves nothing written.
    HttpResponse mixed = clients_->a.Post(
        base_,
        BulkDoc(JArray{
            JObject{
                {"type", "attachments"},
                {"attributes",
                 JObject{{"attachment", JObject{{"content", Base64Encode("ok")}, {"file_name", "a.txt"}}}}}},
            JObject{
                {"type", "attachments"},
                {"attributes", JObject{{"attachment", JObject{{"content", "@@"}, {"file_name", "b.txt"}}}}}}})
    );
    EXPECT_TRUE(IsErrorResponse(mixed, 422)) << mixed.Describe();
    HttpResponse list = clients_->a.Get(base_);
    ASSERT_TRUE(HasStatus(list, 200));
    EXPECT_TRUE(IdsOf(list.Json()).empty()) << "nothing half-written";

    HttpResponse r = Upload("keep.txt", "secret plans");
    ASSERT_TRUE(HasStatus(r, 201));
    const int64_t id = IdOf(ValueAt(r.Json(), "data"));
    const std::string other = "/api/configurations/" + S(other_config_) + "/relationships/attachments/" + S(id);
    EXPECT_TRUE(IsErrorResponse(clients_->a.Get(other), 404)) << "another record's attachment";
    EXPECT_TRUE(IsErrorResponse(clients_->a.Get(other + "/download"), 404));
    EXPECT_TRUE(
        IsErrorResponse(clients_->a.Get("/api/contacts/" + S(config_) + "/relationships/attachments/" + S(id)), 404)
    ) << "the same id under another kind of record";
    HttpResponse foreign = clients_->b.Get(base_ + "/" + S(id) + "/download");
    EXPECT_TRUE(IsErrorResponse(foreign, 404)) << "another account";
    EXPECT_EQ(foreign.body.find("secret plans"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(
    All, AttachmentsTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendParamName
);

}  // namespace
}  // namespace mortar::ftest
