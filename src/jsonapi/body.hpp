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
// or application/json, with or without parameters, case-insensitive. An absent
// Content-Type is accepted when the body is empty. Anything else: kUnsupportedMedia.
Status CheckContentType(std::string_view content_type, std::string_view body);

// Parses a JSON:API request body. `expected_type` is the route's type in either
// spelling ("configuration_types"); a resource whose `type` normalises differently is
// kUnprocessable with pointer /data/type (R3); a missing type is accepted.
// Malformed JSON, a missing or non-object/array `data`, a non-object attributes, or
// an id that is not a positive integer or digit string: kInvalidArgument.
// A `data` array where kSingle is required (or an object where kArray is): kInvalidArgument.
// An empty array is allowed (no resources).
Result<ParsedBody> ParseBody(std::string_view body, std::string_view expected_type, BodyShape shape);

// Tolerant scalar readers (R2). Each returns kUnprocessable with a detail fit for the
// API ("must be an integer") when the value has the wrong type; null -> nullopt.
Result<std::optional<int64_t>> ReadInt(const json::Value& v);     // 42, "42"
Result<std::optional<bool>> ReadBool(const json::Value& v);       // true/false/1/0/"true"/"false"/"1"/"0"
Result<std::optional<std::string>> ReadString(const json::Value& v);  // strings; numbers and bools as text
Result<std::optional<double>> ReadDouble(const json::Value& v);   // 1.5, "1.5"

}  // namespace mortar::jsonapi
