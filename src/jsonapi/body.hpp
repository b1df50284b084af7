// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.hpp"
#include "core/status.hpp"

namespace mortar::jsonapi {

// One resource object from a request body, normalised per API.md 2.5:
// attribute keys snake_case (R1), `id` taken from data.id or data.attributes.id (R5)
// and removed from attributes, relationships keys snake_case, and any other member
// of the resource object besides id/type/attributes/relationships/links/meta merged
// into attributes (R7: data.contact_emails).
struct ResourceInput {
    std::optional<int64_t> id;
    json::Value::Object attributes;     // snake_case keys, values as sent
    json::Value::Object relationships;  // snake_case keys, values as sent
    std::size_t index = 0;              // position in data[] (0 for a single object)

    // The attribute of that snake_case name, or nullptr.
    const json::Value* Attr(std::string_view name) const;
    // The JSON pointer of an attribute for error sources: "/data/attributes/name" or
    // "/data/3/attributes/name" for array bodies.
    std::string Pointer(std::string_view attr, bool in_array) const;
};

enum class BodyShape { kSingle, kArray, kEither };

struct ParsedBody {
    std::vector<ResourceInput> resources;
    bool is_array = false;
};

// Checks the Content-Type of a request that carries a body: application/vnd.api+json
// or application/json, with or without parameters, case-insensitive. Any Content-Type
// (or none) is accepted when the body is empty or only whitespace, since itglue-py sends
// one on GET. Anything else: kUnsupportedMedia. (multipart/form-data for attachments is
// the attachment route's business, not this function's.)
Status CheckContentType(std::string_view content_type, std::string_view body);

// Parses a JSON:API request body. `expected_type` is the route's type in either
// spelling ("configuration_types"); a resource whose `type` normalises differently
// (dashes as underscores, case ignored) is kUnprocessable with pointer /data/type or
// /data/<i>/type (R3); a missing or null type is accepted, and an empty expected_type
// skips the check. A type that is not a string is kUnprocessable too.
// Malformed JSON ("malformed JSON: ..."), a body that is not an object, a missing or
// non-object/array `data`, non-object attributes or relationships, or an id that is not a
// positive integer or digit string: kInvalidArgument, with a pointer where one helps.
// When both data.id and data.attributes.id are given they must agree (kInvalidArgument).
// Keys that collide after normalising ("organization-id" and "organization_id"): the later wins;
// a member merged from the resource object (R7) never overrides one in attributes.
// A `data` array where kSingle is required (or an object where kArray is): kInvalidArgument.
// An empty array is allowed (no resources). Never throws; does not block.
Result<ParsedBody> ParseBody(std::string_view body, std::string_view expected_type, BodyShape shape);

// Tolerant scalar readers (R2). Each returns kUnprocessable with a detail fit for the
// API ("must be an integer", "must be a boolean", "must be a number", "must be a
// string") and no pointer when the value has the wrong type; null -> nullopt. For
// ReadInt, ReadBool and ReadDouble an empty (or all-space) string is null too, and
// strings are trimmed of ASCII spaces. ReadInt takes a whole double (42.0); ReadBool
// compares strings case-insensitively ("True" from Python's str()); ReadDouble refuses
// "nan" and "inf". ReadString writes numbers in their shortest form and bools as
// "true"/"false"; arrays and objects are refused by all four.
Result<std::optional<int64_t>> ReadInt(const json::Value& v);         // 42, "42"
Result<std::optional<bool>> ReadBool(const json::Value& v);           // true/false/1/0/"true"/"false"/"1"/"0"
Result<std::optional<std::string>> ReadString(const json::Value& v);  // strings; numbers and bools as text
Result<std::optional<double>> ReadDouble(const json::Value& v);       // 1.5, "1.5"

}  // namespace mortar::jsonapi
