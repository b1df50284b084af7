// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/json.hpp"

#include <algorithm>
#include <charconv>
#include <memory>

#include <simdjson.h>

#include "core/json_writer.hpp"

namespace mortar::json {

namespace {

constexpr std::size_t kMaxDepth = 64;
// Documents up to this size reuse a per-thread parser; larger ones get their own, so a
// thread does not keep a big buffer alive after one large body.
constexpr std::size_t kReusableParserCapacity = 1 << 20;

const char* KindName(Value::Kind kind) {
    switch (kind) {
        case Value::Kind::kNull:
            return "null";
        case Value::Kind::kBool:
            return "bool";
        case Value::Kind::kInt:
            return "int";
        case Value::Kind::kDouble:
            return "double";
        case Value::Kind::kString:
            return "string";
        case Value::Kind::kArray:
            return "array";
        case Value::Kind::kObject:
            return "object";
    }
    return "?";
}

std::string WrongKind(const char* wanted, Value::Kind actual) {
    return std::string("json::Value is ") + KindName(actual) + ", not " + wanted;
}

// A short, user-facing reason for a simdjson error.
const char* Reason(simdjson::error_code code) {
    switch (code) {
        case simdjson::EMPTY:
            return "empty document";
        case simdjson::UTF8_ERROR:
            return "invalid UTF-8";
        case simdjson::DEPTH_ERROR:
            return "nesting deeper than 64 levels";
        case simdjson::CAPACITY:
            return "document too large";
        case simdjson::STRING_ERROR:
            return "invalid string or escape sequence";
        case simdjson::UNESCAPED_CHARS:
            return "unescaped control character in a string";
        case simdjson::UNCLOSED_STRING:
            return "unterminated string";
        case simdjson::NUMBER_ERROR:
            return "invalid number";
        case simdjson::NUMBER_OUT_OF_RANGE:
            return "number out of range";
        case simdjson::T_ATOM_ERROR:
        case simdjson::F_ATOM_ERROR:
        case simdjson::N_ATOM_ERROR:
            return "invalid literal";
        case simdjson::INCOMPLETE_ARRAY_OR_OBJECT:
            return "unexpected end of document";
        case simdjson::TRAILING_CONTENT:
            return "trailing content after the value";
        case simdjson::TAPE_ERROR:
            return "invalid structure (misplaced comma, brace or colon, or trailing content)";
        case simdjson::MEMALLOC:
            return "out of memory";
        default:
            return "invalid document";
    }
}

Status Malformed(std::string_view reason) {
    return Status::InvalidArgument("malformed JSON: " + std::string(reason));
}

// Converts a simdjson DOM element into an owned Value; false when nesting exceeds kMaxDepth.
bool Convert(simdjson::dom::element element, std::size_t depth, Value& out) {
    using simdjson::dom::element_type;
    switch (element.type()) {
        case element_type::NULL_VALUE:
            out = Value(nullptr);
            return true;
        case element_type::BOOL:
            out = Value(bool(element.get_bool().value_unsafe()));
            return true;
        case element_type::INT64:
            out = Value(int64_t(element.get_int64().value_unsafe()));
            return true;
        // Above INT64_MAX: kept approximately, as a double.
        case element_type::UINT64:
            out = Value(double(element.get_uint64().value_unsafe()));
            return true;
        case element_type::DOUBLE:
            out = Value(double(element.get_double().value_unsafe()));
            return true;
        case element_type::STRING:
            out = Value(std::string(element.get_string().value_unsafe()));
            return true;
        case element_type::ARRAY: {
            if (depth >= kMaxDepth) return false;
            simdjson::dom::array array = element.get_array().value_unsafe();
            Value::Array items;
            items.reserve(array.size());
            for (simdjson::dom::element item : array) {
                items.emplace_back();
                if (!Convert(item, depth + 1, items.back())) return false;
            }
            out = Value(std::move(items));
            return true;
        }
        case element_type::OBJECT: {
            if (depth >= kMaxDepth) return false;
            simdjson::dom::object object = element.get_object().value_unsafe();
            Value::Object members;
            members.reserve(object.size());
            for (simdjson::dom::key_value_pair member : object) {
                members.emplace_back(std::string(member.key), Value());
                if (!Convert(member.value, depth + 1, members.back().second)) return false;
            }
            out = Value(std::move(members));
            return true;
        }
    }
    return false;
}

// simdjson 3.0 refuses integers outside [INT64_MIN, UINT64_MAX]. They are valid JSON, so
// this rewrites every integer token outside int64 as a decimal ("…0" -> "…0.0"), which
// simdjson then reads as a double. Strings are skipped; malformed numbers stay malformed.
// Returns false when nothing needed rewriting.
bool RewriteBigIntegers(std::string_view text, std::string& out) {
    bool changed = false;
    out.clear();
    out.reserve(text.size() + 16);
    std::size_t i = 0;
    while (i < text.size()) {
        const char c = text[i];
        if (c == '"') {
            std::size_t j = i + 1;
            while (j < text.size() && text[j] != '"') j += text[j] == '\\' ? 2 : 1;
            j = std::min(j + 1, text.size());
            out.append(text.substr(i, j - i));
            i = j;
            continue;
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            std::size_t j = i;
            bool integral = true;
            while (j < text.size()) {
                const char d = text[j];
                if (d == '.' || d == 'e' || d == 'E') {
                    integral = false;
                } else if (!(d == '-' || d == '+' || (d >= '0' && d <= '9'))) {
                    break;
                }
                ++j;
            }
            const std::string_view token = text.substr(i, j - i);
            out.append(token);
            if (integral) {
                int64_t ignored = 0;
                auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), ignored);
                if (ec == std::errc::result_out_of_range && end == token.data() + token.size()) {
                    out.append(".0");
                    changed = true;
                }
            }
            i = j;
            continue;
        }
        out.push_back(c);
        ++i;
    }
    return changed;
}

}  // namespace

