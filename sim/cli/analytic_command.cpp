// `continuum analytic MODEL [options]`: evaluate a closed-form model of models/analytic and print
// the result as JSON. Models: faas (Mahmoudi–Khazaei steady state), mg1k (M/G/1/K loss, exact and
// MacGregor Smith's approximation), queue (M/M/c, M/G/1 and PS with an unbounded queue).
// Every answer carries "stability": an unbounded queue at utilisation >= 1 has no steady state, and
// a figure that is not a finite number is printed as null, never as NaN or infinity.
#include <cmath>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include "models/analytic/detail/number_text.hpp"
#include "models/analytic/errors.hpp"
#include "models/analytic/faas_steady_state.hpp"
#include "models/analytic/finite_queues.hpp"
#include "models/analytic/infinite_queues.hpp"
#include "sim/cli/commands.hpp"

namespace continuum::cli {

namespace po = boost::program_options;

namespace {

// The M/G/1/K solver costs O(K²); beyond this a typo (an extra zero or three) would look like a hang.
constexpr int max_mg1k_capacity = 10000;

void print_usage(std::ostream& out) {
  out << "usage: continuum analytic <model> [options]\n"
         "       continuum analytic <model> --help\n\n"
         "models:\n"
         "  faas   steady state of a FaaS function (Mahmoudi-Khazaei): cold starts, instances, response "
         "time\n"
         "  mg1k   loss probability of an M/G/1/K queue: exact (embedded chain) and two-moment "
         "approximation\n"
         "  queue  M/M/c, M/G/1 or processor sharing with an unbounded queue: response time, queue "
         "length\n\n"
         "Prints JSON on standard output, with \"stability\": {\"stable\", \"reasons\"}; an unstable\n"
         "set-up prints null figures and a warning on standard error.\n"
         "Exit codes: 0 success (stable or not), 2 bad input.\n";
}

po::options_description faas_options() {
  po::options_description options(
      "continuum analytic faas --rate R --warm W --cold C --keep-alive T [options]");
  options.add_options()("help,h", "this help")  //
      ("rate", po::value<double>()->value_name("R")->required(),
       "arrival rate, requests per second (> 0)")                                                          //
      ("warm", po::value<double>()->value_name("W")->required(), "mean warm service time, seconds (> 0)")  //
      ("cold", po::value<double>()->value_name("C")->required(),
       "mean cold service time (start-up + first execution), seconds (>= 0)")  //
      ("keep-alive", po::value<double>()->value_name("T")->required(),
       "idle time after which an instance is terminated, seconds (> 0)")  //
      ("max-instances", po::value<int>()->value_name("M")->default_value(1000),
       "concurrency limit; arrivals that find M busy instances are rejected (>= 1)");
  return options;
}

po::options_description mg1k_options() {
  po::options_description options("continuum analytic mg1k --rho R --capacity K [--service LAW] [options]");
  options.add_options()("help,h", "this help")  //
      ("rho", po::value<double>()->value_name("R")->required(),
       "offered load = arrival rate x mean service time (> 0); the mean service time is 1 s")  //
      ("capacity", po::value<int>()->value_name("K")->required(),
       "system capacity K: waiting places + the one in service (1..10000)")  //
      ("service", po::value<std::string>()->value_name("LAW")->default_value("exponential"),
       "service-time law: exponential | deterministic | erlang:K | hyperexp:SCV (SCV >= 1) | lognormal:SCV | "
       "gamma:SCV");
  return options;
}

po::options_description queue_options() {
  po::options_description options("continuum analytic queue --rate R --service D [options]");
  options.add_options()("help,h", "this help")  //
      ("rate", po::value<double>()->value_name("R")->required(),
       "arrival rate, requests per second (>= 0)")                                                       //
      ("service", po::value<double>()->value_name("D")->required(), "mean service time, seconds (> 0)")  //
      ("servers", po::value<int>()->value_name("C")->default_value(1), "servers (>= 1)")                 //
      ("scv", po::value<double>()->value_name("S2")->default_value(1.0),
       "squared coefficient of variation of the service time (FCFS with one server only; 1 = "
       "exponential)")  //
      ("discipline", po::value<std::string>()->value_name("D")->default_value("fcfs"), "fcfs | ps");
  return options;
}

/// Prints `json` with its "stability" entry: every number that is not finite becomes null and is
/// named as a reason, so NaN or infinity never reach the output as numbers.
void print_guarded(nlohmann::json json, std::string_view model, std::vector<std::string> reasons) {
  for (auto& [key, value] : json.items())
    if (value.is_number_float() && !std::isfinite(value.get<double>())) {
      reasons.push_back(key + ": " + analytic::detail::number_text(value.get<double>()) +
                        " is not a finite number");
      value = nullptr;
    }
  json["stability"] = {{"stable", reasons.empty()}, {"reasons", reasons}};
  for (const auto& reason : reasons)
    std::cerr << "continuum analytic " << model << ": warning: unstable: " << reason << "\n";
  std::cout << json.dump(2) << "\n";
}

// Parses `args` against `options`. Returns an exit code when the command should stop here (help
// printed, or bad input reported), nothing when `vm` is ready to use.
std::optional<int> parse(const Arguments& args, const po::options_description& options,
                         std::string_view model, std::string_view description, po::variables_map& vm) {
  const std::string name = "continuum analytic " + std::string(model);
  try {
    // No abbreviations: `--keep` must not silently mean `--keep-alive`.
    const int style = po::command_line_style::default_style & ~po::command_line_style::allow_guessing;
    // An empty positional description makes a stray word an error instead of being dropped.
    const po::positional_options_description no_positional;
    po::store(po::command_line_parser(args).options(options).positional(no_positional).style(style).run(),
              vm);
    if (vm.count("help")) {
      std::cout << options << "\n" << description;
      return 0;
    }
    po::notify(vm);
  } catch (const po::error& error) {
    std::cerr << name << ": " << error.what() << " (see " << name << " --help)\n";
    return 2;
  }
  return std::nullopt;
}

int bad_value(std::string_view model, const std::string& message) {
  std::cerr << "continuum analytic " << model << ": " << message << " (see continuum analytic " << model
            << " --help)\n";
  return 2;
}

bool finite_and(double value, bool allow_zero) {
  return std::isfinite(value) && (value > 0.0 || (allow_zero && value == 0.0));
}

int faas(const Arguments& args) {
  po::variables_map vm;
  const auto options = faas_options();
  if (const auto stop = parse(
          args, options, "faas",
          "Steady state of one function on a scale-per-request platform (N. Mahmoudi, H. Khazaei, IEEE TCC\n"
          "2022; the pacsltk model): Poisson arrivals are served warm by an idle instance, otherwise by a\n"
          "new instance started cold; an instance idle for the keep-alive is terminated. Times in seconds.\n"
          "See docs/models/analytic.md.\n",
          vm))
    return *stop;
  analytic::FaasParameters parameters{vm["rate"].as<double>(), vm["warm"].as<double>(),
                                      vm["cold"].as<double>(), vm["keep-alive"].as<double>(),
                                      vm["max-instances"].as<int>()};
  if (!finite_and(parameters.arrival_rate, false))
    return bad_value(
        "faas", "--rate must be a number > 0, got " + analytic::detail::number_text(parameters.arrival_rate));
  if (!finite_and(parameters.warm_service, false))
    return bad_value(
        "faas", "--warm must be a number > 0, got " + analytic::detail::number_text(parameters.warm_service));
  if (!finite_and(parameters.cold_service, true))
    return bad_value("faas", "--cold must be a number >= 0, got " +
                                 analytic::detail::number_text(parameters.cold_service));
  if (!finite_and(parameters.keep_alive, false))
    return bad_value("faas", "--keep-alive must be a number > 0, got " +
                                 analytic::detail::number_text(parameters.keep_alive));
  if (parameters.max_instances < 1)
    return bad_value("faas", "--max-instances must be >= 1, got " + std::to_string(parameters.max_instances));

  const analytic::FaasSteadyState state = analytic::faas_steady_state(parameters);
  nlohmann::json json = {
      {"model", "faas_steady_state"},
      {"parameters",
       {{"arrival_rate", parameters.arrival_rate},
        {"warm_service", parameters.warm_service},
        {"cold_service", parameters.cold_service},
        {"keep_alive", parameters.keep_alive},
        {"max_instances", parameters.max_instances}}},
      {"cold_start_probability", state.cold_start_probability},
      {"rejection_probability", state.rejection_probability},
      {"average_instances", state.average_instances},
      {"average_running_warm", state.average_running_warm},
      {"average_running", state.average_running},
      {"average_idle", state.average_idle},
      {"average_response_time", state.average_response_time},
      {"utilization", state.utilization},
  };
  print_guarded(std::move(json), "faas", {});
  return 0;
}

int mg1k(const Arguments& args) {
  po::variables_map vm;
  const auto options = mg1k_options();
  if (const auto stop =
          parse(args, options, "mg1k",
                "Loss probability of an M/G/1/K queue with mean service time 1 s: `loss_exact` from\n"
                "the Markov chain embedded at departures, `loss_approximation` from MacGregor Smith's\n"
                "two-moment formula (null, with \"approximation_domain\": \"outside\", where\n"
                "2 + sqrt(rho)(SCV - 1) <= 0). See docs/models/analytic.md.\n",
                vm))
    return *stop;
  const double rho = vm["rho"].as<double>();
  const int capacity = vm["capacity"].as<int>();
  if (!finite_and(rho, false))
    return bad_value("mg1k", "--rho must be a number > 0, got " + analytic::detail::number_text(rho));
  if (capacity < 1 || capacity > max_mg1k_capacity)
    return bad_value("mg1k", "--capacity must be an integer in 1.." + std::to_string(max_mg1k_capacity) +
                                 ", got " + std::to_string(capacity));
  analytic::ServiceLaw service;
  try {
    service = analytic::ServiceLaw::parse(vm["service"].as<std::string>());
  } catch (const std::invalid_argument& error) {
    return bad_value("mg1k", std::string("--service: ") + error.what());
  }

  const analytic::FiniteQueueMetrics exact = analytic::mg1k(rho / service.mean, service, capacity);
  const std::optional<double> approximation =
      analytic::mg1k_loss_approximation(rho, service.squared_cv(), capacity);
  nlohmann::json json = {
      {"model", "mg1k"},
      {"rho", rho},
      {"capacity", capacity},
      {"service", service.to_string()},
      {"service_scv", service.squared_cv()},
      {"mean_service", service.mean},
      {"loss_exact", exact.loss_probability},
      {"loss_approximation", approximation ? nlohmann::json(*approximation) : nlohmann::json(nullptr)},
      {"approximation_domain", approximation ? "inside" : "outside"},
      {"throughput", exact.throughput},
      {"mean_in_system", exact.mean_in_system},
      {"mean_response", exact.mean_response},
      {"utilization", exact.utilization},
  };
  if (!approximation)
    json["approximation_note"] =
        "MacGregor Smith's approximation is defined only where 2 + sqrt(rho)(SCV - 1) > 0";
  print_guarded(std::move(json), "mg1k", {});  // a finite buffer is stable at any load
  return 0;
}

int queue(const Arguments& args) {
  po::variables_map vm;
  const auto options = queue_options();
  if (const auto stop = parse(
          args, options, "queue",
          "One station with an unbounded queue (docs/models/analytic.md): FCFS with one server is M/G/1\n"
          "(Pollaczek-Khinchine; --scv 1 gives M/M/1), FCFS with c servers is M/M/c (--scv must be 1),\n"
          "ps is processor sharing (insensitive to the service law). Utilisation rho = rate x service /\n"
          "servers; at rho >= 1 the queue grows without bound: the figures are null and \"stability\"\n"
          "says why.\n",
          vm))
    return *stop;
  const double rate = vm["rate"].as<double>();
  const double service = vm["service"].as<double>();
  const int servers = vm["servers"].as<int>();
  const double scv = vm["scv"].as<double>();
  const std::string discipline = vm["discipline"].as<std::string>();
  if (!finite_and(rate, true))
    return bad_value("queue", "--rate must be a number >= 0, got " + analytic::detail::number_text(rate));
  if (!finite_and(service, false))
    return bad_value("queue",
                     "--service must be a number > 0, got " + analytic::detail::number_text(service));
  if (servers < 1) return bad_value("queue", "--servers must be >= 1, got " + std::to_string(servers));
  if (!finite_and(scv, true))
    return bad_value("queue", "--scv must be a number >= 0, got " + analytic::detail::number_text(scv));
  if (discipline != "fcfs" && discipline != "ps")
    return bad_value("queue", "--discipline must be fcfs or ps, got \"" + discipline + "\"");
  if (discipline == "fcfs" && servers > 1 && scv != 1.0)
    return bad_value("queue",
                     "M/G/c FCFS with c > 1 has no closed form here: use --scv 1 (M/M/c) or --discipline ps");

  const double utilization = rate * service / servers;
  nlohmann::json json = {{"model", discipline == "ps" ? "ps"
                                   : servers > 1      ? "mmc"
                                   : scv == 1.0       ? "mm1"
                                                      : "mg1"},
                         {"parameters",
                          {{"arrival_rate", rate},
                           {"mean_service", service},
                           {"servers", servers},
                           {"service_scv", scv},
                           {"discipline", discipline}}},
                         {"utilization", utilization}};
  std::vector<std::string> reasons;
  try {
    const analytic::QueueMetrics metrics = discipline == "ps" ? analytic::mg1_ps(rate, service, servers)
                                           : servers > 1      ? analytic::mmc(rate, service, servers)
                                                              : analytic::mg1(rate, service, scv);
    json["mean_response"] = metrics.mean_response;
    json["mean_waiting"] = metrics.mean_waiting;
    json["mean_in_system"] = metrics.mean_in_system;
    json["mean_in_queue"] = metrics.mean_in_queue;
  } catch (const analytic::Unstable& error) {
    for (const char* key : {"mean_response", "mean_waiting", "mean_in_system", "mean_in_queue"})
      json[key] = nullptr;
    reasons.emplace_back(error.what());
  }
  print_guarded(std::move(json), "queue", std::move(reasons));
  return 0;
}

}  // namespace

int analytic_command(const Arguments& args) {
  if (args.empty()) {
    print_usage(std::cerr);
    return 2;
  }
  const std::string& model = args.front();
  if (model == "-h" || model == "--help" || model == "help") {
    print_usage(std::cout);
    return 0;
  }
  const Arguments rest(args.begin() + 1, args.end());
  try {
    if (model == "faas") return faas(rest);
    if (model == "mg1k") return mg1k(rest);
    if (model == "queue") return queue(rest);
  } catch (const std::exception& error) {
    // e.g. an M/G/1/K load beyond the embedded chain's numerical range.
    std::cerr << "continuum analytic " << model << ": error: " << error.what() << "\n";
    return 2;
  }
  std::cerr << "continuum analytic: unknown model \"" << model << "\"; known: faas, mg1k, queue\n";
  return 2;
}

}  // namespace continuum::cli
