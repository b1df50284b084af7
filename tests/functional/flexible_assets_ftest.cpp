// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Flexible assets (API.md 3.8–3.10, 6): types with fields given in attributes or in
// relationships, name-key slugs, include=flexible_asset_fields, the required type filter,
// every field kind checked, required fields, Tag input in every documented form and Tag
// output, PATCH replacing the traits, Password traits kept as vault-sealed embedded
// passwords, Upload traits kept as attachments of the asset, a field's kind locked once
// assets have values, and renamed or deleted fields carrying their values along.

#include "browser.hpp"
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

    // Tags name records as they are named now, and leave out deleted ones.
    ASSERT_TRUE(HasStatus(
        clients_->a.Patch("/api/configurations/" + S(ap1_), Doc("configurations", {{"name", tag_ + "-AP1-renamed"}})),
        200
    ));
    ASSERT_TRUE(HasStatus(clients_->a.Delete("/api/configurations/" + S(ap2_)), 204));
    HttpResponse later = clients_->a.Get("/api/flexible_assets/" + S(IdOf(a)));
    ASSERT_TRUE(HasStatus(later, 200));
    EXPECT_TRUE(JsonEqual(
        ValueAt(later.Json(), "data.attributes.traits.access-points"),
        JObject{
            {"type", "Configurations"},
            {"values",
             JArray{JObject{{"id", ap1_}, {"name", tag_ + "-AP1-renamed"}, {"organization-name", tag_ + " Dental"}}}}}
    )) << later.Describe();

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

// A type with a Password and an Upload field, and a key with password access.
class SecretTraitsTest : public FlexibleAssetsTest {
protected:
    void SetUp() override {
        FlexibleAssetsTest::SetUp();
        if (IsSkipped() || HasFatalFailure()) return;
        std::string error;
        auto key = server_->CreateApiKey("", true, &error);
        ASSERT_TRUE(key.has_value()) << error;
        vault_ = std::make_unique<HttpClient>(server_->base_url(), *key);
        json::Value t = Create(
            "/api/flexible_asset_types",
            "flexible-asset-types",
            {{"name", tag_ + " Firewall"},
             {"fields",
              JArray{
                  JObject{
                      {"order", 1}, {"name", "Name"}, {"kind", "Text"}, {"required", true}, {"use-for-title", true}},
                  JObject{{"order", 2}, {"name", "Admin Password"}, {"kind", "Password"}},
                  JObject{{"order", 3}, {"name", "Config Backup"}, {"kind", "Upload"}}}}}
        );
        ASSERT_TRUE(t.is_object());
        fw_type_ = IdOf(t);
    }
    HttpResponse PostFirewall(JObject traits) {
        return vault_->Post(
            "/api/flexible_assets",
            Doc("flexible_assets",
                {{"organization-id", org_id_}, {"flexible-asset-type-id", fw_type_}, {"traits", std::move(traits)}})
        );
    }
    HttpResponse PatchTraits(int64_t id, JObject traits) {
        return vault_->Patch("/api/flexible_assets/" + S(id), Doc("flexible_assets", {{"traits", std::move(traits)}}));
    }
    std::unique_ptr<HttpClient> vault_;
    int64_t fw_type_ = 0;
};

