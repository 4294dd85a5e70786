#pragma once
// Located reads from the YAML files of sim/sweep (sweep files, regression baselines): every error
// is an io::LoadError naming file, line, column and field, as scenario errors do. Internal.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "sim/io/load_error.hpp"
#include "sim/io/scenario_loader.hpp"

namespace continuum::sweep::detail {

std::string quote(std::string_view text);
std::string join(const std::vector<std::string>& items);
/// The bytes of `file`; throws io::LoadError naming it (`what`: "sweep file", …).
std::string read_file(const std::filesystem::path& file, std::string_view what);

class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const YAML::Node& node, const std::string& path, const std::string& message) const;
  /// Fails on a key not in `known` (with a "did you mean" hint) and on a key given twice.
  void check_keys(const YAML::Node& map, const std::string& path, const std::vector<std::string>& known,
                  std::string_view what) const;
  void require_map(const YAML::Node& node, const std::string& path, std::string_view what) const;
  std::string scalar(const YAML::Node& node, const std::string& path, std::string_view what) const;
  /// A plain number (no unit).
  double number(const YAML::Node& node, const std::string& path) const;
  std::uint64_t integer(const YAML::Node& node, const std::string& path, std::uint64_t low,
                        std::uint64_t high) const;
  /// A name of letters, digits, '_', '-' and '.' (policy and scenario names: they appear in file paths).
  std::string name(const YAML::Node& node, const std::string& path, std::string_view what) const;

  const std::string& file() const { return file_; }

 private:
  std::string file_;
};

/// Where `node` is in the reader's file (1-based).
io::SourcePlace place_of(const Reader& reader, const YAML::Node& node);

/// A `--set` path given as a key. Refuses simulation.seed and simulation.replications, which sweeps
/// and baselines set themselves.
void check_path(const Reader& reader, const YAML::Node& key, const std::string& field);

/// A map of --set paths to values ({device_types.server.discipline: ps}); null gives none.
std::vector<io::Override> read_overrides(const Reader& reader, const YAML::Node& node,
                                         const std::string& path);

}  // namespace continuum::sweep::detail
