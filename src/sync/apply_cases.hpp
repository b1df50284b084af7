// SPDX-License-Identifier: AGPL-3.0-or-later
// The batched apply step on either store (apply_test.cpp: SQLite, apply_pgtest.cpp:
// PostgreSQL): records, links, activity events and search entries written a batch at a
// time, item errors, the one-by-one retry of a failed batch, incremental batches that
// read only their own links, and convergence after a run stopped between batches.
#pragma once

#include <gtest/gtest.h>

#include "core/clock.hpp"
#include "db/internal/test_support.hpp"
#include "sync/apply.hpp"

namespace mortar::sync::testing {

class FixedClock : public Clock {
public:
    int64_t NowMillis() const override { return 1'780'000'000'000; }  // 2026-05-28
};

class ApplyTest : public ::testing::TestWithParam<db::Dialect> {
protected:
    void SetUp() override {
        if (GetParam() == db::Dialect::kPostgres && !db::testing::PgDsn())
            GTEST_SKIP() << "MORTAR_TEST_PG_DSN is not set";
        std::string why;
        test_db_ = db::testing::TestDatabase::Create(GetParam(), &why);
        ASSERT_NE(test_db_, nullptr) << why;
        auto opened = test_db_->Open();
        ASSERT_TRUE(opened.ok()) << opened.status().message();
        db_ = std::move(*opened);
        ASSERT_TRUE(db_->Migrate().ok());
        Exec("INSERT INTO accounts (id, name, created_at, updated_at) VALUES (1, 'a', 'x', 'x')");
        Exec(
            "INSERT INTO integrations (id, account_id, kind, name, created_at, updated_at) VALUES (1, 1, 'autotask', "
            "'i', 'x', 'x')"
        );
        NewRun();
    }

    // A new sync run (the id the applier records errors and seen links under).
    void NewRun() {
        ++run_id_;
        Exec(
            "INSERT INTO sync_runs (id, account_id, integration_id, run_trigger, started_at, created_at, updated_at) "
            "VALUES (" +
            std::to_string(run_id_) + ", 1, 1, 'manual', 'x', 'x', 'x')"
        );
    }

    void Exec(const std::string& sql) {
        auto tx = db_->Begin(db::TxMode::kWrite);
        ASSERT_TRUE(tx.ok());
        auto stmt = tx->PrepareDynamic(sql);
        ASSERT_TRUE(stmt.ok()) << stmt.status().message();
        auto n = stmt->Execute();
        ASSERT_TRUE(n.ok()) << n.status().message();
        ASSERT_TRUE(tx->Commit().ok());
    }

    int64_t Count(const std::string& sql) {
        auto tx = db_->Begin(db::TxMode::kRead);
        EXPECT_TRUE(tx.ok());
        auto stmt = tx->PrepareDynamic(sql);
        EXPECT_TRUE(stmt.ok()) << stmt.status().message();
        if (!stmt.ok()) return -1;
        auto step = stmt->Step();
        EXPECT_TRUE(step.ok() && *step) << sql;
        return step.ok() && *step ? stmt->row().GetInt(0) : -1;
    }

    std::string Text(const std::string& sql) {
        auto tx = db_->Begin(db::TxMode::kRead);
        EXPECT_TRUE(tx.ok());
        auto stmt = tx->PrepareDynamic(sql);
        EXPECT_TRUE(stmt.ok()) << stmt.status().message();
        if (!stmt.ok()) return "";
        auto step = stmt->Step();
        EXPECT_TRUE(step.ok() && *step) << sql;
        return step.ok() && *step ? std::string(stmt->row().GetText(0)) : std::string();
    }

