// `continuum fingerprints TABLE.yaml [--update] [--jobs N]`: re-run every scenario listed in the
// table with a short horizon and a fixed seed, hash its event sequence (Simulation::fingerprint)
// and compare with the stored value, as OMNeT++ fingerprint tests do (docs/output-format.md,
// "Fingerprints"). Every *.yaml beside the listed scenario files must be listed, so a new shipped
// scenario cannot go unchecked. --update rewrites the stored values after an intended change.
#include <algorithm>
#include <atomic>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <yaml-cpp/yaml.h>
#include <boost/program_options.hpp>

#include "models/early_exit/early_exit_model.hpp"
#include "models/system/system_model.hpp"
#include "policies/early_exit/registry.hpp"
#include "policies/faas/keep_alive_registry.hpp"
#include "sim/cli/commands.hpp"
#include "sim/io/atomic_file.hpp"
#include "sim/io/load_error.hpp"
#include "sim/io/scenario_loader.hpp"
#include "sim/io/summary_json.hpp"

namespace continuum::cli {

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

struct Entry {
  std::string name;
  std::string file;      // as written in the table, relative to it
  std::string expected;  // 16 hex digits; empty when not yet recorded
  std::string actual;
  std::string error;
};

struct Table {
  std::string horizon = "300s";
  std::uint64_t seed = 1;
  std::vector<Entry> entries;
};

Table read_table(const fs::path& path) {
  const YAML::Node root = YAML::LoadFile(path.string());
  Table table;
  if (const auto settings = root["settings"]) {
    if (settings["horizon"]) table.horizon = settings["horizon"].as<std::string>();
    if (settings["seed"]) table.seed = settings["seed"].as<std::uint64_t>();
  }
  for (const auto& item : root["scenarios"]) {
    Entry entry;
    entry.name = item.first.as<std::string>();
    entry.file = item.second["file"].as<std::string>();
    if (item.second["fingerprint"]) entry.expected = item.second["fingerprint"].as<std::string>();
    table.entries.push_back(std::move(entry));
  }
  return table;
}

std::string table_text(const Table& table) {
  std::ostringstream out;
  out << "# Expected event fingerprints of the shipped scenarios (docs/output-format.md, \"Fingerprints\").\n"
         "# CTest runs `continuum fingerprints` on this file. After an intended change of the event\n"
         "# sequence, regenerate with `continuum fingerprints FILE --update` (rewrites the whole file).\n"
      << "settings: {horizon: " << table.horizon << ", seed: " << table.seed << "}\n"
      << "scenarios:\n";
  for (const auto& entry : table.entries)
    out << "  " << entry.name << ": {file: " << entry.file << ", fingerprint: \"" << entry.actual << "\"}\n";
  return out.str();
}

/// One run of `file` with the table's horizon and seed, no warm-up; its fingerprint as hex.
std::string fingerprint_of(const fs::path& file, const Table& table) {
  const std::vector<io::Override> overrides = {{"simulation.horizon", table.horizon},
                                               {"simulation.warmup", "0s"},
                                               {"simulation.seed", std::to_string(table.seed)},
                                               {"simulation.replications", "1"}};
  const io::LoadedScenario loaded = io::load_scenario(file.string(), overrides);
  Simulation simulation(loaded.spec.simulation.seed);
  simulation.enable_fingerprint();
  if (loaded.early_exit) {
    early_exit::ExitPolicyRegistry policies;
    early_exit::register_builtin_exit_policies(policies);
    run_early_exit(simulation, *loaded.early_exit, policies.factory());
  } else {
    SystemModel(simulation, loaded.spec, faas::make_keep_alive_policy).run();
  }
  return io::fingerprint_text(simulation.fingerprint());
}

/// Scenario files beside the listed ones that the table does not list (the table itself aside).
std::vector<std::string> unlisted(const fs::path& table_path, const Table& table) {
  const fs::path base = table_path.parent_path();
  std::set<fs::path> listed{fs::weakly_canonical(table_path)}, directories;
  for (const auto& entry : table.entries) {
    const fs::path file = fs::weakly_canonical(base / entry.file);
    listed.insert(file);
    directories.insert(file.parent_path());
  }
  std::vector<std::string> missing;
  for (const auto& directory : directories)
    for (const auto& item : fs::directory_iterator(directory))
      if (item.is_regular_file() && item.path().extension() == ".yaml" &&
          !listed.count(fs::weakly_canonical(item.path())))
        missing.push_back(item.path().string());
  std::sort(missing.begin(), missing.end());
  return missing;
}

}  // namespace