TEST_P(SecretTraitsTest, PasswordTraitsAreEmbeddedPasswordsSealedByTheVault) {
    const std::string secret = "fw-canary-" + tag_;
    HttpResponse r = PostFirewall({{"name", tag_ + "-FW"}, {"admin-password", secret}});
    ASSERT_TRUE(HasStatus(r, 201)) << r.Describe();
    EXPECT_EQ(r.body.find(secret), std::string::npos) << "the asset never carries the secret";
    const int64_t id = IdOf(ValueAt(r.Json(), "data"));
    json::Value trait = ValueAt(r.Json(), "data.attributes.traits.admin-password");
    EXPECT_EQ(StringAt(trait, "type"), "Password") << trait.Dump();
    const int64_t password_id = IntAt(trait, "password-id");
    ASSERT_GT(password_id, 0) << trait.Dump();

    // The secret is revealed (and logged) through the password, to keys with access only.
    const std::string one = "/api/passwords/" + S(password_id);
    HttpResponse revealed = vault_->Get(one);
    ASSERT_TRUE(HasStatus(revealed, 200)) << revealed.Describe();
    EXPECT_EQ(StringAt(revealed.Json(), "data.attributes.password"), secret);
    EXPECT_EQ(StringAt(revealed.Json(), "data.attributes.name"), "Admin Password");
    EXPECT_EQ(StringAt(revealed.Json(), "data.attributes.resource-type"), "Flexible Asset");
    EXPECT_EQ(IntAt(revealed.Json(), "data.attributes.resource-id"), id);
    EXPECT_EQ(StringAt(revealed.Json(), "data.attributes.cached-resource-name"), tag_ + "-FW");
    EXPECT_TRUE(IsErrorResponse(clients_->a.Get(one + "?show_password=true"), 403)) << "no password access";
    HttpResponse lists = vault_->Get("/api/flexible_assets?filter[flexible_asset_type_id]=" + S(fw_type_));
    ASSERT_TRUE(HasStatus(lists, 200));
    EXPECT_EQ(lists.body.find(secret), std::string::npos);
    HttpResponse events =
        vault_->Get("/api/activity_events?filter[resource_type]=flexible-assets&filter[resource_id]=" + S(id));
    ASSERT_TRUE(HasStatus(events, 200));
    EXPECT_EQ(events.body.find(secret), std::string::npos) << "never logged";

    // Echoing the trait back (itglue-py's save()) keeps the secret; a string replaces it.
    json::Value echoed = ValueAt(r.Json(), "data.attributes.traits");
    HttpResponse echo = vault_->Patch("/api/flexible_assets/" + S(id), Doc("flexible_assets", {{"traits", echoed}}));
    ASSERT_TRUE(HasStatus(echo, 200)) << echo.Describe();
    EXPECT_EQ(IntAt(echo.Json(), "data.attributes.traits.admin-password.password-id"), password_id);
    EXPECT_EQ(StringAt(vault_->Get(one).Json(), "data.attributes.password"), secret);
    HttpResponse changed = PatchTraits(id, {{"name", tag_ + "-FW2"}, {"admin-password", "new-" + secret}});
    ASSERT_TRUE(HasStatus(changed, 200)) << changed.Describe();
    EXPECT_EQ(IntAt(changed.Json(), "data.attributes.traits.admin-password.password-id"), password_id);
    HttpResponse now = vault_->Get(one);
    EXPECT_EQ(StringAt(now.Json(), "data.attributes.password"), "new-" + secret);
    EXPECT_EQ(StringAt(now.Json(), "data.attributes.cached-resource-name"), tag_ + "-FW2");

    // Left out of a PATCH, the trait and its password are gone (PATCH replaces the traits).
    HttpResponse cleared = PatchTraits(id, {{"name", tag_ + "-FW2"}});
    ASSERT_TRUE(HasStatus(cleared, 200)) << cleared.Describe();
    EXPECT_EQ(At(cleared.Json(), "data.attributes.traits.admin-password"), nullptr);
    EXPECT_TRUE(IsErrorResponse(vault_->Get(one), 404));

    // Deleting the asset deletes the passwords embedded in it.
    HttpResponse again = PatchTraits(id, {{"name", tag_ + "-FW2"}, {"admin-password", secret}});
    ASSERT_TRUE(HasStatus(again, 200));
    const int64_t second = IntAt(again.Json(), "data.attributes.traits.admin-password.password-id");
    ASSERT_TRUE(HasStatus(vault_->Get("/api/passwords/" + S(second)), 200));
    ASSERT_TRUE(HasStatus(vault_->Delete("/api/flexible_assets/" + S(id)), 204));
    EXPECT_TRUE(IsErrorResponse(vault_->Get("/api/passwords/" + S(second)), 404));

    EXPECT_TRUE(IsErrorResponse(
        PostFirewall({{"name", "x"}, {"admin-password", 12}}), 422, {"/data/attributes/traits/admin-password"}
    ));
}

