// SPDX-License-Identifier: AGPL-3.0-or-later
// Matching-engine benchmark: quality on the labelled PATSTAT names (bench/match/data, the protocol
// of bench/README.md) beside a plain baseline, the same with synthetic distractor organizations,
// and speed for names and MACs. Prints figures, then one JSON line.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include <sys/resource.h>

#include "match/mac_index.hpp"
#include "match/name_index.hpp"
#include "match/pairs.hpp"
#include "match/text.hpp"

using namespace mortar::match;

namespace {

// splitmix64: the same sequence on every platform and standard library.
struct Rng {
    uint64_t s;
    uint64_t Next() {
        uint64_t z = (s += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    std::size_t Below(std::size_t n) { return static_cast<std::size_t>(Next() % n); }
    template <class T>
    const T& Pick(const std::vector<T>& v) {
        return v[Below(v.size())];
    }
};

double Now() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// CPU seconds (user + system) of this process: unlike wall time, not inflated by other load.
double CpuSeconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_utime.tv_sec + u.ru_stime.tv_sec + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

long PeakRssKb() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

// Runs fn(0..n-1) on `threads` threads (indexes interleaved); 1 runs inline.
void ParallelFor(std::size_t n, int threads, const std::function<void(std::size_t)>& fn) {
    if (threads <= 1) {
        for (std::size_t i = 0; i < n; ++i) fn(i);
        return;
    }
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] {
            for (std::size_t i = static_cast<std::size_t>(t); i < n; i += static_cast<std::size_t>(threads)) fn(i);
        });
    }
    for (auto& th : pool) th.join();
}

double Median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

// ---- synthetic organization names (SMB and corporate) ----
const std::vector<std::string> kSurnames = {
    "Smith",     "Johnson",   "Williams",   "Brown",    "Jones",    "Miller",   "Davis",        "Wilson",   "Anderson",
    "Taylor",    "Thomas",    "Moore",      "Martin",   "Jackson",  "Thompson", "White",        "Harris",   "Clark",
    "Lewis",     "Robinson",  "Walker",     "Young",    "Allen",    "King",     "Wright",       "Scott",    "Green",
    "Baker",     "Adams",     "Nelson",     "Hill",     "Campbell", "Mitchell", "Roberts",      "Carter",   "Phillips",
    "Evans",     "Turner",    "Parker",     "Collins",  "Edwards",  "Stewart",  "Morris",       "Murphy",   "Cook",
    "Rogers",    "Morgan",    "Cooper",     "Peterson", "Reed",     "Bailey",   "Bell",         "Kelly",    "Howard",
    "Ward",      "Cox",       "Richardson", "Wood",     "Watson",   "Brooks",   "Bennett",      "Gray",     "Hughes",
    "Price",     "Sanders",   "Myers",      "Long",     "Ross",     "Foster",   "Hunter",       "Douglas",  "Fischer",
    "Schmidt",   "Schneider", "Weber",      "Wagner",   "Becker",   "Hoffmann", "Koch",         "Richter",  "Bauer",
    "Klein",     "Wolf",      "Schulz",     "Jansen",   "de Jong",  "de Vries", "van den Berg", "van Dijk", "Bakker",
    "Visser",    "Smit",      "Meijer",     "de Boer",  "Mulder",   "de Groot", "Bos",          "Vos",      "Peters",
    "Hendriks",  "Dubois",    "Martin",     "Bernard",  "Durand",   "Lefebvre", "Moreau",       "Laurent",  "Rossi",
    "Russo",     "Ferrari",   "Bianchi",    "Romano",   "Garcia",   "Martinez", "Lopez",        "Gonzalez", "Rodriguez",
    "Fernandez", "Sanchez",   "Perez",      "Nielsen",  "Hansen",   "Pedersen", "Andersen",     "Larsen",   "Johansson",
    "Karlsson",  "Nilsson",   "Eriksson",   "Virtanen", "Korhonen", "O'Brien",  "O'Connor",     "McCarthy", "MacDonald",
    "Nguyen",    "Tran",      "Kim",        "Lee",      "Chen",     "Wang",     "Singh",        "Patel",    "Kumar",
    "Müller",    "Schäfer",   "Björk",      "Søren",    "Łukasz"};
