// SPDX-License-Identifier: AGPL-3.0-or-later
#include "match/mac_index.hpp"

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "core/mac.hpp"
#include "match/text.hpp"

namespace mortar::match {
namespace {

// "DC01.contoso.local" -> "dc01"; names are compared folded, without punctuation.
std::string HostKey(std::string_view host) {
    if (auto dot = host.find('.'); dot != std::string_view::npos && dot > 0) {
        // Keep IP addresses whole.
        if (!std::all_of(host.begin(), host.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.'; })) {
            host = host.substr(0, dot);
        }
    }
    return FoldAlnum(host);
}

// The numbers in a host key, without leading zeros: "ws013b2" -> {"13", "2"}.
std::vector<std::string> Numbers(std::string_view key) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < key.size();) {
        if (key[i] < '0' || key[i] > '9') {
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j < key.size() && key[j] >= '0' && key[j] <= '9') ++j;
        std::string_view run = key.substr(i, j - i);
        while (run.size() > 1 && run.front() == '0') run.remove_prefix(1);
        out.emplace_back(run);
        i = j;
    }
    return out;
}

// Two host names numbered differently are two devices ("WS-13" and "WS-19", "DC1" and
// "DC2"), however alike the rest; "DC1" and "DC01" are the same number.
bool NumberedApart(std::string_view a, std::string_view b) {
    const auto na = Numbers(a), nb = Numbers(b);
    return !na.empty() && !nb.empty() && na != nb;
}

uint64_t Slot(uint64_t mac) {
    return (mac * 0x9E3779B97F4A7C15ull) >> 20;
}

}  // namespace

std::optional<uint64_t> ParseMac(std::string_view text) {
    auto hex = NormalizeMac(text);
    if (!hex) return std::nullopt;
    uint64_t v = 0;
    for (char c : *hex) v = (v << 4) | static_cast<uint64_t>(c <= '9' ? c - '0' : c - 'a' + 10);
    return v;
}

void AppendMac(uint64_t mac, std::string& out) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    for (int byte = 5; byte >= 0; --byte) {
        const auto b = static_cast<unsigned>((mac >> (byte * 8)) & 0xFF);
        out += kHex[b >> 4];
        out += kHex[b & 0xF];
        if (byte > 0) out += ':';
    }
}

std::string DisplayMac(uint64_t mac) {
    std::string out;
    AppendMac(mac, out);
    return out;
}

ConfigurationIndex::Span ConfigurationIndex::Store(std::string_view s) {
    Span span{text_.size(), s.size()};
    text_ += s;
    return span;
}

ConfigurationIndex::ConfigurationIndex(const std::vector<Configuration>& configurations) {
    devices_.reserve(configurations.size());
    by_organization_.reserve(configurations.size());
    std::size_t bytes = 0;
    for (const auto& c : configurations) {
        bytes += c.name.size() + c.hostname.size();
        for (const auto& i : c.interfaces) bytes += i.name.size();
    }
    text_.reserve(bytes);
    std::vector<Hit> hits;
    hits.reserve(configurations.size() * 2);
    for (const auto& c : configurations) {
        const auto index = static_cast<uint32_t>(devices_.size());
        Device d{
            c.id, c.organization_id, Store(c.name), Store(c.hostname), static_cast<uint32_t>(interface_names_.size())};
        if (auto mac = c.mac.empty() ? std::nullopt : ParseMac(c.mac)) {
            hits.push_back(Hit{*mac, index, -1});
        } else if (!c.mac.empty()) {
            ++invalid_;
        }
        for (std::size_t i = 0; i < c.interfaces.size(); ++i) {
            interface_names_.push_back(Store(c.interfaces[i].name));
            if (auto mac = ParseMac(c.interfaces[i].mac)) {
                hits.push_back(Hit{*mac, index, static_cast<int32_t>(i)});
            } else if (!c.interfaces[i].mac.empty()) {
                ++invalid_;
            }
        }
        by_organization_.emplace_back(c.organization_id, index);
        devices_.push_back(d);
    }
    std::sort(by_organization_.begin(), by_organization_.end());
    // Open addressing with linear probing; hits of one MAC sit on one probe run, in configuration
    // order. A lookup reads one run: usually one cache line.
    std::size_t capacity = 16;
    while (capacity < hits.size() * 2) capacity *= 2;
    table_.assign(capacity, Hit{0, kEmpty, 0});
    mask_ = capacity - 1;
    for (const Hit& h : hits) {
        uint64_t slot = Slot(h.mac) & mask_;
        while (table_[slot].configuration != kEmpty) slot = (slot + 1) & mask_;
        table_[slot] = h;
    }
    count_ = hits.size();
}