bool Value::as_bool() const {
    MORTAR_CHECK(is_bool(), WrongKind("bool", kind()));
    return std::get<bool>(v_);
}

int64_t Value::as_int() const {
    MORTAR_CHECK(is_int(), WrongKind("int", kind()));
    return std::get<int64_t>(v_);
}

double Value::as_double() const {
    MORTAR_CHECK(is_number(), WrongKind("number", kind()));
    if (is_int()) return static_cast<double>(std::get<int64_t>(v_));
    return std::get<double>(v_);
}

const std::string& Value::as_string() const {
    MORTAR_CHECK(is_string(), WrongKind("string", kind()));
    return std::get<std::string>(v_);
}

const Value::Array& Value::as_array() const {
    MORTAR_CHECK(is_array(), WrongKind("array", kind()));
    return std::get<Array>(v_);
}

Value::Array& Value::as_array() {
    MORTAR_CHECK(is_array(), WrongKind("array", kind()));
    return std::get<Array>(v_);
}

const Value::Object& Value::as_object() const {
    MORTAR_CHECK(is_object(), WrongKind("object", kind()));
    return std::get<Object>(v_);
}

Value::Object& Value::as_object() {
    MORTAR_CHECK(is_object(), WrongKind("object", kind()));
    return std::get<Object>(v_);
}

const Value* Value::Find(std::string_view key) const {
    if (!is_object()) return nullptr;
    const Object& members = std::get<Object>(v_);
    // The last of duplicate keys wins, as in JavaScript's and Python's parsers.
    for (auto it = members.rbegin(); it != members.rend(); ++it) {
        if (it->first == key) return &it->second;
    }
    return nullptr;
}

void Value::Set(std::string key, Value v) {
    Object& members = as_object();
    for (auto it = members.rbegin(); it != members.rend(); ++it) {
        if (it->first == key) {
            it->second = std::move(v);
            return;
        }
    }
    members.emplace_back(std::move(key), std::move(v));
}

std::string Value::Dump() const {
    Writer w;
    w.WriteValue(*this);
    return w.Take();
}

Result<Value> Parse(std::string_view text) {
    if (text.empty()) return Malformed("empty document");
    // simdjson reads up to SIMDJSON_PADDING bytes past the end, so parse a padded copy.
    simdjson::padded_string padded(text);
    thread_local std::unique_ptr<simdjson::dom::parser> reusable;
    std::unique_ptr<simdjson::dom::parser> oversized;
    simdjson::dom::parser* parser = nullptr;
    if (text.size() <= kReusableParserCapacity) {
        if (!reusable) reusable = std::make_unique<simdjson::dom::parser>();
        parser = reusable.get();
    } else {
        oversized = std::make_unique<simdjson::dom::parser>();
        parser = oversized.get();
    }
    simdjson::dom::element root;
    simdjson::error_code error = parser->parse(padded).get(root);
    if (error == simdjson::NUMBER_ERROR) {
        std::string rewritten;
        if (RewriteBigIntegers(text, rewritten)) {
            padded = simdjson::padded_string(rewritten);
            error = parser->parse(padded).get(root);
        }
    }
    if (error) return Malformed(Reason(error));
    Value out;
    if (!Convert(root, 0, out)) return Malformed(Reason(simdjson::DEPTH_ERROR));
    return out;
}

}  // namespace mortar::json
