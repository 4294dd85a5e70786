#include "sim/sweep/regression.hpp"

#include <charconv>
#include <cmath>
#include <limits>
#include <set>
#include <stdexcept>

#include <yaml-cpp/yaml.h>
#include <boost/math/distributions/students_t.hpp>

#include "sim/engine/stats/welford.hpp"
#include "sim/sweep/run_plan.hpp"
#include "sim/sweep/sweep_session.hpp"
#include "sim/sweep/sweep_spec.hpp"
#include "sim/sweep/yaml_reader.hpp"

namespace continuum::sweep {

using detail::quote;
using detail::Reader;

MetricStats summarize(std::span<const double> values) {
  stats::Welford w;
  for (double v : values)
    if (std::isfinite(v)) w.add(v);
  return {w.count() ? w.mean() : 0.0, w.stddev(), static_cast<std::uint32_t>(w.count())};
}

WelchTest welch_t_test(const MetricStats& a, const MetricStats& b) {
  WelchTest test;
  const double diff = b.mean - a.mean;
  const double va = a.n >= 2 ? a.stddev * a.stddev / a.n : 0.0;
  const double vb = b.n >= 2 ? b.stddev * b.stddev / b.n : 0.0;
  const double se2 = va + vb;
  if (!(se2 > 0.0)) {
    test.t = diff == 0.0 ? 0.0 : std::copysign(std::numeric_limits<double>::infinity(), diff);
    test.degrees_of_freedom = std::numeric_limits<double>::infinity();
    test.p_value = diff == 0.0 ? 1.0 : 0.0;
    return test;
  }
  test.t = diff / std::sqrt(se2);
  double denominator = 0.0;
  if (va > 0.0) denominator += va * va / (a.n - 1.0);
  if (vb > 0.0) denominator += vb * vb / (b.n - 1.0);
  test.degrees_of_freedom = se2 * se2 / denominator;
  const boost::math::students_t distribution(test.degrees_of_freedom);
  test.p_value = 2.0 * boost::math::cdf(boost::math::complement(distribution, std::fabs(test.t)));
  return test;
}

std::string_view to_string(Verdict verdict) {
  switch (verdict) {
    case Verdict::same:
      return "same";
    case Verdict::ok:
      return "ok";
    case Verdict::improved:
      return "improved";
    case Verdict::regression:
      return "REGRESSION";
    case Verdict::new_metric:
      return "new";
    case Verdict::missing:
      return "MISSING";
  }
  return "?";
}

bool is_failure(Verdict verdict) {
  return verdict == Verdict::regression || verdict == Verdict::missing;
}

Comparison compare_metric(Metric metric, const std::optional<MetricStats>& baseline,
                          const std::optional<MetricStats>& now, double alpha, const Tolerance& tolerance) {
  Comparison c;
  c.metric = metric;
  c.baseline = baseline;
  c.now = now;
  if (!baseline) {
    c.verdict = Verdict::new_metric;
    return c;
  }
  if (!now || now->n == 0) {
    c.verdict = Verdict::missing;
    return c;
  }
  const double diff = now->mean - baseline->mean;
  c.change = baseline->mean != 0.0 ? diff / std::fabs(baseline->mean)
             : diff == 0.0         ? 0.0
                                   : std::copysign(std::numeric_limits<double>::infinity(), diff);
  c.p_value = welch_t_test(*baseline, *now).p_value;
  if (diff == 0.0) {
    c.verdict = Verdict::same;
    return c;
  }
  const double threshold = std::max(tolerance.relative * std::fabs(baseline->mean), tolerance.absolute);
  const bool worse = metric_info(metric).worse == WorseWhen::higher ? diff > 0.0 : diff < 0.0;
  if (std::fabs(diff) <= threshold || !(c.p_value < alpha))
    c.verdict = Verdict::ok;
  else
    c.verdict = worse ? Verdict::regression : Verdict::improved;
  return c;
}

Tolerance RegressionSettings::tolerance(Metric metric) const {
  const auto found = absolute_tolerance.find(metric);
  return {relative_tolerance, found == absolute_tolerance.end() ? 0.0 : found->second};
}

bool CaseResult::failed() const {
  if (!has_baseline) return true;
  for (const auto& c : comparisons)
    if (is_failure(c.verdict)) return true;
  return false;
}

// --- reading and writing the file ---

namespace {

Metric read_metric(const Reader& reader, const YAML::Node& node, const std::string& path) {
  const std::string name = reader.scalar(node, path, "a metric name");
  const auto metric = find_metric(name);
  if (!metric)
    reader.fail(node, path, "unknown metric " + quote(name) + "; known: " + std::string(metric_names()));
  return *metric;
}

RegressionSettings read_settings(const Reader& reader, const YAML::Node& node) {
  RegressionSettings settings;
  if (!node.IsDefined() || node.IsNull()) return settings;
  reader.require_map(node, "settings", "the settings");
  reader.check_keys(node, "settings",
                    {"alpha", "relative_tolerance", "absolute_tolerance", "metrics", "replications"},
                    "settings");
  if (node["alpha"]) {
    settings.alpha = reader.number(node["alpha"], "settings.alpha");
    if (!(settings.alpha > 0.0 && settings.alpha < 1.0))
      reader.fail(node["alpha"], "settings.alpha", "must be in (0, 1)");
  }
  if (node["relative_tolerance"]) {
    settings.relative_tolerance = reader.number(node["relative_tolerance"], "settings.relative_tolerance");
    if (!(settings.relative_tolerance >= 0.0))
      reader.fail(node["relative_tolerance"], "settings.relative_tolerance", "must not be negative");
  }
  if (const YAML::Node tolerances = node["absolute_tolerance"]; tolerances && !tolerances.IsNull()) {
    reader.require_map(tolerances, "settings.absolute_tolerance", "a map of metric names to tolerances");
    for (const auto& pair : tolerances) {
      const std::string field = "settings.absolute_tolerance." + pair.first.Scalar();
      const double value = reader.number(pair.second, field);
      if (!(value >= 0.0)) reader.fail(pair.second, field, "must not be negative");
      settings.absolute_tolerance[read_metric(reader, pair.first, field)] = value;
    }
  }
  if (const YAML::Node metrics = node["metrics"]) {
    if (!metrics.IsSequence() || metrics.size() == 0)
      reader.fail(metrics, "settings.metrics", "expected a list of metric names, e.g. [latency_mean, cost]");
    settings.metrics.clear();
    for (std::size_t i = 0; i < metrics.size(); ++i)
      settings.metrics.push_back(
          read_metric(reader, metrics[i], "settings.metrics[" + std::to_string(i) + "]"));
  }
  if (node["replications"])
    settings.replications =
        static_cast<std::uint32_t>(reader.integer(node["replications"], "settings.replications", 2, 100000));
  return settings;
}

std::map<Metric, MetricStats> read_values(const Reader& reader, const YAML::Node& node,
                                          const std::string& path) {
  std::map<Metric, MetricStats> values;
  if (!node.IsDefined() || node.IsNull()) return values;
  reader.require_map(node, path, "a map of metric names to {mean, stddev, n}");
  for (const auto& pair : node) {
    const std::string field = path + "." + pair.first.Scalar();
    const Metric metric = read_metric(reader, pair.first, field);
    reader.require_map(pair.second, field, "{mean: .., stddev: .., n: ..}");
    reader.check_keys(pair.second, field, {"mean", "stddev", "n"}, "a baseline value");
    for (const char* key : {"mean", "stddev", "n"})
      if (!pair.second[key]) reader.fail(pair.second, field, std::string("missing `") + key + "`");
    MetricStats stats;
    stats.mean = reader.number(pair.second["mean"], field + ".mean");
    stats.stddev = reader.number(pair.second["stddev"], field + ".stddev");
    stats.n = static_cast<std::uint32_t>(reader.integer(pair.second["n"], field + ".n", 1, 100000));
    if (!(stats.stddev >= 0.0)) reader.fail(pair.second["stddev"], field + ".stddev", "must not be negative");
    values[metric] = stats;
  }
  return values;
}

/// Shortest text that reads back as the same double: a rewritten baseline keeps every bit.
std::string exact(double value) {
  char text[64];
  const auto result = std::to_chars(text, text + sizeof text, value);
  return std::string(text, result.ptr);
}

void emit_overrides(YAML::Emitter& out, const std::vector<io::Override>& overrides) {
  out << YAML::Flow << YAML::BeginMap;
  for (const auto& o : overrides) {
    out << YAML::Key << o.path << YAML::Value;
    // The value is YAML text: emit it as the node it stands for, so lists stay lists.
    YAML::Node value;
    try {
      value = YAML::Load(o.value);
    } catch (const YAML::Exception&) {
      value = YAML::Node(o.value);
    }
    if (o.value.empty())
      out << YAML::Null;
    else
      out << value;
  }
  out << YAML::EndMap;
}

}  // namespace

BaselineFile load_baseline(const std::filesystem::path& file) {
  const Reader reader(file.string());
  const std::string text = detail::read_file(file, "baseline file");
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& error) {
    throw io::LoadError(file.string(), error.mark.line + 1, error.mark.column + 1, "",
                        "YAML syntax error: " + error.msg);
  }
  if (!root.IsMap())
    throw io::LoadError(file.string(), 1, 1, "", "expected a mapping with `scenarios:` (docs/sweeps.md)");
  reader.check_keys(root, "", {"description", "settings", "scenarios"}, "a baseline file");
  BaselineFile baseline;
  baseline.file = file;
  if (root["description"]) baseline.description = reader.scalar(root["description"], "description", "a text");
  baseline.settings = read_settings(reader, root["settings"]);
  const YAML::Node scenarios = root["scenarios"];
  if (!scenarios || !scenarios.IsMap() || scenarios.size() == 0)
    reader.fail(scenarios ? scenarios : root, "scenarios",
                "expected a map of scenario names to {file, set, policies}");
  for (const auto& entry : scenarios) {
    const std::string path = "scenarios." + entry.first.Scalar();
    BaselineScenario scenario;
    scenario.name = reader.name(entry.first, path, "a scenario name");
    for (const auto& other : baseline.scenarios)
      if (other.name == scenario.name)
        reader.fail(entry.first, path, "the scenario " + quote(scenario.name) + " is given twice");
    const YAML::Node node = entry.second;
    reader.require_map(node, path, "{file: .., set: .., policies: ..}");
    reader.check_keys(node, path, {"description", "file", "set", "replications", "seed", "policies"},
                      "a scenario entry");
    if (node["description"])
      scenario.description = reader.scalar(node["description"], path + ".description", "a text");
    if (!node["file"]) reader.fail(node, path, "missing `file`, the scenario file (relative to this file)");
    scenario.file = reader.scalar(node["file"], path + ".file", "a file name");
    const std::filesystem::path given = scenario.file;
    scenario.path = given.is_absolute() ? given : file.parent_path() / given;
    scenario.overrides = detail::read_overrides(reader, node["set"], path + ".set");
    if (node["replications"])
      scenario.replications =
          static_cast<std::uint32_t>(reader.integer(node["replications"], path + ".replications", 2, 100000));
    if (node["seed"])
      scenario.seed =
          reader.integer(node["seed"], path + ".seed", 0, std::numeric_limits<std::uint64_t>::max());
    const YAML::Node policies = node["policies"];
    if (!policies || !policies.IsMap() || policies.size() == 0)
      reader.fail(policies ? policies : node, path + ".policies",
                  "expected a map of policy names to {set: .., baseline: ..} (at least one; `as_shipped: {}` "
                  "runs the scenario as it is)");
    for (const auto& p : policies) {
      const std::string ppath = path + ".policies." + p.first.Scalar();
      BaselinePolicy policy;
      policy.name = reader.name(p.first, ppath, "a policy name");
      for (const auto& other : scenario.policies)
        if (other.name == policy.name)
          reader.fail(p.first, ppath, "the policy " + quote(policy.name) + " is given twice");
      if (!p.second.IsNull()) {
        reader.require_map(p.second, ppath, "{set: .., baseline: ..}");
        reader.check_keys(p.second, ppath, {"description", "set", "baseline"}, "a policy entry");
        if (p.second["description"])
          policy.description = reader.scalar(p.second["description"], ppath + ".description", "a text");
        policy.overrides = detail::read_overrides(reader, p.second["set"], ppath + ".set");
        policy.baseline = read_values(reader, p.second["baseline"], ppath + ".baseline");
      }
      scenario.policies.push_back(std::move(policy));
    }
    baseline.scenarios.push_back(std::move(scenario));
  }
  return baseline;
}

