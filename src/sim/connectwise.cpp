// SPDX-License-Identifier: AGPL-3.0-or-later
// The ConnectWise Manage REST simulator (CONNECTORS.md 3 and 5.3).
#include <algorithm>
#include <functional>

#include "core/clock.hpp"
#include "core/json.hpp"
#include "core/json_writer.hpp"
#include "core/strings.hpp"
#include "http/router.hpp"
#include "net/transport.hpp"
#include "net/url.hpp"
#include "sim/fields.hpp"
#include "sim/simulator.hpp"

namespace mortar::sim {

namespace {

constexpr std::string_view kCompanyId = "mortarsim";
constexpr std::string_view kPublicKey = "simPublicKey01";
constexpr std::string_view kPrivateKey = "simPrivateKey01";
constexpr std::string_view kClientId = "5b6d4c1e-0f3a-4b8e-9c55-3f0d2a6e7b10";
constexpr std::string_view kCodebase = "v4_6_release/";
constexpr int64_t kDefaultPageSize = 25;
constexpr int64_t kMaxPageSize = 1000;

// CW timestamps have no fraction: 2024-06-02T09:15:40Z.
std::string Ts(int64_t ms) {
    std::string s = FormatTimestamp(ms - ms % 1000);
    return s.substr(0, 19) + "Z";
}

std::string Identifier(const Record& company) {
    std::string id;
    for (char c : company.name) {
        if (std::isalnum(static_cast<unsigned char>(c))) id.push_back(c);
        if (id.size() >= 20) break;
    }
    return id + std::to_string(company.id);
}

// Flat, path-keyed fields for conditions ("company/id", "type/name", "lastUpdated").
Fields Flat(const Record& r, const Record* company) {
    Fields f;
    f.Add("id", r.id);
    f.Add("lastUpdated", Ts(r.updated_ms));
    f.Add("_info/lastUpdated", Ts(r.updated_ms));
    f.Add("_info/dateEntered", Ts(r.created_ms));
    if (company != nullptr) {
        f.Add("company/id", company->id);
        f.Add("company/identifier", Identifier(*company));
        f.Add("company/name", company->name);
    }
    switch (r.kind) {
        case Kind::kCompany:
            f.Add("identifier", Identifier(r));
            f.Add("name", r.name);
            f.Add("status/id", int64_t{r.active ? 1 : 2});
            f.Add("status/name", std::string(r.active ? "Active" : "Inactive"));
            f.Add("types/id", int64_t{r.type_id});
            f.Add("types/name", LookupName(CompanyTypes(), r.type_id));
            f.Add("deletedFlag", !r.active);
            f.Add("city", r.city);
            f.Add("state", r.state);
            f.Add("zip", r.postal_code);
            f.Add("phoneNumber", r.phone);
            break;
        case Kind::kSite:
            f.Add("name", r.name);
            f.Add("inactiveFlag", !r.active);
            f.Add("primaryAddressFlag", r.primary);
            f.Add("city", r.city);
            break;
        case Kind::kContact:
            f.Add("firstName", r.first_name);
            f.Add("lastName", r.last_name);
            f.Add("inactiveFlag", !r.active);
            f.Add("site/id", r.site_id);
            f.Add("title", r.title);
            break;
        case Kind::kConfiguration:
            f.Add("name", r.name);
            f.Add("type/id", int64_t{r.type_id});
            f.Add("type/name", LookupName(ConfigurationTypes(), r.type_id));
            f.Add("status/id", int64_t{r.status_id});
            f.Add("status/name", LookupName(ConfigurationStatuses(), r.status_id));
            f.Add("site/id", r.site_id);
            f.Add("activeFlag", r.active);
            f.Add("serialNumber", r.serial);
            f.Add("macAddress", r.mac);
            f.Add("ipAddress", r.ip);
            f.Add("tagNumber", r.asset_tag);
            break;
    }
    return f;
}

// ---- conditions ----

struct Token {
    enum Type { kIdent, kString, kDate, kNumber, kOp, kLParen, kRParen, kComma, kEnd } type;
    std::string text;
};

Result<std::vector<Token>> Lex(std::string_view s) {
    std::vector<Token> out;
    size_t i = 0;
    while (i < s.size()) {
        const char c = s[i];
        if (c == ' ' || c == '\t') {
            ++i;
        } else if (c == '(') {
            out.push_back({Token::kLParen, "("});
            ++i;
        } else if (c == ')') {
            out.push_back({Token::kRParen, ")"});
            ++i;
        } else if (c == ',') {
            out.push_back({Token::kComma, ","});
            ++i;
        } else if (c == '"') {
            std::string v;
            ++i;
            while (i < s.size() && s[i] != '"') {
                if (s[i] == '\\' && i + 1 < s.size()) ++i;
                v.push_back(s[i++]);
            }
            if (i >= s.size()) return Status::InvalidArgument("unterminated string in conditions");
            ++i;
            out.push_back({Token::kString, v});
        } else if (c == '[') {
            const size_t end = s.find(']', i);
            if (end == std::string_view::npos) return Status::InvalidArgument("unterminated date in conditions");
            out.push_back({Token::kDate, std::string(s.substr(i + 1, end - i - 1))});
            i = end + 1;
        } else if (c == '=' || c == '!' || c == '<' || c == '>') {
            std::string op(1, c);
            if (i + 1 < s.size() && s[i + 1] == '=') op.push_back('=');
            if (op == "!") return Status::InvalidArgument("unknown operator '!' in conditions");
            out.push_back({Token::kOp, op});
            i += op.size();
        } else if (std::isdigit(static_cast<unsigned char>(c)) || c == '-') {
            size_t j = i + 1;
            while (j < s.size() && (std::isdigit(static_cast<unsigned char>(s[j])) || s[j] == '.')) ++j;
            out.push_back({Token::kNumber, std::string(s.substr(i, j - i))});
            i = j;
        } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
            size_t j = i + 1;
            while (j < s.size() &&
                   (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_' || s[j] == '/' || s[j] == '.')) {
                ++j;
            }
            out.push_back({Token::kIdent, std::string(s.substr(i, j - i))});
            i = j;
        } else {
            return Status::InvalidArgument("unexpected character '" + std::string(1, c) + "' in conditions");
        }
    }
    out.push_back({Token::kEnd, ""});
    return out;
}

using Pred = std::function<bool(const Fields&)>;

bool Like(std::string_view text, std::string_view pattern) {
    // '%' matches any run; case-insensitive.
    if (pattern.empty()) return text.empty();
    if (pattern[0] == '%') {
        for (size_t i = 0; i <= text.size(); ++i) {
            if (Like(text.substr(i), pattern.substr(1))) return true;
        }
        return false;
    }
    return !text.empty() &&
           std::tolower(static_cast<unsigned char>(text[0])) == std::tolower(static_cast<unsigned char>(pattern[0])) &&
           Like(text.substr(1), pattern.substr(1));
}

class ConditionParser {
public:
    explicit ConditionParser(std::vector<Token> t) : t_(std::move(t)) {}

