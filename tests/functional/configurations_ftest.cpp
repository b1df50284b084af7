// SPDX-License-Identifier: AGPL-3.0-or-later
//
// What API.md 3.3, 3.4 and R7 ask of configurations beyond the generic table: interfaces
// created through `relationships` on create and listed in the response's relationships,
// filter[mac_address] in every common spelling (the configuration's own MAC or any
// interface's), the nested interface routes, IP validation and resource-url.

#include "resource_test_base.hpp"

namespace mortar::ftest {
namespace {

std::string S(int64_t v) {
    return std::to_string(v);
}

class ConfigurationsTest : public BackendTest {
protected:
    void SetUp() override {
        BackendTest::SetUp();
        if (IsSkipped() || HasFatalFailure()) return;
        org_id_ = CreateId("/api/organizations", "organizations", {{"name", tag_ + " Dental"}});
        type_id_ = CreateId("/api/configuration_types", "configuration-types", {{"name", tag_ + " Server"}});
        ASSERT_FALSE(HasFailure());
    }

    // Creates a configuration with one interface through the nested route.
    json::Value CreateWithInterface(const std::string& name, const std::string& mac) {
        JObject iface{
            {"type", "configuration_interfaces"},
            {"attributes",
             JObject{{"name", "LAN"}, {"ip_address", "192.168.10.5"}, {"mac_address", mac}, {"primary", true}}}};
        JObject data{
            {"type", "configurations"},
            {"attributes", JObject{{"name", name}, {"configuration-type-id", type_id_}}},
            {"relationships", JObject{{"configuration_interfaces", JObject{{"data", JArray{iface}}}}}}};
        HttpResponse r = clients_->a.Post(
            "/api/organizations/" + S(org_id_) + "/relationships/configurations",
            json::Value(JObject{{"data", data}}).Dump()
        );
        if (!HasStatus(r, 201)) {
            ADD_FAILURE() << r.Describe();
            return nullptr;
        }
        return ValueAt(r.Json(), "data");
    }

    std::vector<int64_t> ByMac(const std::string& mac) {
        HttpResponse r = clients_->a.Get(
            "/api/configurations?filter[organization_id]=" + S(org_id_) + "&filter[mac_address]=" + mac
        );
        if (r.status != 200) {
            ADD_FAILURE() << r.Describe();
            return {};
        }
        return IdsOf(r.Json());
    }