std::string baseline_yaml(const BaselineFile& baseline) {
  const RegressionSettings& s = baseline.settings;
  YAML::Emitter out;
  out.SetIndent(2);
  out << YAML::BeginMap;
  if (!baseline.description.empty()) out << YAML::Key << "description" << YAML::Value << baseline.description;
  out << YAML::Key << "settings" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "alpha" << YAML::Value << exact(s.alpha);
  out << YAML::Key << "relative_tolerance" << YAML::Value << exact(s.relative_tolerance);
  out << YAML::Key << "absolute_tolerance" << YAML::Value << YAML::Flow << YAML::BeginMap;
  for (const auto& [metric, value] : s.absolute_tolerance)
    out << YAML::Key << std::string(to_string(metric)) << YAML::Value << exact(value);
  out << YAML::EndMap;
  out << YAML::Key << "metrics" << YAML::Value << YAML::Flow << YAML::BeginSeq;
  for (Metric m : s.metrics) out << std::string(to_string(m));
  out << YAML::EndSeq;
  out << YAML::Key << "replications" << YAML::Value << s.replications;
  out << YAML::EndMap;
  out << YAML::Key << "scenarios" << YAML::Value << YAML::BeginMap;
  for (const auto& scenario : baseline.scenarios) {
    out << YAML::Key << scenario.name << YAML::Value << YAML::BeginMap;
    if (!scenario.description.empty())
      out << YAML::Key << "description" << YAML::Value << scenario.description;
    out << YAML::Key << "file" << YAML::Value << scenario.file;
    if (!scenario.overrides.empty()) {
      out << YAML::Key << "set" << YAML::Value;
      emit_overrides(out, scenario.overrides);
    }
    if (scenario.replications) out << YAML::Key << "replications" << YAML::Value << *scenario.replications;
    if (scenario.seed) out << YAML::Key << "seed" << YAML::Value << *scenario.seed;
    out << YAML::Key << "policies" << YAML::Value << YAML::BeginMap;
    for (const auto& policy : scenario.policies) {
      out << YAML::Key << policy.name << YAML::Value << YAML::BeginMap;
      if (!policy.description.empty()) out << YAML::Key << "description" << YAML::Value << policy.description;
      out << YAML::Key << "set" << YAML::Value;
      emit_overrides(out, policy.overrides);
      out << YAML::Key << "baseline" << YAML::Value << YAML::BeginMap;
      for (const auto& [metric, stats] : policy.baseline) {
        out << YAML::Key << std::string(to_string(metric)) << YAML::Value << YAML::Flow << YAML::BeginMap;
        out << YAML::Key << "mean" << YAML::Value << exact(stats.mean);
        out << YAML::Key << "stddev" << YAML::Value << exact(stats.stddev);
        out << YAML::Key << "n" << YAML::Value << stats.n;
        out << YAML::EndMap;
      }
      out << YAML::EndMap << YAML::EndMap;
    }
    out << YAML::EndMap << YAML::EndMap;
  }
  out << YAML::EndMap << YAML::EndMap;
  return std::string(
             "# Regression baseline of `continuum regress` (docs/sweeps.md, \"Regression baselines\").\n"
             "# Edit settings, scenarios and policies freely; `continuum regress FILE --update` rewrites\n"
             "# the whole file (comments other than this header are not kept) with fresh `baseline:` "
             "values.\n") +
         out.c_str() + "\n";
}

