// SPDX-License-Identifier: AGPL-3.0-or-later
#include "jsonapi/body.hpp"

#include <charconv>
#include <cmath>
#include <system_error>
#include <unordered_map>

#include "core/strings.hpp"

namespace mortar::jsonapi {

namespace {

// The members of a resource object that are not attributes.
bool IsReservedMember(std::string_view key) {
    return key == "id" || key == "type" || key == "attributes" || key == "relationships" || key == "links" ||
           key == "meta";
}

// Escapes a JSON pointer reference token (RFC 6901).
std::string PointerToken(std::string_view token) {
    std::string out;
    out.reserve(token.size());
    for (char c : token) {
        if (c == '~') {
            out += "~0";
        } else if (c == '/') {
            out += "~1";
        } else {
            out.push_back(c);
        }
    }
    return out;
}

// Builds a member list with unique keys. The index keeps hostile bodies with very many
// members linear rather than quadratic.
class MemberList {
public:
    explicit MemberList(json::Value::Object& members) : members_(members) {}

    // Inserts, or replaces the value of an existing key (a later spelling wins).
    void Put(std::string key, const json::Value& value) {
        auto [it, inserted] = index_.try_emplace(key, members_.size());
        if (inserted) {
            members_.emplace_back(std::move(key), value);
        } else {
            members_[it->second].second = value;
        }
    }
    // Inserts unless the key is present already.
    void PutIfAbsent(std::string key, const json::Value& value) {
        auto [it, inserted] = index_.try_emplace(key, members_.size());
        if (inserted) members_.emplace_back(std::move(key), value);
    }

private:
    json::Value::Object& members_;
    std::unordered_map<std::string, std::size_t> index_;
};

// An id as sent (R5): a positive integer or a string of digits; null means absent.
Status ReadId(const json::Value& v, const std::string& pointer, std::optional<int64_t>& out) {
    out.reset();
    if (v.is_null()) return Status::Ok();
    std::optional<int64_t> id;
    if (v.is_int()) {
        id = v.as_int();
    } else if (v.is_string()) {
        const std::string& s = v.as_string();
        const bool digits = !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
        if (digits) id = ParseInt64(s);
    }
    if (!id.has_value() || *id <= 0) {
        return Status(Code::kInvalidArgument, "id must be a positive integer or a string of digits", pointer);
    }
    out = id;
    return Status::Ok();
}

// Normalises one resource object of the body into `out`; `prefix` is "/data" or "/data/3".
Status ParseResource(
    const json::Value& resource, std::string_view expected_type, const std::string& prefix, ResourceInput& out
) {
    if (!resource.is_object()) {
        return Status(Code::kInvalidArgument, "a resource object must be a JSON object", prefix);
    }
    const json::Value* type = resource.Find("type");
    if (type != nullptr && !type->is_null()) {
        if (!type->is_string()) return Status::Unprocessable("type must be a string", prefix + "/type");
        if (!expected_type.empty() &&
            ToLower(DashToUnderscore(type->as_string())) != ToLower(DashToUnderscore(expected_type))) {
            return Status::Unprocessable(
                "type \"" + type->as_string().substr(0, 64) + "\" does not match this endpoint's type \"" +
                    UnderscoreToDash(expected_type) + "\"",
                prefix + "/type"
            );
        }
    }

    MemberList attribute_list(out.attributes);
    const json::Value* attributes = resource.Find("attributes");
    if (attributes != nullptr && !attributes->is_null()) {
        if (!attributes->is_object()) {
            return Status(Code::kInvalidArgument, "attributes must be an object", prefix + "/attributes");
        }
        for (const auto& [key, value] : attributes->as_object()) attribute_list.Put(DashToUnderscore(key), value);
    }

    const json::Value* relationships = resource.Find("relationships");
    if (relationships != nullptr && !relationships->is_null()) {
        if (!relationships->is_object()) {
            return Status(Code::kInvalidArgument, "relationships must be an object", prefix + "/relationships");
        }
        MemberList relationship_list(out.relationships);
        for (const auto& [key, value] : relationships->as_object()) {
            relationship_list.Put(DashToUnderscore(key), value);
        }
    }

    // R7: other members of the resource object (data.contact_emails) count as attributes;
    // a key also given inside attributes keeps the attributes value.
    for (const auto& [key, value] : resource.as_object()) {
        if (!IsReservedMember(key)) attribute_list.PutIfAbsent(DashToUnderscore(key), value);
    }

    // R5: the id at data.id or data.attributes.id; never left among the attributes.
    std::optional<int64_t> outer_id, inner_id;
    if (const json::Value* id = resource.Find("id")) {
        MORTAR_RETURN_IF_ERROR(ReadId(*id, prefix + "/id", outer_id));
    }
    for (auto it = out.attributes.begin(); it != out.attributes.end(); ++it) {
        if (it->first == "id") {
            MORTAR_RETURN_IF_ERROR(ReadId(it->second, prefix + "/attributes/id", inner_id));
            out.attributes.erase(it);
            break;
        }
    }
    if (outer_id && inner_id && *outer_id != *inner_id) {
        return Status(Code::kInvalidArgument, "data.id and data.attributes.id differ", prefix + "/id");
    }
    out.id = outer_id ? outer_id : inner_id;
    return Status::Ok();
}

Status MustBe(const char* what) {
    return Status::Unprocessable(std::string("must be ") + what);
}

}  // namespace

const json::Value* ResourceInput::Attr(std::string_view name) const {
    for (const auto& [key, value] : attributes) {
        if (key == name) return &value;
    }
    return nullptr;
}

std::string ResourceInput::Pointer(std::string_view attr, bool in_array) const {
    std::string out = "/data/";
    if (in_array) out += std::to_string(index) + "/";
    out += "attributes/";
    out += PointerToken(attr);
    return out;
}

Status CheckContentType(std::string_view content_type, std::string_view body) {
    // Without a body there is nothing to misread: itglue-py sends a Content-Type on GET.
    if (Trim(body).empty()) return Status::Ok();
    const std::string_view media = Trim(content_type.substr(0, content_type.find(';')));
    if (media.empty()) {
        return Status(Code::kUnsupportedMedia, "a request body needs Content-Type application/vnd.api+json");
    }
    const std::string lower = ToLower(media);
    if (lower == "application/vnd.api+json" || lower == "application/json") return Status::Ok();
    return Status(
        Code::kUnsupportedMedia,
        "unsupported Content-Type \"" + std::string(media.substr(0, 64)) +
            "\": use application/vnd.api+json or application/json"
    );
}

Result<ParsedBody> ParseBody(std::string_view body, std::string_view expected_type, BodyShape shape) {
    Result<json::Value> root = json::Parse(body);
    if (!root.ok()) return root.status();
    if (!root->is_object()) return Status::InvalidArgument("the request body must be a JSON object with a data member");
    const json::Value* data = root->Find("data");
    if (data == nullptr) return Status(Code::kInvalidArgument, "the request body has no data member", "/data");

    ParsedBody parsed;
    if (data->is_array()) {
        if (shape == BodyShape::kSingle) {
            return Status(Code::kInvalidArgument, "data must be a single resource object, not an array", "/data");
        }
        parsed.is_array = true;
        const json::Value::Array& items = data->as_array();
        parsed.resources.resize(items.size());
        for (std::size_t i = 0; i < items.size(); ++i) {
            parsed.resources[i].index = i;
            MORTAR_RETURN_IF_ERROR(
                ParseResource(items[i], expected_type, "/data/" + std::to_string(i), parsed.resources[i])
            );
        }
        return parsed;
    }
    if (data->is_object()) {
        if (shape == BodyShape::kArray) {
            return Status(Code::kInvalidArgument, "data must be an array of resource objects", "/data");
        }
        parsed.resources.resize(1);
        MORTAR_RETURN_IF_ERROR(ParseResource(*data, expected_type, "/data", parsed.resources[0]));
        return parsed;
    }
    return Status(Code::kInvalidArgument, "data must be a resource object or an array of them", "/data");
}

Result<std::optional<int64_t>> ReadInt(const json::Value& v) {
    using R = std::optional<int64_t>;
    switch (v.kind()) {
        case json::Value::Kind::kNull:
            return R();
        case json::Value::Kind::kInt:
            return R(v.as_int());
        case json::Value::Kind::kDouble: {
            // 42.0 is accepted; 42.5 is not. The bounds are exact powers of two.
            const double d = v.as_double();
            if (std::isfinite(d) && d == std::trunc(d) && d >= -9223372036854775808.0 && d < 9223372036854775808.0) {
                return R(static_cast<int64_t>(d));
            }
            return MustBe("an integer");
        }
        case json::Value::Kind::kString: {
            const std::string_view s = Trim(v.as_string());
            if (s.empty()) return R();
            std::optional<int64_t> n = ParseInt64(s);
            if (!n) return MustBe("an integer");
            return R(*n);
        }
        default:
            return MustBe("an integer");
    }
}

Result<std::optional<bool>> ReadBool(const json::Value& v) {
    using R = std::optional<bool>;
    switch (v.kind()) {
        case json::Value::Kind::kNull:
            return R();
        case json::Value::Kind::kBool:
            return R(v.as_bool());
        case json::Value::Kind::kInt:
            if (v.as_int() == 0 || v.as_int() == 1) return R(v.as_int() == 1);
            return MustBe("a boolean");
        case json::Value::Kind::kString: {
            const std::string s = ToLower(Trim(v.as_string()));
            if (s.empty()) return R();
            if (s == "true" || s == "1") return R(true);
            if (s == "false" || s == "0") return R(false);
            return MustBe("a boolean");
        }
        default:
            return MustBe("a boolean");
    }
}

Result<std::optional<std::string>> ReadString(const json::Value& v) {
    using R = std::optional<std::string>;
    switch (v.kind()) {
        case json::Value::Kind::kNull:
            return R();
        case json::Value::Kind::kString:
            return R(v.as_string());
        case json::Value::Kind::kInt:
            return R(std::to_string(v.as_int()));
        case json::Value::Kind::kDouble: {
            char buf[32];
            auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v.as_double());
            if (ec != std::errc()) return MustBe("a string");
            return R(std::string(buf, end));
        }
        case json::Value::Kind::kBool:
            return R(std::string(v.as_bool() ? "true" : "false"));
        default:
            return MustBe("a string");
    }
}

Result<std::optional<double>> ReadDouble(const json::Value& v) {
    using R = std::optional<double>;
    switch (v.kind()) {
        case json::Value::Kind::kNull:
            return R();
        case json::Value::Kind::kInt:
        case json::Value::Kind::kDouble:
            return R(v.as_double());
        case json::Value::Kind::kString: {
            const std::string_view s = Trim(v.as_string());
            if (s.empty()) return R();
            // from_chars is locale-independent; it takes no leading '+', and the checks
            // below refuse "inf", "nan" and hex floats it would otherwise read.
            double d = 0;
            auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
            const bool plain = s.find_first_not_of("0123456789+-.eE") == std::string_view::npos;
            if (ec != std::errc() || end != s.data() + s.size() || !plain || !std::isfinite(d)) {
                return MustBe("a number");
            }
            return R(d);
        }
        default:
            return MustBe("a number");
    }
}

}  // namespace mortar::jsonapi
