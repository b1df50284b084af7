// SPDX-License-Identifier: AGPL-3.0-or-later
#include "demo/demo.hpp"

#include <chrono>
#include <filesystem>
#include <map>
#include <random>
#include <thread>
#include <vector>

#include "auth/api_keys.hpp"
#include "core/clock.hpp"
#include "core/json.hpp"
#include "core/log.hpp"
#include "net/http_client.hpp"
#include "net/url.hpp"
#include "sim/profile.hpp"

namespace mortar::demo {

namespace {

using Obj = json::Value::Object;
using Arr = json::Value::Array;

constexpr const char* kAutotaskName = "Autotask (demo)";
constexpr const char* kUniViewName = "UniView backups (demo)";
// How long the first syncs may take before the demo gives up.
constexpr auto kSyncDeadline = std::chrono::minutes(10);

std::string Doc(std::string_view type, Obj attributes) {
    return json::Value(
               Obj{
                   {"data",
                    json::Value(Obj{{"type", std::string(type)}, {"attributes", json::Value(std::move(attributes))}})}}
    ).Dump();
}

const json::Value* Member(const json::Value& v, std::initializer_list<std::string_view> path) {
    const json::Value* at = &v;
    for (std::string_view key : path) {
        at = at->Find(key);
        if (at == nullptr) return nullptr;
    }
    return at;
}

std::string Text(const json::Value& v, std::initializer_list<std::string_view> path) {
    const json::Value* at = Member(v, path);
    return at != nullptr && at->is_string() ? at->as_string() : std::string();
}

int64_t IdOf(const json::Value& data) {
    const json::Value* id = data.Find("id");
    if (id == nullptr || !id->is_string()) return 0;
    return std::strtoll(id->as_string().c_str(), nullptr, 10);
}

// The demo's client of the server's public API, with the setup key.
class Api {
public:
    Api(std::string base_url, std::string key, const std::atomic<bool>* stopping)
        : client_(net::NewCurlClient()), base_(std::move(base_url)), key_(std::move(key)), stopping_(stopping) {}

    bool stopping() const { return stopping_ != nullptr && stopping_->load(); }

    // Sends a request and returns the parsed body; a status other than `expect` is an
    // error naming the request and the API's detail.
    Result<json::Value> Send(std::string_view method, const std::string& target, const std::string& body, int expect) {
        if (stopping()) return Status::Unavailable("the server is stopping");
        net::HttpRequest req;
        req.method = std::string(method);
        req.url = base_ + target;
        req.SetHeader("x-api-key", key_);
        req.SetHeader("Accept", "application/vnd.api+json");
        if (!body.empty()) req.SetHeader("Content-Type", "application/vnd.api+json");
        req.body = body;
        auto resp = client_->Send(req);
        if (!resp) return resp.status();
        const std::string what = std::string(method) + " " + target.substr(0, target.find('?'));
        json::Value parsed;
        if (!resp->body.empty()) {
            auto p = json::Parse(resp->body);
            if (!p) return Status::Internal(what + " answered a body that is not JSON");
            parsed = std::move(*p);
        }
        if (resp->status != expect) {
            std::string detail, pointer;
            if (const json::Value* errors = parsed.Find("errors");
                errors != nullptr && errors->is_array() && !errors->as_array().empty()) {
                detail = Text(errors->as_array()[0], {"detail"});
                pointer = Text(errors->as_array()[0], {"source", "pointer"});
            }
            return Status(
                resp->status == 422 ? Code::kUnprocessable : Code::kInternal,
                what + " answered " + std::to_string(resp->status) + (detail.empty() ? "" : ": " + detail),
                pointer
            );
        }
        return parsed;
    }

    Result<json::Value> Get(const std::string& target) { return Send("GET", target, "", 200); }

