#pragma once
#include <algorithm>
// Typed, located access to a YAML tree for the scenario loader. A Field is a node together with its
// field path (`device_types.pi.cores`, `workload[0].arrivals`) and the mark to blame; every read
// either returns a checked value or throws a LoadError naming file, line, column, field and what was
// expected. Internal to sim/io.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "sim/io/load_error.hpp"
#include "sim/io/units.hpp"

namespace continuum::io::detail {

/// A subtree that a `--set` override put in place: errors inside it point at the override.
struct OverrideOrigin {
  std::string canonical_path;        // as in error messages, e.g. `workload[0].arrivals.rate`
  std::string text;                  // `path=value` as given
  std::size_t value_offset;          // where the value starts in `text`
  std::optional<SourcePlace> place;  // Override::place
};

/// Throws the LoadError of a problem with an override: at its place in a file when it has one
/// (the override's text is quoted), else at `column` of the `--set` argument `text`.
[[noreturn]] void fail_in_override(const std::optional<SourcePlace>& place, const std::string& text,
                                   int column, const std::string& path, const std::string& message);

/// Turns (field path, mark) into a LoadError: positions in the file, or in a `--set` argument when
/// the field lies under an override.
class YamlSource {
 public:
  explicit YamlSource(std::string file) : file_(std::move(file)) {}
  void add_override(OverrideOrigin origin) { overrides_.push_back(std::move(origin)); }
  const std::string& file() const { return file_; }
  [[noreturn]] void fail(const std::string& path, const YAML::Mark& mark, const std::string& message) const;

 private:
  std::string file_;
  std::vector<OverrideOrigin> overrides_;
};

/// How a quantity may be signed.
enum class Bound { any, non_negative, positive };

std::string child_path(const std::string& parent, std::string_view key);
std::string item_path(const std::string& parent, std::size_t index);

class Field {
 public:
  Field(const YamlSource& source, YAML::Node node, std::string path, YAML::Mark fallback);

  const YAML::Node& node() const { return node_; }
  const std::string& path() const { return path_; }
  const YAML::Mark& mark() const { return mark_; }
  const YamlSource& source() const { return *source_; }
  bool is_null() const { return !node_.IsDefined() || node_.IsNull(); }
  bool is_map() const { return node_.IsMap(); }
  bool is_sequence() const { return node_.IsSequence(); }
  bool is_scalar() const { return node_.IsScalar(); }

  [[noreturn]] void fail(const std::string& message) const;

  /// The scalar text; `expected` describes the value in the error when the node is not a scalar.
  std::string scalar(std::string_view expected) const;
  /// A name that can be referred to: letters, digits, '_' and '-'.
  std::string name(std::string_view what) const;
  double quantity(Dimension dimension, Bound bound) const;
  /// A plain number in [0, 1].
  double probability() const;
  /// An integer in [low, high]; `1e8` is accepted when it is a whole number.
  std::int64_t integer(std::int64_t low, std::int64_t high) const;
  std::uint64_t unsigned_integer(std::uint64_t low) const;
  /// One of `options`; the error lists them with a "did you mean" hint.
  std::string choice(const std::vector<std::string>& options, std::string_view what) const;
  /// The items of a sequence, each with its `[i]` path; `what` describes an item.
  std::vector<Field> items(std::string_view what) const;

  /// "a mapping", "a list", `the text "abc"`, "nothing": for messages.
  std::string describe() const;

 private:
  const YamlSource* source_;
  YAML::Node node_;
  std::string path_;
  YAML::Mark mark_;
};

/// A YAML mapping with a fixed set of known keys. Construction rejects anything but a mapping and
/// any key outside `known` (with a "did you mean" hint and the list of known keys).
class Mapping {
 public:
  struct Entry {
    std::string key;
    Field key_field;
    Field value;
  };

  Mapping(const Field& field, std::vector<std::string> known, std::string_view what);
  /// A mapping whose keys are names chosen by the author (device types, devices, ...): `key_what`
  /// names a key ("device type"), `description` the whole ("device type names to definitions").
  static Mapping of_names(const Field& field, std::string_view key_what, std::string_view description);

  const Field& field() const { return field_; }
  /// The value of `key`, or nullopt when absent or null (null means "use the default").
  std::optional<Field> get(std::string_view key) const;
  /// The value of `key`; a missing one is an error that says what was expected.
  Field require(std::string_view key, std::string_view expected) const;
  bool has(std::string_view key) const { return get(key).has_value(); }
  const std::vector<Entry>& entries() const { return entries_; }

 private:
  Mapping(const Field& field, std::string_view what);
  Field field_;
  std::vector<Entry> entries_;
};

/// The closest of `known` to `name` by edit distance (optimal string alignment, case-insensitive),
/// when close enough to be a plausible typo; empty otherwise.
std::string closest_name(std::string_view name, const std::vector<std::string>& known);
/// `; did you mean "x"? LABEL: a, b, c` or, with no close name, `; LABEL: a, b, c`: the tail of an
/// "unknown name" message.
std::string hint_and_list(std::string_view name, const std::vector<std::string>& known,
                          std::string_view label);
/// `a, b, c` (or "none").
std::string join_names(const std::vector<std::string>& names);
/// `"x"`.
std::string quote(std::string_view text);
/// Whether `name` is one of `names`.
inline bool contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}
/// A number in its shortest usual form (`3600`, `0.01`, `1e+06`) for messages.
std::string compact(double value);
/// Adds `name` to `seen`, or fails at `at` when it is already there (`what`: "source", "link" ...).
void check_unique(const Field& at, const std::string& name, std::vector<std::string>& seen,
                  std::string_view what);

/// Throws on a key that appears twice in one mapping anywhere under `node` (yaml-cpp keeps both
/// silently and lookups see only the first).
void check_duplicate_keys(const YamlSource& source, const YAML::Node& node, const std::string& path);

/// Where the second YAML document of `yaml` starts (its first node), if there is one. yaml-cpp's
/// LoadAll never returns on some inputs: after `[a],` it makes empty documents at the stray comma
/// until memory runs out. So the parser is driven here and stopped at the second document. Throws
/// YAML::Exception on a syntax error in the first two documents.
std::optional<YAML::Mark> second_document(std::string_view yaml);

/// The message for a yaml-cpp parse error, "YAML syntax error: ..." (its position is error.mark).
std::string yaml_syntax_message(const YAML::Exception& error);

/// 1-based line and column of the first byte that is not valid UTF-8, if any.
std::optional<std::pair<int, int>> find_invalid_utf8(std::string_view text);

}  // namespace continuum::io::detail
