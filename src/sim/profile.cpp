// SPDX-License-Identifier: AGPL-3.0-or-later
#include "sim/profile.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <iterator>
#include <map>
#include <optional>
#include <set>

#include "core/json.hpp"

namespace mortar::sim {

namespace {

// 2025-05-15T00:00:00Z: when the profile's changes were made, before any generated backup.
constexpr int64_t kProfileMillis = 1747267200000;

// Every fifth company buys no backup.
constexpr int kNoBackupEvery = 5;
// Devices sharing a MAC with another device of their company (PSA side).
constexpr int kSharedMacs = 4;
// Companies with two assets the PSA does not know.
constexpr int kCompaniesWithUnknownAssets = 6;

struct ExtraCustomer {
    const char* name;
    const char* code;
    CustomerCase kind;
    int assets;
};
constexpr ExtraCustomer kExtraCustomers[] = {
    {"Kowalski Family Farm", "KOWAL", CustomerCase::kNoCounterpart, 3},
    {"Zephyr Bakehouse Ltd", "ZEPHYR", CustomerCase::kNoCounterpart, 2},
    {"Nimbus Yoga Collective", "NIMBUS", CustomerCase::kNoCounterpart, 2},
    {"Pemberton & Hale Solicitors", "PEMHAL", CustomerCase::kNoCounterpart, 4},
    {"Internal Test Lab (do not bill)", "LAB", CustomerCase::kInternal, 2},
};

// The trades of the demo's companies: one each, so the list reads like an MSP's clients.
constexpr const char* kTrades[] = {
    "Dental",   "Logistics", "Legal",     "Engineering", "Accounting",   "Foods",       "Health",     "Construction",
    "Printing", "Motors",    "Insurance", "Realty",      "Pharmacy",     "Veterinary",  "Architects", "Marine",
    "Catering", "Textiles",  "Clinic",    "Consulting",  "Electrical",   "Plumbing",    "Media",      "Analytics",
    "Dairy",    "Fitness",   "Optics",    "Bakery",      "Roofing",      "Travel",      "Security",   "Nursery",
    "Brewing",  "Surveyors", "Opticians", "Removals",    "Orthodontics", "Recruitment", "Publishing", "Landscaping"};

bool IsLegalForm(std::string_view w) {
    return w == "Ltd" || w == "LLC" || w == "Inc" || w == "GmbH" || w == "BV";
}

std::vector<std::string> Words(const std::string& s) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : s) {
        if (c == ' ') {
            if (!cur.empty()) out.push_back(cur);
            cur.clear();
        } else {
            cur.push_back(c);
        }
    }
    if (!cur.empty()) out.push_back(cur);
    return out;
}

std::string Join(const std::vector<std::string>& words, size_t n, const char* sep = " ") {
    std::string out;
    for (size_t i = 0; i < n && i < words.size(); ++i) {
        if (i > 0) out += sep;
        out += words[i];
    }
    return out;
}

std::string Upper(std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}
std::string Lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// A spelling variant of a company name, nullopt when it does not apply to that name.
struct Variant {
    const char* what;
    std::optional<std::string> (*apply)(const std::string& name);
};

