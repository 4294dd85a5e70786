#include "sim/io/scenario_loader.hpp"

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "sim/io/input_file.hpp"
#include "sim/io/scenario_reader.hpp"
#include "sim/io/yaml_field.hpp"

namespace continuum::io {

namespace {

using detail::quote;

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> segments;
  std::size_t start = 0;
  for (;;) {
    const auto dot = path.find('.', start);
    segments.push_back(path.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return segments;
}

std::optional<std::size_t> as_index(const std::string& segment) {
  if (segment.empty() || segment.size() > 9) return std::nullopt;
  for (char c : segment)
    if (c < '0' || c > '9') return std::nullopt;
  return static_cast<std::size_t>(std::stoul(segment));
}

// The `name` field of a sequence item, read without operator[] (which may insert into the node).
std::optional<std::string> item_name(const YAML::Node& item) {
  if (!item.IsMap()) return std::nullopt;
  for (const auto& pair : item)
    if (pair.first.IsScalar() && pair.first.Scalar() == "name" && pair.second.IsScalar())
      return pair.second.Scalar();
  return std::nullopt;
}

int line_of(const YAML::Mark& mark) {
  return mark.is_null() ? 1 : mark.line + 1;
}
int column_of(const YAML::Mark& mark) {
  return mark.is_null() ? 1 : mark.column + 1;
}

std::string keys_of(const YAML::Node& map) {
  std::string keys;
  for (const auto& pair : map)
    if (pair.first.IsScalar()) keys += (keys.empty() ? "" : ", ") + pair.first.Scalar();
  return keys.empty() ? "none" : keys;
}

/// Puts the override's value at its path in `root`; returns the canonical field path of the target.
std::string apply_override(YAML::Node& root, const Override& override, const std::string& text,
                           const YAML::Node& value) {
  const auto fail = [&](const std::string& message) -> void {
    detail::fail_in_override(override.place, text, 1, override.path, "cannot apply it: " + message);
  };
  const std::vector<std::string> segments = split_path(override.path);
  YAML::Node parent;
  parent.reset(root);  // reset(), not operator=: assigning a Node would overwrite the tree
  std::string canonical;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const std::string& segment = segments[i];
    const bool last = i + 1 == segments.size();
    const std::string where = canonical.empty() ? "the top level" : quote(canonical);
    if (parent.IsMap() || (last && parent.IsNull())) {
      std::optional<YAML::Node> child;
      if (parent.IsMap())
        for (const auto& pair : parent)
          if (pair.first.IsScalar() && pair.first.Scalar() == segment) {
            child = YAML::Node();
            child->reset(pair.second);
          }
      canonical = detail::child_path(canonical, segment);
      if (last) {
        if (child)
          *child = value;  // replaces the value in place, keeping the key's position
        else
          parent[segment] = value;
        return canonical;
      }
      if (!child) fail(where + " has no field " + quote(segment) + " (it has: " + keys_of(parent) + ")");
      parent.reset(*child);
    } else if (parent.IsSequence()) {
      std::optional<std::size_t> index = as_index(segment);
      if (!index) {
        std::string names;
        for (std::size_t k = 0; k < parent.size(); ++k)
          if (const auto name = item_name(parent[k])) {
            if (*name == segment && !index) index = k;
            names += (names.empty() ? "" : ", ") + *name;
          }
        if (!index) {
          fail(where + " is a list with no item named " + quote(segment) +
               " (names: " + (names.empty() ? "none" : names) + "; an index from 0 works too)");
        }
      }
      canonical = detail::item_path(canonical, *index);
      if (last) {
        if (*index < parent.size()) {
          YAML::Node item;
          item.reset(parent[*index]);
          item = value;
        } else if (*index == parent.size()) {
          parent.push_back(value);  // one past the end appends
        } else {
          fail(where + " has " + std::to_string(parent.size()) + " items; index " + segment +
               " is out of range");
        }
        return canonical;
      }
      if (*index >= parent.size())
        fail(where + " has " + std::to_string(parent.size()) + " items; index " + segment +
             " is out of range");
      YAML::Node next;
      next.reset(parent[*index]);
      parent.reset(next);
    } else {
      fail(where + " is " + (parent.IsNull() ? "empty" : "a single value") + ", so it has no field " +
           quote(segment));
    }
  }
  return canonical;
}

}  // namespace

std::string fnv1a64_hex(std::string_view bytes) {
  std::uint64_t hash = 14695981039346656037ull;
  for (unsigned char byte : bytes) {
    hash ^= byte;
    hash *= 1099511628211ull;
  }
  static constexpr char digits[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, hash >>= 4) out[static_cast<std::size_t>(i)] = digits[hash & 0xF];
  return out;
}

std::string closest_name(std::string_view name, const std::vector<std::string>& known) {
  return detail::closest_name(name, known);
}

Override parse_override(std::string_view text) {
  const std::string original(text);
  const auto equals = text.find('=');
  if (equals == std::string_view::npos)
    throw LoadError("--set", 1, 1, "",
                    "expected path=value, e.g. simulation.horizon=2h; got " + quote(original));
  std::string path(text.substr(0, equals));
  // Spaces around the path are a quoting accident, not part of a key.
  while (!path.empty() && path.back() == ' ') path.pop_back();
  std::size_t lead = 0;
  while (lead < path.size() && path[lead] == ' ') ++lead;
  path.erase(0, lead);
  if (path.empty()) throw LoadError("--set", 1, 1, "", "the path before '=' is empty in " + quote(original));
  std::size_t start = 0;
  for (const std::string& segment : split_path(path)) {
    if (segment.empty())
      throw LoadError("--set", 1, static_cast<int>(lead + start) + 1, path,
                      "empty path segment (two dots, or a dot at an end) in " + quote(original));
    start += segment.size() + 1;
  }
  return {path, std::string(text.substr(equals + 1))};
}

LoadedScenario load_scenario(const std::filesystem::path& file, const std::vector<Override>& overrides) {
  return load_scenario_text(read_input_file(file, "scenario file"), file.string(), overrides,
                            file.parent_path());
}

LoadedScenario load_scenario_text(std::string_view yaml, std::string_view file_name,
                                  const std::vector<Override>& overrides,
                                  const std::filesystem::path& base_dir) {
  LoadedScenario loaded;
  loaded.file = std::string(file_name);
  loaded.hash = fnv1a64_hex(yaml);
  loaded.overrides = overrides;
  detail::YamlSource source{std::string(file_name)};

  if (const auto bad = detail::find_invalid_utf8(yaml))
    throw LoadError(loaded.file, bad->first, bad->second, "",
                    "the file is not valid UTF-8 here; scenario files must be UTF-8 text");
  YAML::Node root;
  try {
    if (const auto second = detail::second_document(yaml))
      throw LoadError(
          loaded.file, line_of(*second), column_of(*second), "",
          "the file holds more than one YAML document (separated by ---, or text after the end of "
          "the first); a scenario is a single document");
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& error) {
    throw LoadError(loaded.file, line_of(error.mark), column_of(error.mark), "",
                    detail::yaml_syntax_message(error));
  }
  if (root.IsNull())
    throw LoadError(loaded.file, 1, 1, "",
                    "the file is empty; a scenario needs at least name, device_types, devices, application, "
                    "placement and workload (docs/scenario-format.md)");
  detail::check_duplicate_keys(source, root, "");
  if (!root.IsMap())
    source.fail("", root.Mark(),
                "expected a mapping of scenario fields at the top level, got " +
                    detail::Field(source, root, "", root.Mark()).describe());

  for (const Override& override : overrides) {
    const std::string text = override.path + "=" + override.value;
    const std::size_t value_offset = override.path.size() + 1;
    YAML::Node value;
    try {
      value = YAML::Load(override.value);
    } catch (const YAML::Exception& error) {
      detail::fail_in_override(override.place, text, static_cast<int>(value_offset) + column_of(error.mark),
                               override.path, "YAML syntax error in the value: " + error.msg);
    }
    const std::string canonical = apply_override(root, override, text, value);
    source.add_override({canonical, text, value_offset, override.place});
    detail::check_duplicate_keys(source, value, canonical);
  }

  YAML::Emitter emitter;
  emitter << root;
  loaded.text = std::string(emitter.c_str()) + "\n";
  try {
    detail::ScenarioReader reader(source, base_dir);
    loaded.spec = reader.read(root);
    loaded.early_exit = reader.take_early_exit();
  } catch (const YAML::Exception& error) {
    // The reader only walks the tree, so this is unexpected; still report it with its position.
    throw LoadError(loaded.file, line_of(error.mark), column_of(error.mark), "", error.what());
  }
  return loaded;
}

}  // namespace continuum::io
