// SPDX-License-Identifier: AGPL-3.0-or-later
#include "api_checks.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <regex>

namespace mortar::ftest {

std::string Doc(std::string_view type, JObject attributes, std::optional<std::string> id) {
    return json::Value(JObject{{"data", Item(type, std::move(attributes), std::move(id))}}).Dump();
}

json::Value Item(std::string_view type, JObject attributes, std::optional<std::string> id) {
    JObject data;
    data.emplace_back("type", std::string(type));
    if (id) data.emplace_back("id", *id);
    data.emplace_back("attributes", std::move(attributes));
    return json::Value(std::move(data));
}

std::string BulkDoc(JArray items) {
    return json::Value(JObject{{"data", std::move(items)}}).Dump();
}

const json::Value* At(const json::Value& v, std::string_view dotted) {
    const json::Value* cur = &v;
    size_t pos = 0;
    while (cur != nullptr && pos <= dotted.size()) {
        size_t dot = dotted.find('.', pos);
        if (dot == std::string_view::npos) dot = dotted.size();
        std::string_view seg = dotted.substr(pos, dot - pos);
        if (cur->is_array()) {
            if (seg.empty() || !std::all_of(seg.begin(), seg.end(), [](char c) { return c >= '0' && c <= '9'; })) {
                return nullptr;
            }
            size_t idx = std::stoul(std::string(seg));
            cur = idx < cur->as_array().size() ? &cur->as_array()[idx] : nullptr;
        } else {
            cur = cur->Find(seg);
        }
        pos = dot + 1;
    }
    return cur;
}

json::Value ValueAt(const json::Value& v, std::string_view dotted) {
    const json::Value* found = At(v, dotted);
    return found != nullptr ? *found : json::Value();
}

std::string StringAt(const json::Value& v, std::string_view dotted) {
    const json::Value* found = At(v, dotted);
    return found != nullptr && found->is_string() ? found->as_string() : "";
}

int64_t IntAt(const json::Value& v, std::string_view dotted) {
    const json::Value* found = At(v, dotted);
    return found != nullptr && found->is_int() ? found->as_int() : 0;
}

bool JsonEqual(const json::Value& a, const json::Value& b) {
    if (a.is_number() && b.is_number()) {
        if (a.is_int() && b.is_int()) return a.as_int() == b.as_int();
        return a.as_double() == b.as_double();
    }
    if (a.kind() != b.kind()) return false;
    switch (a.kind()) {
        case json::Value::Kind::kNull:
            return true;
        case json::Value::Kind::kBool:
            return a.as_bool() == b.as_bool();
        case json::Value::Kind::kString:
            return a.as_string() == b.as_string();
        case json::Value::Kind::kArray: {
            const auto& x = a.as_array();
            const auto& y = b.as_array();
            if (x.size() != y.size()) return false;
            for (size_t i = 0; i < x.size(); ++i) {
                if (!JsonEqual(x[i], y[i])) return false;
            }
            return true;
        }
        case json::Value::Kind::kObject: {
            const auto& x = a.as_object();
            const auto& y = b.as_object();
            if (x.size() != y.size()) return false;
            for (const auto& [k, v] : x) {
                const json::Value* other = b.Find(k);
                if (other == nullptr || !JsonEqual(v, *other)) return false;
            }
            return true;
        }
        default:
            return false;
    }
}

bool JsonSubset(const json::Value& expected, const json::Value& actual) {
    if (expected.is_object()) {
        if (!actual.is_object()) return false;
        for (const auto& [k, v] : expected.as_object()) {
            const json::Value* other = actual.Find(k);
            if (other == nullptr || !JsonSubset(v, *other)) return false;
        }
        return true;
    }
    if (expected.is_array()) {
        if (!actual.is_array() || actual.as_array().size() != expected.as_array().size()) return false;
        for (size_t i = 0; i < expected.as_array().size(); ++i) {
            if (!JsonSubset(expected.as_array()[i], actual.as_array()[i])) return false;
        }
        return true;
    }
    return JsonEqual(expected, actual);
}

std::string DashToUnderscore(std::string_view s) {
    std::string out(s);
    std::replace(out.begin(), out.end(), '-', '_');
    return out;
}

std::string UnderscoreToDash(std::string_view s) {
    std::string out(s);
    std::replace(out.begin(), out.end(), '_', '-');
    return out;
}

json::Value ToSnakeBody(const json::Value& v, bool ids_as_strings) {
    if (v.is_array()) {
        JArray out;
        for (const json::Value& e : v.as_array()) out.push_back(ToSnakeBody(e, ids_as_strings));
        return out;
    }
    if (!v.is_object()) return v;
    JObject out;
    for (const auto& [k, e] : v.as_object()) {
        bool is_fk = k.size() > 3 && k.compare(k.size() - 3, 3, "-id") == 0;
        if (ids_as_strings && is_fk && e.is_int()) {
            out.emplace_back(DashToUnderscore(k), std::to_string(e.as_int()));
        } else {
            out.emplace_back(DashToUnderscore(k), ToSnakeBody(e, ids_as_strings));
        }
    }
    return out;
}

std::string NewTag() {
    static std::atomic<int> counter{0};
    return "ft" + std::to_string(++counter);
}

::testing::AssertionResult HasStatus(const HttpResponse& resp, long status) {
    if (resp.status == status) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "expected HTTP " << status << ", got " << resp.Describe();
}

::testing::AssertionResult HasJsonApiContentType(const HttpResponse& resp) {
    const std::string* ct = resp.Header("content-type");
    if (ct == nullptr) return ::testing::AssertionFailure() << "no Content-Type: " << resp.Describe();
    std::string lower;
    for (char c : *ct) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower.rfind("application/vnd.api+json", 0) != 0) {
        return ::testing::AssertionFailure()
               << "Content-Type is '" << *ct << "', want application/vnd.api+json: " << resp.Describe();
    }
    return ::testing::AssertionSuccess();
}