std::optional<std::string> RemoveLegalForm(const std::string& name) {
    const auto w = Words(name);
    if (w.size() >= 3 && IsLegalForm(w.back())) return Join(w, w.size() - 1);
    if (w.size() >= 4 && w[w.size() - 2] == "&" && w.back() == "Co") return Join(w, w.size() - 2);
    return std::nullopt;
}
std::optional<std::string> AddLegalForm(const std::string& name) {
    const auto w = Words(name);
    if (!w.empty() && (w.back() == "Partners" || w.back() == "Group")) return name + " Ltd";
    return std::nullopt;
}
std::optional<std::string> UpperCase(const std::string& name) {
    return Upper(name);
}
std::optional<std::string> LowerCase(const std::string& name) {
    return Lower(name);
}
std::optional<std::string> Punctuation(const std::string& name) {
    auto w = Words(name);
    if (w.size() < 3) return std::nullopt;
    if (w.back() == "Ltd" || w.back() == "Inc") return Join(w, w.size() - 1) + ", " + w.back() + ".";
    if (w.back() == "LLC") return Join(w, w.size() - 1) + ", L.L.C.";
    if (w.back() == "BV") return Join(w, w.size() - 1) + " B.V.";
    return w[0] + "-" + Join(std::vector<std::string>(w.begin() + 1, w.end()), w.size() - 1);
}
std::optional<std::string> Ampersand(const std::string& name) {
    auto w = Words(name);
    for (auto& word : w) {
        if (word == "&") {
            word = "and";
            return Join(w, w.size());
        }
    }
    return std::nullopt;
}
// The longest of the first two words, when it has at least 7 letters.
std::optional<size_t> TypoWord(const std::vector<std::string>& w) {
    if (w.size() < 2) return std::nullopt;
    const size_t i = w[1].size() > w[0].size() ? 1 : 0;
    if (w[i].size() < 7) return std::nullopt;
    return i;
}
std::optional<std::string> TypoDrop(const std::string& name) {
    auto w = Words(name);
    auto i = TypoWord(w);
    if (!i) return std::nullopt;
    w[*i].erase(w[*i].size() / 2, 1);
    return Join(w, w.size());
}
std::optional<std::string> TypoSwap(const std::string& name) {
    auto w = Words(name);
    auto i = TypoWord(w);
    if (!i) return std::nullopt;
    const size_t p = w[*i].size() / 2;
    if (w[*i][p] == w[*i][p + 1]) return std::nullopt;
    std::swap(w[*i][p], w[*i][p + 1]);
    return Join(w, w.size());
}

// "Services" before the legal form: a name the PSA does not spell that way.
std::optional<std::string> WordAdded(const std::string& name) {
    auto w = Words(name);
    if (w.size() < 3 || !IsLegalForm(w.back())) return std::nullopt;
    w.insert(w.end() - 1, "Services");
    return Join(w, w.size());
}
// The second word cut to four letters and a dot ("Acme Dent. Ltd").
std::optional<std::string> Abbreviated(const std::string& name) {
    auto w = Words(name);
    if (w.size() < 3 || w[1].size() < 7) return std::nullopt;
    w[1] = w[1].substr(0, 4) + ".";
    return Join(w, w.size());
}

constexpr Variant kVariants[] = {
    {"legal form removed", RemoveLegalForm},
    {"legal form removed", RemoveLegalForm},
    {"legal form added", AddLegalForm},
    {"upper case", UpperCase},
    {"lower case", LowerCase},
    {"punctuation", Punctuation},
    {"punctuation", Punctuation},
    {"\"&\" spelt \"and\"", Ampersand},
    {"typo (a letter missing)", TypoDrop},
    {"typo (two letters swapped)", TypoSwap},
    {"a word added", WordAdded},
    {"abbreviated", Abbreviated},
};

// Protected by the backup portal: servers and NAS, and one workstation or laptop in eight.
bool Protected(const Record& r) {
    return r.type_id == 2 || r.type_id == 7 || ((r.type_id == 1 || r.type_id == 3) && r.id % 8 == 0);
}

std::string Hex12(const std::string& mac) {
    std::string h;
    for (char c : mac) {
        if (std::isxdigit(static_cast<unsigned char>(c))) h.push_back(c);
    }
    return h;
}

// The MAC in the i-th of the spellings portals use.
std::string Spell(const std::string& mac, int64_t i) {
    const std::string h = Hex12(mac);
    if (h.size() != 12) return mac;
    auto pairs = [&](const char* sep) {
        std::string out;
        for (size_t k = 0; k < 12; k += 2) {
            if (k > 0) out += sep;
            out += h.substr(k, 2);
        }
        return out;
    };
    switch (i % 5) {
        case 1:
            return Lower(pairs("-"));
        case 2:
            return Upper(h);
        case 3:
            return Lower(h.substr(0, 4) + "." + h.substr(4, 4) + "." + h.substr(8, 4));
        case 4:
            return Lower(pairs(":"));
        default:
            return mac;
    }
}

