// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

// The fixture behind the table-driven resource tests: one shared server per backend,
// fresh fixtures per test, and helpers that create, list and page one resource as its
// ResourceSpec describes.

#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "api_checks.hpp"
#include "harness.hpp"
#include "resource_specs.hpp"

namespace mortar::ftest {

// One record a test created: its id, label and the data object of the 201.
struct Record {
    int64_t id = 0;
    std::string label;
    json::Value data;
};

// The fixture of the tests that need only a backend.
class BackendTest : public ::testing::TestWithParam<Backend> {
protected:
    void SetUp() override;
    // Whatever the test sent, the server still answers /healthz.
    void TearDown() override;
    Backend backend() const { return GetParam(); }

    // Creates one record through account A and returns its data object (null on failure,
    // which is also reported).
    json::Value Create(std::string_view path, std::string_view type, JObject attributes);
    // Creates and returns the id, 0 on failure.
    int64_t CreateId(std::string_view path, std::string_view type, JObject attributes);

    MortarServer* server_ = nullptr;
    std::unique_ptr<Clients> clients_;
    std::string tag_;
};

// The printable name of a backend parameter.
std::string BackendParamName(const ::testing::TestParamInfo<Backend>& info);

using ResourceParam = std::tuple<Backend, const ResourceSpec*>;

// The fixture of the table-driven tests: a backend and a resource table.
class ResourceTest : public ::testing::TestWithParam<ResourceParam> {
protected:
    void SetUp() override;
    // Whatever the test sent, the server still answers /healthz.
    void TearDown() override;

    const ResourceSpec& spec() const { return *std::get<1>(GetParam()); }
    HttpClient& a() { return clients_->a; }
    HttpClient& b() { return clients_->b; }

    // The label of the i-th record: labels sort in an order other than creation order.
    std::string Label(int i) const;
    // POSTs record i (spec.create) to the flat route as account A; expects 201.
    Record CreateRecord(int i);
    std::vector<Record> CreateRecords(int n);
    // The nested collection route under a parent id.
    std::string NestedPath(int64_t parent_id) const;
    // The parent of this test's records (organization or manufacturer), 0 if none.
    int64_t ParentId() const;
    int64_t OtherParentId() const;
    // The list route restricted to this test's records: "<path>?filter[...]=..." (no
    // trailing '&'), or the nested route for resources listed only there.
    std::string ScopeTarget(const std::vector<Record>& records) const;
    // Appends "key=value" to a target with '?' or '&'.
    static std::string WithParam(const std::string& target, const std::string& param);
    // GETs a list target with page[size]=1000 and returns the ids (reports failures).
    std::vector<int64_t> ListIds(HttpClient& client, const std::string& target);
    // total-count of the unscoped list (the nested list for nested-only resources).
    int64_t CountAll(HttpClient& client);
    // GET <path>/<id> as account A.
    HttpResponse Show(int64_t id);

    Backend backend_ = Backend::kSqlite;
    MortarServer* server_ = nullptr;
    std::unique_ptr<Clients> clients_;
    Fixtures fx_;
};

// "Sqlite_Organizations".
std::string ResourceParamName(const ::testing::TestParamInfo<ResourceParam>& info);

// Query parameters as a map with dash spellings normalised to underscores in keys and
// in sort values, so links can be compared with requests whatever spelling each uses.
std::map<std::string, std::string> NormalizedParams(std::string_view query);

}  // namespace mortar::ftest
