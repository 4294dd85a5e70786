// Fuzz target: a SPACE4AI-D system description (JSON) -> PlacementProblem through
// parse_space4ai_json. The only acceptable failure is io::Space4aiError; anything else escaping
// (an nlohmann::json exception, std::out_of_range) terminates and libFuzzer records it as a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sim/io/space4ai_json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    continuum::io::parse_space4ai_json(text, "fuzz.json");
  } catch (const continuum::io::Space4aiError&) {
    // The importer rejected the input cleanly: what it is for.
  }
  return 0;
}
