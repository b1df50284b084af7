// SPDX-License-Identifier: AGPL-3.0-or-later
//
// HTTP tests of what API.md sections 1 and 2 require of every route: routing,
// authentication, media types, error bodies, query decoding, paging limits, the rate
// limit and the body-size limit. After each bad request the server must still answer
// and must not have written anything.

#include <algorithm>
#include <string>
#include <vector>

#include "resource_test_base.hpp"

namespace mortar::ftest {
namespace {

std::string S(int64_t v) {
    return std::to_string(v);
}

class ProtocolTest : public BackendTest {
protected:
    // total-count of /api/organizations as account A.
    int64_t CountOrganizations() {
        HttpResponse r = clients_->a.Get("/api/organizations?page[size]=1");
        if (r.status != 200) {
            ADD_FAILURE() << r.Describe();
            return -1;
        }
        json::Value count = ValueAt(r.Json(), "meta.total-count");
        return count.is_int() ? count.as_int() : -1;
    }
    // The server still serves: /healthz and an authenticated list.
    void ExpectAlive() {
        EXPECT_TRUE(HasStatus(clients_->anon.Get("/healthz"), 200)) << "the server stopped answering";
        EXPECT_TRUE(HasStatus(clients_->a.Get("/api/organizations?page[size]=1"), 200));
    }
    // Starts a server with extra options on this test's backend (not the shared one).
    std::unique_ptr<MortarServer> StartSpecial(std::vector<std::string> args) {
        ServerOptions options;
        options.backend = backend();
        options.extra_args = std::move(args);
        std::string error;
        std::unique_ptr<MortarServer> s = MortarServer::Start(options, &error);
        if (s == nullptr) ADD_FAILURE() << error;
        return s;
    }
    // Stops a special server and checks it exited with status 0.
    static void StopSpecial(std::unique_ptr<MortarServer>& s) {
        if (s == nullptr) return;
        EXPECT_EQ(s->Stop(), "");
        s.reset();
    }
};

std::string OrgDoc(const std::string& name) {
    return Doc("organizations", {{"name", name}});
}

// ---- health, auth, routing ----

TEST_P(ProtocolTest, HealthAndReadinessAnswer200WithoutAKey) {
    EXPECT_TRUE(HasStatus(clients_->anon.Get("/healthz"), 200));
    EXPECT_TRUE(HasStatus(clients_->anon.Get("/readyz"), 200));
}

TEST_P(ProtocolTest, NoKeyOrAnUnknownKeyIs401) {
    int64_t before = CountOrganizations();
    EXPECT_TRUE(IsErrorResponse(clients_->anon.Get("/api/organizations"), 401));
    EXPECT_TRUE(IsErrorResponse(clients_->anon.Get("/api/organizations/1"), 401));
    EXPECT_TRUE(IsErrorResponse(clients_->anon.Post("/api/organizations", OrgDoc(tag_)), 401));
    const std::string& key = server_->key_a();
    std::string wrong_secret = key.substr(0, key.rfind('.') + 1) + "0000000000000000";
    for (const std::string& bad :
         {std::string("ITG.00112233445566778899aabbccddeeff.bogus"),
          wrong_secret,
          std::string("not-a-key"),
          key + "x"}) {
        HttpClient client(server_->base_url(), bad);
        EXPECT_TRUE(IsErrorResponse(client.Get("/api/organizations"), 401)) << "key " << bad;
        EXPECT_TRUE(IsErrorResponse(client.Post("/api/organizations", OrgDoc(tag_)), 401)) << "key " << bad;
    }
    // An empty header is no key.
    EXPECT_TRUE(IsErrorResponse(clients_->anon.Send("GET", "/api/organizations", {}, {{"x-api-key;", ""}}, true), 401));
    EXPECT_EQ(CountOrganizations(), before) << "an unauthenticated request wrote a record";
}

TEST_P(ProtocolTest, ApiKeyHeaderNameIsCaseInsensitive) {
    for (const char* name : {"x-api-key", "X-API-KEY", "X-Api-Key", "X-API-Key"}) {
        HttpResponse r = clients_->anon.Send("GET", "/api/organizations", {}, {{name, server_->key_a()}}, true);
        EXPECT_TRUE(HasStatus(r, 200)) << "header " << name;
    }
}

TEST_P(ProtocolTest, UnknownApiRouteIs404WithAJsonErrorsBody) {
    for (const char* target :
         {"/api/no_such_resource",
          "/api/no_such_resource/1",
          "/api/organizations/1/nothing",
          "/api/organizations/1/relationships/no_such_children",
          "/api/exports_of_mortar"}) {
        HttpResponse r = clients_->a.Get(target);
        EXPECT_TRUE(IsErrorResponse(r, 404)) << target;
    }
    EXPECT_TRUE(IsErrorResponse(clients_->a.Post("/api/no_such_resource", OrgDoc(tag_)), 404));
    EXPECT_TRUE(IsErrorResponse(clients_->a.Delete("/api/no_such_resource/1"), 404));
}

TEST_P(ProtocolTest, RepeatedAndTrailingSlashesAfterApiAreIgnored) {
    int64_t id = CreateId("/api/organizations", "organizations", {{"name", tag_}});
    ASSERT_NE(id, 0);
    std::string filter = "?filter[name]=" + tag_;
    for (const std::string& path :
         {std::string("/api//organizations/"),
          std::string("/api/organizations/"),
          std::string("/api//organizations")}) {
        HttpResponse r = clients_->a.Get(path + filter);
        ASSERT_TRUE(HasStatus(r, 200)) << path;
        EXPECT_EQ(IdsOf(r.Json()), std::vector<int64_t>{id}) << path;
    }
    HttpResponse one = clients_->a.Get("/api//organizations//" + S(id) + "/");
    ASSERT_TRUE(HasStatus(one, 200));
    EXPECT_EQ(IdOf(ValueAt(one.Json(), "data")), id);
}

TEST_P(ProtocolTest, ResponsesAreJsonApiEvenOnErrors) {
    EXPECT_TRUE(HasJsonApiContentType(clients_->a.Get("/api/organizations")));
    EXPECT_TRUE(HasJsonApiContentType(clients_->anon.Get("/api/organizations")));
    EXPECT_TRUE(HasJsonApiContentType(clients_->a.Get("/api/organizations/987654321")));
}

// ---- media types and bodies ----

TEST_P(ProtocolTest, JsonMediaTypesAreAcceptedWithOrWithoutParameters) {
    for (const char* ct :
         {"application/vnd.api+json",
          "application/vnd.api+json; charset=utf-8",
          "application/vnd.api+json;charset=UTF-8",
          "application/json",
          "application/json; charset=utf-8"}) {
        HttpResponse r =
            clients_->a.Send("POST", "/api/organizations", OrgDoc(tag_ + "-" + ct), {{"Content-Type", ct}});
        EXPECT_TRUE(HasStatus(r, 201)) << "Content-Type: " << ct;
    }
    // What clients add to GETs is ignored: itglue-py's Content-Type, node-it-glue's
    // Accept, node-itglue's cache-control.
    HttpResponse get = clients_->a.Send(
        "GET",
        "/api/organizations",
        {},
        {{"Content-Type", "application/vnd.api+json"},
         {"Accept", "application/vnd.api+json"},
         {"cache-control", "no-cache"}}
    );
    EXPECT_TRUE(HasStatus(get, 200));
}

TEST_P(ProtocolTest, OtherMediaTypesAre415AndWriteNothing) {
    int64_t before = CountOrganizations();
    for (const char* ct : {"text/plain", "application/x-www-form-urlencoded", "application/xml", "text/html"}) {
        HttpResponse r = clients_->a.Send("POST", "/api/organizations", OrgDoc(tag_), {{"Content-Type", ct}});
        EXPECT_TRUE(IsErrorResponse(r, 415)) << "Content-Type: " << ct;
    }
    int64_t id = CreateId("/api/organizations", "organizations", {{"name", tag_ + "-keep"}});
    ASSERT_NE(id, 0);
    HttpResponse patch = clients_->a.Send(
        "PATCH",
        "/api/organizations/" + S(id),
        Doc("organizations", {{"name", "changed"}}, S(id)),
        {{"Content-Type", "text/plain"}}
    );
    EXPECT_TRUE(IsErrorResponse(patch, 415));
    EXPECT_EQ(CountOrganizations(), before + 1);
    HttpResponse shown = clients_->a.Get("/api/organizations/" + S(id));
    EXPECT_EQ(StringAt(shown.Json(), "data.attributes.name"), tag_ + "-keep");
    ExpectAlive();
}

TEST_P(ProtocolTest, MalformedJsonIs400AndWritesNothing) {
    int64_t before = CountOrganizations();
    for (const std::string& body :
         {std::string("{"),
          std::string("not json"),
          std::string("{\"data\": }"),
          std::string("{\"data\": {\"type\": \"organizations\", \"attributes\": {\"name\": \"x\",}}}"),
          std::string("{\"data\": {\"type\": \"organizations\", \"attributes\": {\"name\": \"x\"}}} trailing"),
          std::string("{\"data\": {\"type\": \"organizations\", \"attributes\": {\"name\": \"x\"}}"),
          std::string("\xff\xfe{}"),
          std::string("")}) {
        HttpResponse r =
            clients_->a.Send("POST", "/api/organizations", body, {{"Content-Type", "application/vnd.api+json"}});
        EXPECT_TRUE(IsErrorResponse(r, 400)) << "body: " << body.substr(0, 80);
    }
    int64_t id = CreateId("/api/organizations", "organizations", {{"name", tag_}});
    ASSERT_NE(id, 0);
    EXPECT_TRUE(IsErrorResponse(clients_->a.Patch("/api/organizations/" + S(id), "{\"data\": {"), 400));
    EXPECT_TRUE(IsErrorResponse(clients_->a.Patch("/api/organizations", "[{"), 400));
    EXPECT_TRUE(IsErrorResponse(clients_->a.Delete("/api/organizations", "{\"data\": [{\"id\": "), 400));
    EXPECT_EQ(CountOrganizations(), before + 1);
    ExpectAlive();
}

TEST_P(ProtocolTest, JsonThatIsNotADocumentIsRejectedAndWritesNothing) {
    // API.md does not say whether valid JSON of the wrong shape is 400 ("a parameter of
    // the wrong type") or 422 (validation). Either is accepted; never 2xx or 5xx.
    int64_t before = CountOrganizations();
    for (const char* body :
         {"{}",
          "[]",
          "null",
          "42",
          "{\"data\": null}",
          "{\"data\": \"x\"}",
          "{\"data\": 1}",
          "{\"data\": {\"type\": \"organizations\", \"attributes\": []}}",
          "{\"data\": {\"type\": \"organizations\", \"attributes\": \"name\"}}",
          "{\"data\": {\"type\": 7, \"attributes\": {\"name\": \"x\"}}}",
          "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
          "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"}) {
        HttpResponse r = clients_->a.Post("/api/organizations", body);
        EXPECT_TRUE(r.status == 400 || r.status == 422) << "body " << body << ": " << r.Describe();
        EXPECT_TRUE(IsErrorResponse(r, r.status)) << "body " << body;
    }
    EXPECT_EQ(CountOrganizations(), before);
    ExpectAlive();
}

TEST_P(ProtocolTest, AttributeOfTheWrongTypeIsRejectedAndWritesNothing) {
    // R2 widens foreign keys (digit strings) and booleans ("true", "0", ...); a text
    // attribute also takes a number as its decimal text, as IT Glue does (see
    // NumbersForTextAttributesAreStoredAsText). Any other value of the wrong JSON type is
    // refused. API.md 2.9 calls "a parameter of the wrong type" 400 and a validation
    // failure 422; whether an attribute value is such a "parameter" is not said, so
    // either status is accepted here, never a 2xx.
    int64_t before = CountOrganizations();
    for (const JObject& attrs :
         {JObject{{"name", JArray{"x"}}},
          JObject{{"name", JObject{{"first", "x"}}}},
          JObject{{"name", tag_}, {"organization-type-id", "abc"}},
          JObject{{"name", tag_}, {"organization_type_id", 1.5}},
          JObject{{"name", tag_}, {"parent-id", true}}}) {
        HttpResponse r = clients_->a.Post("/api/organizations", Doc("organizations", attrs));
        EXPECT_TRUE(r.status == 400 || r.status == 422)
            << "attributes " << json::Value(attrs).Dump() << ": " << r.Describe();
        EXPECT_TRUE(IsErrorResponse(r, r.status)) << "attributes " << json::Value(attrs).Dump();
    }
    EXPECT_EQ(CountOrganizations(), before);
}

TEST_P(ProtocolTest, NumbersForTextAttributesAreStoredAsText) {
    // A script that sends a postal code or a name as a JSON number gets it stored as text.
    HttpResponse r = clients_->a.Post("/api/organizations", Doc("organizations", {{"name", 4711}}));
    ASSERT_TRUE(HasStatus(r, 201));
    EXPECT_EQ(StringAt(r.Json(), "data.attributes.name"), "4711");
}

TEST_P(ProtocolTest, NonNumericIdInABodyIs400) {
    int64_t id = CreateId("/api/organizations", "organizations", {{"name", tag_}});
    ASSERT_NE(id, 0);
    EXPECT_TRUE(IsErrorResponse(
        clients_->a.Patch("/api/organizations/" + S(id), Doc("organizations", {{"name", "changed"}}, "abc")), 400
    ));
    EXPECT_TRUE(IsErrorResponse(
        clients_->a.Patch("/api/organizations/" + S(id), Doc("organizations", {{"id", "1x"}, {"name", "changed"}})), 400
    ));
    EXPECT_TRUE(IsErrorResponse(
        clients_->a.Patch("/api/organizations", BulkDoc({Item("organizations", {{"id", "abc"}, {"name", "x"}})})), 400
    ));
    EXPECT_TRUE(IsErrorResponse(
        clients_->a.Delete("/api/organizations", BulkDoc({Item("organizations", {{"id", "12abc"}})})), 400
    ));
    HttpResponse shown = clients_->a.Get("/api/organizations/" + S(id));
    ASSERT_TRUE(HasStatus(shown, 200));
    EXPECT_EQ(StringAt(shown.Json(), "data.attributes.name"), tag_);
}

TEST_P(ProtocolTest, UnknownIdIs404) {
    EXPECT_TRUE(IsErrorResponse(clients_->a.Get("/api/organizations/987654321"), 404));
    EXPECT_TRUE(IsErrorResponse(
        clients_->a.Patch("/api/organizations/987654321", Doc("organizations", {{"name", "x"}}, "987654321")), 404
    ));
    // Larger than any 64-bit id: still just an unknown record.
    EXPECT_TRUE(IsErrorResponse(clients_->a.Get("/api/organizations/99999999999999999999999"), 404));
    EXPECT_TRUE(IsErrorResponse(clients_->a.Get("/api/organizations/-1"), 404));
}

// ---- query strings ----

TEST_P(ProtocolTest, PageSizeOver1000IsCappedTo1000) {
    int64_t type_id = CreateId("/api/organization_types", "organization-types", {{"name", tag_ + "-bulk"}});
    ASSERT_NE(type_id, 0);
    for (int i = 0; i < 1001; ++i) {
        HttpResponse r = clients_->a.Post(
            "/api/organizations",
            Doc("organizations", {{"name", tag_ + "-" + std::to_string(i)}, {"organization-type-id", type_id}})
        );
        ASSERT_TRUE(HasStatus(r, 201));
    }
    std::string target = "/api/organizations?filter[organization_type_id]=" + S(type_id) + "&page[size]=5000";
    HttpResponse r = clients_->a.Get(target);
    ASSERT_TRUE(HasStatus(r, 200));
    json::Value doc = r.Json();
    EXPECT_EQ(IdsOf(doc).size(), 1000u);
    std::string meta = ValueAt(doc, "meta").Dump();
    EXPECT_TRUE(JsonEqual(ValueAt(doc, "meta.total-count"), json::Value(1001))) << "meta: " << meta;
    EXPECT_TRUE(JsonEqual(ValueAt(doc, "meta.total-pages"), json::Value(2))) << "meta: " << meta;
    EXPECT_TRUE(JsonEqual(ValueAt(doc, "meta.next-page"), json::Value(2))) << "meta: " << meta;
    for (const char* name : {"self", "first", "last", "next"}) {
        const json::Value* link = At(doc, std::string("links.") + name);
        ASSERT_TRUE(link != nullptr && link->is_string()) << "links." << name << ": " << r.Describe().substr(0, 300);
        std::string query = link->as_string().substr(link->as_string().find('?') + 1);
        std::map<std::string, std::string> params = NormalizedParams(query);
        EXPECT_EQ(params["page[size]"], "1000") << "links." << name << " = " << link->as_string();
    }
    HttpResponse page2 = clients_->a.GetAbsolute(StringAt(doc, "links.next"));
    ASSERT_TRUE(HasStatus(page2, 200));
    EXPECT_EQ(IdsOf(page2.Json()).size(), 1u);
}

TEST_P(ProtocolTest, BadPageParametersAre400) {
    for (const char* query :
         {"page[number]=abc",
          "page[size]=abc",
          "page%5Bnumber%5D=x",
          "page[number]=1.5",
          "page[size]=",
          "page[number]=1e3"}) {
        HttpResponse r = clients_->a.Get(std::string("/api/organizations?") + query);
        EXPECT_TRUE(IsErrorResponse(r, 400)) << query;
    }
    ExpectAlive();
}

TEST_P(ProtocolTest, HostileQueryStringsAre400AndTheServerStaysUp) {
    std::vector<std::string> queries = {
        "%",
        "%zz",
        "a=%00",
        "filter[name]=%00",
        "filter[name]=a%",
        "%4",
        "filter[",
        "filter[=1",
        "filter[name=1",
        "page[size=5",
        // Longer than the API takes: 20 KiB of filter value.
        "filter[name]=" + std::string(20 * 1024, 'a')};
    for (const std::string& q : queries) {
        HttpResponse r = clients_->a.Get("/api/organizations?" + q);
        EXPECT_TRUE(IsErrorResponse(r, 400)) << "query: " << q.substr(0, 40);
        ExpectAlive();
    }
    // Beyond the HTTP layer's 64 KiB header limit the server answers 431 itself, still
    // with a JSON:API errors body, and keeps serving.
    HttpResponse huge = clients_->a.Get("/api/organizations?filter[name]=" + std::string(80 * 1024, 'a'));
    EXPECT_TRUE(IsErrorResponse(huge, 431)) << huge.Describe().substr(0, 200);
    ExpectAlive();
}

TEST_P(ProtocolTest, SpacesArriveAsPlusOrPercent20) {
    int64_t id = CreateId("/api/organizations", "organizations", {{"name", tag_ + " Dental Care"}});
    ASSERT_NE(id, 0);
    for (const std::string& q :
         {"filter[name]=" + tag_ + "+Dental+Care",
          "filter[name]=" + tag_ + "%20Dental%20Care",
          "filter%5Bname%5D=" + tag_ + "%20Dental+Care"}) {
        HttpResponse r = clients_->a.Get("/api/organizations?" + q);
        ASSERT_TRUE(HasStatus(r, 200));
        EXPECT_EQ(IdsOf(r.Json()), std::vector<int64_t>{id}) << q;
    }
}

TEST_P(ProtocolTest, LinksFollowTheHostHeaderWithoutAPublicUrl) {
    ASSERT_NE(CreateId("/api/organizations", "organizations", {{"name", tag_ + "-1"}}), 0);
    ASSERT_NE(CreateId("/api/organizations", "organizations", {{"name", tag_ + "-2"}}), 0);
    HttpResponse r = clients_->a.Send(
        "GET",
        "/api/organizations?filter[name]=" + tag_ + "-1," + tag_ + "-2&page[size]=1",
        {},
        {{"Host", "mortar.test:1234"}}
    );
    ASSERT_TRUE(HasStatus(r, 200));
    const json::Value* next = At(r.Json(), "links.next");
    ASSERT_TRUE(next != nullptr && next->is_string()) << r.Describe();
    EXPECT_EQ(next->as_string().rfind("http://mortar.test:1234/api/organizations?", 0), 0u) << next->as_string();
}

// ---- servers with special options ----

TEST_P(ProtocolTest, RateLimitAnswers429WithRetryAfter) {
    std::unique_ptr<MortarServer> s = StartSpecial({"--rate-limit", "20", "--rate-window-seconds", "60"});
    ASSERT_NE(s, nullptr);
    Clients c(*s);
    for (int i = 1; i <= 20; ++i) {
        ASSERT_TRUE(HasStatus(c.a.Get("/api/organizations"), 200)) << "request " << i << " of 20";
    }
    HttpResponse limited = c.a.Get("/api/organizations");
    EXPECT_TRUE(IsErrorResponse(limited, 429));
    const std::string* retry = limited.Header("retry-after");
    ASSERT_NE(retry, nullptr) << "429 without Retry-After: " << limited.Describe();
    ASSERT_FALSE(retry->empty());
    EXPECT_TRUE(std::all_of(retry->begin(), retry->end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
        << "Retry-After: " << *retry;
    int seconds = std::atoi(retry->c_str());
    EXPECT_GE(seconds, 1);
    EXPECT_LE(seconds, 60);
    // Writes are limited too, and write nothing.
    EXPECT_TRUE(IsErrorResponse(c.a.Post("/api/organizations", OrgDoc(tag_)), 429));
    // The limit is per account: B still gets through.
    EXPECT_TRUE(HasStatus(c.b.Get("/api/organizations"), 200));
    EXPECT_TRUE(HasStatus(c.anon.Get("/healthz"), 200));
    StopSpecial(s);
}

TEST_P(ProtocolTest, OversizeBodyIs413AndTheServerStaysUp) {
    std::unique_ptr<MortarServer> s = StartSpecial({"--max-body-bytes", "65536"});
    ASSERT_NE(s, nullptr);
    Clients c(*s);
    std::string big = Doc("organizations", {{"name", tag_}, {"description", std::string(100 * 1024, 'x')}});
    HttpResponse r = c.a.Post("/api/organizations", big);
    EXPECT_TRUE(IsErrorResponse(r, 413));
    HttpClient fresh(s->base_url(), s->key_a());  // the old connection may have been closed
    EXPECT_TRUE(HasStatus(fresh.Get("/healthz"), 200));
    HttpResponse list = fresh.Get("/api/organizations?filter[name]=" + tag_);
    ASSERT_TRUE(HasStatus(list, 200));
    EXPECT_TRUE(IdsOf(list.Json()).empty()) << "the oversize create was written";
    EXPECT_TRUE(HasStatus(fresh.Post("/api/organizations", OrgDoc(tag_ + "-small")), 201));
    StopSpecial(s);
}

TEST_P(ProtocolTest, LinksUseTheConfiguredPublicUrl) {
    std::unique_ptr<MortarServer> s = StartSpecial({"--public-url", "http://mortar.example:8080"});
    ASSERT_NE(s, nullptr);
    Clients c(*s);
    ASSERT_TRUE(HasStatus(c.a.Post("/api/organizations", OrgDoc(tag_ + "-1")), 201));
    ASSERT_TRUE(HasStatus(c.a.Post("/api/organizations", OrgDoc(tag_ + "-2")), 201));
    HttpResponse r = c.a.Get("/api/organizations?page[size]=1&sort=name");
    ASSERT_TRUE(HasStatus(r, 200));
    json::Value doc = r.Json();
    for (const char* name : {"self", "first", "next", "last"}) {
        const json::Value* link = At(doc, std::string("links.") + name);
        ASSERT_TRUE(link != nullptr && link->is_string()) << r.Describe();
        EXPECT_EQ(link->as_string().rfind("http://mortar.example:8080/api/organizations?", 0), 0u)
            << "links." << name << " = " << link->as_string();
    }
    StopSpecial(s);
}

INSTANTIATE_TEST_SUITE_P(All, ProtocolTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendParamName);

// ---- the command line ----

TEST(CommandLine, VersionPrintsOneLineAndExitsZero) {
    const char* bin = std::getenv("MORTAR_BIN");
    ASSERT_NE(bin, nullptr) << "MORTAR_BIN is not set; run through ctest";
    std::string out;
    int rc = RunCommand({bin, "version"}, "/dev/null", &out, std::chrono::seconds(30));
    EXPECT_EQ(rc, 0);
    EXPECT_FALSE(out.empty());
    EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << out;
}

}  // namespace
}  // namespace mortar::ftest