const std::vector<std::string> kFirst = {
    "John",
    "Mary",
    "Peter",
    "Anna",
    "David",
    "Laura",
    "Mark",
    "Sarah",
    "Paul",
    "Emma",
    "James",
    "Lisa",
    "Tom",
    "Julia",
    "Hans",
    "Eva"};
const std::vector<std::string> kPlaces = {
    "Northside",   "Riverside", "Lakeside",   "Hillcrest",  "Oakwood",  "Maple",     "Cedar",    "Pine",
    "Harbor",      "Valley",    "Summit",     "Coastal",    "Metro",    "Central",   "Westside", "Eastgate",
    "Springfield", "Fairview",  "Brookfield", "Greenfield", "Kingston", "Bristol",   "Dover",    "Camden",
    "Boston",      "Denver",    "Austin",     "Phoenix",    "Sydney",   "Melbourne", "Utrecht",  "Rotterdam",
    "Antwerp",     "Lyon",      "Munich",     "Hamburg",    "Bergen",   "Malmo",     "Turin",    "Sevilla",
    "Dublin",      "Leeds",     "Cardiff",    "Auckland",   "Toronto",  "Ottawa"};
const std::vector<std::string> kTrades = {
    "Dental",        "Dentistry",   "Medical",       "Clinic",       "Pharmacy",    "Veterinary",  "Law",
    "Legal",         "Accounting",  "Tax",           "Consulting",   "Engineering", "Architects",  "Construction",
    "Builders",      "Roofing",     "Plumbing",      "Electric",     "Electrical",  "Electronics", "Heating",
    "HVAC",          "Landscaping", "Logistics",     "Transport",    "Freight",     "Trucking",    "Motors",
    "Auto",          "Automotive",  "Marine",        "Realty",       "Real Estate", "Properties",  "Insurance",
    "Financial",     "Capital",     "Investments",   "Wealth",       "Partners",    "Associates",  "Group",
    "Holdings",      "Industries",  "Manufacturing", "Technologies", "Technology",  "Systems",     "Solutions",
    "Software",      "Networks",    "Data",          "Digital",      "Media",       "Design",      "Studio",
    "Marketing",     "Printing",    "Foods",         "Bakery",       "Catering",    "Restaurant",  "Hotel",
    "Travel",        "Fitness",     "Salon",         "Florist",      "Furniture",   "Interiors",   "Cleaning",
    "Security",      "Storage",     "Research",      "Laboratories", "Labs",        "Chemicals",   "Plastics",
    "Metals",        "Steel",       "Energy",        "Solar",        "Oil",         "Gas",         "Water",
    "Environmental", "Education",   "Academy",       "School",       "Institute",   "Foundation",  "Services",
    "Supply",        "Trading",     "Imports",       "Distribution", "Wholesale",   "Retail",      "Outfitters",
    "Brewing",       "Winery",      "Farms",         "Nursery"};
const std::vector<std::string> kDescriptors = {
    "First",       "Premier",    "Advanced", "Global",   "International", "National", "United",   "American",
    "European",    "Pacific",    "Atlantic", "Northern", "Southern",      "Royal",    "Modern",   "Classic",
    "Precision",   "Integrated", "Applied",  "Creative", "Smart",         "Bright",   "Blue",     "Green",
    "Red",         "Silver",     "Golden",   "Eagle",    "Lion",          "Apex",     "Pinnacle", "Keystone",
    "Cornerstone", "Liberty",    "Heritage", "Pioneer",  "Frontier",      "Quantum"};
const std::vector<std::string> kSyllables = {
    "con", "to", "so",  "fab", "ri",  "kam", "nor", "th", "wind", "lit", "ware", "tail", "spin", "zen", "vo", "la",
    "tek", "ar", "mo",  "nex", "tri", "qua", "lo",  "ra", "vi",   "sta", "cor",  "del",  "ta",   "mar", "ix", "on",
    "el",  "ka", "ber", "gen", "ol",  "ro",  "ve",  "an", "dro",  "ly",  "sys",  "dyn",  "met",  "ric", "ox"};
const std::vector<std::string> kForms = {"Inc.",   "LLC",  "Ltd", "Ltd.",         "Limited", "Pty Ltd", "GmbH",
                                         "AG",     "B.V.", "BV",  "N.V.",         "S.A.",    "SARL",    "S.r.l.",
                                         "S.p.A.", "AB",   "A/S", "Oy",           "PLC",     "Corp.",   "Co.",
                                         "LLP",    "S.L.", "KG",  "GmbH & Co. KG"};

