// SPDX-License-Identifier: AGPL-3.0-or-later
#include "api/search.hpp"

#include <algorithm>
#include <list>

#include "api/access.hpp"
#include "core/json_writer.hpp"
#include "core/strings.hpp"
#include "jsonapi/document.hpp"

namespace mortar::api {
namespace {

constexpr std::size_t kMaxWords = 32;
constexpr std::size_t kMaxWordBytes = 64;
constexpr std::size_t kMaxQueryWords = 8;

constexpr db::Query kFindEntry{
    "search_entries.find",
    "SELECT id FROM search_entries WHERE account_id = $1 AND resource_type = $2 AND resource_id = $3"};
constexpr db::Query kInsertEntry{
    "search_entries.insert",
    "INSERT INTO search_entries (account_id, resource_type, resource_id, organization_id, title, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"};
constexpr db::Query kUpdateEntry{
    "search_entries.update",
    "UPDATE search_entries SET organization_id = $2, title = $3, updated_at = $4 WHERE id = $1"};
constexpr db::Query kDeleteWords{"search_words.delete", "DELETE FROM search_words WHERE entry_id = $1"};
constexpr db::Query kInsertWord{
    "search_words.insert",
    "INSERT INTO search_words (account_id, word, entry_id) VALUES ($1, $2, $3) "
    "ON CONFLICT (account_id, word, entry_id) DO NOTHING"};
constexpr db::Query kDeleteEntry{
    "search_entries.delete",
    "DELETE FROM search_entries WHERE account_id = $1 AND resource_type = $2 AND resource_id = $3"};

std::string Placeholder(std::size_t n) {
    return "$" + std::to_string(n);
}

}  // namespace

std::vector<std::string> SearchWords(std::string_view text) {
    std::vector<std::string> words;
    std::string current;
    auto flush = [&] {
        if (!current.empty() && words.size() < kMaxWords) {
            if (current.size() > kMaxWordBytes) {
                // Cut at a character boundary.
                std::size_t cut = kMaxWordBytes;
                while (cut > 0 && (static_cast<unsigned char>(current[cut]) & 0xC0) == 0x80) --cut;
                current.resize(cut);
            }
            if (std::find(words.begin(), words.end(), current) == words.end()) words.push_back(current);
        }
        current.clear();
    };
    for (char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (c >= 0x80) {
            current += ch;
        } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            current += ch;
        } else if (c >= 'A' && c <= 'Z') {
            current += static_cast<char>(c - 'A' + 'a');
        } else {
            flush();
        }
    }
    flush();
    return words;
}

Status IndexRecord(
    db::Tx& tx,
    int64_t account_id,
    std::string_view resource_type,
    int64_t resource_id,
    std::optional<int64_t> organization_id,
    std::string_view title,
    std::string_view now
) {
    const db::Param org = organization_id ? db::Param(*organization_id) : db::Param(db::Null{});
    auto find = tx.Prepare(kFindEntry);
    if (!find) return find.status();
    find->Bind(1, account_id).Bind(2, resource_type).Bind(3, resource_id);
    auto found = find->Step();
    if (!found) return found.status();
    int64_t entry_id = 0;
    if (*found) {
        entry_id = find->row().GetInt(0);
        auto update = tx.Prepare(kUpdateEntry);
        if (!update) return update.status();
        update->Bind(1, entry_id).Bind(2, org).Bind(3, title).Bind(4, now);
        if (auto n = update->Execute(); !n) return n.status();
        auto clear = tx.Prepare(kDeleteWords);
        if (!clear) return clear.status();
        clear->Bind(1, entry_id);
        if (auto n = clear->Execute(); !n) return n.status();
    } else {
        auto insert = tx.Prepare(kInsertEntry);
        if (!insert) return insert.status();
        insert->Bind(1, account_id)
            .Bind(2, resource_type)
            .Bind(3, resource_id)
            .Bind(4, org)
            .Bind(5, title)
            .Bind(6, now);
        auto step = insert->Step();
        if (!step) return step.status();
        if (!*step) return Status::Internal("search entry insert returned no id");
        entry_id = insert->row().GetInt(0);
    }
    for (const std::string& word : SearchWords(title)) {
        auto insert = tx.Prepare(kInsertWord);
        if (!insert) return insert.status();
        insert->Bind(1, account_id).Bind(2, std::string_view(word)).Bind(3, entry_id);
        if (auto n = insert->Execute(); !n) return n.status();
    }
    return Status::Ok();
}

Status UnindexRecord(db::Tx& tx, int64_t account_id, std::string_view resource_type, int64_t resource_id) {
    auto del = tx.Prepare(kDeleteEntry);
    if (!del) return del.status();
    del->Bind(1, account_id).Bind(2, resource_type).Bind(3, resource_id);
    auto n = del->Execute();
    if (!n) return n.status();
    return Status::Ok();
}

