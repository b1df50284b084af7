// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Search by name (SPEC DOC-8): every query word must start a word of the title, in any
// case; results follow renames and deletes, can be narrowed by type and organization,
// page like any list, and never cross accounts.

#include "resource_test_base.hpp"

namespace mortar::ftest {
namespace {

std::string S(int64_t v) {
    return std::to_string(v);
}

class SearchTest : public BackendTest {
protected:
    // The (resource-type, resource-id) pairs a query finds, in order.
    std::vector<std::pair<std::string, int64_t>> Find(const std::string& query, HttpClient* client = nullptr) {
        HttpResponse r = (client ? *client : clients_->a).Get("/api/search_results?" + query);
        std::vector<std::pair<std::string, int64_t>> out;
        if (r.status != 200) {
            ADD_FAILURE() << r.Describe();
            return out;
        }
        const json::Value data = ValueAt(r.Json(), "data");
        if (!data.is_array()) {
            ADD_FAILURE() << r.Describe();
            return out;
        }
        for (const json::Value& d : data.as_array()) {
            out.emplace_back(StringAt(d, "attributes.resource-type"), ValueAt(d, "attributes.resource-id").as_int());
        }
        return out;
    }
    using Hits = std::vector<std::pair<std::string, int64_t>>;
};

TEST_P(SearchTest, WordsMatchByPrefixAcrossTypesAndFollowChanges) {
    const std::string t = tag_;  // unique word per test, e.g. "ft12"
    const int64_t org = CreateId("/api/organizations", "organizations", {{"name", t + "zeta Dental Care"}});
    const int64_t type = CreateId("/api/configuration_types", "configuration-types", {{"name", t + " Server"}});
    const int64_t cfg = CreateId(
        "/api/configurations",
        "configurations",
        {{"organization-id", org}, {"name", t + "zeta-FS01"}, {"configuration-type-id", type}}
    );
    const int64_t contact = CreateId(
        "/api/contacts", "contacts", {{"organization-id", org}, {"first-name", t + "zeta"}, {"last-name", "Lovelace"}}
    );
    ASSERT_NE(org, 0);
    ASSERT_NE(cfg, 0);
    ASSERT_NE(contact, 0);

    // Ordered by title: "<t>zeta Dental Care", "<t>zeta Lovelace", "<t>zeta-FS01".
    EXPECT_EQ(Find("q=" + t + "ZETA"), (Hits{{"organizations", org}, {"contacts", contact}, {"configurations", cfg}}));
    EXPECT_EQ(Find("q=" + t + "zeta+dent"), (Hits{{"organizations", org}}));
    EXPECT_EQ(Find("q=" + t + "zeta%20fs0"), (Hits{{"configurations", cfg}}));
    EXPECT_EQ(
        Find("q=" + t + "zeta&filter[resource_type]=contacts,configurations"),
        (Hits{{"contacts", contact}, {"configurations", cfg}})
    );
    EXPECT_EQ(Find("q=" + t + "zeta&filter[organization_id]=" + S(org)).size(), 3u);
    EXPECT_TRUE(Find("q=" + t + "zetadental").empty()) << "a word is not a substring of another";

    // A rename moves the entry; a delete removes it.
    HttpResponse patch =
        clients_->a.Patch("/api/configurations/" + S(cfg), Doc("configurations", {{"name", t + "omega"}}));
    ASSERT_TRUE(HasStatus(patch, 200));
    EXPECT_EQ(Find("q=" + t + "omega"), (Hits{{"configurations", cfg}}));
    EXPECT_EQ(Find("q=" + t + "zeta").size(), 2u);
    HttpResponse del = clients_->a.Delete("/api/contacts/" + S(contact));
    ASSERT_TRUE(HasStatus(del, 204));
    EXPECT_EQ(Find("q=" + t + "zeta"), (Hits{{"organizations", org}}));

    // Paging and the other account.
    HttpResponse page = clients_->a.Get("/api/search_results?q=" + t + "&page[size]=1");
    ASSERT_TRUE(HasStatus(page, 200));
    // The organization and the renamed configuration; lookup lists are not searched.
    EXPECT_EQ(ValueAt(page.Json(), "meta.total-count").as_int(), 2) << page.Describe();
    EXPECT_EQ(ValueAt(page.Json(), "meta.next-page").as_int(), 2) << page.Describe();
    EXPECT_TRUE(Find("q=" + t + "zeta", &clients_->b).empty());
}

TEST_P(SearchTest, AQueryWithoutWordsIsABadRequest) {
    for (const char* q : {"", "q=", "q=%20-%20", "filter[resource_type]=contacts"}) {
        HttpResponse r = clients_->a.Get(std::string("/api/search_results?") + q);
        EXPECT_TRUE(IsErrorResponse(r, 400)) << q << ": " << r.Describe();
    }
}

INSTANTIATE_TEST_SUITE_P(All, SearchTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendParamName);

}  // namespace
}  // namespace mortar::ftest