    Result<Pred> Parse() {
        auto p = Or();
        if (!p.ok()) return p;
        if (t_[pos_].type != Token::kEnd) return Fail("unexpected '" + t_[pos_].text + "'");
        return p;
    }

private:
    Status Fail(const std::string& why) const { return Status::InvalidArgument("conditions: " + why); }
    bool Keyword(std::string_view k) {
        if (t_[pos_].type == Token::kIdent && IEquals(t_[pos_].text, k)) {
            ++pos_;
            return true;
        }
        return false;
    }

    Result<Pred> Or() {
        auto left = And();
        if (!left.ok()) return left;
        Pred p = std::move(*left);
        while (Keyword("or")) {
            auto right = And();
            if (!right.ok()) return right;
            p = [a = std::move(p), b = std::move(*right)](const Fields& f) { return a(f) || b(f); };
        }
        return p;
    }

    Result<Pred> And() {
        auto left = Term();
        if (!left.ok()) return left;
        Pred p = std::move(*left);
        while (Keyword("and")) {
            auto right = Term();
            if (!right.ok()) return right;
            p = [a = std::move(p), b = std::move(*right)](const Fields& f) { return a(f) && b(f); };
        }
        return p;
    }

    Result<Val> Value() {
        const Token& t = t_[pos_];
        switch (t.type) {
            case Token::kString:
                ++pos_;
                return Val(t.text);
            case Token::kDate: {
                if (!ParseTimestamp(t.text).ok()) return Fail("bad date [" + t.text + "]");
                ++pos_;
                return Val(t.text);
            }
            case Token::kNumber: {
                ++pos_;
                if (auto n = ParseInt64(t.text)) return Val(*n);
                return Val(t.text);
            }
            case Token::kIdent:
                if (IEquals(t.text, "true") || IEquals(t.text, "false")) {
                    ++pos_;
                    return Val(IEquals(t.text, "true"));
                }
                if (IEquals(t.text, "null")) {
                    ++pos_;
                    return Val(Null{});
                }
                return Fail("expected a value, got '" + t.text + "'");
            default:
                return Fail("expected a value");
        }
    }

