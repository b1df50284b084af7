// SPDX-License-Identifier: AGPL-3.0-or-later
// The Autotask PSA REST simulator (CONNECTORS.md 1 and 5.1).
#include <atomic>
#include <functional>
#include <map>
#include <thread>

#include "core/clock.hpp"
#include "core/json.hpp"
#include "core/json_writer.hpp"
#include "core/strings.hpp"
#include "net/url.hpp"
#include "sim/fields.hpp"
#include "sim/simulator.hpp"

namespace mortar::sim {

namespace {

constexpr std::string_view kUser = "api-user@mortar-sim.test";
constexpr std::string_view kSecret = "sim-autotask-secret";
constexpr std::string_view kIntegrationCode = "MORTARSIMINTEGRATION";
constexpr int64_t kMaxRecords = 500;
constexpr int kMaxOrConditions = 500;
constexpr int kMaxConcurrent = 3;

enum class Entity { kCompanies, kLocations, kContacts, kItems, kItemTypes, kItemCategories };

struct EntityInfo {
    Entity entity;
    std::string_view name;
    bool lookup;  // served from a fixed table, not the dataset
    Kind kind;
};

constexpr EntityInfo kEntities[] = {
    {Entity::kCompanies, "Companies", false, Kind::kCompany},
    {Entity::kLocations, "CompanyLocations", false, Kind::kSite},
    {Entity::kContacts, "Contacts", false, Kind::kContact},
    {Entity::kItems, "ConfigurationItems", false, Kind::kConfiguration},
    {Entity::kItemTypes, "ConfigurationItemTypes", true, Kind::kConfiguration},
    {Entity::kItemCategories, "ConfigurationItemCategories", true, Kind::kConfiguration},
};

const EntityInfo* FindEntity(std::string_view name) {
    for (const auto& e : kEntities) {
        if (IEquals(e.name, name)) return &e;
    }
    return nullptr;
}

const std::vector<Lookup>& Categories() {
    static const std::vector<Lookup> t{
        {1, "Standard", true}, {2, "Network Devices", true}, {3, "Managed Devices", true}};
    return t;
}

std::string Ts(int64_t ms) {
    return FormatTimestamp(ms);
}

Val TsOrNull(int64_t ms) {
    return ms == 0 ? Val(Null{}) : Val(Ts(ms));
}

Val Text(const std::string& s) {
    return Val(s);
}

Fields Render(const Record& r) {
    Fields f;
    f.items.reserve(32);
    f.Add("id", r.id);
    switch (r.kind) {
        case Kind::kCompany:
            f.Add("companyName", Text(r.name));
            f.Add("companyNumber", Text(r.number));
            f.Add("companyType", int64_t{r.type_id});
            f.Add("isActive", r.active);
            f.Add("parentCompanyID", Null{});
            f.Add("ownerResourceID", int64_t{29682885});
            f.Add("phone", Text(r.phone));
            f.Add("address1", Text(r.address1));
            f.Add("address2", Text(r.address2));
            f.Add("city", Text(r.city));
            f.Add("state", Text(r.state));
            f.Add("postalCode", Text(r.postal_code));
            f.Add("countryID", int64_t{237});
            f.Add("webAddress", Text(r.website));
            f.Add("createDate", Ts(r.created_ms));
            f.Add("lastActivityDate", Ts(r.updated_ms));
            f.Add("lastTrackedModifiedDateTime", Ts(r.updated_ms));
            f.Add("userDefinedFields", RawJson{"[]"});
            break;
        case Kind::kSite:
            f.Add("companyID", r.company_id);
            f.Add("name", Text(r.name));
            f.Add("isPrimary", r.primary);
            f.Add("isActive", r.active);
            f.Add("address1", Text(r.address1));
            f.Add("address2", Text(r.address2));
            f.Add("city", Text(r.city));
            f.Add("state", Text(r.state));
            f.Add("postalCode", Text(r.postal_code));
            f.Add("countryID", int64_t{237});
            f.Add("phone", Text(r.phone));
            break;
        case Kind::kContact:
            f.Add("companyID", r.company_id);
            f.AddId("companyLocationID", r.site_id);
            f.Add("firstName", Text(r.first_name));
            f.Add("lastName", Text(r.last_name));
            f.Add("title", Text(r.title));
            f.Add("emailAddress", Text(r.email));
            f.Add("emailAddress2", Text(""));
            f.Add("emailAddress3", Text(""));
            f.Add("phone", Text(r.phone));
            f.Add("mobilePhone", Text(r.mobile));
            f.Add("isActive", int64_t{r.active ? 1 : 0});
            f.Add("primaryContact", false);
            f.Add("externalID", Text(""));
            f.Add("createDate", Ts(r.created_ms));
            f.Add("lastActivityDate", Ts(r.updated_ms));
            f.Add("lastModifiedDate", Ts(r.updated_ms));
            break;
        case Kind::kConfiguration: {
            f.Add("companyID", r.company_id);
            f.Add("productID", int64_t{29682000 + r.type_id});
            f.AddId("companyLocationID", r.site_id);
            f.AddId("contactID", r.contact_id);
            f.Add("configurationItemType", int64_t{r.type_id});
            f.Add("configurationItemCategoryID", int64_t{r.type_id == 4 || r.type_id == 5 ? 2 : 1});
            f.Add("isActive", r.active);
            f.Add("referenceTitle", Text(r.name));
            f.Add("referenceNumber", Text(r.asset_tag));
            f.Add("serialNumber", Text(r.serial));
            f.Add("installDate", TsOrNull(r.install_ms));
            f.Add("warrantyExpirationDate", TsOrNull(r.warranty_ms));
            f.Add("createDate", Ts(r.created_ms));
            f.Add("lastModifiedTime", Ts(r.updated_ms));
            f.Add("location", Text(""));
            f.Add("notes", Text(""));
            f.Add("parentConfigurationItemID", Null{});
            f.Add("rmmDeviceAuditHostname", Text(r.name));
            f.Add("rmmDeviceAuditIPAddress", Text(r.ip));
            f.Add("rmmDeviceAuditMacAddress", Text(r.mac2.empty() ? r.mac : "[" + r.mac + ", " + r.mac2 + "]"));
            f.Add("rmmDeviceAuditOperatingSystem", Text(r.os));
            f.Add("rmmDeviceAuditManufacturerID", int64_t{r.manufacturer_id});
            f.Add("userDefinedFields", RawJson{"[]"});
            break;
        }
    }
    return f;
}

Fields RenderLookup(const Lookup& l) {
    Fields f;
    f.Add("id", int64_t{l.id});
    f.Add("name", l.name);
    f.Add("isActive", l.active);
    return f;
}

// A compiled filter condition.
using Pred = std::function<bool(const Fields&)>;

Val ToVal(const json::Value& v) {
    switch (v.kind()) {
        case json::Value::Kind::kBool:
            return v.as_bool();
        case json::Value::Kind::kInt:
            return v.as_int();
        case json::Value::Kind::kDouble:
            return std::to_string(v.as_double());
        case json::Value::Kind::kString:
            return v.as_string();
        default:
            return Null{};
    }
}

Result<Pred> Compile(const json::Value& cond, int& or_count, int depth);

Result<Pred> CompileGroup(const json::Value::Array& items, bool is_or, int& or_count, int depth) {
    std::vector<Pred> parts;
    for (const auto& item : items) {
        auto p = Compile(item, or_count, depth + 1);
        if (!p.ok()) return p.status();
        parts.push_back(std::move(*p));
    }
    if (is_or) or_count += static_cast<int>(items.size());
    if (or_count > kMaxOrConditions) {
        return Status::InvalidArgument("Invalid query syntax. Queries are limited to 500 or fewer 'OR' conditions.");
    }
    return Pred([parts = std::move(parts), is_or](const Fields& f) {
        for (const auto& p : parts) {
            if (p(f) == is_or) return is_or;
        }
        return !is_or;
    });
}

Result<Pred> Compile(const json::Value& cond, int& or_count, int depth) {
    if (depth > 16) return Status::InvalidArgument("filter nested too deeply");
    if (!cond.is_object()) return Status::InvalidArgument("Each filter condition must be an object.");
    const json::Value* op_v = cond.Find("op");
    if (op_v == nullptr || !op_v->is_string()) return Status::InvalidArgument("A filter condition needs an 'op'.");
    const std::string op = ToLower(op_v->as_string());
    if (op == "and" || op == "or") {
        const json::Value* items = cond.Find("items");
        if (items == nullptr || !items->is_array()) return Status::InvalidArgument("'" + op + "' needs 'items'.");
        return CompileGroup(items->as_array(), op == "or", or_count, depth);
    }
    const json::Value* field_v = cond.Find("field");
    if (field_v == nullptr || !field_v->is_string() || field_v->as_string().empty()) {
        return Status::InvalidArgument("A filter condition needs a 'field'.");
    }
    const std::string field = field_v->as_string();
    const json::Value* udf = cond.Find("udf");
    const bool is_udf = udf != nullptr && udf->is_bool() && udf->as_bool();
    if (op == "exist" || op == "notexist") {
        const bool want = op == "exist";
        return Pred([field, want, is_udf](const Fields& f) {
            if (is_udf) return !want;  // no user-defined fields are set
            const Val* v = f.Find(field);
            const bool present = v != nullptr && !std::holds_alternative<Null>(*v) &&
                                 !(std::holds_alternative<std::string>(*v) && std::get<std::string>(*v).empty());
            return present == want;
        });
    }
    const json::Value* value = cond.Find("value");
    if (value == nullptr || value->is_null()) {
        return Status::InvalidArgument("The filter on '" + field + "' needs a non-null 'value'.");
    }
    if (op == "in" || op == "notin") {
        if (!value->is_array()) return Status::InvalidArgument("'" + op + "' needs an array 'value'.");
        std::vector<Val> values;
        for (const auto& v : value->as_array()) values.push_back(ToVal(v));
        const bool want = op == "in";
        return Pred([field, values, want, is_udf](const Fields& f) {
            const Val* v = is_udf ? nullptr : f.Find(field);
            if (v == nullptr) return !want;
            for (const auto& x : values) {
                if (Compare(*v, x) == 0) return want;
            }
            return !want;
        });
    }
    static const std::map<std::string, int> kOps{
        {"eq", 0},
        {"noteq", 1},
        {"gt", 2},
        {"gte", 3},
        {"lt", 4},
        {"lte", 5},
        {"beginswith", 6},
        {"endswith", 7},
        {"contains", 8}};
    auto it = kOps.find(op);
    if (it == kOps.end()) return Status::InvalidArgument("Unknown filter operator '" + op_v->as_string() + "'.");
    const int code = it->second;
    const Val want = ToVal(*value);
    return Pred([field, want, code, is_udf](const Fields& f) {
        const Val* v = is_udf ? nullptr : f.Find(field);
        if (v == nullptr) return code == 1;
        if (code >= 6) {
            const std::string a = TextOf(*v), b = TextOf(want);
            return code == 6 ? IStartsWith(a, b) : code == 7 ? IEndsWith(a, b) : IContains(a, b);
        }
        auto c = Compare(*v, want);
        if (!c) return code == 1;
        switch (code) {
            case 0:
                return *c == 0;
            case 1:
                return *c != 0;
            case 2:
                return *c > 0;
            case 3:
                return *c >= 0;
            case 4:
                return *c < 0;
            default:
                return *c <= 0;
        }
    });
}

struct Query {
    Pred pred;
    std::string signature;
    int64_t max_records = kMaxRecords;
    std::vector<std::string> include_fields;
};

Result<Query> ParseQuery(std::string_view text) {
    auto doc = json::Parse(text);
    if (!doc.ok() || !doc->is_object()) return Status::InvalidArgument("The query is not a valid JSON object.");
    Query q;
    const json::Value* filter = nullptr;
    for (const auto& [k, v] : doc->as_object()) {
        if (IEquals(k, "filter")) filter = &v;
        if (IEquals(k, "MaxRecords")) {
            if (!v.is_int() || v.as_int() < 1 || v.as_int() > kMaxRecords) {
                return Status::InvalidArgument("MaxRecords must be between 1 and 500.");
            }
            q.max_records = v.as_int();
        }
        if (IEquals(k, "IncludeFields")) {
            if (!v.is_array()) return Status::InvalidArgument("IncludeFields must be an array.");
            for (const auto& f : v.as_array()) {
                if (f.is_string()) q.include_fields.push_back(f.as_string());
            }
        }
    }
    if (filter == nullptr || !filter->is_array() || filter->as_array().empty()) {
        return Status::InvalidArgument("A query requires a filter.");
    }
    int or_count = 0;
    auto pred = CompileGroup(filter->as_array(), false, or_count, 0);
    if (!pred.ok()) return pred.status();
    q.pred = std::move(*pred);
    q.signature = filter->Dump();
    return q;
}

class AutotaskSimulator final : public Simulator {
public:
    explicit AutotaskSimulator(SimOptions options) : Simulator(Defaults(std::move(options))) {}

