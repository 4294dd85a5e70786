#include "models/placement/placement.hpp"

#include <cstdint>

namespace continuum::placement {

Placement Placement::first_of(const PlacementProblem& problem) {
  Placement placement;
  placement.deployment.assign(problem.components.size(), 0);
  placement.option.resize(problem.components.size());
  for (std::size_t c = 0; c < problem.components.size(); ++c)
    placement.option[c].assign(problem.components[c].deployments.front().partitions.size(), 0);
  placement.instances.assign(problem.resources.size(), 0);
  return placement;
}

std::vector<bool> used_resources(const PlacementProblem& problem, const Placement& placement) {
  std::vector<bool> used(problem.resources.size(), false);
  for (std::size_t c = 0; c < placement.option.size(); ++c)
    for (std::size_t h = 0; h < placement.option[c].size(); ++h)
      used[placement.resource_of(problem, c, h)] = true;
  return used;
}

namespace {

// SplitMix64 finaliser (Steele, Lea & Flood 2014): a cheap full-avalanche mix.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

std::size_t hash_value(const Placement& placement) {
  std::uint64_t h = 0x243f6a8885a308d3ULL;
  auto add = [&h](std::uint64_t value) { h = mix(h ^ value); };
  for (std::size_t c = 0; c < placement.deployment.size(); ++c) {
    add(placement.deployment[c]);
    for (std::size_t o : placement.option[c]) add(o + 1);
  }
  for (int n : placement.instances) add(static_cast<std::uint64_t>(n) + 0x100);
  return static_cast<std::size_t>(h);
}

}  // namespace continuum::placement
