#pragma once
// Named random streams. Each stream is its own Boost.Random engine seeded from a hash of
// (master seed, stream name), so adding an entity or a policy never shifts the draws of the
// others (common random numbers across policies) and a run is repeatable on any thread count.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include <boost/random/mersenne_twister.hpp>

namespace continuum {

using RandomEngine = boost::random::mt19937_64;

/// 64-bit FNV-1a of the name, mixed with the seed by SplitMix64 (Steele et al. 2014): adjacent
/// seeds and similar names give unrelated engine seeds.
std::uint64_t stream_seed(std::uint64_t master_seed, std::string_view stream_name);

/// Owns the named streams of one run. References returned by `stream` stay valid for its lifetime.
class RandomStreams {
 public:
  explicit RandomStreams(std::uint64_t master_seed) : master_seed_(master_seed) {}
  RandomEngine& stream(std::string_view name);
  std::uint64_t master_seed() const { return master_seed_; }

 private:
  std::uint64_t master_seed_;
  std::unordered_map<std::string, std::unique_ptr<RandomEngine>> streams_;
};

/// A uniform draw in the open interval (0, 1): never 0, so log(u) is always finite.
double uniform_open01(RandomEngine& engine);

}  // namespace continuum
