// qualify's benchmarks: the 27 peer rules (benchmarks/peer-pack) against a hand-written C++
// check of the same rules, the same rules with a form check (benchmarks/peer-pack-form), and
// the full Chongqing pack, all on one generated corpus.
//
//   qualify_bench --corpus=FILE.jsonl [--jsonlogic-verdicts=FILE.json] [--peer-pack=DIR]
//                 [--peer-form-pack=DIR] [--full-pack=DIR|ID] [--as-of=YYYY-MM-DD]
//                 [Google Benchmark flags]
//
// Before anything is timed, qualify's 27 verdicts are checked equal to the hand-written
// check's on every application, and to json-logic-js's when its verdicts are given (the
// peer runner writes them); any difference exits with status 1. `make bench` runs this
// through benchmarks/report.py, which prints the table of the README.
#include <benchmark/benchmark.h>
#include <malloc.h>  // mallinfo2: the heap a loaded pack holds

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "handwritten.hpp"
#include "qualify/qualify.hpp"

namespace {

using qualify::Decision;
using qualify::Document;
using qualify::EvaluateOptions;
using qualify::Outcome;
using qualify::RulePack;

struct Settings {
  std::string corpus;
  std::string jsonlogic_verdicts;
  std::string peer_pack = QUALIFY_BENCH_PEER_PACK;
  std::string peer_form_pack = QUALIFY_BENCH_PEER_FORM_PACK;
  std::string full_pack = "chongqing-dte-2025";
  std::string as_of = "2025-11-03";
};

// Everything the benchmarks read, made once before timing.
struct Fixture {
  std::vector<std::string> texts;
  std::vector<Document> documents;
  RulePack peer;
  RulePack peer_form;  // peer's rules and a form of the fields they read
  RulePack full;
  EvaluateOptions verdicts_only;  // explain = false: outcomes and status
  EvaluateOptions explained;      // explain = true, as_of set: everything the CLI reports
  std::size_t bytes = 0;
  std::vector<Decision> decisions;  // the full pack's, explained, for the first 100 applications
};

Fixture* fixture = nullptr;

[[noreturn]] void fail(const std::string& message) {
  std::cerr << "qualify_bench: " << message << "\n";
  std::exit(1);
}

std::vector<std::string> read_lines(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) fail("cannot read " + file);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(std::move(line));
  if (lines.empty()) fail(file + " holds no applications");
  return lines;
}

// qualify's verdict is `pass`; `fail` and `unknown` (Kleene: a field the rule needs is
// absent) are both "not passed", as JsonLogic's falsy result is.
std::uint32_t passed(const std::vector<Outcome>& outcomes) {
  std::uint32_t bits = 0;
  for (std::size_t i = 0; i < outcomes.size(); ++i) bits |= static_cast<std::uint32_t>(outcomes[i] == Outcome::pass) << i;
  return bits;
}

std::string application_id(const Document& doc) {
  const auto* id = doc.root().find("id");
  return id && id->is_string() ? std::string(id->as_string()) : "?";
}

