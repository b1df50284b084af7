// SPDX-License-Identifier: AGPL-3.0-or-later
//
// What API.md 3.5 and R7 ask of contacts beyond the generic table: contact-emails and
// contact-phones in either place of a create body, the computed name and related names,
// and the primary_email and important filters.

#include "resource_test_base.hpp"

namespace mortar::ftest {
namespace {

std::string S(int64_t v) {
    return std::to_string(v);
}

class ContactsTest : public BackendTest {
protected:
    void SetUp() override {
        BackendTest::SetUp();
        if (IsSkipped() || HasFatalFailure()) return;
        org_id_ = CreateId("/api/organizations", "organizations", {{"name", tag_ + " Dental"}});
        type_id_ = CreateId("/api/contact_types", "contact-types", {{"name", tag_ + " Approver"}});
        location_id_ =
            CreateId("/api/locations", "locations", {{"organization-id", org_id_}, {"name", tag_ + " Main Office"}});
        ASSERT_FALSE(HasFailure());
    }
    std::vector<int64_t> List(const std::string& query) {
        HttpResponse r = clients_->a.Get("/api/contacts?filter[organization_id]=" + S(org_id_) + "&" + query);
        if (r.status != 200) {
            ADD_FAILURE() << r.Describe();
            return {};
        }
        return IdsOf(r.Json());
    }

