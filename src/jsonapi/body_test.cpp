// SPDX-License-Identifier: AGPL-3.0-or-later
#include "jsonapi/body.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace mortar::jsonapi {
namespace {

// The attributes as a compact JSON object, for whole-value comparisons.
std::string AttrsJson(const ResourceInput& r) {
    return json::Value(r.attributes).Dump();
}
std::string RelsJson(const ResourceInput& r) {
    return json::Value(r.relationships).Dump();
}

ResourceInput ParseOne(const std::string& body, std::string_view type = "configurations") {
    Result<ParsedBody> parsed = ParseBody(body, type, BodyShape::kSingle);
    EXPECT_TRUE(parsed.ok()) << body << ": " << parsed.status().message();
    if (!parsed.ok() || parsed->resources.size() != 1) return {};
    EXPECT_FALSE(parsed->is_array);
    return parsed->resources[0];
}

// ---- CheckContentType ----

TEST(CheckContentTypeTest, AcceptsJsonApiAndJson) {
    const std::string body = R"({"data":{}})";
    for (const std::string ct :
         {"application/vnd.api+json",
          "application/vnd.api+json; charset=utf-8",  // PowerShell
          "application/vnd.api+json;charset=UTF-8",
          "Application/VND.API+JSON",
          "  application/vnd.api+json  ",
          "application/json",
          "application/json; charset=utf-8",
          "APPLICATION/JSON;foo=bar;baz=1"}) {
        EXPECT_TRUE(CheckContentType(ct, body).ok()) << ct;
    }
}

TEST(CheckContentTypeTest, RefusesOtherTypes) {
    const std::string body = R"({"data":{}})";
    for (const std::string ct :
         {"text/plain",
          "application/x-www-form-urlencoded",
          "multipart/form-data; boundary=x",
          "application/xml",
          "application/vnd.api+json2",
          "application/jsonx",
          "json",
          "",
          "; charset=utf-8"}) {
        Status s = CheckContentType(ct, body);
        EXPECT_FALSE(s.ok()) << ct;
        EXPECT_EQ(s.code(), Code::kUnsupportedMedia) << ct;
    }
}

TEST(CheckContentTypeTest, AnythingGoesWithoutABody) {
    // itglue-py sends a Content-Type on GET, which has no body.
    EXPECT_TRUE(CheckContentType("", "").ok());
    EXPECT_TRUE(CheckContentType("text/plain", "").ok());
    EXPECT_TRUE(CheckContentType("", " \r\n").ok());
}

// ---- ParseBody: R1 keys ----

TEST(ParseBodyTest, R1AttributeKeysBecomeSnakeCase) {
    ResourceInput r = ParseOne(
        R"({"data":{"type":"configurations","attributes":{"configuration-type-id":7,"serial_number":"8KQ2-11",)"
        R"("primary-ip":"192.168.10.5","name":"CD-FS01"}}})"
    );
    EXPECT_EQ(
        AttrsJson(r),
        R"({"configuration_type_id":7,"serial_number":"8KQ2-11","primary_ip":"192.168.10.5","name":"CD-FS01"})"
    );
    ASSERT_NE(r.Attr("configuration_type_id"), nullptr);
    EXPECT_EQ(r.Attr("configuration_type_id")->as_int(), 7);
    EXPECT_EQ(r.Attr("configuration-type-id"), nullptr);  // looked up by snake_case name
    EXPECT_FALSE(r.id.has_value());
    EXPECT_EQ(r.index, 0u);
}

TEST(ParseBodyTest, R1CollidingSpellingsLaterWins) {
    ResourceInput r = ParseOne(R"({"data":{"attributes":{"organization-id":1,"name":"a","organization_id":2}}})");
    EXPECT_EQ(AttrsJson(r), R"({"organization_id":2,"name":"a"})");
}

TEST(ParseBodyTest, NestedKeysInsideValuesAreLeftAsSent) {
    ResourceInput r = ParseOne(
        R"({"data":{"type":"contacts","attributes":{"first-name":"Ada",)"
        R"("contact-emails":[{"label-name":"Work","value":"ada@example.com","primary":true}],)"
        R"("traits":{"access-points":[9051],"ssid":"CD-Staff"}}}})",
        "contacts"
    );
    EXPECT_EQ(
        AttrsJson(r),
        R"({"first_name":"Ada","contact_emails":[{"label-name":"Work","value":"ada@example.com","primary":true}],)"
        R"("traits":{"access-points":[9051],"ssid":"CD-Staff"}})"
    );
}

// ---- R2 scalars (readers) ----

TEST(ReadIntTest, Table) {
    struct Case {
        std::string json;
        bool ok;
        std::optional<int64_t> want;
    };
    const std::vector<Case> cases = {
        {"42", true, 42},
        {"\"42\"", true, 42},  // itglue-py sends *_id as strings
        {"\" 42 \"", true, 42},
        {"-7", true, -7},
        {"\"-7\"", true, -7},
        {"0", true, 0},
        {"42.0", true, 42},
        {"null", true, std::nullopt},
        {"\"\"", true, std::nullopt},
        {"9223372036854775807", true, INT64_MAX},
        {"\"9223372036854775808\"", false, std::nullopt},
        {"9223372036854775808", false, std::nullopt},  // read as a double beyond int64
        {"42.5", false, std::nullopt},
        {"\"42.5\"", false, std::nullopt},
        {"\"4e2\"", false, std::nullopt},
        {"\"abc\"", false, std::nullopt},
        {"\"0x10\"", false, std::nullopt},
        {"true", false, std::nullopt},
        {"[1]", false, std::nullopt},
        {"{}", false, std::nullopt},
    };
    for (const Case& c : cases) {
        Result<json::Value> v = json::Parse(c.json);
        ASSERT_TRUE(v.ok()) << c.json;
        Result<std::optional<int64_t>> got = ReadInt(*v);
        EXPECT_EQ(got.ok(), c.ok) << c.json;
        if (got.ok()) {
            EXPECT_EQ(*got, c.want) << c.json;
        } else {
            EXPECT_EQ(got.status().code(), Code::kUnprocessable);
            EXPECT_EQ(got.status().message(), "must be an integer");
            EXPECT_EQ(got.status().pointer(), "");
        }
    }
}

TEST(ReadBoolTest, Table) {
    struct Case {
        std::string json;
        bool ok;
        std::optional<bool> want;
    };
    const std::vector<Case> cases = {
        {"true", true, true},
        {"false", true, false},
        {"1", true, true},
        {"0", true, false},
        {"\"true\"", true, true},
        {"\"false\"", true, false},
        {"\"1\"", true, true},
        {"\"0\"", true, false},
        {"\"True\"", true, true},
        {"\"FALSE\"", true, false},
        {"null", true, std::nullopt},
        {"\"\"", true, std::nullopt},
        {"2", false, std::nullopt},
        {"-1", false, std::nullopt},
        {"1.0", false, std::nullopt},
        {"\"yes\"", false, std::nullopt},
        {"\"t\"", false, std::nullopt},
        {"[]", false, std::nullopt},
    };
    for (const Case& c : cases) {
        Result<json::Value> v = json::Parse(c.json);
        ASSERT_TRUE(v.ok()) << c.json;
        Result<std::optional<bool>> got = ReadBool(*v);
        EXPECT_EQ(got.ok(), c.ok) << c.json;
        if (got.ok()) {
            EXPECT_EQ(*got, c.want) << c.json;
        } else {
            EXPECT_EQ(got.status().code(), Code::kUnprocessable);
            EXPECT_EQ(got.status().message(), "must be a boolean");
        }
    }
}

TEST(ReadStringTest, Table) {
    struct Case {
        std::string json;
        bool ok;
        std::optional<std::string> want;
    };
    const std::vector<Case> cases = {
        {"\"CD-FS01\"", true, "CD-FS01"},
        {"\"\"", true, ""},  // an empty string stays a string
        {"\" padded \"", true, " padded "},
        {"12345", true, "12345"},
        {"-3", true, "-3"},
        {"1.5", true, "1.5"},
        {"true", true, "true"},
        {"false", true, "false"},
        {"null", true, std::nullopt},
        {"[\"a\"]", false, std::nullopt},
        {"{\"a\":1}", false, std::nullopt},
    };
    for (const Case& c : cases) {
        Result<json::Value> v = json::Parse(c.json);
        ASSERT_TRUE(v.ok()) << c.json;
        Result<std::optional<std::string>> got = ReadString(*v);
        EXPECT_EQ(got.ok(), c.ok) << c.json;
        if (got.ok()) {
            EXPECT_EQ(*got, c.want) << c.json;
        } else {
            EXPECT_EQ(got.status().code(), Code::kUnprocessable);
            EXPECT_EQ(got.status().message(), "must be a string");
        }
    }
}

TEST(ReadDoubleTest, Table) {
    struct Case {
        std::string json;
        bool ok;
        std::optional<double> want;
    };
    const std::vector<Case> cases = {
        {"1.5", true, 1.5},
        {"2", true, 2.0},
        {"\"1.5\"", true, 1.5},
        {"\"-0.25\"", true, -0.25},
        {"\"1e3\"", true, 1000.0},
        {"\" 7 \"", true, 7.0},
        {"null", true, std::nullopt},
        {"\"\"", true, std::nullopt},
        {"\"nan\"", false, std::nullopt},
        {"\"inf\"", false, std::nullopt},
        {"\"1e999\"", false, std::nullopt},
        {"\"0x1p3\"", false, std::nullopt},
        {"\"1,5\"", false, std::nullopt},  // no locale decimal comma
        {"\"abc\"", false, std::nullopt},
        {"true", false, std::nullopt},
        {"[1.5]", false, std::nullopt},
    };
    for (const Case& c : cases) {
        Result<json::Value> v = json::Parse(c.json);
        ASSERT_TRUE(v.ok()) << c.json;
        Result<std::optional<double>> got = ReadDouble(*v);
        EXPECT_EQ(got.ok(), c.ok) << c.json;
        if (got.ok()) {
            EXPECT_EQ(*got, c.want) << c.json;
        } else {
            EXPECT_EQ(got.status().code(), Code::kUnprocessable);
            EXPECT_EQ(got.status().message(), "must be a number");
        }
    }
}

// ---- R3 type ----

TEST(ParseBodyTest, R3TypeSpellings) {
    struct Case {
        std::string type_member;  // the "type" member as sent, or "" for none
        std::string expected;     // the route's type
    };
    const std::vector<Case> cases = {
        {R"("flexible_assets")", "flexible_assets"},  // itglue-py
        {R"("flexible-assets")", "flexible_assets"},  // node-it-glue
        {R"("flexible_assets")", "flexible-assets"},
        {R"("flexible-assets")", "flexible-assets"},
        {R"("Flexible-Assets")", "flexible_assets"},
        {"", "flexible_assets"},      // missing
        {"null", "flexible_assets"},  // null
        {R"("anything")", ""},        // no expected type: no check
    };
    for (const Case& c : cases) {
        const std::string type = c.type_member.empty() ? "" : R"("type":)" + c.type_member + ",";
        const std::string body = R"({"data":{)" + type + R"("attributes":{"name":"x"}}})";
        Result<ParsedBody> parsed = ParseBody(body, c.expected, BodyShape::kSingle);
        ASSERT_TRUE(parsed.ok()) << body << ": " << parsed.status().message();
        EXPECT_EQ(AttrsJson(parsed->resources[0]), R"({"name":"x"})");
    }
}

TEST(ParseBodyTest, R3TypeMismatchIs422AtDataType) {
    Result<ParsedBody> single =
        ParseBody(R"({"data":{"type":"organizations","attributes":{}}})", "configurations", BodyShape::kSingle);
    ASSERT_FALSE(single.ok());
    EXPECT_EQ(single.status().code(), Code::kUnprocessable);
    EXPECT_EQ(single.status().pointer(), "/data/type");
    EXPECT_EQ(
        single.status().message(), "type \"organizations\" does not match this endpoint's type \"configurations\""
    );

    Result<ParsedBody> in_array = ParseBody(
        R"({"data":[{"type":"flexible_assets"},{"type":"flexible_asset_types"}]})", "flexible_assets", BodyShape::kArray
    );
    ASSERT_FALSE(in_array.ok());
    EXPECT_EQ(in_array.status().code(), Code::kUnprocessable);
    EXPECT_EQ(in_array.status().pointer(), "/data/1/type");

    Result<ParsedBody> not_string = ParseBody(R"({"data":{"type":7}})", "configurations", BodyShape::kSingle);
    ASSERT_FALSE(not_string.ok());
    EXPECT_EQ(not_string.status().code(), Code::kUnprocessable);
    EXPECT_EQ(not_string.status().pointer(), "/data/type");
}

// ---- R5 id ----

TEST(ParseBodyTest, R5IdPlaces) {
    struct Case {
        std::string data;
        int64_t id;
    };
    const std::vector<Case> cases = {
        {R"({"id":"9051","type":"configurations","attributes":{"archived":true}})", 9051},  // node-it-glue
        {R"({"id":9051,"attributes":{"archived":true}})", 9051},
        {R"({"type":"configurations","attributes":{"id":9051,"archived":true}})", 9051},  // itglue-py
        {R"({"attributes":{"id":"9051","archived":true}})", 9051},
        {R"({"id":"9051","attributes":{"id":9051,"archived":true}})", 9051},  // both, agreeing
        {R"({"id":null,"attributes":{"id":"0009051","archived":true}})", 9051},
    };
    for (const Case& c : cases) {
        ResourceInput r = ParseOne(R"({"data":)" + c.data + "}");
        ASSERT_TRUE(r.id.has_value()) << c.data;
        EXPECT_EQ(*r.id, c.id) << c.data;
        // The id never stays among the attributes.
        EXPECT_EQ(AttrsJson(r), R"({"archived":true})") << c.data;
    }
}

TEST(ParseBodyTest, R5BadIdsAre400) {
    struct Case {
        std::string data;
        std::string pointer;
    };
    const std::vector<Case> cases = {
        {R"({"id":"0"})", "/data/id"},
        {R"({"id":0})", "/data/id"},
        {R"({"id":-5})", "/data/id"},
        {R"({"id":"-5"})", "/data/id"},
        {R"({"id":"abc"})", "/data/id"},
        {R"({"id":""})", "/data/id"},
        {R"({"id":" 5"})", "/data/id"},
        {R"({"id":"4.2"})", "/data/id"},
        {R"({"id":4.2})", "/data/id"},
        {R"({"id":5.0})", "/data/id"},
        {R"({"id":true})", "/data/id"},
        {R"({"id":[5]})", "/data/id"},
        {R"({"id":"99999999999999999999"})", "/data/id"},
        {R"({"attributes":{"id":"x"}})", "/data/attributes/id"},
        {R"({"attributes":{"id":-1}})", "/data/attributes/id"},
    };
    for (const Case& c : cases) {
        Result<ParsedBody> parsed = ParseBody(R"({"data":)" + c.data + "}", "configurations", BodyShape::kSingle);
        ASSERT_FALSE(parsed.ok()) << "accepted: " << c.data;
        EXPECT_EQ(parsed.status().code(), Code::kInvalidArgument) << c.data;
        EXPECT_EQ(parsed.status().message(), "id must be a positive integer or a string of digits") << c.data;
        EXPECT_EQ(parsed.status().pointer(), c.pointer) << c.data;
    }
    Result<ParsedBody> differ =
        ParseBody(R"({"data":{"id":"1","attributes":{"id":2}}})", "configurations", BodyShape::kSingle);
    ASSERT_FALSE(differ.ok());
    EXPECT_EQ(differ.status().code(), Code::kInvalidArgument);
    EXPECT_EQ(differ.status().message(), "data.id and data.attributes.id differ");

    Result<ParsedBody> in_array =
        ParseBody(R"({"data":[{"id":"1"},{"attributes":{"id":"zero"}}]})", "configurations", BodyShape::kArray);
    ASSERT_FALSE(in_array.ok());
    EXPECT_EQ(in_array.status().pointer(), "/data/1/attributes/id");
}

// ---- R6 arrays and shapes ----

TEST(ParseBodyTest, R6ArraysAndShapes) {
    const std::string array_body =
        R"({"data":[{"type":"configurations","attributes":{"id":9051,"archived":true}},)"
        R"({"type":"configurations","attributes":{"id":"9052","notes":"replaced 2026-11"}}]})";
    for (BodyShape shape : {BodyShape::kArray, BodyShape::kEither}) {
        Result<ParsedBody> parsed = ParseBody(array_body, "configurations", shape);
        ASSERT_TRUE(parsed.ok()) << parsed.status().message();
        EXPECT_TRUE(parsed->is_array);
        ASSERT_EQ(parsed->resources.size(), 2u);
        EXPECT_EQ(parsed->resources[0].index, 0u);
        EXPECT_EQ(parsed->resources[1].index, 1u);
        EXPECT_EQ(*parsed->resources[0].id, 9051);
        EXPECT_EQ(*parsed->resources[1].id, 9052);
        EXPECT_EQ(AttrsJson(parsed->resources[1]), R"({"notes":"replaced 2026-11"})");
        EXPECT_EQ(parsed->resources[1].Pointer("notes", parsed->is_array), "/data/1/attributes/notes");
    }
    Result<ParsedBody> as_single = ParseBody(array_body, "configurations", BodyShape::kSingle);
    ASSERT_FALSE(as_single.ok());
    EXPECT_EQ(as_single.status().code(), Code::kInvalidArgument);
    EXPECT_EQ(as_single.status().message(), "data must be a single resource object, not an array");

    const std::string single_body = R"({"data":{"type":"configurations","attributes":{"name":"x"}}})";
    Result<ParsedBody> either = ParseBody(single_body, "configurations", BodyShape::kEither);
    ASSERT_TRUE(either.ok());
    EXPECT_FALSE(either->is_array);
    EXPECT_EQ(either->resources.size(), 1u);
    Result<ParsedBody> as_array = ParseBody(single_body, "configurations", BodyShape::kArray);
    ASSERT_FALSE(as_array.ok());
    EXPECT_EQ(as_array.status().code(), Code::kInvalidArgument);
    EXPECT_EQ(as_array.status().message(), "data must be an array of resource objects");

    Result<ParsedBody> empty = ParseBody(R"({"data":[]})", "configurations", BodyShape::kArray);
    ASSERT_TRUE(empty.ok());
    EXPECT_TRUE(empty->is_array);
    EXPECT_TRUE(empty->resources.empty());

    Result<ParsedBody> bad_item = ParseBody(R"({"data":[{},"x"]})", "configurations", BodyShape::kArray);
    ASSERT_FALSE(bad_item.ok());
    EXPECT_EQ(bad_item.status().code(), Code::kInvalidArgument);
    EXPECT_EQ(bad_item.status().pointer(), "/data/1");
}

// ---- R7 sub-objects and extra members ----

TEST(ParseBodyTest, R7ConfigurationInterfacesInRelationships) {
    // The API.md section 6 example, verbatim.
    ResourceInput r = ParseOne(R"({"data": {"type": "configurations",
          "attributes": {"name": "CD-FS01", "configuration-type-id": 7, "configuration-status-id": 3,
                         "serial-number": "8KQ2-11", "primary-ip": "192.168.10.5", "warranty-expires-at": "2027-03-31"},
          "relationships": {"configuration_interfaces": {"data": [
              {"type": "configuration_interfaces",
               "attributes": {"name": "LAN", "ip_address": "192.168.10.5", "mac_address": "3C:52:82:10:AA:01", "primary": true}}]}}}})"
    );
    EXPECT_EQ(
        AttrsJson(r),
        R"({"name":"CD-FS01","configuration_type_id":7,"configuration_status_id":3,"serial_number":"8KQ2-11",)"
        R"("primary_ip":"192.168.10.5","warranty_expires_at":"2027-03-31"})"
    );
    EXPECT_EQ(
        RelsJson(r),
        R"({"configuration_interfaces":{"data":[{"type":"configuration_interfaces","attributes":{"name":"LAN",)"
        R"("ip_address":"192.168.10.5","mac_address":"3C:52:82:10:AA:01","primary":true}}]}})"
    );
}

