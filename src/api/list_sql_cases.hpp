// SPDX-License-Identifier: AGPL-3.0-or-later
// The list-query engine checked against a real store: list_sql_test.cpp runs these cases
// on SQLite, list_sql_pgtest.cpp on PostgreSQL.
#pragma once

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "api/list_sql.hpp"
#include "db/database.hpp"

namespace mortar::api::testing {

// A table of gadgets, some of them with NULLs, in two accounts.
class ListSqlTest : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        const std::string url = GetParam();
        if (url.empty()) GTEST_SKIP() << "MORTAR_TEST_PG_DSN is not set";
        auto opened = db::Database::Open(db::Config{.url = url, .pool_size = 2});
        ASSERT_TRUE(opened.ok()) << opened.status().message();
        db_ = std::move(*opened);
        auto tx = db_->Begin(db::TxMode::kWrite);
        ASSERT_TRUE(tx.ok());
        const bool pg = db_->dialect() == db::Dialect::kPostgres;
        ASSERT_TRUE(tx->ExecScript("DROP TABLE IF EXISTS gadgets").ok());
        ASSERT_TRUE(tx->ExecScript(
                          std::string("CREATE TABLE gadgets (id BIGINT PRIMARY KEY, account_id BIGINT NOT NULL, "
                                      "parent_id BIGINT, name TEXT, size BIGINT, active ") +
                          (pg ? "BOOLEAN" : "INTEGER") + " NOT NULL, created_at TEXT NOT NULL)"
        )
                        .ok());
        struct Row {
            int64_t id, account, parent;
            const char* name;
            int64_t size;
            bool active;
            const char* created;
        };
        const Row rows[] = {
            {1, 1, 10, "alpha", 5, true, "2024-01-01T08:00:00.000Z"},
            {2, 1, 10, "Bravo", 15, false, "2024-01-02T23:59:59.999Z"},
            {3, 1, 20, nullptr, 25, true, "2024-01-03T00:00:00.000Z"},
            {4, 1, 20, "charlie", -1, false, "2024-02-01T12:00:00.000Z"},
            {5, 2, 10, "alpha", 5, true, "2024-01-01T08:00:00.000Z"},
        };
        for (const Row& r : rows) {
            auto ins = tx->PrepareDynamic(
                "INSERT INTO gadgets (id, account_id, parent_id, name, size, active, created_at) "
                "VALUES ($1, $2, $3, $4, $5, $6, $7)"
            );
            ASSERT_TRUE(ins.ok());
            ins->Bind(1, r.id).Bind(2, r.account).Bind(3, r.parent);
            ins->Bind(4, r.name ? db::Param(std::string_view(r.name)) : db::Param(db::Null{}));
            ins->Bind(5, r.size).Bind(6, r.active).Bind(7, std::string_view(r.created));
            ASSERT_TRUE(ins->Execute().ok());
        }
        ASSERT_TRUE(tx->Commit().ok());
        def_.path = "gadgets";
        def_.table = "gadgets";
        def_.fields = {
            Field::Int("parent_id").Filterable(),
            Field::Text("name").Filterable().Sortable(),
            Field::Int("size").Filterable().Sortable(),
            Field::Bool("active").Filterable(),
            Field::Timestamp("created_at").ReadOnly().Filterable().Sortable(),
        };
        def_.psa_filters = true;
        def_.Finalise();
    }

    void TearDown() override {
        if (!db_) return;
        auto tx = db_->Begin(db::TxMode::kWrite);
        if (tx.ok() && tx->ExecScript("DROP TABLE IF EXISTS gadgets").ok()) (void)tx->Commit();
    }

    static jsonapi::ListQuery Query(const std::string& raw) {
        auto pairs = jsonapi::DecodeQuery(raw);
        EXPECT_TRUE(pairs.ok()) << raw;
        auto q = jsonapi::ParseListQuery(*pairs);
        EXPECT_TRUE(q.ok()) << raw;
        return *q;
    }

    // The ids a query selects in account 1 (or the failed Status).
    Result<std::vector<int64_t>> Ids(const std::string& raw, std::optional<int64_t> parent = std::nullopt) {
        std::optional<ParentFilter> pf;
        if (parent) pf = ParentFilter{def_.FindField("parent_id"), *parent};
        auto sql = BuildListSql(def_, Query(raw), 1, pf);
        if (!sql) return sql.status();
        auto tx = db_->Begin(db::TxMode::kRead);
        if (!tx) return tx.status();
        auto stmt = tx->PrepareDynamic("SELECT t.id FROM gadgets t" + sql->where + sql->order_by);
        if (!stmt) return stmt.status();
        int idx = 1;
        for (const auto& v : sql->params) stmt->Bind(idx++, AsParam(v));
        std::vector<int64_t> ids;
        while (true) {
            auto step = stmt->Step();
            if (!step) return step.status();
            if (!*step) break;
            ids.push_back(stmt->row().GetInt(0));
        }
        return ids;
    }

    std::unique_ptr<db::Database> db_;
    ResourceDef def_;
};