    int64_t org_id_ = 0, type_id_ = 0, location_id_ = 0;
};

TEST_P(ContactsTest, EmailsAndPhonesInsideAttributes) {
    // The docs' example (and node-it-glue, kebab keys applied recursively).
    json::Value c = Create(
        "/api/contacts",
        "contacts",
        {{"organization-id", org_id_},
         {"first-name", "Ada"},
         {"last-name", "Lovelace"},
         {"contact-emails",
          JArray{
              JObject{{"value", tag_ + "@example.com"}, {"label-name", "Work"}, {"primary", true}},
              JObject{{"value", tag_ + "@home.example"}, {"label-name", "Home"}, {"primary", false}}}},
         {"contact-phones",
          JArray{JObject{{"value", "5551234567"}, {"label-name", "Work"}, {"extension", "12"}, {"primary", true}}}}}
    );
    ASSERT_TRUE(c.is_object());
    ASSERT_TRUE(IsResourceObject(c, "contacts"));
    json::Value emails = ValueAt(c, "attributes.contact-emails");
    ASSERT_TRUE(emails.is_array() && emails.as_array().size() == 2) << c.Dump();
    EXPECT_TRUE(JsonSubset(
        JObject{{"value", tag_ + "@example.com"}, {"label-name", "Work"}, {"primary", true}}, emails.as_array()[0]
    )) << c.Dump();
    EXPECT_TRUE(JsonSubset(
        JObject{{"value", tag_ + "@home.example"}, {"label-name", "Home"}, {"primary", false}}, emails.as_array()[1]
    )) << c.Dump();
    json::Value phones = ValueAt(c, "attributes.contact-phones");
    ASSERT_TRUE(phones.is_array() && phones.as_array().size() == 1) << c.Dump();
    const json::Value& phone = phones.as_array()[0];
    EXPECT_TRUE(JsonSubset(
        JObject{{"value", "5551234567"}, {"label-name", "Work"}, {"extension", "12"}, {"primary", true}}, phone
    )) << c.Dump();
    const json::Value* formatted = phone.Find("formatted-value");
    EXPECT_TRUE(formatted != nullptr && formatted->is_string() && !formatted->as_string().empty())
        << "phones carry formatted-value: " << c.Dump();
    // GET returns the same sub-objects.
    HttpResponse shown = clients_->a.Get("/api/contacts/" + S(IdOf(c)));
    ASSERT_TRUE(HasStatus(shown, 200));
    EXPECT_TRUE(JsonEqual(ValueAt(shown.Json(), "data.attributes.contact-emails"), emails));
    EXPECT_TRUE(JsonEqual(ValueAt(shown.Json(), "data.attributes.contact-phones"), phones));
}

TEST_P(ContactsTest, EmailsAndPhonesAtDataLevelWithSnakeKeys) {
    // The docs' parameter table: data.contact_emails / data.contact_phones (itglue-py, snake).
    std::string body =
        json::Value(
            JObject{
                {"data",
                 JObject{
                     {"type", "contacts"},
                     {"attributes",
                      JObject{{"organization_id", S(org_id_)}, {"first_name", "Alan"}, {"last_name", "Turing"}}},
                     {"contact_emails",
                      JArray{JObject{{"value", tag_ + "@turing.example"}, {"label_name", "Work"}, {"primary", true}}}},
                     {"contact_phones",
                      JArray{JObject{
                          {"value", "5559876543"},
                          {"label_name", "Mobile"},
                          {"label_type", "phone"},
                          {"primary", "true"}}}}}}}
        ).Dump();
    HttpResponse r = clients_->a.Post("/api/contacts", body);
    ASSERT_TRUE(HasStatus(r, 201));
    json::Value c = ValueAt(r.Json(), "data");
    json::Value emails = ValueAt(c, "attributes.contact-emails");
    ASSERT_TRUE(emails.is_array() && emails.as_array().size() == 1) << r.Describe();
    EXPECT_TRUE(JsonSubset(
        JObject{{"value", tag_ + "@turing.example"}, {"label-name", "Work"}, {"primary", true}}, emails.as_array()[0]
    )) << r.Describe();
    json::Value phones = ValueAt(c, "attributes.contact-phones");
    ASSERT_TRUE(phones.is_array() && phones.as_array().size() == 1) << r.Describe();
    EXPECT_TRUE(
        JsonSubset(JObject{{"value", "5559876543"}, {"label-name", "Mobile"}, {"primary", true}}, phones.as_array()[0])
    ) << "R2: \"true\" is a boolean: "
      << r.Describe();
}

TEST_P(ContactsTest, NameAndRelatedNamesAreComputed) {
    json::Value c = Create(
        "/api/contacts",
        "contacts",
        {{"organization-id", org_id_},
         {"first-name", "Grace"},
         {"last-name", "Hopper"},
         {"contact-type-id", type_id_},
         {"location-id", location_id_},
         {"name", "Ignored Name"}}
    );
    ASSERT_TRUE(c.is_object());
    EXPECT_EQ(StringAt(c, "attributes.name"), "Grace Hopper") << "name is first + last and read-only: " << c.Dump();
    EXPECT_EQ(StringAt(c, "attributes.organization-name"), tag_ + " Dental");
    EXPECT_EQ(StringAt(c, "attributes.contact-type-name"), tag_ + " Approver");
    EXPECT_EQ(StringAt(c, "attributes.location-name"), tag_ + " Main Office");
    json::Value empty_lists = Create("/api/contacts", "contacts", {{"organization-id", org_id_}, {"first-name", "X"}});
    EXPECT_TRUE(ValueAt(empty_lists, "attributes.contact-emails").is_array()) << empty_lists.Dump();
    EXPECT_TRUE(ValueAt(empty_lists, "attributes.contact-type-name").is_null()) << empty_lists.Dump();
    EXPECT_NE(At(empty_lists, "attributes.contact-type-name"), nullptr) << "null, never left out";
}

TEST_P(ContactsTest, MissingLocationOrOrganizationIs422) {
    HttpResponse r = clients_->a.Post(
        "/api/contacts", Doc("contacts", {{"organization-id", org_id_}, {"first-name", "N"}, {"location-id", 999999}})
    );
    EXPECT_TRUE(IsErrorResponse(r, 422));
    HttpResponse t =
        clients_->a.Post("/api/contacts", Doc("contacts", {{"organization-id", 999999}, {"first-name", "N"}}));
    EXPECT_TRUE(IsErrorResponse(t, 422));
    EXPECT_TRUE(List("filter[first_name]=N").empty());
}

TEST_P(ContactsTest, PrimaryEmailAndImportantFilters) {
    json::Value x = Create(
        "/api/contacts",
        "contacts",
        {{"organization-id", org_id_},
         {"first-name", "X"},
         {"important", true},
         {"contact-emails",
          JArray{JObject{{"value", tag_ + "-x@example.com"}, {"label-name", "Work"}, {"primary", true}}}}}
    );
    json::Value y = Create(
        "/api/contacts",
        "contacts",
        {{"organization-id", org_id_},
         {"first-name", "Y"},
         {"important", "false"},
         {"contact-emails",
          JArray{JObject{{"value", tag_ + "-y@example.com"}, {"label-name", "Work"}, {"primary", true}}}}}
    );
    ASSERT_FALSE(HasFailure());
    EXPECT_TRUE(JsonEqual(ValueAt(x, "attributes.important"), json::Value(true)));
    EXPECT_TRUE(JsonEqual(ValueAt(y, "attributes.important"), json::Value(false))) << "R2: \"false\" is false";
    std::string email = UrlEncode(tag_ + "-y@example.com");
    EXPECT_EQ(List("filter[primary_email]=" + email), std::vector<int64_t>{IdOf(y)});
    EXPECT_EQ(List("filter[primary-email]=" + email), std::vector<int64_t>{IdOf(y)});
    EXPECT_EQ(List("filter[important]=true"), std::vector<int64_t>{IdOf(x)});
    EXPECT_EQ(List("filter[important]=false"), std::vector<int64_t>{IdOf(y)});
    EXPECT_EQ(List("sort=-first_name"), (std::vector<int64_t>{IdOf(y), IdOf(x)}));
    EXPECT_EQ(List("sort=last-name,first-name"), (std::vector<int64_t>{IdOf(x), IdOf(y)}));
}

TEST_P(ContactsTest, DocumentedIncludeNamesAreAccepted) {
    int64_t id = CreateId("/api/contacts", "contacts", {{"organization-id", org_id_}, {"first-name", "Inc"}});
    ASSERT_NE(id, 0);
    for (const char* include :
         {"location", "passwords", "attachments", "adapters_resources", "tickets", "location,passwords,attachments"}) {
        HttpResponse one = clients_->a.Get("/api/contacts/" + S(id) + "?include=" + include);
        EXPECT_TRUE(HasStatus(one, 200)) << include;
        EXPECT_EQ(List(std::string("include=") + include), std::vector<int64_t>{id}) << include;
    }
}

INSTANTIATE_TEST_SUITE_P(All, ContactsTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendParamName);

}  // namespace
}  // namespace mortar::ftest