TEST(ParseBodyTest, R7RelationshipKeysAreNormalised) {
    ResourceInput r = ParseOne(
        R"({"data":{"type":"flexible-asset-types","attributes":{"name":"Wi-Fi"},)"
        R"("relationships":{"flexible-asset-fields":{"data":[{"type":"flexible-asset-fields",)"
        R"("attributes":{"order":1,"name":"SSID","kind":"Text","show-in-list":true}}]}}}})",
        "flexible_asset_types"
    );
    EXPECT_EQ(
        RelsJson(r),
        R"({"flexible_asset_fields":{"data":[{"type":"flexible-asset-fields",)"
        R"("attributes":{"order":1,"name":"SSID","kind":"Text","show-in-list":true}}]}})"
    );
}

TEST(ParseBodyTest, R7ExtraMembersBecomeAttributes) {
    ResourceInput r = ParseOne(
        R"({"data":{"type":"contacts","attributes":{"first_name":"Ada","contact_phones":[{"value":"1"}]},)"
        R"("contact_emails":[{"value":"ada@example.com"}],"contact-phones":[{"value":"2"}],)"
        R"("links":{"self":"x"},"meta":{"m":1}}})",
        "contacts"
    );
    // contact_emails comes from data (docs param table); contact_phones inside attributes wins.
    EXPECT_EQ(
        AttrsJson(r),
        R"({"first_name":"Ada","contact_phones":[{"value":"1"}],"contact_emails":[{"value":"ada@example.com"}]})"
    );
}

