// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/json.hpp"

#include <cmath>
#include <cstdio>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/json_writer.hpp"
#include "core/strings.hpp"

namespace mortar::json {
namespace {

std::string Nested(int depth, std::string_view open, std::string_view close, std::string_view inner = "1") {
    std::string s;
    for (int i = 0; i < depth; ++i) s += open;
    s += inner;
    for (int i = 0; i < depth; ++i) s += close;
    return s;
}

// ---- Value ----

TEST(JsonValueTest, KindsAndAccessors) {
    EXPECT_TRUE(Value().is_null());
    EXPECT_TRUE(Value(nullptr).is_null());
    EXPECT_EQ(Value(true).as_bool(), true);
    EXPECT_EQ(Value(int64_t{1} << 40).as_int(), int64_t{1} << 40);
    EXPECT_EQ(Value(7).kind(), Value::Kind::kInt);
    EXPECT_EQ(Value(7).as_double(), 7.0);  // ints widen
    EXPECT_EQ(Value(2.5).as_double(), 2.5);
    EXPECT_TRUE(Value(2.5).is_number());
    EXPECT_EQ(Value("s").as_string(), "s");
    EXPECT_EQ(Value(std::string("t")).kind(), Value::Kind::kString);
    EXPECT_EQ(Value(Value::Array{1, 2}).as_array().size(), 2u);
    EXPECT_EQ(Value(Value::Object{{"a", 1}}).as_object().size(), 1u);
}

TEST(JsonValueTest, WrongKindIsALogicError) {
    EXPECT_THROW((void)Value(1).as_string(), LogicError);
    EXPECT_THROW((void)Value("1").as_int(), LogicError);
    EXPECT_THROW((void)Value(1.5).as_int(), LogicError);
    EXPECT_THROW((void)Value(nullptr).as_bool(), LogicError);
    EXPECT_THROW((void)Value(true).as_double(), LogicError);
    EXPECT_THROW((void)Value(Value::Object{}).as_array(), LogicError);
    EXPECT_THROW((void)Value(Value::Array{}).as_object(), LogicError);
    Value array(Value::Array{});
    EXPECT_THROW(array.Set("k", 1), LogicError);
}

TEST(JsonValueTest, FindAndSet) {
    Value v(Value::Object{});
    EXPECT_EQ(v.Find("a"), nullptr);
    v.Set("a", 1);
    v.Set("b", "two");
    v.Set("a", 3);  // replaces in place
    ASSERT_NE(v.Find("a"), nullptr);
    EXPECT_EQ(v.Find("a")->as_int(), 3);
    EXPECT_EQ(v.Find("b")->as_string(), "two");
    EXPECT_EQ(v.as_object().size(), 2u);
    EXPECT_EQ(v.as_object()[0].first, "a");
    EXPECT_EQ(v.Dump(), R"({"a":3,"b":"two"})");
    EXPECT_EQ(Value(1).Find("a"), nullptr);  // not an object
    EXPECT_EQ(v.Find("A"), nullptr);         // exact match only
}

TEST(JsonValueTest, DuplicateKeysLastWins) {
    Result<Value> v = Parse(R"({"a":1,"b":2,"a":3})");
    ASSERT_TRUE(v.ok());
    EXPECT_EQ(v->as_object().size(), 3u);  // kept as sent
    EXPECT_EQ(v->Find("a")->as_int(), 3);
}

// ---- Parse ----

TEST(JsonParseTest, RoundTrips) {
    struct Case {
        std::string input;
        std::string dump;
    };
    const std::vector<Case> cases = {
        {"null", "null"},
        {"true", "true"},
        {"false", "false"},
        {"0", "0"},
        {"-0", "0"},
        {"42", "42"},
        {"-17", "-17"},
        {"1.5", "1.5"},
        {"1.0", "1.0"},
        {"0.1", "0.1"},
        {"1e3", "1000.0"},
        {"1E-7", "1e-07"},
        {"1e21", "1e+21"},
        {"\"\"", "\"\""},
        {"\"a\\\"b\\\\c\\/d\"", R"("a\"b\\c/d")"},
        {R"("\u00e9\u20ac")", "\"\xC3\xA9\xE2\x82\xAC\""},
        {R"("\ud83d\ude00")", "\"\xF0\x9F\x98\x80\""},  // surrogate pair -> UTF-8
        {R"("\b\f\n\r\t\u0001\u001f")", R"("\b\f\n\r\t\u0001\u001f")"},
        {" [ 1 , 2 ,\n\t3 ] ", "[1,2,3]"},
        {"[]", "[]"},
        {"{}", "{}"},
        {R"({"data":{"type":"organizations","attributes":{"name":"Contoso","x":[null,true,{"y":-1.25}]}}})",
         R"({"data":{"type":"organizations","attributes":{"name":"Contoso","x":[null,true,{"y":-1.25}]}}})"},
        {R"({"b":1,"a":2})", R"({"b":1,"a":2})"},  // document order kept
    };
    for (const Case& c : cases) {
        Result<Value> v = Parse(c.input);
        ASSERT_TRUE(v.ok()) << c.input << ": " << v.status().message();
        EXPECT_EQ(v->Dump(), c.dump) << c.input;
        Result<Value> again = Parse(v->Dump());
        ASSERT_TRUE(again.ok()) << v->Dump();
        EXPECT_EQ(again->Dump(), c.dump) << "second round: " << c.input;
    }
}

TEST(JsonParseTest, Numbers) {
    struct Case {
        std::string input;
        Value::Kind kind;
        double as_double;
    };
    const std::vector<Case> cases = {
        {"9223372036854775807", Value::Kind::kInt, 9223372036854775807.0},
        {"-9223372036854775808", Value::Kind::kInt, -9223372036854775808.0},
        {"9223372036854775808", Value::Kind::kDouble, 9223372036854775808.0},    // uint64, not int64
        {"18446744073709551615", Value::Kind::kDouble, 18446744073709551615.0},  // uint64 max
        {"18446744073709551616", Value::Kind::kDouble, 18446744073709551616.0},  // beyond uint64
        {"-9223372036854775809", Value::Kind::kDouble, -9223372036854775809.0},  // below int64
        {"123456789012345678901234567890", Value::Kind::kDouble, 1.2345678901234568e29},
        {"1.7976931348623157e308", Value::Kind::kDouble, 1.7976931348623157e308},
        {"5e-324", Value::Kind::kDouble, 5e-324},
        {"2.5", Value::Kind::kDouble, 2.5},
    };
    for (const Case& c : cases) {
        Result<Value> v = Parse(c.input);
        ASSERT_TRUE(v.ok()) << c.input << ": " << v.status().message();
        EXPECT_EQ(v->kind(), c.kind) << c.input;
        EXPECT_EQ(v->as_double(), c.as_double) << c.input;
    }
    Result<Value> max = Parse("9223372036854775807");
    EXPECT_EQ(max->as_int(), std::numeric_limits<int64_t>::max());
    // A big integer inside a document, next to strings that look like numbers.
    Result<Value> doc = Parse(R"({"s":"123456789012345678901234567890","n":[123456789012345678901234567890,-1]})");
    ASSERT_TRUE(doc.ok()) << doc.status().message();
    EXPECT_EQ(doc->Find("s")->as_string(), "123456789012345678901234567890");
    EXPECT_TRUE(doc->Find("n")->as_array()[0].is_double());
    EXPECT_EQ(doc->Find("n")->as_array()[1].as_int(), -1);
}

TEST(JsonParseTest, RefusesMalformedInput) {
    struct Case {
        std::string input;
        std::string reason;  // part of the message after "malformed JSON: "
    };
    const std::vector<Case> cases = {
        {"", "empty"},
        {"   \n\t", "empty"},
        {"{", ""},
        {"[1,]", ""},
        {R"({"a":1,})", ""},
        {R"({"a" 1})", ""},
        {"{'a':1}", ""},
        {"1 2", ""},
        {R"({"a":1} x)", ""},
        {"nul", "invalid literal"},
        {"tru", "invalid literal"},
        {"\"abc", "unterminated string"},
        {"01", "invalid number"},
        {"1.", "invalid number"},
        {"-", "invalid number"},
        {"+1", ""},
        {"NaN", ""},
        {"1e400", "invalid number"},
        {"\"a\x01\"", "unescaped control character"},
        {R"("\x41")", "invalid string"},
        {R"("\ud800")", "invalid string"},  // lone surrogate
        {"\"\xFF\"", "invalid UTF-8"},
        {"\"\xC0\xAF\"", "invalid UTF-8"},            // overlong
        {"\"\xED\xA0\x80\"", "invalid UTF-8"},        // encoded surrogate
        {"[\"ok\", \"\xE2\x82\"]", "invalid UTF-8"},  // truncated sequence
        {std::string("{\"a\":1}\0", 8), ""},
        {"\xEF\xBB\xBF{}", ""},  // a byte-order mark is not JSON
    };
    for (const Case& c : cases) {
        Result<Value> v = Parse(c.input);
        ASSERT_FALSE(v.ok()) << "accepted: " << c.input;
        EXPECT_EQ(v.status().code(), Code::kInvalidArgument) << c.input;
        EXPECT_EQ(v.status().message().rfind("malformed JSON: ", 0), 0u) << v.status().message();
        EXPECT_NE(v.status().message().find(c.reason), std::string::npos) << c.input << " -> " << v.status().message();
    }
}

TEST(JsonParseTest, NestingLimitIs64) {
    EXPECT_TRUE(Parse(Nested(64, "[", "]")).ok());
    EXPECT_TRUE(Parse(Nested(64, "{\"a\":", "}")).ok());
    EXPECT_TRUE(Parse(Nested(32, "[{\"k\":", "}]")).ok());  // 64 levels, mixed
    for (const std::string& deep :
         {Nested(65, "[", "]"),
          Nested(65, "{\"a\":", "}"),
          Nested(33, "[{\"k\":", "}]"),
          Nested(5000, "[", "]"),
          Nested(100000, "[", "]", "")}) {
        Result<Value> v = Parse(deep);
        ASSERT_FALSE(v.ok()) << deep.size();
        EXPECT_EQ(v.status().code(), Code::kInvalidArgument);
        EXPECT_EQ(v.status().message(), "malformed JSON: nesting deeper than 64 levels") << deep.size();
    }
}

TEST(JsonParseTest, LargeDocumentUsesItsOwnParser) {
    // Over the reusable parser's 1 MiB, then a small one again on the same thread.
    std::string big = "[";
    for (int i = 0; i < 200000; ++i) big += std::to_string(i) + ",";
    big += "\"end\"]";
    ASSERT_GT(big.size(), 1u << 20);
    Result<Value> v = Parse(big);
    ASSERT_TRUE(v.ok()) << v.status().message();
    EXPECT_EQ(v->as_array().size(), 200001u);
    EXPECT_EQ(v->as_array()[199999].as_int(), 199999);
    EXPECT_EQ(Parse("[1]")->Dump(), "[1]");
}

// ---- Dump and Writer ----

TEST(JsonDumpTest, EscapesStrings) {
    struct Case {
        std::string input;
        std::string want;
    };
    const std::vector<Case> cases = {
        {"plain", R"("plain")"},
        {"quote\"back\\slash", R"("quote\"back\\slash")"},
        {"a/b", R"("a/b")"},
        {"\b\f\n\r\t", R"("\b\f\n\r\t")"},
        {std::string("\x00\x01\x1f", 3), R"("\u0000\u0001\u001f")"},
        {"\x7f", "\"\x7f\""},  // DEL needs no escape
        {"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80", "\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\""},
        {"\xE2\x80\xA8", "\"\xE2\x80\xA8\""},  // U+2028 is valid in JSON
        // Ill-formed UTF-8: one U+FFFD per maximal ill-formed subpart.
        {"\xFF", "\"\xEF\xBF\xBD\""},
        {"a\x80"
         "b",
         "\"a\xEF\xBF\xBD"
         "b\""},
        {"\xE2\x82", "\"\xEF\xBF\xBD\""},  // truncated 3-byte sequence
        {"\xE2\x82x", "\"\xEF\xBF\xBDx\""},
        {"\xC0\xAF", "\"\xEF\xBF\xBD\xEF\xBF\xBD\""},                  // overlong: two bad bytes
        {"\xED\xA0\x80", "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\""},  // surrogate
        {"\xF4\x90\x80\x80", "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\""},
        {"\xF0\x9F\x98", "\"\xEF\xBF\xBD\""},               // truncated at the end
        {"12345678\"12345678", R"("12345678\"12345678")"},  // escape inside the 8-byte scan
    };
    for (const Case& c : cases) {
        EXPECT_EQ(Value(c.input).Dump(), c.want) << HexEncode(c.input);
        Writer w;
        w.BeginObject();
        w.Key(c.input);
        w.Null();
        w.EndObject();
        EXPECT_EQ(w.str(), "{" + c.want + ":null}") << HexEncode(c.input);
    }
}

TEST(JsonDumpTest, Doubles) {
    struct Case {
        double input;
        std::string want;
    };
    const std::vector<Case> cases = {
        {0.0, "0.0"},
        {-0.0, "-0.0"},
        {1.0, "1.0"},
        {0.1, "0.1"},
        {0.1 + 0.2, "0.30000000000000004"},
        {1.0 / 3, "0.3333333333333333"},
        {-2.5, "-2.5"},
        {1e21, "1e+21"},
        {1e300, "1e+300"},
        {5e-324, "5e-324"},
        {1.7976931348623157e308, "1.7976931348623157e+308"},
        {123456.789, "123456.789"},
        {std::numeric_limits<double>::quiet_NaN(), "null"},
        {std::numeric_limits<double>::infinity(), "null"},
        {-std::numeric_limits<double>::infinity(), "null"},
    };
    for (const Case& c : cases) {
        EXPECT_EQ(Value(c.input).Dump(), c.want) << c.input;
        if (std::isfinite(c.input)) {
            Result<Value> back = Parse(Value(c.input).Dump());
            ASSERT_TRUE(back.ok());
            EXPECT_TRUE(back->is_double());
            EXPECT_EQ(back->as_double(), c.input);
        }
    }
}

TEST(JsonWriterTest, WritesNestedDocuments) {
    Writer w;
    w.BeginObject();
    w.Key("data");
    w.BeginArray();
    w.BeginObject();
    w.Key("id");
    w.String("1");
    w.Key("n");
    w.Int(-9223372036854775807 - 1);
    w.Key("d");
    w.Double(0.5);
    w.Key("t");
    w.Bool(true);
    w.Key("f");
    w.Bool(false);
    w.Key("z");
    w.Null();
    w.Key("raw");
    w.Raw(R"({"pre":"made"})");
    w.Key("empty");
    w.BeginArray();
    w.EndArray();
    w.Key("eo");
    w.BeginObject();
    w.EndObject();
    w.EndObject();
    w.Int(2);
    w.Raw("[3]");
    w.WriteValue(Value(Value::Object{{"k", Value::Array{1, "x", nullptr}}}));
    w.EndArray();
    w.Key("meta");
    w.WriteValue(Value(Value::Object{}));
    w.EndObject();
    const std::string want = R"({"data":[{"id":"1","n":-9223372036854775808,"d":0.5,"t":true,"f":false,"z":null,)"
                             R"("raw":{"pre":"made"},"empty":[],"eo":{}},2,[3],{"k":[1,"x",null]}],"meta":{}})";
    EXPECT_EQ(w.str(), want);
    EXPECT_TRUE(Parse(w.str()).ok());
    EXPECT_EQ(w.Take(), want);
    // Take resets the writer.
    EXPECT_EQ(w.str(), "");
    w.BeginArray();
    w.EndArray();
    EXPECT_EQ(w.Take(), "[]");
}

TEST(JsonWriterTest, ScalarsAtTopLevelAndReserve) {
    Writer w;
    w.Reserve(1 << 16);
    w.String("x");
    EXPECT_EQ(w.str(), R"("x")");
    Writer raw;
    raw.Raw("null");
    EXPECT_EQ(raw.Take(), "null");
}

TEST(JsonWriterTest, MisuseIsALogicError) {
    {
        Writer w;
        w.BeginObject();
        EXPECT_THROW(w.Int(1), LogicError);  // no key
    }
    {
        Writer w;
        w.BeginArray();
        EXPECT_THROW(w.Key("k"), LogicError);
    }
    {
        Writer w;
        EXPECT_THROW(w.EndObject(), LogicError);
    }
    {
        Writer w;
        w.BeginArray();
        EXPECT_THROW(w.EndObject(), LogicError);
    }
    {
        Writer w;
        w.BeginObject();
        w.Key("a");
        EXPECT_THROW(w.Key("b"), LogicError);
        EXPECT_THROW(w.EndObject(), LogicError);
    }
    {
        Writer w;
        w.Int(1);
        EXPECT_THROW(w.Int(2), LogicError);  // a second top-level value
    }
    {
        Writer w;
        w.BeginArray();
        EXPECT_THROW(w.Raw(""), LogicError);
    }
}

// A plain reference escaper for valid UTF-8 input.
std::string ReferenceEscape(std::string_view s) {
    std::string out = "\"";
    for (unsigned char c : s) {
        if (c == '"') {
            out += "\\\"";
        } else if (c == '\\') {
            out += "\\\\";
        } else if (c < 0x20) {
            static const char* const kNamed[] = {
                nullptr,
                nullptr,
                nullptr,
                nullptr,
                nullptr,
                nullptr,
                nullptr,
                nullptr,
                "\\b",
                "\\t",
                "\\n",
                nullptr,
                "\\f",
                "\\r"};
            if (c < 14 && kNamed[c] != nullptr) {
                out += kNamed[c];
            } else {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                out += buf;
            }
        } else {
            out += static_cast<char>(c);
        }
    }
    return out + "\"";
}

TEST(JsonWriterTest, LongStringsAcrossChunks) {
    // Long values cross the writer's 4096-byte escape chunks at every alignment, with
    // escapes and multi-byte characters at the edges.
    const std::vector<std::string> pieces = {
        "a", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80", "\"", "\n", "\x01", "b"};
    std::mt19937 rng(42);
    for (int round = 0; round < 40; ++round) {
        std::string s;
        const std::size_t target = 4000 + static_cast<std::size_t>(rng() % 9000);
        while (s.size() < target) s += pieces[rng() % pieces.size()];
        ASSERT_TRUE(IsValidUtf8(s));
        Writer w;
        w.String(s);
        ASSERT_EQ(w.str(), ReferenceEscape(s)) << "round " << round;
        Result<Value> back = Parse(w.str());
        ASSERT_TRUE(back.ok()) << back.status().message();
        EXPECT_EQ(back->as_string(), s);
    }
}

TEST(JsonWriterTest, RandomBytesAlwaysGiveValidJson) {
    std::mt19937 rng(7);
    for (int round = 0; round < 2000; ++round) {
        std::string s(rng() % 64, '\0');
        for (char& c : s) c = static_cast<char>(rng() % 256);
        Writer w;
        w.BeginArray();
        w.String(s);
        w.EndArray();
        Result<Value> back = Parse(w.str());
        ASSERT_TRUE(back.ok()) << HexEncode(s) << ": " << back.status().message();
        if (IsValidUtf8(s)) {
            EXPECT_EQ(back->as_array()[0].as_string(), s);
        }
    }
}

}  // namespace
}  // namespace mortar::json