int fingerprints_command(const Arguments& args) {
  po::options_description options("continuum fingerprints TABLE.yaml [options]");
  options.add_options()("help,h", "this help")(
      "update", "store the fingerprints computed now instead of comparing (after an intended change)")(
      "jobs,j", po::value<unsigned>()->default_value(1), "scenarios run at once (threads)");
  po::options_description hidden;
  hidden.add_options()("table", po::value<std::vector<std::string>>());
  po::options_description all;
  all.add(options).add(hidden);
  po::positional_options_description positional;
  positional.add("table", -1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& error) {
    std::cerr << "continuum fingerprints: " << error.what() << " (see continuum fingerprints --help)\n";
    return 2;
  }
  if (vm.count("help")) {
    std::cout << options
              << "\nExit codes: 0 every fingerprint matches (or --update), 1 a mismatch or an unlisted "
                 "scenario, 2 bad input.\n";
    return 0;
  }
  if (!vm.count("table") || vm["table"].as<std::vector<std::string>>().size() != 1) {
    std::cerr
        << "continuum fingerprints: expected exactly one TABLE file (see continuum fingerprints --help)\n";
    return 2;
  }
  const fs::path path = vm["table"].as<std::vector<std::string>>().front();
  Table table;
  try {
    table = read_table(path);
  } catch (const YAML::Exception& error) {
    std::cerr << path.string() << ":" << error.mark.line + 1 << ":" << error.mark.column + 1
              << ": error: " << error.msg
              << " (expected settings: {horizon, seed} and scenarios: {name: {file, "
              << "fingerprint}})\n";
    return 2;
  }
  const fs::path base = path.parent_path();
  // Each scenario is its own Simulation: threads only change which finishes first, never a hash.
  const unsigned jobs = std::max(1u, vm["jobs"].as<unsigned>());
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i = next++; i < table.entries.size(); i = next++) {
      Entry& entry = table.entries[i];
      try {
        entry.actual = fingerprint_of(base / entry.file, table);
      } catch (const std::exception& error) {
        entry.error = error.what();
      }
    }
  };
  std::vector<std::thread> threads;
  for (unsigned j = 1; j < jobs; ++j) threads.emplace_back(worker);
  worker();
  for (auto& thread : threads) thread.join();

  bool failed = false;
  for (const auto& entry : table.entries) {
    if (!entry.error.empty()) {
      std::cerr << entry.file << ": error: " << entry.error << "\n";
      failed = true;
      continue;
    }
    const bool same = entry.actual == entry.expected;
    std::printf(
        "%-28s %s %s%s\n", entry.name.c_str(), entry.actual.c_str(), same ? "ok" : "CHANGED",
        same ? ""
             : (" (stored " + (entry.expected.empty() ? std::string("none") : entry.expected) + ")").c_str());
    failed = failed || (!same && !vm.count("update"));
  }
  if (vm.count("update")) {
    if (std::any_of(table.entries.begin(), table.entries.end(),
                    [](const Entry& e) { return !e.error.empty(); }))
      return 2;
    io::write_file_atomically(path, table_text(table));
    std::printf("updated %s\n", path.string().c_str());
  }
  for (const auto& file : unlisted(path, table)) {
    std::cerr << path.string() << ": error: " << file << " has no fingerprint; add it and run --update\n";
    failed = true;
  }
  return failed ? 1 : 0;
}

}  // namespace continuum::cli
