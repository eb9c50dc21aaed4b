// The workload the library is trained on for profile-guided optimisation (CMake option
// QUALIFY_PGO): a pack evaluated on sample applications, explained and for screening, and
// the explained decisions written as JSON. It runs at build time, linked to an instrumented
// copy of the library, and is not installed. The samples, not the benchmark's corpus: the
// benchmark measures applications the training has not seen.
//
//   qualify_pgo_training PACK_DIR APPLICATIONS_DIR AS_OF
#include <algorithm>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "qualify/qualify.hpp"

namespace {

// Enough rounds that every hot path counts in the thousands; a few seconds instrumented.
constexpr int kRounds = 40;

std::vector<std::string> read_applications(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  std::sort(files.begin(), files.end());  // the same profile from run to run
  std::vector<std::string> texts;
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    text.reserve(text.size() + qualify::kParsePadding);  // as the command line reads them
    texts.push_back(std::move(text));
  }
  return texts;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s PACK_DIR APPLICATIONS_DIR AS_OF\n", argv[0]);
    return 2;
  }
  try {
    const qualify::RulePack pack = qualify::RulePack::load(argv[1]);
    const std::vector<std::string> texts = read_applications(argv[2]);
    if (texts.empty()) {
      std::fprintf(stderr, "%s: no .json applications\n", argv[2]);
      return 1;
    }
    qualify::EvaluateOptions explained;
    explained.as_of = qualify::Date::parse(argv[3]);
    if (!explained.as_of) {
      std::fprintf(stderr, "%s: not a date (YYYY-MM-DD)\n", argv[3]);
      return 2;
    }
    qualify::EvaluateOptions screening = explained;
    screening.explain = false;
    std::size_t bytes = 0, findings = 0;  // used, so that no evaluation is optimised away
    for (int round = 0; round < kRounds; ++round) {
      for (const std::string& text : texts) {
        bytes += pack.evaluate(text, explained).to_json_text().size();
        findings += pack.evaluate(text, screening).findings.size();
      }
    }
    std::printf("trained on %zu applications x %d rounds (%zu bytes of explained decisions, %zu screening findings)\n",
                texts.size(), kRounds, bytes, findings);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "training failed: %s\n", e.what());
    return 1;
  }
  return 0;
}
