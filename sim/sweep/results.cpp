#include "sim/sweep/results.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <stdexcept>
#include <tuple>

#include "sim/engine/stats/confidence.hpp"
#include "sim/engine/stats/welford.hpp"
#include "sim/io/units.hpp"

namespace continuum::sweep {

namespace {

std::string stopping_text(const StoppingRule& rule) {
  char text[200];
  std::snprintf(text, sizeof text, "%s: relative half-width <= %g at %g %%, %u to %u replications",
                std::string(to_string(rule.metric)).c_str(), rule.relative_half_width, 100.0 * rule.level,
                rule.min_replications, rule.max_replications);
  return text;
}

std::string overrides_text(const std::vector<io::Override>& overrides) {
  std::string text;
  for (const auto& o : overrides) text += (text.empty() ? "" : "; ") + o.path + "=" + o.value;
  return text;
}

}  // namespace

SweepResults make_results(const SweepSpec& spec, const Shard& shard, std::vector<RunRecord> runs,
                          double wall_seconds) {
  SweepResults results;
  results.name = spec.name;
  results.sweep_file = spec.file.string();
  results.sweep_text = spec.text;
  results.sweep_hash = spec.hash();
  results.scenario_file = spec.scenario_file.string();
  results.scenario_text = spec.scenario_text;
  results.base_seed = spec.base_seed;
  for (const auto& policy : spec.policies) {
    results.policies.push_back(policy.name);
    results.policy_overrides.push_back(overrides_text(policy.overrides));
  }
  for (const auto& o : spec.fixed) results.fixed_overrides.push_back(o.path + "=" + o.value);
  results.design = spec.design;
  results.replications = spec.replications;
  if (spec.stopping) {
    results.stopping = stopping_text(*spec.stopping);
    results.max_replications = spec.stopping->max_replications;
  }
  results.shards = {shard.to_string()};
  std::sort(runs.begin(), runs.end(), [](const RunRecord& a, const RunRecord& b) {
    return std::tie(a.key.point, a.key.policy, a.key.replication) <
           std::tie(b.key.point, b.key.policy, b.key.replication);
  });
  results.runs = std::move(runs);
  results.wall_seconds = wall_seconds;
  return results;
}

std::vector<PointAggregate> aggregate(const SweepResults& results, double level) {
  std::vector<PointAggregate> out;
  std::size_t i = 0;
  const auto& runs = results.runs;
  while (i < runs.size()) {
    std::size_t j = i;
    while (j < runs.size() && runs[j].key.point == runs[i].key.point &&
           runs[j].key.policy == runs[i].key.policy)
      ++j;
    PointAggregate row;
    row.point = runs[i].key.point;
    row.policy = runs[i].key.policy;
    row.replications = static_cast<std::uint32_t>(j - i);
    for (std::size_t m = 0; m < metric_count; ++m) {
      std::vector<double> values;
      for (std::size_t k = i; k < j; ++k)
        if (std::isfinite(runs[k].metrics.values[m])) values.push_back(runs[k].metrics.values[m]);
      MetricSummary& s = row.metrics[m];
      s.samples = static_cast<std::uint32_t>(values.size());
      stats::Welford w;
      for (double v : values) w.add(v);
      const auto ci = stats::replication_interval(values, level);
      s.mean = ci.mean;
      s.stddev = values.size() >= 2 ? w.stddev() : std::nan("");
      s.half_width = ci.half_width;
    }
    out.push_back(row);
    i = j;
  }
  return out;
}

SweepResults merge_results(const std::vector<SweepResults>& parts) {
  if (parts.empty()) throw std::invalid_argument("nothing to merge");
  SweepResults merged = parts.front();
  std::map<RunKey, RunRecord> runs;
  std::set<std::string> shards;
  merged.wall_seconds = 0.0;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const SweepResults& part = parts[i];
    if (part.sweep_hash != merged.sweep_hash)
      throw std::invalid_argument("part " + std::to_string(i + 1) + " comes from another sweep (hash " +
                                  part.sweep_hash + ", the first part's is " + merged.sweep_hash + ")");
    for (const auto& record : part.runs) {
      const auto [at, inserted] = runs.emplace(record.key, record);
      if (!inserted && !at->second.same_result(record))
        throw std::invalid_argument(
            "run (point " + std::to_string(record.key.point) + ", policy " +
            std::to_string(record.key.policy) + ", replication " + std::to_string(record.key.replication) +
            ") appears twice with different results: the parts were not made by the same "
            "program on the same inputs");
    }
    shards.insert(part.shards.begin(), part.shards.end());
    merged.wall_seconds += part.wall_seconds;
  }
  merged.runs.clear();
  // RunKey orders by (point, policy, replication): the map is already in file order.
  for (auto& [key, record] : runs) merged.runs.push_back(record);
  merged.shards.assign(shards.begin(), shards.end());
  return merged;
}

bool shards_complete(const std::vector<std::string>& shards) {
  std::map<std::uint32_t, std::set<std::uint32_t>> by_count;
  for (const auto& text : shards) {
    Shard shard;
    try {
      shard = parse_shard(text);
    } catch (const std::invalid_argument&) {
      continue;
    }
    by_count[shard.count].insert(shard.index);
  }
  for (const auto& [count, indices] : by_count)
    if (indices.size() == count) return true;
  return false;
}

std::optional<double> numeric_value(const std::string& text) {
  const auto parsed = split_number(text);
  if (!parsed) return std::nullopt;
  if (parsed->unit.empty()) return parsed->value;
  using io::Dimension;
  for (Dimension d : {Dimension::time, Dimension::data, Dimension::bandwidth, Dimension::power,
                      Dimension::energy, Dimension::rate, Dimension::money, Dimension::money_rate,
                      Dimension::flop, Dimension::flop_rate, Dimension::dimensionless}) {
    try {
      return io::parse_quantity(text, d);
    } catch (const std::invalid_argument&) {
    }
  }
  return std::nullopt;
}

}  // namespace continuum::sweep
