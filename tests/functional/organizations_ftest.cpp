// SPDX-License-Identifier: AGPL-3.0-or-later
//
// What API.md 3.1 asks of organizations beyond the generic table: computed names,
// logo/primary/ancestor-ids, parent-id, date-range and exclude filters, the sort keys
// on related names, and quick-notes cut to 250 characters in lists.

#include <algorithm>

#include "resource_test_base.hpp"

namespace mortar::ftest {
namespace {

std::string S(int64_t v) {
    return std::to_string(v);
}

class OrganizationsTest : public BackendTest {
protected:
    void SetUp() override {
        BackendTest::SetUp();
        if (IsSkipped() || HasFatalFailure()) return;
        type_id_ = CreateId("/api/organization_types", "organization-types", {{"name", tag_ + " Type B"}});
        alt_type_id_ = CreateId("/api/organization_types", "organization-types", {{"name", tag_ + " Type A"}});
        status_id_ = CreateId("/api/organization_statuses", "organization-statuses", {{"name", tag_ + " Active"}});
        alt_status_id_ =
            CreateId("/api/organization_statuses", "organization-statuses", {{"name", tag_ + " Inactive"}});
        ASSERT_FALSE(HasFailure());
    }
    // Creates an organization of this test's type (unless attributes name another).
    json::Value Org(const std::string& name, JObject more = {}) {
        JObject attrs = {{"name", name}};
        bool has_type = false;
        for (auto& [k, v] : more) {
            if (k == "organization-type-id") has_type = true;
            attrs.emplace_back(k, v);
        }
        if (!has_type) attrs.emplace_back("organization-type-id", type_id_);
        return Create("/api/organizations", "organizations", attrs);
    }
    // Ids listed for "filter[organization_type_id]=<this test's types>&<query>".
    std::vector<int64_t> List(const std::string& query) {
        std::string target = "/api/organizations?filter[organization_type_id]=" + S(type_id_) + "," + S(alt_type_id_) +
                             "&page[size]=1000" + (query.empty() ? "" : "&" + query);
        HttpResponse r = clients_->a.Get(target);
        if (r.status != 200) {
            ADD_FAILURE() << r.Describe();
            return {};
        }
        return IdsOf(r.Json());
    }

