#include "sim/sweep/run_plan.hpp"

#include <charconv>
#include <stdexcept>

#include "sim/engine/random.hpp"

namespace continuum::sweep {

std::uint64_t run_seed(std::uint64_t base_seed, std::uint32_t point, std::uint32_t replication) {
  return stream_seed(base_seed,
                     "sweep/point/" + std::to_string(point) + "/replication/" + std::to_string(replication));
}

std::vector<io::Override> run_overrides(const SweepSpec& spec, const RunKey& key) {
  std::vector<io::Override> overrides = spec.fixed;
  const auto& values = spec.design.points.at(key.point);
  for (std::size_t k = 0; k < spec.design.parameters.size(); ++k)
    overrides.push_back({spec.design.parameters[k], values[k],
                         k < spec.parameter_places.size() ? spec.parameter_places[k] : std::nullopt});
  const auto& policy = spec.policies.at(key.policy).overrides;
  overrides.insert(overrides.end(), policy.begin(), policy.end());
  overrides.push_back(
      {"simulation.seed", std::to_string(run_seed(spec.base_seed, key.point, key.replication))});
  overrides.push_back({"simulation.replications", "1"});
  return overrides;
}

std::string Shard::to_string() const {
  return std::to_string(index) + "/" + std::to_string(count);
}

Shard parse_shard(std::string_view text) {
  const auto fail = [&]() -> Shard {
    throw std::invalid_argument("expected a shard as i/N with 0 <= i < N, e.g. 0/4; got \"" +
                                std::string(text) + "\"");
  };
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) return fail();
  Shard shard;
  const auto parse = [&](std::string_view part, std::uint32_t& out) {
    const auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), out);
    return error == std::errc() && end == part.data() + part.size() && !part.empty();
  };
  if (!parse(text.substr(0, slash), shard.index) || !parse(text.substr(slash + 1), shard.count))
    return fail();
  if (shard.count == 0 || shard.index >= shard.count) return fail();
  return shard;
}

std::uint64_t run_ordinal(const SweepSpec& spec, const RunKey& key) {
  const std::uint64_t policies = spec.policies.size();
  return (static_cast<std::uint64_t>(key.point) * spec.replications + key.replication) * policies +
         key.policy;
}

bool shard_owns(const SweepSpec& spec, const Shard& shard, const RunKey& key) {
  if (shard.whole()) return true;
  if (spec.stopping) return key.point % shard.count == shard.index;
  return run_ordinal(spec, key) % shard.count == shard.index;
}

}  // namespace continuum::sweep
