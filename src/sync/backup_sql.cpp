// SPDX-License-Identifier: AGPL-3.0-or-later
#include "sync/backup_sql.hpp"

#include "core/json.hpp"

namespace mortar::sync {

std::string CustomerStateSql(std::string_view alias) {
    const std::string c(alias);
    return "(CASE WHEN " + c + ".state IN ('auto', 'manual') AND " + c + ".organization_id IS NULL THEN CASE WHEN " +
           c + ".suggested_organization_id IS NOT NULL THEN 'suggested' ELSE 'unmatched' END WHEN " + c +
           ".state = 'suggested' AND " + c + ".suggested_organization_id IS NULL THEN 'unmatched' ELSE " + c +
           ".state END)";
}

std::string AssetStateSql(std::string_view alias) {
    const std::string a(alias);
    return "(CASE WHEN " + a + ".state IN ('auto', 'manual', 'created') AND " + a +
           ".configuration_id IS NULL THEN 'unmatched' WHEN " + a + ".state = 'suggested' AND " + a +
           ".suggested_configuration_id IS NULL THEN 'unmatched' WHEN " + a +
           ".state = 'ambiguous' AND NOT EXISTS (SELECT 1 FROM match_candidates mc WHERE mc.backup_asset_id = " + a +
           ".id) THEN 'unmatched' ELSE " + a + ".state END)";
}

std::string UnmatchedCustomerCountSql(std::string_view alias) {
    const std::string i(alias);
    return "(SELECT count(*) FROM backup_customers c WHERE c.integration_id = " + i + ".id AND c.seen" + " AND " +
           CustomerStateSql("c") + " IN ('unmatched', 'suggested'))";
}

std::string UnmatchedAssetCountSql(std::string_view alias) {
    const std::string i(alias);
    // Only assets of matched customers wait for a decision on them; the others wait for
    // their customer's.
    return "(SELECT count(*) FROM backup_assets a JOIN backup_customers c ON c.id = a.customer_id WHERE "
           "a.integration_id = " +
           i + ".id AND a.seen AND " + AssetStateSql("a") + " IN ('unmatched', 'suggested', 'ambiguous') AND " +
           CustomerStateSql("c") + " IN ('auto', 'manual'))";
}

namespace {

Status CheckUrl(const json::Value& obj, std::string_view key, const std::string& pointer) {
    const json::Value* v = obj.Find(key);
    if (!v) return Status::Ok();
    const std::string& url = v->as_string();
    if (url.rfind("https://", 0) != 0 && url.rfind("http://", 0) != 0) {
        return Status::Unprocessable("must be an http(s) URL", pointer);
    }
    return Status::Ok();
}

}  // namespace

Status ValidateUniView(db::Tx& tx, api::WriteContext& wc) {
    std::string kind;
    if (const api::ColumnValue* k = wc.Get("kind")) {
        if (const auto* text = std::get_if<std::string>(k)) kind = *text;
    } else if (wc.id) {
        auto stmt = tx.PrepareDynamic("SELECT kind FROM integrations WHERE account_id = $1 AND id = $2");
        if (!stmt) return stmt.status();
        stmt->Bind(1, wc.account_id).Bind(2, *wc.id);
        auto step = stmt->Step();
        if (!step) return step.status();
        if (*step) kind = std::string(stmt->row().GetText(0));
    }
    if (kind != "uniview") return Status::Ok();
    const api::ColumnValue* connection = wc.Get("connection");
    if (connection || wc.create) {
        const auto* text = connection ? std::get_if<std::string>(connection) : nullptr;
        auto parsed = json::Parse(text ? std::string_view(*text) : std::string_view("{}"));
        if (!parsed || !parsed->is_object())
            return Status::Unprocessable("must be an object", wc.Pointer("connection"));
        const json::Value* id = parsed->Find("client_id");
        if (!id || id->as_string().empty()) {
            return Status::Unprocessable("can't be blank", wc.Pointer("connection") + "/client-id");
        }
        MORTAR_RETURN_IF_ERROR(CheckUrl(*parsed, "token_url", wc.Pointer("connection") + "/token-url"));
        MORTAR_RETURN_IF_ERROR(CheckUrl(*parsed, "api_url", wc.Pointer("connection") + "/api-url"));
    }
    std::optional<std::string> secret;
    bool given = false;
    for (const auto& [field, plain] : wc.secrets) {
        if (field->column != "credentials_envelope") continue;
        given = true;
        if (plain) secret = *plain;
    }
    if (given || wc.create) {
        auto parsed = json::Parse(secret ? std::string_view(*secret) : std::string_view("{}"));
        const json::Value* s = parsed && parsed->is_object() ? parsed->Find("client_secret") : nullptr;
        if (!s || s->as_string().empty()) {
            return Status::Unprocessable("can't be blank", wc.Pointer("credentials") + "/client-secret");
        }
    }
    return Status::Ok();
}

}  // namespace mortar::sync