MatchResult ConfigurationIndex::Match(int64_t organization_id, const Asset& asset) const {
    struct Found {
        uint32_t configuration;
        uint64_t mac;
        int32_t interface;
    };
    std::vector<Found> found;
    found.reserve(asset.macs.size());
    bool any_mac = false;
    for (const auto& text : asset.macs) {
        auto mac = ParseMac(text);
        if (!mac) continue;
        any_mac = true;
        for (uint64_t slot = Slot(*mac) & mask_; table_[slot].configuration != kEmpty; slot = (slot + 1) & mask_) {
            const Hit& h = table_[slot];
            if (h.mac != *mac || (organization_id != 0 && devices_[h.configuration].organization_id != organization_id))
                continue;
            const bool seen = std::any_of(found.begin(), found.end(), [&](const Found& f) {
                return f.configuration == h.configuration;
            });
            if (!seen) found.push_back(Found{h.configuration, *mac, h.interface});
        }
    }
    auto describe = [&](const Found& f) {
        std::string r;
        r.reserve(48);
        r += "MAC ";
        AppendMac(f.mac, r);
        if (f.interface >= 0) {
            const std::string_view name =
                Text(interface_names_[devices_[f.configuration].first_interface + static_cast<uint32_t>(f.interface)]);
            if (name.empty()) {
                r += " on an interface";
            } else {
                r += " on interface ";
                r += name;
            }
        } else {
            r += " of the configuration";
        }
        return r;
    };
    if (!found.empty()) {
        MatchResult result;
        result.candidates.reserve(found.size());
        for (const auto& f : found) {
            const Device& d = devices_[f.configuration];
            result.candidates.push_back(Candidate{d.id, std::string(Text(d.name)), 1.0, describe(f)});
        }
        result.score = 1.0;
        if (found.size() == 1) {
            result.decision = Decision::kAuto;
            result.reason = result.candidates.front().reason;
        } else {
            result.decision = Decision::kSuggest;
            result.reason = "ambiguous: MAC hits " + std::to_string(found.size()) + " configurations";
        }
        return result;
    }
    return ByName(organization_id, asset, any_mac ? "no configuration has its MAC" : "no MAC");
}

MatchResult ConfigurationIndex::ByName(int64_t organization_id, const Asset& asset, std::string why) const {
    MatchResult result;
    const auto range = std::equal_range(
        by_organization_.begin(),
        by_organization_.end(),
        std::pair<int64_t, uint32_t>{organization_id, 0},
        [](const auto& a, const auto& b) { return a.first < b.first; }
    );
    if (organization_id == 0 || range.first == range.second) {
        result.reason = why + "; no configurations to compare names with";
        return result;
    }
    std::vector<std::string> keys;
    for (const std::string* s : {&asset.hostname, &asset.name}) {
        std::string k = HostKey(*s);
        if (!k.empty() && std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(std::move(k));
    }
    if (keys.empty()) {
        result.reason = why + " and no name";
        return result;
    }
    std::vector<Candidate> candidates;
    for (auto it = range.first; it != range.second; ++it) {
        const uint32_t index = it->second;
        const Device& d = devices_[index];
        double best = 0;
        std::string reason;
        for (const auto& k : keys) {
            for (const std::string& mine : {HostKey(Text(d.hostname)), HostKey(Text(d.name))}) {
                if (mine.empty()) continue;
                if (k != mine && NumberedApart(k, mine)) continue;
                const double sim = k == mine ? 1.0 : JaroWinkler(k, mine);
                if (sim > best) {
                    best = sim;
                    reason = sim == 1.0 ? "same name '" + k + "'" : "similar name: " + k + " ~ " + mine;
                }
            }
        }
        if (best >= 0.85) candidates.push_back(Candidate{d.id, std::string(Text(d.name)), best, why + "; " + reason});
    }
    std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
        if (a.score != b.score) return a.score > b.score;
        return a.id < b.id;
    });
    if (candidates.size() > 5) candidates.resize(5);
    if (candidates.empty()) {
        result.reason = why + "; no configuration with a similar name";
        return result;
    }
    result.decision = Decision::kSuggest;
    result.score = candidates.front().score;
    result.reason = candidates.front().reason;
    result.candidates = std::move(candidates);
    return result;
}

}  // namespace mortar::match