// A MAC no generated device has (another locally administered prefix).
std::string UnknownMac(int64_t n) {
    char buf[24];
    std::snprintf(
        buf,
        sizeof buf,
        "0E:5D:7A:%02X:%02X:%02X",
        static_cast<unsigned>((n >> 16) & 0xff),
        static_cast<unsigned>((n >> 8) & 0xff),
        static_cast<unsigned>(n & 0xff)
    );
    return buf;
}

std::string CodeOf(const std::string& company_name) {
    std::string out;
    for (char c : company_name) {
        if (c == ' ') break;
        if (out.size() < 6) out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    }
    return out;
}

// The company's e-mail and web domain, as the generator spells it.
std::string DomainOf(const std::string& company_name) {
    std::string d;
    for (char c : company_name) {
        if (std::isalnum(static_cast<unsigned char>(c))) d.push_back(static_cast<char>(std::tolower(c)));
    }
    return d + ".example";
}

Status ApplyPsa(const DemoPlan& plan, Dataset& data) {
    const int64_t companies = static_cast<int64_t>(plan.company_names.size());
    for (int64_t c = 1; c <= companies; ++c) {
        auto r = data.Get(Kind::kCompany, c);
        if (!r) return Status::InvalidArgument("demo profile: company missing");
        r->name = plan.company_names[static_cast<size_t>(c - 1)];
        r->website = "www." + DomainOf(r->name);
        MORTAR_RETURN_IF_ERROR(data.Put(std::move(*r), kProfileMillis));
    }
    for (int64_t id = 1; id <= data.options().contacts; ++id) {
        auto r = data.Get(Kind::kContact, id);
        if (!r || r->company_id < 1 || r->company_id > companies) continue;
        const size_t at = r->email.find('@');
        if (at == std::string::npos) continue;
        r->email = r->email.substr(0, at + 1) + DomainOf(plan.company_names[static_cast<size_t>(r->company_id - 1)]);
        MORTAR_RETURN_IF_ERROR(data.Put(std::move(*r), kProfileMillis));
    }
    for (const auto& [id, from] : plan.shared_macs) {
        auto r = data.Get(Kind::kConfiguration, id);
        auto source = data.Get(Kind::kConfiguration, from);
        if (!r || !source) return Status::InvalidArgument("demo profile: configuration missing");
        r->mac = source->mac;
        MORTAR_RETURN_IF_ERROR(data.Put(std::move(*r), kProfileMillis));
    }
    return Status::Ok();
}

Status ApplyUniView(const DemoPlan& plan, Dataset& data) {
    const DatasetOptions& o = data.options();
    const json::Value none{json::Value::Object{}};
    for (const DemoCustomer& c : plan.customers) {
        Record r;
        if (c.company_id == 0) {
            auto id = data.Add(Kind::kCompany, none, kProfileMillis);
            if (!id) return id.status();
            if (*id != c.id) return Status::Internal("demo profile: unexpected customer id");
            r.kind = Kind::kCompany;
            r.id = c.id;
            r.type_id = 1;
            r.created_ms = kProfileMillis;
        } else {
            r = *data.Get(Kind::kCompany, c.company_id);
        }
        r.name = c.name;
        MORTAR_RETURN_IF_ERROR(data.Put(std::move(r), kProfileMillis));
    }
    for (int64_t company : plan.companies_without_customer)
        MORTAR_RETURN_IF_ERROR(data.Delete(Kind::kCompany, company));
    std::set<int64_t> kept;
    for (const DemoAsset& a : plan.assets) {
        Record r;
        if (a.kind == AssetCase::kNoCounterpart) {
            auto id = data.Add(Kind::kConfiguration, none, kProfileMillis);
            if (!id) return id.status();
            if (*id != a.id) return Status::Internal("demo profile: unexpected asset id");
            r.kind = Kind::kConfiguration;
            r.id = a.id;
            r.company_id = a.company_id;
            r.type_id = a.id % 3 == 0 ? 1 : 2;
            r.status_id = 1;
            r.os = r.type_id == 2 ? "Windows Server 2022 Standard" : "Microsoft Windows 11 Pro";
            r.ip = "192.168." + std::to_string(a.company_id % 250) + "." + std::to_string(a.id % 200 + 20);
            r.created_ms = kProfileMillis;
        } else {
            r = *data.Get(Kind::kConfiguration, a.id);
        }
        r.name = a.name;
        r.mac = a.mac;
        r.mac2.clear();
        kept.insert(a.id);
        MORTAR_RETURN_IF_ERROR(data.Put(std::move(r), kProfileMillis));
    }
    for (int64_t id = 1; id <= o.configurations; ++id) {
        if (kept.count(id) == 0) MORTAR_RETURN_IF_ERROR(data.Delete(Kind::kConfiguration, id));
    }
    return Status::Ok();
}

}  // namespace

