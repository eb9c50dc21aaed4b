// Evaluate one application with a rule pack and print the verdict and the reasons.
//   evaluate_application PACK_DIR APPLICATION.json [AS_OF]
#include <fstream>
#include <iostream>
#include <sstream>

#include <qualify/qualify.hpp>

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: evaluate_application PACK_DIR APPLICATION.json [AS_OF]\n";
    return 2;
  }
  try {
    qualify::RulePack pack = qualify::RulePack::load(argv[1]);
    std::ifstream in(argv[2], std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    qualify::EvaluateOptions options;
    if (argc > 3) options.as_of = qualify::Date::parse(argv[3]);

    qualify::Decision d = pack.evaluate(text.str(), options);
    std::cout << d.application << ": " << qualify::to_string(d.status) << " (" << pack.info().id << " "
              << pack.info().version << ")\n";
    for (const qualify::Finding& f : d.findings) {
      if (f.outcome == qualify::Outcome::pass) continue;
      std::cout << "  [" << qualify::to_string(f.outcome) << ", " << qualify::to_string(f.severity) << "] "
                << f.rule << " (" << f.clause << "): " << f.message.en << "\n";
    }
    if (d.score) std::cout << "  score " << d.score->total << " / " << d.score->max << "\n";
    return 0;
  } catch (const qualify::Error& e) {
    std::cerr << e.what() << "\n";
    return 1;
  }
}