using IdList = std::vector<int64_t>;

TEST_P(ListSqlTest, NoFiltersListsTheAccountsRowsById) {
    EXPECT_EQ(*Ids(""), (IdList{1, 2, 3, 4}));
}

TEST_P(ListSqlTest, EqualityAndAnyOfInBothSpellings) {
    EXPECT_EQ(*Ids("filter[name]=alpha"), (IdList{1}));
    EXPECT_EQ(*Ids("filter%5Bid%5D=3,1,99"), (IdList{1, 3}));
    EXPECT_EQ(*Ids("filter[parent-id]=20"), (IdList{3, 4}));
    EXPECT_EQ(*Ids("filter[parent_id]=20&filter[size]=25"), (IdList{3}));
    EXPECT_EQ(*Ids("filter[active]=true"), (IdList{1, 3}));
    EXPECT_EQ(*Ids("filter[active]=0"), (IdList{2, 4}));
}

TEST_P(ListSqlTest, ExcludeKeepsNullsAndRangeIsInclusive) {
    EXPECT_EQ(*Ids("filter[exclude][name]=alpha,Bravo"), (IdList{3, 4}));
    EXPECT_EQ(*Ids("filter[exclude][id]=1"), (IdList{2, 3, 4}));
    EXPECT_EQ(*Ids("filter[range][size]=5,15"), (IdList{1, 2}));
}

TEST_P(ListSqlTest, TimestampRangesAreUtcWithOpenEnds) {
    EXPECT_EQ(*Ids("filter[created_at]=2024-01-02,*"), (IdList{2, 3, 4}));
    EXPECT_EQ(*Ids("filter[created-at]=*,2024-01-02"), (IdList{1, 2}));  // a date-only end covers the whole day
    EXPECT_EQ(*Ids("filter[created_at]=2024-01-01T09:00:00Z,2024-01-03T00:00:00Z"), (IdList{2, 3}));
    EXPECT_EQ(*Ids("filter[created_at]=2024-01-03"), (IdList{3}));
}

TEST_P(ListSqlTest, UnknownFiltersAreIgnored) {
    EXPECT_EQ(*Ids("filter[colour]=red"), (IdList{1, 2, 3, 4}));
}

TEST_P(ListSqlTest, MalformedFilterValuesAreBadRequests) {
    for (const char* q :
         {"filter[size]=big",
          "filter[active]=maybe",
          "filter[range][size]=1",
          "filter[range][name]=a,b",
          "filter[created_at]=yesterday,*",
          "filter[id]=,"}) {
        auto ids = Ids(q);
        ASSERT_FALSE(ids.ok()) << q;
        EXPECT_EQ(ids.status().code(), Code::kInvalidArgument) << q;
    }
}

TEST_P(ListSqlTest, SortIsCaseInsensitiveWithNullsLastAscendingAndFirstDescending) {
    EXPECT_EQ(*Ids("sort=name"), (IdList{1, 2, 4, 3}));
    EXPECT_EQ(*Ids("sort=-name"), (IdList{3, 4, 2, 1}));
    EXPECT_EQ(*Ids("sort=-size"), (IdList{3, 2, 1, 4}));
    EXPECT_EQ(*Ids("sort=-created-at,id"), (IdList{4, 3, 2, 1}));
    EXPECT_EQ(*Ids("sort=-id"), (IdList{4, 3, 2, 1}));
}

TEST_P(ListSqlTest, UnsupportedSortKeyNamesTheAllowedOnes) {
    auto ids = Ids("sort=parent_id");
    ASSERT_FALSE(ids.ok());
    EXPECT_EQ(ids.status().code(), Code::kInvalidArgument);
    EXPECT_NE(ids.status().message().find("use one of: id, name, size, created_at"), std::string::npos)
        << ids.status().message();
}

TEST_P(ListSqlTest, ParentRestrictsToChildren) {
    EXPECT_EQ(*Ids("", 10), (IdList{1, 2}));
    EXPECT_EQ(*Ids("filter[name]=charlie", 10), (IdList{}));
}

TEST_P(ListSqlTest, PsaFiltersNeedAKnownIntegrationType) {
    EXPECT_EQ(Ids("filter[psa_id]=7").status().code(), Code::kInvalidArgument);
    EXPECT_EQ(Ids("filter[psa_id]=7&filter[psa_integration_type]=nonsense").status().code(), Code::kInvalidArgument);
    EXPECT_EQ(*Ids("filter[psa_id]=7&filter[psa_integration_type]=tigerpaw"), (IdList{}));
}

}  // namespace mortar::api::testing
