// Fuzz target: YAML text -> ScenarioSpec through load_scenario_text, validation included. The only
// acceptable failure is io::LoadError; anything else escaping (a yaml-cpp exception, std::bad_alloc,
// std::out_of_range) terminates and libFuzzer records the input as a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sim/io/scenario_loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    // Relative CSV paths resolve against the shipped scenarios, so seeds that use traces load.
    continuum::io::load_scenario_text(text, "fuzz.yaml", {}, CONTINUUM_SOURCE_DIR "/scenarios");
  } catch (const continuum::io::LoadError&) {
    // The loader rejected the input cleanly: what it is for.
  }
  return 0;
}