    std::string_view vendor() const override { return "autotask"; }

    void MoveZone() override { ++zone_; }

    std::vector<std::pair<std::string, std::string>> Credentials() const override {
        return {
            {"zone_lookup_url", base_url() + "/ATServicesRest/V1.0/zoneInformation"},
            {"username", std::string(kUser)},
            {"secret", std::string(kSecret)},
            {"integration_code", std::string(kIntegrationCode)},
        };
    }

protected:
    http::Response Error(int status, std::string_view message) const override {
        json::Writer w;
        w.BeginObject();
        w.Key("errors");
        w.BeginArray();
        w.String(message);
        w.EndArray();
        w.EndObject();
        return JsonResponse(status, w.Take());
    }

    http::Response HandleApi(http::Request& req) override {
        // Strip the zone (or discovery) prefix and the version, case-insensitively.
        std::string_view path = req.path;
        if (IStartsWith(path, "/atsim-zone")) {
            // A zone path: only the tenant's current zone answers; the others refuse (as
            // after a tenant moved), so connectors must discover the zone again.
            const std::string current = ZonePath();
            if (!IStartsWith(path, current)) {
                return Error(401, "Authorization has been denied for this request.");
            }
            path.remove_prefix(current.size());
        } else if (IStartsWith(path, "/ATServicesRest/")) {
            path.remove_prefix(std::string_view("/ATServicesRest/").size());
        } else {
            return Error(404, "No HTTP resource was found that matches the request URI.");
        }
        if (!IStartsWith(path, "v1.0/")) return Error(404, "No HTTP resource was found that matches the request URI.");
        path.remove_prefix(5);
        std::vector<std::string_view> seg;
        for (auto s : Split(path, '/')) {
            if (!s.empty()) seg.push_back(s);
        }
        if (seg.size() == 1 && IEquals(seg[0], "zoneInformation")) return Zone(req);
        if (auto denied = Authenticate(req)) return std::move(*denied);
        int64_t retry_after = 0;
        auto used = CountRate(retry_after);
        if (!used) {
            auto r =
                Error(429, "API request threshold of " + std::to_string(options_.rate_limit) + " requests exceeded");
            r.SetHeader("Retry-After", std::to_string(retry_after));
            return r;
        }
        // Added latency, as the service does at 50% and 75% of its budget.
        if (*used >= 0.75) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1000));
        } else if (*used >= 0.5) {
            std::this_thread::sleep_for(std::chrono::milliseconds(500));
        }
        if (seg.size() == 1 && IEquals(seg[0], "ThresholdInformation") && req.method == http::Method::kGet) {
            return Threshold();
        }
        if (seg.empty()) return Error(404, "No HTTP resource was found that matches the request URI.");
        const EntityInfo* entity = FindEntity(seg[0]);
        if (entity == nullptr) return Error(404, "No HTTP resource was found that matches the request URI.");
        // The thread limit: 3 concurrent requests per (integration code, entity).
        const std::string slot = ToLower(req.Header("apiintegrationcode")) + "|" + std::string(entity->name);
        {
            std::lock_guard lock(mu_);
            if (in_flight_[slot] >= kMaxConcurrent) {
                return Error(429, "Thread limit of 3 concurrent requests per integration and entity exceeded");
            }
            ++in_flight_[slot];
        }
        http::Response resp = Route(req, *entity, seg);
        std::lock_guard lock(mu_);
        --in_flight_[slot];
        return resp;
    }

