// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

// Document builders and assertions on API.md's wire shapes, shared by every functional
// test. Each check returns a ::testing::AssertionResult that names the request and shows
// the body, so a failure reads as "what was sent, what came back, what was expected".

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "core/json.hpp"
#include "harness.hpp"

namespace mortar::ftest {

using JObject = json::Value::Object;
using JArray = json::Value::Array;

// {"data": {"type": type, ["id": id,] "attributes": attributes}}.
std::string Doc(std::string_view type, JObject attributes, std::optional<std::string> id = std::nullopt);
// {"data": [items...]}.
std::string BulkDoc(JArray items);
// One element of a data[] array.
json::Value Item(std::string_view type, JObject attributes, std::optional<std::string> id = std::nullopt);

// The member at a dotted path ("data.attributes.name", "data.0.id"; numeric segments
// index arrays), or nullptr. Attribute keys never contain dots.
const json::Value* At(const json::Value& v, std::string_view dotted);
// A copy of the member at a dotted path, null when absent.
json::Value ValueAt(const json::Value& v, std::string_view dotted);
// The string at a dotted path, "" when absent or not a string.
std::string StringAt(const json::Value& v, std::string_view dotted);
// The integer at a dotted path, 0 when absent or not an integer.
int64_t IntAt(const json::Value& v, std::string_view dotted);
// Structural equality; an int and a double compare by value.
bool JsonEqual(const json::Value& a, const json::Value& b);
// Every member of `expected` is in `actual` with a subset-equal value (arrays: same
// length, element-wise); scalars compare with JsonEqual.
bool JsonSubset(const json::Value& expected, const json::Value& actual);

// kebab-case keys to snake_case, recursively; with `ids_as_strings`, integer values of
// keys ending in "-id" become digit strings, as itglue-py sends them.
json::Value ToSnakeBody(const json::Value& v, bool ids_as_strings);
std::string DashToUnderscore(std::string_view s);
std::string UnderscoreToDash(std::string_view s);

// A label unique in this process (and so within one server's store): "ft7".
std::string NewTag();

// The response has this status.
::testing::AssertionResult HasStatus(const HttpResponse& resp, long status);
// The response has this status and API.md 2.9's body: a non-empty `errors` array whose
// entries carry `status` as a number equal to the HTTP status and a string `title`.
// When `pointers` is not empty, some error's source.pointer must be one of them.
::testing::AssertionResult IsErrorResponse(
    const HttpResponse& resp, long status, const std::vector<std::string>& pointers = {}
);
// `data` is a resource object of this type per API.md 2.4: id a digit string, type the
// dasherized plural, attributes an object with kebab keys (recursively), no `id`, no ""
// other than `logo`, and RFC 3339 UTC millisecond timestamps in created-at/updated-at.
::testing::AssertionResult IsResourceObject(const json::Value& data, std::string_view type);
// An RFC 3339 UTC timestamp with milliseconds: "2024-05-02T14:03:11.000Z".
bool IsTimestamp(const json::Value& v);
// The response carries Content-Type application/vnd.api+json (parameters allowed).
::testing::AssertionResult HasJsonApiContentType(const HttpResponse& resp);

// The digit-string id of data as an integer (0 when it is not one).
int64_t IdOf(const json::Value& data);
// The ids of a collection's data[] in order.
std::vector<int64_t> IdsOf(const json::Value& doc);

// The three clients of one server: account A, account B ("other") and no key.
struct Clients {
    explicit Clients(const MortarServer& server)
        : a(server.base_url(), server.key_a()), b(server.base_url(), server.key_b()), anon(server.base_url(), "") {}
    HttpClient a;
    HttpClient b;
    HttpClient anon;
};

// Joins integers with commas.
std::string JoinIds(const std::vector<int64_t>& ids);

}  // namespace mortar::ftest
