// SPDX-License-Identifier: AGPL-3.0-or-later
//
// The authorization matrix (SPEC ACL-1, ACL-2, ACL-6), generated from tables: every
// role (signed in through a web session) and both kinds of API key, against every
// kind of resource and every action — list, show, create, update, delete, reveal,
// complete — asserting what is allowed (2xx, and the change happened) and what is
// refused (403, and nothing changed). Then restricted records, organization access
// lists and a second account, over list, show, update, nested routes, bulk, search
// and the activity log. Each assertion about one request is one case; the counts are
// printed and recorded as test properties.

#include <functional>
#include <iostream>
#include <map>
#include <set>

#include "browser.hpp"
#include "resource_test_base.hpp"

namespace mortar::ftest {
namespace {

constexpr const char* kPassword = "matrix password 123";
constexpr const char* kSecret = "s3cr3t-Pa55";

std::string S(int64_t v) {
    return std::to_string(v);
}

// ---------------------------------------------------------------------------------
// The tables: what each role may do to each class of resource (docs/ACCESS.md).
// Letters: L list, S show, C create, U update, D delete, R reveal, K complete.

const std::vector<std::string> kRoles = {"administrator", "manager", "editor", "creator", "lite", "read-only"};
// API keys act as administrators; a key without password access does not reveal.
const std::vector<std::string> kKeys = {"key", "key+secrets"};

const std::map<std::string, std::map<std::string, std::string>>& Allowed() {
    static const std::map<std::string, std::map<std::string, std::string>> table = {
        {"documentation",
         {{"administrator", "LSCUDRK"},
          {"manager", "LSCUDRK"},
          {"editor", "LSCUDRK"},
          {"creator", "LSCURK"},
          {"lite", "LSRK"},
          {"read-only", "LS"},
          {"key", "LSCUDK"},
          {"key+secrets", "LSCUDRK"}}},
        {"organizations",
         {{"administrator", "LSCUD"},
          {"manager", "LSCUD"},
          {"editor", "LSU"},
          {"creator", "LSU"},
          {"lite", "LS"},
          {"read-only", "LS"},
          {"key", "LSCUD"},
          {"key+secrets", "LSCUD"}}},
        {"configuration",
         {{"administrator", "LSCUD"},
          {"manager", "LSCUD"},
          {"editor", "LS"},
          {"creator", "LS"},
          {"lite", "LS"},
          {"read-only", "LS"},
          {"key", "LSCUD"},
          {"key+secrets", "LSCUD"}}},
        {"activity",
         {{"administrator", "LS"},
          {"manager", "LS"},
          {"editor", "LS"},
          {"creator", "LS"},
          {"lite", "LS"},
          {"read-only", "LS"},
          {"key", "LS"},
          {"key+secrets", "LS"}}},
        {"administration",
         {{"administrator", "LSCUD"},
          {"manager", ""},
          {"editor", ""},
          {"creator", ""},
          {"lite", ""},
          {"read-only", ""},
          {"key", "LSCUD"},
          {"key+secrets", "LSCUD"}}},
    };
    return table;
}

// The records the resources refer to, made once per server.
struct World {
    std::string tag;
    int64_t org = 0;
    int64_t configuration_type = 0;
    int64_t asset_type = 0;
    int n = 0;  // a counter for unique labels
    std::string Label() { return tag + "-" + std::to_string(++n); }
};

// One kind of resource: its routes and how to make and change a record.
struct ResourceRow {
    std::string path;     // "passwords"
    std::string type;     // "passwords"
    std::string cls;      // a key of Allowed()
    std::string actions;  // the routes it has, as letters
    std::function<JObject(World&)> create;
    std::function<JObject(World&)> update;
    std::string update_attr;  // the attribute `update` changes
    std::function<std::string(const World&)> list_query = [](const World&) { return std::string(); };
};

const std::vector<ResourceRow>& Resources() {
    static const std::vector<ResourceRow> rows = [] {
        std::vector<ResourceRow> r;
        auto named = [](World& w) { return JObject{{"name", w.Label()}}; };
        auto in_org = [](World& w) { return JObject{{"organization-id", w.org}, {"name", w.Label()}}; };
        r.push_back({"organizations", "organizations", "organizations", "LSCUD", named, named, "name"});
        r.push_back(
            {"configurations",
             "configurations",
             "documentation",
             "LSCUD",
             [](World& w) {
                 return JObject{
                     {"organization-id", w.org}, {"name", w.Label()}, {"configuration-type-id", w.configuration_type}};
             },
             named,
             "name"}
        );
        r.push_back(
            {"contacts",
             "contacts",
             "documentation",
             "LSCUD",
             [](World& w) {
                 return JObject{{"organization-id", w.org}, {"first-name", w.Label()}};
             },
             [](World& w) {
                 return JObject{{"first-name", w.Label()}};
             },
             "first-name"}
        );
        r.push_back({"locations", "locations", "documentation", "LSCUD", in_org, named, "name"});
        r.push_back(
            {"passwords",
             "passwords",
             "documentation",
             "LSCUDR",
             [](World& w) {
                 return JObject{{"organization-id", w.org}, {"name", w.Label()}, {"password", kSecret}};
             },
             named,
             "name"}
        );
        r.push_back({"documents", "documents", "documentation", "LSCUD", in_org, named, "name"});
        r.push_back(
            {"checklists",
             "checklists",
             "documentation",
             "LSCUDK",
             [](World& w) {
                 return JObject{
                     {"organization-id", w.org}, {"name", w.Label()}, {"items", JArray{JObject{{"name", "Step"}}}}};
             },
             named,
             "name"}
        );
        ResourceRow assets{
            "flexible_assets",
            "flexible-assets",
            "documentation",
            "LSCUD",
            [](World& w) {
                return JObject{
                    {"organization-id", w.org},
                    {"flexible-asset-type-id", w.asset_type},
                    {"traits", JObject{{"title", w.Label()}}}};
            },
            [](World& w) {
                return JObject{{"traits", JObject{{"title", w.Label()}}}};
            },
            "name"};
        assets.list_query = [](const World& w) { return "?filter[flexible_asset_type_id]=" + S(w.asset_type); };
        r.push_back(assets);
        r.push_back({"organization_types", "organization-types", "configuration", "LSCU", named, named, "name"});
        r.push_back({"password_categories", "password-categories", "configuration", "LSCU", named, named, "name"});
        r.push_back({"checklist_templates", "checklist-templates", "configuration", "LSCUD", named, named, "name"});
        r.push_back(
            {"flexible_asset_types",
             "flexible-asset-types",
             "configuration",
             "LSCU",
             [](World& w) {
                 return JObject{
                     {"name", w.Label()},
                     {"fields",
                      JArray{JObject{{"order", 1}, {"name", "Title"}, {"kind", "Text"}, {"use-for-title", true}}}}};
             },
             named,
             "name"}
        );
        r.push_back({"activity_events", "activity-events", "activity", "LS", nullptr, nullptr, ""});
        r.push_back(
            {"mortar_users",
             "mortar-users",
             "administration",
             "LSCUD",
             [](World& w) {
                 const std::string label = w.Label();
                 return JObject{
                     {"email", label + "@example.com"},
                     {"name", label},
                     {"role", "read-only"},
                     {"password", kPassword}};
             },
             named,
             "name"}
        );
        r.push_back({"mortar_groups", "mortar-groups", "administration", "LSCUD", named, named, "name"});
        r.push_back({"api_keys", "api-keys", "administration", "LSCD", named, nullptr, ""});
        return r;
    }();
    return rows;
}

// ---------------------------------------------------------------------------------

// Anyone who sends requests: a signed-in browser or an API key.
using Caller = std::function<HttpResponse(std::string_view method, std::string_view target, std::string_view body)>;

class AccessMatrixTest : public BackendTest {
protected:
    void SetUp() override {
        BackendTest::SetUp();
        if (IsSkipped() || HasFatalFailure()) return;
        std::string error;
        auto secrets = server_->CreateApiKey("", true, &error);
        ASSERT_TRUE(secrets.has_value()) << error;
        admin_ = std::make_unique<HttpClient>(server_->base_url(), *secrets);
        world_.tag = tag_;
    }

