// libFuzzer target: an arbitrary JsonLogic expression applied to arbitrary data. The input is
// the expression's JSON text, a NUL byte, then the data's JSON text (no NUL: the data is null).
// Both are applied through a small pack, so the calendar, code list and parameters are there.
// A qualify::Error (bad expression, budget exhausted, date outside the calendar) is fine; any
// other exception, crash, leak or hang is a bug.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_common.hpp"
#include "qualify/qualify.hpp"

namespace {

const qualify::RulePack& pack() {
  static const qualify::RulePack p = qualify::RulePack::load(qualify_fuzz::template_pack());
  return p;
}

}  // namespace

// Loads the pack once, outside the per-input try: a pack that does not load is a broken
// set-up, not a finding, and must stop the run.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)pack();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::size_t nul = text.find('\0');
  std::string_view logic_text = text.substr(0, nul);
  std::string_view data_text = nul == std::string_view::npos ? std::string_view("null") : text.substr(nul + 1);
  // nlohmann's parser is iterative, so any depth parses; the engine must refuse what is too deep.
  nlohmann::json logic = nlohmann::json::parse(logic_text, nullptr, false);
  nlohmann::json input = nlohmann::json::parse(data_text, nullptr, false);
  if (logic.is_discarded()) return 0;
  if (input.is_discarded()) input = nullptr;
  try {
    nlohmann::json result = pack().apply(logic, input, qualify::Date::parse("2025-11-03"));
    (void)result.dump();  // the result must be valid JSON (UTF-8 included)
    // The same expression once more, compiled on its own without a pack and with a tight budget.
    qualify::CompileOptions options;
    options.limits.max_steps = 10000;
    qualify::Expression e = qualify::Expression::compile(logic, options);
    (void)e.apply(input).dump();
  } catch (const qualify::Error&) {
  }
  return 0;
}