    Result<Pred> Term() {
        if (t_[pos_].type == Token::kLParen) {
            ++pos_;
            auto inner = Or();
            if (!inner.ok()) return inner;
            if (t_[pos_].type != Token::kRParen) return Fail("missing ')'");
            ++pos_;
            return inner;
        }
        if (t_[pos_].type != Token::kIdent) return Fail("expected a field name");
        std::string field = t_[pos_++].text;
        std::replace(field.begin(), field.end(), '.', '/');
        bool negate = Keyword("not");
        std::string op;
        if (t_[pos_].type == Token::kOp) {
            op = t_[pos_++].text;
        } else if (Keyword("like")) {
            op = "like";
        } else if (Keyword("contains")) {
            op = "contains";
        } else if (Keyword("in")) {
            op = "in";
        } else {
            return Fail("expected an operator after " + field);
        }
        if (op == "in") {
            if (t_[pos_].type != Token::kLParen) return Fail("'in' needs a list");
            ++pos_;
            std::vector<Val> values;
            while (true) {
                auto v = Value();
                if (!v.ok()) return v.status();
                values.push_back(std::move(*v));
                if (t_[pos_].type == Token::kComma) {
                    ++pos_;
                    continue;
                }
                if (t_[pos_].type == Token::kRParen) {
                    ++pos_;
                    break;
                }
                return Fail("bad list");
            }
            return Pred([field, values, negate](const Fields& f) {
                const Val* v = f.Find(field);
                bool hit = false;
                for (const auto& x : values) hit = hit || (v != nullptr && Compare(*v, x) == 0);
                return hit != negate;
            });
        }
        auto value = Value();
        if (!value.ok()) return value.status();
        Val want = std::move(*value);
        return Pred([field, op, want, negate](const Fields& f) {
            const Val* v = f.Find(field);
            bool r = false;
            if (v == nullptr || std::holds_alternative<Null>(*v)) {
                r = (op == "=" && std::holds_alternative<Null>(want)) ||
                    (op == "!=" && !std::holds_alternative<Null>(want));
            } else if (op == "like") {
                r = Like(TextOf(*v), TextOf(want));
            } else if (op == "contains") {
                r = IContains(TextOf(*v), TextOf(want));
            } else {
                auto c = Compare(*v, want);
                if (c) {
                    r = op == "="    ? *c == 0
                        : op == "!=" ? *c != 0
                        : op == "<"  ? *c < 0
                        : op == "<=" ? *c <= 0
                        : op == ">"  ? *c > 0
                                     : *c >= 0;
                } else {
                    r = op == "!=";
                }
            }
            return r != negate;
        });
    }

