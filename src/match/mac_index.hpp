// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "match/name_index.hpp"

namespace mortar::match {

struct NetworkInterface {
    std::string name;  // "LAN"
    std::string mac;   // any spelling NormalizeMac accepts
};

struct Configuration {
    int64_t id = 0;
    int64_t organization_id = 0;
    std::string name;
    std::string hostname;
    std::string mac;  // the configuration's own MAC field, if any
    std::vector<NetworkInterface> interfaces;
};

// A device reported by an integration (a backup portal's asset).
struct Asset {
    std::string name;
    std::string hostname;
    std::vector<std::string> macs;
};

// "3C:52:82:10:AA:01" from 12 hex digits.
std::string DisplayMac(uint64_t mac);
// The 48-bit value of a MAC in any accepted spelling; nullopt when it is not one.
std::optional<uint64_t> ParseMac(std::string_view text);

// Configurations indexed by every MAC on them (the configuration's own and each interface's).
// A MAC on exactly one configuration of the organization is a match; on several, the candidates
// are returned and nothing is auto-matched; without a MAC hit, a suggestion is made by name
// (hostname or configuration name) among the organization's configurations.
// Thread safety: immutable after construction.
class ConfigurationIndex {
public:
    explicit ConfigurationIndex(const std::vector<Configuration>& configurations);

    // Matches within `organization_id` (0: any organization; then only MACs are used).
    MatchResult Match(int64_t organization_id, const Asset& asset) const;
    std::size_t mac_count() const { return count_; }
    std::size_t invalid_macs() const { return invalid_; }

private:
    struct Hit {
        uint64_t mac;
        int64_t organization_id;  // kept here so filtering needs no second lookup
        uint32_t configuration;
        int32_t interface;  // -1: the configuration's own MAC field
    };
    struct Device {
        int64_t id;
        int64_t organization_id;
        std::string name;
        std::string hostname;
        std::vector<std::string> interface_names;
    };
    MatchResult ByName(int64_t organization_id, const Asset& asset, std::string why) const;
    static constexpr uint32_t kEmpty = UINT32_MAX;  // configuration of an empty slot

    std::vector<Device> devices_;
    std::vector<Hit> table_;  // open addressing by MAC
    std::size_t count_ = 0;
    uint64_t mask_ = 0;
    std::unordered_map<int64_t, std::vector<uint32_t>> by_organization_;
    std::size_t invalid_ = 0;
};

}  // namespace mortar::match
