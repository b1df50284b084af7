// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Flexible assets (API.md 3.8–3.10, 6): types with fields given in attributes or in
// relationships, name-key slugs, include=flexible_asset_fields, the required type filter,
// every field kind checked, required fields, Tag input in every documented form and Tag
// output, and PATCH replacing the traits.

#include "resource_test_base.hpp"

namespace mortar::ftest {
namespace {

std::string S(int64_t v) {
    return std::to_string(v);
}

class FlexibleAssetsTest : public BackendTest {
protected:
    void SetUp() override {
        BackendTest::SetUp();
        if (IsSkipped() || HasFatalFailure()) return;
        org_id_ = CreateId("/api/organizations", "organizations", {{"name", tag_ + " Dental"}});
        int64_t type = CreateId("/api/configuration_types", "configuration-types", {{"name", tag_ + " AP"}});
        ap1_ = CreateId(
            "/api/configurations",
            "configurations",
            {{"organization-id", org_id_}, {"name", tag_ + "-AP1"}, {"configuration-type-id", type}}
        );
        ap2_ = CreateId(
            "/api/configurations",
            "configurations",
            {{"organization-id", org_id_}, {"name", tag_ + "-AP2"}, {"configuration-type-id", type}}
        );
        // Every kind, given the node-it-glue way (attributes.fields[]).
        json::Value t = Create(
            "/api/flexible_asset_types",
            "flexible-asset-types",
            {{"name", tag_ + " Wi-Fi"},
             {"fields",
              JArray{
                  JObject{
                      {"order", 1}, {"name", "SSID"}, {"kind", "Text"}, {"required", true}, {"use-for-title", true}},
                  JObject{{"order", 2}, {"name", "Access Points"}, {"kind", "Tag"}, {"tag-type", "Configurations"}},
                  JObject{{"order", 3}, {"name", "VLAN"}, {"kind", "Number"}, {"decimals", 0}},
                  JObject{{"order", 4}, {"name", "Coverage"}, {"kind", "Percent"}},
                  JObject{{"order", 5}, {"name", "Band"}, {"kind", "Select"}, {"default-value", "2.4 GHz\n5 GHz"}},
                  JObject{{"order", 6}, {"name", "Installed"}, {"kind", "Date"}},
                  JObject{{"order", 7}, {"name", "Guest Network"}, {"kind", "Checkbox"}},
                  JObject{{"order", 8}, {"name", "Notes"}, {"kind", "Textbox"}},
                  JObject{{"order", 9}, {"name", "Details"}, {"kind", "Header"}}}}}
        );
        ASSERT_TRUE(t.is_object());
        type_id_ = IdOf(t);
        ASSERT_EQ(ValueAt(t, "relationships.flexible-asset-fields.data").as_array().size(), 9u) << t.Dump();
    }
    HttpResponse PostAsset(JObject traits) {
        return clients_->a.Post(
            "/api/flexible_assets",
            Doc("flexible_assets",
                {{"organization-id", org_id_}, {"flexible-asset-type-id", type_id_}, {"traits", std::move(traits)}})
        );
    }
    int64_t org_id_ = 0, ap1_ = 0, ap2_ = 0, type_id_ = 0;
};

TEST_P(FlexibleAssetsTest, EveryKindAndTagResolution) {
    HttpResponse r = PostAsset(
        {{"ssid", tag_ + "-Staff"},
         {"access-points", JArray{ap1_, S(ap2_)}},
         {"vlan", 20},
         {"coverage", "87.5"},
         {"band", "5 GHz"},
         {"installed", "2026-03-01"},
         {"guest_network", "true"},
         {"notes", "Ceiling mounted"}}
    );
    ASSERT_TRUE(HasStatus(r, 201)) << r.Describe();
    json::Value a = ValueAt(r.Json(), "data");
    EXPECT_EQ(StringAt(a, "attributes.name"), tag_ + "-Staff") << "from the use-for-title field";
    EXPECT_EQ(StringAt(a, "attributes.flexible-asset-type-name"), tag_ + " Wi-Fi");
    EXPECT_TRUE(JsonSubset(
        JObject{
            {"ssid", tag_ + "-Staff"},
            {"vlan", 20},
            {"coverage", 87.5},
            {"band", "5 GHz"},
            {"installed", "2026-03-01"},
            {"guest-network", true},
            {"notes", "Ceiling mounted"},
            {"access-points",
             JObject{
                 {"type", "Configurations"},
                 {"values",
                  JArray{
                      JObject{{"id", ap1_}, {"name", tag_ + "-AP1"}, {"organization-name", tag_ + " Dental"}},
                      JObject{{"id", ap2_}, {"name", tag_ + "-AP2"}}}}}}},
        ValueAt(a, "attributes.traits")
    )) << a.Dump();
    // A comma-separated string of ids, as some scripts send it.
    HttpResponse comma = PostAsset({{"ssid", tag_ + "-Guest"}, {"access-points", S(ap1_) + "," + S(ap2_)}});
    ASSERT_TRUE(HasStatus(comma, 201)) << comma.Describe();
    EXPECT_EQ(ValueAt(comma.Json(), "data.attributes.traits.access-points.values").as_array().size(), 2u);

    // The list needs its type filter.
    EXPECT_TRUE(IsErrorResponse(clients_->a.Get("/api/flexible_assets"), 400));
    HttpResponse list = clients_->a.Get("/api/flexible_assets?filter[flexible-asset-type-id]=" + S(type_id_));
    ASSERT_TRUE(HasStatus(list, 200));
    EXPECT_EQ(IdsOf(list.Json()).size(), 2u);
}

TEST_P(FlexibleAssetsTest, TraitsAreCheckedByKind) {
    const std::vector<std::pair<JObject, std::string>> bad = {
        {JObject{{"vlan", 1}}, "ssid"},                                                // required field missing
        {JObject{{"ssid", "x"}, {"vlan", "twenty"}}, "vlan"},                          // Number
        {JObject{{"ssid", "x"}, {"band", "60 GHz"}}, "band"},                          // Select option
        {JObject{{"ssid", "x"}, {"installed", "2026-02-30"}}, "installed"},            // Date
        {JObject{{"ssid", "x"}, {"guest-network", "maybe"}}, "guest-network"},         // Checkbox
        {JObject{{"ssid", "x"}, {"access-points", JArray{999999}}}, "access-points"},  // Tag must exist
        {JObject{{"ssid", "x"}, {"details", "text"}}, "details"},                      // Header takes none
        {JObject{{"ssid", "x"}, {"colour", "red"}}, "colour"},                         // not a field
    };
    for (const auto& [traits, key] : bad) {
        HttpResponse r = PostAsset(traits);
        EXPECT_TRUE(IsErrorResponse(r, 422, {"/data/attributes/traits/" + key})) << key << ": " << r.Describe();
    }
    HttpResponse list = clients_->a.Get("/api/flexible_assets?filter[flexible_asset_type_id]=" + S(type_id_));
    ASSERT_TRUE(HasStatus(list, 200));
    EXPECT_TRUE(IdsOf(list.Json()).empty()) << "nothing half-written";
}

TEST_P(FlexibleAssetsTest, PatchReplacesTheTraits) {
    HttpResponse r = PostAsset({{"ssid", tag_ + "-A"}, {"vlan", 10}, {"notes", "keep?"}});
    ASSERT_TRUE(HasStatus(r, 201));
    const int64_t id = IdOf(ValueAt(r.Json(), "data"));
    HttpResponse p = clients_->a.Patch(
        "/api/flexible_assets/" + S(id),
        Doc("flexible_assets", {{"traits", JObject{{"ssid", tag_ + "-B"}, {"vlan", nullptr}}}})
    );
    ASSERT_TRUE(HasStatus(p, 200)) << p.Describe();
    json::Value traits = ValueAt(p.Json(), "data.attributes.traits");
    EXPECT_TRUE(JsonEqual(traits, JObject{{"ssid", tag_ + "-B"}})) << "left out and null are gone: " << traits.Dump();
    EXPECT_EQ(StringAt(p.Json(), "data.attributes.name"), tag_ + "-B");
}

TEST_P(FlexibleAssetsTest, FieldsInRelationshipsNameKeysAndInclude) {
    // The itglue-py way: relationships.flexible_asset_fields.data[].attributes.
    HttpResponse r = clients_->a.Post(
        "/api/flexible_asset_types",
        json::Value(JObject{
                        {"data",
                         JObject{
                             {"type", "flexible_asset_types"},
                             {"attributes", JObject{{"name", tag_ + " Vendors"}}},
                             {"relationships",
                              JObject{
                                  {"flexible_asset_fields",
                                   JObject{
                                       {"data",
                                        JArray{JObject{
                                            {"type", "flexible_asset_fields"},
                                            {"attributes",
                                             JObject{{"order", 1}, {"name", "Owner Team"}, {"kind", "Text"}}}}}}}}}}}}}
        ).Dump()
    );
    ASSERT_TRUE(HasStatus(r, 201)) << r.Describe();
    const int64_t type = IdOf(ValueAt(r.Json(), "data"));
    HttpResponse inc = clients_->a.Get("/api/flexible_asset_types/" + S(type) + "?include=flexible_asset_fields");
    ASSERT_TRUE(HasStatus(inc, 200));
    json::Value included = ValueAt(inc.Json(), "included");
    ASSERT_TRUE(included.is_array() && included.as_array().size() == 1) << inc.Describe();
    EXPECT_EQ(StringAt(included.as_array()[0], "type"), "flexible-asset-fields");
    EXPECT_EQ(StringAt(included.as_array()[0], "attributes.name-key"), "owner-team");
    HttpResponse list =
        clients_->a.Get("/api/flexible_asset_types?filter[name]=" + tag_ + "%20Vendors&include=flexible_asset_fields");
    ASSERT_TRUE(HasStatus(list, 200));
    EXPECT_EQ(ValueAt(list.Json(), "included").as_array().size(), 1u) << list.Describe();

    // A type needs a field; a Select needs its options; a Tag needs its tag type.
    EXPECT_TRUE(IsErrorResponse(
        clients_->a.Post("/api/flexible_asset_types", Doc("flexible_asset_types", {{"name", tag_ + " empty"}})), 422
    ));
    EXPECT_TRUE(IsErrorResponse(
        clients_->a.Post(
            "/api/flexible_asset_types/" + S(type) + "/relationships/flexible_asset_fields",
            Doc("flexible_asset_fields", {{"order", 2}, {"name", "Tier"}, {"kind", "Select"}})
        ),
        422
    ));
    EXPECT_TRUE(IsErrorResponse(
        clients_->a.Post(
            "/api/flexible_asset_fields",
            Doc("flexible_asset_fields",
                {{"flexible-asset-type-id", type}, {"order", 2}, {"name", "Links"}, {"kind", "Tag"}})
        ),
        422
    ));
    EXPECT_TRUE(IsErrorResponse(
        clients_->a.Post(
            "/api/flexible_asset_fields",
            Doc("flexible_asset_fields",
                {{"flexible-asset-type-id", type}, {"order", 3}, {"name", "owner team"}, {"kind", "Text"}})
        ),
        422
    )) << "the same name-key twice";
}

INSTANTIATE_TEST_SUITE_P(
    All, FlexibleAssetsTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendParamName
);

}  // namespace
}  // namespace mortar::ftest