TEST(ParseBodyTest, R4UnknownAndReadOnlyAttributesArePassedThrough) {
    // itglue-py echoes everything it read; the resource layer ignores what it does not know.
    ResourceInput r = ParseOne(
        R"({"data":{"type":"organizations","attributes":{"name":"Contoso","organization-name":"x",)"
        R"("created-at":"2024-01-01T00:00:00.000Z","resource-url":"http://h/1","id":"42"}}})",
        "organizations"
    );
    EXPECT_EQ(*r.id, 42);
    EXPECT_EQ(
        AttrsJson(r),
        R"({"name":"Contoso","organization_name":"x","created_at":"2024-01-01T00:00:00.000Z","resource_url":"http://h/1"})"
    );
}

TEST(ParseBodyTest, NullAttributesAndRelationshipsAreEmpty) {
    ResourceInput r = ParseOne(R"({"data":{"type":"configurations","attributes":null,"relationships":null}})");
    EXPECT_TRUE(r.attributes.empty());
    EXPECT_TRUE(r.relationships.empty());
    ResourceInput bare = ParseOne(R"({"data":{}})");
    EXPECT_TRUE(bare.attributes.empty());
    EXPECT_FALSE(bare.id.has_value());
}

// ---- malformed bodies ----

TEST(ParseBodyTest, MalformedBodiesAre400) {
    struct Case {
        std::string body;
        std::string message;
        std::string pointer;
    };
    const std::vector<Case> cases = {
        {"", "malformed JSON: empty document", ""},
        {"{", "", ""},
        {R"({"data":{"attributes":{"name":"x",}}})", "", ""},
        {"\"data\"", "the request body must be a JSON object with a data member", ""},
        {"[{\"data\":{}}]", "the request body must be a JSON object with a data member", ""},
        {"{}", "the request body has no data member", "/data"},
        {R"({"Data":{}})", "the request body has no data member", "/data"},
        {R"({"data":null})", "data must be a resource object or an array of them", "/data"},
        {R"({"data":"x"})", "data must be a resource object or an array of them", "/data"},
        {R"({"data":{"attributes":[]}})", "attributes must be an object", "/data/attributes"},
        {R"({"data":{"attributes":"name=x"}})", "attributes must be an object", "/data/attributes"},
        {R"({"data":{"relationships":[]}})", "relationships must be an object", "/data/relationships"},
        {R"({"data":[{"attributes":1}]})", "attributes must be an object", "/data/0/attributes"},
    };
    for (const Case& c : cases) {
        Result<ParsedBody> parsed = ParseBody(c.body, "configurations", BodyShape::kEither);
        ASSERT_FALSE(parsed.ok()) << "accepted: " << c.body;
        EXPECT_EQ(parsed.status().code(), Code::kInvalidArgument) << c.body;
        if (c.message.empty()) {
            EXPECT_EQ(parsed.status().message().rfind("malformed JSON: ", 0), 0u) << parsed.status().message();
        } else {
            EXPECT_EQ(parsed.status().message(), c.message) << c.body;
        }
        EXPECT_EQ(parsed.status().pointer(), c.pointer) << c.body;
    }
}

