// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.hpp"
#include "sim/dataset.hpp"

// Data profiles of the simulators: named, deterministic variations of the generated data
// set, applied through the data set's overlay once it is built. Without a profile the data
// set stays exactly as generated.
//
// "demo" is a managed service provider of realistic size for `mortar demo`: 40 companies
// of as many trades, 100 sites, 1,500 contacts and 3,000 configuration items. On the PSA
// side (autotask, connectwise, halopsa) a few devices share a MAC with another device of the
// same company.
// On the UniView side the customers partly match the companies: most with the same name,
// some spelt differently (legal form added or removed, case, punctuation, "&"/"and",
// typos, a word added, an abbreviation), some companies buy no backup, a few customers have no counterpart and one is
// an internal test customer. Its assets are the protected devices of those customers (servers, NAS and some
// workstations): most carry the device's MAC in another spelling or the MAC of its second interface, some carry none
// (name only), some the MAC two devices share, and a few are devices the PSA does not know.
namespace mortar::sim {

inline constexpr std::string_view kDemoProfile = "demo";

// The sizes of the demo MSP, with this seed.
DatasetOptions DemoDatasetOptions(uint64_t seed = 1);

enum class CustomerCase { kExact, kVariant, kNoCounterpart, kInternal };
std::string_view CustomerCaseName(CustomerCase c);

struct DemoCustomer {
    int64_t id = 0;          // its company record in the UniView data set
    int64_t company_id = 0;  // the PSA company it is; 0: none
    CustomerCase kind = CustomerCase::kExact;
    std::string name;     // as the portal spells it
    std::string variant;  // kVariant: how it differs ("legal form removed", "typo", ...)
};

enum class AssetCase { kMac, kSecondMac, kNoMac, kAmbiguous, kNoCounterpart };
std::string_view AssetCaseName(AssetCase c);

struct DemoAsset {
    int64_t id = 0;           // its configuration record in the UniView data set
    int64_t company_id = 0;   // its customer's company record in the UniView data set
    int64_t psa_company = 0;  // the PSA company of that customer (0: none)
    AssetCase kind = AssetCase::kMac;
    std::string name;
    std::string mac;  // as the portal spells it; "" for kNoMac
    // The PSA configurations it is: one (kMac, kSecondMac, kNoMac by name), two
    // (kAmbiguous: both carry the MAC), none (kNoCounterpart).
    std::vector<int64_t> configurations;
};

struct DemoPlan {
    // PSA side: the companies' names (index: company id - 1), one trade per company.
    std::vector<std::string> company_names;
    std::vector<DemoCustomer> customers;
    std::vector<int64_t> companies_without_customer;  // PSA companies with no backup
    std::vector<DemoAsset> assets;
    // PSA side: (configuration, configuration whose MAC it is given), same company.
    std::vector<std::pair<int64_t, int64_t>> shared_macs;
};

// The demo profile for data sets of these options: a pure function of them. The data set
// must have at least 20 companies and 10 configurations per company.
Result<DemoPlan> MakeDemoPlan(const DatasetOptions& options);

// Applies `profile` ("" or "demo") to the data set of a simulator of `vendor`
// ("autotask", "connectwise", "halopsa" or "uniview"). kInvalidArgument for an unknown
// profile or a data set too small for it.
Status ApplyProfile(std::string_view profile, std::string_view vendor, Dataset& data);

}  // namespace mortar::sim
