// SPDX-License-Identifier: AGPL-3.0-or-later
#include "jsonapi/query.hpp"

#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace mortar::jsonapi {
namespace {

// ---- DecodeQuery ----

TEST(DecodeQueryTest, DecodesFormData) {
    struct Case {
        std::string raw;
        QueryPairs want;
    };
    const std::vector<Case> cases = {
        {"", {}},
        {"a=1", {{"a", "1"}}},
        {"page%5Bsize%5D=5", {{"page[size]", "5"}}},                              // Python urlencode, URLSearchParams
        {"page%5bsize%5d=5", {{"page[size]", "5"}}},                              // lower-case hex
        {"page[size]=5", {{"page[size]", "5"}}},                                  // axios, PowerShell
        {"filter[name]=Contoso+Dental", {{"filter[name]", "Contoso Dental"}}},    // '+' from axios
        {"filter[name]=Contoso%20Dental", {{"filter[name]", "Contoso Dental"}}},  // %20
        {"q=a%2Bb", {{"q", "a+b"}}},                                              // an encoded '+' stays '+'
        {"q=caf%C3%A9", {{"q", "caf\xC3\xA9"}}},
        {"q=caf\xC3\xA9", {{"q", "caf\xC3\xA9"}}},              // raw UTF-8
        {"b=2&a=1&b=3", {{"b", "2"}, {"a", "1"}, {"b", "3"}}},  // order and repeats kept
        {"flag", {{"flag", ""}}},
        {"flag&x=", {{"flag", ""}, {"x", ""}}},
        {"&&a=1&&", {{"a", "1"}}},
        {"a=b=c", {{"a", "b=c"}}},
        {"=x", {{"", "x"}}},
        {"filter%5Bid%5D=3%2C9", {{"filter[id]", "3,9"}}},
        {"sort=-name", {{"sort", "-name"}}},
        {"k%3Dx=v%26w", {{"k=x", "v&w"}}},
    };
    for (const Case& c : cases) {
        Result<QueryPairs> got = DecodeQuery(c.raw);
        ASSERT_TRUE(got.ok()) << c.raw << ": " << got.status().message();
        EXPECT_EQ(*got, c.want) << c.raw;
    }
}

TEST(DecodeQueryTest, RefusesHostileInput) {
    struct Case {
        std::string raw;
        std::string message_part;
    };
    const std::vector<Case> cases = {
        {"a=%G1", "two hex digits"},
        {"a=%4", "two hex digits"},
        {"a=%", "two hex digits"},
        {"%=1", "two hex digits"},
        {"a=%%41", "two hex digits"},
        {"a=1%2", "two hex digits"},
        {"a=%00", "NUL"},
        {"%00=1", "NUL"},
        {std::string("a=b\0c", 5), "NUL"},
        {"a=%FF", "UTF-8"},
        {"a=%C0%AF", "UTF-8"},     // overlong '/'
        {"a=%ED%A0%80", "UTF-8"},  // surrogate
        {"a=%E2%82", "UTF-8"},     // truncated
        {"a=\xFF", "UTF-8"},       // raw invalid byte
        {"%C3=1", "UTF-8"},
    };
    for (const Case& c : cases) {
        Result<QueryPairs> got = DecodeQuery(c.raw);
        ASSERT_FALSE(got.ok()) << "accepted: " << c.raw;
        EXPECT_EQ(got.status().code(), Code::kInvalidArgument);
        EXPECT_NE(got.status().message().find(c.message_part), std::string::npos) << got.status().message();
    }
}

TEST(DecodeQueryTest, Limits) {
    auto pairs = [](int n) {
        std::string raw;
        for (int i = 0; i < n; ++i) raw += (i ? "&k" : "k") + std::to_string(i) + "=v";
        return raw;
    };
    Result<QueryPairs> ok = DecodeQuery(pairs(256));
    ASSERT_TRUE(ok.ok()) << ok.status().message();
    EXPECT_EQ(ok->size(), 256u);
    EXPECT_EQ(ok->back().first, "k255");
    Result<QueryPairs> too_many = DecodeQuery(pairs(257));
    ASSERT_FALSE(too_many.ok());
    EXPECT_EQ(too_many.status().code(), Code::kInvalidArgument);
    EXPECT_EQ(too_many.status().message(), "query string has more than 256 parameters");
    // Empty pieces do not count.
    EXPECT_TRUE(DecodeQuery(std::string(1000, '&') + pairs(256)).ok());

    const std::string at_limit = "q=" + std::string(16 * 1024 - 2, 'x');
    EXPECT_TRUE(DecodeQuery(at_limit).ok());
    Result<QueryPairs> too_long = DecodeQuery(at_limit + "x");
    ASSERT_FALSE(too_long.ok());
    EXPECT_EQ(too_long.status().message(), "query string is longer than 16 KiB");
}

// ---- EncodeQueryComponent ----

TEST(EncodeQueryComponentTest, Encodes) {
    struct Case {
        std::string input;
        std::string want;
    };
    const std::vector<Case> cases = {
        {"page[number]", "page%5Bnumber%5D"},
        {"organization_id", "organization_id"},
        {"AZaz09-._~", "AZaz09-._~"},
        {"Contoso Dental", "Contoso%20Dental"},
        {"a+b", "a%2Bb"},
        {"3,9", "3%2C9"},
        {"2024-01-01,*", "2024-01-01%2C%2A"},
        {"a=b&c", "a%3Db%26c"},
        {"/?#%", "%2F%3F%23%25"},
        {"caf\xC3\xA9", "caf%C3%A9"},
        {"", ""},
    };
    for (const Case& c : cases) EXPECT_EQ(EncodeQueryComponent(c.input), c.want) << c.input;
}

TEST(EncodeQueryComponentTest, DecodeInvertsEncode) {
    std::mt19937 rng(3);
    const std::string alphabet = std::string("az AZ09[]+%&=,;*-_.~/?#\"'") + "\xC3\xA9";
    for (int round = 0; round < 500; ++round) {
        std::string key = "k", value;
        for (int i = 0; i < 12; ++i) value += alphabet[rng() % (alphabet.size() - 2)];
        if (round % 3 == 0) value += "\xC3\xA9";
        Result<QueryPairs> back = DecodeQuery(EncodeQueryComponent(key) + "=" + EncodeQueryComponent(value));
        ASSERT_TRUE(back.ok()) << value;
        ASSERT_EQ(back->size(), 1u);
        EXPECT_EQ((*back)[0].second, value);
    }
}

// ---- ParseListQuery ----

Result<ListQuery> FromRaw(std::string_view raw) {
    Result<QueryPairs> pairs = DecodeQuery(raw);
    if (!pairs.ok()) return pairs.status();
    return ParseListQuery(*pairs);
}

TEST(ParseListQueryTest, Defaults) {
    Result<ListQuery> q = ParseListQuery({});
    ASSERT_TRUE(q.ok());
    EXPECT_EQ(q->page_number, 1);
    EXPECT_EQ(q->page_size, kDefaultPageSize);
    EXPECT_EQ(q->page_size, 50);
    EXPECT_TRUE(q->filters.empty());
    EXPECT_TRUE(q->sort.empty());
    EXPECT_TRUE(q->include.empty());
    EXPECT_TRUE(q->other.empty());
}

TEST(ParseListQueryTest, Pages) {
    struct Case {
        std::string raw;
        int64_t number;
        int64_t size;
    };
    const std::vector<Case> cases = {
        {"page%5Bsize%5D=5", 1, 5},
        {"page[size]=5", 1, 5},
        {"page[number]=3&page[size]=20", 3, 20},
        {"page%5Bnumber%5D=3&page%5Bsize%5D=20", 3, 20},
        {"page[size]=1000", 1, 1000},
        {"page[size]=1001", 1, 1000},                     // capped, not refused
        {"page[size]=99999999999999999999999", 1, 1000},  // capped even beyond int64
        {"page[size]=007", 1, 7},
        {"page[size]=+5+", 1, 5},                  // '+' is a space, and spaces are trimmed
        {"page[number]=2&page[number]=4", 4, 50},  // the last wins
        {"page[size]=10&page[size]=3", 1, 3},
        {"page[number]=9223372036854775", 9223372036854775, 50},  // kMaxPageNumber
    };
    for (const Case& c : cases) {
        Result<ListQuery> q = FromRaw(c.raw);
        ASSERT_TRUE(q.ok()) << c.raw << ": " << q.status().message();
        EXPECT_EQ(q->page_number, c.number) << c.raw;
        EXPECT_EQ(q->page_size, c.size) << c.raw;
    }
    EXPECT_EQ(kMaxPageNumber, 9223372036854775);
}

TEST(ParseListQueryTest, RefusesBadPages) {
    struct Case {
        std::string raw;
        std::string message;
    };
    const std::vector<Case> cases = {
        {"page[size]=0", "page[size] must be a positive integer"},
        {"page[size]=-1", "page[size] must be a positive integer"},
        {"page[size]=abc", "page[size] must be a positive integer"},
        {"page[size]=", "page[size] must be a positive integer"},
        {"page[size]=1.5", "page[size] must be a positive integer"},
        {"page[size]=1e2", "page[size] must be a positive integer"},
        {"page[size]=%2B5", "page[size] must be a positive integer"},  // a literal '+'
        {"page[number]=0", "page[number] must be a positive integer"},
        {"page[number]=-2", "page[number] must be a positive integer"},
        {"page[number]=two", "page[number] must be a positive integer"},
        {"page[number]", "page[number] must be a positive integer"},
        {"page[number]=9223372036854776", "page[number] is too large (at most 9223372036854775)"},
        {"page[number]=99999999999999999999", "page[number] is too large (at most 9223372036854775)"},
        {"page[size", "malformed query parameter name \"page[size\""},
        {"page[size]x=1", "malformed query parameter name \"page[size]x\""},
        {"page[]=1", "malformed query parameter name \"page[]\""},
    };
    for (const Case& c : cases) {
        Result<ListQuery> q = FromRaw(c.raw);
        ASSERT_FALSE(q.ok()) << "accepted: " << c.raw;
        EXPECT_EQ(q.status().code(), Code::kInvalidArgument) << c.raw;
        EXPECT_EQ(q.status().message(), c.message) << c.raw;
    }
}

TEST(ParseListQueryTest, Filters) {
    struct Case {
        std::string raw;
        FilterOp op;
        std::string field;
        std::string value;
    };
    const std::vector<Case> cases = {
        {"filter[organization-id]=42", FilterOp::kEq, "organization_id", "42"},  // node-it-glue
        {"filter[organization_id]=42", FilterOp::kEq, "organization_id", "42"},  // itglue-py
        {"filter%5Borganization_id%5D=42", FilterOp::kEq, "organization_id", "42"},
        {"filter[flexible-asset-type-id]=88", FilterOp::kEq, "flexible_asset_type_id", "88"},
        {"filter[id]=3,9", FilterOp::kEq, "id", "3,9"},  // left unsplit
        {"filter[name]=Contoso+Dental", FilterOp::kEq, "name", "Contoso Dental"},
        {"filter[created_at]=2024-01-01,*", FilterOp::kEq, "created_at", "2024-01-01,*"},
        {"filter[exclude][id]=5", FilterOp::kExclude, "id", "5"},
        {"filter[exclude][organization-type-id]=1,2", FilterOp::kExclude, "organization_type_id", "1,2"},
        {"filter%5Bexclude%5D%5Bname%5D=x", FilterOp::kExclude, "name", "x"},
        {"filter[range][my_glue_account_id]=2,10", FilterOp::kRange, "my_glue_account_id", "2,10"},
        {"filter[range][my-glue-account-id]=2,10", FilterOp::kRange, "my_glue_account_id", "2,10"},
        {"filter[psa_integration_type]=kaseya-bms", FilterOp::kEq, "psa_integration_type", "kaseya-bms"},
        {"filter[name]=", FilterOp::kEq, "name", ""},
    };
    for (const Case& c : cases) {
        Result<ListQuery> q = FromRaw(c.raw);
        ASSERT_TRUE(q.ok()) << c.raw << ": " << q.status().message();
        ASSERT_EQ(q->filters.size(), 1u) << c.raw;
        EXPECT_EQ(q->filters[0].op, c.op) << c.raw;
        EXPECT_EQ(q->filters[0].field, c.field) << c.raw;
        EXPECT_EQ(q->filters[0].value, c.value) << c.raw;
        EXPECT_TRUE(q->other.empty()) << c.raw;
    }
    // Filters accumulate, in order.
    Result<ListQuery> q = FromRaw("filter[psa_id]=X&filter[psa-integration-type]=manage&filter[psa_id]=Y");
    ASSERT_TRUE(q.ok());
    ASSERT_EQ(q->filters.size(), 3u);
    EXPECT_EQ(q->filters[0].value, "X");
    EXPECT_EQ(q->filters[1].field, "psa_integration_type");
    EXPECT_EQ(q->filters[2].value, "Y");
}

TEST(ParseListQueryTest, RefusesMalformedFilterKeys) {
    for (const std::string raw :
         {"filter[=1",
          "filter[]=1",
          "filter[name=1",
          "filter[name]x=1",
          "filter[exclude][]=1",
          "filter[[name]]=1",
          "filter%5B=1",
          "filter%5B%5D=1"}) {
        Result<ListQuery> q = FromRaw(raw);
        ASSERT_FALSE(q.ok()) << "accepted: " << raw;
        EXPECT_EQ(q.status().code(), Code::kInvalidArgument) << raw;
        EXPECT_EQ(q.status().message().rfind("malformed query parameter name \"filter", 0), 0u) << q.status().message();
    }
    for (const std::string raw : {"filter[organization][id]=1", "filter[range][a][b]=1"}) {
        Result<ListQuery> q = FromRaw(raw);
        ASSERT_FALSE(q.ok()) << "accepted: " << raw;
        EXPECT_EQ(q.status().code(), Code::kInvalidArgument) << raw;
        EXPECT_EQ(q.status().message().rfind("unsupported filter parameter", 0), 0u) << q.status().message();
    }
}

TEST(ParseListQueryTest, Sort) {
    struct Case {
        std::string raw;
        std::vector<std::pair<std::string, bool>> want;  // field, descending
    };
    const std::vector<Case> cases = {
        {"sort=name", {{"name", false}}},
        {"sort=-updated_at", {{"updated_at", true}}},
        {"sort=-updated-at", {{"updated_at", true}}},
        {"sort=name,-id", {{"name", false}, {"id", true}}},
        {"sort=-organization-status-name,created_at", {{"organization_status_name", true}, {"created_at", false}}},
        {"sort=+name", {{"name", false}}},  // '+' decodes to a space
        {"sort=%20name%20,%20-id", {{"name", false}, {"id", true}}},
        {"sort=name,,id,", {{"name", false}, {"id", false}}},
        {"sort=", {}},
        {"sort=a&sort=-b", {{"b", true}}},  // the last wins
        {"sort=- name", {{"name", true}}},
    };
    for (const Case& c : cases) {
        Result<ListQuery> q = FromRaw(c.raw);
        ASSERT_TRUE(q.ok()) << c.raw << ": " << q.status().message();
        std::vector<std::pair<std::string, bool>> got;
        for (const SortKey& k : q->sort) got.emplace_back(k.field, k.descending);
        EXPECT_EQ(got, c.want) << c.raw;
    }
    for (const std::string raw : {"sort=-", "sort=name,-", "sort=--name"}) {
        Result<ListQuery> q = FromRaw(raw);
        ASSERT_FALSE(q.ok()) << "accepted: " << raw;
        EXPECT_EQ(q.status().code(), Code::kInvalidArgument);
        EXPECT_EQ(q.status().message().rfind("sort has an empty or malformed key", 0), 0u) << q.status().message();
    }
}

TEST(ParseListQueryTest, IncludeAndOther) {
    Result<ListQuery> q = FromRaw(
        "include=configuration_interfaces,attachments,configuration-interfaces&show_password=true"
        "&show-password=false&fields[organizations]=name&page[offset]=3&filter=plain&x"
    );
    ASSERT_TRUE(q.ok()) << q.status().message();
    EXPECT_EQ(q->include, (std::vector<std::string>{"configuration_interfaces", "attachments"}));
    const QueryPairs want_other = {
        {"show_password", "true"},
        {"show_password", "false"},
        {"fields[organizations]", "name"},
        {"page[offset]", "3"},
        {"filter", "plain"},
        {"x", ""},
    };
    EXPECT_EQ(q->other, want_other);
    ASSERT_NE(q->Other("show_password"), nullptr);
    EXPECT_EQ(*q->Other("show_password"), "true");  // the first value
    EXPECT_EQ(q->Other("show-password"), nullptr);  // looked up by snake_case name
    EXPECT_EQ(q->Other("missing"), nullptr);

    Result<ListQuery> last = FromRaw("include=a,b&include=%20flexible-asset-fields%20");
    ASSERT_TRUE(last.ok());
    EXPECT_EQ(last->include, (std::vector<std::string>{"flexible_asset_fields"}));
}

TEST(ParseListQueryTest, WholeRequestFromEachClient) {
    // itglue-py (urlencode) and node-itglue (axios: literal brackets, '+') send the same query.
    for (const std::string raw :
         {"filter%5Borganization_id%5D=42&filter%5Bname%5D=Front%20Desk&page%5Bnumber%5D=2&page%5Bsize%5D=5&sort=-name",
          "filter[organization-id]=42&filter[name]=Front+Desk&page[number]=2&page[size]=5&sort=-name"}) {
        Result<ListQuery> q = FromRaw(raw);
        ASSERT_TRUE(q.ok()) << raw << ": " << q.status().message();
        EXPECT_EQ(q->page_number, 2);
        EXPECT_EQ(q->page_size, 5);
        ASSERT_EQ(q->filters.size(), 2u);
        EXPECT_EQ(q->filters[0].field, "organization_id");
        EXPECT_EQ(q->filters[0].value, "42");
        EXPECT_EQ(q->filters[1].field, "name");
        EXPECT_EQ(q->filters[1].value, "Front Desk");
        ASSERT_EQ(q->sort.size(), 1u);
        EXPECT_EQ(q->sort[0].field, "name");
        EXPECT_TRUE(q->sort[0].descending);
        EXPECT_TRUE(q->other.empty());
    }
}

TEST(SplitFilterValueTest, Splits) {
    struct Case {
        std::string input;
        std::vector<std::string> want;
    };
    const std::vector<Case> cases = {
        {"3,9", {"3", "9"}},
        {"42", {"42"}},
        {" 3 , ,9,", {"3", "9"}},
        {"", {}},
        {",", {}},
        {"2024-01-01,*", {"2024-01-01", "*"}},
        {"Front Desk,Back Office", {"Front Desk", "Back Office"}},
    };
    for (const Case& c : cases) EXPECT_EQ(SplitFilterValue(c.input), c.want) << c.input;
}

}  // namespace
}  // namespace mortar::jsonapi
