// Documents: parsing untrusted application text into the engine's form, or a clear error.
#include <gtest/gtest.h>

#include "qualify/qualify.hpp"

namespace {

struct Case {
  std::string name;
  std::string text;
  std::string code;  // empty: parses
};

class DocumentParseTest : public testing::TestWithParam<Case> {};

TEST_P(DocumentParseTest, ParsesOrNamesTheProblem) {
  const Case& c = GetParam();
  auto doc = qualify::Document::parse(c.text);
  EXPECT_EQ(doc.error_code(), c.code) << doc.error_message();
  if (!c.code.empty()) {
    EXPECT_FALSE(doc.error_message().empty());
  }
}

INSTANTIATE_TEST_SUITE_P(
    Inputs, DocumentParseTest,
    testing::Values(Case{"Plain", R"({"a": [1, 2.5, "三", null, true]})", ""},
                    Case{"ByteOrderMark", "\xEF\xBB\xBF{\"a\": 1}", ""},
                    Case{"Empty", "", "parse_error"},
                    Case{"Truncated", "{\"a\": ", "parse_error"},
                    Case{"InvalidUtf8", "{\"a\": \"\xC3\x28\"}", "invalid_utf8"},
                    Case{"Overlong", "{\"a\": \"\xC0\xAF\"}", "invalid_utf8"},
                    Case{"DuplicateKey", R"({"a": 1, "b": {"c": 1, "c": 2}})", "duplicate_key"},
                    Case{"HugeNumber", R"({"a": 1e400})", "number_out_of_range"},
                    Case{"NaNText", R"({"a": NaN})", "parse_error"},
                    Case{"NegativeZero", R"({"a": -0})", ""}),
    [](const auto& info) { return info.param.name; });

TEST(DocumentTest, DuplicateKeyNamesItsPointer) {
  auto doc = qualify::Document::parse(R"({"a": [{"x": 1}, {"x": 1, "x": 2}]})");
  EXPECT_EQ(doc.error_code(), "duplicate_key");
  EXPECT_NE(doc.error_message().find("/a/1"), std::string::npos) << doc.error_message();
}

TEST(DocumentTest, DeepNestingIsAnError) {
  std::string deep = std::string(100000, '[') + std::string(100000, ']');
  auto doc = qualify::Document::parse(deep);
  EXPECT_EQ(doc.error_code(), "too_deep");
}

TEST(DocumentTest, SizeLimitIsConfigurable) {
  qualify::Limits limits;
  limits.max_document_bytes = 10;
  EXPECT_EQ(qualify::Document::parse(R"({"a": "0123456789"})", limits).error_code(), "too_large");
  EXPECT_TRUE(qualify::Document::parse(R"({"a": 1})", limits).ok());
}

TEST(DocumentTest, RoundTripsThroughJson) {
  auto j = nlohmann::json::parse(R"({"id": "CQ-1", "n": [1, 2.5], "s": "重庆", "b": false, "z": null})");
  auto doc = qualify::Document::parse(j.dump());
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc.to_json(), j);
  EXPECT_EQ(qualify::Document::from_json(j).to_json(), j);
}

}  // namespace
