// libFuzzer target: a rule pack from arbitrary bytes. The first byte chooses which file of a
// small pack (tests/fuzz/pack) the rest replaces; the pack is loaded from a scratch copy and,
// when it loads, linted and applied to a sample application. A qualify::Error is the pack's
// fault and fine; any other exception, crash, leak or hang is a bug.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_common.hpp"
#include "qualify/qualify.hpp"

namespace {

namespace fs = std::filesystem;

constexpr std::array kFiles = {"eligibility.json", "schema.json",        "pack.json",      "scoring.json",
                               "dates.json",       "data/holidays.json", "data/codes.json"};

constexpr const char* kApplication = R"({"id": "F-1", "levels": ["初级"], "scale": 2100, "capital_wan": 50,
  "stamped": true, "industry": "P8391", "district": "渝北区", "uscc": "52500112MJP123451G",
  "phone": "023-46402281", "profile": "重庆职业培训", "established_on": "2012-05-18",
  "submitted_on": "2025-10-28", "approved_on": "2025-12-15", "plan": {"初级": 100},
  "items": [{"ok": true, "n": 3}, {"ok": true, "n": 4}], "expert_scores": [80, 90, 70, 85, 88]})";

struct Scratch {
  fs::path dir;
  std::array<std::string, kFiles.size()> originals;
};

Scratch& scratch() {
  static Scratch s = [] {
    Scratch made;
    made.dir = qualify_fuzz::scratch_dir("qualify-fuzz-pack") / "pack";
    fs::copy(qualify_fuzz::template_pack(), made.dir, fs::copy_options::recursive);
    for (std::size_t i = 0; i < kFiles.size(); ++i) made.originals[i] = qualify_fuzz::read_file(made.dir / kFiles[i]);
    return made;
  }();
  return s;
}

}  // namespace

// The unchanged template must load and decide the sample application: otherwise every input
// would only exercise load errors.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  qualify::RulePack pack = qualify::RulePack::load(scratch().dir);
  if (pack.evaluate(kApplication).findings.size() < 10) std::abort();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  Scratch& s = scratch();
  std::size_t which = data[0] % kFiles.size();
  fs::path file = s.dir / kFiles[which];
  qualify_fuzz::write_file(file, std::string_view(reinterpret_cast<const char*>(data + 1), size - 1));
  try {
    qualify::RulePack pack = qualify::RulePack::load(s.dir);
    (void)pack.lint();
    (void)pack.json_schema().dump();
    qualify::EvaluateOptions options;
    options.as_of = qualify::Date::parse("2025-11-03");
    qualify::Decision d = pack.evaluate(kApplication, options);
    (void)d.to_json().dump();
    std::vector<qualify::Decision> ds{d, pack.evaluate("{}", options)};
    (void)pack.select(ds).ranking.size();
  } catch (const qualify::Error&) {
    // A fault of the pack, reported with file, pointer and reason: what we want.
  }
  qualify_fuzz::write_file(file, s.originals[which]);
  return 0;
}