std::string Brand(Rng& r) {
    std::string s;
    const std::size_t n = 2 + r.Below(2);
    for (std::size_t i = 0; i < n; ++i) s += r.Pick(kSyllables);
    s[0] = static_cast<char>(s[0] - 'a' + 'A');
    return s;
}

std::string SyntheticName(Rng& r) {
    std::string name;
    switch (r.Below(8)) {
        case 0:
            name = r.Pick(kSurnames) + " " + r.Pick(kTrades);
            break;
        case 1:
            name = r.Pick(kSurnames) + " & " + r.Pick(kSurnames);
            if (r.Below(2)) name += " " + r.Pick(kTrades);
            break;
        case 2:
            name = r.Pick(kPlaces) + " " + r.Pick(kTrades);
            if (r.Below(2)) name += " " + r.Pick(kTrades);
            break;
        case 3:
            name = r.Pick(kDescriptors) + " " + r.Pick(kTrades);
            break;
        case 4:
            name = r.Pick(kFirst) + " " + r.Pick(kSurnames) + " " + r.Pick(kTrades);
            break;
        case 5:
            name = Brand(r) + " " + r.Pick(kTrades);
            break;
        case 6:
            name = Brand(r);
            if (r.Below(2)) name += " " + r.Pick(kDescriptors);
            break;
        default:
            name = r.Pick(kDescriptors) + " " + r.Pick(kPlaces) + " " + r.Pick(kTrades);
            break;
    }
    if (r.Below(10) < 7) name += " " + r.Pick(kForms);
    return name;
}

std::vector<std::string> SyntheticNames(uint64_t seed, std::size_t count) {
    Rng r{seed};
    std::set<std::string> seen;
    std::vector<std::string> out;
    while (out.size() < count) {
        std::string n = SyntheticName(r);
        if (seen.insert(n).second) out.push_back(std::move(n));
    }
    return out;
}