    // The data of a list, every page of it.
    Result<Arr> All(const std::string& path, const std::string& query = "") {
        Arr out;
        for (int page = 1;; ++page) {
            auto r =
                Get(path + "?" + (query.empty() ? "" : query + "&") +
                    "page[size]=1000&page[number]=" + std::to_string(page));
            if (!r) return r.status();
            const json::Value* data = r->Find("data");
            if (data == nullptr || !data->is_array()) return Status::Internal("GET " + path + ": no data");
            for (const json::Value& d : data->as_array()) out.push_back(d);
            if (data->as_array().size() < 1000) return out;
        }
    }

    // The first record of `path` with these filters (name, value), or nullopt.
    Result<std::optional<json::Value>> Find(
        const std::string& path, const std::vector<std::pair<std::string, std::string>>& filters
    ) {
        std::string query;
        for (const auto& [name, value] : filters) {
            query += (query.empty() ? "" : "&") + std::string("filter[") + name + "]=" + net::UrlEncode(value);
        }
        auto r = Get(path + "?" + query + "&page[size]=1");
        if (!r) return r.status();
        const json::Value* data = r->Find("data");
        if (data == nullptr || !data->is_array() || data->as_array().empty()) return std::optional<json::Value>();
        return std::optional<json::Value>(data->as_array()[0]);
    }

    Result<json::Value> Create(const std::string& path, std::string_view type, Obj attributes) {
        auto r = Send("POST", path, Doc(type, std::move(attributes)), 201);
        if (!r) return r.status();
        const json::Value* data = r->Find("data");
        if (data == nullptr) return Status::Internal("POST " + path + ": no data");
        return *data;
    }

