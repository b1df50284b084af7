// SPDX-License-Identifier: AGPL-3.0-or-later
#include "jsonapi/document.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/json.hpp"

namespace mortar::jsonapi {
namespace {

TEST(HttpStatusOfTest, EveryCode) {
    const std::vector<std::pair<Code, int>> cases = {
        {Code::kOk, 200},
        {Code::kInvalidArgument, 400},
        {Code::kUnauthenticated, 401},
        {Code::kPermissionDenied, 403},
        {Code::kNotFound, 404},
        {Code::kConflict, 409},
        {Code::kUnsupportedMedia, 415},
        {Code::kUnprocessable, 422},
        {Code::kResourceExhausted, 429},
        {Code::kUnavailable, 503},
        {Code::kDeadlineExceeded, 504},
        {Code::kInternal, 500},
    };
    for (const auto& [code, status] : cases) EXPECT_EQ(HttpStatusOf(code), status) << static_cast<int>(code);
}

TEST(TitleOfTest, ReasonPhrases) {
    const std::vector<std::pair<int, std::string>> cases = {
        {400, "Bad Request"},
        {401, "Unauthorized"},
        {403, "Forbidden"},
        {404, "Not Found"},
        {405, "Method Not Allowed"},
        {409, "Conflict"},
        {413, "Payload Too Large"},
        {415, "Unsupported Media Type"},
        {422, "Unprocessable Entity"},
        {429, "Too Many Requests"},
        {500, "Internal Server Error"},
        {503, "Service Unavailable"},
        {504, "Gateway Timeout"},
        {418, "Bad Request"},
        {599, "Internal Server Error"},
    };
    for (const auto& [status, title] : cases) EXPECT_EQ(TitleOf(status), title) << status;
}

TEST(ErrorBodyTest, Shape) {
    // API.md 2.9 and the validation example of section 6.
    EXPECT_EQ(
        ErrorBody(422, "can't be blank", "/data/attributes/name"),
        R"({"errors":[{"status":422,"title":"Unprocessable Entity","detail":"can't be blank",)"
        R"("source":{"pointer":"/data/attributes/name"}}]})"
    );
    EXPECT_EQ(
        ErrorBody(404, "configuration 42 not found"),
        R"({"errors":[{"status":404,"title":"Not Found","detail":"configuration 42 not found"}]})"
    );
    EXPECT_EQ(ErrorBody(401, ""), R"({"errors":[{"status":401,"title":"Unauthorized","detail":"Unauthorized"}]})");
    // Details are escaped; the body always parses.
    const std::string body = ErrorBody(400, "bad \"name\"\n\\ \x01 \xFF", "/data/attributes/a\"b");
    Result<json::Value> parsed = json::Parse(body);
    ASSERT_TRUE(parsed.ok()) << body;
    const json::Value& error = parsed->Find("errors")->as_array()[0];
    EXPECT_TRUE(error.Find("status")->is_int());  // a number, as IT Glue sends it
    EXPECT_EQ(error.Find("detail")->as_string(), "bad \"name\"\n\\ \x01 \xEF\xBF\xBD");
    EXPECT_EQ(error.Find("source")->Find("pointer")->as_string(), "/data/attributes/a\"b");
}

TEST(ErrorResponseTest, WithMetaBesideTheErrors) {
    http::Response r = ErrorResponse(Status::Conflict("a similar one exists"), R"({"similar":[1]})");
    EXPECT_EQ(r.status, 409);
    EXPECT_EQ(
        r.body,
        R"({"errors":[{"status":409,"title":"Conflict","detail":"a similar one exists"}],"meta":{"similar":[1]}})"
    );
}

TEST(ErrorResponseTest, FromStatus) {
    http::Response r = ErrorResponse(Status::Unprocessable("must exist", "/data/attributes/organization_id"));
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(r.Header("Content-Type"), "application/vnd.api+json; charset=utf-8");
    EXPECT_EQ(
        r.body,
        R"({"errors":[{"status":422,"title":"Unprocessable Entity","detail":"must exist",)"
        R"("source":{"pointer":"/data/attributes/organization_id"}}]})"
    );

    const std::vector<std::pair<Status, int>> cases = {
        {Status::InvalidArgument("malformed JSON: invalid number"), 400},
        {Status::Unauthenticated("missing x-api-key"), 401},
        {Status::PermissionDenied("no password access"), 403},
        {Status::NotFound("unknown route"), 404},
        {Status::Conflict("taken"), 409},
        {Status(Code::kUnsupportedMedia, "text/plain"), 415},
        {Status::ResourceExhausted("slow down"), 429},
        {Status::Internal("bug"), 500},
        {Status::Unavailable("database busy"), 503},
        {Status::DeadlineExceeded("timeout"), 504},
    };
    for (const auto& [status, http_status] : cases) {
        http::Response resp = ErrorResponse(status);
        EXPECT_EQ(resp.status, http_status) << status.message();
        EXPECT_EQ(resp.Header("Content-Type"), "application/vnd.api+json; charset=utf-8");
        EXPECT_EQ(
            resp.body,
            R"({"errors":[{"status":)" + std::to_string(http_status) + R"(,"title":")" +
                std::string(TitleOf(http_status)) + R"(","detail":")" + status.message() + R"("}]})"
        );
    }

    http::Response direct = ErrorResponse(413, "body larger than 10 MiB");
    EXPECT_EQ(direct.status, 413);
    EXPECT_EQ(
        direct.body, R"({"errors":[{"status":413,"title":"Payload Too Large","detail":"body larger than 10 MiB"}]})"
    );

    EXPECT_THROW(ErrorResponse(Status::Ok()), LogicError);
}

