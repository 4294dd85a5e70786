// `continuum regress BASELINE.yaml [--update]`: re-run the listed scenarios and policies and fail
// on a metric that got significantly and materially worse (docs/sweeps.md, "Regression baselines").
#include <cmath>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "sim/cli/commands.hpp"
#include "sim/io/atomic_file.hpp"
#include "sim/io/load_error.hpp"
#include "sim/io/scenario_loader.hpp"
#include "sim/sweep/regression.hpp"

namespace continuum::cli {

namespace po = boost::program_options;

namespace {

std::string stats_text(const std::optional<sweep::MetricStats>& stats) {
  if (!stats) return "-";
  char text[64];
  if (stats->n >= 2)
    std::snprintf(text, sizeof text, "%.5g ± %.2g", stats->mean, stats->stddev);
  else
    std::snprintf(text, sizeof text, "%.5g", stats->mean);
  return text;
}

std::string change_text(const sweep::Comparison& c) {
  if (!c.baseline || !c.now) return "-";
  if (std::isinf(c.change)) return c.change > 0 ? "+inf" : "-inf";
  char text[32];
  std::snprintf(text, sizeof text, "%+.2f %%", 100.0 * c.change);
  return text;
}

}  // namespace

int regress_command(const Arguments& args) {
  po::options_description options("continuum regress BASELINE.yaml [options]");
  // clang-format off
  options.add_options()
      ("help,h", "this help")
      ("update", "rewrite the baseline with the figures measured now (mean, stddev, n per metric)")
      ("jobs,j", po::value<unsigned>()->default_value(0), "threads (default 0: all cores)")
      ("case", po::value<std::vector<std::string>>()->composing(),
       "only this case: SCENARIO or SCENARIO/POLICY (repeatable)")
      ("set", po::value<std::vector<std::string>>()->composing(),
       "override a field in every run, after the policy's overrides: --set path=value (repeatable; "
       "e.g. to check that a weakened variant is caught)");
  // clang-format on
  po::options_description hidden;
  hidden.add_options()("baseline", po::value<std::vector<std::string>>());
  po::options_description all;
  all.add(options).add(hidden);
  po::positional_options_description positional;
  positional.add("baseline", -1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& error) {
    std::cerr << "continuum regress: " << error.what() << " (see continuum regress --help)\n";
    return 2;
  }
  if (vm.count("help")) {
    std::cout << options
              << "\nA metric regresses when Welch's t-test over the replications rejects equal means at the\n"
                 "file's alpha, the change is in the bad direction and it exceeds the tolerance.\n"
                 "Exit codes: 0 no regression, 1 a regression (or a missing baseline), 2 bad input.\n";
    return 0;
  }
  if (!vm.count("baseline") || vm["baseline"].as<std::vector<std::string>>().size() != 1) {
    std::cerr << "continuum regress: expected exactly one BASELINE file (see continuum regress --help)\n";
    return 2;
  }
  const std::string file = vm["baseline"].as<std::vector<std::string>>().front();
  const bool update = vm.count("update") > 0;
  try {
    sweep::BaselineFile baseline = sweep::load_baseline(file);
    sweep::RegressOptions run;
    run.jobs = vm["jobs"].as<unsigned>();
    if (vm.count("case")) run.cases = vm["case"].as<std::vector<std::string>>();
    if (vm.count("set"))
      for (const auto& text : vm["set"].as<std::vector<std::string>>())
        run.extra.push_back(io::parse_override(text));
    if (update && !run.extra.empty()) {
      std::cerr
          << "continuum regress: --update with --set would store a modified program's figures; refused\n";
      return 2;
    }
    const auto results = sweep::run_regression(baseline, run);

    char line[400];
    std::snprintf(line, sizeof line, "%-36s %-15s %-24s %-24s %10s %9s  %s\n", "case", "metric", "baseline",
                  "now", "change", "p", "verdict");
    std::cout << line;
    std::size_t failures = 0, without_baseline = 0;
    for (const auto& result : results) {
      const auto& scenario = baseline.scenarios[result.scenario];
      const std::string name = scenario.name + "/" + scenario.policies[result.policy].name;
      if (!result.has_baseline && !update) ++without_baseline;
      if (result.failed() && result.has_baseline) ++failures;
      for (const auto& c : result.comparisons) {
        char p[16] = "-";
        if (c.baseline && c.now) std::snprintf(p, sizeof p, "%.3g", c.p_value);
        std::snprintf(line, sizeof line, "%-36s %-15s %-24s %-24s %10s %9s  %s\n", name.c_str(),
                      std::string(sweep::to_string(c.metric)).c_str(), stats_text(c.baseline).c_str(),
                      stats_text(c.now).c_str(), change_text(c).c_str(), p,
                      update ? "updated" : std::string(sweep::to_string(c.verdict)).c_str());
        std::cout << line;
      }
    }
    if (update) {
      sweep::update_baseline(baseline, results);
      io::write_file_atomically(file, sweep::baseline_yaml(baseline));
      std::cout << "updated the baseline of " << results.size() << " cases in " << file << "\n";
      return 0;
    }
    if (without_baseline)
      std::cout << without_baseline << " cases have no baseline yet: run continuum regress " << file
                << " --update\n";
    std::cout << results.size()
              << " cases: " << (failures ? std::to_string(failures) + " regressed" : "no regression") << "\n";
    return failures || without_baseline ? 1 : 0;
  } catch (const io::LoadError& error) {
    std::cerr << error.what() << "\n";
    return 2;
  } catch (const std::exception& error) {
    std::cerr << "continuum regress: " << error.what() << "\n";
    return 2;
  }
}

}  // namespace continuum::cli
