// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

// A record rendered as a vendor's flat list of (field, value): what the simulators
// filter on and write out.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "core/json_writer.hpp"

namespace mortar::sim {

struct Null {};
struct RawJson {
    std::string json;
};
// A value: null, bool, integer, string, or raw JSON (nested objects, arrays).
using Val = std::variant<Null, bool, int64_t, std::string, RawJson>;

struct Fields {
    std::vector<std::pair<std::string_view, Val>> items;

    void Add(std::string_view name, Val v) { items.emplace_back(name, std::move(v)); }
    void AddId(std::string_view name, int64_t id) {  // 0 means none: null
        items.emplace_back(name, id == 0 ? Val(Null{}) : Val(id));
    }
    // Case-insensitive lookup; nullptr when absent.
    const Val* Find(std::string_view name) const;
};

void WriteVal(json::Writer& w, const Val& v);

// Compares a field value with a filter value: numbers numerically, strings that both
// parse as timestamps by time, other strings case-insensitively. Returns <0, 0, >0, or
// nullopt when they cannot be ordered (null, raw JSON, bool against non-bool).
std::optional<int> Compare(const Val& field, const Val& value);

// The value as text for substring operators ("" for null and raw JSON).
std::string TextOf(const Val& v);

}  // namespace mortar::sim
