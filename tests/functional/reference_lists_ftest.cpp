// SPDX-License-Identifier: AGPL-3.0-or-later
//
// The reference lists every account shares (API.md 3.2): countries and their regions
// (ISO 3166), platforms and operating systems, read-only, filterable and paged like any
// list; and the locations and configurations that name them.

#include "resource_test_base.hpp"

namespace mortar::ftest {
namespace {

std::string S(int64_t v) {
    return std::to_string(v);
}

class ReferenceListsTest : public BackendTest {
protected:
    // The id of the one record a filtered list returns (0 and a failure otherwise).
    int64_t OnlyId(HttpClient& client, const std::string& target) {
        HttpResponse r = client.Get(target);
        if (!HasStatus(r, 200)) {
            ADD_FAILURE() << r.Describe();
            return 0;
        }
        const std::vector<int64_t> ids = IdsOf(r.Json());
        if (ids.size() != 1) {
            ADD_FAILURE() << target << ": " << r.Describe();
            return 0;
        }
        return ids.front();
    }
};

TEST_P(ReferenceListsTest, CountriesRegionsPlatformsAndOperatingSystems) {
    HttpResponse all = clients_->a.Get("/api/countries?page[size]=1000&sort=name");
    ASSERT_TRUE(HasStatus(all, 200)) << all.Describe();
    EXPECT_GE(IntAt(all.Json(), "meta.total-count"), 240);
    const int64_t germany = OnlyId(clients_->a, "/api/countries?filter[iso]=DE");
    const int64_t us = OnlyId(clients_->a, "/api/countries?filter[name]=United%20States");
    ASSERT_GT(germany, 0);
    ASSERT_GT(us, 0);
    HttpResponse de = clients_->a.Get("/api/countries/" + S(germany));
    ASSERT_TRUE(HasStatus(de, 200));
    EXPECT_EQ(StringAt(de.Json(), "data.type"), "countries");
    EXPECT_EQ(StringAt(de.Json(), "data.attributes.name"), "Germany");
    EXPECT_EQ(OnlyId(clients_->b, "/api/countries?filter[iso]=DE"), germany) << "one list for every account";

    const std::string us_regions = "/api/countries/" + S(us) + "/relationships/regions";
    const int64_t california = OnlyId(clients_->a, us_regions + "?filter[iso]=US-CA");
    ASSERT_GT(california, 0);
    HttpResponse ca = clients_->a.Get(us_regions + "/" + S(california));
    ASSERT_TRUE(HasStatus(ca, 200)) << ca.Describe();
    EXPECT_EQ(StringAt(ca.Json(), "data.attributes.name"), "California");
    EXPECT_EQ(IntAt(ca.Json(), "data.attributes.country-id"), us);
    EXPECT_TRUE(IsErrorResponse(
        clients_->a.Get("/api/countries/" + S(germany) + "/relationships/regions/" + S(california)), 404
    )) << "a region under another country";
    EXPECT_EQ(
        OnlyId(clients_->a, "/api/regions?filter[iso]=DE-BY"), OnlyId(clients_->a, "/api/regions?filter[name]=Bayern")
    );
    EXPECT_TRUE(IsErrorResponse(clients_->a.Get("/api/countries/999999"), 404));
    EXPECT_TRUE(IsErrorResponse(clients_->a.Post("/api/countries", Doc("countries", {{"name", "Atlantis"}})), 404))
        << "read-only";

    HttpResponse systems = clients_->a.Get("/api/operating_systems?page[size]=1000");
    ASSERT_TRUE(HasStatus(systems, 200));
    const int64_t windows = OnlyId(clients_->a, "/api/platforms?filter[name]=Windows");
    const int64_t server2022 = OnlyId(clients_->a, "/api/operating_systems?filter[name]=Windows%20Server%202022");
    ASSERT_GT(server2022, 0);
    HttpResponse os = clients_->a.Get("/api/operating_systems/" + S(server2022));
    EXPECT_EQ(IntAt(os.Json(), "data.attributes.platform-id"), windows);
    EXPECT_EQ(StringAt(os.Json(), "data.attributes.platform-name"), "Windows");

    // Locations and configurations name them.
    const int64_t org = CreateId("/api/organizations", "organizations", {{"name", tag_ + " Dental"}});
    json::Value hq = Create(
        "/api/locations",
        "locations",
        {{"organization-id", org}, {"name", "HQ"}, {"country-id", us}, {"region-id", california}}
    );
    EXPECT_EQ(StringAt(hq, "attributes.country-name"), "United States") << hq.Dump();
    EXPECT_EQ(StringAt(hq, "attributes.region-name"), "California");
    json::Value branch = Create(
        "/api/locations", "locations", {{"organization-id", org}, {"name", "Branch"}, {"region-id", S(california)}}
    );
    EXPECT_EQ(IntAt(branch, "attributes.country-id"), us) << "a region names its country: " << branch.Dump();
    HttpResponse mismatch = clients_->a.Post(
        "/api/locations",
        Doc("locations", {{"organization-id", org}, {"name", "X"}, {"country-id", germany}, {"region-id", california}})
    );
    EXPECT_TRUE(IsErrorResponse(mismatch, 422, {"/data/attributes/region_id", "/data/attributes/region-id"}))
        << mismatch.Describe();
    HttpResponse unknown = clients_->a.Post(
        "/api/locations", Doc("locations", {{"organization-id", org}, {"name", "X"}, {"country-id", 999999}})
    );
    EXPECT_TRUE(IsErrorResponse(unknown, 422, {"/data/attributes/country_id", "/data/attributes/country-id"}))
        << unknown.Describe();

    const int64_t type = CreateId("/api/configuration_types", "configuration-types", {{"name", tag_ + " Server"}});
    json::Value fs = Create(
        "/api/configurations",
        "configurations",
        {{"organization-id", org},
         {"name", tag_ + "-FS01"},
         {"configuration-type-id", type},
         {"operating-system-id", server2022}}
    );
    EXPECT_EQ(StringAt(fs, "attributes.operating-system-name"), "Windows Server 2022") << fs.Dump();
    HttpResponse bad_os = clients_->a.Post(
        "/api/configurations",
        Doc("configurations",
            {{"organization-id", org}, {"name", "x"}, {"configuration-type-id", type}, {"operating-system-id", 999999}})
    );
    EXPECT_TRUE(
        IsErrorResponse(bad_os, 422, {"/data/attributes/operating_system_id", "/data/attributes/operating-system-id"})
    ) << bad_os.Describe();
}

INSTANTIATE_TEST_SUITE_P(
    All, ReferenceListsTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendParamName
);

}  // namespace
}  // namespace mortar::ftest