    int64_t org_id_ = 0, type_id_ = 0;
};

TEST_P(ConfigurationsTest, InterfacesComeFromRelationshipsOnCreate) {
    json::Value c = CreateWithInterface(tag_ + "-fs01", "3C:52:82:10:AA:01");
    ASSERT_TRUE(c.is_object());
    json::Value rel = ValueAt(c, "relationships.configuration-interfaces.data");
    ASSERT_TRUE(rel.is_array() && rel.as_array().size() == 1) << c.Dump();
    EXPECT_EQ(StringAt(rel.as_array()[0], "type"), "configuration-interfaces");
    const std::string iface_id = StringAt(rel.as_array()[0], "id");
    HttpResponse nested =
        clients_->a.Get("/api/configurations/" + S(IdOf(c)) + "/relationships/configuration_interfaces/" + iface_id);
    ASSERT_TRUE(HasStatus(nested, 200));
    EXPECT_TRUE(JsonSubset(
        JObject{
            {"name", "LAN"},
            {"ip-address", "192.168.10.5"},
            {"mac-address", "3C:52:82:10:AA:01"},
            {"primary", true},
            {"configuration-id", IdOf(c)}},
        ValueAt(nested.Json(), "data.attributes")
    )) << nested.Describe();
    EXPECT_EQ(
        StringAt(c, "attributes.resource-url"), server_->base_url() + "/" + S(org_id_) + "/configurations/" + S(IdOf(c))
    );
}

TEST_P(ConfigurationsTest, MacFilterMatchesEverySpellingOnOwnMacOrInterfaces) {
    json::Value by_interface = CreateWithInterface(tag_ + "-a", "3C:52:82:10:AA:01");
    int64_t by_own = CreateId(
        "/api/configurations",
        "configurations",
        {{"organization-id", org_id_},
         {"name", tag_ + "-b"},
         {"configuration-type-id", type_id_},
         {"mac-address", "00-1A-2B-3C-4D-5E"}}
    );
    ASSERT_TRUE(by_interface.is_object());
    ASSERT_NE(by_own, 0);
    for (const char* spelling : {"3C:52:82:10:AA:01", "3c-52-82-10-aa-01", "3c52.8210.aa01", "3C528210AA01"}) {
        EXPECT_EQ(ByMac(spelling), std::vector<int64_t>{IdOf(by_interface)}) << spelling;
    }
    EXPECT_EQ(ByMac("001a.2b3c.4d5e"), std::vector<int64_t>{by_own});
    EXPECT_EQ(ByMac("00:1a:2b:3c:4d:5e,3c528210aa01"), (std::vector<int64_t>{IdOf(by_interface), by_own}));
    EXPECT_TRUE(ByMac("ffffffffffff").empty());
    HttpResponse bad = clients_->a.Get("/api/configurations?filter[mac_address]=not-a-mac");
    EXPECT_TRUE(IsErrorResponse(bad, 400)) << bad.Describe();
}

TEST_P(ConfigurationsTest, InterfaceRoutesCheckTheirParentAndTheirAddresses) {
    json::Value c = CreateWithInterface(tag_ + "-c", "3C:52:82:10:AA:02");
    int64_t other = CreateId(
        "/api/configurations",
        "configurations",
        {{"organization-id", org_id_}, {"name", tag_ + "-d"}, {"configuration-type-id", type_id_}}
    );
    ASSERT_TRUE(c.is_object());
    ASSERT_NE(other, 0);
    const std::string iface_id =
        StringAt(ValueAt(c, "relationships.configuration-interfaces.data").as_array()[0], "id");
    HttpResponse wrong_parent =
        clients_->a.Get("/api/configurations/" + S(other) + "/relationships/configuration_interfaces/" + iface_id);
    EXPECT_TRUE(IsErrorResponse(wrong_parent, 404));
    HttpResponse flat = clients_->a.Get("/api/configuration_interfaces/" + iface_id);
    EXPECT_TRUE(HasStatus(flat, 200));

    // A second interface through the nested route; a bad IP is 422 and writes nothing.
    const std::string nested = "/api/configurations/" + S(IdOf(c)) + "/relationships/configuration_interfaces";
    HttpResponse bad = clients_->a.Post(
        nested, R"({"data":{"type":"configuration_interfaces","attributes":{"name":"WAN","ip_address":"300.1.1.1"}}})"
    );
    EXPECT_TRUE(IsErrorResponse(bad, 422, {"/data/attributes/ip_address", "/data/attributes/ip-address"}))
        << bad.Describe();
    HttpResponse good = clients_->a.Post(
        nested, R"({"data":{"type":"configuration-interfaces","attributes":{"name":"WAN","ip-address":"2001:db8::1"}}})"
    );
    EXPECT_TRUE(HasStatus(good, 201)) << good.Describe();
    HttpResponse list = clients_->a.Get(nested);
    ASSERT_TRUE(HasStatus(list, 200));
    EXPECT_EQ(IdsOf(list.Json()).size(), 2u);

    // A bad interface inside a configuration's create body fails the whole create.
    HttpResponse bad_create = clients_->a.Post(
        "/api/configurations",
        json::Value(
            JObject{
                {"data",
                 JObject{
                     {"type", "configurations"},
                     {"attributes",
                      JObject{
                          {"organization-id", org_id_}, {"name", tag_ + "-e"}, {"configuration-type-id", type_id_}}},
                     {"relationships",
                      JObject{
                          {"configuration_interfaces",
                           JObject{{"data", JArray{JObject{{"attributes", JObject{{"ip_address", "x"}}}}}}}}}}}}}
        ).Dump()
    );
    EXPECT_TRUE(IsErrorResponse(bad_create, 422)) << bad_create.Describe();
    HttpResponse after = clients_->a.Get("/api/configurations?filter[name]=" + tag_ + "-e");
    ASSERT_TRUE(HasStatus(after, 200));
    EXPECT_TRUE(IdsOf(after.Json()).empty()) << "nothing half-written";
}

TEST_P(ConfigurationsTest, DeletingAConfigurationDeletesItsInterfaces) {
    json::Value c = CreateWithInterface(tag_ + "-f", "3C:52:82:10:AA:03");
    ASSERT_TRUE(c.is_object());
    const std::string iface_id =
        StringAt(ValueAt(c, "relationships.configuration-interfaces.data").as_array()[0], "id");
    HttpResponse del = clients_->a.Delete(
        "/api/configurations", R"({"data":[{"type":"configurations","attributes":{"id":)" + S(IdOf(c)) + "}}]}"
    );
    ASSERT_TRUE(HasStatus(del, 200)) << del.Describe();
    EXPECT_TRUE(IsErrorResponse(clients_->a.Get("/api/configuration_interfaces/" + iface_id), 404));
}

// A deleted record's id is never given to a new one (on SQLite too), so links, the
// activity log and bookmarks of the old record never point at another.
TEST_P(ConfigurationsTest, IdsOfDeletedRecordsAreNeverReused) {
    const int64_t first = IdOf(CreateWithInterface(tag_ + "-g", "3C:52:82:10:AA:04"));
    ASSERT_GT(first, 0);
    ASSERT_TRUE(HasStatus(clients_->a.Delete("/api/configurations/" + S(first)), 204));
    const int64_t second = IdOf(CreateWithInterface(tag_ + "-h", "3C:52:82:10:AA:05"));
    EXPECT_GT(second, first);
    EXPECT_TRUE(IsErrorResponse(clients_->a.Get("/api/configurations/" + S(first)), 404));
    HttpResponse events =
        clients_->a.Get("/api/activity_events?filter[resource_type]=configurations&filter[resource_id]=" + S(first));
    ASSERT_TRUE(HasStatus(events, 200));
    EXPECT_EQ(IdsOf(events.Json()).size(), 2u) << "create and delete of the first only: " << events.Describe();
}

INSTANTIATE_TEST_SUITE_P(
    All, ConfigurationsTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendParamName
);

}  // namespace
}  // namespace mortar::ftest
