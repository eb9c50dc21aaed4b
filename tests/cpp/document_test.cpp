// Documents: parsing untrusted application text into the engine's form, or a clear error.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

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

// Every pair of positions in objects of up to 40 keys (the small-object and the sorted
// check), with keys of equal length and ends that differ only inside, and the empty key.
TEST(DocumentTest, DuplicateKeyIsFoundWhereverItIs) {
  // Distinct keys of one length whose first and last bytes repeat ("ka0_3z"), and "" first.
  auto key = [](std::size_t k) {
    return k == 0 ? std::string() : "k" + std::string(1, static_cast<char>('a' + k % 3)) + "_" + std::to_string(k % 10) + std::to_string(k / 10) + "z";
  };
  for (std::size_t n : {2u, 3u, 8u, 31u, 32u, 33u, 40u})
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = i + 1; j < n; ++j) {
        auto text = [&](bool dup) {
          std::string t = "{";
          for (std::size_t k = 0; k < n; ++k)
            t += (k ? ", \"" : "\"") + key(dup && k == j ? i : k) + "\": " + std::to_string(k);
          return t + "}";
        };
        EXPECT_TRUE(qualify::Document::parse(text(false)).ok()) << text(false);
        EXPECT_EQ(qualify::Document::parse(text(true)).error_code(), "duplicate_key") << text(true);
      }
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

// Document::parse (simdjson) and nlohmann/json's parser, through Document::from_json, must
// give the same document.
std::string differs_from_nlohmann(const std::string& text) {
  auto parsed = qualify::Document::parse(text);
  if (!parsed.ok()) return "does not parse: " + parsed.error_message();
  auto reference = qualify::Document::from_json(nlohmann::json::parse(text));
  if (!reference.ok()) return "from_json refuses it: " + reference.error_message();
  if (parsed.to_json() != reference.to_json()) return "differs: " + parsed.to_json().dump().substr(0, 200);
  return "";
}

TEST(DocumentTest, SimdjsonAndNlohmannReadTheSameDocument) {
  for (const char* text : {
           R"({"a": [1, 2.5, "三", null, true, false]})",
           R"([])", R"({})", R"([[], {}, [[]], {"a": {}}])", R"("只是一段文字")", R"(42)", R"(null)",
           R"({"esc": "\u4e2d\ud83d\ude00\n\t\"\\/", "nul": "a\u0000b", "a/b~c": 1})",
           R"({"big": 9007199254740993, "u64": 18446744073709551615, "i64min": -9223372036854775808})",
           R"({"d": [1e308, -0.0, 1.5e-7, 0.1, -12, 3.0]})",
           R"({"k": [{"x": 1, "y": [2, {"z": [3]}]}, {"x": "四"}], "after": "末"})",
       })
    EXPECT_EQ(differs_from_nlohmann(text), "") << text;
  // Wide: a scope of many entries.
  std::string wide = "[";
  for (int i = 0; i < 100000; ++i) wide += (i ? "," : "") + std::to_string(i);
  EXPECT_EQ(differs_from_nlohmann(wide + "]"), "");
  // Every sample application and golden input.
  namespace fs = std::filesystem;
  fs::path here = fs::path(__FILE__).parent_path();
  int files = 0;
  for (const fs::path& dir : {here / ".." / ".." / "examples" / "applications", here / ".." / "golden"}) {
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (entry.path().extension() != ".json") continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::stringstream text;
      text << in.rdbuf();
      EXPECT_EQ(differs_from_nlohmann(text.str()), "") << entry.path();
      ++files;
    }
  }
  EXPECT_GT(files, 40);
}

// simdjson's tape counts a scope's entries up to 2^24 - 1 and marks larger ones as saturated:
// such a list must still come out whole. Needs about 0.5 GB: not under the sanitizers.
TEST(DocumentTest, ScopeOfMoreThan16MillionEntries) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  GTEST_SKIP() << "0.5 GB under a sanitizer";
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
  GTEST_SKIP() << "0.5 GB under a sanitizer";
#endif
#endif
  const std::size_t n = (std::size_t{1} << 24) + 2;
  std::string text;
  text.reserve(2 * n + 16);
  text += "{\"xs\": [";
  for (std::size_t i = 0; i < n; ++i) text += i ? ",0" : "0";
  text += "], \"after\": 1}";
  qualify::Limits limits;
  limits.max_document_bytes = text.size();
  auto doc = qualify::Document::parse(text, limits);
  ASSERT_TRUE(doc.ok()) << doc.error_message();
  const auto* xs = doc.root().find("xs");
  ASSERT_NE(xs, nullptr);
  EXPECT_EQ(xs->size(), n);
  const auto* after = doc.root().find("after");
  ASSERT_NE(after, nullptr);
  EXPECT_EQ(after->as_number(), 1);
}

}  // namespace
