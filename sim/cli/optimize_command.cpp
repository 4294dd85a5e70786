// `continuum optimize SCENARIO.yaml | --space4ai FILE.json --policy NAME [options]`: solve the
// design-time placement problem of SPACE4AI-D (docs/policies/placement.md) and report the
// placement, its cost, feasibility and predicted response times; with --verify, simulate the chosen
// placement and compare. Exit codes: 0 a feasible placement was found, 1 the search completed
// without one, 2 bad input.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <iostream>
#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include "continuum/version.hpp"
#include "models/placement/placement_evaluator.hpp"
#include "models/placement/placement_verification.hpp"
#include "models/placement/scenario_problem.hpp"
#include "policies/faas/keep_alive_registry.hpp"
#include "policies/placement/exact_enumeration.hpp"
#include "policies/placement/placement_policy.hpp"
#include "sim/cli/commands.hpp"
#include "sim/io/atomic_file.hpp"
#include "sim/io/design_yaml.hpp"
#include "sim/io/load_error.hpp"
#include "sim/io/scenario_loader.hpp"
#include "sim/io/space4ai_json.hpp"
#include "sim/io/summary_json.hpp"

namespace continuum::cli {

namespace po = boost::program_options;

namespace {

constexpr const char* command_name = "continuum optimize";

std::string policy_list() {
  std::string names;
  for (auto name : placement::placement_policy_names())
    names += (names.empty() ? "" : "|") + std::string(name);
  return names;
}

po::options_description optimize_options() {
  // Wide enough that the list of policies stays on one line.
  po::options_description options("continuum optimize SCENARIO.yaml | --space4ai FILE.json [options]", 120,
                                  80);
  options.add_options()("help,h", "this help")  //
      ("space4ai", po::value<std::string>()->value_name("FILE"),
       "SPACE4AI-D system description (JSON, Appendix-C or later-tools form)")  //
      ("policy", po::value<std::string>()->value_name("NAME")->default_value("random_greedy"),
       policy_list().c_str())  //
      ("iterations", po::value<std::uint64_t>()->value_name("N")->default_value(1000),
       "random-greedy iterations (also the start of local_search and tabu)")  //
      ("time-limit", po::value<double>()->value_name("S"),
       "wall-clock budget of the whole search, seconds (default: none)")                      //
      ("seed", po::value<std::uint64_t>()->value_name("N")->default_value(1), "random seed")  //
      ("threads", po::value<unsigned>()->value_name("N")->default_value(1),
       "worker threads of random greedy and of the --verify replications (results do not depend on it)")  //
      ("set", po::value<std::vector<std::string>>()->value_name("PATH=VALUE")->composing(),
       "YAML scenario: override a field, as in continuum run (repeatable)")  //
      ("rate", po::value<double>()->value_name("R"),
       "arrival rate, requests/s: overrides the JSON's Lambda, or every YAML source's Poisson rate")  //
      ("out", po::value<std::string>()->value_name("FILE"),
       "YAML scenario: write it with the chosen placement, ready for continuum run; JSON: write the "
       "SPACE4AI-D solution JSON ('-' for standard output)")                                      //
      ("verify", "YAML scenario: simulate the chosen placement and compare with the prediction")  //
      ("replications", po::value<int>()->value_name("N")->default_value(10),
       "--verify: independent replications (seeds derived from --seed), at least 2")  //
      ("json", po::value<std::string>()->value_name("FILE"),
       "write the full report as JSON ('-' for standard output, instead of the text report)")  //
      ("objective", po::value<std::string>()->value_name("KIND")->default_value("cost"),
       "cost | cost_energy (cost + W x energy) | energy_capped (energy, subject to cost <= C)")  //
      ("energy-weight", po::value<double>()->value_name("W")->default_value(0.0),
       "cost_energy: money per joule of energy (0.25/kWh = 6.94e-8)")                                     //
      ("cost-cap", po::value<double>()->value_name("C"), "energy_capped: largest cost over the horizon")  //
      ("elite", po::value<std::size_t>()->value_name("K")->default_value(5),
       "random greedy: best distinct placements kept (the starts of local_search and tabu)")  //
      ("search-iterations", po::value<std::uint64_t>()->value_name("M")->default_value(200),
       "local_search: accepted moves per start; tabu: moves per start")  //
      ("tenure", po::value<std::size_t>()->value_name("N")->default_value(50),
       "tabu: number of recent solutions that are tabu")  //
      ("exact-limit", po::value<double>()->value_name("X")->default_value(1e15),
       "exact: largest search space it accepts (see docs/policies/placement.md)")  //
      ("scenario", po::value<std::string>()->value_name("SCENARIO"),
       "a continuum YAML scenario (docs/scenario-format.md; also the first positional argument)");
  return options;
}

constexpr const char* description =
    "Chooses a resource per computational layer, cluster sizes, a deployment per component and a\n"
    "resource per partition, minimising cost (or the chosen objective) under compatibility, memory,\n"
    "utilisation (U < 1), local and path response-time constraints and the no-return-to-edge rule\n"
    "(the SPACE4AI-D problem). Input: a continuum YAML scenario (candidates: each partition's\n"
    "`candidates`, by default every device with a demand for it and enough memory; `cloud_layers`\n"
    "marks VM layers) or a SPACE4AI-D JSON (units: seconds, requests/s, MiB, Mbit, Mbit/s, cost per\n"
    "hour, Time in hours). --verify runs the chosen placement through the simulator (the scenario's\n"
    "horizon and warm-up, --replications runs) and prints predicted and simulated mean response times\n"
    "per component and path with 95 % Student-t intervals. See docs/policies/placement.md.\n\n"
    "Exit codes: 0 a feasible placement was found, 1 none was found, 2 bad input.\n";

int bad_input(const std::string& message) {
  std::cerr << command_name << ": " << message << " (see " << command_name << " --help)\n";
  return 2;
}

std::string number(double x) {
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", x);
  return buffer;
}

nlohmann::json finite_or_null(double x) {
  return std::isfinite(x) ? nlohmann::json(x) : nlohmann::json(nullptr);
}

nlohmann::json report_json(const placement::PlacementProblem& problem,
                           const placement::PlacementResult& result, const placement::Objective& objective,
                           const std::string& input, const po::variables_map& vm) {
  using placement::ResourceKind;
  const auto& evaluation = result.evaluation;
  nlohmann::json report;
  report["command"] = "optimize";
  report["input"] = input;
  report["policy"] = result.policy;
  report["objective"] = {{"kind", std::string(placement::to_string(objective.kind))},
                         {"energy_weight", objective.energy_weight},
                         {"cost_cap", finite_or_null(objective.cost_cap)}};
  report["arrival_rate"] = problem.arrival_rate;
  report["horizon"] = problem.horizon;
  report["feasible"] = result.found;
  report["total_cost"] = result.found ? finite_or_null(evaluation.cost) : nlohmann::json(nullptr);
  report["total_energy"] = result.found ? finite_or_null(evaluation.energy) : nlohmann::json(nullptr);
  report["objective_value"] = result.found ? finite_or_null(evaluation.objective) : nlohmann::json(nullptr);
  report["iterations"] = result.iterations;
  report["evaluations"] = result.evaluations;
  report["seconds"] = result.seconds;
  report["time_limit_reached"] = result.time_limit_reached;
  if (result.policy == "exact" || result.optimal) report["optimal"] = result.optimal;
  if (!result.note.empty()) report["note"] = result.note;
  if (result.found) {
    nlohmann::json components = nlohmann::json::object();
    for (std::size_t c = 0; c < problem.components.size(); ++c) {
      const auto& component = problem.components[c];
      const auto& deployment = component.deployments[result.placement.deployment[c]];
      nlohmann::json partitions = nlohmann::json::array();
      for (std::size_t h = 0; h < deployment.partitions.size(); ++h) {
        const std::size_t r = result.placement.resource_of(problem, c, h);
        const auto& resource = problem.resources[r];
        nlohmann::json partition = {
            {"name", deployment.partitions[h].name},
            {"resource", resource.name},
            {"kind", std::string(placement::to_string(resource.kind))},
            {"layer", problem.layers[resource.layer].name},
            {"response_time", finite_or_null(evaluation.partition_response_time[c][h])}};
        if (resource.kind != ResourceKind::faas) partition["instances"] = result.placement.instances[r];
        partitions.push_back(partition);
      }
      double bound = std::numeric_limits<double>::infinity();
      for (const auto& constraint : problem.local_constraints)
        if (constraint.component == c) bound = std::min(bound, constraint.max_response_time);
      components[component.name] = {{"deployment", deployment.name},
                                    {"partitions", partitions},
                                    {"response_time", finite_or_null(evaluation.component_response_time[c])},
                                    {"bound", finite_or_null(bound)}};
    }
    report["components"] = components;
    nlohmann::json paths = nlohmann::json::object();
    for (std::size_t p = 0; p < problem.path_constraints.size(); ++p) {
      const auto& path = problem.path_constraints[p];
      nlohmann::json names = nlohmann::json::array();
      for (std::size_t c : path.components) names.push_back(problem.components[c].name);
      paths[path.name] = {{"components", names},
                          {"response_time", finite_or_null(evaluation.path_response_time[p])},
                          {"bound", path.max_response_time}};
    }
    report["paths"] = paths;
    nlohmann::json resources = nlohmann::json::object();
    for (std::size_t r = 0; r < problem.resources.size(); ++r) {
      if (evaluation.partitions_on[r] == 0) continue;
      const auto& resource = problem.resources[r];
      nlohmann::json entry = {{"kind", std::string(placement::to_string(resource.kind))},
                              {"layer", problem.layers[resource.layer].name},
                              {"partitions", evaluation.partitions_on[r]}};
      if (resource.kind != ResourceKind::faas) {
        entry["instances"] = result.placement.instances[r];
        entry["utilisation"] = evaluation.utilisation[r];
      }
      resources[resource.name] = entry;
    }
    report["resources"] = resources;
  }
  report["provenance"] = {{"program", "continuum"},
                          {"version", continuum::version_string},
                          {"git_revision", io::git_revision_string()},
                          {"seed", vm["seed"].as<std::uint64_t>()},
                          {"threads", vm["threads"].as<unsigned>()},
                          {"iterations_requested", vm["iterations"].as<std::uint64_t>()}};
  return report;
}

std::string text_report(const placement::PlacementProblem& problem,
                        const placement::PlacementResult& result) {
  std::ostringstream out;
  const auto& evaluation = result.evaluation;
  out << "policy       " << result.policy << "\n";
  out << "feasible     " << (result.found ? "yes" : "no") << "\n";
  if (result.found) {
    out << "total_cost   " << number(evaluation.cost) << " (over " << number(problem.horizon / 3600.0)
        << " h)\n";
    out << "energy       " << number(evaluation.energy) << " J\n";
    out << "objective    " << number(evaluation.objective) << "\n";
  }
  out << "iterations   " << result.iterations << " (" << result.evaluations << " evaluations) in "
      << number(result.seconds) << " s" << (result.time_limit_reached ? ", time limit reached" : "") << "\n";
  if (result.policy == "exact") out << "optimal      " << (result.optimal ? "yes" : "not proven") << "\n";
  if (!result.note.empty()) out << "note         " << result.note << "\n";
  if (!result.found) return out.str();
  out << "components\n";
  for (std::size_t c = 0; c < problem.components.size(); ++c) {
    const auto& component = problem.components[c];
    const auto& deployment = component.deployments[result.placement.deployment[c]];
    out << "  " << component.name << " " << deployment.name << ":";
    for (std::size_t h = 0; h < deployment.partitions.size(); ++h) {
      const std::size_t r = result.placement.resource_of(problem, c, h);
      out << " " << deployment.partitions[h].name << "->" << problem.resources[r].name;
      if (problem.resources[r].kind != placement::ResourceKind::faas)
        out << "x" << result.placement.instances[r];
    }
    out << "  response " << number(evaluation.component_response_time[c]) << " s";
    for (const auto& constraint : problem.local_constraints)
      if (constraint.component == c) out << " (bound " << number(constraint.max_response_time) << " s)";
    out << "\n";
  }
  if (!problem.path_constraints.empty()) out << "paths\n";
  for (std::size_t p = 0; p < problem.path_constraints.size(); ++p) {
    const auto& path = problem.path_constraints[p];
    out << "  " << path.name << " ";
    for (std::size_t i = 0; i < path.components.size(); ++i)
      out << (i ? "," : "") << problem.components[path.components[i]].name;
    out << "  response " << number(evaluation.path_response_time[p]) << " s (bound "
        << number(path.max_response_time) << " s)\n";
  }
  return out.str();
}

/// The verification as a table: one row per component and path.
std::string verification_text(const placement::PlacementVerification& verification) {
  std::ostringstream out;
  out << "verification " << verification.replications << " simulated replications (seeds from --seed "
      << verification.seed << "), " << number(100.0 * verification.level)
      << " % Student-t intervals, mean response time in s\n";
  char line[300];
  std::snprintf(line, sizeof line, "  %-36s %12s %12s %11s %9s %10s\n", "", "predicted", "simulated", "+/-",
                "diff", "requests");
  out << line;
  auto rows = [&](const char* kind, const std::vector<placement::VerifiedResponse>& responses) {
    for (const auto& response : responses) {
      const double difference = response.relative_difference();
      char percent[32] = "-";
      if (std::isfinite(difference)) std::snprintf(percent, sizeof percent, "%+.2f %%", 100.0 * difference);
      std::snprintf(line, sizeof line, "  %-36s %12.6g %12.6g %11.3g %9s %10llu\n",
                    (std::string(kind) + " " + response.name).c_str(), response.predicted,
                    response.simulated.mean, response.simulated.half_width, percent,
                    static_cast<unsigned long long>(response.samples));
      out << line;
    }
  };
  rows("component", verification.components);
  rows("path", verification.paths);
  return out.str();
}

nlohmann::json verification_json(const placement::PlacementVerification& verification) {
  auto entries = [](const std::vector<placement::VerifiedResponse>& responses) {
    nlohmann::json json = nlohmann::json::object();
    for (const auto& response : responses)
      json[response.name] = {{"predicted", finite_or_null(response.predicted)},
                             {"simulated_mean", finite_or_null(response.simulated.mean)},
                             {"simulated_half_width", finite_or_null(response.simulated.half_width)},
                             {"relative_difference", finite_or_null(response.relative_difference())},
                             {"requests", response.samples}};
    return json;
  };
  return {{"replications", verification.replications},
          {"seed", verification.seed},
          {"level", verification.level},
          {"components", entries(verification.components)},
          {"paths", entries(verification.paths)}};
}

void write_output(const std::string& target, const std::string& contents) {
  if (target == "-")
    std::cout << contents;
  else
    io::write_file_atomically(target, contents);
}

/// Loads the YAML scenario with the --set overrides; --rate R sets every source's Poisson rate.
io::LoadedScenario load_yaml_scenario(const std::string& file, const po::variables_map& vm,
                                      std::optional<double> rate) {
  std::vector<io::Override> overrides;
  if (vm.count("set"))
    for (const auto& text : vm["set"].as<std::vector<std::string>>())
      overrides.push_back(io::parse_override(text));
  if (!rate) return io::load_scenario(file, overrides);
  const auto sources = io::load_scenario(file, overrides).spec.sources.size();
  char value[32];
  std::snprintf(value, sizeof value, "%.17g", *rate);
  for (std::size_t i = 0; i < sources; ++i)
    overrides.push_back({"workload." + std::to_string(i) + ".arrivals.rate", value});
  return io::load_scenario(file, overrides);
}

}  // namespace

int optimize_command(const Arguments& args) {
  const auto options = optimize_options();
  po::variables_map vm;
  try {
    const int style = po::command_line_style::default_style & ~po::command_line_style::allow_guessing;
    po::positional_options_description positional;
    positional.add("scenario", 1);
    po::store(po::command_line_parser(args).options(options).positional(positional).style(style).run(), vm);
    if (vm.count("help")) {
      std::cout << options << "\n" << description;
      return 0;
    }
    po::notify(vm);
  } catch (const po::error& error) {
    return bad_input(error.what());
  }
  const bool from_yaml = vm.count("scenario") > 0;
  if (from_yaml && vm.count("space4ai"))
    return bad_input("give either a YAML SCENARIO or --space4ai FILE.json, not both");
  if (!from_yaml && !vm.count("space4ai")) return bad_input("missing SCENARIO.yaml or --space4ai FILE.json");
  const std::string input = from_yaml ? vm["scenario"].as<std::string>() : vm["space4ai"].as<std::string>();
  if (!from_yaml && vm.count("set")) return bad_input("--set applies to YAML scenarios only");
  if (!from_yaml && vm.count("verify"))
    return bad_input(
        "--verify needs a YAML scenario: a SPACE4AI-D description carries no simulation model (service-time "
        "laws, horizon)");
  const int replications = vm["replications"].as<int>();
  if (vm.count("verify") && replications < 2)
    return bad_input("--replications must be at least 2 (a confidence interval needs two replications)");

  placement::PlacementPolicyParameters parameters;
  parameters.seed = vm["seed"].as<std::uint64_t>();
  parameters.threads = vm["threads"].as<unsigned>();
  parameters.elite_size = vm["elite"].as<std::size_t>();
  parameters.search_iterations = vm["search-iterations"].as<std::uint64_t>();
  parameters.tabu_tenure = vm["tenure"].as<std::size_t>();
  parameters.exact_limit = vm["exact-limit"].as<double>();
  if (parameters.threads < 1) return bad_input("--threads must be at least 1");
  if (parameters.elite_size < 1) return bad_input("--elite must be at least 1");
  if (parameters.tabu_tenure < 1) return bad_input("--tenure must be at least 1");
  if (!(parameters.exact_limit > 0.0)) return bad_input("--exact-limit must be positive");

  placement::SearchBudget budget;
  budget.iterations = vm["iterations"].as<std::uint64_t>();
  if (budget.iterations < 1) return bad_input("--iterations must be at least 1");
  if (vm.count("time-limit")) {
    budget.time_limit = vm["time-limit"].as<double>();
    if (!(budget.time_limit > 0.0)) return bad_input("--time-limit must be a positive number of seconds");
  }

  placement::Objective objective;
  const auto kind = placement::parse_objective_kind(vm["objective"].as<std::string>());
  if (!kind)
    return bad_input("unknown objective \"" + vm["objective"].as<std::string>() +
                     "\"; known: cost, cost_energy, energy_capped");
  objective.kind = *kind;
  objective.energy_weight = vm["energy-weight"].as<double>();
  if (!(std::isfinite(objective.energy_weight) && objective.energy_weight >= 0.0))
    return bad_input("--energy-weight must be a non-negative number");
  if (vm.count("cost-cap")) objective.cost_cap = vm["cost-cap"].as<double>();
  if (objective.kind == placement::ObjectiveKind::energy_capped && !vm.count("cost-cap"))
    return bad_input("--objective energy_capped needs --cost-cap C");
  if (!(objective.cost_cap >= 0.0)) return bad_input("--cost-cap must be a non-negative number");

  const std::string policy_name = vm["policy"].as<std::string>();
  const auto policy = placement::find_placement_policy(policy_name, parameters);
  if (!policy) {
    std::string known;
    for (auto name : placement::placement_policy_names())
      known += (known.empty() ? "" : ", ") + std::string(name);
    return bad_input("unknown placement policy \"" + policy_name + "\"; known: " + known);
  }

  std::optional<double> rate;
  if (vm.count("rate")) {
    rate = vm["rate"].as<double>();
    if (!(std::isfinite(*rate) && *rate > 0.0))
      return bad_input("--rate must be a positive number of requests per second");
  }
  std::optional<placement::PlacementProblem> problem;
  std::optional<io::LoadedScenario> scenario;
  try {
    if (from_yaml) {
      scenario = load_yaml_scenario(input, vm, rate);
      if (scenario->early_exit)
        throw std::invalid_argument("an early-exit scenario has no component placement to optimise");
      problem = placement::placement_problem_from_scenario(scenario->spec);
    } else {
      io::Space4aiImportOptions import_options;
      import_options.arrival_rate = rate;
      problem = io::read_space4ai_json(input, import_options);
    }
  } catch (const io::LoadError& error) {
    std::cerr << error.what() << "\n";
    return 2;
  } catch (const io::Space4aiError& error) {
    std::cerr << command_name << ": " << error.what() << "\n";
    return 2;
  } catch (const std::invalid_argument& error) {
    std::cerr << command_name << ": " << input << ": " << error.what() << "\n";
    return 2;
  }

  placement::PlacementResult result;
  try {
    const placement::PlacementEvaluator evaluator(*problem, objective);
    result = policy->solve(evaluator, budget);
  } catch (const placement::SearchSpaceTooLarge& error) {
    std::cerr << command_name << ": " << error.what() << "\n";
    return 2;
  } catch (const std::invalid_argument& error) {
    std::cerr << command_name << ": " << input << ": " << error.what() << "\n";
    return 2;
  }

  std::optional<placement::PlacementVerification> verification;
  std::optional<placement::ScenarioDesign> design;
  if (scenario && result.found) design = placement::scenario_design(*problem, result.placement);
  if (vm.count("verify")) {
    if (!design) {
      std::cerr << command_name << ": no feasible placement, so nothing to verify\n";
    } else {
      try {
        placement::VerificationOptions verify_options;
        verify_options.replications = replications;
        verify_options.seed = parameters.seed;
        verify_options.threads = parameters.threads;
        verify_options.keep_alive_policies = faas::make_keep_alive_policy;
        verification = placement::verify_placement(placement::apply_design(scenario->spec, *design), *problem,
                                                   result.evaluation, verify_options);
      } catch (const std::invalid_argument& error) {
        std::cerr << command_name << ": " << input << ": cannot simulate the placement: " << error.what()
                  << "\n";
        return 2;
      }
    }
  }

  try {
    if (vm.count("out")) {
      const std::string& target = vm["out"].as<std::string>();
      if (!result.found) {
        std::cerr << command_name << ": no feasible placement, so nothing written to " << target << "\n";
      } else if (design) {
        write_output(target, "# " + scenario->spec.name +
                                 " with the placement chosen by continuum optimize --policy " +
                                 result.policy + " (predicted cost " + number(result.evaluation.cost) +
                                 "); from " + input + "\n" +
                                 io::scenario_yaml_with_design(scenario->text, input, *design));
      } else {
        write_output(
            target, io::space4ai_solution_json(*problem, result.placement, result.evaluation).dump(4) + "\n");
      }
    }
    const bool json_to_stdout = (vm.count("json") && vm["json"].as<std::string>() == "-") ||
                                (vm.count("out") && vm["out"].as<std::string>() == "-");
    if (vm.count("json")) {
      auto report = report_json(*problem, result, objective, input, vm);
      if (verification) report["verification"] = verification_json(*verification);
      write_output(vm["json"].as<std::string>(), report.dump(2) + "\n");
    }
    if (!json_to_stdout) {
      std::cout << text_report(*problem, result);
      if (verification) std::cout << verification_text(*verification);
    }
  } catch (const std::exception& error) {
    std::cerr << command_name << ": " << error.what() << "\n";
    return 2;
  }
  return result.found ? 0 : 1;
}

}  // namespace continuum::cli