// The correctness check: qualify == hand-written C++ (== json-logic-js) on every rule of
// every application, and the full pack decides every application without an error.
void check(const Fixture& f, const Settings& s) {
  std::vector<std::string> ids = f.peer.rule_ids();
  if (ids.size() != qualify::bench::kHandwrittenRuleIds.size())
    fail("the peer pack has " + std::to_string(ids.size()) + " rules, the hand-written check 27");
  for (std::size_t k = 0; k < ids.size(); ++k)
    if (ids[k] != qualify::bench::kHandwrittenRuleIds[k])
      fail("rule " + std::to_string(k) + " is " + ids[k] + " in the pack, " +
           std::string(qualify::bench::kHandwrittenRuleIds[k]) + " in the hand-written check");

  std::vector<std::string> peer;
  if (!s.jsonlogic_verdicts.empty()) {
    std::ifstream in(s.jsonlogic_verdicts);
    if (!in) fail("cannot read " + s.jsonlogic_verdicts);
    nlohmann::json j = nlohmann::json::parse(in);
    if (j.at("rules").get<std::vector<std::string>>() != ids) fail("json-logic-js ran other rules, or in another order");
    peer = j.at("verdicts").get<std::vector<std::string>>();
    if (peer.size() != f.documents.size())
      fail("json-logic-js gave " + std::to_string(peer.size()) + " verdict lines for " +
           std::to_string(f.documents.size()) + " applications");
  }

  std::size_t all_pass = 0, unknown = 0;
  for (std::size_t i = 0; i < f.documents.size(); ++i) {
    const Document& doc = f.documents[i];
    if (!doc.ok()) fail("application " + std::to_string(i + 1) + " does not parse: " + doc.error_message());
    std::vector<Outcome> outcomes = f.peer.outcomes(doc);
    if (f.peer_form.outcomes(doc) != outcomes)
      fail(application_id(doc) + ": the peer pack with the form decides a rule otherwise than without it");
    std::uint32_t ours = passed(outcomes);
    std::uint32_t hand = qualify::bench::handwritten_check(doc.root());
    if (!peer.empty() && peer[i].size() != ids.size())
      fail("json-logic-js verdict line " + std::to_string(i + 1) + " is malformed");
    for (std::size_t k = 0; k < ids.size(); ++k) {
      bool q = ours >> k & 1u, h = hand >> k & 1u;
      if (outcomes[k] == Outcome::unknown) ++unknown;
      auto differ = [&](const char* who, bool theirs) {
        fail(application_id(doc) + ": rule " + ids[k] + ": qualify says " + std::string(qualify::to_string(outcomes[k])) +
             ", " + who + " says " + (theirs ? "true" : "false"));
      };
      if (q != h) differ("the hand-written check", h);
      if (!peer.empty() && q != (peer[i][k] == '1')) differ("json-logic-js", peer[i][k] == '1');
    }
    if (ours == (1u << ids.size()) - 1) ++all_pass;
  }
  std::size_t statuses[3] = {0, 0, 0};
  for (const std::string& text : f.texts) {
    Decision d = f.full.evaluate(text, f.explained);
    if (d.error) fail(d.application + ": the full pack cannot read it: " + d.error->second);
    ++statuses[static_cast<int>(d.status)];
  }
  std::string line = std::string("qualify, hand-written C++") + (peer.empty() ? "" : ", json-logic-js") +
                     " agree on all " + std::to_string(ids.size()) + " rules for " + std::to_string(f.documents.size()) +
                     " applications; " + std::to_string(all_pass) + " pass every rule; " + std::to_string(unknown) +
                     " unknown outcomes (not passed)";
  std::string full = std::to_string(statuses[0]) + " eligible, " + std::to_string(statuses[1]) + " needs_review, " +
                     std::to_string(statuses[2]) + " ineligible";
  std::cerr << "check: " << line << "\ncheck: " << s.full_pack << ": " << full << "\n";
  benchmark::AddCustomContext("check", line);
  benchmark::AddCustomContext("full_pack_statuses", full);
  benchmark::AddCustomContext("corpus", s.corpus);
  benchmark::AddCustomContext("corpus_applications", std::to_string(f.texts.size()));
  benchmark::AddCustomContext("corpus_bytes", std::to_string(f.bytes));
  benchmark::AddCustomContext("jsonlogic_checked", peer.empty() ? "false" : "true");
}