// A restricted asset's trait passwords and files are exactly as visible as the asset.
TEST_P(SecretTraitsTest, TraitPasswordsAndFilesFollowTheAssetsRestriction) {
    auto user = [&](const std::string& who) {
        const std::string email = who + "-" + tag_ + "@example.com";
        HttpResponse made = vault_->Post(
            "/api/mortar_users",
            Doc("mortar-users",
                {{"email", email}, {"name", who}, {"role", "editor"}, {"password", "trait password 123"}})
        );
        EXPECT_TRUE(HasStatus(made, 201)) << made.Describe();
        auto browser = std::make_unique<Browser>(server_->base_url());
        EXPECT_TRUE(HasStatus(browser->Login(email, "trait password 123"), 201));
        return std::make_pair(IdOf(ValueAt(made.Json(), "data")), std::move(browser));
    };
    auto [allowed_id, allowed] = user("allowed");
    auto [other_id, other] = user("other");
    (void)other_id;
    HttpResponse r = vault_->Post(
        "/api/flexible_assets",
        Doc("flexible_assets",
            {{"organization-id", org_id_},
             {"flexible-asset-type-id", fw_type_},
             {"restricted", true},
             {"allowed-user-ids", JArray{allowed_id}},
             {"traits",
              JObject{
                  {"name", tag_ + "-FW"},
                  {"admin-password", "restricted-" + tag_},
                  {"config-backup", JObject{{"content", "ZXhwb3J0"}, {"file_name", "fw.conf"}}}}}})
    );
    ASSERT_TRUE(HasStatus(r, 201)) << r.Describe();
    const int64_t id = IdOf(ValueAt(r.Json(), "data"));
    const std::string password =
        "/api/passwords/" + S(IntAt(r.Json(), "data.attributes.traits.admin-password.password-id"));
    const std::string file = "/api/flexible_assets/" + S(id) + "/relationships/attachments/" +
                             S(IntAt(r.Json(), "data.attributes.traits.config-backup.values.0.id")) + "/download";

    HttpResponse seen = allowed->Get(password);
    ASSERT_TRUE(HasStatus(seen, 200)) << seen.Describe();
    EXPECT_EQ(StringAt(seen.Json(), "data.attributes.password"), "restricted-" + tag_);
    EXPECT_TRUE(HasStatus(allowed->Get(file), 200));
    EXPECT_TRUE(IsErrorResponse(other->Get("/api/flexible_assets/" + S(id)), 404));
    EXPECT_TRUE(IsErrorResponse(other->Get(password), 404));
    EXPECT_TRUE(IsErrorResponse(other->Get(file), 404));

    // Lifting the restriction lifts it for the trait password too.
    HttpResponse lifted =
        vault_->Patch("/api/flexible_assets/" + S(id), Doc("flexible_assets", {{"restricted", false}}));
    ASSERT_TRUE(HasStatus(lifted, 200)) << lifted.Describe();
    EXPECT_TRUE(HasStatus(other->Get(password), 200));
}