// ---- pagination ----

constexpr std::string_view kBase = "http://mortar.example:8080/api/configurations";

std::string MetaAndLinks(const Page& page, std::string_view raw_query, std::string_view base = kBase) {
    Result<QueryPairs> query = DecodeQuery(raw_query);
    EXPECT_TRUE(query.ok()) << raw_query;
    json::Writer w;
    w.BeginObject();
    WritePageMetaAndLinks(w, page, base, *query);
    w.EndObject();
    return w.Take();
}

// The links of a document as {name, url} in document order.
std::vector<std::pair<std::string, std::string>> Links(const std::string& doc) {
    Result<json::Value> v = json::Parse(doc);
    EXPECT_TRUE(v.ok()) << doc;
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& [k, url] : v->Find("links")->as_object()) out.emplace_back(k, url.as_string());
    return out;
}

std::string Meta(const std::string& doc) {
    return json::Parse(doc)->Find("meta")->Dump();
}

TEST(PageTest, TotalPages) {
    EXPECT_EQ((Page{1, 50, 0}).total_pages(), 0);
    EXPECT_EQ((Page{1, 50, 1}).total_pages(), 1);
    EXPECT_EQ((Page{1, 50, 50}).total_pages(), 1);
    EXPECT_EQ((Page{1, 50, 51}).total_pages(), 2);
    EXPECT_EQ((Page{1, 50, 212}).total_pages(), 5);
}

TEST(WritePageMetaAndLinksTest, ReproducesTheApiExample) {
    // API.md 2.7, byte for byte.
    const std::string doc = MetaAndLinks(Page{2, 50, 212}, "filter[organization_id]=42&page[number]=2&page[size]=50");
    const std::string prefix = "http://mortar.example:8080/api/configurations?filter%5Borganization_id%5D=42";
    EXPECT_EQ(
        doc,
        R"({"meta":{"current-page":2,"next-page":3,"prev-page":1,"total-pages":5,"total-count":212,"filters":{}},)"
        R"("links":{"self":")" +
            prefix +
            R"(&page%5Bnumber%5D=2&page%5Bsize%5D=50",)"
            R"("first":")" +
            prefix +
            R"(&page%5Bnumber%5D=1&page%5Bsize%5D=50",)"
            R"("prev":")" +
            prefix +
            R"(&page%5Bnumber%5D=1&page%5Bsize%5D=50",)"
            R"("next":")" +
            prefix +
            R"(&page%5Bnumber%5D=3&page%5Bsize%5D=50",)"
            R"("last":")" +
            prefix + R"(&page%5Bnumber%5D=5&page%5Bsize%5D=50"}})"
    );
    // The same request with percent-encoded brackets gives the same links.
    EXPECT_EQ(
        MetaAndLinks(Page{2, 50, 212}, "filter%5Borganization_id%5D=42&page%5Bnumber%5D=2&page%5Bsize%5D=50"), doc
    );
}