    static ExternalRecord Record(
        EntityKind kind,
        const std::string& id,
        const std::string& parent,
        const std::string& name,
        std::vector<std::pair<std::string, std::string>> fields = {}
    ) {
        ExternalRecord r;
        r.kind = kind;
        r.external_id = id;
        r.parent_external_id = parent;
        r.name = name;
        r.fields = std::move(fields);
        r.updated_at_ms = 1'700'000'000'000 + std::stoll(id);
        connectors::FinishRecord(r);
        return r;
    }

    static ExternalRecord Company(const std::string& id, const std::string& name) {
        return Record(EntityKind::kCompany, id, "", name, {{"type_name", "Customer"}});
    }

    static ExternalRecord Configuration(
        const std::string& id, const std::string& company, const std::string& name, std::string site = ""
    ) {
        return Record(
            EntityKind::kConfiguration,
            id,
            company,
            name,
            {{"type_name", "Server"}, {"serial_number", "SN" + id}, {"site_id", std::move(site)}}
        );
    }

    std::unique_ptr<KindApplier> Applier(EntityKind kind, bool all_links = true, std::size_t batch = 2000) {
        auto a = std::make_unique<KindApplier>(
            *db_, ApplyScope{.account_id = 1, .integration_id = 1, .run_id = run_id_, .clock = &clock_}, kind, settings_
        );
        a->set_batch_records(batch);
        EXPECT_TRUE(a->Load(all_links).ok());
        return a;
    }

    // Applies companies 1..n named "Company <i>".
    void Companies(int n, std::size_t batch = 2000) {
        std::vector<ExternalRecord> records;
        for (int i = 1; i <= n; ++i) records.push_back(Company(std::to_string(i), "Company " + std::to_string(i)));
        auto a = Applier(EntityKind::kCompany, true, batch);
        ASSERT_TRUE(a->ApplyBatch(records).ok());
        EXPECT_EQ(a->counts().created, n);
    }

    std::string Linked(const std::string& type, const std::string& external_id) {
        return "(SELECT local_id FROM sync_links WHERE external_type = '" + type + "' AND external_id = '" +
               external_id + "')";
    }