// A Tag names only the records the reader may see.
TEST_P(SecretTraitsTest, TagsNameOnlyWhatTheReaderMaySee) {
    json::Value type = Create(
        "/api/flexible_asset_types",
        "flexible-asset-types",
        {{"name", tag_ + " Runbook"},
         {"fields",
          JArray{
              JObject{{"order", 1}, {"name", "Title"}, {"kind", "Text"}, {"use-for-title", true}},
              JObject{{"order", 2}, {"name", "Logins"}, {"kind", "Tag"}, {"tag-type", "Passwords"}}}}}
    );
    ASSERT_TRUE(type.is_object());
    auto password = [&](const std::string& name, bool restricted) {
        HttpResponse r = vault_->Post(
            "/api/passwords",
            Doc("passwords",
                {{"organization-id", org_id_}, {"name", name}, {"password", "x"}, {"restricted", restricted}})
        );
        EXPECT_TRUE(HasStatus(r, 201)) << r.Describe();
        return IdOf(ValueAt(r.Json(), "data"));
    };
    const int64_t open = password(tag_ + " open", false);
    const int64_t hidden = password(tag_ + " vault root", true);
    HttpResponse r = vault_->Post(
        "/api/flexible_assets",
        Doc("flexible_assets",
            {{"organization-id", org_id_},
             {"flexible-asset-type-id", IdOf(type)},
             {"traits", JObject{{"title", tag_ + " DR"}, {"logins", JArray{open, hidden}}}}})
    );
    ASSERT_TRUE(HasStatus(r, 201)) << r.Describe();
    EXPECT_EQ(ValueAt(r.Json(), "data.attributes.traits.logins.values").as_array().size(), 2u)
        << "the writer sees both";
    const std::string email = "reader-" + tag_ + "@example.com";
    ASSERT_TRUE(HasStatus(
        vault_->Post(
            "/api/mortar_users",
            Doc("mortar-users",
                {{"email", email}, {"name", "Reader"}, {"role", "editor"}, {"password", "trait password 123"}})
        ),
        201
    ));
    Browser reader(server_->base_url());
    ASSERT_TRUE(HasStatus(reader.Login(email, "trait password 123"), 201));
    const std::string one = "/api/flexible_assets/" + S(IdOf(ValueAt(r.Json(), "data")));
    for (const std::string& target : {one, "/api/flexible_assets?filter[flexible_asset_type_id]=" + S(IdOf(type))}) {
        HttpResponse seen = reader.Get(target);
        ASSERT_TRUE(HasStatus(seen, 200)) << seen.Describe();
        EXPECT_EQ(seen.body.find("vault root"), std::string::npos) << target << ": " << seen.Describe();
        EXPECT_NE(seen.body.find(tag_ + " open"), std::string::npos) << target;
    }
    HttpResponse events = reader.Get("/api/activity_events?filter[resource_type]=flexible-assets");
    ASSERT_TRUE(HasStatus(events, 200));
    EXPECT_EQ(events.body.find("vault root"), std::string::npos) << "the log holds ids, not names";
}