// A customer's spelling of an organization's name.
std::string Variant(Rng& r, std::string name) {
    switch (r.Below(6)) {
        case 0:
            for (auto& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            break;
        case 1:
            name += " " + r.Pick(kForms);
            break;
        case 2: {  // a typo in a long enough position
            if (name.size() > 6) {
                const std::size_t at = 2 + r.Below(name.size() - 4);
                if (std::isalpha(static_cast<unsigned char>(name[at])) &&
                    std::isalpha(static_cast<unsigned char>(name[at + 1]))) {
                    std::swap(name[at], name[at + 1]);
                }
            }
            break;
        }
        case 3:
            name += ", " + r.Pick(kPlaces);
            break;
        case 4:
            for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            break;
        default:
            break;
    }
    return name;
}

// ---- the labelled data ----
struct Labelled {
    std::vector<Record> organizations;  // id = cluster index
    std::vector<std::pair<std::string, int64_t>> externals;
    std::vector<std::string> cluster_ids;
};

Labelled Load(const std::string& path) {
    std::ifstream in(path);
    if (!in) {
        std::fprintf(stderr, "match_bench: cannot read %s\n", path.c_str());
        std::exit(2);
    }
    std::vector<std::string> f;
    (void)ReadCsvRecord(in, f);  // header
    std::vector<std::string> order;
    std::map<std::string, std::vector<std::string>> rows;  // cluster -> raw names in file order
    while (true) {
        auto more = ReadCsvRecord(in, f);
        if (!more || !*more) break;
        if (f.size() < 3) continue;
        if (!rows.count(f[1])) order.push_back(f[1]);
        rows[f[1]].push_back(f[2]);
    }
    Labelled out;
    for (std::size_t c = 0; c < order.size(); ++c) {
        const auto& names = rows[order[c]];
        std::map<std::string, int> count;
        for (const auto& n : names) ++count[n];
        std::string best;
        int best_count = 0;
        for (const auto& n : names) {  // first in file order wins ties
            if (count[n] > best_count) {
                best = n;
                best_count = count[n];
            }
        }
        out.organizations.push_back(Record{static_cast<int64_t>(c), best});
        out.cluster_ids.push_back(order[c]);
        std::set<std::string> done{best};
        for (const auto& n : names) {
            if (done.insert(n).second) out.externals.emplace_back(n, static_cast<int64_t>(c));
        }
    }
    return out;
}

struct Quality {
    int names = 0;
    int autos = 0;
    int auto_wrong = 0;
    int suggestions = 0;
    int suggestion_right = 0;
    int none = 0;
    double AutoPrecision() const { return autos ? double(autos - auto_wrong) / autos : 1.0; }
    double AutoCoverage() const { return names ? double(autos) / names : 0.0; }
    double Top1() const { return suggestions ? double(suggestion_right) / suggestions : 0.0; }
    double Overall() const { return names ? double(autos - auto_wrong + suggestion_right) / names : 0.0; }
};

void Add(Quality& q, Decision d, bool right) {
    ++q.names;
    if (d == Decision::kAuto) {
        ++q.autos;
        if (!right) ++q.auto_wrong;
    } else if (d == Decision::kSuggest) {
        ++q.suggestions;
        if (right) ++q.suggestion_right;
    } else {
        ++q.none;
    }
}

std::string Json(const Quality& q) {
    char buf[256];
    std::snprintf(
        buf,
        sizeof buf,
        "{\"names\":%d,\"auto\":%d,\"wrong_auto\":%d,\"auto_precision\":%.4f,\"auto_coverage\":%.4f,"
        "\"suggest\":%d,\"top1_suggestion_accuracy\":%.4f,\"none\":%d,\"overall_correct\":%.4f}",
        q.names,
        q.autos,
        q.auto_wrong,
        q.AutoPrecision(),
        q.AutoCoverage(),
        q.suggestions,
        q.Top1(),
        q.none,
        q.Overall()
    );
    return buf;
}

void Print(const char* label, const Quality& q) {
    std::printf(
        "  %-34s names %4d  auto %4d (wrong %d, precision %.3f, coverage %.3f)  suggest %4d (top-1 %.3f)  none %3d  "
        "overall %.3f\n",
        label,
        q.names,
        q.autos,
        q.auto_wrong,
        q.AutoPrecision(),
        q.AutoCoverage(),
        q.suggestions,
        q.Top1(),
        q.none,
        q.Overall()
    );
}

// The floor of bench/README.md: upper-case, punctuation out, single letters joined, a dozen legal
// forms dropped; equal -> auto, else the best character-trigram similarity >= 0.5 -> suggestion.
struct Baseline {
    struct Org {
        int64_t id;
        std::string key;
        std::vector<uint32_t> grams;
    };
    std::vector<Org> orgs;
    std::unordered_map<std::string, std::vector<int64_t>> by_key;

    static std::string Key(const std::string& raw) {
        std::vector<std::string> words;
        std::string cur;
        auto flush = [&] {
            if (!cur.empty()) words.push_back(cur);
            cur.clear();
        };
        for (char ch : raw) {
            const auto c = static_cast<unsigned char>(ch);
            if (std::isalnum(c) || c >= 0x80) {
                cur += static_cast<char>(std::toupper(c));
            } else {
                flush();
            }
        }
        flush();
        std::vector<std::string> joined;
        for (std::size_t i = 0; i < words.size();) {
            if (words[i].size() == 1) {
                std::string run;
                while (i < words.size() && words[i].size() == 1) run += words[i++];
                joined.push_back(run);
            } else {
                joined.push_back(words[i++]);
            }
        }
        static const std::set<std::string> kDrop = {
            "NV", "BV", "INC", "LTD", "CO", "CORP", "SA", "AG", "GMBH", "LLC", "PLC", "LIMITED"};
        std::string key;
        for (const auto& w : joined) {
            if (kDrop.count(w) && joined.size() > 1) continue;
            if (!key.empty()) key += ' ';
            key += w;
        }
        return key;
    }
    static std::vector<uint32_t> Grams(const std::string& key) {
        std::vector<uint32_t> g;
        const std::string p = "  " + key + " ";
        for (std::size_t i = 0; i + 3 <= p.size(); ++i) {
            g.push_back(
                (uint32_t(uint8_t(p[i])) << 16) | (uint32_t(uint8_t(p[i + 1])) << 8) | uint32_t(uint8_t(p[i + 2]))
            );
        }
        std::sort(g.begin(), g.end());
        g.erase(std::unique(g.begin(), g.end()), g.end());
        return g;
    }
    explicit Baseline(const std::vector<Record>& records) {
        for (const auto& r : records) {
            Org o{r.id, Key(r.name), {}};
            o.grams = Grams(o.key);
            by_key[o.key].push_back(r.id);
            orgs.push_back(std::move(o));
        }
    }
    std::pair<Decision, int64_t> Match(const std::string& raw) const {
        const std::string key = Key(raw);
        if (auto it = by_key.find(key); it != by_key.end() && it->second.size() == 1) {
            return {Decision::kAuto, it->second.front()};
        }
        const auto g = Grams(key);
        double best = 0;
        int64_t best_id = -1;
        for (const auto& o : orgs) {
            std::size_t common = 0;
            for (std::size_t i = 0, j = 0; i < g.size() && j < o.grams.size();) {
                if (g[i] == o.grams[j]) {
                    ++common;
                    ++i;
                    ++j;
                } else if (g[i] < o.grams[j]) {
                    ++i;
                } else {
                    ++j;
                }
            }
            const double sim = double(common) / double(g.size() + o.grams.size() - common);
            if (sim > best) {
                best = sim;
                best_id = o.id;
            }
        }
        if (best >= 0.5) return {Decision::kSuggest, best_id};
        return {Decision::kNone, -1};
    }
};

// Clusters are split in two halves by a hash of their id: thresholds were set looking at the
// "tune" half only; the "check" half is the held-out figure.
bool TuneHalf(const std::string& cluster_id) {
    return std::hash<std::string>{}(cluster_id + "#split") % 2 == 0;
}

struct QualityRun {
    Quality all, tune, check, base_all, base_tune, base_check;
    // Macro average: overall correct per cluster, averaged over the clusters with external names
    // (the Philips cluster alone holds 311 of the 1,098 names).
    double macro = 0, base_macro = 0;
    double seconds = 0;
};

QualityRun RunQuality(const Labelled& data, const std::vector<Record>& organizations, bool verbose) {
    std::map<int64_t, Quality> per_cluster;
    std::map<int64_t, Quality> base_per_cluster;
    QualityRun run;
    const double t0 = Now();
    NameIndex index(organizations);
    Baseline baseline(organizations);
    for (const auto& [name, cluster] : data.externals) {
        const MatchResult r = index.Match(name);
        const bool right = !r.candidates.empty() && r.candidates.front().id == cluster;
        const bool tune = TuneHalf(data.cluster_ids[cluster]);
        Add(run.all, r.decision, right);
        Add(tune ? run.tune : run.check, r.decision, right);
        Add(per_cluster[cluster], r.decision, right);
        if (verbose && (!right || r.decision == Decision::kNone) && std::getenv("MORTAR_BENCH_VERBOSE")) {
            std::printf(
                "    [%s] %s -> %s (%.2f, %s) want %s\n",
                std::string(DecisionName(r.decision)).c_str(),
                name.c_str(),
                r.candidates.empty() ? "-" : r.candidates.front().name.c_str(),
                r.score,
                r.reason.c_str(),
                data.organizations[cluster].name.c_str()
            );
        }
        const auto [bd, bid] = baseline.Match(name);
        const bool bright = bid == cluster;
        Add(run.base_all, bd, bright);
        Add(base_per_cluster[cluster], bd, bright);
        Add(tune ? run.base_tune : run.base_check, bd, bright);
    }
    run.seconds = Now() - t0;
    int clusters = 0;
    for (const auto& [cluster, q] : per_cluster) {
        ++clusters;
        run.macro += q.Overall();
        run.base_macro += base_per_cluster[cluster].Overall();
    }
    if (clusters > 0) {
        run.macro /= clusters;
        run.base_macro /= clusters;
    }
    return run;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string data_path = argc > 1 ? argv[1] : "bench/match/data/patstat_reference.csv";
    const int runs = std::getenv("MORTAR_BENCH_RUNS") ? std::atoi(std::getenv("MORTAR_BENCH_RUNS")) : 3;
    // Lookups are thread-safe; MORTAR_BENCH_THREADS > 1 spreads the matching (not the build) over threads.
    const int threads = std::getenv("MORTAR_BENCH_THREADS") ? std::atoi(std::getenv("MORTAR_BENCH_THREADS")) : 1;
    const std::size_t distractors = 20000;
    const Labelled data = Load(data_path);
    std::printf(
        "match_bench: %zu organizations, %zu external names (PATSTAT / KU Leuven labels, dedupe-examples, MIT)\n",
        data.organizations.size(),
        data.externals.size()
    );

    // MORTAR_BENCH_SKIP_QUALITY=1 leaves the quality part out (for profiling the speed part).
    const bool skip_quality = std::getenv("MORTAR_BENCH_SKIP_QUALITY") != nullptr;
    // ---- quality ----
    const QualityRun plain = skip_quality ? QualityRun{} : RunQuality(data, data.organizations, true);
    std::vector<Record> with_distractors = data.organizations;
    int64_t next_id = 1000000;
    for (auto& n : SyntheticNames(20261201, distractors)) with_distractors.push_back(Record{next_id++, n});
    const QualityRun noisy =
        skip_quality ? QualityRun{}
                     : RunQuality(data, with_distractors, std::getenv("MORTAR_BENCH_VERBOSE_DISTRACTORS") != nullptr);
    const double drop = plain.all.Overall() - noisy.all.Overall();
    if (!skip_quality) {
        std::printf("quality (102 organizations)\n");
        Print("engine, all clusters", plain.all);
        Print("engine, tune half", plain.tune);
        Print("engine, check half (held out)", plain.check);
        Print("floor (plain baseline), all", plain.base_all);
        std::printf("quality (+%zu synthetic distractor organizations)\n", distractors);
        Print("engine, all clusters", noisy.all);
        Print("engine, check half (held out)", noisy.check);
        Print("floor (plain baseline), all", noisy.base_all);
        std::printf("  overall correct drop with distractors: %.4f\n", drop);
        std::printf(
            "  macro overall correct (mean over the clusters with external names): engine %.3f, floor %.3f; with "
            "distractors: engine %.3f, floor %.3f\n",
            plain.macro,
            plain.base_macro,
            noisy.macro,
            noisy.base_macro
        );
    }

    // ---- speed: names ----
    const std::size_t n_orgs = 50000;
    const std::size_t n_customers = 50000;
    std::vector<Record> orgs;
    {
        int64_t id = 1;
        for (auto& n : SyntheticNames(7, n_orgs)) orgs.push_back(Record{id++, n});
    }
    std::vector<std::string> customers;
    std::vector<int64_t> source;  // the organization a variant was made from (0: a fresh name)
    {
        Rng r{11};
        auto fresh = SyntheticNames(13, n_customers);
        for (std::size_t i = 0; i < n_customers; ++i) {
            if (r.Below(10) < 7) {
                const Record& o = orgs[r.Below(orgs.size())];
                customers.push_back(Variant(r, o.name));
                source.push_back(o.id);
            } else {
                customers.push_back(fresh[i]);
                source.push_back(0);
            }
        }
    }
    std::vector<double> build_s, match_s, total_s, cpu_s;
    std::size_t name_autos = 0;
    std::size_t variants = 0, variants_top1 = 0, variants_auto_wrong = 0;
    for (int k = 0; k < runs; ++k) {
        const double c0 = CpuSeconds();
        const double t0 = Now();
        NameIndex index(orgs);
        const double t1 = Now();
        std::size_t autos = 0;
        variants = variants_top1 = variants_auto_wrong = 0;
        std::vector<Decision> decision(customers.size());
        std::vector<int64_t> first(customers.size());
        ParallelFor(customers.size(), threads, [&](std::size_t i) {
            const MatchResult m = index.Match(customers[i]);
            decision[i] = m.decision;
            first[i] = m.candidates.empty() ? -1 : m.candidates.front().id;
        });
        for (std::size_t i = 0; i < customers.size(); ++i) {
            autos += decision[i] == Decision::kAuto;
            if (source[i] == 0) continue;
            ++variants;
            const bool right = first[i] == source[i];
            variants_top1 += right;
            variants_auto_wrong += decision[i] == Decision::kAuto && !right;
            if (!right && k == 0 && std::getenv("MORTAR_BENCH_VERBOSE_SYNTHETIC")) {
                const MatchResult m = index.Match(customers[i]);
                std::printf(
                    "    [%s] %s -> %s (%s) source %s\n",
                    std::string(DecisionName(m.decision)).c_str(),
                    customers[i].c_str(),
                    m.candidates.empty() ? "-" : m.candidates.front().name.c_str(),
                    m.reason.c_str(),
                    orgs[source[i] - 1].name.c_str()
                );
            }
        }
        const double t2 = Now();
        build_s.push_back(t1 - t0);
        match_s.push_back(t2 - t1);
        total_s.push_back(t2 - t0);
        cpu_s.push_back(CpuSeconds() - c0);
        name_autos = autos;
    }
    const long rss_names = PeakRssKb();
    // Variants are made by changing case, legal form, a place or swapping two letters; a variant may
    // also equal another organization of the generated set, so "wrong" here is an upper bound.
    std::printf(
        "synthetic variants: %zu, top-1 = source %.4f, auto to another organization %zu\n",
        variants,
        variants ? double(variants_top1) / variants : 0.0,
        variants_auto_wrong
    );
    std::printf(
        "speed: %zu customers x %zu organizations: build %.3f s, match %.3f s, total %.3f s wall, %.3f s CPU "
        "(median of %d; %zu auto)\n",
        n_customers,
        n_orgs,
        Median(build_s),
        Median(match_s),
        Median(total_s),
        Median(cpu_s),
        runs,
        name_autos
    );

    // ---- speed: MACs ----
    const std::size_t n_configs = 500000;
    const std::size_t n_assets = 500000;
    std::vector<Configuration> configs;
    std::vector<uint64_t> macs;
    auto spell = [](uint64_t mac, std::size_t style) {
        const std::string d = DisplayMac(mac);  // AA:BB:...
        std::string hex;
        for (char c : d) {
            if (c != ':') hex += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        switch (style % 4) {
            case 0:
                return d;
            case 1: {
                std::string s = d;
                std::replace(s.begin(), s.end(), ':', '-');
                return s;
            }
            case 2:
                return hex.substr(0, 4) + "." + hex.substr(4, 4) + "." + hex.substr(8, 4);
            default:
                return hex;
        }
    };
    {
        Rng r{17};
        configs.reserve(n_configs);
        for (std::size_t i = 0; i < n_configs; ++i) {
            Configuration c;
            c.id = static_cast<int64_t>(i + 1);
            c.organization_id = static_cast<int64_t>(i / 10 + 1);
            c.name = "PC-" + std::to_string(i);
            c.hostname = "pc-" + std::to_string(i) + ".corp.local";
            const std::size_t n_if = 1 + r.Below(2);
            for (std::size_t k = 0; k < n_if; ++k) {
                uint64_t mac = r.Next() & 0xFFFFFFFFFFFFull;
                // One configuration in a hundred shares its first MAC with the previous one (same organization).
                if (k == 0 && i % 100 == 1) mac = macs[macs.size() - (configs.back().interfaces.size())];
                macs.push_back(mac);
                c.interfaces.push_back(NetworkInterface{k == 0 ? "LAN" : "WLAN", spell(mac, r.Below(4))});
            }
            configs.push_back(std::move(c));
        }
    }
    struct Probe {
        int64_t org;
        Asset asset;
    };
    std::vector<Probe> probes;
    {
        Rng r{19};
        probes.reserve(n_assets);
        for (std::size_t i = 0; i < n_assets; ++i) {
            const std::size_t c = r.Below(n_configs);
            Probe p{configs[c].organization_id, {}};
            p.asset.name = configs[c].name;
            if (r.Below(10) < 9) {
                const uint64_t mac = *ParseMac(configs[c].interfaces[0].mac);
                p.asset.macs.push_back(spell(mac, r.Below(4)));
            } else {
                p.asset.macs.push_back(spell(r.Next() & 0xFFFFFFFFFFFFull, 0));
                p.asset.hostname = configs[c].hostname;
            }
            probes.push_back(std::move(p));
        }
    }
    std::vector<double> mac_build, mac_match, mac_total, mac_cpu;
    std::size_t mac_auto = 0, mac_ambiguous = 0, mac_by_name = 0;
    for (int k = 0; k < runs; ++k) {
        const double c0 = CpuSeconds();
        const double t0 = Now();
        ConfigurationIndex index(configs);
        const double t1 = Now();
        std::size_t a = 0, amb = 0, byname = 0;
        std::vector<uint8_t> kind(probes.size());  // 1 matched, 2 ambiguous, 3 by name
        ParallelFor(probes.size(), threads, [&](std::size_t i) {
            const MatchResult m = index.Match(probes[i].org, probes[i].asset);
            if (m.decision == Decision::kAuto) {
                kind[i] = 1;
            } else if (m.decision == Decision::kSuggest) {
                kind[i] = m.reason.rfind("ambiguous", 0) == 0 ? 2 : 3;
            }
        });
        for (uint8_t v : kind) {
            a += v == 1;
            amb += v == 2;
            byname += v == 3;
        }
        const double t2 = Now();
        mac_build.push_back(t1 - t0);
        mac_match.push_back(t2 - t1);
        mac_total.push_back(t2 - t0);
        mac_cpu.push_back(CpuSeconds() - c0);
        mac_auto = a;
        mac_ambiguous = amb;
        mac_by_name = byname;
    }
    const long rss_total = PeakRssKb();
    std::printf(
        "speed: %zu assets x %zu configurations (MAC): build %.3f s, match %.3f s, total %.3f s wall, %.3f s CPU "
        "(median of %d; %zu matched, %zu ambiguous, %zu by name)\n",
        n_assets,
        n_configs,
        Median(mac_build),
        Median(mac_match),
        Median(mac_total),
        Median(mac_cpu),
        runs,
        mac_auto,
        mac_ambiguous,
        mac_by_name
    );
    std::printf(
        "peak RSS: %.1f MiB after the name runs, %.1f MiB at the end\n", rss_names / 1024.0, rss_total / 1024.0
    );

    const bool met = plain.all.auto_wrong == 0 && noisy.all.auto_wrong == 0 && plain.all.Overall() >= 0.95 &&
                     plain.all.AutoCoverage() >= 0.70 && drop <= 0.02 && Median(total_s) <= 2.0 &&
                     Median(mac_total) <= 1.0;
    std::printf(
        "{\"bench\":\"match\",\"organizations\":%zu,\"externals\":%zu,"
        "\"quality\":{\"engine\":%s,\"engine_tune\":%s,\"engine_check\":%s,\"floor\":%s,"
        "\"overall_ratio_vs_floor\":%.3f,\"macro_overall\":%.4f,\"floor_macro_overall\":%.4f},"
        "\"distractors\":{\"count\":%zu,\"engine\":%s,\"engine_check\":%s,\"floor\":%s,\"overall_drop\":%.4f,\"macro_"
        "overall\":%.4f},"
        "\"names\":{\"customers\":%zu,\"organizations\":%zu,\"build_s\":%.3f,\"match_s\":%.3f,\"total_s\":%.3f,"
        "\"cpu_s\":%.3f,\"auto\":%zu,\"variants\":%zu,\"variants_top1\":%.4f,\"variants_auto_other\":%zu},"
        "\"macs\":{\"assets\":%zu,\"configurations\":%zu,\"build_s\":%.3f,\"match_s\":%.3f,\"total_s\":%.3f,"
        "\"cpu_s\":%.3f,\"matched\":%zu,\"ambiguous\":%zu,\"by_name\":%zu},"
        "\"peak_rss_mib\":{\"names\":%.1f,\"end\":%.1f},\"runs\":%d,\"threads\":%d,"
        "\"targets\":{\"wrong_auto\":0,\"overall_correct\":0.95,\"auto_coverage\":0.70,\"distractor_drop\":0.02,"
        "\"names_s\":2.0,\"macs_s\":1.0,\"met\":%s}}\n",
        data.organizations.size(),
        data.externals.size(),
        Json(plain.all).c_str(),
        Json(plain.tune).c_str(),
        Json(plain.check).c_str(),
        Json(plain.base_all).c_str(),
        plain.base_all.Overall() > 0 ? plain.all.Overall() / plain.base_all.Overall() : 0.0,
        plain.macro,
        plain.base_macro,
        distractors,
        Json(noisy.all).c_str(),
        Json(noisy.check).c_str(),
        Json(noisy.base_all).c_str(),
        drop,
        noisy.macro,
        n_customers,
        n_orgs,
        Median(build_s),
        Median(match_s),
        Median(total_s),
        Median(cpu_s),
        name_autos,
        variants,
        variants ? double(variants_top1) / variants : 0.0,
        variants_auto_wrong,
        n_assets,
        n_configs,
        Median(mac_build),
        Median(mac_match),
        Median(mac_total),
        Median(mac_cpu),
        mac_auto,
        mac_ambiguous,
        mac_by_name,
        rss_names / 1024.0,
        rss_total / 1024.0,
        runs,
        threads,
        met ? "true" : "false"
    );
    return 0;
}
