// SPDX-License-Identifier: AGPL-3.0-or-later
#include "sim/dataset.hpp"

#include <cstdio>

namespace mortar::sim {

namespace {

// 2025-06-01T00:00:00Z: generated records were last changed before this moment.
constexpr int64_t kBaseMillis = 1748736000000;
constexpr int64_t kDayMillis = 86400000;

uint64_t Mix(uint64_t x) {  // splitmix64
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

// A deterministic random stream per (seed, kind, id).
class Rng {
public:
    Rng(uint64_t seed, Kind kind, int64_t id)
        : state_(Mix(seed ^ Mix(static_cast<uint64_t>(kind) * 0x100000001b3ULL ^ Mix(static_cast<uint64_t>(id))))) {}
    uint64_t Next() { return state_ = Mix(state_); }
    int64_t Below(int64_t n) { return n <= 0 ? 0 : static_cast<int64_t>(Next() % static_cast<uint64_t>(n)); }
    template <size_t N>
    const char* Pick(const char* const (&a)[N]) {
        return a[Below(N)];
    }

private:
    uint64_t state_;
};

constexpr const char* kCompanyWords[] = {
    "Acme",      "Northwind",  "Contoso",   "Fabrikam",  "Globex",      "Initech",     "Umbrella",   "Stark",
    "Wayne",     "Tyrell",     "Cyberdyne", "Soylent",   "Hooli",       "Vandelay",    "Wonka",      "Oceanic",
    "Aperture",  "Massive",    "Gringotts", "Monarch",   "Sterling",    "Pinnacle",    "Summit",     "Harbor",
    "Redwood",   "Bluebird",   "Granite",   "Evergreen", "Keystone",    "Lakeside",    "Meridian",   "Oakridge",
    "Riverside", "Silverline", "Trinity",   "Westbrook", "Brightwater", "Copperfield", "Ironbridge", "Maplewood"};
constexpr const char* kTrades[] = {"Dental",   "Logistics",    "Legal",      "Engineering", "Accounting", "Foods",
                                   "Health",   "Construction", "Printing",   "Motors",      "Insurance",  "Realty",
                                   "Pharmacy", "Veterinary",   "Architects", "Marine",      "Catering",   "Textiles",
                                   "Clinic",   "Consulting",   "Electrical", "Plumbing",    "Media",      "Analytics"};
constexpr const char* kSuffixes[] = {"Ltd", "LLC", "Inc", "GmbH", "BV", "Partners", "& Co", "Group"};
constexpr const char* kFirst[] = {"Mary",  "James", "Anna",   "Robert", "Linda",  "Michael", "Sofia", "David",
                                  "Emma",  "Lucas", "Olivia", "Noah",   "Mia",    "Liam",    "Ava",   "Ethan",
                                  "Chloe", "Lars",  "Ingrid", "Pierre", "Amelie", "Kenji",   "Yuki",  "Aisha",
                                  "Omar",  "Priya", "Ravi",   "Elena",  "Marco",  "Fatima",  "Jonas", "Greta"};
constexpr const char* kLast[] = {"Smith",    "Johnson", "Williams", "Brown",    "Jones",  "Garcia", "Miller", "Davis",
                                 "Martinez", "Lopez",   "Wilson",   "Anderson", "Thomas", "Taylor", "Moore",  "Jackson",
                                 "Martin",   "Lee",     "Thompson", "White",    "Harris", "Clark",  "Lewis",  "Walker",
                                 "Hall",     "Young",   "Muller",   "Schmidt",  "Dubois", "Rossi",  "Tanaka", "Khan"};
constexpr const char* kTitles[] = {
    "Office Manager",
    "CEO",
    "IT Contact",
    "Accountant",
    "Receptionist",
    "CFO",
    "Operations Lead",
    "Practice Manager",
    ""};
constexpr const char* kStreets[] = {
    "Tech Valley Drive",
    "Main Street",
    "High Street",
    "Harbour Road",
    "Mill Lane",
    "Station Road",
    "Park Avenue",
    "Church Street",
    "Elm Street",
    "King Street"};
constexpr const char* kCities[] = {
    "East Greenbush",
    "Tampa",
    "Springfield",
    "Portland",
    "Leeds",
    "Manchester",
    "Utrecht",
    "Hamburg",
    "Lyon",
    "Austin",
    "Denver",
    "Brisbane",
    "Auckland",
    "Toronto",
    "Dublin"};
constexpr const char* kStates[] = {"NY", "FL", "IL", "OR", "TX", "CO", "CA", "WA", "MA", "GA"};
constexpr const char* kSiteNames[] = {"Head Office", "Warehouse", "Branch", "Clinic", "Depot", "Studio", "Lab"};
constexpr const char* kOs[] = {
    "Microsoft Windows 11 Pro",
    "Microsoft Windows 10 Pro",
    "Windows Server 2022 Standard",
    "Windows Server 2019 Standard",
    "Ubuntu 22.04 LTS",
    "macOS 14 Sonoma",
    "FortiOS 7.2",
    "Cisco IOS 15.2"};
constexpr const char* kModels[] = {
    "OptiPlex 7090",
    "EliteBook 840 G8",
    "ThinkPad T14",
    "PowerEdge R650",
    "ProLiant DL380",
    "FortiGate 60F",
    "Catalyst 2960",
    "LaserJet M404"};
// Type id -> the short code in host names.
constexpr const char* kTypeCodes[] = {"", "WS", "SRV", "LT", "FW", "SW", "PRN", "NAS", "AP"};

std::string Code(const std::string& company_name) {
    std::string out;
    for (char c : company_name) {
        if (c == ' ') break;
        if (out.size() < 6) out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    }
    return out;
}

std::string Alnum(Rng& rng, int n) {
    static constexpr char kChars[] = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    std::string s;
    for (int i = 0; i < n; ++i) s.push_back(kChars[rng.Below(sizeof kChars - 1)]);
    return s;
}

std::string Mac(int64_t id, int nic) {
    // Unique per (id, nic): a locally administered prefix and 24 bits of the id.
    const uint64_t v = static_cast<uint64_t>(id) * 2 + static_cast<uint64_t>(nic);
    char buf[24];
    std::snprintf(
        buf,
        sizeof buf,
        "02:1A:%02X:%02X:%02X:%02X",
        static_cast<unsigned>((v >> 24) & 0xff),
        static_cast<unsigned>((v >> 16) & 0xff),
        static_cast<unsigned>((v >> 8) & 0xff),
        static_cast<unsigned>(v & 0xff)
    );
    return buf;
}

std::string CompanyName(uint64_t seed, int64_t id) {
    Rng rng(seed, Kind::kCompany, id);
    constexpr int64_t kW = std::size(kCompanyWords), kT = std::size(kTrades), kS = std::size(kSuffixes);
    // A permutation of the id over the combinations keeps names unique, then numbered.
    const int64_t combos = kW * kT * kS;
    const int64_t k = ((id - 1) * 7919 + static_cast<int64_t>(seed % 1000)) % combos;
    std::string name =
        std::string(kCompanyWords[k % kW]) + " " + kTrades[(k / kW) % kT] + " " + kSuffixes[k / (kW * kT)];
    if (id > combos) name += " " + std::to_string((id - 1) / combos + 1);
    (void)rng;
    return name;
}

std::string Domain(const std::string& company_name) {
    std::string d;
    for (char c : company_name) {
        if (std::isalnum(static_cast<unsigned char>(c))) d.push_back(static_cast<char>(std::tolower(c)));
    }
    return d + ".example";
}

std::string Phone(Rng& rng) {
    char buf[20];
    std::snprintf(
        buf, sizeof buf, "555-%03d-%04d", static_cast<int>(rng.Below(900) + 100), static_cast<int>(rng.Below(10000))
    );
    return buf;
}

template <class T>
bool SetMember(const json::Value& v, T& out);

template <>
bool SetMember(const json::Value& v, std::string& out) {
    if (!v.is_string()) return false;
    out = v.as_string();
    return true;
}
template <>
bool SetMember(const json::Value& v, int64_t& out) {
    if (!v.is_int()) return false;
    out = v.as_int();
    return true;
}
template <>
bool SetMember(const json::Value& v, int& out) {
    if (!v.is_int()) return false;
    out = static_cast<int>(v.as_int());
    return true;
}
template <>
bool SetMember(const json::Value& v, bool& out) {
    if (!v.is_bool()) return false;
    out = v.as_bool();
    return true;
}

}  // namespace

std::string_view KindName(Kind kind) {
    switch (kind) {
        case Kind::kCompany:
            return "companies";
        case Kind::kSite:
            return "sites";
        case Kind::kContact:
            return "contacts";
        case Kind::kConfiguration:
            return "configurations";
    }
    return "?";
}

std::optional<Kind> KindFromName(std::string_view name) {
    for (Kind k : {Kind::kCompany, Kind::kSite, Kind::kContact, Kind::kConfiguration}) {
        if (KindName(k) == name) return k;
    }
    return std::nullopt;
}

const std::vector<Lookup>& CompanyTypes() {
    static const std::vector<Lookup> t{
        {1, "Customer", true},
        {2, "Lead", true},
        {3, "Prospect", true},
        {4, "Vendor", true},
        {5, "Partner", true},
        {7, "Cancellation", false}};
    return t;
}
const std::vector<Lookup>& ConfigurationTypes() {
    static const std::vector<Lookup> t{
        {1, "Workstation", true},
        {2, "Server", true},
        {3, "Laptop", true},
        {4, "Firewall", true},
        {5, "Switch", true},
        {6, "Printer", true},
        {7, "NAS", true},
        {8, "Access Point", false}};
    return t;
}
const std::vector<Lookup>& ConfigurationStatuses() {
    static const std::vector<Lookup> t{
        {1, "Active", true}, {2, "Inactive", true}, {3, "Retired", true}, {4, "In Repair", true}};
    return t;
}
const std::vector<Lookup>& Manufacturers() {
    static const std::vector<Lookup> t{
        {1, "Dell", true},
        {2, "HP", true},
        {3, "Lenovo", true},
        {4, "Fortinet", true},
        {5, "Cisco", true},
        {6, "Synology", true}};
    return t;
}

std::string LookupName(const std::vector<Lookup>& table, int id) {
    for (const auto& l : table) {
        if (l.id == id) return l.name;
    }
    return {};
}

Dataset::Dataset(DatasetOptions options) : options_(options) {
    if (options_.sites < 0) options_.sites = options_.companies * 2;
    if (options_.companies <= 0) {
        options_.companies = 0;
        options_.sites = options_.contacts = options_.configurations = 0;
    }
    for (Kind k : {Kind::kCompany, Kind::kSite, Kind::kContact, Kind::kConfiguration}) {
        next_id_[static_cast<int>(k)] = BaseCount(k) + 1;
    }
}

int64_t Dataset::BaseCount(Kind kind) const {
    switch (kind) {
        case Kind::kCompany:
            return options_.companies;
        case Kind::kSite:
            return options_.sites;
        case Kind::kContact:
            return options_.contacts;
        case Kind::kConfiguration:
            return options_.configurations;
    }
    return 0;
}

int64_t Dataset::version() const {
    std::lock_guard lock(mu_);
    return version_;
}

Record Dataset::Generate(Kind kind, int64_t id) const {
    const uint64_t seed = options_.seed;
    const int64_t companies = std::max<int64_t>(options_.companies, 1);
    Rng rng(seed, kind, id);
    Record r;
    r.kind = kind;
    r.id = id;
    r.created_ms = kBaseMillis - (rng.Below(3 * 365) + 30) * kDayMillis - rng.Below(kDayMillis);
    r.updated_ms = std::min(kBaseMillis - rng.Below(kDayMillis), r.created_ms + rng.Below(900) * kDayMillis);
    // Sites of company c are c, c + companies, c + 2 * companies, ... up to the site count.
    auto site_of = [&](int64_t company) -> int64_t {
        const int64_t per = (options_.sites - company) / companies + 1;
        if (company > options_.sites || per <= 0) return 0;
        return company + companies * rng.Below(per);
    };
    switch (kind) {
        case Kind::kCompany: {
            r.name = CompanyName(seed, id);
            r.number = std::to_string(100000 + id);
            r.type_id = rng.Below(10) < 8 ? 1 : CompanyTypes()[rng.Below(CompanyTypes().size())].id;
            r.active = rng.Below(20) != 0;
            r.phone = Phone(rng);
            r.address1 = std::to_string(rng.Below(300) + 1) + " " + rng.Pick(kStreets);
            r.address2 = rng.Below(3) == 0 ? "Suite " + std::to_string(rng.Below(40) + 1) : "";
            r.city = rng.Pick(kCities);
            r.state = rng.Pick(kStates);
            r.postal_code = std::to_string(10000 + rng.Below(89999));
            r.country = "United States";
            r.website = "www." + Domain(r.name);
            break;
        }
        case Kind::kSite: {
            r.company_id = (id - 1) % companies + 1;
            r.primary = id <= companies;
            r.name = r.primary ? "Head Office"
                               : std::string(rng.Pick(kSiteNames)) + " " + std::to_string((id - 1) / companies);
            r.active = r.primary || rng.Below(15) != 0;
            r.address1 = std::to_string(rng.Below(300) + 1) + " " + rng.Pick(kStreets);
            r.city = rng.Pick(kCities);
            r.state = rng.Pick(kStates);
            r.postal_code = std::to_string(10000 + rng.Below(89999));
            r.country = "United States";
            r.phone = Phone(rng);
            break;
        }
        case Kind::kContact: {
            r.company_id = (id - 1) % companies + 1;
            r.site_id = site_of(r.company_id);
            r.first_name = rng.Pick(kFirst);
            r.last_name = rng.Pick(kLast);
            r.name = r.first_name + " " + r.last_name;
            r.title = rng.Pick(kTitles);
            std::string local;
            for (char c : r.first_name + "." + r.last_name + std::to_string(id)) {
                local.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
            }
            r.email = local + "@" + Domain(CompanyName(seed, r.company_id));
            r.phone = Phone(rng);
            r.mobile = rng.Below(2) == 0 ? Phone(rng) : "";
            r.active = rng.Below(12) != 0;
            break;
        }
        case Kind::kConfiguration: {
            r.company_id = (id - 1) % companies + 1;
            r.site_id = site_of(r.company_id);
            r.contact_id = options_.contacts > 0 && rng.Below(3) == 0 ? rng.Below(options_.contacts) + 1 : 0;
            const int64_t roll = rng.Below(100);
            r.type_id = roll < 55   ? 1
                        : roll < 70 ? 3
                        : roll < 82 ? 2
                        : roll < 88 ? 6
                        : roll < 92 ? 4
                        : roll < 96 ? 5
                        : roll < 99 ? 7
                                    : 8;
            r.name = Code(CompanyName(seed, r.company_id)) + "-" + kTypeCodes[r.type_id] + "-" + std::to_string(id);
            r.status_id = rng.Below(10) < 8 ? 1 : static_cast<int>(rng.Below(3)) + 2;
            r.active = r.status_id == 1 || r.status_id == 4;
            r.serial = Alnum(rng, 10);
            r.mac = Mac(id, 0);
            r.mac2 = r.type_id == 2 || rng.Below(5) == 0 ? Mac(id, 1) : "";
            r.ip = "10." + std::to_string(r.company_id % 250) + "." + std::to_string((id / 250) % 250) + "." +
                   std::to_string(id % 250 + 1);
            r.os = r.type_id == 4 ? kOs[6] : r.type_id == 5 ? kOs[7] : rng.Pick(kOs);
            r.manufacturer_id = r.type_id == 4 ? 4 : r.type_id == 5 ? 5 : r.type_id == 7 ? 6 : rng.Below(3) + 1;
            r.model = rng.Pick(kModels);
            r.asset_tag = "INV-" + std::to_string(10000 + id);
            r.install_ms = r.created_ms - r.created_ms % kDayMillis;
            r.warranty_ms = r.install_ms + 3 * 365 * kDayMillis;
            break;
        }
    }
    return r;
}

std::optional<Record> Dataset::Get(Kind kind, int64_t id) const {
    const int k = static_cast<int>(kind);
    {
        std::lock_guard lock(mu_);
        if (deleted_[k].count(id) != 0) return std::nullopt;
        auto it = overrides_[k].find(id);
        if (it != overrides_[k].end()) return it->second;
    }
    if (id < 1 || id > BaseCount(kind)) return std::nullopt;
    return Generate(kind, id);
}

std::shared_ptr<const std::vector<int64_t>> Dataset::Matching(
    Kind kind, const std::string& signature, const std::function<bool(const Record&)>& match
) const {
    const int k = static_cast<int>(kind);
    const std::string key = std::string(KindName(kind)) + "|" + signature;
    int64_t version;
    std::set<int64_t> deleted;
    std::vector<int64_t> added;
    {
        std::lock_guard lock(mu_);
        version = version_;
        auto it = cache_.find(key);
        if (it != cache_.end() && it->second.version == version_) return it->second.ids;
        deleted = deleted_[k];
        for (const auto& [id, r] : overrides_[k]) {
            if (id > BaseCount(kind)) added.push_back(id);
        }
    }
    auto ids = std::make_shared<std::vector<int64_t>>();
    const int64_t base = BaseCount(kind);
    ids->reserve(static_cast<size_t>(base) + added.size());
    auto consider = [&](int64_t id) {
        if (deleted.count(id) != 0) return;
        if (!match) {
            ids->push_back(id);
            return;
        }
        auto r = Get(kind, id);
        if (r && match(*r)) ids->push_back(id);
    };
    for (int64_t id = 1; id <= base; ++id) consider(id);
    for (int64_t id : added) consider(id);
    std::lock_guard lock(mu_);
    if (cache_.size() > 32) cache_.clear();
    if (version == version_) cache_[key] = {version, ids};
    return ids;
}

Status ApplyFields(Record& r, const json::Value& fields) {
    if (!fields.is_object()) return Status::InvalidArgument("fields must be an object");
    for (const auto& [name, v] : fields.as_object()) {
        bool ok = false;
#define MORTAR_SIM_FIELD(member)     \
    if (name == #member)             \
        ok = SetMember(v, r.member); \
    else
        MORTAR_SIM_FIELD(company_id)
        MORTAR_SIM_FIELD(site_id)
        MORTAR_SIM_FIELD(contact_id)
        MORTAR_SIM_FIELD(name)
        MORTAR_SIM_FIELD(first_name)
        MORTAR_SIM_FIELD(last_name)
        MORTAR_SIM_FIELD(title)
        MORTAR_SIM_FIELD(email)
        MORTAR_SIM_FIELD(phone)
        MORTAR_SIM_FIELD(mobile)
        MORTAR_SIM_FIELD(number)
        MORTAR_SIM_FIELD(address1)
        MORTAR_SIM_FIELD(address2)
        MORTAR_SIM_FIELD(city)
        MORTAR_SIM_FIELD(state)
        MORTAR_SIM_FIELD(postal_code)
        MORTAR_SIM_FIELD(country)
        MORTAR_SIM_FIELD(website)
        MORTAR_SIM_FIELD(serial)
        MORTAR_SIM_FIELD(mac)
        MORTAR_SIM_FIELD(mac2)
        MORTAR_SIM_FIELD(ip)
        MORTAR_SIM_FIELD(os)
        MORTAR_SIM_FIELD(asset_tag)
        MORTAR_SIM_FIELD(model)
        MORTAR_SIM_FIELD(type_id)
        MORTAR_SIM_FIELD(status_id)
        MORTAR_SIM_FIELD(manufacturer_id)
        MORTAR_SIM_FIELD(active)
        MORTAR_SIM_FIELD(primary) {
            return Status::InvalidArgument("unknown field " + name);
        }
#undef MORTAR_SIM_FIELD
        if (!ok) return Status::InvalidArgument("wrong type for field " + name);
    }
    return Status::Ok();
}

Status Dataset::Update(Kind kind, int64_t id, const json::Value& fields, int64_t now_ms) {
    auto r = Get(kind, id);
    if (!r) return Status::NotFound(std::string(KindName(kind)) + " " + std::to_string(id) + " does not exist");
    MORTAR_RETURN_IF_ERROR(ApplyFields(*r, fields));
    return Put(std::move(*r), now_ms);
}

Status Dataset::Put(Record record, int64_t now_ms) {
    const int k = static_cast<int>(record.kind);
    record.updated_ms = now_ms;
    std::lock_guard lock(mu_);
    if (deleted_[k].count(record.id) != 0) return Status::NotFound("record was deleted");
    overrides_[k][record.id] = std::move(record);
    ++version_;
    return Status::Ok();
}

Status Dataset::Delete(Kind kind, int64_t id) {
    if (!Get(kind, id))
        return Status::NotFound(std::string(KindName(kind)) + " " + std::to_string(id) + " does not exist");
    const int k = static_cast<int>(kind);
    std::lock_guard lock(mu_);
    overrides_[k].erase(id);
    deleted_[k].insert(id);
    ++version_;
    return Status::Ok();
}

Result<int64_t> Dataset::Add(Kind kind, const json::Value& fields, int64_t now_ms) {
    Record r;
    r.kind = kind;
    r.company_id = kind == Kind::kCompany ? 0 : 1;
    MORTAR_RETURN_IF_ERROR(ApplyFields(r, fields));
    r.created_ms = now_ms;
    r.updated_ms = now_ms;
    const int k = static_cast<int>(kind);
    std::lock_guard lock(mu_);
    r.id = next_id_[k]++;
    const int64_t id = r.id;
    overrides_[k][id] = std::move(r);
    ++version_;
    return id;
}

}  // namespace mortar::sim