TEST_P(SecretTraitsTest, UploadTraitsAreAttachmentsOfTheAsset) {
    HttpResponse r = PostFirewall(
        {{"name", tag_ + "-FW"}, {"config-backup", JArray{JObject{{"content", "ZXhwb3J0"}, {"file_name", "fw.conf"}}}}}
    );
    ASSERT_TRUE(HasStatus(r, 201)) << r.Describe();
    const int64_t id = IdOf(ValueAt(r.Json(), "data"));
    json::Value values = ValueAt(r.Json(), "data.attributes.traits.config-backup.values");
    ASSERT_TRUE(values.is_array() && values.as_array().size() == 1) << r.Describe();
    const int64_t file = IntAt(values.as_array()[0], "id");
    EXPECT_EQ(StringAt(values.as_array()[0], "name"), "fw.conf");
    EXPECT_EQ(IntAt(values.as_array()[0], "file-size"), 6);
    const std::string attachments = "/api/flexible_assets/" + S(id) + "/relationships/attachments";
    HttpResponse download = vault_->Get(attachments + "/" + S(file) + "/download");
    ASSERT_TRUE(HasStatus(download, 200)) << download.Describe();
    EXPECT_EQ(download.body, "export");

    // A file attached separately can be put in the field by id; echoing keeps both.
    HttpResponse extra = vault_->Post(
        attachments,
        Doc("attachments", {{"attachment", JObject{{"content", "c2Vjb25k"}, {"file_name", "fw-old.conf"}}}})
    );
    ASSERT_TRUE(HasStatus(extra, 201)) << extra.Describe();
    const int64_t extra_id = IdOf(ValueAt(extra.Json(), "data"));
    HttpResponse both = PatchTraits(id, {{"name", tag_ + "-FW"}, {"config-backup", JArray{file, S(extra_id)}}});
    ASSERT_TRUE(HasStatus(both, 200)) << both.Describe();
    EXPECT_EQ(ValueAt(both.Json(), "data.attributes.traits.config-backup.values").as_array().size(), 2u);
    HttpResponse echo = vault_->Patch(
        "/api/flexible_assets/" + S(id),
        Doc("flexible_assets", {{"traits", ValueAt(both.Json(), "data.attributes.traits")}})
    );
    ASSERT_TRUE(HasStatus(echo, 200)) << echo.Describe();
    EXPECT_EQ(ValueAt(echo.Json(), "data.attributes.traits.config-backup.values").as_array().size(), 2u);

    // Dropping a file from the field deletes it; an id of another asset is refused.
    HttpResponse one = PatchTraits(id, {{"name", tag_ + "-FW"}, {"config-backup", JArray{extra_id}}});
    ASSERT_TRUE(HasStatus(one, 200)) << one.Describe();
    HttpResponse list = vault_->Get(attachments);
    ASSERT_TRUE(HasStatus(list, 200));
    EXPECT_EQ(IdsOf(list.Json()), std::vector<int64_t>{extra_id});
    // The activity log shows how the traits changed.
    HttpResponse events = vault_->Get(
        "/api/activity_events?filter[resource_type]=flexible-assets&filter[action]=update&filter[resource_id]=" + S(id)
    );
    ASSERT_TRUE(HasStatus(events, 200));
    // SQLite may give a deleted record's id to a new one: keep this asset's events.
    std::vector<json::Value> ours;
    const json::Value data = ValueAt(events.Json(), "data");
    for (const json::Value& e : data.as_array()) {
        if (StringAt(e, "attributes.resource-name") == tag_ + "-FW") ours.push_back(e);
    }
    ASSERT_EQ(ours.size(), 3u) << "both, echo, one: " << events.Describe();
    json::Value change = ValueAt(ours.back(), "attributes.changes.traits");
    EXPECT_EQ(ValueAt(change, "from.config-backup.values").as_array().size(), 2u) << events.Describe();
    EXPECT_EQ(ValueAt(change, "to.config-backup.values").as_array().size(), 1u) << events.Describe();
    HttpResponse other = PostFirewall({{"name", tag_ + "-FW-B"}, {"config-backup", JArray{extra_id}}});
    EXPECT_TRUE(IsErrorResponse(other, 422, {"/data/attributes/traits/config-backup/0"})) << other.Describe();
    HttpResponse bad =
        PostFirewall({{"name", tag_ + "-FW-C"}, {"config-backup", JObject{{"content", "@@"}, {"file_name", "x"}}}});
    EXPECT_TRUE(IsErrorResponse(bad, 422)) << bad.Describe();
}