    int64_t type_id_ = 0, alt_type_id_ = 0, status_id_ = 0, alt_status_id_ = 0;
};

TEST_P(OrganizationsTest, TypeAndStatusNamesAreComputed) {
    json::Value org = Org(tag_, {{"organization-status-id", status_id_}});
    ASSERT_TRUE(org.is_object());
    EXPECT_EQ(StringAt(org, "attributes.organization-type-name"), tag_ + " Type B") << org.Dump();
    EXPECT_EQ(StringAt(org, "attributes.organization-status-name"), tag_ + " Active") << org.Dump();
    // Renaming the type shows in the organization.
    HttpResponse renamed = clients_->a.Patch(
        "/api/organization_types/" + S(type_id_), Doc("organization-types", {{"name", tag_ + " Renamed"}}, S(type_id_))
    );
    ASSERT_TRUE(HasStatus(renamed, 200));
    HttpResponse shown = clients_->a.Get("/api/organizations/" + S(IdOf(org)));
    ASSERT_TRUE(HasStatus(shown, 200));
    EXPECT_EQ(StringAt(shown.Json(), "data.attributes.organization-type-name"), tag_ + " Renamed");
    // Without a type or status, the ids and names are null.
    json::Value bare = Create("/api/organizations", "organizations", {{"name", tag_ + "-bare"}});
    for (const char* key :
         {"organization-type-id", "organization-type-name", "organization-status-id", "organization-status-name"}) {
        EXPECT_TRUE(ValueAt(bare, std::string("attributes.") + key).is_null()) << key << ": " << bare.Dump();
        EXPECT_NE(At(bare, std::string("attributes.") + key), nullptr) << key << " must be present: " << bare.Dump();
    }
}

TEST_P(OrganizationsTest, LogoPrimaryAndAncestorIdsHaveTheirDocumentedShapes) {
    json::Value org = Org(tag_);
    ASSERT_TRUE(org.is_object());
    json::Value logo = ValueAt(org, "attributes.logo");
    EXPECT_TRUE(logo.is_string() && logo.as_string().empty()) << "logo is \"\" without a logo: " << org.Dump();
    json::Value primary = ValueAt(org, "attributes.primary");
    EXPECT_TRUE(primary.is_bool() && !primary.as_bool()) << org.Dump();
    EXPECT_TRUE(ValueAt(org, "attributes.ancestor-ids").is_string()) << "ancestor-ids is a string: " << org.Dump();
}

TEST_P(OrganizationsTest, ParentIdAcceptsADigitStringAndFillsAncestorIds) {
    json::Value parent = Org(tag_ + "-parent");
    ASSERT_TRUE(parent.is_object());
    int64_t pid = IdOf(parent);
    json::Value child = Create(
        "/api/organizations",
        "organizations",
        {{"name", tag_ + "-child"}, {"parent_id", S(pid)}, {"organization_type_id", S(type_id_)}}
    );
    ASSERT_TRUE(child.is_object());
    EXPECT_TRUE(JsonEqual(ValueAt(child, "attributes.parent-id"), json::Value(pid))) << child.Dump();
    std::string ancestors = StringAt(child, "attributes.ancestor-ids");
    EXPECT_NE(ancestors.find(S(pid)), std::string::npos)
        << "ancestor-ids of a child names its parent: " << child.Dump();
    // A parent that does not exist: 422.
    HttpResponse r = clients_->a.Post(
        "/api/organizations", Doc("organizations", {{"name", tag_ + "-orphan"}, {"parent-id", 999999}})
    );
    EXPECT_TRUE(IsErrorResponse(r, 422));
    HttpResponse s = clients_->a.Post(
        "/api/organizations", Doc("organizations", {{"name", tag_ + "-orphan"}, {"organization-status-id", 999999}})
    );
    EXPECT_TRUE(IsErrorResponse(s, 422));
    HttpResponse listed = clients_->a.Get("/api/organizations?filter[name]=" + tag_ + "-orphan");
    ASSERT_TRUE(HasStatus(listed, 200));
    EXPECT_TRUE(IdsOf(listed.Json()).empty()) << "a rejected create was written";
}

TEST_P(OrganizationsTest, CreatedAtAndUpdatedAtRanges) {
    std::vector<int64_t> ids;
    for (int i = 0; i < 3; ++i) ids.push_back(IdOf(Org(tag_ + "-" + S(i))));
    ASSERT_FALSE(HasFailure());
    EXPECT_EQ(List("filter[created_at]=2024-01-01,*"), ids);
    EXPECT_EQ(List("filter[created-at]=2024-01-01,*"), ids);
    EXPECT_EQ(List("filter%5Bcreated_at%5D=2024-01-01%2C*"), ids);
    EXPECT_EQ(List("filter[created_at]=2024-01-01,2999-12-31"), ids);
    EXPECT_EQ(List("filter[created_at]=*,2024-01-01"), std::vector<int64_t>{});
    EXPECT_EQ(List("filter[created_at]=2999-01-01,*"), std::vector<int64_t>{});
    EXPECT_EQ(List("filter[updated_at]=2024-01-01,*"), ids);
    EXPECT_EQ(List("filter[updated-at]=*,2024-01-01"), std::vector<int64_t>{});
}

TEST_P(OrganizationsTest, ExcludeFilters) {
    json::Value a = Org(tag_ + "-a", {{"organization-status-id", status_id_}});
    json::Value b = Org(tag_ + "-b", {{"organization-status-id", status_id_}});
    json::Value c =
        Org(tag_ + "-c", {{"organization-status-id", alt_status_id_}, {"organization-type-id", alt_type_id_}});
    ASSERT_FALSE(HasFailure());
    int64_t ia = IdOf(a), ib = IdOf(b), ic = IdOf(c);
    EXPECT_EQ(List("filter[exclude][id]=" + S(ia)), (std::vector<int64_t>{ib, ic}));
    EXPECT_EQ(List("filter%5Bexclude%5D%5Bid%5D=" + S(ia) + "," + S(ic)), std::vector<int64_t>{ib});
    EXPECT_EQ(List("filter[exclude][name]=" + tag_ + "-b"), (std::vector<int64_t>{ia, ic}));
    EXPECT_EQ(List("filter[exclude][organization-status-id]=" + S(status_id_)), std::vector<int64_t>{ic});
    EXPECT_EQ(List("filter[exclude][organization_type_id]=" + S(alt_type_id_)), (std::vector<int64_t>{ia, ib}));
    // Exclusion combines with an inclusive filter.
    EXPECT_EQ(
        List("filter[organization_status_id]=" + S(status_id_) + "&filter[exclude][id]=" + S(ib)),
        std::vector<int64_t>{ia}
    );
}

TEST_P(OrganizationsTest, SortByRelatedNamesAndShortName) {
    // Type "B" and short name "z" on the first, type "A" and short name "y" on the second.
    json::Value first = Org(tag_ + "-1", {{"short-name", "z" + tag_}, {"organization-status-id", status_id_}});
    json::Value second = Org(
        tag_ + "-2",
        {{"short-name", "y" + tag_}, {"organization-type-id", alt_type_id_}, {"organization-status-id", alt_status_id_}}
    );
    ASSERT_FALSE(HasFailure());
    std::vector<int64_t> type_order = {IdOf(second), IdOf(first)};  // "Type A" < "Type B"
    std::vector<int64_t> reverse = {IdOf(first), IdOf(second)};
    EXPECT_EQ(List("sort=organization_type_name"), type_order);
    EXPECT_EQ(List("sort=-organization-type-name"), reverse);
    EXPECT_EQ(List("sort=organization-status-name"), reverse);  // "Active" < "Inactive"
    EXPECT_EQ(List("sort=short_name"), type_order);
    EXPECT_EQ(List("sort=-short-name"), reverse);
    EXPECT_EQ(List("sort=-name"), (std::vector<int64_t>{IdOf(second), IdOf(first)}));
    EXPECT_EQ(List("sort=updated_at,id"), reverse);
    // Several keys: created_at descending, then name. Both may share one millisecond.
    bool same_ms = StringAt(first, "attributes.created-at") == StringAt(second, "attributes.created-at");
    EXPECT_EQ(List("sort=-created_at,name"), same_ms ? reverse : type_order);
}

TEST_P(OrganizationsTest, QuickNotesAreCutTo250CharactersInListsOnly) {
    // API.md: "list responses cut quick-notes to 250 characters". Read as: the first 250
    // characters, nothing appended.
    std::string notes;
    for (int i = 0; notes.size() < 600; ++i) notes += std::to_string(i % 10);
    json::Value org = Org(tag_, {{"quick-notes", notes}});
    ASSERT_TRUE(org.is_object());
    EXPECT_EQ(StringAt(org, "attributes.quick-notes"), notes) << "POST returns the full text";
    HttpResponse one = clients_->a.Get("/api/organizations/" + S(IdOf(org)));
    ASSERT_TRUE(HasStatus(one, 200));
    EXPECT_EQ(StringAt(one.Json(), "data.attributes.quick-notes"), notes) << "GET one returns the full text";
    HttpResponse list = clients_->a.Get("/api/organizations?filter[id]=" + S(IdOf(org)));
    ASSERT_TRUE(HasStatus(list, 200));
    EXPECT_EQ(StringAt(list.Json(), "data.0.attributes.quick-notes"), notes.substr(0, 250));
}

TEST_P(OrganizationsTest, PatchCanClearAnAttributeWithNull) {
    json::Value org = Org(tag_, {{"alert", "call first"}});
    ASSERT_TRUE(org.is_object());
    EXPECT_EQ(StringAt(org, "attributes.alert"), "call first");
    HttpResponse r = clients_->a.Patch(
        "/api/organizations/" + S(IdOf(org)), Doc("organizations", {{"alert", nullptr}}, S(IdOf(org)))
    );
    ASSERT_TRUE(HasStatus(r, 200));
    json::Value alert = ValueAt(r.Json(), "data.attributes.alert");
    EXPECT_TRUE(alert.is_null()) << r.Describe();
    EXPECT_NE(At(r.Json(), "data.attributes.alert"), nullptr) << "null, never left out";
    // An empty string is stored as null too: API.md never sends "".
    HttpResponse e = clients_->a.Patch(
        "/api/organizations/" + S(IdOf(org)), Doc("organizations", {{"short-name", ""}}, S(IdOf(org)))
    );
    ASSERT_TRUE(HasStatus(e, 200));
    EXPECT_TRUE(ValueAt(e.Json(), "data.attributes.short-name").is_null()) << e.Describe();
}

TEST_P(OrganizationsTest, PrimaryAndMyGlueRangeFilters) {
    std::vector<int64_t> ids = {IdOf(Org(tag_ + "-1")), IdOf(Org(tag_ + "-2"))};
    ASSERT_FALSE(HasFailure());
    EXPECT_EQ(List("filter[primary]=false"), ids);
    EXPECT_EQ(List("filter[primary]=true"), std::vector<int64_t>{});
    EXPECT_EQ(List("filter[range][my_glue_account_id]=2,10"), std::vector<int64_t>{});
    EXPECT_EQ(List("filter%5Brange%5D%5Bmy-glue-account-id%5D=2%2C10"), std::vector<int64_t>{});
}

TEST_P(OrganizationsTest, PsaFiltersAnswerFromLinksAndRejectUnknownTypes) {
    std::vector<int64_t> ids = {IdOf(Org(tag_))};
    ASSERT_FALSE(HasFailure());
    // API.md 4: a valid type with no matching link is an empty list, not an error;
    // halopsa is Mortar's extra value.
    EXPECT_EQ(List("filter[psa_id]=123&filter[psa_integration_type]=manage"), std::vector<int64_t>{});
    EXPECT_EQ(List("filter[psa-id]=123&filter[psa-integration-type]=autotask"), std::vector<int64_t>{});
    EXPECT_EQ(List("filter[psa_id]=123&filter[psa_integration_type]=halopsa"), std::vector<int64_t>{});
    // "An invalid enum value gets 400 or 422."
    HttpResponse bad = clients_->a.Get("/api/organizations?filter[psa_id]=1&filter[psa_integration_type]=nosuchpsa");
    EXPECT_TRUE(bad.status == 400 || bad.status == 422) << bad.Describe();
    EXPECT_TRUE(IsErrorResponse(bad, bad.status));
}

TEST_P(OrganizationsTest, DocumentedIncludeNamesAreAccepted) {
    // API.md 2.6: every documented include name is accepted; ones not built yet return
    // empty relationships.
    int64_t id = IdOf(Org(tag_));
    ASSERT_NE(id, 0);
    for (const char* include :
         {"adapters_resources", "attachments", "rmm_companies", "adapters_resources,attachments,rmm_companies"}) {
        HttpResponse list = clients_->a.Get("/api/organizations?filter[id]=" + S(id) + "&include=" + include);
        ASSERT_TRUE(HasStatus(list, 200)) << include;
        EXPECT_EQ(IdsOf(list.Json()), std::vector<int64_t>{id});
        const json::Value* included = list.Json().Find("included");
        EXPECT_TRUE(included == nullptr || included->is_array()) << list.Describe();
        HttpResponse one = clients_->a.Get("/api/organizations/" + S(id) + "?include=" + include);
        EXPECT_TRUE(HasStatus(one, 200)) << include;
    }
    // The links of an included list keep include.
    HttpResponse paged = clients_->a.Get(
        "/api/organizations?filter[organization_type_id]=" + S(type_id_) + "&include=attachments&page[size]=1"
    );
    ASSERT_TRUE(HasStatus(paged, 200));
    std::string self = StringAt(paged.Json(), "links.self");
    EXPECT_EQ(NormalizedParams(self.substr(self.find('?') + 1))["include"], "attachments") << self;
}

INSTANTIATE_TEST_SUITE_P(
    All, OrganizationsTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendParamName
);

}  // namespace
}  // namespace mortar::ftest