TEST(WritePageMetaAndLinksTest, ReproducesTheItgluePyExample) {
    // API.md section 6: GET /api/configurations?filter[organization_id]=42&page[size]=2&sort=-name
    const std::string doc = MetaAndLinks(Page{1, 2, 5}, "filter[organization_id]=42&page[size]=2&sort=-name");
    EXPECT_EQ(
        Meta(doc), R"({"current-page":1,"next-page":2,"prev-page":null,"total-pages":3,"total-count":5,"filters":{}})"
    );
    const auto links = Links(doc);
    ASSERT_EQ(links.size(), 4u);  // no prev on the first page
    EXPECT_EQ(links[0].first, "self");
    EXPECT_EQ(links[1].first, "first");
    EXPECT_EQ(links[2].first, "next");
    EXPECT_EQ(
        links[2].second,
        "http://mortar.example:8080/api/configurations?filter%5Borganization_id%5D=42&page%5Bnumber%5D=2"
        "&page%5Bsize%5D=2&sort=-name"
    );
    EXPECT_EQ(links[3].first, "last");

    // Following links.next exactly, as itglue-py does, walks every page and stops.
    std::string next = links[2].second;
    int64_t pages_seen = 1;
    while (!next.empty()) {
        const std::string query = next.substr(next.find('?') + 1);
        Result<QueryPairs> pairs = DecodeQuery(query);
        ASSERT_TRUE(pairs.ok());
        Result<ListQuery> q = ParseListQuery(*pairs);
        ASSERT_TRUE(q.ok());
        ASSERT_EQ(q->page_number, pages_seen + 1);
        EXPECT_EQ(q->page_size, 2);
        ASSERT_EQ(q->filters.size(), 1u);
        EXPECT_EQ(q->filters[0].value, "42");
        ASSERT_EQ(q->sort.size(), 1u);
        EXPECT_TRUE(q->sort[0].descending);
        ++pages_seen;
        const std::string page_doc = MetaAndLinks(Page{q->page_number, q->page_size, 5}, query);
        next.clear();
        for (const auto& [name, url] : Links(page_doc)) {
            if (name == "next") next = url;
        }
        ASSERT_LE(pages_seen, 3);
    }
    EXPECT_EQ(pages_seen, 3);
}

TEST(WritePageMetaAndLinksTest, Ends) {
    struct Case {
        Page page;
        std::string meta;
        std::vector<std::pair<std::string, int64_t>> links;  // name, page[number]
    };
    const std::vector<Case> cases = {
        // a middle page
        {{3, 10, 45},
         R"({"current-page":3,"next-page":4,"prev-page":2,"total-pages":5,"total-count":45,"filters":{}})",
         {{"self", 3}, {"first", 1}, {"prev", 2}, {"next", 4}, {"last", 5}}},
        // the last page: next omitted
        {{5, 10, 45},
         R"({"current-page":5,"next-page":null,"prev-page":4,"total-pages":5,"total-count":45,"filters":{}})",
         {{"self", 5}, {"first", 1}, {"prev", 4}, {"last", 5}}},
        // the only page
        {{1, 10, 10},
         R"({"current-page":1,"next-page":null,"prev-page":null,"total-pages":1,"total-count":10,"filters":{}})",
         {{"self", 1}, {"first", 1}, {"last", 1}}},
        // an empty result: total-pages 0 so the PowerShell loop stops; last still names page 1
        {{1, 50, 0},
         R"({"current-page":1,"next-page":null,"prev-page":null,"total-pages":0,"total-count":0,"filters":{}})",
         {{"self", 1}, {"first", 1}, {"last", 1}}},
        // beyond the last page: prev goes back to the last page with data
        {{9, 10, 45},
         R"({"current-page":9,"next-page":null,"prev-page":5,"total-pages":5,"total-count":45,"filters":{}})",
         {{"self", 9}, {"first", 1}, {"prev", 5}, {"last", 5}}},
        // just beyond the last page
        {{6, 10, 45},
         R"({"current-page":6,"next-page":null,"prev-page":5,"total-pages":5,"total-count":45,"filters":{}})",
         {{"self", 6}, {"first", 1}, {"prev", 5}, {"last", 5}}},
        // beyond the end of an empty result
        {{3, 50, 0},
         R"({"current-page":3,"next-page":null,"prev-page":1,"total-pages":0,"total-count":0,"filters":{}})",
         {{"self", 3}, {"first", 1}, {"prev", 1}, {"last", 1}}},
    };
    for (const Case& c : cases) {
        const std::string doc = MetaAndLinks(c.page, "");
        EXPECT_EQ(Meta(doc), c.meta) << doc;
        std::vector<std::pair<std::string, std::string>> want;
        for (const auto& [name, number] : c.links) {
            want.emplace_back(
                name,
                std::string(kBase) + "?page%5Bnumber%5D=" + std::to_string(number) +
                    "&page%5Bsize%5D=" + std::to_string(c.page.size)
            );
        }
        EXPECT_EQ(Links(doc), want) << doc;
    }
}

