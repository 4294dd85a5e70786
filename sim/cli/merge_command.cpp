// `continuum merge A.h5 B.h5 … --out M.h5`: combine the shards of a sweep (docs/sweeps.md).
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "sim/cli/commands.hpp"
#include "sim/sweep/results.hpp"
#include "sim/sweep/results_file.hpp"

namespace continuum::cli {

namespace po = boost::program_options;

int merge_command(const Arguments& args) {
  po::options_description options("continuum merge A.h5 B.h5 ... --out MERGED.h5");
  options.add_options()("help,h", "this help")("out,o", po::value<std::string>(),
                                               "the merged file (required)");
  po::options_description hidden;
  hidden.add_options()("inputs", po::value<std::vector<std::string>>());
  po::options_description all;
  all.add(options).add(hidden);
  po::positional_options_description positional;
  positional.add("inputs", -1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& error) {
    std::cerr << "continuum merge: " << error.what() << " (see continuum merge --help)\n";
    return 2;
  }
  if (vm.count("help")) {
    std::cout
        << options
        << "\nCombines sweep result files of one sweep (shards written with --shard i/N, or partial runs)\n"
           "into one, recomputing /points. Files of different sweeps, or one run with different results\n"
           "in two files, are refused. Exit codes: 0 success, 2 bad input.\n";
    return 0;
  }
  if (!vm.count("inputs")) {
    std::cerr << "continuum merge: expected the files to merge (see continuum merge --help)\n";
    return 2;
  }
  if (!vm.count("out")) {
    std::cerr << "continuum merge: --out FILE.h5 is required\n";
    return 2;
  }
  try {
    std::vector<sweep::SweepResults> parts;
    for (const auto& input : vm["inputs"].as<std::vector<std::string>>())
      parts.push_back(sweep::read_results(input));
    const sweep::SweepResults merged = sweep::merge_results(parts);
    const std::string out = vm["out"].as<std::string>();
    sweep::write_results(out, merged);
    std::string shards;
    for (const auto& s : merged.shards) shards += (shards.empty() ? "" : ", ") + s;
    const bool complete = sweep::shards_complete(merged.shards);
    std::printf("merged %zu files of sweep %s (shards %s): %zu runs -> %s\n", parts.size(),
                merged.name.c_str(), shards.c_str(), merged.runs.size(), out.c_str());
    if (!complete)
      std::fprintf(stderr, "continuum merge: warning: the shards do not cover the whole sweep\n");
    return 0;
  } catch (const std::exception& error) {
    std::cerr << "continuum merge: " << error.what() << "\n";
    return 2;
  }
}

}  // namespace continuum::cli
