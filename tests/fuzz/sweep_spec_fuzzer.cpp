// Fuzz target: a sweep file's text -> SweepSpec through parse_sweep (which loads the scenario it
// names with the fixed overrides), then check_runs (which loads it with the overrides of sample
// runs), as `continuum sweep` does before the first run. The only acceptable failure is
// io::LoadError; anything else escaping terminates and libFuzzer records the input as a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sim/sweep/sweep_spec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    // As if the file sat next to the shipped sweeps, so `scenario: ../minimal.yaml` resolves.
    const auto spec = continuum::sweep::parse_sweep(text, CONTINUUM_SOURCE_DIR "/scenarios/sweeps/fuzz.yaml");
    continuum::sweep::check_runs(spec, false);  // as `continuum sweep` does before the first run
  } catch (const continuum::io::LoadError&) {
    // The loader rejected the input cleanly: what it is for.
  }
  return 0;
}