    std::unique_ptr<db::testing::TestDatabase> test_db_;
    std::unique_ptr<db::Database> db_;
    FixedClock clock_;
    Settings settings_;
    int64_t run_id_ = 0;
};

TEST_P(ApplyTest, BatchWritesRecordsLinksEventsAndSearchEntries) {
    Companies(5, 2);  // three transactions
    EXPECT_EQ(Count("SELECT count(*) FROM organizations"), 5);
    EXPECT_EQ(Count("SELECT count(*) FROM sync_links WHERE external_type = 'company' AND state = 'syncing'"), 5);
    EXPECT_EQ(
        Count("SELECT count(*) FROM activity_events WHERE action = 'create' AND resource_type = 'organizations'"), 5
    );
    EXPECT_EQ(Count("SELECT count(*) FROM search_entries WHERE resource_type = 'organizations'"), 5);
    // Every record's words, pointing at its own entry.
    EXPECT_EQ(
        Count("SELECT count(*) FROM search_words w JOIN search_entries e ON e.id = w.entry_id JOIN organizations o ON "
              "o.id = e.resource_id WHERE w.word = 'company' AND e.title = o.name"),
        5
    );
    EXPECT_EQ(Count("SELECT count(*) FROM search_words WHERE word = '3'"), 1);
    EXPECT_EQ(Text("SELECT title FROM search_entries WHERE resource_id = " + Linked("company", "4")), "Company 4");
    // Each transaction bumped the data version.
    EXPECT_EQ(Count("SELECT data_version FROM accounts WHERE id = 1"), 3);
}

TEST_P(ApplyTest, ARecordListedTwiceInOneBatchIsAppliedOnceAsLastListed) {
    const std::vector<ExternalRecord> records = {
        Company("1", "Acme"), Company("2", "Beta"), Company("1", "Acme Renamed")};
    auto a = Applier(EntityKind::kCompany);
    ASSERT_TRUE(a->ApplyBatch(records).ok());
    EXPECT_EQ(a->counts().created, 2);
    EXPECT_EQ(Count("SELECT count(*) FROM organizations"), 2);
    EXPECT_EQ(Count("SELECT count(*) FROM sync_links"), 2);
    EXPECT_EQ(Text("SELECT name FROM organizations WHERE id = " + Linked("company", "1")), "Acme Renamed");
    EXPECT_EQ(Count("SELECT count(*) FROM search_words WHERE word = 'renamed'"), 1);
    EXPECT_EQ(Count("SELECT count(*) FROM activity_events"), 2);
}

TEST_P(ApplyTest, ParentsFromEarlierBatchesAndIncrementalBatchesReadOnlyTheirOwnLinks) {
    Companies(4, 1);  // each company committed in its own transaction
    std::vector<ExternalRecord> configs;
    for (int i = 1; i <= 6; ++i) {
        configs.push_back(Configuration(std::to_string(100 + i), std::to_string(1 + i % 4), "Host " + std::to_string(i))
        );
    }
    {
        auto a = Applier(EntityKind::kConfiguration, true, 4);
        ASSERT_TRUE(a->ApplyBatch(std::span(configs).first(3)).ok());
        ASSERT_TRUE(a->ApplyBatch(std::span(configs).subspan(3)).ok());
        EXPECT_EQ(a->counts().created, 6);
        auto orphans = a->FinishOrphans(true, true, 0);
        ASSERT_TRUE(orphans.ok());
        EXPECT_EQ(orphans->would_orphan, 0);
    }
    EXPECT_EQ(
        Count("SELECT count(*) FROM configurations c JOIN sync_links l ON l.local_type = 'configurations' AND "
              "l.local_id = c.id JOIN sync_links p ON p.external_type = 'company' AND p.local_id = c.organization_id "
              "WHERE CAST(p.external_id AS INTEGER) = 1 + (CAST(l.external_id AS INTEGER) - 100) % 4"),
        6
    );
    EXPECT_EQ(Count("SELECT count(*) FROM configuration_types WHERE name = 'Server'"), 1);

    // An incremental run: one record changed, one unchanged, one new; nothing else read.
    NewRun();
    auto a = Applier(EntityKind::kConfiguration, false);
    const std::vector<ExternalRecord> changed = {
        Configuration("102", "3", "Host Renamed"), configs[3], Configuration("107", "2", "Host 7")};
    ASSERT_TRUE(a->ApplyBatch(changed).ok());
    EXPECT_EQ(a->counts().updated, 1);
    EXPECT_EQ(a->counts().unchanged, 1);
    EXPECT_EQ(a->counts().created, 1);
    auto orphans = a->FinishOrphans(true, false, 0);
    ASSERT_TRUE(orphans.ok());
    EXPECT_EQ(orphans->would_orphan, 0);
    EXPECT_EQ(a->counts().orphaned, 0);
    EXPECT_EQ(Count("SELECT count(*) FROM configurations"), 7);
    EXPECT_EQ(Text("SELECT name FROM configurations WHERE id = " + Linked("configuration", "102")), "Host Renamed");
    EXPECT_EQ(
        Count("SELECT organization_id FROM configurations WHERE id = " + Linked("configuration", "107")),
        Count("SELECT " + Linked("company", "2"))
    );
    // The changed record's words were replaced, not added to.
    EXPECT_EQ(
        Count(
            "SELECT count(*) FROM search_words w JOIN search_entries e ON e.id = w.entry_id WHERE e.resource_id = " +
            Linked("configuration", "102") + " AND e.resource_type = 'configurations'"
        ),
        2
    );
    EXPECT_EQ(Count("SELECT count(*) FROM search_words WHERE word = 'renamed'"), 1);
    EXPECT_EQ(
        Count(
            "SELECT count(*) FROM activity_events WHERE action = 'update' AND resource_id = " +
            Linked("configuration", "102") + " AND changes LIKE '%Host Renamed%'"
        ),
        1
    );
    EXPECT_EQ(Count("SELECT count(*) FROM sync_links WHERE last_seen_run_id = " + std::to_string(run_id_)), 3);
}

TEST_P(ApplyTest, AnItemErrorInTheMiddleOfABatchLeavesTheRestApplied) {
    Companies(2);
    std::vector<ExternalRecord> configs = {
        Configuration("201", "1", "Alpha"),
        Configuration("202", "2", "Bravo"),
        Configuration("203", "1", ""),  // no name, no hostname
        Configuration("204", "2", "Delta"),
        Configuration("205", "1", "Echo")};
    auto a = Applier(EntityKind::kConfiguration, true, 2);
    ASSERT_TRUE(a->ApplyBatch(configs).ok());
    EXPECT_EQ(a->counts().created, 4);
    EXPECT_EQ(a->counts().errors, 1);
    EXPECT_EQ(Count("SELECT count(*) FROM configurations"), 4);
    EXPECT_EQ(Count("SELECT count(*) FROM sync_run_errors WHERE external_id = '203'"), 1);
    EXPECT_EQ(Count("SELECT count(*) FROM sync_links WHERE external_type = 'configuration'"), 4);
    EXPECT_EQ(Count("SELECT count(*) FROM search_entries WHERE resource_type = 'configurations'"), 4);
}

TEST_P(ApplyTest, AFailedBatchIsRetriedOneByOneSoTheBadRecordFailsAlone) {
    Companies(1);
    // A site link whose location no longer exists: the configuration pointing at it
    // breaks its transaction's foreign key.
    Exec(
        "INSERT INTO sync_links (account_id, integration_id, external_type, external_id, local_type, local_id, state, "
        "created_at, updated_at) VALUES (1, 1, 'site', '77', 'locations', 999999, 'syncing', 'x', 'x')"
    );
    std::vector<ExternalRecord> configs = {
        Configuration("301", "1", "One"), Configuration("302", "1", "Two", "77"), Configuration("303", "1", "Three")};
    auto a = Applier(EntityKind::kConfiguration);
    ASSERT_TRUE(a->ApplyBatch(configs).ok());
    EXPECT_EQ(a->counts().created, 2);
    EXPECT_EQ(a->counts().errors, 1);
    EXPECT_EQ(Count("SELECT count(*) FROM configurations"), 2);
    EXPECT_EQ(Count("SELECT count(*) FROM sync_run_errors WHERE external_id = '302'"), 1);
    EXPECT_EQ(Count("SELECT count(*) FROM search_entries WHERE resource_type = 'configurations'"), 2);
    EXPECT_EQ(Count("SELECT count(*) FROM activity_events WHERE resource_type = 'configurations'"), 2);
}

TEST_P(ApplyTest, ARunStoppedBetweenBatchesConvergesWhenRunAgain) {
    Companies(1);
    std::vector<ExternalRecord> configs;
    for (int i = 1; i <= 6; ++i)
        configs.push_back(Configuration(std::to_string(400 + i), "1", "Node " + std::to_string(i)));
    {
        auto a = Applier(EntityKind::kConfiguration, true, 2);
        ASSERT_TRUE(a->ApplyBatch(std::span(configs).first(3)).ok());
        // The process stops here: no further batch, no orphan pass.
    }
    NewRun();
    auto a = Applier(EntityKind::kConfiguration, true, 2);
    ASSERT_TRUE(a->ApplyBatch(configs).ok());
    EXPECT_EQ(a->counts().unchanged, 3);
    EXPECT_EQ(a->counts().created, 3);
    auto orphans = a->FinishOrphans(true, true, 0);
    ASSERT_TRUE(orphans.ok());
    EXPECT_EQ(orphans->would_orphan, 0);
    EXPECT_EQ(Count("SELECT count(*) FROM configurations"), 6);
    EXPECT_EQ(Count("SELECT count(*) FROM sync_links WHERE external_type = 'configuration'"), 6);
    EXPECT_EQ(Count("SELECT count(*) FROM search_entries WHERE resource_type = 'configurations'"), 6);
    EXPECT_EQ(Count("SELECT count(*) FROM activity_events WHERE resource_type = 'configurations'"), 6);
}

TEST_P(ApplyTest, AFullListingOrphansWhatItNoLongerHas) {
    Companies(1);
    std::vector<ExternalRecord> configs;
    for (int i = 1; i <= 6; ++i)
        configs.push_back(Configuration(std::to_string(500 + i), "1", "Box " + std::to_string(i)));
    {
        auto a = Applier(EntityKind::kConfiguration);
        ASSERT_TRUE(a->ApplyBatch(configs).ok());
    }
    NewRun();
    auto a = Applier(EntityKind::kConfiguration, true, 2);
    ASSERT_TRUE(a->ApplyBatch(std::span(configs).first(5)).ok());
    auto orphans = a->FinishOrphans(true, true, 0);
    ASSERT_TRUE(orphans.ok());
    EXPECT_EQ(orphans->would_orphan, 1);
    EXPECT_EQ(a->counts().orphaned, 1);
    EXPECT_EQ(Count("SELECT count(*) FROM sync_links WHERE state = 'orphaned' AND external_id = '506'"), 1);
}

TEST_P(ApplyTest, ChangedRecordsOfABatchAreUpdatedTogetherWithTheirTypedColumns) {
    Companies(2);
    auto site = [](const std::string& id,
                   const std::string& company,
                   const std::string& name,
                   bool primary,
                   const std::string& city) {
        return Record(EntityKind::kSite, id, company, name, {{"primary", primary ? "true" : "false"}, {"city", city}});
    };
    {
        auto a = Applier(EntityKind::kSite);
        const std::vector<ExternalRecord> sites = {
            site("601", "1", "Main", true, "Leuven"),
            site("602", "2", "Depot", false, "Gent"),
            site("603", "1", "Annex", false, "Brugge")};
        ASSERT_TRUE(a->ApplyBatch(sites).ok());
        EXPECT_EQ(a->counts().created, 3);
    }
    NewRun();
    auto a = Applier(EntityKind::kSite, false);
    const std::vector<ExternalRecord> changed = {
        site("601", "1", "Main", false, ""),
        site("602", "2", "Depot", true, "Antwerpen"),
        site("603", "1", "Annex", false, "Brugge")};
    ASSERT_TRUE(a->ApplyBatch(changed).ok());
    EXPECT_EQ(a->counts().updated, 2);
    EXPECT_EQ(a->counts().unchanged, 1);
    EXPECT_EQ(Count("SELECT count(*) FROM locations WHERE city IS NULL AND id = " + Linked("site", "601")), 1);
    EXPECT_EQ(
        Count(
            "SELECT count(*) FROM locations WHERE is_primary = " +
            std::string(GetParam() == db::Dialect::kPostgres ? "true" : "1") + " AND id = " + Linked("site", "602")
        ),
        1
    );
    EXPECT_EQ(
        Count(
            "SELECT count(*) FROM locations WHERE is_primary = " +
            std::string(GetParam() == db::Dialect::kPostgres ? "false" : "0") + " AND id = " + Linked("site", "601")
        ),
        1
    );
    EXPECT_EQ(Text("SELECT city FROM locations WHERE id = " + Linked("site", "602")), "Antwerpen");
    EXPECT_EQ(
        Text("SELECT updated_at FROM locations WHERE id = " + Linked("site", "602")),
        FormatTimestamp(clock_.NowMillis())
    );
    EXPECT_EQ(Count("SELECT count(*) FROM activity_events WHERE action = 'update' AND resource_type = 'locations'"), 2);
}

}  // namespace mortar::sync::testing