DatasetOptions DemoDatasetOptions(uint64_t seed) {
    return DatasetOptions{.companies = 40, .sites = 100, .contacts = 1500, .configurations = 3000, .seed = seed};
}

std::string_view CustomerCaseName(CustomerCase c) {
    switch (c) {
        case CustomerCase::kExact:
            return "exact";
        case CustomerCase::kVariant:
            return "variant";
        case CustomerCase::kNoCounterpart:
            return "no counterpart";
        case CustomerCase::kInternal:
            return "internal";
    }
    return "?";
}

std::string_view AssetCaseName(AssetCase c) {
    switch (c) {
        case AssetCase::kMac:
            return "MAC";
        case AssetCase::kSecondMac:
            return "second interface's MAC";
        case AssetCase::kNoMac:
            return "no MAC";
        case AssetCase::kAmbiguous:
            return "ambiguous MAC";
        case AssetCase::kNoCounterpart:
            return "no counterpart";
    }
    return "?";
}

Result<DemoPlan> MakeDemoPlan(const DatasetOptions& options) {
    Dataset base(options);
    const DatasetOptions& o = base.options();
    if (o.companies < 20 || o.configurations < o.companies * 10) {
        return Status::InvalidArgument("the demo profile needs at least 20 companies and 10 configurations each");
    }
    DemoPlan plan;
    // Companies: the generated name with its second word (the trade) replaced, one trade each.
    for (int64_t c = 1; c <= o.companies; ++c) {
        auto w = Words(base.Get(Kind::kCompany, c)->name);
        if (w.size() >= 2) w[1] = kTrades[static_cast<size_t>(c - 1) % std::size(kTrades)];
        plan.company_names.push_back(Join(w, w.size()));
    }
    auto name_of = [&](int64_t c) { return plan.company_names[static_cast<size_t>(c - 1)]; };
    // Customers: which companies, and how the portal spells them.
    std::map<int64_t, DemoCustomer> by_company;
    std::vector<int64_t> with_customer;
    for (int64_t c = 1; c <= o.companies; ++c) {
        if (c % kNoBackupEvery == 0) {
            plan.companies_without_customer.push_back(c);
        } else {
            with_customer.push_back(c);
        }
    }
    const auto n = static_cast<int64_t>(with_customer.size());
    for (size_t k = 0; k < std::size(kVariants); ++k) {
        for (int64_t step = 0; step < n; ++step) {
            const int64_t c = with_customer[static_cast<size_t>((1 + 2 * static_cast<int64_t>(k) + step) % n)];
            if (by_company.count(c) != 0) continue;
            const std::string name = name_of(c);
            auto spelt = kVariants[k].apply(name);
            if (!spelt || *spelt == name) continue;
            by_company[c] = DemoCustomer{c, c, CustomerCase::kVariant, *spelt, kVariants[k].what};
            break;
        }
    }
    for (int64_t c : with_customer) {
        if (by_company.count(c) == 0) {
            by_company[c] = DemoCustomer{c, c, CustomerCase::kExact, name_of(c), ""};
        }
    }
    for (auto& [c, customer] : by_company) plan.customers.push_back(customer);
    int64_t next_company = o.companies + 1;
    std::vector<std::pair<int64_t, const ExtraCustomer*>> extra;
    for (const ExtraCustomer& e : kExtraCustomers) {
        plan.customers.push_back(DemoCustomer{next_company, 0, e.kind, e.name, ""});
        extra.emplace_back(next_company++, &e);
    }

    // PSA side: in the first companies with an exact customer, an unprotected device gets
    // the MAC of a protected server (a cloned VM, a moved network card).
    std::map<int64_t, int64_t> shared_with;  // protected device -> the other device
    std::set<int64_t> exact_companies;
    for (const auto& [c, customer] : by_company) {
        if (customer.kind == CustomerCase::kExact) exact_companies.insert(c);
    }
    {
        int found = 0;
        for (int64_t c : exact_companies) {
            if (found == kSharedMacs) break;
            int64_t server = 0, other = 0;
            for (int64_t id = c; id <= o.configurations && (server == 0 || other == 0); id += o.companies) {
                const Record r = *base.Get(Kind::kConfiguration, id);
                if (server == 0 && r.type_id == 2) server = id;
                if (other == 0 && !Protected(r) && r.type_id != 2) other = id;
            }
            if (server == 0 || other == 0) continue;
            plan.shared_macs.emplace_back(other, server);
            shared_with[server] = other;
            ++found;
        }
    }

    // Assets: the protected devices of companies with a customer.
    int64_t i = 0;
    for (int64_t id = 1; id <= o.configurations; ++id) {
        const Record r = *base.Get(Kind::kConfiguration, id);
        auto customer = by_company.find(r.company_id);
        if (customer == by_company.end() || !Protected(r)) continue;
        DemoAsset a;
        a.id = id;
        a.company_id = r.company_id;
        a.psa_company = r.company_id;
        a.name = r.name;
        a.configurations = {id};
        auto shared = shared_with.find(id);
        if (shared != shared_with.end()) {
            a.kind = AssetCase::kAmbiguous;
            a.mac = r.mac;
            a.configurations.push_back(shared->second);
        } else if (!r.mac2.empty() && i % 6 == 1) {
            a.kind = AssetCase::kSecondMac;
            a.mac = Spell(r.mac2, i);
        } else if (i % 10 == 3) {
            a.kind = AssetCase::kNoMac;
            if (i % 20 == 3) a.name = Lower(r.name);
        } else {
            a.kind = AssetCase::kMac;
            a.mac = Spell(r.mac, i);
        }
        plan.assets.push_back(std::move(a));
        ++i;
    }
    // Devices the PSA does not know: two in each of the first companies with an exact
    // customer, and the devices of the customers without a counterpart.
    int64_t next_config = o.configurations + 1;
    int64_t unknown = 1;
    auto add_unknown = [&](int64_t company, int64_t psa_company, const std::string& name) {
        DemoAsset a;
        a.id = next_config++;
        a.company_id = company;
        a.psa_company = psa_company;
        a.kind = AssetCase::kNoCounterpart;
        a.name = name;
        a.mac = UnknownMac(unknown++);
        plan.assets.push_back(std::move(a));
    };
    {
        int done = 0;
        for (int64_t c : exact_companies) {
            if (done++ == kCompaniesWithUnknownAssets) break;
            const std::string code = CodeOf(name_of(c));
            add_unknown(c, c, code + "-VM-TEMP01");
            add_unknown(c, c, code + "-OLDDC");
        }
    }
    for (const auto& [company, e] : extra) {
        for (int k = 1; k <= e->assets; ++k) {
            add_unknown(company, 0, std::string(e->code) + "-" + (k == 1 ? "SRV" : "PC") + "-0" + std::to_string(k));
        }
    }
    return plan;
}

Status ApplyProfile(std::string_view profile, std::string_view vendor, Dataset& data) {
    if (profile.empty()) return Status::Ok();
    if (profile != kDemoProfile) {
        return Status::InvalidArgument("unknown data profile '" + std::string(profile) + "' (demo)");
    }
    auto plan = MakeDemoPlan(data.options());
    if (!plan) return plan.status();
    if (vendor == "uniview") return ApplyUniView(*plan, data);
    return ApplyPsa(*plan, data);
}

}  // namespace mortar::sim
