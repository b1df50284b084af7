// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.hpp"
#include "core/status.hpp"

// An integration's sync settings (SPEC SYNC-1, SYNC-6, SYNC-9, SYNC-10), stored as JSON
// in integrations.settings:
//   {"organizations":  {"enabled": true, "include_inactive": false, "psa_type_ids": ["1"],
//                       "psa_status_ids": []},
//    "locations": {…}, "contacts": {…}, "configurations": {…},
//    "configuration_type_map": {"<PSA type id>": <Mortar configuration type id>},
//    "schedule_minutes": 60, "full_sync_minutes": 1440, "orphan_share_percent": 50,
//    "disconnected": [{"type": "configurations", "psa_type_id": "3", "psa_status_id": null,
//                      "mode": "pause" | "permanent"}]}
// Everything is optional; defaults sync everything active, hourly, with a daily full
// reconciliation and the 50 % safety valve.
namespace mortar::sync {

// The Mortar data types a PSA feeds, by their API path.
inline constexpr std::string_view kLocalTypes[] = {"organizations", "locations", "contacts", "configurations"};

struct TypeSettings {
    bool enabled = true;
    bool include_inactive = false;
    std::vector<std::string> psa_type_ids;    // empty: all
    std::vector<std::string> psa_status_ids;  // empty: all
};

// A disconnected data type (SPEC SYNC-6), optionally narrowed to a PSA type or status.
struct Disconnect {
    std::string type;  // "configurations"
    std::optional<std::string> psa_type_id;
    std::optional<std::string> psa_status_id;
    bool permanent = false;  // "permanent": links removed; "pause": links kept, disconnected

    bool Covers(std::string_view local_type, std::string_view type_id, std::string_view status_id) const;
};

struct Settings {
    std::map<std::string, TypeSettings> types;  // by local type; missing: defaults
    std::map<std::string, int64_t> configuration_type_map;
    int64_t schedule_minutes = 60;
    int64_t full_sync_minutes = 1440;
    int orphan_share_percent = 50;
    std::vector<Disconnect> disconnected;

    const TypeSettings& For(std::string_view local_type) const;
    // Whether a listed record of the type meets the settings (SYNC-3 "no longer meets").
    bool Meets(std::string_view local_type, bool active, std::string_view type_id, std::string_view status_id) const;
    // The disconnect rule covering a record, or null.
    const Disconnect* DisconnectedBy(std::string_view local_type, std::string_view type_id, std::string_view status_id)
        const;
};

// Reads settings; `pointer` prefixes error sources ("/data/attributes/settings").
// Unknown keys are ignored; wrong types are kUnprocessable with the pointer.
Result<Settings> ParseSettings(const json::Value& value, const std::string& pointer);
Result<Settings> ParseSettingsText(std::string_view text);
std::string SettingsJson(const Settings& settings);

}  // namespace mortar::sync
