// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "core/status.hpp"

namespace mortar::json {

// A parsed JSON value, owned. Used for small request bodies; bulk vendor pages are
// parsed with simdjson On-Demand directly instead. Objects keep their members in
// document order (a vector of pairs), since bodies are small and order helps errors.
// Thread safety: thread-compatible.
class Value {
public:
    using Array = std::vector<Value>;
    using Object = std::vector<std::pair<std::string, Value>>;
    enum class Kind { kNull, kBool, kInt, kDouble, kString, kArray, kObject };

    Value() = default;
    Value(std::nullptr_t) {}
    Value(bool b) : v_(b) {}
    Value(int64_t i) : v_(i) {}
    Value(int i) : v_(static_cast<int64_t>(i)) {}
    Value(double d) : v_(d) {}
    Value(std::string s) : v_(std::move(s)) {}
    Value(const char* s) : v_(std::string(s)) {}
    Value(Array a) : v_(std::move(a)) {}
    Value(Object o) : v_(std::move(o)) {}

    Kind kind() const { return static_cast<Kind>(v_.index()); }
    bool is_null() const { return kind() == Kind::kNull; }
    bool is_bool() const { return kind() == Kind::kBool; }
    bool is_int() const { return kind() == Kind::kInt; }
    bool is_double() const { return kind() == Kind::kDouble; }
    bool is_number() const { return is_int() || is_double(); }
    bool is_string() const { return kind() == Kind::kString; }
    bool is_array() const { return kind() == Kind::kArray; }
    bool is_object() const { return kind() == Kind::kObject; }

    // Accessors: MORTAR_CHECK that the kind is right.
    bool as_bool() const;
    int64_t as_int() const;
    double as_double() const;  // ints widen
    const std::string& as_string() const;
    const Array& as_array() const;
    Array& as_array();
    const Object& as_object() const;
    Object& as_object();

    // Object member lookup by exact key; nullptr when absent or not an object. When a
    // parsed object repeats a key, the last one wins (as in JavaScript and Python).
    const Value* Find(std::string_view key) const;
    // Sets or replaces (the last member of that key) an object member. MORTAR_CHECKs that
    // this value is an object.
    void Set(std::string key, Value v);

    // Serialises compactly, with json::Writer's rules: ill-formed UTF-8 in strings becomes
    // U+FFFD, non-finite doubles become null, whole doubles keep a ".0".
    std::string Dump() const;

private:
    std::variant<std::nullptr_t, bool, int64_t, double, std::string, Array, Object> v_;
};

// Parses a complete JSON text (simdjson underneath). Returns kInvalidArgument with a
// short reason ("malformed JSON: invalid UTF-8") for anything that is not exactly one
// valid JSON value: empty input, trailing content, invalid UTF-8 (also in escapes, such as
// a lone surrogate), and nesting deeper than 64 arrays or objects. Integers that fit
// int64 become kInt; larger integers and all numbers with a fraction or exponent become
// kDouble (so precision is lost beyond 2^53); numbers beyond double's range are refused.
// Duplicate object keys are kept in order. Does not block; safe to call from any thread.
Result<Value> Parse(std::string_view text);

}  // namespace mortar::json
