// SPDX-License-Identifier: AGPL-3.0-or-later
#include "sync/settings.hpp"

#include <algorithm>

#include "core/json_writer.hpp"
#include "core/strings.hpp"

namespace mortar::sync {
namespace {

bool Contains(const std::vector<std::string>& list, std::string_view v) {
    return std::find(list.begin(), list.end(), v) != list.end();
}

bool IsLocalType(std::string_view t) {
    return std::find(std::begin(kLocalTypes), std::end(kLocalTypes), t) != std::end(kLocalTypes);
}

// A member looked up by its snake or kebab spelling.
const json::Value* Member(const json::Value& obj, std::string_view snake) {
    for (const auto& [k, v] : obj.as_object()) {
        if (DashToUnderscore(k) == snake) return &v;
    }
    return nullptr;
}

Result<bool> ReadBool(const json::Value& obj, std::string_view name, bool fallback, const std::string& at) {
    const json::Value* v = Member(obj, name);
    if (!v || v->is_null()) return fallback;
    if (!v->is_bool()) return Status::Unprocessable("must be true or false", at + "/" + std::string(name));
    return v->as_bool();
}

Result<int64_t> ReadInt(
    const json::Value& obj, std::string_view name, int64_t fallback, int64_t lo, int64_t hi, const std::string& at
) {
    const json::Value* v = Member(obj, name);
    if (!v || v->is_null()) return fallback;
    if (!v->is_int() || v->as_int() < lo || v->as_int() > hi) {
        return Status::Unprocessable(
            "must be an integer from " + std::to_string(lo) + " to " + std::to_string(hi), at + "/" + std::string(name)
        );
    }
    return v->as_int();
}

// A PSA id: a string or an integer, kept as text.
std::optional<std::string> IdText(const json::Value& v) {
    if (v.is_string() && !v.as_string().empty() && v.as_string().size() <= 64) return v.as_string();
    if (v.is_int()) return std::to_string(v.as_int());
    return std::nullopt;
}

Result<std::vector<std::string>> ReadIds(const json::Value& obj, std::string_view name, const std::string& at) {
    std::vector<std::string> out;
    const json::Value* v = Member(obj, name);
    if (!v || v->is_null()) return out;
    const std::string here = at + "/" + std::string(name);
    if (!v->is_array() || v->as_array().size() > 1000) return Status::Unprocessable("must be an array of ids", here);
    for (const json::Value& item : v->as_array()) {
        auto id = IdText(item);
        if (!id) return Status::Unprocessable("must be an array of ids", here);
        out.push_back(*id);
    }
    return out;
}

void WriteIds(json::Writer& w, const std::vector<std::string>& ids) {
    w.BeginArray();
    for (const auto& id : ids) w.String(id);
    w.EndArray();
}

}  // namespace

bool Disconnect::Covers(std::string_view local_type, std::string_view type_id, std::string_view status_id) const {
    if (type != local_type) return false;
    if (psa_type_id && *psa_type_id != type_id) return false;
    if (psa_status_id && *psa_status_id != status_id) return false;
    return true;
}

const TypeSettings& Settings::For(std::string_view local_type) const {
    static const TypeSettings kDefault;
    auto it = types.find(std::string(local_type));
    return it == types.end() ? kDefault : it->second;
}

bool Settings::Meets(std::string_view local_type, bool active, std::string_view type_id, std::string_view status_id)
    const {
    const TypeSettings& t = For(local_type);
    if (!t.enabled) return false;
    if (!active && !t.include_inactive) return false;
    if (!t.psa_type_ids.empty() && !Contains(t.psa_type_ids, type_id)) return false;
    if (!t.psa_status_ids.empty() && !Contains(t.psa_status_ids, status_id)) return false;
    return true;
}

const Disconnect* Settings::DisconnectedBy(
    std::string_view local_type, std::string_view type_id, std::string_view status_id
) const {
    for (const Disconnect& d : disconnected) {
        if (d.Covers(local_type, type_id, status_id)) return &d;
    }
    return nullptr;
}

Result<Settings> ParseSettings(const json::Value& value, const std::string& pointer) {
    Settings s;
    if (value.is_null()) return s;
    if (!value.is_object()) return Status::Unprocessable("must be an object", pointer);
    for (std::string_view type : kLocalTypes) {
        const json::Value* t = Member(value, type);
        if (!t || t->is_null()) continue;
        const std::string at = pointer + "/" + std::string(type);
        if (!t->is_object()) return Status::Unprocessable("must be an object", at);
        TypeSettings ts;
        auto enabled = ReadBool(*t, "enabled", true, at);
        if (!enabled) return enabled.status();
        auto inactive = ReadBool(*t, "include_inactive", false, at);
        if (!inactive) return inactive.status();
        auto types = ReadIds(*t, "psa_type_ids", at);
        if (!types) return types.status();
        auto statuses = ReadIds(*t, "psa_status_ids", at);
        if (!statuses) return statuses.status();
        ts.enabled = *enabled;
        ts.include_inactive = *inactive;
        ts.psa_type_ids = std::move(*types);
        ts.psa_status_ids = std::move(*statuses);
        s.types[std::string(type)] = std::move(ts);
    }
    if (const json::Value* map = Member(value, "configuration_type_map"); map && !map->is_null()) {
        const std::string at = pointer + "/configuration_type_map";
        if (!map->is_object()) return Status::Unprocessable("must be an object of PSA type id to type id", at);
        for (const auto& [k, v] : map->as_object()) {
            if (!v.is_int() || v.as_int() <= 0 || k.empty() || k.size() > 64) {
                return Status::Unprocessable("must map PSA type ids to configuration type ids", at + "/" + k);
            }
            s.configuration_type_map[k] = v.as_int();
        }
    }
    auto schedule = ReadInt(value, "schedule_minutes", 60, 5, 7 * 24 * 60, pointer);
    if (!schedule) return schedule.status();
    auto full = ReadInt(value, "full_sync_minutes", 1440, 5, 31 * 24 * 60, pointer);
    if (!full) return full.status();
    auto share = ReadInt(value, "orphan_share_percent", 50, 0, 100, pointer);
    if (!share) return share.status();
    s.schedule_minutes = *schedule;
    s.full_sync_minutes = *full;
    s.orphan_share_percent = static_cast<int>(*share);
    if (const json::Value* list = Member(value, "disconnected"); list && !list->is_null()) {
        const std::string at = pointer + "/disconnected";
        if (!list->is_array() || list->as_array().size() > 100) return Status::Unprocessable("must be an array", at);
        std::size_t i = 0;
        for (const json::Value& item : list->as_array()) {
            const std::string here = at + "/" + std::to_string(i++);
            if (!item.is_object()) return Status::Unprocessable("must be an object", here);
            Disconnect d;
            const json::Value* type = Member(item, "type");
            if (!type || !type->is_string() || !IsLocalType(type->as_string())) {
                return Status::Unprocessable(
                    "must be organizations, locations, contacts or configurations", here + "/type"
                );
            }
            d.type = type->as_string();
            if (const json::Value* v = Member(item, "psa_type_id"); v && !v->is_null()) {
                d.psa_type_id = IdText(*v);
                if (!d.psa_type_id) return Status::Unprocessable("must be an id", here + "/psa_type_id");
            }
            if (const json::Value* v = Member(item, "psa_status_id"); v && !v->is_null()) {
                d.psa_status_id = IdText(*v);
                if (!d.psa_status_id) return Status::Unprocessable("must be an id", here + "/psa_status_id");
            }
            const json::Value* mode = Member(item, "mode");
            if (mode && !mode->is_null()) {
                if (!mode->is_string() || (mode->as_string() != "pause" && mode->as_string() != "permanent")) {
                    return Status::Unprocessable("must be pause or permanent", here + "/mode");
                }
                d.permanent = mode->as_string() == "permanent";
            }
            s.disconnected.push_back(std::move(d));
        }
    }
    return s;
}

Result<Settings> ParseSettingsText(std::string_view text) {
    auto parsed = json::Parse(text);
    if (!parsed) return Status::Internal("stored integration settings do not parse");
    return ParseSettings(*parsed, "/settings");
}

std::string SettingsJson(const Settings& s) {
    json::Writer w;
    w.BeginObject();
    for (std::string_view type : kLocalTypes) {
        const TypeSettings& t = s.For(type);
        w.Key(type);
        w.BeginObject();
        w.Key("enabled");
        w.Bool(t.enabled);
        w.Key("include-inactive");
        w.Bool(t.include_inactive);
        w.Key("psa-type-ids");
        WriteIds(w, t.psa_type_ids);
        w.Key("psa-status-ids");
        WriteIds(w, t.psa_status_ids);
        w.EndObject();
    }
    w.Key("configuration-type-map");
    w.BeginObject();
    for (const auto& [k, v] : s.configuration_type_map) {
        w.Key(k);
        w.Int(v);
    }
    w.EndObject();
    w.Key("schedule-minutes");
    w.Int(s.schedule_minutes);
    w.Key("full-sync-minutes");
    w.Int(s.full_sync_minutes);
    w.Key("orphan-share-percent");
    w.Int(s.orphan_share_percent);
    w.Key("disconnected");
    w.BeginArray();
    for (const Disconnect& d : s.disconnected) {
        w.BeginObject();
        w.Key("type");
        w.String(d.type);
        w.Key("psa-type-id");
        d.psa_type_id ? w.String(*d.psa_type_id) : w.Null();
        w.Key("psa-status-id");
        d.psa_status_id ? w.String(*d.psa_status_id) : w.Null();
        w.Key("mode");
        w.String(d.permanent ? "permanent" : "pause");
        w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    return w.Take();
}

}  // namespace mortar::sync