private:
    static SimOptions Defaults(SimOptions o) {
        if (o.rate_limit < 0) o.rate_limit = 10000;
        if (o.rate_window_s < 0) o.rate_window_s = 3600;
        return o;
    }

    std::string ZonePath() const { return "/atsim-zone" + std::to_string(zone_.load()) + "/ATServicesRest/"; }
    std::string ZoneUrl() const { return base_url() + ZonePath(); }

    http::Response Zone(http::Request& req) {
        auto user = net::FormValue(net::DecodeForm(req.query), "user");
        if (!user || !IEquals(*user, kUser)) return Error(500, "Zone information could not be determined");
        json::Writer w;
        w.BeginObject();
        w.Key("zoneName");
        w.String("Simulated Zone " + std::to_string(zone_.load()));
        w.Key("url");
        w.String(ZoneUrl());
        w.Key("webUrl");
        w.String(base_url() + "/");
        w.Key("ci");
        w.Int(0);
        w.EndObject();
        return JsonResponse(200, w.Take());
    }

    std::optional<http::Response> Authenticate(const http::Request& req) {
        const std::string_view user = req.Header("username");
        const std::string_view secret = req.Header("secret");
        const std::string_view code = req.Header("apiintegrationcode");
        if (user.empty() || !IEquals(user, kUser)) {
            return Error(500, "Unable to find the resource for user name '" + std::string(user) + "'.");
        }
        if (code != kIntegrationCode) return Error(500, "IntegrationCode is invalid.");
        if (secret != kSecret || BadCredentials()) return Error(401, "Authorization has been denied for this request.");
        return std::nullopt;
    }

    http::Response Threshold() {
        json::Writer w;
        w.BeginObject();
        w.Key("externalRequestThreshold");
        w.Int(options_.rate_limit);
        w.Key("requestThresholdTimeframe");
        w.Int(options_.rate_window_s / 60);
        w.Key("currentTimeframeRequestCount");
        w.Int(RateWindowCount());
        w.EndObject();
        return JsonResponse(200, w.Take());
    }

    // Every record of an entity, as rendered fields, for ids in `ids`.
    std::optional<Fields> Load(const EntityInfo& e, int64_t id) const {
        if (e.lookup) {
            const auto& table = e.entity == Entity::kItemTypes ? ConfigurationTypes() : Categories();
            for (const auto& l : table) {
                if (l.id == id) return RenderLookup(l);
            }
            return std::nullopt;
        }
        auto r = data_.Get(e.kind, id);
        if (!r) return std::nullopt;
        return Render(*r);
    }

    std::shared_ptr<const std::vector<int64_t>> Ids(const EntityInfo& e, const Query& q) const {
        if (e.lookup) {
            auto ids = std::make_shared<std::vector<int64_t>>();
            const auto& table = e.entity == Entity::kItemTypes ? ConfigurationTypes() : Categories();
            for (const auto& l : table) {
                if (q.pred(RenderLookup(l))) ids->push_back(l.id);
            }
            return ids;
        }
        const Pred pred = q.pred;
        return data_.Matching(e.kind, "autotask|" + q.signature, [pred](const Record& r) { return pred(Render(r)); });
    }

    http::Response Route(http::Request& req, const EntityInfo& e, const std::vector<std::string_view>& seg) {
        const bool is_get = req.method == http::Method::kGet;
        const bool is_post = req.method == http::Method::kPost;
        if (seg.size() >= 2 && IEquals(seg[1], "query")) {
            const bool count = seg.size() == 3 && IEquals(seg[2], "count");
            const bool next = seg.size() == 3 && IEquals(seg[2], "next");
            if (seg.size() > 3 || (seg.size() == 3 && !count && !next)) return Error(404, "No such route.");
            const auto form = net::DecodeForm(req.query);
            int64_t after = -1;
            if (next) {
                // The token says how the query started; the other method is refused.
                auto paging = net::FormValue(form, "paging");
                auto token = paging ? json::Parse(*paging) : Result<json::Value>(Status::InvalidArgument(""));
                const json::Value* last = token.ok() && token->is_object() ? token->Find("lastId") : nullptr;
                const json::Value* method = token.ok() && token->is_object() ? token->Find("m") : nullptr;
                if (last == nullptr || !last->is_int() || method == nullptr || !method->is_string()) {
                    return Error(500, "The paging token is invalid.");
                }
                if (method->as_string() != (is_post ? "POST" : "GET")) {
                    return Error(
                        405,
                        "The requested resource does not support http method '" +
                            std::string(http::MethodName(req.method)) + "'."
                    );
                }
                after = last->as_int();
            }
            std::string text;
            if (is_post) {
                text = req.body;
            } else if (is_get) {
                text = net::FormValue(form, "search").value_or("");
            } else {
                return Error(
                    405,
                    "The requested resource does not support http method '" +
                        std::string(http::MethodName(req.method)) + "'."
                );
            }
            auto q = ParseQuery(text);
            if (!q.ok()) return Error(500, q.status().message());
            if (count) {
                auto ids = Ids(e, *q);
                return JsonResponse(200, "{\"queryCount\":" + std::to_string(ids->size()) + "}");
            }
            return Page(e, *q, after, is_post ? std::string() : text);
        }
        if (seg.size() == 3 && IEquals(seg[1], "entityInformation") && IEquals(seg[2], "fields") && is_get) {
            return EntityFields(e);
        }
        if (seg.size() == 2 && is_get) {
            auto id = ParseInt64(seg[1]);
            if (!id) return Error(404, "No such route.");
            auto f = Load(e, *id);
            json::Writer w;
            w.BeginObject();
            w.Key("item");
            if (f) {
                WriteFields(w, *f, {});
            } else {
                w.Null();
            }
            w.EndObject();
            return JsonResponse(200, w.Take());
        }
        if ((seg.size() == 1 || (seg.size() == 3 && e.entity == Entity::kCompanies)) &&
            (is_post || req.method == http::Method::kPatch)) {
            return Write(req, e, seg);
        }
        return Error(405, "The requested resource does not support this method.");
    }

    static void WriteFields(json::Writer& w, const Fields& f, const std::vector<std::string>& include) {
        w.BeginObject();
        for (const auto& [k, v] : f.items) {
            if (!include.empty() && k != "id") {
                bool wanted = false;
                for (const auto& i : include) wanted = wanted || IEquals(i, k);
                if (!wanted) continue;
            }
            w.Key(k);
            WriteVal(w, v);
        }
        w.EndObject();
    }

    http::Response Page(const EntityInfo& e, const Query& q, int64_t after, const std::string& search) {
        auto ids = Ids(e, q);
        auto it = std::upper_bound(ids->begin(), ids->end(), after);
        json::Writer w;
        w.Reserve(static_cast<size_t>(q.max_records) * 900);
        w.BeginObject();
        w.Key("items");
        w.BeginArray();
        int64_t count = 0;
        int64_t last_id = after;
        for (; it != ids->end() && count < q.max_records; ++it) {
            auto f = Load(e, *it);
            if (!f) continue;  // deleted since the list was built
            WriteFields(w, *f, q.include_fields);
            last_id = *it;
            ++count;
        }
        w.EndArray();
        w.Key("pageDetails");
        w.BeginObject();
        w.Key("count");
        w.Int(count);
        w.Key("requestCount");
        w.Int(q.max_records);
        w.Key("prevPageUrl");
        w.Null();
        w.Key("nextPageUrl");
        if (it != ids->end()) {
            const std::string token = "{\"pageSize\":" + std::to_string(q.max_records) +
                                      ",\"lastId\":" + std::to_string(last_id) + ",\"m\":\"" +
                                      (search.empty() ? "POST" : "GET") + "\"}";
            std::string url = ZoneUrl() + "V1.0/" + std::string(e.name) + "/query/next?paging=" + net::UrlEncode(token);
            if (!search.empty()) url += "&search=" + net::UrlEncode(search);
            w.String(url);
        } else {
            w.Null();
        }
        w.EndObject();
        w.EndObject();
        if (!e.lookup) OnListPage(e.kind);
        return JsonResponse(200, w.Take());
    }

    http::Response EntityFields(const EntityInfo& e) {
        json::Writer w;
        w.BeginObject();
        w.Key("fields");
        w.BeginArray();
        auto picklist = [&](std::string_view name, const std::vector<Lookup>& table) {
            w.BeginObject();
            w.Key("name");
            w.String(name);
            w.Key("dataType");
            w.String("integer");
            w.Key("isPickList");
            w.Bool(true);
            w.Key("picklistValues");
            w.BeginArray();
            int order = 0;
            for (const auto& l : table) {
                w.BeginObject();
                w.Key("value");
                w.String(std::to_string(l.id));
                w.Key("label");
                w.String(l.name);
                w.Key("isDefaultValue");
                w.Bool(false);
                w.Key("sortOrder");
                w.Int(order++);
                w.Key("parentValue");
                w.Null();
                w.Key("isActive");
                w.Bool(l.active);
                w.Key("isSystem");
                w.Bool(false);
                w.EndObject();
            }
            w.EndArray();
            w.EndObject();
        };
        if (e.entity == Entity::kItems) {
            picklist("configurationItemType", ConfigurationTypes());
            picklist("configurationItemCategoryID", Categories());
        } else if (e.entity == Entity::kCompanies) {
            picklist("companyType", CompanyTypes());
        }
        w.EndArray();
        w.EndObject();
        return JsonResponse(200, w.Take());
    }

    // POST creates, PATCH updates (id in the body); Companies/{id}/Contacts|Locations
    // create children.
    http::Response Write(http::Request& req, const EntityInfo& e, const std::vector<std::string_view>& seg) {
        if (e.lookup) return Error(405, "This entity is read-only.");
        auto body = json::Parse(req.body);
        if (!body.ok() || !body->is_object()) return Error(500, "The request body is not a valid JSON object.");
        Kind kind = e.kind;
        int64_t parent = 0;
        if (seg.size() == 3) {
            parent = ParseInt64(seg[1]).value_or(0);
            if (IEquals(seg[2], "Contacts")) {
                kind = Kind::kContact;
            } else if (IEquals(seg[2], "Locations")) {
                kind = Kind::kSite;
            } else {
                return Error(404, "No such route.");
            }
            if (!data_.Get(Kind::kCompany, parent))
                return Error(500, "Company " + std::to_string(parent) + " not found.");
        }
        json::Value::Object set;
        for (const auto& [k, v] : body->as_object()) {
            static const std::map<std::string, std::string> kMap{
                {"companyname", "name"},
                {"referencetitle", "name"},
                {"name", "name"},
                {"firstname", "first_name"},
                {"lastname", "last_name"},
                {"emailaddress", "email"},
                {"phone", "phone"},
                {"serialnumber", "serial"},
                {"companyid", "company_id"},
                {"configurationitemtype", "type_id"},
                {"companytype", "type_id"},
                {"city", "city"}};
            auto m = kMap.find(ToLower(k));
            if (m == kMap.end()) continue;
            if (m->second == "type_id" || m->second == "company_id") {
                if (!v.is_int()) return Error(500, "Field " + k + " must be an integer.");
            } else if (!v.is_string()) {
                return Error(500, "Field " + k + " must be a string.");
            }
            set.emplace_back(m->second, v);
        }
        if (parent != 0) set.emplace_back("company_id", json::Value(parent));
        const json::Value fields(std::move(set));
        if (req.method == http::Method::kPatch) {
            const json::Value* id = body->Find("id");
            if (id == nullptr || !id->is_int()) return Error(500, "An update needs the id in the body.");
            Status s = data_.Update(kind, id->as_int(), fields, NowMillis());
            if (!s.ok()) return Error(500, s.message());
            return JsonResponse(200, "{\"itemId\":" + std::to_string(id->as_int()) + "}");
        }
        auto id = data_.Add(kind, fields, NowMillis());
        if (!id.ok()) return Error(500, id.status().message());
        return JsonResponse(200, "{\"itemId\":" + std::to_string(*id) + "}");
    }

    std::map<std::string, int> in_flight_;
    std::atomic<int> zone_{1};
};

}  // namespace

std::unique_ptr<Simulator> NewAutotaskSimulator(SimOptions options) {
    return std::make_unique<AutotaskSimulator>(std::move(options));
}

}  // namespace mortar::sim