    std::vector<Token> t_;
    size_t pos_ = 0;
};

Result<Pred> ParseConditions(std::string_view text) {
    if (Trim(text).empty()) return Pred([](const Fields&) { return true; });
    auto tokens = Lex(text);
    if (!tokens.ok()) return tokens.status();
    return ConditionParser(std::move(*tokens)).Parse();
}

class ConnectWiseSimulator final : public Simulator {
public:
    explicit ConnectWiseSimulator(SimOptions options) : Simulator(Defaults(std::move(options))) { Routes(); }

    std::string_view vendor() const override { return "connectwise"; }

    std::vector<std::pair<std::string, std::string>> Credentials() const override {
        return {
            {"site_url", base_url()},
            {"company_id", std::string(kCompanyId)},
            {"public_key", std::string(kPublicKey)},
            {"private_key", std::string(kPrivateKey)},
            {"client_id", std::string(kClientId)},
        };
    }

protected:
    http::Response Error(int status, std::string_view message) const override {
        const char* code = status == 401   ? "Unauthorized"
                           : status == 404 ? "NotFound"
                           : status == 400 ? "InvalidObject"
                           : status == 403 ? "Forbidden"
                           : status == 429 ? "TooManyRequests"
                                           : "ServiceUnavailable";
        json::Writer w;
        w.BeginObject();
        w.Key("code");
        w.String(code);
        w.Key("message");
        w.String(message);
        w.EndObject();
        http::Response r = JsonResponse(status, w.Take());
        r.SetHeader("api-current-version", "2024.1");
        return r;
    }

    http::Response HandleApi(http::Request& req) override {
        http::Response r = router_.Dispatch(req);
        r.SetHeader("api-current-version", "2024.1");
        return r;
    }

private:
    static SimOptions Defaults(SimOptions o) {
        if (o.rate_limit < 0) o.rate_limit = 0;
        if (o.rate_window_s < 0) o.rate_window_s = 60;
        return o;
    }

    std::optional<http::Response> Guard(const http::Request& req) {
        const std::string expected =
            net::BasicAuthorization(std::string(kCompanyId) + "+" + std::string(kPublicKey), kPrivateKey);
        if (req.Header("clientid").empty()) return Error(401, "The clientId header is required.");
        if (req.Header("clientid") != kClientId) return Error(401, "The clientId is not registered.");
        if (req.Header("authorization") != expected || BadCredentials()) {
            return Error(401, "Username or password is incorrect.");
        }
        int64_t retry_after = 0;
        if (!CountRate(retry_after)) {
            auto r = Error(429, "Too many requests.");
            r.SetHeader("Retry-After", std::to_string(retry_after));
            return r;
        }
        return std::nullopt;
    }

    void Routes() {
        router_.Add(http::Method::kGet, "/login/companyinfo/{company}", [this](http::Request& req) {
            if (!IEquals(net::UrlDecode(req.Param("company")), kCompanyId)) return JsonResponse(200, "null");
            return JsonResponse(
                200,
                "{\"CompanyName\":\"Mortar Simulated MSP\",\"Codebase\":\"" + std::string(kCodebase) +
                    "\",\"VersionCode\":\"v2024.1\",\"VersionNumber\":\"v4.6.12345\",\"CompanyID\":\"" +
                    std::string(kCompanyId) + "\",\"IsCloud\":true}"
            );
        });
        const std::string base = "/" + std::string(kCodebase) + "apis/3.0";
        auto add = [&](std::string_view pattern, std::function<http::Response(http::Request&)> h) {
            router_.Add(http::Method::kGet, base + std::string(pattern), [this, h = std::move(h)](http::Request& req) {
                if (auto denied = Guard(req)) return std::move(*denied);
                return h(req);
            });
        };
        add("/company/companies", [this](http::Request& req) { return List(req, Kind::kCompany, 0); });
        add("/company/companies/count", [this](http::Request& req) { return Count(req, Kind::kCompany); });
        add("/company/companies/types", [this](http::Request& req) { return Lookups(req, CompanyTypes(), "name"); });
        add("/company/companies/{id}", [this](http::Request& req) { return One(req, Kind::kCompany); });
        add("/company/companies/{id}/sites", [this](http::Request& req) {
            auto id = ParseInt64(req.Param("id"));
            if (!id || !data_.Get(Kind::kCompany, *id)) return Error(404, "Company not found.");
            return List(req, Kind::kSite, *id);
        });
        add("/company/contacts", [this](http::Request& req) { return List(req, Kind::kContact, 0); });
        add("/company/contacts/{id}", [this](http::Request& req) { return One(req, Kind::kContact); });
        add("/company/configurations", [this](http::Request& req) { return List(req, Kind::kConfiguration, 0); });
        add("/company/configurations/count", [this](http::Request& req) { return Count(req, Kind::kConfiguration); });
        add("/company/configurations/types",
            [this](http::Request& req) { return Lookups(req, ConfigurationTypes(), "name"); });
        add("/company/configurations/statuses",
            [this](http::Request& req) { return Lookups(req, ConfigurationStatuses(), "description"); });
        add("/company/configurations/{id}", [this](http::Request& req) { return One(req, Kind::kConfiguration); });
        add("/system/info", [](http::Request&) {
            return JsonResponse(200, "{\"version\":\"v2024.1.12345\",\"isCloud\":true,\"serverTimeZone\":\"UTC\"}");
        });
        router_.SetFallback([this](http::Request&, bool known) {
            return known ? Error(405, "Method not allowed.") : Error(404, "The requested route was not found.");
        });
    }