    // The id of the record with these filters, created from `attributes` when missing.
    Result<int64_t> Ensure(
        const std::string& path,
        std::string_view type,
        const std::vector<std::pair<std::string, std::string>>& filters,
        Obj attributes,
        bool* created = nullptr
    ) {
        auto found = Find(path, filters);
        if (!found) return found.status();
        if (created != nullptr) *created = !found->has_value();
        if (found->has_value()) return IdOf(**found);
        auto made = Create(path, type, std::move(attributes));
        if (!made) return made.status();
        return IdOf(*made);
    }

private:
    std::unique_ptr<net::HttpClient> client_;
    std::string base_;
    std::string key_;
    const std::atomic<bool>* stopping_;
};

bool IsSecretSetting(const std::string& name) {
    return name == "secret" || name == "client_secret" || name == "private_key" || name == "public_key";
}

// Creates the integration of a simulator, or points the existing one at it (its port
// changes on every start) and re-enters its credentials. A PSA syncs every record, inactive
// ones too, with its configuration types mapped to Mortar types of the same names. Returns
// its id.
Result<int64_t> EnsureIntegration(Api& api, std::string_view kind, const std::string& name, const sim::Simulator& sim) {
    Obj connection, credentials;
    for (const auto& [key, value] : sim.Credentials()) {
        (IsSecretSetting(key) ? credentials : connection).emplace_back(key, json::Value(value));
    }
    auto found = api.Find("/api/integrations", {{"name", name}});
    if (!found) return found.status();
    if (found->has_value()) {
        const int64_t id = IdOf(**found);
        auto patched = api.Send(
            "PATCH",
            "/api/integrations/" + std::to_string(id),
            Doc("integrations",
                {{"connection", json::Value(std::move(connection))},
                 {"credentials", json::Value(std::move(credentials))}}),
            200
        );
        if (!patched) return patched.status();
        return id;
    }
    Obj attributes{
        {"kind", std::string(kind)},
        {"name", name},
        {"connection", json::Value(std::move(connection))},
        {"credentials", json::Value(std::move(credentials))}};
    if (kind != "uniview") {
        const Obj every_record{{"include_inactive", true}};
        Obj settings{
            {"organizations", json::Value(every_record)},
            {"locations", json::Value(every_record)},
            {"contacts", json::Value(every_record)},
            {"configurations", json::Value(every_record)}};
        Obj type_map;
        for (const sim::Lookup& t : sim::ConfigurationTypes()) {
            auto id =
                api.Ensure("/api/configuration_types", "configuration-types", {{"name", t.name}}, {{"name", t.name}});
            if (!id) return id.status();
            type_map.emplace_back(std::to_string(t.id), json::Value(*id));
        }
        settings.emplace_back("configuration_type_map", json::Value(std::move(type_map)));
        attributes.emplace_back("settings", json::Value(std::move(settings)));
    }
    auto made = api.Create("/api/integrations", "integrations", std::move(attributes));
    if (!made) return made.status();
    return IdOf(*made);
}

// Queues a full sync through the job queue and waits for its job to finish. Returns the
// integration's status afterwards.
Result<std::string> SyncAndWait(Api& api, int64_t integration) {
    const std::string base = "/api/integrations/" + std::to_string(integration);
    auto queued = api.Send("POST", base + "/sync", "", 202);
    if (!queued) return queued.status();
    const int64_t job = IdOf(*queued->Find("data"));
    const auto deadline = std::chrono::steady_clock::now() + kSyncDeadline;
    while (true) {
        auto j = api.Get("/api/sync_jobs/" + std::to_string(job));
        if (!j) return j.status();
        const std::string state = Text(*j, {"data", "attributes", "state"});
        if (state == "done" || state == "failed") break;
        if (std::chrono::steady_clock::now() > deadline) {
            return Status::DeadlineExceeded(
                "the first sync of integration " + std::to_string(integration) + " did not end"
            );
        }
        if (api.stopping()) return Status::Unavailable("the server is stopping");
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    auto i = api.Get(base);
    if (!i) return i.status();
    return Text(*i, {"data", "attributes", "status"});
}

// Interfaces on every synced configuration: LAN with its first MAC and IP, LAN 2 with the
// second MAC when the PSA knows one. A configuration with interfaces is left as it is.
Status EnsureInterfaces(Api& api, const sim::Dataset& psa, int& created) {
    std::map<std::string, sim::Record> by_name;
    for (int64_t id : *psa.Matching(sim::Kind::kConfiguration, "", nullptr)) {
        auto r = psa.Get(sim::Kind::kConfiguration, id);
        if (r) by_name[r->name] = *r;
    }
    auto configurations = api.All("/api/configurations", "sort=id");
    if (!configurations) return configurations.status();
    // Interfaces are written in configuration order: the first configuration without them
    // (found by halving) is where an earlier start stopped.
    auto has_interfaces = [&](size_t k) -> Result<bool> {
        auto existing = api.Get(
            "/api/configurations/" + std::to_string(IdOf((*configurations)[k])) +
            "/relationships/configuration_interfaces?page[size]=1"
        );
        if (!existing) return existing.status();
        const json::Value* data = existing->Find("data");
        return data != nullptr && data->is_array() && !data->as_array().empty();
    };
    size_t lo = 0, hi = configurations->size();
    while (lo < hi) {
        const size_t mid = lo + (hi - lo) / 2;
        auto has = has_interfaces(mid);
        if (!has) return has.status();
        if (*has) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    for (size_t k = lo; k < configurations->size(); ++k) {
        const json::Value& c = (*configurations)[k];
        auto psa_record = by_name.find(Text(c, {"attributes", "name"}));
        if (psa_record == by_name.end()) continue;
        const sim::Record& r = psa_record->second;
        auto add = [&](const char* name, const std::string& mac, const std::string& ip, bool primary) -> Status {
            Obj a{
                {"configuration-id", IdOf(c)}, {"name", std::string(name)}, {"mac-address", mac}, {"primary", primary}};
            if (!ip.empty()) a.emplace_back("ip-address", ip);
            auto made = api.Create("/api/configuration_interfaces", "configuration-interfaces", std::move(a));
            if (!made) return made.status();
            ++created;
            return Status::Ok();
        };
        MORTAR_RETURN_IF_ERROR(add("LAN", r.mac, r.ip, true));
        if (!r.mac2.empty()) MORTAR_RETURN_IF_ERROR(add("LAN 2", r.mac2, "", false));
    }
    return Status::Ok();
}

std::string RandomText(size_t n) {
    static constexpr char kChars[] = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";
    std::random_device rd;
    std::uniform_int_distribution<size_t> pick(0, sizeof kChars - 2);
    std::string s;
    for (size_t i = 0; i < n; ++i) s.push_back(kChars[pick(rd)]);
    return s;
}

struct People {
    int64_t admin = 0, manager = 0, editor = 0, reader = 0, group = 0;
};

Result<int64_t> EnsureUser(
    Api& api, const std::string& email, const std::string& name, const std::string& role, Obj extra
) {
    Obj a{{"email", email}, {"name", name}, {"role", role}, {"password", RandomText(20)}};
    for (auto& kv : extra) a.push_back(std::move(kv));
    return api.Ensure("/api/mortar_users", "mortar-users", {{"email", email}}, std::move(a));
}

// The administrator (password set on every start), three users of other roles and a
// group limited to two organizations.
Result<People> EnsurePeople(Api& api, const std::string& password, const std::vector<int64_t>& orgs) {
    People p;
    auto admin = api.Find("/api/mortar_users", {{"email", kAdminEmail}});
    if (!admin) return admin.status();
    if (admin->has_value()) {
        p.admin = IdOf(**admin);
        auto set = api.Send(
            "PATCH",
            "/api/mortar_users/" + std::to_string(p.admin),
            Doc("mortar-users", {{"password", password}, {"disabled", false}}),
            200
        );
        if (!set) return set.status();
    } else {
        auto made = api.Create(
            "/api/mortar_users",
            "mortar-users",
            {{"email", kAdminEmail}, {"name", kAdminName}, {"role", "administrator"}, {"password", password}}
        );
        if (!made) return made.status();
        p.admin = IdOf(*made);
    }
    auto manager = EnsureUser(api, "morgan.manager@demo-msp.example", "Morgan Manager", "manager", {});
    if (!manager) return manager.status();
    p.manager = *manager;
    Arr limited;
    for (int64_t o : orgs) limited.push_back(json::Value(o));
    auto editor = EnsureUser(
        api,
        "erin.engineer@demo-msp.example",
        "Erin Engineer",
        "editor",
        {{"all-organizations", false}, {"organization-ids", json::Value(limited)}}
    );
    if (!editor) return editor.status();
    p.editor = *editor;
    auto reader = EnsureUser(api, "riley.reader@demo-msp.example", "Riley Reader", "read-only", {});
    if (!reader) return reader.status();
    p.reader = *reader;
    auto group = api.Ensure(
        "/api/mortar_groups",
        "mortar-groups",
        {{"name", "Service desk"}},
        {{"name", "Service desk"},
         {"description", "First-line engineers: the organizations they support"},
         {"member-ids", json::Value(Arr{json::Value(p.editor), json::Value(p.reader)})},
         {"organization-ids", json::Value(limited)}}
    );
    if (!group) return group.status();
    p.group = *group;
    return p;
}

struct Org {
    int64_t id = 0;
    std::string name;
};

// Documentation of every kind on the first organizations: passwords (one restricted),
// documents (one published, one global), a checklist template and a checklist made from
// it, a flexible asset type with assets. Returns how many records were created.
Result<int> EnsureDocumentation(Api& api, const std::vector<Org>& orgs, const People& people) {
    int created = 0;
    bool made = false;
    auto count = [&] { created += made ? 1 : 0; };
    auto category = api.Ensure(
        "/api/password_categories", "password-categories", {{"name", "Network devices"}}, {{"name", "Network devices"}}
    );
    if (!category) return category.status();
    auto admin_category = api.Ensure(
        "/api/password_categories", "password-categories", {{"name", "Admin accounts"}}, {{"name", "Admin accounts"}}
    );
    if (!admin_category) return admin_category.status();
    struct PasswordSpec {
        size_t org;
        const char* name;
        const char* username;
        const char* url;
        int64_t category;
        bool restricted;
    };
    const PasswordSpec passwords[] = {
        {0, "Firewall admin", "admin", "https://10.1.0.1", *category, false},
        {0,
         "Microsoft 365 global admin",
         "admin@tenant.onmicrosoft.com",
         "https://admin.microsoft.com",
         *admin_category,
         true},
        {0, "Staff Wi-Fi", "", "", *category, false},
        {1, "Domain administrator", "CORP\\administrator", "", *admin_category, false},
        {2, "Backup appliance", "root", "https://10.3.0.20", *category, false},
    };
    for (const PasswordSpec& s : passwords) {
        const Org& o = orgs[s.org % orgs.size()];
        Obj a{
            {"organization-id", o.id},
            {"name", std::string(s.name)},
            {"password", RandomText(18)},
            {"password-category-id", s.category},
            {"notes", std::string("Rotated quarterly; see the onboarding document.")}};
        if (*s.username != '\0') a.emplace_back("username", std::string(s.username));
        if (*s.url != '\0') a.emplace_back("url", std::string(s.url));
        if (s.restricted) {
            a.emplace_back("restricted", true);
            a.emplace_back("allowed-user-ids", json::Value(Arr{json::Value(people.editor)}));
        }
        auto id = api.Ensure(
            "/api/passwords",
            "passwords",
            {{"organization_id", std::to_string(o.id)}, {"name", s.name}},
            std::move(a),
            &made
        );
        if (!id) return id.status();
        count();
    }

    auto onboarding = api.Ensure(
        "/api/documents",
        "documents",
        {{"organization_id", std::to_string(orgs[0].id)}, {"name", "Onboarding a new employee"}},
        {{"organization-id", orgs[0].id},
         {"name", "Onboarding a new employee"},
         {"content",
          std::string("<h2>Before day one</h2><ol><li>Create the account in Microsoft 365 and add the licence.</li>"
                      "<li>Add the user to the <strong>Staff</strong> group.</li><li>Prepare a laptop from the "
                      "standard image.</li></ol><h2>On day one</h2><p>Walk through MFA enrolment and the Wi-Fi.</p>")}},
        &made
    );
    if (!onboarding) return onboarding.status();
    count();
    if (made) {
        auto published = api.Send("PATCH", "/api/documents/" + std::to_string(*onboarding) + "/publish", "", 200);
        if (!published) return published.status();
    }
    auto network = api.Ensure(
        "/api/documents",
        "documents",
        {{"organization_id", std::to_string(orgs[1 % orgs.size()].id)}, {"name", "Network overview"}},
        {{"organization-id", orgs[1 % orgs.size()].id},
         {"name", "Network overview"},
         {"content",
          std::string("<p>One site-to-site VPN between the head office and the warehouse. VLAN 10 staff, "
                      "VLAN 20 guests, VLAN 30 printers.</p>")}},
        &made
    );
    if (!network) return network.status();
    count();
    auto policy = api.Ensure(
        "/api/documents",
        "documents",
        {{"name", "Escalation policy"}},
        {{"name", "Escalation policy"},
         {"content",
          std::string("<p>P1: phone the on-call engineer at once. P2: within four hours. P3: next business day.</p>")}},
        &made
    );
    if (!policy) return policy.status();
    count();

    const Arr template_items{
        json::Value(Obj{{"name", "Create the Microsoft 365 account"}}),
        json::Value(Obj{{"name", "Assign a laptop"}}),
        json::Value(Obj{{"name", "Enrol MFA"}}),
        json::Value(Obj{{"name", "Add to the staff Wi-Fi"}})};
    auto tmpl = api.Ensure(
        "/api/checklist_templates",
        "checklist-templates",
        {{"name", "New employee"}},
        {{"name", "New employee"},
         {"description", "Everything a new starter needs"},
         {"items", json::Value(template_items)}},
        &made
    );
    if (!tmpl) return tmpl.status();
    count();
    auto checklist = api.Ensure(
        "/api/checklists",
        "checklists",
        {{"organization_id", std::to_string(orgs[0].id)}, {"name", "New employee: Jordan Lee"}},
        {{"organization-id", orgs[0].id},
         {"name", "New employee: Jordan Lee"},
         {"checklist-template-id", *tmpl},
         {"items", json::Value(template_items)}},
        &made
    );
    if (!checklist) return checklist.status();
    count();
    if (made) {
        auto done = api.Send("PATCH", "/api/checklists/" + std::to_string(*checklist) + "/items/1/complete", "", 200);
        if (!done) return done.status();
    }

    auto wifi = api.Ensure(
        "/api/flexible_asset_types",
        "flexible-asset-types",
        {{"name", "Wi-Fi"}},
        {{"name", "Wi-Fi"},
         {"description", "Wireless networks"},
         {"icon", "wifi"},
         {"enabled", true},
         {"show-in-menu", true},
         {"fields",
          json::Value(Arr{
              json::Value(Obj{
                  {"order", 1}, {"name", "SSID"}, {"kind", "Text"}, {"required", true}, {"use-for-title", true}}),
              json::Value(Obj{{"order", 2}, {"name", "VLAN"}, {"kind", "Number"}, {"decimals", 0}}),
              json::Value(Obj{{"order", 3}, {"name", "Band"}, {"kind", "Select"}, {"default-value", "2.4 GHz\n5 GHz"}}),
              json::Value(Obj{{"order", 4}, {"name", "Guest Network"}, {"kind", "Checkbox"}}),
              json::Value(Obj{{"order", 5}, {"name", "Notes"}, {"kind", "Textbox"}})})}},
        &made
    );
    if (!wifi) return wifi.status();
    count();
    struct WifiSpec {
        size_t org;
        const char* ssid;
        int64_t vlan;
        bool guest;
    };
    for (const WifiSpec& w :
         {WifiSpec{0, "Staff", 10, false},
          WifiSpec{0, "Guests", 20, true},
          WifiSpec{1, "Warehouse", 10, false},
          WifiSpec{2, "Clinic", 10, false}}) {
        const Org& o = orgs[w.org % orgs.size()];
        auto asset = api.Ensure(
            "/api/flexible_assets",
            "flexible-assets",
            {{"flexible_asset_type_id", std::to_string(*wifi)},
             {"organization_id", std::to_string(o.id)},
             {"name", w.ssid}},
            {{"organization-id", o.id},
             {"flexible-asset-type-id", *wifi},
             {"traits",
              json::Value(Obj{
                  {"ssid", std::string(w.ssid)},
                  {"vlan", w.vlan},
                  {"band", std::string("5 GHz")},
                  {"guest-network", w.guest},
                  {"notes", std::string("WPA3, key in the passwords")}})}},
            &made
        );
        if (!asset) return asset.status();
        count();
    }
    return created;
}

}  // namespace

Result<Simulators> Simulators::Start() {
    Simulators s;
    for (auto [vendor, slot] : {std::pair{"autotask", &s.autotask}, std::pair{"uniview", &s.uniview}}) {
        sim::SimOptions o;
        o.data = sim::DemoDatasetOptions();
        o.profile = std::string(sim::kDemoProfile);
        o.rate_limit = 0;
        // Backups of the last days, up to the hour the demo starts.
        o.backups_until_ms = Clock::Real().NowMillis() / 3'600'000 * 3'600'000;
        auto made = sim::Simulator::Create(vendor, o);
        if (!made) return made.status();
        MORTAR_RETURN_IF_ERROR((*made)->Start("127.0.0.1", 0));
        (*made)->ServeInBackground();
        *slot = std::move(*made);
    }
    return s;
}

void Simulators::Stop() {
    if (autotask) autotask->Stop();
    if (uniview) uniview->Stop();
}

Status RemoveStore(const std::string& data_dir) {
    for (const char* name : {"mortar.db", "mortar.db-wal", "mortar.db-shm", "master.key"}) {
        std::error_code ec;
        std::filesystem::remove(std::filesystem::path(data_dir) / name, ec);
        if (ec)
            return Status::Unavailable(
                "cannot remove " + (std::filesystem::path(data_dir) / name).string() + ": " + ec.message()
            );
    }
    return Status::Ok();
}

std::string GeneratePassword() {
    return RandomText(20);
}

Status Setup(db::Database& db, Simulators& sims, const SetupOptions& options) {
    auto key = auth::CreateApiKey(db, "", "mortar demo setup", true, Clock::Real());
    if (!key) return key.status();
    // The setup key lives only while the demo sets itself up.
    struct Revoke {
        db::Database& db;
        std::string prefix;
        ~Revoke() {
            if (Status s = auth::RevokeApiKey(db, prefix, Clock::Real()); !s.ok()) {
                log::warn("demo: could not revoke the setup key: {}", s.message());
            }
        }
    } revoke{db, key->substr(0, 20)};
    Api api(options.base_url, *key, options.stopping);
    const auto started = std::chrono::steady_clock::now();

    auto autotask = EnsureIntegration(api, "autotask", kAutotaskName, *sims.autotask);
    if (!autotask) return autotask.status();
    auto status = SyncAndWait(api, *autotask);
    if (!status) return status.status();
    if (*status != "ok") return Status::Internal("the Autotask sync ended " + *status);
    log::info("demo: Autotask synced");

    std::vector<Org> orgs;
    for (int64_t company : {1, 2, 3}) {
        const std::string name = sims.autotask->data().Get(sim::Kind::kCompany, company)->name;
        auto found = api.Find("/api/organizations", {{"name", name}});
        if (!found) return found.status();
        if (!found->has_value()) return Status::Internal("the sync did not create the organization " + name);
        orgs.push_back(Org{IdOf(**found), name});
    }
    int interfaces = 0;
    MORTAR_RETURN_IF_ERROR(EnsureInterfaces(api, sims.autotask->data(), interfaces));
    auto people = EnsurePeople(api, options.password, {orgs[0].id, orgs[1].id});
    if (!people) return people.status();
    auto documentation = EnsureDocumentation(api, orgs, *people);
    if (!documentation) return documentation.status();

    // UniView last: its customers and assets are matched against what the PSA brought.
    auto uniview = EnsureIntegration(api, "uniview", kUniViewName, *sims.uniview);
    if (!uniview) return uniview.status();
    auto uniview_status = SyncAndWait(api, *uniview);
    if (!uniview_status) return uniview_status.status();
    if (*uniview_status != "ok") return Status::Internal("the UniView sync ended " + *uniview_status);
    log::info("demo: UniView synced");
    const auto seconds =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count() /
        1000.0;
    log::info(
        "demo: set up in {:.1f} s ({} interfaces and {} documentation records created)",
        seconds,
        interfaces,
        *documentation
    );

    std::FILE* out = options.out;
    std::fprintf(out, "\nMortar demo: %s\n", options.base_url.c_str());
    if (options.print_password) {
        std::fprintf(out, "  sign in as %s with password %s\n", kAdminEmail, options.password.c_str());
    } else {
        std::fprintf(out, "  sign in as %s with the password read from stdin\n", kAdminEmail);
    }
    std::fprintf(out, "  Autotask simulator: %s (synced)\n", sims.autotask->base_url().c_str());
    std::fprintf(out, "  UniView simulator:  %s (synced)\n", sims.uniview->base_url().c_str());
    std::fprintf(out, "  press Ctrl-C to stop\n%s\n", kReadyLine);
    std::fflush(out);
    return Status::Ok();
}

}  // namespace mortar::demo