TEST(ParseBodyTest, ManyAttributesStayLinear) {
    // A hostile body with 100k attributes, many colliding after normalising.
    std::string body = R"({"data":{"attributes":{)";
    for (int i = 0; i < 100000; ++i) {
        if (i) body += ",";
        body += "\"a" + std::to_string(i % 50000) + (i % 2 ? "-x" : "_x") + "\":" + std::to_string(i);
    }
    body += "}}}";
    Result<ParsedBody> parsed = ParseBody(body, "", BodyShape::kSingle);
    ASSERT_TRUE(parsed.ok()) << parsed.status().message();
    const ResourceInput& r = parsed->resources[0];
    ASSERT_EQ(r.attributes.size(), 50000u);
    // "a0_x" was sent at i=0 and i=50000, so the later (50000) wins.
    EXPECT_EQ(r.attributes[0].first, "a0_x");
    EXPECT_EQ(r.attributes[0].second.as_int(), 50000);
}

// ---- pointers ----

TEST(ResourceInputTest, Pointer) {
    ResourceInput r;
    r.index = 3;
    EXPECT_EQ(r.Pointer("name", false), "/data/attributes/name");
    EXPECT_EQ(r.Pointer("name", true), "/data/3/attributes/name");
    EXPECT_EQ(r.Pointer("a/b~c", false), "/data/attributes/a~1b~0c");  // RFC 6901 escaping
}

}  // namespace
}  // namespace mortar::jsonapi
