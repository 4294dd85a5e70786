#include "sim/io/input_file.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <system_error>

#include "sim/io/load_error.hpp"

namespace continuum::io {

namespace {

std::string byte_count(std::uintmax_t bytes) {
  if (bytes >= (std::uintmax_t{1} << 20) && bytes % (std::uintmax_t{1} << 20) == 0)
    return std::to_string(bytes >> 20) + " MiB";
  return std::to_string(bytes) + " bytes";
}

}  // namespace

std::optional<std::string> input_file_problem(const std::filesystem::path& file, std::string_view what,
                                              std::uintmax_t max_bytes) {
  std::error_code error;
  const std::filesystem::file_status status = std::filesystem::status(file, error);
  if (error) return "cannot open the " + std::string(what) + ": " + error.message();
  if (std::filesystem::is_directory(status))
    return "cannot read the " + std::string(what) + ": it is a directory";
  if (!std::filesystem::is_regular_file(status))
    return "cannot read the " + std::string(what) +
           ": it is not a regular file (a device, a pipe or a socket)";
  const std::uintmax_t size = std::filesystem::file_size(file, error);
  if (error) return "cannot read the " + std::string(what) + ": " + error.message();
  if (size > max_bytes)
    return "the " + std::string(what) + " is " + std::to_string(size) + " bytes, more than the " +
           byte_count(max_bytes) + " continuum reads; is it the right file?";
  return std::nullopt;
}

std::string read_input_file(const std::filesystem::path& file, std::string_view what,
                            std::uintmax_t max_bytes) {
  if (const auto problem = input_file_problem(file, what, max_bytes))
    throw LoadError(file.string(), 0, 0, "", *problem);
  std::ifstream in(file, std::ios::binary);
  if (!in)
    throw LoadError(file.string(), 0, 0, "",
                    "cannot open the " + std::string(what) + ": " + std::strerror(errno));
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) throw LoadError(file.string(), 0, 0, "", "cannot read the " + std::string(what));
  return bytes.str();
}

}  // namespace continuum::io