    std::optional<Record> CompanyOf(const Record& r) const {
        if (r.kind == Kind::kCompany) return std::nullopt;
        return data_.Get(Kind::kCompany, r.company_id);
    }

    Fields FlatOf(const Record& r) const {
        auto company = CompanyOf(r);
        return Flat(r, company ? &*company : nullptr);
    }

    void WriteRef(json::Writer& w, std::string_view key, int64_t id, const std::string& name) const {
        w.Key(key);
        if (id == 0) {
            w.Null();
            return;
        }
        w.BeginObject();
        w.Key("id");
        w.Int(id);
        w.Key("name");
        w.String(name);
        w.EndObject();
    }

    void WriteRecord(json::Writer& w, const Record& r, const std::vector<std::string>& only) const {
        auto want = [&](std::string_view k) {
            if (only.empty()) return true;
            for (const auto& o : only) {
                if (IEquals(o, k)) return true;
            }
            return false;
        };
        auto company = CompanyOf(r);
        w.BeginObject();
        w.Key("id");
        w.Int(r.id);
        auto str = [&](std::string_view k, const std::string& v) {
            if (!want(k)) return;
            w.Key(k);
            w.String(v);
        };
        auto boolean = [&](std::string_view k, bool v) {
            if (!want(k)) return;
            w.Key(k);
            w.Bool(v);
        };
        auto company_ref = [&] {
            if (!want("company") || !company) return;
            w.Key("company");
            w.BeginObject();
            w.Key("id");
            w.Int(company->id);
            w.Key("identifier");
            w.String(Identifier(*company));
            w.Key("name");
            w.String(company->name);
            w.EndObject();
        };
        auto site_name = [&](int64_t site_id) {
            auto s = site_id != 0 ? data_.Get(Kind::kSite, site_id) : std::nullopt;
            return s ? s->name : std::string();
        };
        switch (r.kind) {
            case Kind::kCompany:
                str("identifier", Identifier(r));
                str("name", r.name);
                if (want("status")) WriteRef(w, "status", r.active ? 1 : 2, r.active ? "Active" : "Inactive");
                if (want("types")) {
                    w.Key("types");
                    w.BeginArray();
                    w.BeginObject();
                    w.Key("id");
                    w.Int(r.type_id);
                    w.Key("name");
                    w.String(LookupName(CompanyTypes(), r.type_id));
                    w.EndObject();
                    w.EndArray();
                }
                boolean("deletedFlag", !r.active);
                str("addressLine1", r.address1);
                str("addressLine2", r.address2);
                str("city", r.city);
                str("state", r.state);
                str("zip", r.postal_code);
                if (want("country")) WriteRef(w, "country", 1, r.country);
                str("phoneNumber", r.phone);
                str("website", r.website);
                break;
            case Kind::kSite:
                str("name", r.name);
                str("addressLine1", r.address1);
                str("addressLine2", r.address2);
                str("city", r.city);
                if (want("stateReference")) {
                    w.Key("stateReference");
                    w.BeginObject();
                    w.Key("identifier");
                    w.String(r.state);
                    w.Key("name");
                    w.String(r.state);
                    w.EndObject();
                }
                str("zip", r.postal_code);
                if (want("country")) WriteRef(w, "country", 1, r.country);
                str("phoneNumber", r.phone);
                boolean("primaryAddressFlag", r.primary);
                boolean("defaultBillingFlag", r.primary);
                boolean("inactiveFlag", !r.active);
                company_ref();
                break;
            case Kind::kContact:
                str("firstName", r.first_name);
                str("lastName", r.last_name);
                company_ref();
                if (want("site")) WriteRef(w, "site", r.site_id, site_name(r.site_id));
                str("title", r.title);
                boolean("inactiveFlag", !r.active);
                str("defaultPhoneNbr", r.phone);
                if (want("communicationItems")) {
                    w.Key("communicationItems");
                    w.BeginArray();
                    int n = 0;
                    auto item = [&](int type_id, const char* type, const std::string& value, const char* kind) {
                        if (value.empty()) return;
                        w.BeginObject();
                        w.Key("id");
                        w.Int(r.id * 4 + (++n));
                        w.Key("type");
                        w.BeginObject();
                        w.Key("id");
                        w.Int(type_id);
                        w.Key("name");
                        w.String(type);
                        w.EndObject();
                        w.Key("value");
                        w.String(value);
                        w.Key("defaultFlag");
                        w.Bool(n == 1 || std::string_view(kind) == "Email");
                        w.Key("communicationType");
                        w.String(kind);
                        w.EndObject();
                    };
                    item(2, "Direct", r.phone, "Phone");
                    item(4, "Cell", r.mobile, "Phone");
                    item(1, "Email", r.email, "Email");
                    w.EndArray();
                }
                break;
            case Kind::kConfiguration:
                str("name", r.name);
                if (want("type")) WriteRef(w, "type", r.type_id, LookupName(ConfigurationTypes(), r.type_id));
                if (want("status"))
                    WriteRef(w, "status", r.status_id, LookupName(ConfigurationStatuses(), r.status_id));
                company_ref();
                if (want("contact")) {
                    auto c = r.contact_id != 0 ? data_.Get(Kind::kContact, r.contact_id) : std::nullopt;
                    WriteRef(w, "contact", c ? c->id : 0, c ? c->name : "");
                }
                if (want("site")) WriteRef(w, "site", r.site_id, site_name(r.site_id));
                str("deviceIdentifier", r.name);
                str("serialNumber", r.serial);
                str("modelNumber", r.model);
                str("tagNumber", r.asset_tag);
                str("macAddress", r.mac);
                str("ipAddress", r.ip);
                if (want("manufacturer")) {
                    WriteRef(w, "manufacturer", r.manufacturer_id, LookupName(Manufacturers(), r.manufacturer_id));
                }
                str("osType", r.os);
                str("installationDate", Ts(r.install_ms));
                str("warrantyExpirationDate", Ts(r.warranty_ms));
                boolean("activeFlag", r.active);
                break;
        }
        if (want("_info")) {
            w.Key("_info");
            w.BeginObject();
            w.Key("lastUpdated");
            w.String(Ts(r.updated_ms));
            w.Key("updatedBy");
            w.String("simuser");
            w.Key("dateEntered");
            w.String(Ts(r.created_ms));
            w.Key("enteredBy");
            w.String("simuser");
            w.EndObject();
        }
        w.EndObject();
    }