    // The API key with password access that sets up and checks the world.
    HttpClient& Admin() { return *admin_; }

    int64_t MakeId(const std::string& path, const std::string& type, JObject attrs) {
        HttpResponse r = Admin().Post("/api/" + path, Doc(type, std::move(attrs)));
        if (r.status != 201) {
            ADD_FAILURE() << "creating a fixture: " << r.Describe();
            return 0;
        }
        return IdOf(*r.Json().Find("data"));
    }

    // A user of account A made through the admin API; returns its email.
    std::string MakeUser(const std::string& role, JObject extra = {}, int64_t* id = nullptr) {
        const std::string email = world_.Label() + "@example.com";
        JObject attrs{{"email", email}, {"name", "User " + email}, {"role", role}, {"password", kPassword}};
        for (auto& kv : extra) attrs.push_back(std::move(kv));
        const int64_t made = MakeId("mortar_users", "mortar-users", std::move(attrs));
        if (id) *id = made;
        return email;
    }

    // A caller signed in as a new user of that role.
    Caller SignIn(const std::string& email) {
        auto browser = std::make_shared<Browser>(server_->base_url());
        HttpResponse login = browser->Login(email, kPassword);
        EXPECT_TRUE(HasStatus(login, 201));
        return [browser](std::string_view m, std::string_view t, std::string_view b) { return browser->Send(m, t, b); };
    }