namespace {

http::Response Search(Service& svc, http::Request& req, Context& ctx) {
    auto lq = jsonapi::ParseListQuery(ctx.query);
    if (!lq) return jsonapi::ErrorResponse(lq.status());
    const std::string* q = lq->Other("q");
    const std::vector<std::string> words = q ? SearchWords(*q) : std::vector<std::string>();
    if (words.empty()) return jsonapi::ErrorResponse(Status::InvalidArgument("q must contain at least one word"));

    std::vector<db::Param> params{ctx.principal.account_id};
    std::string where = " WHERE e.account_id = $1";
    for (std::size_t i = 0; i < words.size() && i < kMaxQueryWords; ++i) {
        params.emplace_back(std::string_view(words[i]));
        // Words hold no LIKE wildcards: '%' and '_' split words. The subquery is keyed by
        // entry id alone (an entry id belongs to one account): correlating on account_id
        // too let SQLite walk the (account_id, word) key, reading every word of the
        // account for each entry (minutes at 10,000 organizations).
        where += " AND EXISTS (SELECT 1 FROM search_words w WHERE w.entry_id = e.id AND w.word LIKE " +
                 Placeholder(params.size()) + " || '%')";
    }
    std::list<std::string> kept;  // owns filter values bound as views (stable addresses)
    for (const jsonapi::Filter& f : lq->filters) {
        if (f.op != jsonapi::FilterOp::kEq) continue;
        if (f.field == "resource_type") {
            std::string list;
            for (const std::string& t : jsonapi::SplitFilterValue(f.value)) {
                params.emplace_back(std::string_view(kept.emplace_back(UnderscoreToDash(t))));
                list += (list.empty() ? "" : ", ") + Placeholder(params.size());
            }
            if (!list.empty()) where += " AND e.resource_type IN (" + list + ")";
        } else if (f.field == "organization_id") {
            auto id = ParseInt64(f.value);
            if (!id)
                return jsonapi::ErrorResponse(Status::InvalidArgument("filter[organization_id] must be an integer"));
            params.emplace_back(*id);
            where += " AND e.organization_id = " + Placeholder(params.size());
        }
    }

    // Only records the principal may see: organizations on the access list, restricted
    // records granted to them.
    if (const std::string visible = SearchCondition(ctx.principal, svc.restrictable()); !visible.empty()) {
        where += " AND " + visible;
    }

    auto tx = svc.db().Begin(db::TxMode::kRead);
    if (!tx) return jsonapi::ErrorResponse(tx.status());
    auto count = tx->PrepareDynamic("SELECT count(*) FROM search_entries e" + where);
    if (!count) return jsonapi::ErrorResponse(count.status());
    count->BindAll(params);
    auto counted = count->Step();
    if (!counted) return jsonapi::ErrorResponse(counted.status());
    jsonapi::Page page{.number = lq->page_number, .size = lq->page_size, .total_count = count->row().GetInt(0)};

    std::vector<db::Param> list_params = params;
    list_params.emplace_back(page.size);
    list_params.emplace_back((page.number - 1) * page.size);
    auto list = tx->PrepareDynamic(
        "SELECT e.id, e.resource_type, e.resource_id, e.title, e.organization_id, o.name, e.updated_at "
        "FROM search_entries e LEFT JOIN organizations o ON o.id = e.organization_id" +
        where + " ORDER BY lower(e.title), e.id LIMIT " + Placeholder(params.size() + 1) + " OFFSET " +
        Placeholder(params.size() + 2)
    );
    if (!list) return jsonapi::ErrorResponse(list.status());
    list->BindAll(list_params);
    json::Writer w;
    w.BeginObject();
    w.Key("data");
    w.BeginArray();
    while (true) {
        auto step = list->Step();
        if (!step) return jsonapi::ErrorResponse(step.status());
        if (!*step) break;
        const db::Row& r = list->row();
        w.BeginObject();
        w.Key("id");
        w.String(std::to_string(r.GetInt(0)));
        w.Key("type");
        w.String("search-results");
        w.Key("attributes");
        w.BeginObject();
        w.Key("resource-type");
        w.String(r.GetText(1));
        w.Key("resource-id");
        w.Int(r.GetInt(2));
        w.Key("title");
        w.String(r.GetText(3));
        w.Key("organization-id");
        if (r.IsNull(4)) {
            w.Null();
        } else {
            w.Int(r.GetInt(4));
        }
        w.Key("organization-name");
        if (r.IsNull(5)) {
            w.Null();
        } else {
            w.String(r.GetText(5));
        }
        w.Key("updated-at");
        w.String(r.GetText(6));
        w.EndObject();
        w.EndObject();
    }
    w.EndArray();
    jsonapi::WritePageMetaAndLinks(w, page, ctx.public_base + http::Router::NormalisePath(req.path), ctx.query);
    w.EndObject();
    return http::Response::JsonApi(200, w.Take());
}

}  // namespace

void RegisterSearch(Service& svc, http::Router& router) {
    svc.Add(router, http::Method::kGet, "/api/search_results", [&svc](http::Request& req, Context& ctx) {
        return Search(svc, req, ctx);
    });
}

}  // namespace mortar::api
