// libFuzzer target: arbitrary bytes evaluated as an application with the Chongqing pack.
// `evaluate` never throws for a fault of the application, so any exception here, like any
// crash, leak or hang, is a bug. The decision must also serialise and read back, and the
// document must equal what nlohmann/json reads from the same text.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string_view>

#include "fuzz_common.hpp"
#include "qualify/qualify.hpp"

namespace {

const qualify::RulePack& pack() {
  static const qualify::RulePack p = qualify::RulePack::load(qualify_fuzz::chongqing_pack());
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
  qualify::EvaluateOptions options;
  options.as_of = qualify::Date::parse("2025-11-03");
  qualify::Decision d = pack().evaluate(text, options);
  nlohmann::json j = d.to_json();
  std::string dumped = j.dump();  // throws on invalid UTF-8 in a message: a bug
  if (qualify::Decision::from_json(j).to_json() != j) throw std::logic_error("decision JSON does not round-trip");
  // The fast path agrees with the full evaluation on every rule.
  qualify::Document doc = qualify::Document::parse(text, pack().limits());
  std::vector<qualify::Outcome> fast = pack().outcomes(doc, options);
  if (doc.ok()) {
    std::vector<std::string> ids = pack().rule_ids();
    for (std::size_t i = 0; i < ids.size(); ++i)
      for (const qualify::Finding& f : d.findings)
        if (f.rule == ids[i] && f.outcome != fast[i]) throw std::logic_error("outcomes() disagrees with evaluate() on " + ids[i]);
  }
  // What nlohmann/json reads from the same text, through Document::from_json, must be the
  // same document as simdjson's (when both accept it).
  if (doc.ok()) {
    nlohmann::json reference = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!reference.is_discarded()) {
      qualify::Document other = qualify::Document::from_json(reference, pack().limits());
      if (other.ok() && other.to_json() != doc.to_json()) throw std::logic_error("simdjson and nlohmann/json read different documents");
    }
  }
  return 0;
}