    Caller KeyCaller(bool password_access) {
        std::string error;
        auto key =
            password_access ? std::optional<std::string>(admin_->api_key()) : server_->CreateApiKey("", false, &error);
        EXPECT_TRUE(key.has_value()) << error;
        auto client = std::make_shared<HttpClient>(server_->base_url(), key.value_or(""));
        return [client](std::string_view m, std::string_view t, std::string_view b) { return client->Send(m, t, b); };
    }

    // Records one case: `ok` with a message on failure.
    void Case(bool ok, const std::string& what, const HttpResponse& r) {
        ++cases_;
        EXPECT_TRUE(ok) << what << ": " << r.Describe();
    }

    void Report(const char* name) {
        std::cout << "[ matrix   ] " << name << " (" << BackendName(backend()) << "): " << cases_ << " cases\n";
        RecordProperty("cases", cases_);
    }

    std::unique_ptr<HttpClient> admin_;
    World world_;
    int cases_ = 0;
};

bool Refused(const HttpResponse& r) {
    return r.status == 403 && r.body.find("\"errors\"") != std::string::npos;
}

TEST_P(AccessMatrixTest, RolesTimesResourcesTimesActions) {
    World& w = world_;
    w.org = MakeId("organizations", "organizations", {{"name", w.Label()}});
    w.configuration_type = MakeId("configuration_types", "configuration-types", {{"name", w.Label()}});
    w.asset_type = MakeId(
        "flexible_asset_types",
        "flexible-asset-types",
        {{"name", w.Label()},
         {"fields", JArray{JObject{{"order", 1}, {"name", "Title"}, {"kind", "Text"}, {"use-for-title", true}}}}}
    );
    ASSERT_GT(w.asset_type, 0);

    std::vector<std::pair<std::string, Caller>> principals;
    for (const std::string& role : kRoles) principals.emplace_back(role, SignIn(MakeUser(role)));
    principals.emplace_back("key", KeyCaller(false));
    principals.emplace_back("key+secrets", KeyCaller(true));

    int64_t some_event = 0;
    {
        HttpResponse events = Admin().Get("/api/activity_events?page[size]=1");
        ASSERT_TRUE(HasStatus(events, 200));
        some_event = IdsOf(events.Json()).at(0);
    }
    for (const ResourceRow& res : Resources()) {
        const std::map<std::string, std::string>& allowed = Allowed().at(res.cls);
        const std::string base = "/api/" + res.path;
        auto fresh = [&]() -> int64_t {
            if (res.path == "activity_events") return some_event;
            return MakeId(res.path, res.type, res.create(w));
        };
        const int64_t shared = fresh();
        ASSERT_GT(shared, 0) << res.path;
        for (auto& [who, call] : principals) {
            const std::string& may = allowed.at(who);
            for (char act : res.actions) {
                const bool ok = may.find(act) != std::string::npos;
                const std::string what =
                    who + " " + std::string(1, act) + " " + res.path + (ok ? " allowed" : " refused");
                switch (act) {
                    case 'L': {
                        HttpResponse r = call("GET", base + res.list_query(w), "");
                        Case(ok ? r.status == 200 : Refused(r), what, r);
                        break;
                    }
                    case 'S': {
                        HttpResponse r = call("GET", base + "/" + S(shared), "");
                        Case(ok ? r.status == 200 && IdOf(*r.Json().Find("data")) == shared : Refused(r), what, r);
                        break;
                    }
                    case 'C': {
                        JObject body = res.create(w);
                        HttpResponse r = call("POST", base, Doc(res.type, body));
                        Case(ok ? r.status == 201 : Refused(r), what, r);
                        break;
                    }
                    case 'U': {
                        const int64_t id = fresh();
                        JObject change = res.update(w);
                        HttpResponse r = call("PATCH", base + "/" + S(id), Doc(res.type, change));
                        Case(ok ? r.status == 200 : Refused(r), what, r);
                        // Refused or not, the store says whether it changed.
                        HttpResponse after = Admin().Get(base + "/" + S(id));
                        const json::Value* sent = nullptr;
                        for (const auto& [k, v] : change) {
                            if (k == res.update_attr) sent = &v;
                        }
                        const json::Value now = ValueAt(after.Json(), "data.attributes." + res.update_attr);
                        if (sent && sent->is_string()) {
                            Case(
                                (now.is_string() && now.as_string() == sent->as_string()) == ok,
                                what + " (stored)",
                                after
                            );
                        }
                        break;
                    }
                    case 'D': {
                        const int64_t id = fresh();
                        HttpResponse r = call("DELETE", base + "/" + S(id), "");
                        Case(ok ? r.status == 204 : Refused(r), what, r);
                        HttpResponse after = Admin().Get(base + "/" + S(id));
                        if (res.path == "api_keys") {
                            Case(
                                ValueAt(after.Json(), "data.attributes.revoked-at").is_string() == ok,
                                what + " (revoked)",
                                after
                            );
                        } else {
                            Case(after.status == (ok ? 404 : 200), what + " (stored)", after);
                        }
                        break;
                    }
                    case 'R': {
                        HttpResponse r = call("GET", base + "/" + S(shared) + "?show_password=true", "");
                        Case(
                            ok ? r.status == 200 && StringAt(r.Json(), "data.attributes.password") == kSecret
                               : Refused(r) && r.body.find(kSecret) == std::string::npos,
                            what,
                            r
                        );
                        // Without asking, a GET shows the secret exactly to those allowed.
                        HttpResponse plain = call("GET", base + "/" + S(shared), "");
                        Case(
                            plain.status == 200 && (plain.body.find(kSecret) != std::string::npos) == ok,
                            what + " (default show)",
                            plain
                        );
                        break;
                    }
                    case 'K': {
                        const int64_t id = fresh();
                        HttpResponse r = call("PATCH", base + "/" + S(id) + "/items/1/complete", "");
                        Case(ok ? r.status == 200 : Refused(r), what, r);
                        break;
                    }
                    default:
                        FAIL() << "unknown action " << act;
                }
            }
        }
    }
    Report("roles x resources x actions");
}

// ---------------------------------------------------------------------------------

TEST_P(AccessMatrixTest, RestrictedRecordsAreInvisibleToAllButTheirGrantees) {
    World& w = world_;
    w.org = MakeId("organizations", "organizations", {{"name", w.Label()}});
    w.asset_type = MakeId(
        "flexible_asset_types",
        "flexible-asset-types",
        {{"name", w.Label()},
         {"fields", JArray{JObject{{"order", 1}, {"name", "Title"}, {"kind", "Text"}, {"use-for-title", true}}}}}
    );
    int64_t editor_id = 0, lite_id = 0;
    const std::string editor = MakeUser("editor", {}, &editor_id);
    const std::string lite = MakeUser("lite", {}, &lite_id);
    const std::string manager = MakeUser("manager");
    const std::string reader = MakeUser("read-only");
    const std::string administrator = MakeUser("administrator");
    const int64_t group =
        MakeId("mortar_groups", "mortar-groups", {{"name", w.Label()}, {"member-ids", JArray{lite_id}}});
    ASSERT_GT(group, 0);

    // Who sees which of the four records: open, granted to the editor, granted to the
    // group (the lite user), granted to nobody.
    enum Rec { kOpen, kEditor, kGroup, kNobody };
    struct Who {
        std::string name;
        Caller call;
        std::set<int> sees;
        bool may_update;
    };
    std::vector<Who> people = {
        {"administrator", SignIn(administrator), {kOpen, kEditor, kGroup, kNobody}, true},
        {"key", KeyCaller(true), {kOpen, kEditor, kGroup, kNobody}, true},
        {"manager", SignIn(manager), {kOpen}, true},
        {"editor", SignIn(editor), {kOpen, kEditor}, true},
        {"lite", SignIn(lite), {kOpen, kGroup}, false},
        {"read-only", SignIn(reader), {kOpen}, false},
    };

    struct Kind {
        std::string path, type;
        bool nested_list;
        std::function<JObject(World&, const std::string& word)> create;
    };
    const std::vector<Kind> kinds = {
        {"passwords",
         "passwords",
         true,
         [](World& w, const std::string& word) {
             return JObject{{"organization-id", w.org}, {"name", word}, {"password", kSecret}};
         }},
        {"documents",
         "documents",
         true,
         [](World& w, const std::string& word) {
             return JObject{{"organization-id", w.org}, {"name", word}};
         }},
        {"flexible_assets",
         "flexible-assets",
         false,
         [](World& w, const std::string& word) {
             return JObject{
                 {"organization-id", w.org},
                 {"flexible-asset-type-id", w.asset_type},
                 {"traits", JObject{{"title", word}}}};
         }},
    };
    for (const Kind& kind : kinds) {
        const std::string base = "/api/" + kind.path;
        // One search word per kind, shared by its four records.
        const std::string word = "zq" + tag_ + kind.path.substr(0, 3);
        std::vector<int64_t> ids;
        for (int rec = kOpen; rec <= kNobody; ++rec) {
            JObject attrs = kind.create(w, word + " r" + std::to_string(rec));
            if (rec != kOpen) attrs.emplace_back("restricted", true);
            if (rec == kEditor) attrs.emplace_back("allowed-user-ids", JArray{editor_id});
            if (rec == kGroup) attrs.emplace_back("allowed-group-ids", JArray{S(group)});  // digit strings are ids too
            ids.push_back(MakeId(kind.path, kind.type, std::move(attrs)));
        }
        ASSERT_EQ(ids.size(), 4u);
        {
            HttpResponse shown = Admin().Get(base + "/" + S(ids[kEditor]));
            Case(
                JsonEqual(ValueAt(shown.Json(), "data.attributes.allowed-user-ids"), json::Value(JArray{editor_id})) &&
                    ValueAt(shown.Json(), "data.attributes.restricted").as_bool(),
                kind.path + " carries its grants",
                shown
            );
        }
        const std::string list =
            base + "?page[size]=1000&filter[organization_id]=" + S(w.org) +
            (kind.path == "flexible_assets" ? "&filter[flexible_asset_type_id]=" + S(w.asset_type) : "");
        for (Who& p : people) {
            HttpResponse listed = p.call("GET", list, "");
            const std::vector<int64_t> in_list = IdsOf(listed.Json());
            HttpResponse found = p.call("GET", "/api/search_results?page[size]=100&q=" + word, "");
            std::set<int64_t> searched;
            if (const json::Value* data = found.Json().Find("data"); data && data->is_array()) {
                for (const json::Value& hit : data->as_array()) {
                    searched.insert(ValueAt(hit, "attributes.resource-id").as_int());
                }
            }
            HttpResponse nested;
            if (kind.nested_list) {
                nested = p.call(
                    "GET", "/api/organizations/" + S(w.org) + "/relationships/" + kind.path + "?page[size]=1000", ""
                );
            }
            for (int rec = kOpen; rec <= kNobody; ++rec) {
                const bool sees = p.sees.count(rec) > 0;
                const int64_t id = ids[rec];
                const std::string what = p.name + " on " + kind.path + " record " + std::to_string(rec);
                Case((std::find(in_list.begin(), in_list.end(), id) != in_list.end()) == sees, what + " list", listed);
                Case(searched.count(id) == (sees ? 1u : 0u), what + " search", found);
                if (kind.nested_list) {
                    const std::vector<int64_t> nested_ids = IdsOf(nested.Json());
                    Case(
                        (std::find(nested_ids.begin(), nested_ids.end(), id) != nested_ids.end()) == sees,
                        what + " nested list",
                        nested
                    );
                }
                HttpResponse one = p.call("GET", base + "/" + S(id), "");
                Case(one.status == (sees ? 200 : 404), what + " show", one);
                if (!sees) Case(one.body.find(word) == std::string::npos, what + " 404 says nothing", one);
                if (kind.nested_list) {
                    HttpResponse nested_one = p.call(
                        "GET", "/api/organizations/" + S(w.org) + "/relationships/" + kind.path + "/" + S(id), ""
                    );
                    Case(nested_one.status == (sees ? 200 : 404), what + " nested show", nested_one);
                }
                HttpResponse events = p.call(
                    "GET",
                    "/api/activity_events?filter[resource_type]=" + kind.type + "&filter[resource_id]=" + S(id),
                    ""
                );
                Case(events.status == 200 && IdsOf(events.Json()).empty() != sees, what + " activity", events);
                HttpResponse patched = p.call("PATCH", base + "/" + S(id), Doc(kind.type, {{"archived", true}}));
                Case(patched.status == (!p.may_update ? 403 : sees ? 200 : 404), what + " update", patched);
                if (kind.path == "passwords") {
                    HttpResponse revealed = p.call("GET", base + "/" + S(id) + "?show_password=true", "");
                    const int want = p.name == "read-only" ? 403 : sees ? 200 : 404;
                    Case(
                        revealed.status == want && (revealed.body.find(kSecret) != std::string::npos) == (want == 200),
                        what + " reveal",
                        revealed
                    );
                }
            }
        }
        // Bulk: one hidden record in the batch fails the batch, and nothing is written.
        HttpResponse bulk = people[2].call(  // the manager
            "PATCH",
            base,
            BulkDoc(JArray{
                Item(kind.type, {{"archived", false}}, S(ids[kOpen])),
                Item(kind.type, {{"archived", false}}, S(ids[kNobody]))})
        );
        if (kind.path != "documents" && kind.path != "flexible_assets") {
            Case(bulk.status == 404, "manager bulk update " + kind.path + " with a hidden record", bulk);
            Case(
                ValueAt(Admin().Get(base + "/" + S(ids[kOpen])).Json(), "data.attributes.archived").as_bool(),
                "the failed bulk update left the open record as it was",
                bulk
            );
        }
        // A password cannot be embedded in a record its writer may not see (nor learn its name).
        if (kind.path != "passwords") {
            const std::string embed_type = kind.path == "documents" ? "Document" : "Flexible Asset";
            for (int rec : {kOpen, kNobody}) {
                HttpResponse embedded = people[3].call(  // the editor
                    "POST",
                    "/api/passwords",
                    Doc("passwords",
                        {{"organization-id", w.org},
                         {"name", w.Label()},
                         {"password", kSecret},
                         {"resource-id", ids[rec]},
                         {"resource-type", embed_type}})
                );
                Case(
                    rec == kOpen ? embedded.status == 201
                                 : IsErrorResponse(
                                       embedded, 422, {"/data/attributes/resource_id", "/data/attributes/resource-id"}
                                   )
                                       .
                                       operator bool(),
                    "editor embeds a password in " + kind.path + " record " + std::to_string(rec),
                    embedded
                );
                Case(embedded.body.find(word + " r3") == std::string::npos, "the refusal names nothing", embedded);
            }
        }
        // A deleted restricted record's history stays hidden.
        HttpResponse gone = Admin().Delete(base + "/" + S(ids[kNobody]));
        Case(gone.status == 204, "delete " + kind.path + " record 3", gone);
        const std::string history =
            "/api/activity_events?filter[resource_type]=" + kind.type + "&filter[resource_id]=" + S(ids[kNobody]);
        HttpResponse mine = people[0].call("GET", history, "");
        Case(IdsOf(mine.Json()).size() >= 2, "the administrator still sees the deleted record's history", mine);
        HttpResponse theirs = people[2].call("GET", history, "");
        Case(theirs.status == 200 && IdsOf(theirs.Json()).empty(), "the manager does not", theirs);
        // The grants can be changed: the manager is let in.
        HttpResponse grant = Admin().Patch(
            base + "/" + S(ids[kEditor]),
            Doc(kind.type, {{"allowed-user-ids", JArray{editor_id}}, {"allowed-group-ids", JArray{group}}})
        );
        Case(grant.status == 200, "grant " + kind.path + " to a group", grant);
        Case(
            people[4].call("GET", base + "/" + S(ids[kEditor]), "").status == 200, "the group member sees it now", grant
        );
        Case(
            people[2].call("GET", base + "/" + S(ids[kEditor]), "").status == 404, "the manager still does not", grant
        );
        HttpResponse bad =
            Admin().Patch(base + "/" + S(ids[kEditor]), Doc(kind.type, {{"allowed-user-ids", JArray{999999999}}}));
        Case(
            IsErrorResponse(bad, 422, {"/data/attributes/allowed-user-ids", "/data/attributes/allowed_user_ids"}),
            "grants name users that exist",
            bad
        );
    }
    // Grants die with their record, also when its organization is deleted with it: a new
    // restricted record (on SQLite possibly with the same id) is granted to nobody.
    {
        const int64_t doomed = MakeId("organizations", "organizations", {{"name", w.Label()}});
        const int64_t granted = MakeId(
            "passwords",
            "passwords",
            {{"organization-id", doomed},
             {"name", w.Label()},
             {"password", kSecret},
             {"restricted", true},
             {"allowed-user-ids", JArray{editor_id}}}
        );
        HttpResponse before = people[3].call("GET", "/api/passwords/" + S(granted), "");
        Case(before.status == 200, "the editor sees a granted record", before);
        HttpResponse gone = Admin().Delete("/api/organizations/" + S(doomed));
        Case(gone.status == 204, "delete the organization and its passwords", gone);
        const int64_t next = MakeId(
            "passwords",
            "passwords",
            {{"organization-id", w.org}, {"name", w.Label()}, {"password", kSecret}, {"restricted", true}}
        );
        HttpResponse shown = people[3].call("GET", "/api/passwords/" + S(next), "");
        Case(
            shown.status == 404,
            "a new restricted record inherits no grant (ids " + S(granted) + ", " + S(next) + ")",
            shown
        );
        HttpResponse admin_view = Admin().Get("/api/passwords/" + S(next));
        Case(
            JsonEqual(ValueAt(admin_view.Json(), "data.attributes.allowed-user-ids"), json::Value(JArray{})),
            "and shows none",
            admin_view
        );
    }
    Report("restricted records");
}

// ---------------------------------------------------------------------------------

TEST_P(AccessMatrixTest, OrganizationAccessListsHideOtherOrganizations) {
    World& w = world_;
    const int64_t oa = MakeId("organizations", "organizations", {{"name", w.Label()}});
    const int64_t ob = MakeId("organizations", "organizations", {{"name", w.Label()}});
    const int64_t oc = MakeId("organizations", "organizations", {{"name", w.Label()}});
    const int64_t type = MakeId("configuration_types", "configuration-types", {{"name", w.Label()}});
    const std::string word = "zo" + tag_;
    std::map<int64_t, int64_t> configuration_of;
    for (int64_t org : {oa, ob, oc}) {
        configuration_of[org] = MakeId(
            "configurations",
            "configurations",
            {{"organization-id", org}, {"name", word + " " + S(org)}, {"configuration-type-id", type}}
        );
    }
    const int64_t global_doc = MakeId("documents", "documents", {{"name", word + " global"}});
    int64_t via_group_id = 0;
    const std::string limited = MakeUser("editor", {{"all-organizations", false}, {"organization-ids", JArray{oa}}});
    const std::string via_group = MakeUser("lite", {{"all-organizations", false}}, &via_group_id);
    const int64_t group = MakeId(
        "mortar_groups",
        "mortar-groups",
        {{"name", w.Label()}, {"member-ids", JArray{via_group_id}}, {"organization-ids", JArray{ob}}}
    );
    ASSERT_GT(group, 0);
    const std::string manager = MakeUser("manager", {{"all-organizations", false}});
    const std::string everywhere = MakeUser("read-only");

    struct Who {
        std::string name;
        Caller call;
        std::set<int64_t> orgs;
    };
    std::vector<Who> people = {
        {"editor limited to A", SignIn(limited), {oa}},
        {"lite through a group to B", SignIn(via_group), {ob}},
        {"manager (always all)", SignIn(manager), {oa, ob, oc}},
        {"read-only (all)", SignIn(everywhere), {oa, ob, oc}},
    };
    for (Who& p : people) {
        HttpResponse orgs = p.call("GET", "/api/organizations?filter[id]=" + S(oa) + "," + S(ob) + "," + S(oc), "");
        const std::vector<int64_t> listed = IdsOf(orgs.Json());
        HttpResponse configurations = p.call("GET", "/api/configurations?filter[configuration_type_id]=" + S(type), "");
        const std::vector<int64_t> configs = IdsOf(configurations.Json());
        HttpResponse found = p.call("GET", "/api/search_results?q=" + word + "&page[size]=100", "");
        std::set<int64_t> hits;
        for (const json::Value& hit : found.Json().Find("data")->as_array()) {
            hits.insert(ValueAt(hit, "attributes.resource-id").as_int());
        }
        for (int64_t org : {oa, ob, oc}) {
            const bool sees = p.orgs.count(org) > 0;
            const std::string what = p.name + " on organization " + S(org) + (sees ? " (on the list)" : " (not)");
            Case((std::find(listed.begin(), listed.end(), org) != listed.end()) == sees, what + " list", orgs);
            HttpResponse one = p.call("GET", "/api/organizations/" + S(org), "");
            Case(one.status == (sees ? 200 : 404), what + " show", one);
            const int64_t config = configuration_of[org];
            Case(
                (std::find(configs.begin(), configs.end(), config) != configs.end()) == sees,
                what + " records",
                configurations
            );
            HttpResponse config_one = p.call("GET", "/api/configurations/" + S(config), "");
            Case(config_one.status == (sees ? 200 : 404), what + " record show", config_one);
            HttpResponse nested = p.call("GET", "/api/organizations/" + S(org) + "/relationships/configurations", "");
            Case(nested.status == (sees ? 200 : 404), what + " nested list", nested);
            HttpResponse events = p.call("GET", "/api/organizations/" + S(org) + "/relationships/activity_events", "");
            Case(events.status == (sees ? 200 : 404), what + " organization activity", events);
            HttpResponse all_events = p.call(
                "GET", "/api/activity_events?filter[resource_type]=configurations&filter[resource_id]=" + S(config), ""
            );
            Case(IdsOf(all_events.Json()).empty() != sees, what + " activity", all_events);
            Case(hits.count(config) == (sees ? 1u : 0u), what + " search", found);
            if (p.name.rfind("editor", 0) == 0) {
                HttpResponse made = p.call(
                    "POST",
                    "/api/configurations",
                    Doc("configurations",
                        {{"organization-id", org}, {"name", w.Label()}, {"configuration-type-id", type}})
                );
                Case(
                    sees ? made.status == 201
                         : IsErrorResponse(
                               made, 422, {"/data/attributes/organization-id", "/data/attributes/organization_id"}
                           )
                               .
                               operator bool(),
                    what + " create",
                    made
                );
                HttpResponse moved = p.call(
                    "PATCH",
                    "/api/configurations/" + S(configuration_of[oa]),
                    Doc("configurations", {{"organization-id", org}})
                );
                Case(sees ? moved.status == 200 : moved.status == 422, what + " move a record there", moved);
            }
        }
        HttpResponse global = p.call("GET", "/api/documents/" + S(global_doc), "");
        Case(global.status == 200, p.name + " sees a global document", global);
        Case(hits.count(global_doc) == 1, p.name + " finds a global document", found);
    }
    Report("organization access lists");
}

// ---------------------------------------------------------------------------------

// The digits of `id` in a body replaced, so bodies about different ids compare.
std::string WithoutId(std::string body, int64_t id) {
    const std::string digits = S(id);
    for (auto at = body.find(digits); at != std::string::npos; at = body.find(digits, at)) {
        body.replace(at, digits.size(), "<id>");
    }
    return body;
}

TEST_P(AccessMatrixTest, AnotherAccountsRecordsAreMissingRecords) {
    World& w = world_;
    w.org = MakeId("organizations", "organizations", {{"name", w.Label()}});
    w.configuration_type = MakeId("configuration_types", "configuration-types", {{"name", w.Label()}});
    w.asset_type = MakeId(
        "flexible_asset_types",
        "flexible-asset-types",
        {{"name", w.Label()},
         {"fields", JArray{JObject{{"order", 1}, {"name", "Title"}, {"kind", "Text"}, {"use-for-title", true}}}}}
    );
    const std::string b_email = w.Label() + "@example.com";
    std::string error;
    ASSERT_TRUE(server_->CreateUser(b_email, "B admin", "administrator", kPassword, "other", &error).has_value())
        << error;
    std::vector<std::pair<std::string, Caller>> strangers = {
        {"account B's administrator", SignIn(b_email)},
        {"account B's key",
         [this](std::string_view m, std::string_view t, std::string_view b) { return clients_->b.Send(m, t, b); }}};
    // A user of A limited to no organization sees A's organization records as missing too.
    const std::string nowhere = MakeUser("manager");
    const std::string limited = MakeUser("editor", {{"all-organizations", false}});
    Caller hidden = SignIn(limited);
    (void)nowhere;

    HttpResponse events = Admin().Get("/api/activity_events?page[size]=1");
    const int64_t some_event = IdsOf(events.Json()).at(0);
    for (const ResourceRow& res : Resources()) {
        const std::string base = "/api/" + res.path;
        const int64_t id = res.path == "activity_events" ? some_event : MakeId(res.path, res.type, res.create(w));
        ASSERT_GT(id, 0) << res.path;
        const std::string never = base + "/999999999";
        for (auto& [who, call] : strangers) {
            const std::string what = who + " on " + res.path + " " + S(id);
            HttpResponse one = call("GET", base + "/" + S(id), "");
            HttpResponse missing = call("GET", never, "");
            Case(one.status == 404, what + " show", one);
            Case(
                WithoutId(one.body, id) == WithoutId(missing.body, 999999999), what + " show body = a missing id's", one
            );
            if (res.actions.find('L') != std::string::npos) {
                HttpResponse listed = call(
                    "GET",
                    base + res.list_query(w) + (res.list_query(w).empty() ? "?" : "&") + "filter[id]=" + S(id),
                    ""
                );
                const std::vector<int64_t> ids = IdsOf(listed.Json());
                Case(
                    listed.status == 200 && std::find(ids.begin(), ids.end(), id) == ids.end(), what + " list", listed
                );
            }
            if (res.actions.find('U') != std::string::npos) {
                HttpResponse patched = call("PATCH", base + "/" + S(id), Doc(res.type, res.update(w)));
                Case(
                    patched.status == 404 && WithoutId(patched.body, id) == WithoutId(missing.body, 999999999),
                    what + " update",
                    patched
                );
            }
            if (res.actions.find('D') != std::string::npos) {
                HttpResponse deleted = call("DELETE", base + "/" + S(id), "");
                Case(
                    deleted.status == 404 && WithoutId(deleted.body, id) == WithoutId(missing.body, 999999999),
                    what + " delete",
                    deleted
                );
            }
            if (res.actions.find('R') != std::string::npos) {
                HttpResponse revealed = call("GET", base + "/" + S(id) + "?show_password=true", "");
                Case(
                    revealed.status == (who.find("key") != std::string::npos ? 403 : 404) &&
                        revealed.body.find(kSecret) == std::string::npos,
                    what + " reveal",
                    revealed
                );
            }
        }
        // Still there for its own account.
        Case(Admin().Get(base + "/" + S(id)).status == 200, res.path + " untouched", events);
        // The same 404, byte for byte, as a record hidden by an access list.
        if (res.cls == "documentation" || res.cls == "organizations") {
            HttpResponse mine_hidden = hidden("GET", base + "/" + S(id), "");
            HttpResponse theirs = strangers[0].second("GET", base + "/" + S(id), "");
            Case(
                mine_hidden.status == 404 && mine_hidden.body == theirs.body,
                res.path + ": another account's record and a hidden one answer alike",
                mine_hidden
            );
        }
    }
    // Nested routes under another account's organization.
    for (auto& [who, call] : strangers) {
        HttpResponse nested = call("GET", "/api/organizations/" + S(w.org) + "/relationships/configurations", "");
        Case(nested.status == 404, who + " nested list under A's organization", nested);
        HttpResponse made = call(
            "POST",
            "/api/organizations/" + S(w.org) + "/relationships/passwords",
            BulkDoc(JArray{Item("passwords", {{"name", "x"}, {"password", "y"}})})
        );
        Case(made.status == 404, who + " nested create under A's organization", made);
        HttpResponse found = call("GET", "/api/search_results?q=" + tag_, "");
        Case(found.status == 200 && IdsOf(found.Json()).empty(), who + " searches A's records", found);
    }
    Report("two accounts");
}

INSTANTIATE_TEST_SUITE_P(
    All, AccessMatrixTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendParamName
);

}  // namespace
}  // namespace mortar::ftest
