#include "sim/sweep/yaml_reader.hpp"

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include "sim/io/input_file.hpp"
#include "sim/sweep/design.hpp"
#include "sim/sweep/sweep_spec.hpp"

namespace continuum::sweep::detail {

std::string quote(std::string_view text) {
  return "\"" + std::string(text) + "\"";
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

std::string read_file(const std::filesystem::path& file, std::string_view what) {
  return io::read_input_file(file, what);
}

void Reader::fail(const YAML::Node& node, const std::string& path, const std::string& message) const {
  const YAML::Mark mark = node.IsDefined() ? node.Mark() : YAML::Mark::null_mark();
  const bool located = !mark.is_null() && mark.line >= 0;
  throw io::LoadError(file_, located ? mark.line + 1 : 0, located ? mark.column + 1 : 0, path, message);
}

void Reader::check_keys(const YAML::Node& map, const std::string& path, const std::vector<std::string>& known,
                        std::string_view what) const {
  std::set<std::string> seen;
  for (const auto& pair : map) {
    const std::string key = pair.first.Scalar();
    const std::string field = path.empty() ? key : path + "." + key;
    if (!seen.insert(key).second) fail(pair.first, field, "the key " + quote(key) + " is given twice");
    bool found = false;
    for (const auto& k : known) found = found || k == key;
    if (found) continue;
    const std::string hint = io::closest_name(key, known);
    fail(pair.first, field,
         "unknown field " + quote(key) + (hint.empty() ? "" : "; did you mean " + quote(hint) + "?") +
             " known fields of " + std::string(what) + ": " + join(known));
  }
}

void Reader::require_map(const YAML::Node& node, const std::string& path, std::string_view what) const {
  if (!node.IsMap()) fail(node, path, "expected " + std::string(what) + " (a mapping)");
}

std::string Reader::scalar(const YAML::Node& node, const std::string& path, std::string_view what) const {
  if (!node.IsScalar()) fail(node, path, "expected " + std::string(what));
  return node.Scalar();
}

double Reader::number(const YAML::Node& node, const std::string& path) const {
  const std::string text = scalar(node, path, "a number");
  const auto parsed = split_number(text);
  if (!parsed || !parsed->unit.empty()) fail(node, path, "expected a plain number; got " + quote(text));
  return parsed->value;
}

std::uint64_t Reader::integer(const YAML::Node& node, const std::string& path, std::uint64_t low,
                              std::uint64_t high) const {
  const std::string text = scalar(node, path, "a whole number");
  std::uint64_t value = 0;
  std::size_t used = 0;
  try {
    value = std::stoull(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || text.empty() || text.front() == '-')
    fail(node, path, "expected a whole number; got " + quote(text));
  if (value < low || value > high)
    fail(node, path,
         "expected a whole number from " + std::to_string(low) + " to " + std::to_string(high) + "; got " +
             text);
  return value;
}

std::string Reader::name(const YAML::Node& node, const std::string& path, std::string_view what) const {
  const std::string text = scalar(node, path, what);
  bool valid = !text.empty();
  for (char c : text)
    valid = valid && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.');
  if (!valid)
    fail(node, path, std::string(what) + " uses letters, digits, '_', '-' and '.'; got " + quote(text));
  return text;
}

void check_path(const Reader& reader, const YAML::Node& key, const std::string& field) {
  const std::string path = key.Scalar();
  if (path.empty() || path.front() == '.' || path.back() == '.' || path.find("..") != std::string::npos)
    reader.fail(key, field,
                "expected a --set path such as workload.clients.arrivals.rate; got " + quote(path));
  if (path == "simulation.seed")
    reader.fail(key, field,
                "each run's seed is derived from the base seed; give that as the top-level `seed:`");
  if (path == "simulation.replications")
    reader.fail(key, field, "runs are single replications; give `replications:` at the top level");
}

io::SourcePlace place_of(const Reader& reader, const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  if (mark.is_null()) return {reader.file(), 1, 1};
  return {reader.file(), mark.line + 1, mark.column + 1};
}

std::vector<io::Override> read_overrides(const Reader& reader, const YAML::Node& node,
                                         const std::string& path) {
  std::vector<io::Override> overrides;
  if (!node.IsDefined() || node.IsNull()) return overrides;
  reader.require_map(node, path, "a map of --set paths to values, e.g. {device_types.server.discipline: ps}");
  std::set<std::string> seen;
  for (const auto& pair : node) {
    const std::string field = path + "." + pair.first.Scalar();
    check_path(reader, pair.first, field);
    if (!seen.insert(pair.first.Scalar()).second) reader.fail(pair.first, field, "the path is given twice");
    overrides.push_back({pair.first.Scalar(), override_text(pair.second), place_of(reader, pair.first)});
  }
  return overrides;
}

}  // namespace continuum::sweep::detail
