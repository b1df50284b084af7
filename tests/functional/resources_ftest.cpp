// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Table-driven HTTP tests of every resource of API.md section 3 (3.1, 3.2, 3.5, 3.6):
// each test below runs once per backend and per ResourceSpec (resource_specs.cpp).

#include <algorithm>
#include <regex>

#include "resource_test_base.hpp"

namespace mortar::ftest {
namespace {

constexpr int64_t kMissingId = 987654321;

std::string S(int64_t v) {
    return std::to_string(v);
}

// The value of an attribute of a data object ("id" is data.id) as a filter string.
std::string FilterValue(const json::Value& data, const std::string& attr) {
    if (attr == "id") return S(IdOf(data));
    const json::Value* v = At(data, "attributes." + attr);
    if (v == nullptr) return "";
    if (v->is_int()) return S(v->as_int());
    if (v->is_string()) return v->as_string();
    return v->Dump();
}

// The data member of a response (null when absent).
json::Value DataOf(const HttpResponse& r) {
    return ValueAt(r.Json(), "data");
}

// The attributes of a data object (null when absent).
json::Value AttrsOf(const json::Value& data) {
    const json::Value* attrs = data.Find("attributes");
    return attrs != nullptr ? *attrs : json::Value();
}

const json::Value* Attr(const json::Value& data, const std::string& attr) {
    return At(data, "attributes." + attr);
}

std::string AttrString(const json::Value& data, const std::string& attr) {
    const json::Value* v = Attr(data, attr);
    return v != nullptr && v->is_string() ? v->as_string() : "";
}

// The pointers API.md accepts for an attribute: the example uses the attribute name as
// sent. For multi-word attributes API.md does not say whether the pointer is spelled
// kebab or snake (both are valid input spellings, R1), so either is accepted.
std::vector<std::string> AttributePointers(const std::string& attr) {
    std::vector<std::string> out = {"/data/attributes/" + attr};
    if (DashToUnderscore(attr) != attr) out.push_back("/data/attributes/" + DashToUnderscore(attr));
    return out;
}

// Replaces the whole-number token `id` with <id>, so that error bodies about two
// different ids can be compared byte for byte.
std::string MaskId(const std::string& body, int64_t id) {
    return std::regex_replace(body, std::regex("\\b" + S(id) + "\\b"), "<id>");
}

// The capabilities of a resource each get a fixture, instantiated only with the tables
// that have them (see the end of this file).
class BulkUpdateTest : public ResourceTest {};  // bulk PATCH
class BulkDeleteTest : public ResourceTest {};  // bulk DELETE
class ReferenceTest : public ResourceTest {};   // a foreign key that must exist
class FilterTest : public ResourceTest {};      // documented filters
class SortTest : public ResourceTest {};        // documented sort keys (not nested-only)
class NestedTest : public ResourceTest {};      // nested routes under a parent
class NestedBulkDeleteTest : public ResourceTest {};

// ---- create, show, list ----

TEST_P(ResourceTest, CreateReturns201WithTheDocumentedShape) {
    std::string label = Label(0);
    JObject attrs = spec().create(fx_, label);
    HttpResponse r = a().Post(spec().path, Doc(spec().type, attrs));
    ASSERT_TRUE(HasStatus(r, 201));
    EXPECT_TRUE(HasJsonApiContentType(r));
    json::Value doc = r.Json();
    const json::Value* data = doc.Find("data");
    ASSERT_NE(data, nullptr) << r.Describe();
    EXPECT_TRUE(IsResourceObject(*data, spec().type));
    for (const std::string& key : spec().attributes) {
        EXPECT_NE(Attr(*data, key), nullptr)
            << "attribute '" << key << "' missing (null, never left out): " << r.Describe();
    }
    for (const std::string& key : spec().null_when_unset) {
        const json::Value* v = Attr(*data, key);
        EXPECT_TRUE(v != nullptr && v->is_null()) << "unset attribute '" << key << "' must be null: " << r.Describe();
    }
    for (const auto& [key, value] : attrs) {
        const json::Value* got = Attr(*data, key);
        EXPECT_TRUE(got != nullptr && JsonSubset(value, *got))
            << "attribute '" << key << "' sent as " << value.Dump() << ": " << r.Describe();
    }
    const json::Value* created = Attr(*data, "created-at");
    const json::Value* updated = Attr(*data, "updated-at");
    ASSERT_TRUE(created != nullptr && updated != nullptr);
    // Not spelled out in API.md; read as: a record nobody has updated yet was updated when created.
    EXPECT_TRUE(JsonEqual(*created, *updated)) << "a new record has created-at == updated-at: " << r.Describe();
    if (!spec().parent_fk.empty()) {
        const json::Value* fk = Attr(*data, spec().parent_fk);
        EXPECT_TRUE(fk != nullptr && fk->is_int() && fk->as_int() == ParentId())
            << "foreign keys are JSON integers: " << r.Describe();
    }
}

TEST_P(ResourceTest, CreateAcceptsSnakeKeysSnakeTypeAndStringIds) {
    // itglue-py: snake type, snake keys, every *_id a digit string (R1, R2, R3).
    std::string label = Label(0);
    JObject attrs = spec().create(fx_, label);
    json::Value snake_attrs = ToSnakeBody(json::Value(attrs), /*ids_as_strings=*/true);
    std::string body = Doc(DashToUnderscore(spec().type), snake_attrs.as_object());
    HttpResponse r = a().Post(spec().path, body);
    ASSERT_TRUE(HasStatus(r, 201)) << "body: " << body;
    json::Value doc = r.Json();
    const json::Value* data = doc.Find("data");
    ASSERT_NE(data, nullptr);
    EXPECT_TRUE(IsResourceObject(*data, spec().type));
    for (const auto& [key, value] : attrs) {
        const json::Value* got = Attr(*data, key);
        EXPECT_TRUE(got != nullptr && JsonSubset(value, *got))
            << "attribute '" << key << "' sent in snake_case: " << r.Describe();
    }
}

TEST_P(ResourceTest, ShowReturnsTheRecordAsCreated) {
    Record rec = CreateRecord(0);
    ASSERT_NE(rec.id, 0);
    HttpResponse r = Show(rec.id);
    ASSERT_TRUE(HasStatus(r, 200));
    EXPECT_TRUE(HasJsonApiContentType(r));
    json::Value doc = r.Json();
    const json::Value* data = doc.Find("data");
    ASSERT_NE(data, nullptr);
    EXPECT_TRUE(IsResourceObject(*data, spec().type));
    EXPECT_TRUE(JsonEqual(AttrsOf(*data), AttrsOf(rec.data)))
        << "GET differs from the 201 body\ncreate: " << rec.data.Dump() << "\nshow:   " << data->Dump();
    EXPECT_EQ(doc.Find("meta"), nullptr) << "meta is for collections only";
}

TEST_P(ResourceTest, ShowUnknownOrNonNumericIdIs404) {
    EXPECT_TRUE(IsErrorResponse(a().Get(spec().path + "/" + S(kMissingId)), 404));
    // API.md 2.9 lists 400 for "a parameter of the wrong type" and 404 for "unknown
    // record". A non-numeric id in the path can name no record, so it is an unknown
    // record: 404, as IT Glue answers.
    EXPECT_TRUE(IsErrorResponse(a().Get(spec().path + "/abc"), 404));
    EXPECT_TRUE(IsErrorResponse(a().Get(spec().path + "/12abc"), 404));
    EXPECT_TRUE(
        IsErrorResponse(a().Patch(spec().path + "/abc", Doc(spec().type, {{spec().update_attr, "x"}}, "1")), 404)
    );
}

TEST_P(ResourceTest, ListReturnsTheRecordsInIdOrderWithMeta) {
    std::vector<Record> recs = CreateRecords(3);
    ASSERT_FALSE(HasFailure());
    HttpResponse r = a().Get(ScopeTarget(recs));
    ASSERT_TRUE(HasStatus(r, 200));
    EXPECT_TRUE(HasJsonApiContentType(r));
    json::Value doc = r.Json();
    std::vector<int64_t> want;
    for (const Record& rec : recs) want.push_back(rec.id);
    std::sort(want.begin(), want.end());
    EXPECT_EQ(IdsOf(doc), want) << "default order is id ascending: " << r.Describe();
    const json::Value* data = doc.Find("data");
    ASSERT_TRUE(data != nullptr && data->is_array());
    for (const json::Value& d : data->as_array()) EXPECT_TRUE(IsResourceObject(d, spec().type));
    for (const char* key : {"current-page", "total-pages", "total-count"}) {
        const json::Value* v = At(doc, std::string("meta.") + key);
        EXPECT_TRUE(v != nullptr && v->is_int()) << "meta." << key << ": " << r.Describe();
    }
    EXPECT_EQ(At(doc, "meta.total-count")->as_int(), 3);
    EXPECT_EQ(At(doc, "meta.total-pages")->as_int(), 1);
    for (const char* key : {"next-page", "prev-page"}) {
        const json::Value* v = At(doc, std::string("meta.") + key);
        EXPECT_TRUE(v != nullptr && v->is_null()) << "meta." << key << " is present and null: " << r.Describe();
    }
}

// ---- update ----

TEST_P(ResourceTest, UpdateWithIdInDataAndKebabKeys) {
    // node-it-glue: data.id, kebab keys.
    Record rec = CreateRecord(0);
    ASSERT_NE(rec.id, 0);
    std::string value = rec.label + "-updated";
    HttpResponse r =
        a().Patch(spec().path + "/" + S(rec.id), Doc(spec().type, {{spec().update_attr, value}}, S(rec.id)));
    ASSERT_TRUE(HasStatus(r, 200));
    json::Value doc = r.Json();
    const json::Value* data = doc.Find("data");
    ASSERT_NE(data, nullptr);
    EXPECT_TRUE(IsResourceObject(*data, spec().type));
    EXPECT_EQ(IdOf(*data), rec.id);
    EXPECT_EQ(AttrString(*data, spec().update_attr), value) << r.Describe();
    EXPECT_GE(AttrString(*data, "updated-at"), AttrString(rec.data, "updated-at"));
    EXPECT_EQ(AttrString(*data, "created-at"), AttrString(rec.data, "created-at"));
    HttpResponse shown = Show(rec.id);
    ASSERT_TRUE(HasStatus(shown, 200));
    EXPECT_EQ(AttrString(DataOf(shown), spec().update_attr), value) << "the update was not stored";
}

TEST_P(ResourceTest, UpdateWithIdInAttributesSnakeKeysAndStringForeignKey) {
    // itglue-py: data.attributes.id, snake type and keys, *_id as digit strings.
    Record rec = CreateRecord(0);
    ASSERT_NE(rec.id, 0);
    std::string value = rec.label + "-snake";
    JObject attrs = {{"id", S(rec.id)}, {DashToUnderscore(spec().update_attr), value}};
    int64_t fk_target = 0;
    if (!spec().update_fk.empty()) {
        fk_target = spec().update_fk_target(fx_);
        attrs.emplace_back(DashToUnderscore(spec().update_fk), S(fk_target));
    }
    HttpResponse r = a().Patch(spec().path + "/" + S(rec.id), Doc(DashToUnderscore(spec().type), attrs));
    ASSERT_TRUE(HasStatus(r, 200));
    json::Value doc = r.Json();
    const json::Value* data = doc.Find("data");
    ASSERT_NE(data, nullptr);
    EXPECT_TRUE(IsResourceObject(*data, spec().type));
    EXPECT_EQ(AttrString(*data, spec().update_attr), value) << r.Describe();
    if (fk_target != 0) {
        const json::Value* fk = Attr(*data, spec().update_fk);
        EXPECT_TRUE(fk != nullptr && fk->is_int() && fk->as_int() == fk_target)
            << spec().update_fk << " sent as \"" << fk_target << "\": " << r.Describe();
    }
}

TEST_P(ResourceTest, UpdateIgnoresReadOnlyAndUnknownAttributes) {
    // itglue-py's save() echoes everything it read (R4): read-only attributes with
    // other values, and keys the server does not know, are ignored without error.
    Record rec = CreateRecord(0);
    ASSERT_NE(rec.id, 0);
    JObject attrs;
    for (const std::string& key : spec().read_only) {
        const json::Value* current = Attr(rec.data, key);
        if (key == "created-at" || key == "updated-at") {
            attrs.emplace_back(key, "2001-02-03T04:05:06.000Z");
        } else if (key.size() > 5 && key.compare(key.size() - 5, 5, "-name") == 0) {
            attrs.emplace_back(key, "Echoed Name");
        } else if (current != nullptr) {
            attrs.emplace_back(key, *current);
        }
    }
    attrs.emplace_back("resource-url", "http://elsewhere.example/1/x/2");
    attrs.emplace_back("no-such-attribute", "x");
    attrs.emplace_back("another_unknown", JObject{{"nested", true}});
    std::string value = rec.label + "-r4";
    attrs.emplace_back(spec().update_attr, value);
    HttpResponse r = a().Patch(spec().path + "/" + S(rec.id), Doc(spec().type, attrs, S(rec.id)));
    ASSERT_TRUE(HasStatus(r, 200));
    json::Value doc = r.Json();
    const json::Value* data = doc.Find("data");
    ASSERT_NE(data, nullptr);
    EXPECT_EQ(AttrString(*data, spec().update_attr), value);
    EXPECT_EQ(AttrString(*data, "created-at"), AttrString(rec.data, "created-at")) << "created-at is read-only";
    EXPECT_NE(AttrString(*data, "updated-at"), "2001-02-03T04:05:06.000Z") << "updated-at is read-only";
    for (const std::string& key : spec().read_only) {
        if (key.size() > 5 && key.compare(key.size() - 5, 5, "-name") == 0) {
            EXPECT_NE(AttrString(*data, key), "Echoed Name") << key << " is read-only: " << r.Describe();
        }
    }
    EXPECT_EQ(Attr(*data, "no-such-attribute"), nullptr);
}

TEST_P(ResourceTest, CreateIgnoresReadOnlyAndUnknownAttributes) {
    std::string label = Label(0);
    JObject attrs = spec().create(fx_, label);
    attrs.emplace_back("created-at", "2001-02-03T04:05:06.000Z");
    attrs.emplace_back("updated-at", "2001-02-03T04:05:06.000Z");
    attrs.emplace_back("resource-url", "http://elsewhere.example/1/x/2");
    attrs.emplace_back("no-such-attribute", 17);
    HttpResponse r = a().Post(spec().path, Doc(spec().type, attrs));
    ASSERT_TRUE(HasStatus(r, 201));
    json::Value doc = r.Json();
    const json::Value* data = doc.Find("data");
    ASSERT_NE(data, nullptr);
    EXPECT_NE(AttrString(*data, "created-at"), "2001-02-03T04:05:06.000Z") << r.Describe();
    EXPECT_EQ(AttrString(*data, spec().label), label);
    EXPECT_EQ(Attr(*data, "no-such-attribute"), nullptr);
}

// ---- validation; nothing is written ----

TEST_P(ResourceTest, MissingRequiredAttributeIs422WithPointerAndWritesNothing) {
    int64_t before = CountAll(a());
    JObject attrs;
    for (auto& [k, v] : spec().create(fx_, Label(0))) {
        if (k != spec().required) attrs.emplace_back(k, v);
    }
    HttpResponse r = a().Post(spec().path, Doc(spec().type, attrs));
    EXPECT_TRUE(IsErrorResponse(r, 422, AttributePointers(spec().required)));
    // Blank is missing too.
    JObject blank = spec().create(fx_, Label(1));
    for (auto& [k, v] : blank) {
        if (k == spec().required) v = json::Value();
    }
    EXPECT_TRUE(IsErrorResponse(a().Post(spec().path, Doc(spec().type, blank)), 422, AttributePointers(spec().required))
    );
    EXPECT_EQ(CountAll(a()), before) << "a rejected create wrote a record";
}

TEST_P(ReferenceTest, ReferenceToAMissingRecordIs422) {
    int64_t before = CountAll(a());
    JObject attrs = spec().create(fx_, Label(0));
    bool replaced = false;
    for (auto& [k, v] : attrs) {
        if (k == spec().reference) {
            v = json::Value(int64_t{999999});
            replaced = true;
        }
    }
    if (!replaced) attrs.emplace_back(spec().reference, int64_t{999999});
    HttpResponse r = a().Post(spec().path, Doc(spec().type, attrs));
    EXPECT_TRUE(IsErrorResponse(r, 422));
    EXPECT_EQ(CountAll(a()), before) << "a rejected create wrote a record";
    // The same on update.
    Record rec = CreateRecord(1);
    ASSERT_NE(rec.id, 0);
    HttpResponse u = a().Patch(
        spec().path + "/" + S(rec.id),
        Doc(spec().type, {{spec().reference, int64_t{999999}}, {spec().update_attr, "zz"}}, S(rec.id))
    );
    EXPECT_TRUE(IsErrorResponse(u, 422));
    HttpResponse shown = Show(rec.id);
    ASSERT_TRUE(HasStatus(shown, 200));
    EXPECT_TRUE(JsonEqual(AttrsOf(DataOf(shown)), AttrsOf(rec.data)))
        << "a rejected update changed the record: " << shown.Describe();
}

TEST_P(ResourceTest, TypeNotMatchingTheRouteIs422AtDataType) {
    int64_t before = CountAll(a());
    HttpResponse r = a().Post(spec().path, Doc("widgets", spec().create(fx_, Label(0))));
    EXPECT_TRUE(IsErrorResponse(r, 422, {"/data/type"}));
    EXPECT_EQ(CountAll(a()), before);
    Record rec = CreateRecord(1);
    ASSERT_NE(rec.id, 0);
    HttpResponse u = a().Patch(spec().path + "/" + S(rec.id), Doc("widgets", {{spec().update_attr, "zz"}}, S(rec.id)));
    EXPECT_TRUE(IsErrorResponse(u, 422, {"/data/type"}));
    HttpResponse shown = Show(rec.id);
    EXPECT_TRUE(JsonEqual(AttrsOf(DataOf(shown)), AttrsOf(rec.data)));
}

// ---- bulk update ----

TEST_P(BulkUpdateTest, BulkUpdateReturnsTheRecordsInOrder) {
    std::vector<Record> recs = CreateRecords(3);
    ASSERT_FALSE(HasFailure());
    // Deliberately not in id order; the first item uses attributes.id (itglue-py, as a
    // JSON number), the second data.id (node-it-glue), the third attributes.id as a string.
    std::string v2 = recs[2].label + "-bulk", v0 = recs[0].label + "-bulk", v1 = recs[1].label + "-bulk";
    std::string body = BulkDoc(
        {Item(spec().type, {{"id", recs[2].id}, {spec().update_attr, v2}}),
         Item(spec().type, {{spec().update_attr, v0}}, S(recs[0].id)),
         Item(DashToUnderscore(spec().type), {{"id", S(recs[1].id)}, {DashToUnderscore(spec().update_attr), v1}})}
    );
    HttpResponse r = a().Patch(spec().path, body);
    ASSERT_TRUE(HasStatus(r, 200));
    json::Value doc = r.Json();
    EXPECT_EQ(IdsOf(doc), (std::vector<int64_t>{recs[2].id, recs[0].id, recs[1].id})) << r.Describe();
    const json::Value* data = doc.Find("data");
    ASSERT_TRUE(data != nullptr && data->is_array() && data->as_array().size() == 3) << r.Describe();
    EXPECT_EQ(AttrString(data->as_array()[0], spec().update_attr), v2);
    EXPECT_EQ(AttrString(data->as_array()[1], spec().update_attr), v0);
    EXPECT_EQ(AttrString(data->as_array()[2], spec().update_attr), v1);
    for (const json::Value& d : data->as_array()) EXPECT_TRUE(IsResourceObject(d, spec().type));
    EXPECT_EQ(AttrString(DataOf(Show(recs[0].id)), spec().update_attr), v0);
}

TEST_P(BulkUpdateTest, BulkUpdateWithAnUnknownSecondIdChangesNothing) {
    Record rec = CreateRecord(0);
    ASSERT_NE(rec.id, 0);
    std::string body = BulkDoc(
        {Item(spec().type, {{"id", rec.id}, {spec().update_attr, "must-not-stick"}}),
         Item(spec().type, {{"id", kMissingId}, {spec().update_attr, "x"}})}
    );
    EXPECT_TRUE(IsErrorResponse(a().Patch(spec().path, body), 404));
    HttpResponse shown = Show(rec.id);
    ASSERT_TRUE(HasStatus(shown, 200));
    EXPECT_TRUE(JsonEqual(AttrsOf(DataOf(shown)), AttrsOf(rec.data)))
        << "half-written bulk update: " << shown.Describe();
}

TEST_P(BulkUpdateTest, BulkUpdateWithAnInvalidSecondItemChangesNothing) {
    std::vector<Record> recs = CreateRecords(2);
    ASSERT_FALSE(HasFailure());
    std::string body = BulkDoc(
        {Item(spec().type, {{"id", recs[0].id}, {spec().update_attr, "must-not-stick"}}),
         Item(spec().type, {{"id", recs[1].id}, {spec().required, nullptr}})}
    );
    EXPECT_TRUE(IsErrorResponse(a().Patch(spec().path, body), 422));
    for (const Record& rec : recs) {
        HttpResponse shown = Show(rec.id);
        ASSERT_TRUE(HasStatus(shown, 200));
        EXPECT_TRUE(JsonEqual(AttrsOf(DataOf(shown)), AttrsOf(rec.data)))
            << "half-written bulk update: " << shown.Describe();
    }
    // A non-numeric id in a body is a parameter of the wrong type: 400 (API.md 2.9).
    std::string bad_id = BulkDoc(
        {Item(spec().type, {{"id", recs[0].id}, {spec().update_attr, "must-not-stick"}}),
         Item(spec().type, {{"id", "abc"}, {spec().update_attr, "x"}})}
    );
    EXPECT_TRUE(IsErrorResponse(a().Patch(spec().path, bad_id), 400));
    EXPECT_TRUE(JsonEqual(AttrsOf(DataOf(Show(recs[0].id))), AttrsOf(recs[0].data)));
}

// ---- bulk delete ----

TEST_P(BulkDeleteTest, BulkDeleteReturnsTheDeletedRecordsThenTheyAre404) {
    std::vector<Record> recs = CreateRecords(3);
    ASSERT_FALSE(HasFailure());
    // The documented place is data[].attributes.id; data[].id is accepted too (R5).
    std::string body = BulkDoc({Item(spec().type, {{"id", recs[2].id}}), Item(spec().type, {}, S(recs[0].id))});
    HttpResponse r = a().Delete(spec().path, body);
    ASSERT_TRUE(HasStatus(r, 200));
    json::Value doc = r.Json();
    EXPECT_EQ(IdsOf(doc), (std::vector<int64_t>{recs[2].id, recs[0].id})) << r.Describe();
    const json::Value* data = doc.Find("data");
    ASSERT_TRUE(data != nullptr && data->is_array() && data->as_array().size() == 2);
    EXPECT_TRUE(IsResourceObject(data->as_array()[0], spec().type));
    EXPECT_EQ(AttrString(data->as_array()[0], spec().label), recs[2].label) << "the record as it was before deletion";
    EXPECT_EQ(AttrString(data->as_array()[1], spec().label), recs[0].label);
    EXPECT_TRUE(IsErrorResponse(Show(recs[2].id), 404));
    EXPECT_TRUE(IsErrorResponse(Show(recs[0].id), 404));
    EXPECT_TRUE(HasStatus(Show(recs[1].id), 200));
    EXPECT_EQ(ListIds(a(), ScopeTarget(recs)), std::vector<int64_t>{recs[1].id});
}

TEST_P(BulkDeleteTest, BulkDeleteWithAnUnknownIdDeletesNothing) {
    Record rec = CreateRecord(0);
    ASSERT_NE(rec.id, 0);
    std::string body = BulkDoc({Item(spec().type, {{"id", rec.id}}), Item(spec().type, {{"id", kMissingId}})});
    EXPECT_TRUE(IsErrorResponse(a().Delete(spec().path, body), 404));
    EXPECT_TRUE(HasStatus(Show(rec.id), 200)) << "half-done bulk delete";
    std::string bad_id = BulkDoc({Item(spec().type, {{"id", rec.id}}), Item(spec().type, {{"id", "abc"}})});
    EXPECT_TRUE(IsErrorResponse(a().Delete(spec().path, bad_id), 400));
    EXPECT_TRUE(HasStatus(Show(rec.id), 200)) << "half-done bulk delete";
}

// ---- pagination ----

TEST_P(ResourceTest, PaginationWalkFollowsLinksNextUntilAbsent) {
    std::vector<Record> recs = CreateRecords(7);
    ASSERT_FALSE(HasFailure());
    // API.md documents no sort keys for nested-only resources (models): they page in
    // the default id order.
    bool sorted_by_label = spec().scope != Scope::kNestedOnly;
    std::vector<Record> sorted = recs;
    if (sorted_by_label) {
        std::sort(sorted.begin(), sorted.end(), [](const Record& x, const Record& y) { return x.label < y.label; });
    }
    std::vector<int64_t> want;
    for (const Record& r : sorted) want.push_back(r.id);

    // The sort key goes out in its dash spelling, the page size with literal brackets.
    std::string scope = ScopeTarget(recs);
    if (sorted_by_label) scope = WithParam(scope, "sort=" + UnderscoreToDash(spec().label));
    std::string first = WithParam(scope, "page[size]=3");
    std::map<std::string, std::string> sent = NormalizedParams(first.substr(first.find('?') + 1));
    std::string path = first.substr(0, first.find('?'));
    std::string url_prefix = server_->base_url() + path + "?";

    auto check_link = [&](const json::Value& doc, const std::string& name, int64_t page) {
        const json::Value* link = At(doc, "links." + name);
        if (link == nullptr || !link->is_string()) {
            ADD_FAILURE() << "links." << name << " missing on page " << page << ": " << doc.Dump();
            return;
        }
        const std::string& url = link->as_string();
        if (url.rfind(url_prefix, 0) != 0) {
            ADD_FAILURE() << "links." << name << " = " << url << " must be absolute, with /api: " << url_prefix;
            return;
        }
        std::map<std::string, std::string> got = NormalizedParams(url.substr(url_prefix.size()));
        std::map<std::string, std::string> expected = sent;
        expected["page[number]"] = S(page);
        EXPECT_EQ(got, expected) << "links." << name << " = " << url
                                 << " must keep every parameter, with only page[number] changed";
    };

    std::vector<int64_t> seen;
    HttpResponse r = a().Get(first);
    for (int64_t page = 1; page <= 5; ++page) {
        ASSERT_TRUE(HasStatus(r, 200));
        json::Value doc = r.Json();
        for (int64_t id : IdsOf(doc)) seen.push_back(id);
        const json::Value* meta = doc.Find("meta");
        ASSERT_NE(meta, nullptr) << r.Describe();
        auto meta_int = [&](const char* key) -> std::optional<int64_t> {
            const json::Value* v = meta->Find(key);
            if (v == nullptr) {
                ADD_FAILURE() << "meta." << key << " missing: " << r.Describe();
                return std::nullopt;
            }
            if (v->is_null()) return std::nullopt;
            EXPECT_TRUE(v->is_int()) << "meta." << key << " is an integer: " << r.Describe();
            return v->is_int() ? std::optional<int64_t>(v->as_int()) : std::nullopt;
        };
        EXPECT_EQ(meta_int("current-page"), page) << r.Describe();
        EXPECT_EQ(meta_int("total-pages"), 3) << r.Describe();
        EXPECT_EQ(meta_int("total-count"), 7) << r.Describe();
        EXPECT_EQ(meta_int("prev-page"), page == 1 ? std::nullopt : std::optional<int64_t>(page - 1)) << r.Describe();
        EXPECT_EQ(meta_int("next-page"), page == 3 ? std::nullopt : std::optional<int64_t>(page + 1)) << r.Describe();
        check_link(doc, "self", page);
        check_link(doc, "first", 1);
        check_link(doc, "last", 3);
        if (page > 1) check_link(doc, "prev", page - 1);
        const json::Value* prev = At(doc, "links.prev");
        if (page == 1) {
            EXPECT_TRUE(prev == nullptr || prev->is_null()) << "no prev on the first page";
        }
        const json::Value* next = At(doc, "links.next");
        if (next == nullptr || next->is_null()) {
            EXPECT_EQ(page, 3) << "links.next missing before the last page: " << r.Describe();
            break;
        }
        ASSERT_LT(page, 3) << "links.next present on the last page: " << r.Describe();
        check_link(doc, "next", page + 1);
        ASSERT_TRUE(next->is_string());
        // itglue-py: fetch links.next exactly as given, adding nothing.
        r = a().GetAbsolute(next->as_string());
    }
    EXPECT_EQ(seen, want) << "the walk must yield every record once, in sort order";

    // node-it-glue and PowerShell set page[number] themselves, percent-encoded brackets.
    std::string again = ScopeTarget(recs);
    if (sorted_by_label) again = WithParam(again, "sort=" + DashToUnderscore(spec().label));
    HttpResponse p2 = a().Get(WithParam(again, "page%5Bsize%5D=3&page%5Bnumber%5D=2"));
    ASSERT_TRUE(HasStatus(p2, 200));
    EXPECT_EQ(IdsOf(p2.Json()), (std::vector<int64_t>{want[3], want[4], want[5]}));
}

TEST_P(ResourceTest, EmptyListHasZeroTotalPagesAndNullPageLinks) {
    HttpResponse r = a().Get(ScopeTarget({}));
    ASSERT_TRUE(HasStatus(r, 200));
    json::Value doc = r.Json();
    const json::Value* data = doc.Find("data");
    ASSERT_TRUE(data != nullptr && data->is_array()) << r.Describe();
    EXPECT_TRUE(data->as_array().empty()) << r.Describe();
    const json::Value* count = At(doc, "meta.total-count");
    const json::Value* pages = At(doc, "meta.total-pages");
    const json::Value* next = At(doc, "meta.next-page");
    const json::Value* prev = At(doc, "meta.prev-page");
    EXPECT_TRUE(count != nullptr && count->is_int() && count->as_int() == 0) << r.Describe();
    EXPECT_TRUE(pages != nullptr && pages->is_int() && pages->as_int() == 0) << "total-pages 0: " << r.Describe();
    EXPECT_TRUE(next != nullptr && next->is_null()) << r.Describe();
    EXPECT_TRUE(prev != nullptr && prev->is_null()) << r.Describe();
    const json::Value* link_next = At(doc, "links.next");
    EXPECT_TRUE(link_next == nullptr || link_next->is_null()) << r.Describe();
}

// ---- filters and sort ----

TEST_P(FilterTest, FiltersWorkInBothSpellingsAndBracketEncodings) {
    std::vector<Record> recs = CreateRecords(3);
    ASSERT_FALSE(HasFailure());
    std::string path = spec().path;
    for (const std::string& attr : spec().filters) {
        std::string value = FilterValue(recs[1].data, attr);
        ASSERT_FALSE(value.empty()) << attr << " of " << recs[1].data.Dump();
        std::vector<int64_t> want;
        for (const Record& rec : recs) {
            if (FilterValue(rec.data, attr) == value) want.push_back(rec.id);
        }
        for (const std::string& name : {UnderscoreToDash(attr), DashToUnderscore(attr)}) {
            for (const char* open_close : {"[]", "%5B%5D"}) {
                std::string open = open_close[0] == '[' ? "[" : "%5B";
                std::string close = open_close[0] == '[' ? "]" : "%5D";
                std::string target = path + "?filter" + open + name + close + "=" + UrlEncode(value);
                std::vector<int64_t> got = ListIds(a(), target);
                EXPECT_EQ(got, want) << "GET " << target;
            }
        }
    }
}

TEST_P(FilterTest, CommaInAFilterMeansAnyOf) {
    std::vector<Record> recs = CreateRecords(4);
    ASSERT_FALSE(HasFailure());
    std::string attr =
        std::find(spec().filters.begin(), spec().filters.end(), "id") != spec().filters.end() ? "id" : spec().label;
    std::string value = FilterValue(recs[3].data, attr) + "," + FilterValue(recs[0].data, attr);
    std::string target = spec().path + "?filter[" + DashToUnderscore(attr) + "]=" + value;
    std::vector<int64_t> want = {recs[0].id, recs[3].id};
    std::sort(want.begin(), want.end());
    EXPECT_EQ(ListIds(a(), target), want) << "GET " << target;
    // Percent-encoded comma (URLSearchParams encodes it).
    std::string encoded = spec().path + "?filter%5B" + DashToUnderscore(attr) + "%5D=" + UrlEncode(value);
    EXPECT_EQ(ListIds(a(), encoded), want) << "GET " << encoded;
}

TEST_P(ResourceTest, UnknownFilterIsIgnored) {
    // (Mortar choice, API.md 2.6.)
    std::vector<Record> recs = CreateRecords(2);
    ASSERT_FALSE(HasFailure());
    std::vector<int64_t> want = {recs[0].id, recs[1].id};
    EXPECT_EQ(ListIds(a(), WithParam(ScopeTarget(recs), "filter[no_such_field]=1")), want);
}

TEST_P(SortTest, SortAscendingDescendingAndByMultipleKeys) {
    std::vector<Record> recs = CreateRecords(4);
    ASSERT_FALSE(HasFailure());
    std::vector<Record> by_label = recs;
    std::sort(by_label.begin(), by_label.end(), [](const Record& x, const Record& y) { return x.label < y.label; });
    std::vector<int64_t> asc, desc;
    for (const Record& r : by_label) asc.push_back(r.id);
    desc.assign(asc.rbegin(), asc.rend());
    std::string scope = ScopeTarget(recs);
    std::string dash = UnderscoreToDash(spec().label), snake = DashToUnderscore(spec().label);
    EXPECT_EQ(ListIds(a(), WithParam(scope, "sort=" + dash)), asc) << "sort=" << dash;
    EXPECT_EQ(ListIds(a(), WithParam(scope, "sort=" + snake)), asc) << "sort=" << snake;
    EXPECT_EQ(ListIds(a(), WithParam(scope, "sort=-" + dash)), desc) << "sort=-" << dash;
    EXPECT_EQ(ListIds(a(), WithParam(scope, "sort=-" + snake)), desc) << "sort=-" << snake;

    std::vector<int64_t> ids;
    for (const Record& r : recs) ids.push_back(r.id);
    std::sort(ids.begin(), ids.end());
    std::vector<int64_t> ids_desc(ids.rbegin(), ids.rend());
    EXPECT_EQ(ListIds(a(), WithParam(scope, "sort=id")), ids);
    EXPECT_EQ(ListIds(a(), WithParam(scope, "sort=-id")), ids_desc);

    // Several keys: created_at ascending, ties (same millisecond) by id descending. The
    // expected order is computed from the timestamps the server reported.
    std::vector<Record> multi = recs;
    std::sort(multi.begin(), multi.end(), [](const Record& x, const Record& y) {
        std::string cx = AttrString(x.data, "created-at"), cy = AttrString(y.data, "created-at");
        return cx != cy ? cx < cy : x.id > y.id;
    });
    std::vector<int64_t> want_multi;
    for (const Record& r : multi) want_multi.push_back(r.id);
    EXPECT_EQ(ListIds(a(), WithParam(scope, "sort=created_at,-id")), want_multi);
    EXPECT_EQ(ListIds(a(), WithParam(scope, "sort=created-at,-id")), want_multi);
    std::vector<int64_t> want_multi_desc(want_multi.rbegin(), want_multi.rend());
    EXPECT_EQ(ListIds(a(), WithParam(scope, "sort=-updated-at,id")), want_multi_desc);
}

// ---- accounts ----

TEST_P(ResourceTest, OtherAccountGets404IdenticalToAMissingRecord) {
    Record rec = CreateRecord(0);
    ASSERT_NE(rec.id, 0);
    HttpResponse theirs = b().Get(spec().path + "/" + S(rec.id));
    HttpResponse missing = b().Get(spec().path + "/" + S(kMissingId));
    ASSERT_TRUE(IsErrorResponse(theirs, 404));
    ASSERT_TRUE(IsErrorResponse(missing, 404));
    EXPECT_EQ(MaskId(theirs.body, rec.id), MaskId(missing.body, kMissingId))
        << "another account's record must be indistinguishable from a missing one";
    HttpResponse missing_a = a().Get(spec().path + "/" + S(kMissingId));
    EXPECT_EQ(MaskId(theirs.body, rec.id), MaskId(missing_a.body, kMissingId));
}

TEST_P(ResourceTest, OtherAccountListsDoNotShowTheRecords) {
    std::vector<Record> recs = CreateRecords(2);
    ASSERT_FALSE(HasFailure());
    if (spec().scope == Scope::kNestedOnly) {
        // Listed only under their parent, which B cannot see.
        EXPECT_TRUE(IsErrorResponse(b().Get(NestedPath(ParentId())), 404));
        return;
    }
    HttpResponse scoped = b().Get(ScopeTarget(recs));
    if (spec().scope == Scope::kLabels) {
        ASSERT_TRUE(HasStatus(scoped, 200));
        EXPECT_TRUE(IdsOf(scoped.Json()).empty()) << scoped.Describe();
    } else {
        // A filter on A's parent or type: B sees nothing (an empty list or a 4xx).
        if (scoped.status == 200) {
            EXPECT_TRUE(IdsOf(scoped.Json()).empty()) << scoped.Describe();
        }
    }
    std::vector<int64_t> all = ListIds(b(), spec().path);
    for (const Record& rec : recs) {
        EXPECT_EQ(std::count(all.begin(), all.end(), rec.id), 0) << "B lists A's record " << rec.id;
    }
    // Filtering by id does not reach across accounts either.
    if (std::find(spec().filters.begin(), spec().filters.end(), "id") != spec().filters.end()) {
        EXPECT_TRUE(ListIds(b(), spec().path + "?filter[id]=" + S(recs[0].id)).empty());
    }
}

TEST_P(ResourceTest, OtherAccountCannotUpdateOrDelete) {
    Record rec = CreateRecord(0);
    ASSERT_NE(rec.id, 0);
    EXPECT_TRUE(IsErrorResponse(
        b().Patch(spec().path + "/" + S(rec.id), Doc(spec().type, {{spec().update_attr, "stolen"}}, S(rec.id))), 404
    ));
    if (spec().bulk_update) {
        EXPECT_TRUE(IsErrorResponse(
            b().Patch(spec().path, BulkDoc({Item(spec().type, {{"id", rec.id}, {spec().update_attr, "stolen"}})})), 404
        ));
    }
    if (spec().bulk_delete) {
        EXPECT_TRUE(IsErrorResponse(b().Delete(spec().path, BulkDoc({Item(spec().type, {{"id", rec.id}})})), 404));
    }
    HttpResponse shown = Show(rec.id);
    ASSERT_TRUE(HasStatus(shown, 200));
    EXPECT_TRUE(JsonEqual(AttrsOf(DataOf(shown)), AttrsOf(rec.data)))
        << "account B changed A's record: " << shown.Describe();
}

TEST_P(NestedTest, OtherAccountCannotReferenceTheParent) {
    int64_t b_before = spec().scope == Scope::kNestedOnly ? 0 : CountAll(b());
    // B names A's parent in a flat create: a reference to a record B cannot see.
    HttpResponse r = b().Post(spec().path, Doc(spec().type, spec().create(fx_, Label(0))));
    EXPECT_TRUE(IsErrorResponse(r, 422)) << "B created a child under A's parent";
    // And on the nested route the parent itself is unknown to B.
    HttpResponse nested = b().Post(NestedPath(ParentId()), Doc(spec().type, spec().create(fx_, Label(1))));
    EXPECT_TRUE(IsErrorResponse(nested, 404));
    EXPECT_TRUE(IsErrorResponse(b().Get(NestedPath(ParentId())), 404));
    EXPECT_TRUE(ListIds(a(), NestedPath(ParentId())).empty()) << "a rejected create wrote a record";
    if (spec().scope != Scope::kNestedOnly) {
        EXPECT_EQ(CountAll(b()), b_before);
    }
}

// ---- nested routes ----

TEST_P(NestedTest, NestedListAndShowStayUnderTheirParent) {
    std::vector<Record> recs = CreateRecords(2);
    ASSERT_FALSE(HasFailure());
    // One child of the other parent.
    JObject other;
    for (auto& [k, v] : spec().create(fx_, Label(5))) {
        if (k == spec().parent_fk) {
            other.emplace_back(k, OtherParentId());
        } else if (std::find(spec().parent_bound.begin(), spec().parent_bound.end(), k) == spec().parent_bound.end()) {
            other.emplace_back(k, v);
        }
    }
    HttpResponse made = a().Post(spec().path, Doc(spec().type, other));
    ASSERT_TRUE(HasStatus(made, 201));
    int64_t other_id = IdOf(DataOf(made));

    EXPECT_EQ(ListIds(a(), NestedPath(ParentId())), (std::vector<int64_t>{recs[0].id, recs[1].id}));
    EXPECT_EQ(ListIds(a(), NestedPath(OtherParentId())), std::vector<int64_t>{other_id});
    HttpResponse one = a().Get(NestedPath(ParentId()) + "/" + S(recs[0].id));
    ASSERT_TRUE(HasStatus(one, 200));
    EXPECT_TRUE(JsonEqual(AttrsOf(DataOf(one)), AttrsOf(recs[0].data)));
    // A child that exists but belongs to another parent: 404.
    EXPECT_TRUE(IsErrorResponse(a().Get(NestedPath(OtherParentId()) + "/" + S(recs[0].id)), 404));
    EXPECT_TRUE(IsErrorResponse(a().Get(NestedPath(ParentId()) + "/" + S(other_id)), 404));
    EXPECT_TRUE(IsErrorResponse(a().Get(NestedPath(kMissingId)), 404)) << "unknown parent";
    // Nested lists page like flat ones.
    HttpResponse paged = a().Get(NestedPath(ParentId()) + "?page[size]=1");
    ASSERT_TRUE(HasStatus(paged, 200));
    json::Value doc = paged.Json();
    const json::Value* total_pages = At(doc, "meta.total-pages");
    EXPECT_TRUE(total_pages != nullptr && JsonEqual(*total_pages, json::Value(2))) << paged.Describe();
    const json::Value* next = At(doc, "links.next");
    ASSERT_TRUE(next != nullptr && next->is_string()) << paged.Describe();
    EXPECT_EQ(next->as_string().rfind(server_->base_url() + NestedPath(ParentId()) + "?", 0), 0u) << next->as_string();
}

TEST_P(NestedTest, NestedCreateTakesADataArrayAndTheParentFromTheUrl) {
    JArray items;
    std::vector<std::string> labels;
    for (int i = 0; i < 3; ++i) {
        labels.push_back(Label(i));
        JObject attrs;
        for (auto& [k, v] : spec().create(fx_, labels.back())) {
            if (k != spec().parent_fk) attrs.emplace_back(k, v);  // the parent comes from the URL
        }
        items.push_back(Item(i == 1 ? DashToUnderscore(spec().type) : spec().type, attrs));
    }
    HttpResponse r = a().Post(NestedPath(ParentId()), BulkDoc(items));
    ASSERT_TRUE(HasStatus(r, 201));
    json::Value doc = r.Json();
    const json::Value* data = doc.Find("data");
    ASSERT_TRUE(data != nullptr && data->is_array() && data->as_array().size() == 3) << r.Describe();
    std::vector<int64_t> ids;
    for (size_t i = 0; i < 3; ++i) {
        const json::Value& d = data->as_array()[i];
        EXPECT_TRUE(IsResourceObject(d, spec().type));
        EXPECT_EQ(AttrString(d, spec().label), labels[i]) << "data[] in request order";
        const json::Value* fk = Attr(d, spec().parent_fk);
        EXPECT_TRUE(fk != nullptr && fk->is_int() && fk->as_int() == ParentId()) << d.Dump();
        ids.push_back(IdOf(d));
    }
    std::sort(ids.begin(), ids.end());
    EXPECT_EQ(ListIds(a(), NestedPath(ParentId())), ids);

    // A single object on the nested route is a single create.
    JObject one;
    for (auto& [k, v] : spec().create(fx_, Label(4))) {
        if (k != spec().parent_fk) one.emplace_back(k, v);
    }
    HttpResponse single = a().Post(NestedPath(ParentId()), Doc(spec().type, one));
    ASSERT_TRUE(HasStatus(single, 201));
    json::Value sd = DataOf(single);
    ASSERT_TRUE(sd.is_object()) << single.Describe();
    const json::Value* single_fk = Attr(sd, spec().parent_fk);
    EXPECT_TRUE(single_fk != nullptr && JsonEqual(*single_fk, json::Value(ParentId()))) << single.Describe();

    // An invalid item anywhere in the array writes none of them.
    int64_t before = CountAll(a());
    // The invalid item: a blank required attribute, or (when the required attribute is
    // the parent key, which the URL supplies) a reference to a missing record.
    JObject invalid;
    if (spec().label != spec().required) invalid.emplace_back(spec().label, Label(6));
    if (spec().required != spec().parent_fk) {
        invalid.emplace_back(spec().required, nullptr);
    } else {
        invalid.emplace_back(spec().reference, int64_t{999999});
    }
    JArray bad = {Item(spec().type, one), Item(spec().type, invalid)};
    EXPECT_TRUE(IsErrorResponse(a().Post(NestedPath(ParentId()), BulkDoc(bad)), 422));
    EXPECT_EQ(CountAll(a()), before) << "half-written nested bulk create";
    // Under an unknown parent: 404, nothing written.
    EXPECT_TRUE(IsErrorResponse(a().Post(NestedPath(kMissingId), BulkDoc({Item(spec().type, one)})), 404));
    EXPECT_EQ(CountAll(a()), before);
}

TEST_P(NestedTest, NestedUpdateChecksTheParent) {
    Record rec = CreateRecord(0);
    ASSERT_NE(rec.id, 0);
    std::string value = rec.label + "-nested";
    HttpResponse r =
        a().Patch(NestedPath(ParentId()) + "/" + S(rec.id), Doc(spec().type, {{spec().update_attr, value}}, S(rec.id)));
    ASSERT_TRUE(HasStatus(r, 200));
    EXPECT_EQ(AttrString(DataOf(r), spec().update_attr), value);
    HttpResponse wrong = a().Patch(
        NestedPath(OtherParentId()) + "/" + S(rec.id),
        Doc(spec().type, {{spec().update_attr, "wrong-parent"}}, S(rec.id))
    );
    EXPECT_TRUE(IsErrorResponse(wrong, 404));
    EXPECT_EQ(AttrString(DataOf(Show(rec.id)), spec().update_attr), value);
}

TEST_P(NestedBulkDeleteTest, NestedBulkDeleteChecksEveryParent) {
    std::vector<Record> recs = CreateRecords(3);
    ASSERT_FALSE(HasFailure());
    // One id belongs to another parent: 404 and nothing deleted.
    std::string wrong = BulkDoc({Item(spec().type, {{"id", recs[0].id}}), Item(spec().type, {{"id", recs[1].id}})});
    EXPECT_TRUE(IsErrorResponse(a().Delete(NestedPath(OtherParentId()), wrong), 404));
    EXPECT_EQ(ListIds(a(), NestedPath(ParentId())).size(), 3u) << "half-done nested bulk delete";
    std::string body = BulkDoc({Item(spec().type, {{"id", recs[1].id}}), Item(spec().type, {{"id", S(recs[0].id)}})});
    HttpResponse r = a().Delete(NestedPath(ParentId()), body);
    ASSERT_TRUE(HasStatus(r, 200));
    EXPECT_EQ(IdsOf(r.Json()), (std::vector<int64_t>{recs[1].id, recs[0].id})) << r.Describe();
    EXPECT_EQ(ListIds(a(), NestedPath(ParentId())), std::vector<int64_t>{recs[2].id});
    EXPECT_TRUE(IsErrorResponse(Show(recs[0].id), 404));
}

std::vector<const ResourceSpec*> SpecsWhere(bool (*pred)(const ResourceSpec&)) {
    std::vector<const ResourceSpec*> out;
    for (const ResourceSpec& s : AllResourceSpecs()) {
        if (pred(s)) out.push_back(&s);
    }
    return out;
}

#define MORTAR_INSTANTIATE_RESOURCES(fixture, pred)                                                        \
    INSTANTIATE_TEST_SUITE_P(                                                                              \
        All,                                                                                               \
        fixture,                                                                                           \
        ::testing::Combine(                                                                                \
            ::testing::Values(Backend::kSqlite, Backend::kPostgres), ::testing::ValuesIn(SpecsWhere(pred)) \
        ),                                                                                                 \
        ResourceParamName                                                                                  \
    )

MORTAR_INSTANTIATE_RESOURCES(ResourceTest, [](const ResourceSpec&) { return true; });
MORTAR_INSTANTIATE_RESOURCES(BulkUpdateTest, [](const ResourceSpec& s) { return s.bulk_update; });
MORTAR_INSTANTIATE_RESOURCES(BulkDeleteTest, [](const ResourceSpec& s) { return s.bulk_delete; });
MORTAR_INSTANTIATE_RESOURCES(ReferenceTest, [](const ResourceSpec& s) { return !s.reference.empty(); });
MORTAR_INSTANTIATE_RESOURCES(FilterTest, [](const ResourceSpec& s) { return !s.filters.empty(); });
MORTAR_INSTANTIATE_RESOURCES(SortTest, [](const ResourceSpec& s) { return s.scope != Scope::kNestedOnly; });
MORTAR_INSTANTIATE_RESOURCES(NestedTest, [](const ResourceSpec& s) { return s.parent != Parent::kNone; });
MORTAR_INSTANTIATE_RESOURCES(NestedBulkDeleteTest, [](const ResourceSpec& s) {
    return s.parent != Parent::kNone && s.bulk_delete;
});

}  // namespace
}  // namespace mortar::ftest