    struct ListQuery {
        Pred pred;
        std::string signature;
        std::vector<std::string> fields;
        std::string order_field = "id";
        bool desc = false;
        bool everything = false;  // no condition at all: no scan needed
    };

    Result<ListQuery> ParseList(const net::Pairs& form, int64_t parent) {
        ListQuery q;
        std::string conditions = net::FormValue(form, "conditions").value_or("");
        // childConditions address the arrays (types/id); records here carry them flat.
        if (auto child = net::FormValue(form, "childConditions"); child && !Trim(*child).empty()) {
            conditions = Trim(conditions).empty() ? *child : "(" + conditions + ") and (" + *child + ")";
        }
        auto pred = ParseConditions(conditions);
        if (!pred.ok()) return pred.status();
        q.pred = std::move(*pred);
        q.everything = parent == 0 && Trim(conditions).empty();
        if (parent != 0) {
            q.pred = [p = std::move(q.pred), parent](const Fields& f) {
                const Val* c = f.Find("company/id");
                return c != nullptr && std::holds_alternative<int64_t>(*c) && std::get<int64_t>(*c) == parent && p(f);
            };
        }
        q.signature = "cw|" + std::to_string(parent) + "|" + conditions;
        if (auto fields = net::FormValue(form, "fields")) {
            for (auto f : Split(*fields, ',')) {
                if (!Trim(f).empty()) q.fields.emplace_back(Trim(f));
            }
        }
        if (auto order = net::FormValue(form, "orderBy")) {
            auto parts = Split(Trim(*order), ' ');
            q.order_field = std::string(parts[0]);
            if (parts.size() > 1) {
                if (IEquals(parts.back(), "desc")) {
                    q.desc = true;
                } else if (!IEquals(parts.back(), "asc")) {
                    return Status::InvalidArgument("orderBy direction must be asc or desc");
                }
            }
        }
        return q;
    }

