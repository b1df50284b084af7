// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Documents (API.md 3.11, SPEC DOC-5): rich-text documents per organization and global,
// in folders of the same organization, published on request, and never storing a script:
// hostile HTML is neutralised on the way in.

#include "resource_test_base.hpp"

namespace mortar::ftest {
namespace {

std::string S(int64_t v) {
    return std::to_string(v);
}

class DocumentsTest : public BackendTest {
protected:
    void SetUp() override {
        BackendTest::SetUp();
        if (IsSkipped() || HasFatalFailure()) return;
        org_id_ = CreateId("/api/organizations", "organizations", {{"name", tag_ + " Dental"}});
        ASSERT_NE(org_id_, 0);
    }
    int64_t org_id_ = 0;
};

TEST_P(DocumentsTest, HostileHtmlIsNeutralised) {
    const std::vector<std::string> hostile = {
        "<p>ok</p><script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
        "<svg onload=alert(1)></svg>",
        "<iframe src=\"https://evil.example\"></iframe>",
        "<p style=\"background:url(javascript:alert(1))\">x</p>",
        "<scr<script>ipt>alert(1)</script>",
        "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
    };
    for (const std::string& html : hostile) {
        json::Value d = Create(
            "/api/documents",
            "documents",
            {{"organization-id", org_id_}, {"name", tag_ + " runbook"}, {"content", html}}
        );
        ASSERT_TRUE(d.is_object()) << html;
        std::string stored = StringAt(d, "attributes.content");
        std::string lower;
        for (char c : stored) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        EXPECT_EQ(lower.find("<script"), std::string::npos) << html << " -> " << stored;
        EXPECT_EQ(lower.find("javascript:"), std::string::npos) << html << " -> " << stored;
        EXPECT_EQ(lower.find("onerror"), std::string::npos) << html << " -> " << stored;
        EXPECT_EQ(lower.find("onload"), std::string::npos) << html << " -> " << stored;
        EXPECT_EQ(lower.find("<iframe"), std::string::npos) << html << " -> " << stored;
        // What was stored is what is read back.
        HttpResponse again = clients_->a.Get("/api/documents/" + S(IdOf(d)));
        ASSERT_TRUE(HasStatus(again, 200));
        EXPECT_EQ(StringAt(again.Json(), "data.attributes.content"), stored);
    }
    json::Value benign = Create(
        "/api/documents",
        "documents",
        {{"organization-id", org_id_},
         {"name", tag_ + " steps"},
         {"content", "<h1>Steps</h1><ol><li>Open <a href=\"https://portal.example\">the portal</a></li></ol>"}}
    );
    ASSERT_TRUE(benign.is_object());
    EXPECT_EQ(
        StringAt(benign, "attributes.content"),
        "<h1>Steps</h1><ol><li>Open <a href=\"https://portal.example\">the portal</a></li></ol>"
    );
}

TEST_P(DocumentsTest, FoldersPublishingAndGlobalDocuments) {
    int64_t folder = CreateId(
        "/api/organizations/" + S(org_id_) + "/relationships/document_folders",
        "document-folders",
        {{"name", tag_ + " Procedures"}}
    );
    int64_t global_folder = CreateId("/api/document_folders", "document-folders", {{"name", tag_ + " Global"}});
    ASSERT_NE(folder, 0);
    ASSERT_NE(global_folder, 0);
    json::Value d = Create(
        "/api/organizations/" + S(org_id_) + "/relationships/documents",
        "documents",
        {{"name", tag_ + " backup check"}, {"document-folder-id", folder}, {"content", "<p>x</p>"}}
    );
    ASSERT_TRUE(d.is_object());
    EXPECT_EQ(StringAt(d, "attributes.document-folder-name"), tag_ + " Procedures");
    EXPECT_FALSE(ValueAt(d, "attributes.published").as_bool());
    EXPECT_TRUE(ValueAt(d, "attributes.created-by-key-id").is_int()) << d.Dump();

    HttpResponse published = clients_->a.Patch("/api/documents/" + S(IdOf(d)) + "/publish", "");
    ASSERT_TRUE(HasStatus(published, 200)) << published.Describe();
    EXPECT_TRUE(ValueAt(published.Json(), "data.attributes.published").as_bool());
    EXPECT_TRUE(IsTimestamp(ValueAt(published.Json(), "data.attributes.published-at")));

    // A global folder does not hold an organization's document, nor the reverse.
    HttpResponse wrong =
        clients_->a.Patch("/api/documents/" + S(IdOf(d)), Doc("documents", {{"document-folder-id", global_folder}}));
    EXPECT_TRUE(IsErrorResponse(wrong, 422)) << wrong.Describe();
    json::Value global =
        Create("/api/documents", "documents", {{"name", tag_ + " MSP policy"}, {"document-folder-id", global_folder}});
    ASSERT_TRUE(global.is_object());
    EXPECT_TRUE(ValueAt(global, "attributes.organization-id").is_null());

    HttpResponse nested = clients_->a.Get("/api/organizations/" + S(org_id_) + "/relationships/documents");
    ASSERT_TRUE(HasStatus(nested, 200));
    EXPECT_EQ(IdsOf(nested.Json()), std::vector<int64_t>{IdOf(d)});
    EXPECT_TRUE(IsErrorResponse(clients_->b.Get("/api/documents/" + S(IdOf(d))), 404));
}

INSTANTIATE_TEST_SUITE_P(All, DocumentsTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendParamName);

}  // namespace
}  // namespace mortar::ftest
