#include "sim/io/yaml_field.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>

#include "sim/io/input_file.hpp"

namespace continuum::io::detail {

namespace {

bool under(const std::string& path, const std::string& prefix) {
  if (path.size() < prefix.size() || path.compare(0, prefix.size(), prefix) != 0) return false;
  return path.size() == prefix.size() || path[prefix.size()] == '.' || path[prefix.size()] == '[';
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Optimal string alignment distance: Levenshtein plus adjacent transpositions ("nmae" → "name" is 1).
std::size_t edit_distance(std::string_view a, std::string_view b) {
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
  for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= n; ++i)
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[n][m];
}

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

// A whole number written as an integer or in exponent form (`1e8`); nullopt if it is not one.
std::optional<double> whole_number(std::string_view text) {
  std::string_view rest = trim(text);
  if (!rest.empty() && rest.front() == '+') rest.remove_prefix(1);
  double value = 0.0;
  const auto [end, error] = std::from_chars(rest.data(), rest.data() + rest.size(), value);
  if (error != std::errc() || end != rest.data() + rest.size() || rest.empty()) return std::nullopt;
  if (!std::isfinite(value) || std::floor(value) != value) return std::nullopt;
  return value;
}

// Aliases let a short file stand for a huge tree (`b: [*a, *a, ...]`, nine levels of nine: 387
// million values); the walk expands them, so it stops at as many values as an alias-free file of
// the largest accepted size could hold, one value per two bytes ("1,").
constexpr std::size_t max_expanded_values = max_text_input_bytes / 2;

void duplicate_walk(const YamlSource& source, const YAML::Node& node, const std::string& path, int depth,
                    std::size_t& visited) {
  if (depth > 64) source.fail(path, node.Mark(), "the document nests deeper than 64 levels");
  if (++visited > max_expanded_values)
    source.fail(path, node.Mark(),
                "the document expands, through aliases (*name), to more than " +
                    std::to_string(max_expanded_values) + " values; write the repeated parts out");
  if (node.IsSequence()) {
    for (std::size_t i = 0; i < node.size(); ++i)
      duplicate_walk(source, node[i], item_path(path, i), depth + 1, visited);
  } else if (node.IsMap()) {
    std::map<std::string, YAML::Mark, std::less<>> seen;  // a map: files may hold thousands of keys
    for (const auto& pair : node) {
      const YAML::Node& key = pair.first;
      if (!key.IsScalar()) continue;  // reported as a bad key by the reader
      const std::string& text = key.Scalar();
      const auto [first, is_new] = seen.emplace(text, key.Mark());
      if (!is_new)
        source.fail(child_path(path, text), key.Mark(),
                    "duplicate key " + quote(text) + " (first at line " +
                        std::to_string(first->second.line + 1) + ", column " +
                        std::to_string(first->second.column + 1) +
                        "); YAML would silently keep only one, so each key may appear once");
      duplicate_walk(source, pair.second, child_path(path, text), depth + 1, visited);
    }
  }
}

}  // namespace

void fail_in_override(const std::optional<SourcePlace>& place, const std::string& text, int column,
                      const std::string& path, const std::string& message) {
  if (place) throw LoadError(place->file, place->line, place->column, path, message + " (in " + text + ")");
  throw LoadError("--set", 1, column, path, message + " (in --set " + text + ")");
}

void YamlSource::fail(const std::string& path, const YAML::Mark& mark, const std::string& message) const {
  // The last override wins: a later one at a parent path replaced an earlier one's subtree.
  for (auto it = overrides_.rbegin(); it != overrides_.rend(); ++it) {
    if (!under(path, it->canonical_path)) continue;
    // Marks under an override are relative to its value text; the value itself starts the value.
    int column = static_cast<int>(it->value_offset) + 1;
    if (path != it->canonical_path && !mark.is_null() && mark.line == 0) column += mark.column;
    fail_in_override(it->place, it->text, column, path, message);
  }
  if (mark.is_null()) throw LoadError(file_, 1, 1, path, message);
  throw LoadError(file_, mark.line + 1, mark.column + 1, path, message);
}

std::string child_path(const std::string& parent, std::string_view key) {
  return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

std::string item_path(const std::string& parent, std::size_t index) {
  return parent + "[" + std::to_string(index) + "]";
}

Field::Field(const YamlSource& source, YAML::Node node, std::string path, YAML::Mark fallback)
    : source_(&source), node_(std::move(node)), path_(std::move(path)), mark_(fallback) {
  // A null value's own mark points past it (often to the next line): blame its key instead.
  if (node_.IsDefined() && !node_.IsNull() && !node_.Mark().is_null()) mark_ = node_.Mark();
}

void Field::fail(const std::string& message) const {
  source_->fail(path_, mark_, message);
}

std::string Field::describe() const {
  if (is_null()) return "nothing";
  if (node_.IsMap()) return "a mapping";
  if (node_.IsSequence()) return "a list";
  return "the text " + quote(node_.Scalar());
}

std::string Field::scalar(std::string_view expected) const {
  if (!node_.IsScalar()) fail("expected " + std::string(expected) + ", got " + describe());
  return node_.Scalar();
}

std::string Field::name(std::string_view what) const {
  const std::string text = scalar("a " + std::string(what));
  const bool valid = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
  if (!valid)
    fail(quote(text) + " is not a valid " + std::string(what) +
         ": use letters, digits, '_' and '-' (names appear in --set paths and in the outputs)");
  return text;
}

double Field::quantity(Dimension dimension, Bound bound) const {
  const std::string_view kind = dimension_name(dimension);
  const std::string article = (kind.front() == 'a' || kind.front() == 'e') ? "an " : "a ";
  const std::string text =
      scalar(article + std::string(kind) + " such as " + std::string(dimension_examples(dimension)));
  double value = 0.0;
  try {
    value = parse_quantity(text, dimension);
  } catch (const std::invalid_argument& error) {
    fail(error.what());
  }
  if (bound == Bound::non_negative && value < 0) fail("must be >= 0; got " + quote(text));
  if (bound == Bound::positive && value <= 0) fail("must be > 0; got " + quote(text));
  return value;
}

double Field::probability() const {
  const std::string text = scalar("a probability in [0, 1]");
  double value = 0.0;
  try {
    value = parse_quantity(text, Dimension::dimensionless);
  } catch (const std::invalid_argument&) {
    fail("expected a probability in [0, 1] such as 0.25 or 25%; got " + quote(text));
  }
  if (!(value >= 0.0 && value <= 1.0)) fail("a probability must lie in [0, 1]; got " + quote(text));
  return value;
}

std::int64_t Field::integer(std::int64_t low, std::int64_t high) const {
  const std::string range =
      high == std::numeric_limits<std::int64_t>::max() || high == std::numeric_limits<int>::max()
          ? ">= " + std::to_string(low)
          : "in [" + std::to_string(low) + ", " + std::to_string(high) + "]";
  const std::string text = scalar("a whole number " + range);
  const auto value = whole_number(text);
  if (!value) fail("expected a whole number " + range + "; got " + quote(text));
  // Doubles represent every integer up to 2^53 exactly; the bounds used here are far below.
  if (*value < static_cast<double>(low) || *value > static_cast<double>(high))
    fail("expected a whole number " + range + "; got " + quote(text));
  return static_cast<std::int64_t>(*value);
}

std::uint64_t Field::unsigned_integer(std::uint64_t low) const {
  const std::string expected = "a whole number >= " + std::to_string(low);
  const std::string text = scalar(expected);
  std::string_view digits = trim(text);
  if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (error == std::errc() && end == digits.data() + digits.size() && !digits.empty()) {
    if (value < low) fail("expected " + expected + "; got " + quote(text));
    return value;
  }
  // `1e8` style: exact as long as it stays below 2^64.
  const auto whole = whole_number(text);
  if (!whole || *whole < static_cast<double>(low) || *whole >= 18446744073709551616.0)
    fail("expected " + expected + "; got " + quote(text));
  return static_cast<std::uint64_t>(*whole);
}

std::string Field::choice(const std::vector<std::string>& options, std::string_view what) const {
  const std::string text = scalar("one of " + join_names(options));
  if (std::find(options.begin(), options.end(), text) == options.end())
    fail("unknown " + std::string(what) + " " + quote(text) + hint_and_list(text, options, "known"));
  return text;
}

std::vector<Field> Field::items(std::string_view what) const {
  if (!node_.IsSequence()) fail("expected a list of " + std::string(what) + ", got " + describe());
  std::vector<Field> out;
  out.reserve(node_.size());
  for (std::size_t i = 0; i < node_.size(); ++i)
    out.emplace_back(*source_, node_[i], item_path(path_, i), mark_);
  return out;
}

Mapping::Mapping(const Field& field, std::string_view what) : field_(field) {
  if (!field.is_map()) field.fail("expected a mapping (" + std::string(what) + "), got " + field.describe());
  for (const auto& pair : field.node()) {
    const YAML::Node& key = pair.first;
    Field key_field(field.source(), key, field.path(), field.mark());
    if (!key.IsScalar()) key_field.fail("a key must be a plain name, not " + key_field.describe());
    const std::string& text = key.Scalar();
    Field key_at(field.source(), key, child_path(field.path(), text), field.mark());
    if (text == "<<" && key.Tag() != "!")  // a plain `<<`, not the quoted text "<<"
      key_at.fail(
          "YAML merge keys (<<) are not supported (yaml-cpp does not expand them): write the fields out, "
          "or alias the whole mapping with *name");
    Field value(field.source(), pair.second, child_path(field.path(), text), key_at.mark());
    entries_.push_back({text, key_at, value});
  }
}

Mapping::Mapping(const Field& field, std::vector<std::string> known, std::string_view what)
    : Mapping(field, what) {
  for (const Entry& entry : entries_)
    if (std::find(known.begin(), known.end(), entry.key) == known.end())
      entry.key_field.fail("unknown field " + quote(entry.key) +
                           hint_and_list(entry.key, known, "known fields of " + std::string(what)));
}

Mapping Mapping::of_names(const Field& field, std::string_view key_what, std::string_view description) {
  Mapping mapping(field, description);
  for (const Entry& entry : mapping.entries_) entry.key_field.name(std::string(key_what) + " name");
  return mapping;
}

std::optional<Field> Mapping::get(std::string_view key) const {
  for (const Entry& entry : entries_)
    if (entry.key == key) return entry.value.is_null() ? std::nullopt : std::optional<Field>(entry.value);
  return std::nullopt;
}

Field Mapping::require(std::string_view key, std::string_view expected) const {
  for (const Entry& entry : entries_)
    if (entry.key == key) {
      if (entry.value.is_null())
        entry.value.fail("field " + quote(key) + " is empty; expected " + std::string(expected));
      return entry.value;
    }
  field_.source().fail(child_path(field_.path(), key), field_.mark(),
                       "missing required field " + quote(key) + " (expected " + std::string(expected) + ")");
}

std::string closest_name(std::string_view name, const std::vector<std::string>& known) {
  const std::string target = lower(name);
  // A plausible typo changes at most about a third of the name.
  const std::size_t limit = std::max<std::size_t>(1, target.size() / 3);
  std::string best;
  std::size_t best_distance = limit + 1;
  for (const std::string& candidate : known) {
    const std::size_t distance = edit_distance(target, lower(candidate));
    if (distance < best_distance && distance < std::max(target.size(), candidate.size())) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best;
}

std::string hint_and_list(std::string_view name, const std::vector<std::string>& known,
                          std::string_view label) {
  const std::string best = closest_name(name, known);
  return (best.empty() ? "; " : "; did you mean " + quote(best) + "? ") + std::string(label) + ": " +
         join_names(known);
}

std::string join_names(const std::vector<std::string>& names) {
  if (names.empty()) return "none";
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

std::string quote(std::string_view text) {
  return "\"" + std::string(text) + "\"";
}

std::string compact(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

void check_unique(const Field& at, const std::string& name, std::vector<std::string>& seen,
                  std::string_view what) {
  if (std::find(seen.begin(), seen.end(), name) != seen.end())
    at.fail("duplicate " + std::string(what) + " " + quote(name) + "; each " + std::string(what) +
            " name may appear once here");
  seen.push_back(name);
}

void check_duplicate_keys(const YamlSource& source, const YAML::Node& node, const std::string& path) {
  std::size_t visited = 0;
  duplicate_walk(source, node, path, 0, visited);
}

namespace {

/// Keeps the position of the first node of each document and ignores the rest of the events.
class DocumentMarks : public YAML::EventHandler {
 public:
  std::vector<YAML::Mark> starts;

  void OnDocumentStart(const YAML::Mark& mark) override { pending_ = mark; }
  void OnDocumentEnd() override {
    if (pending_) starts.push_back(*pending_);  // a document without nodes starts where it starts
    pending_.reset();
  }
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { node(mark); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { node(mark); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t, const std::string&) override {
    node(mark);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    node(mark);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    node(mark);
  }
  void OnMapEnd() override {}

 private:
  void node(const YAML::Mark& mark) {
    if (pending_) starts.push_back(mark);
    pending_.reset();
  }
  std::optional<YAML::Mark> pending_;
};

}  // namespace

std::optional<YAML::Mark> second_document(std::string_view yaml) {
  std::istringstream stream{std::string(yaml)};
  YAML::Parser parser(stream);
  DocumentMarks marks;
  for (int document = 0; document < 2 && parser.HandleNextDocument(marks); ++document) {
  }
  if (marks.starts.size() < 2) return std::nullopt;
  return marks.starts[1];
}

std::string yaml_syntax_message(const YAML::Exception& error) {
  // yaml-cpp stops recursing at a fixed depth and reports it as "bad file"; say what it means.
  if (dynamic_cast<const YAML::DeepRecursion*>(&error))
    return "the YAML nests too deeply (yaml-cpp stops at a few hundred levels of lists or mappings; a "
           "scenario needs fewer than 64)";
  return "YAML syntax error: " + error.msg;
}

std::optional<std::pair<int, int>> find_invalid_utf8(std::string_view text) {
  int line = 1, column = 1;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    std::uint32_t code = 0;
    if (byte < 0x80) {
      length = 1;
      code = byte;
    } else if ((byte & 0xE0) == 0xC0) {
      length = 2;
      code = byte & 0x1Fu;
    } else if ((byte & 0xF0) == 0xE0) {
      length = 3;
      code = byte & 0x0Fu;
    } else if ((byte & 0xF8) == 0xF0) {
      length = 4;
      code = byte & 0x07u;
    } else {
      return std::pair{line, column};
    }
    if (i + length > text.size()) return std::pair{line, column};
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return std::pair{line, column};
      code = (code << 6) | (next & 0x3Fu);
    }
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8 either.
    const bool overlong =
        (length == 2 && code < 0x80) || (length == 3 && code < 0x800) || (length == 4 && code < 0x10000);
    if (overlong || (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF) return std::pair{line, column};
    if (byte == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
    i += length;
  }
  return std::nullopt;
}

}  // namespace continuum::io::detail