// One application per iteration, cycling through the corpus.
template <class Fn>
void each_application(benchmark::State& state, std::size_t n, Fn fn) {
  std::size_t i = 0;
  for (auto _ : state) {
    fn(i);
    if (++i == n) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}

// ------------------------------------------------------------------ the 27 peer rules

void BM_Parse(benchmark::State& state) {
  const Fixture& f = *fixture;
  std::size_t bytes = 0;
  each_application(state, f.texts.size(), [&](std::size_t i) {
    Document doc = Document::parse(f.texts[i]);
    benchmark::DoNotOptimize(doc);
    bytes += f.texts[i].size();
  });
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK(BM_Parse);

// The alternative the engine does not use: nlohmann/json's DOM parser on the same texts.
void BM_ParseNlohmann(benchmark::State& state) {
  const Fixture& f = *fixture;
  std::size_t bytes = 0;
  each_application(state, f.texts.size(), [&](std::size_t i) {
    nlohmann::json j = nlohmann::json::parse(f.texts[i]);
    benchmark::DoNotOptimize(j);
    bytes += f.texts[i].size();
  });
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK(BM_ParseNlohmann);

// The rules on the first `n` parsed applications, cycling.
void core_qualify(benchmark::State& state, std::size_t n) {
  const Fixture& f = *fixture;
  each_application(state, std::min(n, f.documents.size()), [&](std::size_t i) {
    std::vector<Outcome> outcomes = f.peer.outcomes(f.documents[i]);
    benchmark::DoNotOptimize(outcomes.data());
  });
}

void core_handwritten(benchmark::State& state, std::size_t n) {
  const Fixture& f = *fixture;
  each_application(state, std::min(n, f.documents.size()), [&](std::size_t i) {
    std::uint32_t bits = qualify::bench::handwritten_check(f.documents[i].root());
    benchmark::DoNotOptimize(bits);
  });
}

void BM_CoreQualify(benchmark::State& state) { core_qualify(state, fixture->documents.size()); }
BENCHMARK(BM_CoreQualify);

void BM_CoreHandwritten(benchmark::State& state) { core_handwritten(state, fixture->documents.size()); }
BENCHMARK(BM_CoreHandwritten);

// The same two on the first 16 applications only, which stay in cache: without the waits
// on memory that the 1,000 applications above bring, what is left is each one's own work.
constexpr std::size_t kInCache = 16;

void BM_CoreQualifyInCache(benchmark::State& state) { core_qualify(state, kInCache); }
BENCHMARK(BM_CoreQualifyInCache);

void BM_CoreHandwrittenInCache(benchmark::State& state) { core_handwritten(state, kInCache); }
BENCHMARK(BM_CoreHandwrittenInCache);

// From JSON text to a screening Decision (the verdicts), as json-logic-js goes from text.
void end_to_end(benchmark::State& state, const RulePack& pack) {
  const Fixture& f = *fixture;
  each_application(state, f.texts.size(), [&](std::size_t i) {
    Decision d = pack.evaluate(f.texts[i], f.verdicts_only);
    benchmark::DoNotOptimize(d.status);
  });
}

void BM_EndToEndQualify(benchmark::State& state) { end_to_end(state, fixture->peer); }
BENCHMARK(BM_EndToEndQualify);

// The same with the form check that qualify packs carry and json-logic-js does not do: the
// type of every field the rules read.
void BM_EndToEndQualifyWithForm(benchmark::State& state) { end_to_end(state, fixture->peer_form); }
BENCHMARK(BM_EndToEndQualifyWithForm);

void BM_EndToEndHandwritten(benchmark::State& state) {
  const Fixture& f = *fixture;
  each_application(state, f.texts.size(), [&](std::size_t i) {
    Document doc = Document::parse(f.texts[i]);
    std::uint32_t bits = qualify::bench::handwritten_check(doc.root());
    benchmark::DoNotOptimize(bits);
  });
}
BENCHMARK(BM_EndToEndHandwritten);

// ------------------------------------------------------------------ the full Chongqing pack

// Schema, eligibility with evidence and messages, scoring and dates: what `qualify evaluate`
// reports for each application.
void BM_FullPack(benchmark::State& state) {
  const Fixture& f = *fixture;
  each_application(state, f.texts.size(), [&](std::size_t i) {
    Decision d = f.full.evaluate(f.texts[i], f.explained);
    benchmark::DoNotOptimize(d.status);
  });
}
BENCHMARK(BM_FullPack);

// The same pack for bulk screening (explain = false): every rule, form check and scoring
// criterion, so the same status, score and dates, but no messages, evidence or reasons.
void BM_FullPackScreening(benchmark::State& state) {
  const Fixture& f = *fixture;
  each_application(state, f.texts.size(), [&](std::size_t i) {
    Decision d = f.full.evaluate(f.texts[i], f.verdicts_only);
    benchmark::DoNotOptimize(d.status);
  });
}
BENCHMARK(BM_FullPackScreening);

// A decision as the JSON text `qualify evaluate --format jsonl` writes, directly and by way
// of nlohmann::json (the same bytes).
template <class Write>
void decision_json(benchmark::State& state, Write write) {
  const Fixture& f = *fixture;
  std::size_t bytes = 0;
  each_application(state, f.decisions.size(), [&](std::size_t i) {
    std::string text = write(f.decisions[i]);
    bytes += text.size();
    benchmark::DoNotOptimize(text.data());
  });
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}

void BM_DecisionJsonText(benchmark::State& state) {
  decision_json(state, [](const Decision& d) { return d.to_json_text(); });
}
BENCHMARK(BM_DecisionJsonText);

void BM_DecisionJsonDump(benchmark::State& state) {
  decision_json(state, [](const Decision& d) {
    return d.to_json().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  });
}
BENCHMARK(BM_DecisionJsonDump);

// Bytes in use from the heap and from mmap (glibc serves large blocks there), main arena:
// what is allocated on the calling thread.
std::size_t heap_in_use() {
  struct mallinfo2 m = mallinfo2();
  return m.uordblks + m.hblkhd;
}

// The whole corpus per iteration through evaluate_many on state.range(0) threads. Timed in
// wall time; its CPU time is the whole process's, so that CPU per application with 2
// threads against 1 shows what running in parallel costs even when other jobs share the cores.
void BM_FullPackMany(benchmark::State& state) {
  const Fixture& f = *fixture;
  auto threads = static_cast<unsigned>(state.range(0));
  std::vector<Decision> decisions;
  for (auto _ : state) {
    decisions = f.full.evaluate_many(f.texts, threads, f.explained);
    benchmark::DoNotOptimize(decisions.data());
    // Freeing the results is the caller's work, after the call: not timed. glibc defers
    // part of that work (sorting the freed blocks) to the next large allocation, which
    // would be the call's own single-threaded first step: malloc_trim does it here.
    state.PauseTiming();
    decisions = {};
    malloc_trim(0);
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(f.texts.size()));
  state.counters["threads"] = static_cast<double>(threads);
  if (threads == 1) {
    // What a batch holds for each decision it returns: on this VM a page of memory touched
    // for the first time costs several microseconds, so this is time as well as memory.
    std::size_t before = heap_in_use();
    decisions = f.full.evaluate_many(f.texts, 1, f.explained);
    state.counters["decision_bytes"] = static_cast<double>(heap_in_use() - before) / static_cast<double>(f.texts.size());
  }
}
BENCHMARK(BM_FullPackMany)
    ->ArgName("threads")
    ->RangeMultiplier(2)
    ->Range(1, 2)
    ->UseRealTime()
    ->MeasureProcessCPUTime()
    ->Unit(benchmark::kMillisecond);

// Loading and compiling the pack from its files; `pack_bytes` is the heap the loaded pack holds.
void BM_PackLoad(benchmark::State& state) {
  std::string dir = fixture->full.directory().string();
  for (auto _ : state) {
    RulePack pack = RulePack::load(dir);
    benchmark::DoNotOptimize(pack);
  }
  std::size_t before = heap_in_use();
  {
    RulePack pack = RulePack::load(dir);
    state.counters["pack_bytes"] = static_cast<double>(heap_in_use() - before);
  }
}
BENCHMARK(BM_PackLoad)->Unit(benchmark::kMillisecond);

// Takes our flags out of argv, leaving Google Benchmark's.
Settings take_flags(int& argc, char** argv) {
  Settings s;
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    auto value = [&](std::string_view name, std::string& out) {
      if (!a.starts_with(name)) return false;
      out = std::string(a.substr(name.size()));
      return true;
    };
    if (value("--corpus=", s.corpus) || value("--jsonlogic-verdicts=", s.jsonlogic_verdicts) ||
        value("--peer-pack=", s.peer_pack) || value("--peer-form-pack=", s.peer_form_pack) ||
        value("--full-pack=", s.full_pack) || value("--as-of=", s.as_of))
      continue;
    argv[kept++] = argv[i];
  }
  argc = kept;
  argv[argc] = nullptr;
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  Settings s = take_flags(argc, argv);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  if (s.corpus.empty())
    fail("--corpus=FILE.jsonl is required (make one with examples/make_applications.py bulk)");

  Fixture f;
  try {
    f.texts = read_lines(s.corpus);
    for (const std::string& t : f.texts) {
      f.bytes += t.size();
      f.documents.push_back(Document::parse(t));
    }
    f.peer = RulePack::load(s.peer_pack);
    f.peer_form = RulePack::load(s.peer_form_pack);
    f.full = RulePack::load(s.full_pack);
    auto as_of = qualify::Date::parse(s.as_of);
    if (!as_of) fail("--as-of=" + s.as_of + " is not a date");
    f.verdicts_only.explain = false;
    f.explained.as_of = as_of;
    for (std::size_t i = 0; i < f.texts.size() && i < 100; ++i) f.decisions.push_back(f.full.evaluate(f.texts[i], f.explained));
  } catch (const qualify::Error& e) {
    fail(e.what());
  }
  fixture = &f;
  check(f, s);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
