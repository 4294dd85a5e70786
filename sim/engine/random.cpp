#include "sim/engine/random.hpp"

namespace continuum {

namespace {
std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}
}  // namespace

std::uint64_t stream_seed(std::uint64_t master_seed, std::string_view stream_name) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;  // FNV-1a offset basis
  for (const char c : stream_name) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return splitmix64(splitmix64(master_seed) ^ hash);
}

RandomEngine& RandomStreams::stream(std::string_view name) {
  auto found = streams_.find(std::string(name));
  if (found != streams_.end()) return *found->second;
  auto engine = std::make_unique<RandomEngine>(stream_seed(master_seed_, name));
  return *streams_.emplace(std::string(name), std::move(engine)).first->second;
}

double uniform_open01(RandomEngine& engine) {
  // 53 random bits mapped to (0, 1): (k + 0.5) / 2^53.
  const std::uint64_t bits = engine() >> 11;
  return (static_cast<double>(bits) + 0.5) * 0x1.0p-53;
}

}  // namespace continuum