TEST_P(SecretTraitsTest, FieldsKeepTheirValuesThroughRenamesKindLocksAndDeletes) {
    HttpResponse r = PostFirewall(
        {{"name", tag_ + "-FW"},
         {"admin-password", "pw-" + tag_},
         {"config-backup", JObject{{"content", "ZXhwb3J0"}, {"file_name", "fw.conf"}}}}
    );
    ASSERT_TRUE(HasStatus(r, 201)) << r.Describe();
    const int64_t id = IdOf(ValueAt(r.Json(), "data"));
    const int64_t password_id = IntAt(r.Json(), "data.attributes.traits.admin-password.password-id");
    HttpResponse type = vault_->Get("/api/flexible_asset_types/" + S(fw_type_) + "?include=flexible_asset_fields");
    ASSERT_TRUE(HasStatus(type, 200));
    std::map<std::string, int64_t> field_ids;
    const json::Value included = ValueAt(type.Json(), "included");
    ASSERT_TRUE(included.is_array()) << type.Describe();
    for (const json::Value& f : included.as_array()) {
        field_ids[StringAt(f, "attributes.name-key")] = IdOf(f);
    }
    ASSERT_EQ(field_ids.size(), 3u);

    // The kind of a field with values is locked; the name is not, and values follow it.
    HttpResponse kind = vault_->Patch(
        "/api/flexible_asset_fields/" + S(field_ids["name"]), Doc("flexible_asset_fields", {{"kind", "Number"}})
    );
    EXPECT_TRUE(IsErrorResponse(kind, 422, {"/data/attributes/kind"})) << kind.Describe();
    HttpResponse rename = vault_->Patch(
        "/api/flexible_asset_fields/" + S(field_ids["name"]), Doc("flexible_asset_fields", {{"name", "Device Name"}})
    );
    ASSERT_TRUE(HasStatus(rename, 200)) << rename.Describe();
    HttpResponse asset = vault_->Get("/api/flexible_assets/" + S(id));
    ASSERT_TRUE(HasStatus(asset, 200));
    EXPECT_EQ(StringAt(asset.Json(), "data.attributes.traits.device-name"), tag_ + "-FW") << asset.Describe();
    EXPECT_EQ(At(asset.Json(), "data.attributes.traits.name"), nullptr);

    // A field nobody filled in may change kind.
    HttpResponse fresh = vault_->Post(
        "/api/flexible_asset_fields",
        Doc("flexible_asset_fields",
            {{"flexible-asset-type-id", fw_type_}, {"order", 4}, {"name", "Rack"}, {"kind", "Text"}})
    );
    ASSERT_TRUE(HasStatus(fresh, 201)) << fresh.Describe();
    HttpResponse to_number = vault_->Patch(
        "/api/flexible_asset_fields/" + S(IdOf(ValueAt(fresh.Json(), "data"))),
        Doc("flexible_asset_fields", {{"kind", "Number"}})
    );
    EXPECT_TRUE(HasStatus(to_number, 200)) << to_number.Describe();

    // Deleting a field deletes its values: the trait, its password, its files; the
    // asset's traits can still be echoed back.
    for (const char* key : {"admin-password", "config-backup"}) {
        HttpResponse gone = vault_->Delete("/api/flexible_asset_fields/" + S(field_ids[key]));
        ASSERT_TRUE(HasStatus(gone, 204)) << key << ": " << gone.Describe();
    }
    HttpResponse after = vault_->Get("/api/flexible_assets/" + S(id));
    ASSERT_TRUE(HasStatus(after, 200));
    EXPECT_TRUE(JsonEqual(ValueAt(after.Json(), "data.attributes.traits"), JObject{{"device-name", tag_ + "-FW"}}))
        << after.Describe();
    EXPECT_TRUE(IsErrorResponse(vault_->Get("/api/passwords/" + S(password_id)), 404));
    HttpResponse files = vault_->Get("/api/flexible_assets/" + S(id) + "/relationships/attachments");
    ASSERT_TRUE(HasStatus(files, 200));
    EXPECT_TRUE(IdsOf(files.Json()).empty()) << files.Describe();
    HttpResponse echo = vault_->Patch(
        "/api/flexible_assets/" + S(id),
        Doc("flexible_assets", {{"traits", ValueAt(after.Json(), "data.attributes.traits")}})
    );
    EXPECT_TRUE(HasStatus(echo, 200)) << echo.Describe();
}

INSTANTIATE_TEST_SUITE_P(
    All, SecretTraitsTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendParamName
);

INSTANTIATE_TEST_SUITE_P(
    All, FlexibleAssetsTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendParamName
);

}  // namespace
}  // namespace mortar::ftest
