// Expressions: extension operators, three-valued bookkeeping, compile errors and limits.
#include <gtest/gtest.h>

#include "qualify/detail/evaluator.hpp"  // to run the general loop and the fast paths side by side
#include "qualify/detail/node.hpp"  // to see that paths are split at compile time
#include "qualify/qualify.hpp"

namespace {

using nlohmann::json;

struct Case {
  std::string name;
  json logic;
  json data;
  json expected;
};

class ExtensionTest : public testing::TestWithParam<Case> {};

TEST_P(ExtensionTest, Evaluates) {
  const Case& c = GetParam();
  EXPECT_EQ(qualify::apply(c.logic, c.data), c.expected) << c.logic.dump();
}

INSTANTIATE_TEST_SUITE_P(
    Operators, ExtensionTest,
    testing::Values(
        Case{"DateParses", json::parse(R"({"date": "2025-10-31"})"), nullptr, "2025-10-31"},
        Case{"DatesCompareInclusive", json::parse(R"({"<=": [{"var": "d"}, {"date": "2020-12-31"}]})"),
             json::parse(R"({"d": "2020-12-31"})"), true},
        Case{"DatesCompareExclusive", json::parse(R"({"<=": [{"date": {"var": "d"}}, {"date": "2020-12-31"}]})"),
             json::parse(R"({"d": "2021-01-01"})"), false},
        Case{"DateEqualsText", json::parse(R"({"==": [{"date": "2025-01-01"}, "2025-01-01"]})"), nullptr, true},
        Case{"AddDays", json::parse(R"({"add_days": ["2025-12-31", 1]})"), nullptr, "2026-01-01"},
        Case{"AddYearsCivilCode", json::parse(R"({"add_years": ["2025-12-15", 3]})"), nullptr, "2028-12-15"},
        Case{"AddYearsLeapDay", json::parse(R"({"add_years": ["2028-02-29", 3]})"), nullptr, "2031-02-28"},
        Case{"AddMonthsMonthEnd", json::parse(R"({"add_months": ["2025-01-31", 1]})"), nullptr, "2025-02-28"},
        Case{"AddYearsDayBefore", json::parse(R"({"add_years": ["2025-12-15", 3, "day_before"]})"), nullptr, "2028-12-14"},
        Case{"DaysBetween", json::parse(R"({"days_between": ["2025-10-12", "2025-10-31"]})"), nullptr, 19},
        Case{"CharsCountsCodePoints", json::parse(R"({"chars": "数字技术 AI"})"), nullptr, 7},
        Case{"CharsOfMissingIsNull", json::parse(R"({"chars": {"var": "x"}})"), json::object(), nullptr},
        Case{"CharsOfANumberCountsItsText", json::parse(R"({"chars": 12.5})"), nullptr, 4},
        Case{"CharsOfAListCountsItsText", json::parse(R"({"chars": [[1, "汉字"]]})"), nullptr, 4},
        Case{"SumOfList", json::parse(R"({"sum": [[1, 2, 3.5]]})"), nullptr, 6.5},
        Case{"SumOverField", json::parse(R"({"sum": [{"var": "t"}, {"var": "total"}]})"),
             json::parse(R"({"t": [{"total": 2}, {"total": 5}]})"), 7},
        Case{"CountAll", json::parse(R"({"count": [{"var": "t"}]})"), json::parse(R"({"t": [1, 0, 3]})"), 3},
        Case{"CountWhere", json::parse(R"({"count": [{"var": "t"}, {">": [{"var": ""}, 0]}]})"),
             json::parse(R"({"t": [1, 0, 3]})"), 2},
        Case{"IdValid", json::parse(R"({"cn_id_valid": "11010519491231002X"})"), nullptr, true},
        Case{"IdCheckDigitOff", json::parse(R"({"cn_id_valid": "110105194912310021"})"), nullptr, false},
        Case{"UsccNotText", json::parse(R"({"uscc_valid": 12})"), nullptr, false},
        Case{"JsNumberText", json::parse(R"({"cat": [0.1, "|", 1e21, "|", 2.50]})"), nullptr, "0.1|1e+21|2.5"},
        // One operand: a text is returned as it is; anything else becomes its JavaScript text.
        Case{"CatOfOneText", json::parse(R"({"cat": [{"var": "name"}]})"), json::parse(R"({"name": "重庆市"})"), "重庆市"},
        Case{"CatOfOneNumber", json::parse(R"({"cat": [{"var": "n"}]})"), json::parse(R"({"n": 2.50})"), "2.5"},
        Case{"CatOfOneList", json::parse(R"({"cat": [{"var": "l"}]})"), json::parse(R"({"l": [1, null, "a"]})"), "1,,a"},
        Case{"CatOfNull", json::parse(R"({"cat": [null]})"), nullptr, ""},
        Case{"CountEmpty", json::parse(R"({"count": [{"var": "t"}]})"), json::parse(R"({"t": []})"), 0},
        Case{"SubstrCountsCharacters", json::parse(R"({"substr": ["重庆市渝北区", 3, 3]})"), nullptr, "渝北区"},
        Case{"SubstrNegativeStart", json::parse(R"({"substr": ["重庆市渝北区", -2]})"), nullptr, "北区"},
        Case{"SubstrNegativeLength", json::parse(R"({"substr": ["重庆市渝北区", 1, -2]})"), nullptr, "庆市渝"},
        Case{"SubstrLengthPastTheEnd", json::parse(R"({"substr": ["重庆a", 1, 9]})"), nullptr, "庆a"},
        Case{"SubstrStartPastTheEnd", json::parse(R"({"substr": ["重庆", 5]})"), nullptr, ""},
        Case{"SubstrNegativeLengthPastTheStart", json::parse(R"({"substr": ["重庆市", 2, -5]})"), nullptr, ""},
        Case{"SubstrOfANumber", json::parse(R"({"substr": [12345, 1, 2]})"), nullptr, "23"},
        Case{"SubstrOfAField", json::parse(R"({"substr": [{"var": "url"}, 0, 4]})"),
             json::parse(R"({"url": "https://例子.cn"})"), "http"}),
    [](const auto& info) { return info.param.name; });

struct BadCase {
  std::string name;
  json logic;
  std::string code;
  std::string pointer;
};

class CompileErrorTest : public testing::TestWithParam<BadCase> {};

TEST_P(CompileErrorTest, NamesPointerAndReason) {
  const BadCase& c = GetParam();
  try {
    qualify::CompileOptions options;
    options.file = "rules.json";
    options.pointer = "/rules/4/condition";
    qualify::Expression::compile(c.logic, options);
    FAIL() << "compiled";
  } catch (const qualify::ExpressionError& e) {
    EXPECT_EQ(e.code(), c.code) << e.what();
    EXPECT_EQ(e.pointer(), c.pointer) << e.what();
    EXPECT_EQ(e.file(), "rules.json");
    EXPECT_FALSE(e.reason().empty());
  }
}

INSTANTIATE_TEST_SUITE_P(
    Errors, CompileErrorTest,
    testing::Values(BadCase{"UnknownOperator", json::parse(R"({"and": [true, {"workday_end": ["2025-01-01", 5]}]})"),
                            "unknown_operator", "/rules/4/condition/and/1"},
                    BadCase{"WrongArity", json::parse(R"({"==": [1]})"), "wrong_arity", "/rules/4/condition/=="},
                    BadCase{"TooManyArgs", json::parse(R"({"!": [1, 2]})"), "wrong_arity", "/rules/4/condition/!"},
                    BadCase{"BadPeriodRule", json::parse(R"({"add_years": ["2025-01-01", 1, "nearest"]})"), "bad_literal",
                            "/rules/4/condition/add_years/2"},
                    BadCase{"UnknownParameter", json::parse(R"({"param": "x"})"), "unknown_parameter",
                            "/rules/4/condition/param"}),
    [](const auto& info) { return info.param.name; });

json nested_array(int depth) {
  // Built by text: nlohmann's parser is not recursive, so it takes any depth.
  return json::parse(std::string(static_cast<std::size_t>(depth), '[') + std::string(static_cast<std::size_t>(depth), ']'));
}

TEST(ExpressionTest, DeepRuleIsAnErrorNotACrash) {
  try {
    qualify::Expression::compile(nested_array(100000));
    FAIL() << "compiled";
  } catch (const qualify::ExpressionError& e) {
    EXPECT_EQ(e.code(), "too_deep");
  }
}

TEST(ExpressionTest, DeepDataIsAnErrorNotACrash) {
  try {
    qualify::apply(json::parse(R"({"var": "a"})"), nested_array(100000));
    FAIL() << "applied";
  } catch (const qualify::ExpressionError& e) {
    EXPECT_EQ(e.code(), "too_deep");
  }
}

// A step is an operator: an expression spends each of its operators once, whichever branch
// it takes, and a loop spends one more and its body's operators for every item. So
// {"all": [{"var": "xs"}, {">": [{"var": ""}, 0]}]} over n items takes 5 + 4n steps, and an
// `if` pays for the branch it skips.
TEST(ExpressionTest, StepsAreOperatorsAndEachItemPaysForItsBody) {
  auto runs_within = [](const char* logic, const json& data, std::uint64_t max_steps) {
    qualify::CompileOptions options;
    options.limits.max_steps = max_steps;
    try {
      qualify::Expression::compile(json::parse(logic), options).apply(data);
      return true;
    } catch (const qualify::ExpressionError& e) {
      EXPECT_EQ(e.code(), "budget_exceeded");
      return false;
    }
  };
  for (int n : {0, 1, 10, 100}) {
    json data = {{"xs", json::array()}};
    for (int i = 0; i < n; ++i) data["xs"].push_back(i + 1);
    const char* all = R"({"all": [{"var": "xs"}, {">": [{"var": ""}, 0]}]})";
    EXPECT_TRUE(runs_within(all, data, 5 + 4 * n)) << n;
    EXPECT_FALSE(runs_within(all, data, 4 + 4 * n)) << n;
  }
  const char* skipped = R"({"if": [true, 1, {"+": [1, 2, 3, 4, 5, 6, 7, 8]}]})";
  EXPECT_TRUE(runs_within(skipped, json::object(), 12));  // if, true, 1, + and its 8 numbers
  EXPECT_FALSE(runs_within(skipped, json::object(), 11));
}

TEST(ExpressionTest, StepBudgetStopsRunaways) {
  qualify::CompileOptions options;
  options.limits.max_steps = 1000;
  json data = {{"xs", json::array()}};
  for (int i = 0; i < 5000; ++i) data["xs"].push_back(i);
  auto e = qualify::Expression::compile(json::parse(R"({"reduce": [{"var": "xs"}, {"+": [{"var": "current"}, {"var": "accumulator"}]}, 0]})"), options);
  try {
    e.apply(data);
    FAIL() << "finished";
  } catch (const qualify::ExpressionError& err) {
    EXPECT_EQ(err.code(), "budget_exceeded");
  }
}

// What `expression` gives on `data`, run by the evaluator quiet (the fast paths of reduce)
// or explaining (the general loop for sums): the result and how many fields were found
// missing, or the error's code.
std::string run_reduce(const json& expression, const json& data, bool explain, std::uint64_t max_steps = 1'000'000) {
  qualify::CompileOptions options;
  options.limits.max_steps = max_steps;
  auto e = qualify::Expression::compile(expression, options);
  qualify::detail::Arena arena;
  qualify::Environment env;
  qualify::detail::Evaluator ev(env, arena, options.limits, explain);
  ev.clear();
  try {
    qualify::detail::Value v = ev.run(e.root(), qualify::detail::from_json(data, arena, 64));
    // Quiet, the missing fields are counted but not named.
    return qualify::detail::to_json(v).dump() + " missing " + std::to_string(ev.missing().size());
  } catch (const qualify::detail::EvalError& err) {
    return err.code;
  }
}

json reduce_of(const std::string& body, const std::string& init) {
  return json::parse(R"({"reduce": [{"var": "xs"}, )" + body + (init.empty() ? "" : ", " + init) + "]}");
}

// A reduce that counts ({"+": [{"var": "accumulator"}, n]}) or sums ({"+": [{"var":
// "accumulator"}, x]}, x not reading the accumulator) runs on a fast path when quiet: it must
// give what the general loop gives, and spend the same steps. The general loop is the sum's
// when explaining; {"var": "current"} over a list of equal numbers costs what the literal
// costs, so it is the count's general loop too.
TEST(ExpressionTest, CountingAndSummingReducesMatchTheGeneralLoop) {
  for (std::string n : {"1", "0.1", "-2.5", "-0.0"}) {
    json data = {{"xs", json::array()}};
    for (int i = 0; i < 7; ++i) data["xs"].push_back(json::parse(n));
    for (std::string init : {"0", "0.3", "-0.0", "null", "\"5\"", ""}) {
      for (bool acc_first : {true, false}) {
        auto body = [&](const std::string& x) {
          return acc_first ? R"({"+": [{"var": "accumulator"}, )" + x + "]}" : R"({"+": [)" + x + R"(, {"var": "accumulator"}]})";
        };
        std::string general = run_reduce(reduce_of(body(R"({"var": "current"})"), init), data, true);
        EXPECT_EQ(run_reduce(reduce_of(body(R"({"var": "current"})"), init), data, false), general) << n << " " << init;
        EXPECT_EQ(run_reduce(reduce_of(body(n), init), data, false), general) << n << " " << init;
        EXPECT_EQ(run_reduce(reduce_of(body(n), init), data, true), general) << n << " " << init;
      }
    }
  }
  // Sums over objects: a field, a condition on a field, a missing field, text to parse.
  json rows = json::parse(R"({"xs": [{"k": "a", "v": 2}, {"k": "b", "v": "3.5"}, {"k": "a", "v": " 4x"},
                                      {"k": "a"}, {"k": "c", "v": true}]})");
  for (std::string x : {R"({"var": "current.v"})", R"({"if": [{"==": [{"var": "current.k"}, "a"]}, 1, 0]})",
                        R"({"var": "current.nope"})", R"({"var": ["current.nope", 2]})", R"({"cat": [{"var": "current.v"}, "1"]})",
                        R"({"some": [[1, 2], {"==": [{"var": ""}, 2]}]})"}) {
    for (std::string init : {"0", "\"5\"", ""}) {
      std::string body = R"({"+": [{"var": "accumulator"}, )" + x + "]}";
      EXPECT_EQ(run_reduce(reduce_of(body, init), rows, false), run_reduce(reduce_of(body, init), rows, true)) << x << " " << init;
    }
  }
  // An empty list, or no list, leaves the initial value as it is.
  EXPECT_EQ(run_reduce(reduce_of(R"({"+": [{"var": "accumulator"}, {"var": "current"}]})", "\"5\""), json{{"xs", json::array()}}, false), "\"5\" missing 0");
  EXPECT_EQ(run_reduce(reduce_of(R"({"+": [{"var": "accumulator"}, 1]})", "4"), json{{"xs", "abc"}}, false), "4 missing 0");
  // The step budget runs out at the same item on every path.
  for (int items : {190, 197, 198, 199, 200, 240, 247, 248, 249, 250, 260}) {
    json data = {{"xs", json::array()}};
    for (int i = 0; i < items; ++i) data["xs"].push_back(1);
    std::string general = run_reduce(reduce_of(R"({"+": [{"var": "accumulator"}, {"var": "current"}]})", "0"), data, true, 1000);
    EXPECT_EQ(run_reduce(reduce_of(R"({"+": [{"var": "accumulator"}, {"var": "current"}]})", "0"), data, false, 1000), general) << items;
    EXPECT_EQ(run_reduce(reduce_of(R"({"+": [{"var": "current"}, {"var": "accumulator"}]})", "0"), data, false, 1000), general) << items;
    EXPECT_EQ(run_reduce(reduce_of(R"({"+": [{"var": "accumulator"}, 1]})", "0"), data, false, 1000), general) << items;
    std::string general_if = run_reduce(
        reduce_of(R"({"+": [{"var": "accumulator"}, {"if": [{"==": [{"var": "current"}, 1]}, 1, 0]}]})", "0"), data, true, 1000);
    EXPECT_EQ(run_reduce(reduce_of(R"({"+": [{"var": "accumulator"}, {"if": [{"==": [{"var": "current"}, 1]}, 1, 0]}]})", "0"),
                         data, false, 1000), general_if) << items;
  }
  // Also where reading each item is work that counts (numbers written as long texts): the
  // work is counted at the same moments on both paths, so every budget ends them alike.
  json texts = {{"xs", json::array()}};
  for (int i = 0; i < 40; ++i) texts["xs"].push_back("12345678901234567890123456789012");
  const json sum = reduce_of(R"({"+": [{"var": "accumulator"}, {"var": "current"}]})", "0");
  for (std::uint64_t budget = 100; budget <= 400; ++budget)
    EXPECT_EQ(run_reduce(sum, texts, false, budget), run_reduce(sum, texts, true, budget)) << budget;
}

// Short texts are searched one way and long ones another: both must find a needle anywhere,
// at the ends, and not find one that runs past the end, on either side of the switch.
TEST(ExpressionTest, SubstringSearchAgreesOnShortAndLongTexts) {
  json in = json::parse(R"({"in": [{"var": "n"}, {"var": "t"}]})");
  for (std::size_t size : {1u, 2u, 15u, 63u, 64u, 65u, 200u}) {
    std::string text(size, 'a');
    text.back() = 'z';
    auto found = [&](const std::string& needle) { return qualify::apply(in, {{"n", needle}, {"t", text}}); };
    EXPECT_EQ(found("z"), true) << size;
    EXPECT_EQ(found(text), true) << size;
    EXPECT_EQ(found(text.substr(0, size - 1)), true) << size;
    EXPECT_EQ(found("zz"), false) << size;
    EXPECT_EQ(found(text + "a"), false) << size;
    EXPECT_EQ(found("b"), false) << size;
    EXPECT_EQ(found(""), true) << size;
  }
  EXPECT_EQ(qualify::apply(in, {{"n", "高级"}, {"t", "正高级工程师"}}), true);
  EXPECT_EQ(qualify::apply(in, {{"n", "高级"}, {"t", "助理工程师"}}), false);
}

// Texts become numbers as JavaScript's Number() makes them; whole numbers of up to 15 digits
// take a short cut, longer ones and everything else strtod.
TEST(ExpressionTest, TextsBecomeNumbersAsInJavaScript) {
  auto number = [](const std::string& text) { return qualify::apply(json{{"-", {text, 0}}}, nullptr); };
  EXPECT_EQ(number("2025"), 2025);
  EXPECT_EQ(number("007"), 7);
  EXPECT_EQ(number(" 42\n"), 42);
  EXPECT_EQ(number("-12"), -12);
  EXPECT_EQ(number("+12"), 12);
  EXPECT_EQ(number("999999999999999"), 999999999999999.0);
  EXPECT_EQ(number("1234567890123456789"), 1234567890123456789.0);
  EXPECT_EQ(number("2.5e3"), 2500);
  EXPECT_EQ(qualify::apply(json::parse(R"({"-": [{"substr": ["2025-11-03", 0, 4]}, {"substr": ["2014-03-18", 0, 4]}]})"), nullptr), 11);
  for (const char* nan : {"+-5", "12a", "--1", "1e", "0x", "Infinity5"})
    EXPECT_TRUE(qualify::apply(json{{"-", {nan, 0}}}, nullptr).is_null()) << nan;
}

// A list or an object meets < as its JavaScript text, unless the other side is a number or
// a boolean (node: [1,2] < [1,3], [10] < [9], !([10] < 9), !({} < {}), {} <= {}).
TEST(ExpressionTest, ListsAndObjectsCompareAsTheirTexts) {
  const json data = {{"a", {1, 2}}, {"b", {1, 3}}, {"ten", {10}}, {"nine", {9}}, {"o", json::object()}, {"p", {{"x", 1}}}};
  auto run = [&](const char* logic) { return qualify::apply(json::parse(logic), data); };
  EXPECT_EQ(run(R"({"<": [{"var": "a"}, {"var": "b"}]})"), true);
  EXPECT_EQ(run(R"({"<": [{"var": "a"}, "1,3"]})"), true);
  EXPECT_EQ(run(R"({"<": [{"var": "ten"}, {"var": "nine"}]})"), true);
  EXPECT_EQ(run(R"({"<": [{"var": "ten"}, 9]})"), false);
  EXPECT_EQ(run(R"({"<": [{"var": "o"}, {"var": "p"}]})"), false);
  EXPECT_EQ(run(R"({"<=": [{"var": "o"}, {"var": "p"}]})"), true);
  EXPECT_EQ(run(R"({"<": [{"var": "o"}, "[object Z]"]})"), true);
}

// A path step names an array element only as JavaScript reads an index: [10, 20]["01"] is
// undefined, though an object's key "01" is found. The same for var, a computed var and missing.
TEST(ExpressionTest, PathStepsAreIndexesOnlyWithoutLeadingZeros) {
  const json data = {{"list", {10, 20}}, {"o", {{"01", "key"}, {"1", "one"}}}, {"name", "list.01"}};
  auto run = [&](const char* logic) { return qualify::apply(json::parse(logic), data); };
  EXPECT_EQ(run(R"({"var": "list.1"})"), 20);
  EXPECT_EQ(run(R"({"var": "list.0"})"), 10);
  EXPECT_EQ(run(R"({"var": "list.01"})"), nullptr);
  EXPECT_EQ(run(R"({"var": "list.00"})"), nullptr);
  EXPECT_EQ(run(R"({"var": ["list.01", "none"]})"), "none");
  EXPECT_EQ(run(R"({"var": "o.01"})"), "key");
  EXPECT_EQ(run(R"({"var": "o.1"})"), "one");
  EXPECT_EQ(run(R"({"var": {"var": "name"}})"), nullptr);
  EXPECT_EQ(run(R"({"var": {"cat": ["list.", 1]}})"), 20);
  EXPECT_EQ(run(R"({"missing": ["list.01", "list.1", "o.01"]})"), json::array({"list.01"}));
}

TEST(ExpressionTest, InvalidDateIsARuntimeError) {
  EXPECT_THROW(qualify::apply(json::parse(R"({"date": "2025-02-30"})"), nullptr), qualify::ExpressionError);
  EXPECT_THROW(qualify::apply(json::parse(R"({"date": "2025-13-01"})"), nullptr), qualify::ExpressionError);
}

TEST(ExpressionTest, InvalidUtf8IsAnErrorNotACount) {
  json data = {{"s", std::string("ab\xC3")}};
  // nlohmann refuses to hold invalid UTF-8 in a dump, but the engine sees the raw bytes.
  EXPECT_THROW(qualify::apply(json::parse(R"({"chars": {"var": "s"}})"), data), qualify::ExpressionError);
}

TEST(ExpressionTest, WorkdaysEndNeedsACalendar) {
  EXPECT_THROW(qualify::apply(json::parse(R"({"workdays_end": ["2025-09-26", 5]})"), nullptr), qualify::ExpressionError);
}

TEST(ExpressionTest, CompiledOnceAppliedManyTimes) {
  auto e = qualify::Expression::compile(json::parse(R"({">=": [{"var": "training.4.total"}, 2000]})"));
  EXPECT_EQ(e.root().args[0].path.size(), 3u);  // split at compile time
  EXPECT_EQ(e.apply(json::parse(R"({"training": [0, 0, 0, 0, {"total": 2000}]})")), true);
  EXPECT_EQ(e.apply(json::parse(R"({"training": [0, 0, 0, 0, {"total": 1999}]})")), false);
}

}  // namespace
