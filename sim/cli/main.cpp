// The `continuum` program: dispatches to one subcommand per file in sim/cli/.
#include <cstdio>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include "continuum/version.hpp"
#include "sim/cli/commands.hpp"

namespace {

struct Subcommand {
  std::string_view name;
  std::string_view summary;
  int (*handler)(const continuum::cli::Arguments&);
};

constexpr Subcommand subcommands[] = {
    {"run", "simulate a scenario and print its JSON summary", continuum::cli::run_command},
    {"analytic", "closed-form models: faas, mg1k, queue", continuum::cli::analytic_command},
    {"optimize", "choose a placement (SPACE4AI-D problem)", continuum::cli::optimize_command},
    {"sweep", "run a sweep of points, policies and replications into HDF5", continuum::cli::sweep_command},
    {"merge", "combine the HDF5 results of sweep shards", continuum::cli::merge_command},
    {"regress", "compare policy quality with a stored baseline", continuum::cli::regress_command},
    {"fingerprints", "check the event fingerprints of scenarios against a table",
     continuum::cli::fingerprints_command},
};

void print_usage(std::FILE* out) {
  std::fprintf(out, "continuum %s: discrete-event simulator of the edge-cloud continuum\n\n",
               continuum::version_string);
  std::fprintf(out, "usage: continuum <command> [options]\n       continuum <command> --help\n\ncommands:\n");
  for (const auto& command : subcommands)
    std::fprintf(out, "  %-13.*s %.*s\n", static_cast<int>(command.name.size()), command.name.data(),
                 static_cast<int>(command.summary.size()), command.summary.data());
  std::fprintf(out, "\noptions:\n  -h, --help     this help\n  --version      print the version\n");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    print_usage(stderr);
    return 2;
  }
  const std::string_view first = argv[1];
  if (first == "-h" || first == "--help" || first == "help") {
    print_usage(stdout);
    return 0;
  }
  if (first == "--version") {
    std::printf("continuum %s\n", continuum::version_string);
    return 0;
  }
  const continuum::cli::Arguments rest(argv + 2, argv + argc);
  for (const auto& command : subcommands) {
    if (command.name != first) continue;
    try {
      return command.handler(rest);
    } catch (const std::exception& error) {
      // Last line of defence: every anticipated error is reported by the command itself.
      std::fprintf(stderr, "continuum %s: error: %s\n", argv[1], error.what());
      return 2;
    }
  }
  std::fprintf(stderr, "continuum: unknown command \"%s\"; known: ", argv[1]);
  const char* separator = "";
  for (const auto& command : subcommands) {
    std::fprintf(stderr, "%s%.*s", separator, static_cast<int>(command.name.size()), command.name.data());
    separator = ", ";
  }
  std::fprintf(stderr, "\n");
  return 2;
}
