// qualify::Evidence: a finding's values by key, kept as JSON texts in key order.
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "qualify/detail/evidence_access.hpp"
#include "qualify/qualify.hpp"

namespace {

using nlohmann::json;
using qualify::Evidence;

TEST(EvidenceTest, NullUntilSomethingIsRecorded) {
  Evidence e;
  EXPECT_TRUE(e.is_null());
  EXPECT_EQ(e.to_json(), json(nullptr));
  EXPECT_FALSE(e.find("/a"));
  EXPECT_EQ(Evidence::object().to_json(), json::object());
  e.set("/a", 1);
  EXPECT_TRUE(e.is_object());
  EXPECT_EQ(e.to_json(), json({{"/a", 1}}));
}

TEST(EvidenceTest, KeysInSortedOrderAndASecondSetReplaces) {
  Evidence e;
  for (const char* key : {"/m", "/b", "applicable", "/z", "/a/0", "/a"}) e.set(key, key);
  e.set("/b", json::array({1, 2}));
  std::vector<std::string> keys;
  for (std::size_t i = 0; i < e.size(); ++i) keys.emplace_back(e[i].key);
  EXPECT_EQ(keys, (std::vector<std::string>{"/a", "/a/0", "/b", "/m", "/z", "applicable"}));
  EXPECT_EQ(e.find("/b"), json::array({1, 2}));
  EXPECT_EQ(e[2].json_text, "[1,2]");
  EXPECT_TRUE(e.contains("/z"));
  EXPECT_FALSE(e.contains("/y"));
  EXPECT_FALSE(e.find("/y"));
  // The order and text nlohmann's object gives: what the Decision JSON prints.
  json j = e.to_json();
  EXPECT_EQ(j.size(), 6u);
  EXPECT_EQ(j.dump(), "{\"/a\":\"/a\",\"/a/0\":\"/a/0\",\"/b\":[1,2],\"/m\":\"/m\",\"/z\":\"/z\",\"applicable\":\"applicable\"}");
}

TEST(EvidenceTest, FromJsonRoundTripsAndRefusesWhatIsNotAnObject) {
  json j = {{"/list", {1, 2.5, nullptr, true, "s\"", json::object()}}, {"/text", "中文"}, {"/neg", -0.1}};
  Evidence e = Evidence::from_json(j);
  EXPECT_EQ(e.to_json(), j);
  EXPECT_EQ(Evidence::from_json(e.to_json()), e);
  EXPECT_TRUE(Evidence::from_json(nullptr).is_null());
  EXPECT_FALSE(Evidence::from_json(json::object()).is_null());
  EXPECT_THROW(Evidence::from_json(json::array()), qualify::Error);
  // In a decision the error names the finding.
  json d = {{"status", "eligible"}, {"findings", {{{"rule", "r"}, {"outcome", "pass"}, {"severity", "hard"}, {"evidence", "x"}}}}};
  try {
    (void)qualify::Decision::from_json(d);
    FAIL() << "a decision whose evidence is a text was read";
  } catch (const qualify::Error& err) {
    EXPECT_EQ(err.code(), "bad_decision");
    EXPECT_NE(std::string(err.what()).find("/findings/0/evidence"), std::string::npos) << err.what();
  }
}

// The engine writes a document's values as text directly: the same text nlohmann gives.
TEST(EvidenceTest, ValuesWrittenStraightFromTheDocumentPrintAsNlohmannDoes) {
  const std::string text = R"({"z": 1, "a": {"y": [true, null, -0.0, 0.1], "b": "中文\"\n"}, "n": 9007199254740993,
                               "big": 1e300, "neg": -42, "half": 2.5, "list": [], "obj": {}})";
  qualify::Document doc = qualify::Document::parse(text);
  ASSERT_TRUE(doc.ok()) << doc.error_message();
  using qualify::detail::Value;
  std::vector<Value> values = {doc.root(), Value(), Value::boolean(false), Value::number(std::nan("")),
                               Value::number(std::numeric_limits<double>::infinity()), Value::number(-0.0),
                               Value::number(1e15), Value::number(-123.456), Value::date(20000), Value::string("bad \xff")};
  for (const qualify::detail::Member* m = doc.root().members(); m != doc.root().members_end(); ++m) values.push_back(m->value);
  for (const Value& v : values) {
    Evidence e;
    qualify::detail::EvidenceAccess::set(e, "/v", v);
    EXPECT_EQ(e[0].json_text, qualify::detail::to_json(v).dump(-1, ' ', false, json::error_handler_t::replace));
  }
  Evidence sizes;
  qualify::detail::EvidenceAccess::set_size(sizes, "/list", "items", 13);
  EXPECT_EQ(sizes.to_json(), json({{"/list", {{"items", 13}}}}));
}

}  // namespace

namespace {

// The engine's kept evidence buffer is let go once a huge read has grown it.
TEST(EvidenceTest, ReleaseIfOverFreesOnlyBigBuffers) {
  using qualify::detail::EvidenceAccess;
  qualify::Document doc = qualify::Document::parse("{\"big\": \"" + std::string(5000, 'x') + "\", \"small\": 1}");
  ASSERT_TRUE(doc.ok()) << doc.error_message();
  Evidence e;
  EvidenceAccess::clear(e);
  EvidenceAccess::set(e, "/small", *doc.root().find("small"));
  EvidenceAccess::release_if_over(e, 4096);
  EXPECT_EQ(e.to_json(), json({{"/small", 1}}));
  EvidenceAccess::set(e, "/big", *doc.root().find("big"));
  EvidenceAccess::release_if_over(e, 4096);
  EXPECT_TRUE(e.is_null());
  EXPECT_TRUE(e.empty());
  // Cleared, it is an empty object again, ready for the next finding.
  EvidenceAccess::clear(e);
  EXPECT_EQ(e.to_json(), json::object());
}

}  // namespace