// --- running ---

std::vector<CaseResult> run_regression(const BaselineFile& baseline, const RegressOptions& options) {
  // Which cases: "scenario" selects all its policies, "scenario/policy" one.
  std::set<std::pair<std::size_t, std::size_t>> selected;
  std::vector<std::string> known;
  for (std::size_t s = 0; s < baseline.scenarios.size(); ++s)
    for (std::size_t p = 0; p < baseline.scenarios[s].policies.size(); ++p) {
      const std::string name = baseline.scenarios[s].name + "/" + baseline.scenarios[s].policies[p].name;
      known.push_back(name);
      bool wanted = options.cases.empty();
      for (const auto& c : options.cases) wanted = wanted || c == name || c == baseline.scenarios[s].name;
      if (wanted) selected.emplace(s, p);
    }
  for (const auto& c : options.cases) {
    bool found = false;
    for (const auto& k : known) found = found || k == c || k.starts_with(c + "/");
    if (!found) throw std::invalid_argument("no case " + quote(c) + "; known: " + detail::join(known));
  }

  std::vector<CaseResult> results;
  for (std::size_t s = 0; s < baseline.scenarios.size(); ++s) {
    const BaselineScenario& scenario = baseline.scenarios[s];
    std::vector<Policy> policies;
    std::vector<std::size_t> policy_index;
    for (std::size_t p = 0; p < scenario.policies.size(); ++p) {
      if (!selected.count({s, p})) continue;
      Policy policy{scenario.policies[p].name, scenario.policies[p].overrides};
      policy.overrides.insert(policy.overrides.end(), options.extra.begin(), options.extra.end());
      policies.push_back(std::move(policy));
      policy_index.push_back(p);
    }
    if (policies.empty()) continue;
    const std::uint32_t replications = scenario.replications.value_or(baseline.settings.replications);
    const SweepSpec spec = single_point_sweep(scenario.name, scenario.path, scenario.overrides, policies,
                                              replications, scenario.seed);
    const std::vector<RunRecord> runs = run_in_memory(spec, options.jobs);
    for (std::size_t q = 0; q < policies.size(); ++q) {
      CaseResult result;
      result.scenario = s;
      result.policy = policy_index[q];
      const BaselinePolicy& stored = scenario.policies[result.policy];
      result.has_baseline = !stored.baseline.empty();
      for (Metric metric : baseline.settings.metrics) {
        std::vector<double> values;
        for (const auto& run : runs)
          if (run.key.policy == q) values.push_back(run.metrics[metric]);
        const MetricStats now = summarize(values);
        std::optional<MetricStats> measured;
        if (now.n > 0) {
          measured = now;
          result.now[metric] = now;
        }
        const auto found = stored.baseline.find(metric);
        const std::optional<MetricStats> before =
            found == stored.baseline.end() ? std::nullopt : std::optional<MetricStats>(found->second);
        if (!measured && !before) continue;  // not defined for this case (accuracy without early exit)
        result.comparisons.push_back(compare_metric(metric, before, measured, baseline.settings.alpha,
                                                    baseline.settings.tolerance(metric)));
      }
      results.push_back(std::move(result));
    }
  }
  return results;
}

void update_baseline(BaselineFile& baseline, const std::vector<CaseResult>& results) {
  for (const auto& result : results)
    baseline.scenarios.at(result.scenario).policies.at(result.policy).baseline = result.now;
}

}  // namespace continuum::sweep
