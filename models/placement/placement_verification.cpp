#include "models/placement/placement_verification.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <limits>
#include <stdexcept>
#include <thread>

#include "models/system/replication_seed.hpp"
#include "models/system/system_model.hpp"

namespace continuum::placement {

double VerifiedResponse::relative_difference() const {
  if (!(predicted > 0.0)) return std::numeric_limits<double>::quiet_NaN();
  return (simulated.mean - predicted) / predicted;
}

namespace {

template <typename Report>
std::size_t report_index(const std::vector<Report>& reports, const std::string& name, const char* what) {
  for (std::size_t i = 0; i < reports.size(); ++i)
    if (reports[i].name == name) return i;
  throw std::invalid_argument(std::string("the simulated scenario has no ") + what + " " + name);
}

/// Interval over the replications' means of one meter, and the total number of samples.
template <typename MeterOf>
VerifiedResponse compare(const std::string& name, double predicted, const std::vector<RunSummary>& runs,
                         double level, MeterOf meter_of) {
  VerifiedResponse response;
  response.name = name;
  response.predicted = predicted;
  std::vector<double> means;
  for (const auto& run : runs) {
    const auto& moments = meter_of(run).moments;
    response.samples += moments.count();
    if (moments.count() > 0) means.push_back(moments.mean());
  }
  response.simulated = stats::replication_interval(means, level);
  return response;
}

}  // namespace

PlacementVerification verify_placement(const ScenarioSpec& design_scenario, const PlacementProblem& problem,
                                       const Evaluation& evaluation, const VerificationOptions& options) {
  if (options.replications < 2)
    throw std::invalid_argument("verification needs at least 2 replications for a confidence interval");
  std::vector<RunSummary> runs(static_cast<std::size_t>(options.replications));
  // Each replication owns its simulation and seed and writes its own slot: the result is the same
  // on any number of threads.
  std::atomic<int> next{0};
  std::vector<std::exception_ptr> errors(static_cast<std::size_t>(options.replications));
  auto worker = [&] {
    for (int r = next++; r < options.replications; r = next++) {
      try {
        Simulation simulation(replication_seed(options.seed, r));
        SystemModel model(simulation, design_scenario, options.keep_alive_policies);
        runs[static_cast<std::size_t>(r)] = model.run();
      } catch (...) {
        errors[static_cast<std::size_t>(r)] = std::current_exception();
      }
    }
  };
  const unsigned threads = std::max(1u, std::min<unsigned>(options.threads, options.replications));
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& thread : pool) thread.join();
  for (const auto& error : errors)
    if (error) std::rethrow_exception(error);

  PlacementVerification result;
  result.replications = options.replications;
  result.seed = options.seed;
  result.level = options.level;
  const RunSummary& first = runs.front();
  for (std::size_t c = 0; c < problem.components.size(); ++c) {
    const std::string& name = problem.components[c].name;
    const std::size_t i = report_index(first.components, name, "component");
    result.components.push_back(
        compare(name, evaluation.component_response_time[c], runs, options.level,
                [i](const RunSummary& run) -> const LatencyMeter& { return run.components[i].latency; }));
  }
  for (std::size_t p = 0; p < problem.path_constraints.size(); ++p) {
    const std::string& name = problem.path_constraints[p].name;
    const std::size_t i = report_index(first.paths, name, "path");
    result.paths.push_back(
        compare(name, evaluation.path_response_time[p], runs, options.level,
                [i](const RunSummary& run) -> const LatencyMeter& { return run.paths[i].latency; }));
  }
  return result;
}

}  // namespace continuum::placement