TEST(WritePageMetaAndLinksTest, KeepsEveryParameterInOrder) {
    struct Case {
        std::string query;
        Page page;
        std::string want_self;  // the query of links.self
    };
    const std::vector<Case> cases = {
        {"", {1, 50, 10}, "page%5Bnumber%5D=1&page%5Bsize%5D=50"},
        {"sort=name", {1, 50, 10}, "sort=name&page%5Bnumber%5D=1&page%5Bsize%5D=50"},
        // page[number] replaced in place
        {"page[number]=2&sort=name", {2, 50, 100}, "page%5Bnumber%5D=2&sort=name&page%5Bsize%5D=50"},
        // page[size] before page[number] keeps that order
        {"page[size]=5&include=attachments&page[number]=2",
         {2, 5, 100},
         "page%5Bsize%5D=5&include=attachments&page%5Bnumber%5D=2"},
        // page[number] not sent: it goes just before page[size]
        {"filter[name]=x&page[size]=5&sort=-id",
         {1, 5, 100},
         "filter%5Bname%5D=x&page%5Bnumber%5D=1&page%5Bsize%5D=5&sort=-id"},
        // duplicates of page parameters collapse into the first place
        {"page[number]=1&page[size]=5&page[number]=2&page[size]=7", {2, 7, 100}, "page%5Bnumber%5D=2&page%5Bsize%5D=7"},
        // a capped page[size] carries the size actually used
        {"page[size]=5000", {1, 1000, 10}, "page%5Bnumber%5D=1&page%5Bsize%5D=1000"},
        // values re-encoded: spaces, commas, stars, UTF-8, repeated keys and bare flags
        {"filter[name]=Contoso+Dental&filter[id]=3,9&filter[created_at]=2024-01-01,*&q=caf%C3%A9&show_password",
         {1, 50, 10},
         "filter%5Bname%5D=Contoso%20Dental&filter%5Bid%5D=3%2C9&filter%5Bcreated_at%5D=2024-01-01%2C%2A"
         "&q=caf%C3%A9&show_password=&page%5Bnumber%5D=1&page%5Bsize%5D=50"},
        {"filter[organization-id]=1&filter[organization_id]=2",
         {1, 50, 10},
         "filter%5Borganization-id%5D=1&filter%5Borganization_id%5D=2&page%5Bnumber%5D=1&page%5Bsize%5D=50"},
    };
    for (const Case& c : cases) {
        const std::string doc = MetaAndLinks(c.page, c.query);
        const auto links = Links(doc);
        ASSERT_FALSE(links.empty());
        EXPECT_EQ(links[0].first, "self");
        EXPECT_EQ(links[0].second, std::string(kBase) + "?" + c.want_self) << c.query;
    }
}

TEST(WritePageMetaAndLinksTest, MisuseIsALogicError) {
    json::Writer w;
    w.BeginObject();
    EXPECT_THROW(WritePageMetaAndLinks(w, Page{1, 0, 10}, kBase, {}), LogicError);
    EXPECT_THROW(WritePageMetaAndLinks(w, Page{0, 50, 10}, kBase, {}), LogicError);
}

}  // namespace
}  // namespace mortar::jsonapi
