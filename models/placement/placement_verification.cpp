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

/// For each problem item (component or path), the Student-t interval over the replications' means
/// of the report of that name (`RunSummary::components` or `::paths`), and the samples behind it.
template <typename Item, typename Report>
std::vector<VerifiedResponse> compare(const std::vector<Item>& items, const std::vector<double>& predicted,
                                      const std::vector<RunSummary>& runs,
                                      std::vector<Report> RunSummary::*reports, const char* what,
                                      double level) {
  std::vector<VerifiedResponse> responses;
  for (std::size_t k = 0; k < items.size(); ++k) {
    const std::size_t i = report_index(runs.front().*reports, items[k].name, what);
    VerifiedResponse response;
    response.name = items[k].name;
    response.predicted = predicted[k];
    std::vector<double> means;
    for (const auto& run : runs) {
      const auto& moments = (run.*reports)[i].latency.moments;
      response.samples += moments.count();
      if (moments.count() > 0) means.push_back(moments.mean());
    }
    response.simulated = stats::replication_interval(means, level);
    responses.push_back(std::move(response));
  }
  return responses;
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
  result.components = compare(problem.components, evaluation.component_response_time, runs,
                              &RunSummary::components, "component", options.level);
  result.paths = compare(problem.path_constraints, evaluation.path_response_time, runs, &RunSummary::paths,
                         "path", options.level);
  return result;
}

}  // namespace continuum::placement
