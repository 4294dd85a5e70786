#pragma once
// Reading continuum's input files (scenarios, sweeps, baselines, SPACE4AI-D JSON, CSV traces) with
// the checks that come before parsing: the path must be a regular file (not a directory, a FIFO or
// /dev/zero, which would block or never end) and no larger than a stated limit, so that a wrong file
// is refused at once with a clear message instead of exhausting memory in the parser.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace continuum::io {

/// The largest YAML or JSON input read whole (scenario, sweep, baseline, SPACE4AI-D file): 16 MiB,
/// a thousand times the largest shipped scenario. yaml-cpp keeps some 100 bytes per byte parsed.
inline constexpr std::uintmax_t max_text_input_bytes = std::uintmax_t{16} << 20;
/// The largest CSV input (arrival traces, empirical samples, early-exit input tables): 1 GiB,
/// streamed row by row.
inline constexpr std::uintmax_t max_csv_input_bytes = std::uintmax_t{1} << 30;

/// Why `file` cannot be read as an input of at most `max_bytes`, or nullopt when it can: it cannot
/// be found, is not a regular file, or is too large. `what` names it in the message ("scenario file").
std::optional<std::string> input_file_problem(const std::filesystem::path& file, std::string_view what,
                                              std::uintmax_t max_bytes);

/// The bytes of `file`; throws LoadError(file, 0, 0, "", ...) for any input_file_problem or a read error.
std::string read_input_file(const std::filesystem::path& file, std::string_view what,
                            std::uintmax_t max_bytes = max_text_input_bytes);

}  // namespace continuum::io