    std::vector<int64_t> Ordered(Kind kind, const ListQuery& q) {
        Pred pred = q.pred;
        auto ids = q.everything
                       ? data_.Matching(kind, q.signature, nullptr)
                       : data_.Matching(kind, q.signature, [this, pred](const Record& r) { return pred(FlatOf(r)); });
        std::vector<int64_t> out(ids->begin(), ids->end());
        if (!IEquals(q.order_field, "id")) {
            std::vector<std::pair<Val, int64_t>> keyed;
            keyed.reserve(out.size());
            for (int64_t id : out) {
                auto r = data_.Get(kind, id);
                const Fields f = r ? FlatOf(*r) : Fields{};
                const Val* v = f.Find(q.order_field);
                keyed.emplace_back(v != nullptr ? *v : Val(Null{}), id);
            }
            std::stable_sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) {
                auto c = Compare(a.first, b.first);
                return c && *c < 0;
            });
            for (size_t i = 0; i < keyed.size(); ++i) out[i] = keyed[i].second;
        }
        if (q.desc) std::reverse(out.begin(), out.end());
        return out;
    }

    std::string PageUrl(const http::Request& req, const net::Pairs& form, std::string_view key, int64_t value) const {
        net::Pairs out;
        for (const auto& kv : form) {
            if (kv.first != "page" && kv.first != "pageId") out.push_back(kv);
        }
        out.emplace_back(std::string(key), std::to_string(value));
        return base_url() + req.path + "?" + net::EncodeForm(out);
    }

