// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Checklists (API.md 3.12, SPEC DOC-6): made by hand or from a template, items in order,
// complete and un-complete recording who and when, the checklist complete when every
// item is, and items surviving an edit of the list.

#include "resource_test_base.hpp"

namespace mortar::ftest {
namespace {

std::string S(int64_t v) {
    return std::to_string(v);
}

class ChecklistsTest : public BackendTest {
protected:
    void SetUp() override {
        BackendTest::SetUp();
        if (IsSkipped() || HasFatalFailure()) return;
        org_id_ = CreateId("/api/organizations", "organizations", {{"name", tag_ + " Dental"}});
        ASSERT_NE(org_id_, 0);
    }
    json::Value Item(const json::Value& checklist, int idx) {
        return ValueAt(checklist, "attributes.items." + std::to_string(idx));
    }
    json::Value Patch(const std::string& target) {
        HttpResponse r = clients_->a.Patch(target, "");
        if (r.status != 200) {
            ADD_FAILURE() << r.Describe();
            return nullptr;
        }
        return ValueAt(r.Json(), "data");
    }
    int64_t org_id_ = 0;
};

TEST_P(ChecklistsTest, ItemsFromATemplateCompleteAndUncomplete) {
    int64_t tmpl = CreateId(
        "/api/checklist_templates",
        "checklist-templates",
        {{"name", tag_ + " Onboarding"},
         {"items",
          JArray{
              JObject{{"name", "Create mailbox"}, {"position", 2}},
              JObject{{"name", "Create AD account"}, {"position", 1}}}}}
    );
    ASSERT_NE(tmpl, 0);
    json::Value c = Create(
        "/api/organizations/" + S(org_id_) + "/relationships/checklists",
        "checklists",
        {{"name", tag_ + " New starter"}, {"checklist-template-id", tmpl}, {"due-date", "2026-12-01"}}
    );
    ASSERT_TRUE(c.is_object());
    EXPECT_EQ(StringAt(c, "attributes.checklist-template-name"), tag_ + " Onboarding");
    EXPECT_TRUE(JsonSubset(
        JObject{
            {"id", 1}, {"name", "Create AD account"}, {"position", 1}, {"completed", false}, {"completed-at", nullptr}},
        Item(c, 0)
    )) << c.Dump();
    EXPECT_EQ(StringAt(Item(c, 1), "name"), "Create mailbox");
    EXPECT_TRUE(ValueAt(c, "attributes.completed-at").is_null());

    const std::string base = "/api/checklists/" + S(IdOf(c)) + "/items/";
    json::Value one = Patch(base + "1/complete");
    ASSERT_TRUE(one.is_object());
    EXPECT_EQ(ValueAt(Item(one, 0), "completed").as_bool(), true);
    EXPECT_TRUE(IsTimestamp(ValueAt(Item(one, 0), "completed-at"))) << one.Dump();
    EXPECT_TRUE(ValueAt(Item(one, 0), "completed-by-key-id").is_int()) << one.Dump();
    EXPECT_TRUE(ValueAt(one, "attributes.completed-at").is_null()) << "one item is still open";

    json::Value both = Patch(base + "2/complete");
    ASSERT_TRUE(both.is_object());
    EXPECT_TRUE(IsTimestamp(ValueAt(both, "attributes.completed-at"))) << both.Dump();

    json::Value reopened = Patch(base + "1/uncomplete");
    ASSERT_TRUE(reopened.is_object());
    EXPECT_FALSE(ValueAt(Item(reopened, 0), "completed").as_bool());
    EXPECT_TRUE(ValueAt(Item(reopened, 0), "completed-at").is_null());
    EXPECT_TRUE(ValueAt(reopened, "attributes.completed-at").is_null());

    EXPECT_TRUE(IsErrorResponse(clients_->a.Patch(base + "99/complete", ""), 404));
    EXPECT_TRUE(IsErrorResponse(clients_->b.Patch(base + "1/complete", ""), 404)) << "another account";
}

TEST_P(ChecklistsTest, EditingTheListKeepsTheStateOfItemsItNames) {
    json::Value c = Create(
        "/api/checklists",
        "checklists",
        {{"organization-id", org_id_},
         {"name", tag_ + " Monthly"},
         {"items", JArray{JObject{{"name", "Check backups"}}, JObject{{"name", "Patch servers"}}}}}
    );
    ASSERT_TRUE(c.is_object());
    ASSERT_TRUE(Patch("/api/checklists/" + S(IdOf(c)) + "/items/2/complete").is_object());
    HttpResponse r = clients_->a.Patch(
        "/api/checklists/" + S(IdOf(c)),
        Doc("checklists",
            {{"items", JArray{JObject{{"id", 2}, {"name", "Patch all servers"}}, JObject{{"name", "Review alerts"}}}}})
    );
    ASSERT_TRUE(HasStatus(r, 200));
    json::Value after = ValueAt(r.Json(), "data");
    EXPECT_TRUE(JsonSubset(
        JObject{{"id", 2}, {"name", "Patch all servers"}, {"position", 1}, {"completed", true}}, Item(after, 0)
    )) << after.Dump();
    EXPECT_TRUE(
        JsonSubset(JObject{{"id", 3}, {"name", "Review alerts"}, {"position", 2}, {"completed", false}}, Item(after, 1))
    ) << after.Dump();
    HttpResponse bad = clients_->a.Patch(
        "/api/checklists/" + S(IdOf(c)), Doc("checklists", {{"items", JArray{JObject{{"position", 1}}}}})
    );
    EXPECT_TRUE(IsErrorResponse(bad, 422, {"/data/attributes/items/0/name"})) << bad.Describe();
}

INSTANTIATE_TEST_SUITE_P(
    All, ChecklistsTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendParamName
);

}  // namespace
}  // namespace mortar::ftest
