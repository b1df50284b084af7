// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
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

// "3C:52:82:10:AA:01" from the 48-bit value.
std::string DisplayMac(uint64_t mac);
void AppendMac(uint64_t mac, std::string& out);
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
    struct Hit {  // 16 bytes: the table is read at random, so its size is its speed
        uint64_t mac;
        uint32_t configuration;
        int32_t interface;  // -1: the configuration's own MAC field
    };
    // Names live in one arena: building an index of half a million devices allocates a few buffers,
    // not millions of strings.
    struct Span {
        std::size_t offset;
        std::size_t size;
    };
    struct Device {
        int64_t id;
        int64_t organization_id;
        Span name;
        Span hostname;
        uint32_t first_interface;  // into interface_names_
    };
    std::string_view Text(Span s) const { return std::string_view(text_).substr(s.offset, s.size); }
    Span Store(std::string_view s);
    MatchResult ByName(int64_t organization_id, const Asset& asset, std::string why) const;
    static constexpr uint32_t kEmpty = UINT32_MAX;  // configuration of an empty slot

    std::vector<Device> devices_;
    std::vector<Hit> table_;  // open addressing by MAC
    std::size_t count_ = 0;
    uint64_t mask_ = 0;
    std::string text_;
    std::vector<Span> interface_names_;
    std::vector<std::pair<int64_t, uint32_t>> by_organization_;  // (organization, device), sorted
    std::size_t invalid_ = 0;
};

}  // namespace mortar::match