    http::Response List(http::Request& req, Kind kind, int64_t parent) {
        const auto form = net::DecodeForm(req.query);
        auto q = ParseList(form, parent);
        if (!q.ok()) return Error(400, q.status().message());
        int64_t page_size = kDefaultPageSize;
        if (auto ps = net::FormValue(form, "pageSize")) {
            auto n = ParseInt64(*ps);
            if (!n || *n < 1) return Error(400, "pageSize must be a positive number.");
            page_size = std::min(*n, kMaxPageSize);
        }
        int64_t page = 1;
        if (auto p = net::FormValue(form, "page")) {
            auto n = ParseInt64(*p);
            if (!n || *n < 1) return Error(400, "page must be a positive number.");
            page = *n;
        }
        const bool forward = IEquals(req.Header("pagination-type"), "forward-only");
        const std::vector<int64_t> ids = Ordered(kind, *q);
        size_t start = 0;
        if (forward) {
            int64_t page_id = 0;
            if (auto p = net::FormValue(form, "pageId")) page_id = ParseInt64(*p).value_or(0);
            start = std::upper_bound(ids.begin(), ids.end(), page_id) - ids.begin();
        } else {
            start = static_cast<size_t>(std::min<int64_t>((page - 1) * page_size, static_cast<int64_t>(ids.size())));
        }
        const size_t end = std::min(ids.size(), start + static_cast<size_t>(page_size));
        json::Writer w;
        w.Reserve((end - start) * 1200);
        w.BeginArray();
        int64_t last_id = 0;
        for (size_t i = start; i < end; ++i) {
            auto r = data_.Get(kind, ids[i]);
            if (!r) continue;
            WriteRecord(w, *r, q->fields);
            last_id = r->id;
        }
        w.EndArray();
        http::Response resp = JsonResponse(200, w.Take());
        std::vector<std::string> links;
        if (forward) {
            if (end < ids.size()) links.push_back("<" + PageUrl(req, form, "pageId", last_id) + ">; rel=\"next\"");
        } else {
            const int64_t last = std::max<int64_t>(1, (static_cast<int64_t>(ids.size()) + page_size - 1) / page_size);
            if (page > 1) {
                links.push_back("<" + PageUrl(req, form, "page", page - 1) + ">; rel=\"prev\"");
                links.push_back("<" + PageUrl(req, form, "page", 1) + ">; rel=\"first\"");
            }
            if (page < last) {
                links.push_back("<" + PageUrl(req, form, "page", page + 1) + ">; rel=\"next\"");
                links.push_back("<" + PageUrl(req, form, "page", last) + ">; rel=\"last\"");
            }
        }
        if (!links.empty()) {
            std::string link;
            for (const auto& l : links) link += (link.empty() ? "" : ", ") + l;
            resp.SetHeader("Link", link);
        }
        OnListPage(kind);
        return resp;
    }

    http::Response Count(http::Request& req, Kind kind) {
        auto q = ParseList(net::DecodeForm(req.query), 0);
        if (!q.ok()) return Error(400, q.status().message());
        return JsonResponse(200, "{\"count\":" + std::to_string(Ordered(kind, *q).size()) + "}");
    }

    http::Response One(http::Request& req, Kind kind) {
        auto id = ParseInt64(req.Param("id"));
        auto r = id ? data_.Get(kind, *id) : std::nullopt;
        if (!r) return Error(404, std::string(KindName(kind)) + " record not found.");
        json::Writer w;
        WriteRecord(w, *r, {});
        return JsonResponse(200, w.Take());
    }

    http::Response Lookups(http::Request& req, const std::vector<Lookup>& table, std::string_view name_key) {
        const auto form = net::DecodeForm(req.query);
        json::Writer w;
        w.BeginArray();
        for (const auto& l : table) {
            w.BeginObject();
            w.Key("id");
            w.Int(l.id);
            w.Key(name_key);
            w.String(l.name);
            if (name_key == "description") {
                w.Key("closedFlag");
                w.Bool(l.id == 3);
                w.Key("defaultFlag");
                w.Bool(l.id == 1);
            } else {
                w.Key("inactiveFlag");
                w.Bool(!l.active);
                w.Key("systemFlag");
                w.Bool(false);
            }
            w.Key("_info");
            w.BeginObject();
            w.Key("lastUpdated");
            w.String("2024-01-08T18:05:13Z");
            w.EndObject();
            w.EndObject();
        }
        w.EndArray();
        (void)form;
        return JsonResponse(200, w.Take());
    }

    http::Router router_;
};

}  // namespace

std::unique_ptr<Simulator> NewConnectWiseSimulator(SimOptions options) {
    return std::make_unique<ConnectWiseSimulator>(std::move(options));
}

}  // namespace mortar::sim
