// SPDX-License-Identifier: AGPL-3.0-or-later
#include "resource_test_base.hpp"

#include <algorithm>

namespace mortar::ftest {

// ---- BackendTest ----

void BackendTest::SetUp() {
    if (backend() == Backend::kPostgres && !PostgresAvailable()) {
        GTEST_SKIP() << "MORTAR_TEST_PG_DSN is not set";
    }
    std::string error;
    server_ = SharedServer(backend(), &error);
    ASSERT_NE(server_, nullptr) << error;
    clients_ = std::make_unique<Clients>(*server_);
    tag_ = NewTag();
}

void BackendTest::TearDown() {
    if (clients_ != nullptr) {
        EXPECT_TRUE(HasStatus(clients_->anon.Get("/healthz"), 200)) << "the server stopped answering";
    }
}

json::Value BackendTest::Create(std::string_view path, std::string_view type, JObject attributes) {
    HttpResponse r = clients_->a.Post(path, Doc(type, std::move(attributes)));
    if (r.status != 201) {
        ADD_FAILURE() << "creating a fixture: " << r.Describe();
        return json::Value();
    }
    const json::Value* data = r.Json().Find("data");
    return data != nullptr ? *data : json::Value();
}

int64_t BackendTest::CreateId(std::string_view path, std::string_view type, JObject attributes) {
    json::Value data = Create(path, type, std::move(attributes));
    return data.is_object() ? IdOf(data) : 0;
}

std::string BackendParamName(const ::testing::TestParamInfo<Backend>& info) {
    return BackendName(info.param);
}

// ---- ResourceTest ----

namespace {

int64_t CreateFixture(HttpClient& client, std::string_view path, std::string_view type, JObject attributes) {
    HttpResponse r = client.Post(path, Doc(type, std::move(attributes)));
    if (r.status != 201) {
        ADD_FAILURE() << "creating a fixture: " << r.Describe();
        return 0;
    }
    const json::Value* data = r.Json().Find("data");
    return data != nullptr ? IdOf(*data) : 0;
}

}  // namespace

void ResourceTest::SetUp() {
    backend_ = std::get<0>(GetParam());
    if (backend_ == Backend::kPostgres && !PostgresAvailable()) {
        GTEST_SKIP() << "MORTAR_TEST_PG_DSN is not set";
    }
    std::string error;
    server_ = SharedServer(backend_, &error);
    ASSERT_NE(server_, nullptr) << error;
    clients_ = std::make_unique<Clients>(*server_);
    fx_.tag = NewTag();
    const std::string& t = fx_.tag;
    unsigned needs = spec().needs;
    if (needs & kNeedLocation) needs |= kNeedOrganization;
    if (needs & kNeedOrganization) {
        fx_.organization_id = CreateFixture(a(), "/api/organizations", "organizations", {{"name", t + "-parent"}});
        fx_.other_organization_id =
            CreateFixture(a(), "/api/organizations", "organizations", {{"name", t + "-other-parent"}});
        ASSERT_NE(fx_.organization_id, 0);
        ASSERT_NE(fx_.other_organization_id, 0);
    }
    if (needs & kNeedManufacturer) {
        fx_.manufacturer_id = CreateFixture(a(), "/api/manufacturers", "manufacturers", {{"name", t + "-maker"}});
        fx_.other_manufacturer_id =
            CreateFixture(a(), "/api/manufacturers", "manufacturers", {{"name", t + "-other-maker"}});
        ASSERT_NE(fx_.manufacturer_id, 0);
        ASSERT_NE(fx_.other_manufacturer_id, 0);
    }
    if (needs & kNeedOrganizationType) {
        fx_.organization_type_id =
            CreateFixture(a(), "/api/organization_types", "organization-types", {{"name", t + "-type"}});
        fx_.alt_organization_type_id =
            CreateFixture(a(), "/api/organization_types", "organization-types", {{"name", t + "-alt-type"}});
        ASSERT_NE(fx_.organization_type_id, 0);
        ASSERT_NE(fx_.alt_organization_type_id, 0);
    }
    if (needs & kNeedOrganizationStatus) {
        fx_.organization_status_id =
            CreateFixture(a(), "/api/organization_statuses", "organization-statuses", {{"name", t + "-status"}});
        ASSERT_NE(fx_.organization_status_id, 0);
    }
    if (needs & kNeedContactType) {
        fx_.contact_type_id = CreateFixture(a(), "/api/contact_types", "contact-types", {{"name", t + "-ctype"}});
        fx_.alt_contact_type_id =
            CreateFixture(a(), "/api/contact_types", "contact-types", {{"name", t + "-alt-ctype"}});
        ASSERT_NE(fx_.contact_type_id, 0);
        ASSERT_NE(fx_.alt_contact_type_id, 0);
    }
    if (needs & kNeedConfigurationType) {
        fx_.configuration_type_id =
            CreateFixture(a(), "/api/configuration_types", "configuration-types", {{"name", t + "-cfgtype"}});
        fx_.alt_configuration_type_id =
            CreateFixture(a(), "/api/configuration_types", "configuration-types", {{"name", t + "-alt-cfgtype"}});
        ASSERT_NE(fx_.configuration_type_id, 0);
        ASSERT_NE(fx_.alt_configuration_type_id, 0);
    }
    if (needs & kNeedLocation) {
        fx_.location_id = CreateFixture(
            a(), "/api/locations", "locations", {{"organization-id", fx_.organization_id}, {"name", t + "-site"}}
        );
        ASSERT_NE(fx_.location_id, 0);
    }
}

void ResourceTest::TearDown() {
    if (clients_ != nullptr) {
        EXPECT_TRUE(HasStatus(clients_->anon.Get("/healthz"), 200)) << "the server stopped answering";
    }
}

std::string ResourceTest::Label(int i) const {
    // A fixed permutation, so that label order differs from creation (id) order.
    static constexpr const char* kLetters[] = {"d", "b", "f", "a", "c", "g", "e", "i", "h", "j", "l", "k"};
    std::string letter = i < 12 ? kLetters[i] : "z" + std::to_string(i);
    return fx_.tag + "-" + letter;
}

Record ResourceTest::CreateRecord(int i) {
    Record rec;
    rec.label = Label(i);
    HttpResponse r = a().Post(spec().path, Doc(spec().type, spec().create(fx_, rec.label)));
    if (r.status != 201) {
        ADD_FAILURE() << "creating record " << i << ": " << r.Describe();
        return rec;
    }
    const json::Value* data = r.Json().Find("data");
    if (data == nullptr) {
        ADD_FAILURE() << "no data in " << r.Describe();
        return rec;
    }
    rec.data = *data;
    rec.id = IdOf(*data);
    return rec;
}

std::vector<Record> ResourceTest::CreateRecords(int n) {
    std::vector<Record> out;
    for (int i = 0; i < n; ++i) out.push_back(CreateRecord(i));
    return out;
}

std::string ResourceTest::NestedPath(int64_t parent_id) const {
    std::string parent = spec().parent == Parent::kManufacturer ? "/api/manufacturers/" : "/api/organizations/";
    return parent + std::to_string(parent_id) + "/relationships/" + spec().nested_segment;
}

int64_t ResourceTest::ParentId() const {
    switch (spec().parent) {
        case Parent::kOrganization:
            return fx_.organization_id;
        case Parent::kManufacturer:
            return fx_.manufacturer_id;
        default:
            return 0;
    }
}

int64_t ResourceTest::OtherParentId() const {
    switch (spec().parent) {
        case Parent::kOrganization:
            return fx_.other_organization_id;
        case Parent::kManufacturer:
            return fx_.other_manufacturer_id;
        default:
            return 0;
    }
}

std::string ResourceTest::ScopeTarget(const std::vector<Record>& records) const {
    switch (spec().scope) {
        case Scope::kOrganizationType:
            return spec().path + "?filter[organization_type_id]=" + std::to_string(fx_.organization_type_id);
        case Scope::kOrganization:
            return spec().path + "?filter[organization_id]=" + std::to_string(fx_.organization_id);
        case Scope::kNestedOnly:
            return NestedPath(ParentId());
        case Scope::kLabels: {
            std::string labels;
            for (const Record& r : records) labels += (labels.empty() ? "" : ",") + UrlEncode(r.label);
            // No record yet: a label nobody has, so the scope is empty.
            if (labels.empty()) labels = fx_.tag + "-none";
            return spec().path + "?filter[" + DashToUnderscore(spec().label) + "]=" + labels;
        }
    }
    return spec().path;
}

std::string ResourceTest::WithParam(const std::string& target, const std::string& param) {
    return target + (target.find('?') == std::string::npos ? "?" : "&") + param;
}

std::vector<int64_t> ResourceTest::ListIds(HttpClient& client, const std::string& target) {
    HttpResponse r = client.Get(WithParam(target, "page[size]=1000"));
    if (r.status != 200) {
        ADD_FAILURE() << "listing: " << r.Describe();
        return {};
    }
    return IdsOf(r.Json());
}

int64_t ResourceTest::CountAll(HttpClient& client) {
    std::string target = spec().scope == Scope::kNestedOnly ? NestedPath(ParentId()) : spec().path;
    HttpResponse r = client.Get(WithParam(target, "page[size]=1"));
    if (r.status != 200) {
        ADD_FAILURE() << "counting: " << r.Describe();
        return -1;
    }
    const json::Value* count = At(r.Json(), "meta.total-count");
    if (count == nullptr || !count->is_int()) {
        ADD_FAILURE() << "no integer meta.total-count: " << r.Describe();
        return -1;
    }
    return count->as_int();
}

HttpResponse ResourceTest::Show(int64_t id) {
    return a().Get(spec().path + "/" + std::to_string(id));
}

std::string ResourceParamName(const ::testing::TestParamInfo<ResourceParam>& info) {
    return BackendName(std::get<0>(info.param)) + "_" + std::get<1>(info.param)->name;
}

std::map<std::string, std::string> NormalizedParams(std::string_view query) {
    std::map<std::string, std::string> out;
    for (auto& [k, v] : DecodeForm(query)) {
        std::string key = DashToUnderscore(k);
        std::string value = v;
        if (key == "sort") {
            std::string norm;
            for (size_t i = 0; i < value.size(); ++i) {
                bool leading = i == 0 || value[i - 1] == ',';
                norm += (value[i] == '-' && !leading) ? '_' : value[i];
            }
            value = norm;
        }
        out[key] = value;
    }
    return out;
}

}  // namespace mortar::ftest