::testing::AssertionResult IsErrorResponse(
    const HttpResponse& resp, long status, const std::vector<std::string>& pointers
) {
    if (resp.status != status) {
        return ::testing::AssertionFailure() << "expected HTTP " << status << ", got " << resp.Describe();
    }
    Result<json::Value> parsed = json::Parse(resp.body);
    if (!parsed.ok()) {
        return ::testing::AssertionFailure() << "error body is not JSON: " << resp.Describe();
    }
    const json::Value* errors = parsed->Find("errors");
    if (errors == nullptr || !errors->is_array() || errors->as_array().empty()) {
        return ::testing::AssertionFailure() << "no non-empty errors array: " << resp.Describe();
    }
    bool pointer_found = pointers.empty();
    for (const json::Value& e : errors->as_array()) {
        const json::Value* st = e.Find("status");
        if (st == nullptr || !st->is_int() || st->as_int() != status) {
            return ::testing::AssertionFailure()
                   << "errors[].status must be the number " << status << ": " << resp.Describe();
        }
        const json::Value* title = e.Find("title");
        if (title == nullptr || !title->is_string() || title->as_string().empty()) {
            return ::testing::AssertionFailure() << "errors[].title must be a non-empty string: " << resp.Describe();
        }
        const json::Value* detail = e.Find("detail");
        if (detail != nullptr && !detail->is_string()) {
            return ::testing::AssertionFailure() << "errors[].detail must be a string: " << resp.Describe();
        }
        const json::Value* pointer = At(e, "source.pointer");
        if (pointer != nullptr && pointer->is_string() &&
            std::find(pointers.begin(), pointers.end(), pointer->as_string()) != pointers.end()) {
            pointer_found = true;
        }
    }
    if (!pointer_found) {
        std::string want;
        for (const std::string& p : pointers) want += (want.empty() ? "" : " or ") + p;
        return ::testing::AssertionFailure() << "no error with source.pointer " << want << ": " << resp.Describe();
    }
    if (auto ct = HasJsonApiContentType(resp); !ct) return ct;
    return ::testing::AssertionSuccess();
}

bool IsTimestamp(const json::Value& v) {
    static const std::regex kRe(R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$)");
    return v.is_string() && std::regex_match(v.as_string(), kRe);
}

namespace {

// Checks keys recursively: kebab-case only.
bool KeysAreKebab(const json::Value& v, std::string* bad) {
    if (v.is_array()) {
        for (const json::Value& e : v.as_array()) {
            if (!KeysAreKebab(e, bad)) return false;
        }
        return true;
    }
    if (!v.is_object()) return true;
    for (const auto& [k, e] : v.as_object()) {
        bool ok = !k.empty() && std::all_of(k.begin(), k.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
        });
        if (!ok) {
            *bad = k;
            return false;
        }
        if (!KeysAreKebab(e, bad)) return false;
    }
    return true;
}

}  // namespace

::testing::AssertionResult IsResourceObject(const json::Value& data, std::string_view type) {
    if (!data.is_object()) return ::testing::AssertionFailure() << "data is not an object: " << data.Dump();
    const json::Value* id = data.Find("id");
    if (id == nullptr || !id->is_string() || id->as_string().empty() ||
        !std::all_of(id->as_string().begin(), id->as_string().end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return ::testing::AssertionFailure() << "data.id must be a string of digits: " << data.Dump();
    }
    const json::Value* t = data.Find("type");
    if (t == nullptr || !t->is_string() || t->as_string() != type) {
        return ::testing::AssertionFailure() << "data.type must be '" << type << "': " << data.Dump();
    }
    const json::Value* attrs = data.Find("attributes");
    if (attrs == nullptr || !attrs->is_object()) {
        return ::testing::AssertionFailure() << "data.attributes must be an object: " << data.Dump();
    }
    if (attrs->Find("id") != nullptr) {
        return ::testing::AssertionFailure() << "attributes must not contain id (API.md 2.4): " << data.Dump();
    }
    std::string bad;
    if (!KeysAreKebab(*attrs, &bad)) {
        return ::testing::AssertionFailure() << "attribute key '" << bad << "' is not kebab-case: " << data.Dump();
    }
    for (const auto& [k, v] : attrs->as_object()) {
        if (v.is_string() && v.as_string().empty() && k != "logo") {
            return ::testing::AssertionFailure()
                   << "attribute '" << k << "' is \"\"; empty values are null (API.md 2.4): " << data.Dump();
        }
    }
    for (const char* ts : {"created-at", "updated-at"}) {
        const json::Value* v = attrs->Find(ts);
        if (v == nullptr || !IsTimestamp(*v)) {
            return ::testing::AssertionFailure()
                   << ts << " must be an RFC 3339 UTC timestamp with milliseconds: " << data.Dump();
        }
    }
    return ::testing::AssertionSuccess();
}

int64_t IdOf(const json::Value& data) {
    const json::Value* id = data.Find("id");
    if (id == nullptr || !id->is_string()) return 0;
    try {
        return std::stoll(id->as_string());
    } catch (...) {
        return 0;
    }
}

std::vector<int64_t> IdsOf(const json::Value& doc) {
    std::vector<int64_t> out;
    const json::Value* data = doc.Find("data");
    if (data == nullptr || !data->is_array()) return out;
    for (const json::Value& d : data->as_array()) out.push_back(IdOf(d));
    return out;
}

std::string JoinIds(const std::vector<int64_t>& ids) {
    std::string out;
    for (int64_t id : ids) out += (out.empty() ? "" : ",") + std::to_string(id);
    return out;
}

}  // namespace mortar::ftest
