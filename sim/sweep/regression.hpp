#pragma once
// `continuum regress`: re-run the scenarios and policies a baseline file lists and flag metrics
// that got worse (docs/sweeps.md, "Regression baselines").
//
// A metric of a case regresses when all three hold:
//   1. Welch's t-test (unequal variances) rejects "same mean" at level alpha: the change is larger
//      than the replication noise explains;
//   2. the change goes the wrong way for the metric (latency, energy, cost, loss up; accuracy or
//      throughput down);
//   3. |now − baseline| > max(relative_tolerance · |baseline|, absolute_tolerance): the change is
//      large enough to matter (a real but tiny shift from a changed random-number use is not a
//      regression).
// Runs use the seeds of a sweep's point 0 (run_seed), so an unchanged program reproduces the
// baseline exactly and every verdict is "same".
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "sim/io/scenario_loader.hpp"
#include "sim/sweep/metrics.hpp"

namespace continuum::sweep {

/// Mean, sample standard deviation and count of the finite values of one metric over replications.
struct MetricStats {
  double mean = 0.0;
  double stddev = 0.0;
  std::uint32_t n = 0;
};
MetricStats summarize(std::span<const double> values);

struct WelchTest {
  double t = 0.0;
  double degrees_of_freedom = 0.0;
  double p_value = 1.0;  // two-sided
};

/// Welch's t-test of equal means: t = (m_b − m_a) / √(s_a²/n_a + s_b²/n_b), with the
/// Welch–Satterthwaite degrees of freedom (s_a²/n_a + s_b²/n_b)² / Σ (s²/n)²/(n − 1) and the
/// two-sided p-value from Student's t (Welch 1947). A side with n < 2 contributes no variance. With
/// no variance on either side, p is 1 for equal means and 0 otherwise.
WelchTest welch_t_test(const MetricStats& a, const MetricStats& b);

enum class Verdict : std::uint8_t {
  same,        // identical means (the program reproduces the baseline)
  ok,          // within tolerance, or not significant
  improved,    // significant, beyond tolerance, in the good direction
  regression,  // significant, beyond tolerance, in the bad direction
  new_metric,  // measured now, absent from the baseline (run --update to record it)
  missing      // in the baseline, undefined now (counts as a failure)
};
std::string_view to_string(Verdict verdict);
bool is_failure(Verdict verdict);

struct Tolerance {
  double relative = 0.05;
  double absolute = 0.0;
};

struct Comparison {
  Metric metric = Metric::latency_mean;
  std::optional<MetricStats> baseline;
  std::optional<MetricStats> now;
  double change = 0.0;  // (now − baseline) / |baseline|; ±inf from a zero baseline
  double p_value = 1.0;
  Verdict verdict = Verdict::same;
};

Comparison compare_metric(Metric metric, const std::optional<MetricStats>& baseline,
                          const std::optional<MetricStats>& now, double alpha, const Tolerance& tolerance);

// --- the baseline file ---

struct RegressionSettings {
  double alpha = 0.01;
  double relative_tolerance = 0.05;
  std::map<Metric, double> absolute_tolerance;
  std::vector<Metric> metrics{Metric::latency_mean, Metric::latency_p95, Metric::energy,
                              Metric::cost,         Metric::loss_ratio,  Metric::accuracy};
  std::uint32_t replications = 5;

  Tolerance tolerance(Metric metric) const;
};

struct BaselinePolicy {
  std::string name;
  std::string description;
  std::vector<io::Override> overrides;
  std::map<Metric, MetricStats> baseline;  // empty until the first --update
};

struct BaselineScenario {
  std::string name;
  std::string description;
  std::string file;                     // as written (relative to the baseline file)
  std::filesystem::path path;           // resolved
  std::vector<io::Override> overrides;  // for every policy (short horizons, …)
  std::optional<std::uint32_t> replications;
  std::optional<std::uint64_t> seed;
  std::vector<BaselinePolicy> policies;  // at least one
};

struct BaselineFile {
  std::filesystem::path file;
  std::string description;
  RegressionSettings settings;
  std::vector<BaselineScenario> scenarios;
};

/// Reads a baseline file; throws io::LoadError naming file, line, column and field.
BaselineFile load_baseline(const std::filesystem::path& file);
/// The YAML text of a baseline file (what --update writes); load_baseline reads it back unchanged.
std::string baseline_yaml(const BaselineFile& baseline);

// --- running ---

struct RegressOptions {
  unsigned jobs = 0;
  std::vector<std::string> cases;   // "scenario" or "scenario/policy"; empty: all
  std::vector<io::Override> extra;  // applied to every run, after the policy's overrides
};

struct CaseResult {
  std::size_t scenario = 0;  // index in BaselineFile::scenarios
  std::size_t policy = 0;    // index in its policies
  std::map<Metric, MetricStats> now;
  std::vector<Comparison> comparisons;  // one per settings metric measured now or in the baseline
  bool has_baseline = false;
  bool failed() const;
};

/// Runs the selected cases (settings.replications each, or the scenario's own count) and compares
/// them with the baseline. Throws std::invalid_argument on an unknown case name.
std::vector<CaseResult> run_regression(const BaselineFile& baseline, const RegressOptions& options);

/// Stores the measured figures of `results` as the new baseline of their cases.
void update_baseline(BaselineFile& baseline, const std::vector<CaseResult>& results);

}  // namespace continuum::sweep
