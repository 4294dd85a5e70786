#pragma once
// Test helper: drives one FaasFunction with renewal arrivals or invocations at scripted times,
// records what comes back, and runs independent replications. Shared by the model and policy tests.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "models/faas/faas_function.hpp"
#include "sim/engine/distribution.hpp"
#include "sim/engine/simulation.hpp"

namespace continuum::faas_test {

struct Done {
  JobId job;
  FaasCompletion completion;
};

class FaasDriver final : public EventHandler, public FaasClient {
 public:
  FaasDriver(Simulation& simulation, FaasFunctionSpec spec, FaasPricing pricing = {},
             std::unique_ptr<KeepAlivePolicy> policy = nullptr, FaasFunctionOptions options = {})
      : simulation_(simulation),
        function_(simulation, std::move(spec), pricing, *this, std::move(policy), std::move(options)),
        stream_(simulation.random_stream("arrivals")) {
    simulation.on_warmup_end([this](SimTime now) { function_.reset_statistics(now); });
  }

  /// Renewal arrivals with these gaps, the first one a gap after now.
  void renewal(Distribution gaps) {
    gaps_ = std::move(gaps);
    simulation_.schedule_in(gaps_->sample(stream_), *this, kind_renewal);
  }
  void poisson(double rate) { renewal(Distribution::exponential(1.0 / rate)); }
  /// One invocation at each of these times (job ids continue the sequence).
  void at(const std::vector<SimTime>& times) {
    for (const SimTime time : times) simulation_.schedule_at(time, *this, kind_scripted);
  }

  FaasFunction& function() { return function_; }
  const std::vector<Done>& done() const { return done_; }
  const std::vector<JobId>& rejected() const { return rejected_; }
  /// Whether each invocation so far was accepted, by job id.
  const std::vector<bool>& accepted() const { return accepted_; }

  void on_event(Simulation& simulation, std::uint32_t kind, std::uint64_t) override {
    const JobId job = next_job_++;
    const bool ok = function_.invoke(job);
    accepted_.push_back(ok);
    if (!ok) rejected_.push_back(job);
    if (kind == kind_renewal) simulation.schedule_in(gaps_->sample(stream_), *this, kind_renewal);
  }
  void on_faas_done(JobId job, const FaasCompletion& completion) override {
    if (record_) done_.push_back({job, completion});
  }
  void stop_recording() { record_ = false; }

 private:
  static constexpr std::uint32_t kind_renewal = 0;
  static constexpr std::uint32_t kind_scripted = 1;
  Simulation& simulation_;
  FaasFunction function_;
  RandomEngine& stream_;
  std::optional<Distribution> gaps_;
  JobId next_job_ = 0;
  bool record_ = true;
  std::vector<Done> done_;
  std::vector<JobId> rejected_;
  std::vector<bool> accepted_;
};

/// Independent replications of Poisson arrivals at `rate` into a function, seeds first_seed,
/// first_seed + 1, …; each run measures [warmup, warmup + horizon].
inline std::vector<FaasFunctionReport> replicate(
    const FaasFunctionSpec& spec, double rate, SimTime horizon, SimTime warmup, int replications,
    std::uint64_t first_seed = 1, const std::function<std::unique_ptr<KeepAlivePolicy>()>& make_policy = {}) {
  std::vector<FaasFunctionReport> reports;
  for (int r = 0; r < replications; ++r) {
    Simulation simulation(first_seed + static_cast<std::uint64_t>(r));
    simulation.set_warmup(warmup);
    FaasDriver driver(simulation, spec, {}, make_policy ? make_policy() : nullptr);
    driver.stop_recording();
    driver.poisson(rate);
    simulation.run({.until = warmup + horizon});
    reports.push_back(driver.function().report(simulation.now()));
  }
  return reports;
}

/// One field of each report, for a replication interval.
inline std::vector<double> field(const std::vector<FaasFunctionReport>& reports,
                                 double FaasFunctionReport::*member) {
  std::vector<double> values;
  for (const auto& report : reports) values.push_back(report.*member);
  return values;
}

}  // namespace continuum::faas_test
