// SPDX-License-Identifier: AGPL-3.0-or-later
//
// The activity log (SPEC DOC-7): every write through the API leaves one event with the
// action, the record, the organization, the API key and the changed attributes; events
// are read per record and per organization, and never across accounts.

#include "resource_test_base.hpp"

namespace mortar::ftest {
namespace {

std::string S(int64_t v) {
    return std::to_string(v);
}

class ActivityTest : public BackendTest {
protected:
    json::Value Events(const std::string& query, HttpClient* client = nullptr) {
        HttpResponse r = (client ? *client : clients_->a).Get("/api/activity_events?" + query + "&sort=id");
        if (r.status != 200) {
            ADD_FAILURE() << r.Describe();
            return nullptr;
        }
        return ValueAt(r.Json(), "data");
    }
};

TEST_P(ActivityTest, CreateUpdateAndDeleteAreRecordedWithTheirChanges) {
    const int64_t org = CreateId("/api/organizations", "organizations", {{"name", tag_ + " Dental"}});
    ASSERT_NE(org, 0);
    const int64_t contact =
        CreateId("/api/contacts", "contacts", {{"organization-id", org}, {"first-name", "Ada"}, {"title", "CTO"}});
    ASSERT_NE(contact, 0);
    HttpResponse patch =
        clients_->a.Patch("/api/contacts/" + S(contact), Doc("contacts", {{"title", "CEO"}, {"first-name", "Ada"}}));
    ASSERT_TRUE(HasStatus(patch, 200));
    HttpResponse del = clients_->a.Delete("/api/contacts/" + S(contact));
    ASSERT_TRUE(HasStatus(del, 204)) << del.Describe();

    json::Value events = Events("filter[resource_type]=contacts&filter[resource_id]=" + S(contact));
    ASSERT_TRUE(events.is_array());
    ASSERT_EQ(events.as_array().size(), 3u) << events.Dump();
    const auto& e = events.as_array();
    EXPECT_EQ(StringAt(e[0], "type"), "activity-events");
    EXPECT_EQ(StringAt(e[0], "attributes.action"), "create");
    EXPECT_EQ(StringAt(e[1], "attributes.action"), "update");
    EXPECT_EQ(StringAt(e[2], "attributes.action"), "delete");
    EXPECT_TRUE(JsonSubset(JObject{{"organization-id", org}, {"resource-id", contact}}, ValueAt(e[1], "attributes")))
        << e[1].Dump();
    EXPECT_TRUE(IsTimestamp(ValueAt(e[1], "attributes.occurred-at"))) << e[1].Dump();
    EXPECT_TRUE(ValueAt(e[1], "attributes.actor-key-id").is_int()) << e[1].Dump();
    // Only what changed: the title, not the first name sent again unchanged.
    json::Value changes = ValueAt(e[1], "attributes.changes");
    EXPECT_TRUE(JsonEqual(changes, JObject{{"title", JObject{{"from", "CTO"}, {"to", "CEO"}}}})) << changes.Dump();
    EXPECT_TRUE(JsonSubset(
        JObject{{"first-name", JObject{{"from", nullptr}, {"to", "Ada"}}}}, ValueAt(e[0], "attributes.changes")
    )) << e[0].Dump();
    EXPECT_TRUE(
        JsonSubset(JObject{{"title", JObject{{"from", "CEO"}, {"to", nullptr}}}}, ValueAt(e[2], "attributes.changes"))
    ) << e[2].Dump();

    // Per organization: the organization's own creation and the contact's three events.
    HttpResponse per_org = clients_->a.Get("/api/organizations/" + S(org) + "/relationships/activity_events?sort=id");
    ASSERT_TRUE(HasStatus(per_org, 200));
    EXPECT_EQ(IdsOf(per_org.Json()).size(), 4u) << per_org.Describe();

    // Another account sees none of it.
    json::Value theirs = Events("filter[resource_type]=contacts&filter[resource_id]=" + S(contact), &clients_->b);
    ASSERT_TRUE(theirs.is_array());
    EXPECT_TRUE(theirs.as_array().empty());
    EXPECT_TRUE(IsErrorResponse(clients_->b.Get("/api/activity_events/" + StringAt(e[0], "id")), 404));
}

TEST_P(ActivityTest, AFailedWriteLeavesNoEventAndTheLogIsReadOnly) {
    const int64_t org = CreateId("/api/organizations", "organizations", {{"name", tag_ + " Two"}});
    ASSERT_NE(org, 0);
    HttpResponse bad = clients_->a.Patch("/api/organizations/" + S(org), Doc("organizations", {{"name", nullptr}}));
    EXPECT_TRUE(IsErrorResponse(bad, 422));
    json::Value events = Events("filter[resource_type]=organizations&filter[resource_id]=" + S(org));
    ASSERT_TRUE(events.is_array());
    EXPECT_EQ(events.as_array().size(), 1u) << "only the create";
    HttpResponse post = clients_->a.Post("/api/activity_events", Doc("activity_events", {{"action", "create"}}));
    EXPECT_EQ(post.status, 404) << post.Describe();
}

INSTANTIATE_TEST_SUITE_P(All, ActivityTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendParamName);

}  // namespace
}  // namespace mortar::ftest
