#include "models/early_exit/input_model.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <optional>
#include <stdexcept>

#include <boost/random/beta_distribution.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>

namespace continuum {

namespace {

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r");
  return text.substr(first, last - first + 1);
}

std::vector<std::string_view> split_fields(std::string_view line) {
  std::vector<std::string_view> fields;
  std::size_t start = 0;
  while (true) {
    const auto comma = line.find(',', start);
    fields.push_back(
        trim(line.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start)));
    if (comma == std::string_view::npos) return fields;
    start = comma + 1;
  }
}

[[noreturn]] void fail(std::size_t line, const std::string& what) {
  throw std::invalid_argument("input table: line " + std::to_string(line) + ": " + what);
}

/// Gate index of a header such as "confidence_3" with the given prefix, if it is one.
std::optional<int> gate_suffix(std::string_view header, std::string_view prefix) {
  if (header.size() <= prefix.size() || header.substr(0, prefix.size()) != prefix) return std::nullopt;
  const std::string_view digits = header.substr(prefix.size());
  int gate = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), gate);
  if (error != std::errc() || end != digits.data() + digits.size() || gate < 0) return std::nullopt;
  return gate;
}

double logistic(double x) {
  return 1.0 / (1.0 + std::exp(-x));
}

}  // namespace

InputTable parse_input_table(std::string_view csv_text, int gate_count) {
  if (gate_count < 1) throw std::invalid_argument("input table: gate_count must be >= 1");
  const auto gates = static_cast<std::size_t>(gate_count);
  InputTable table;
  std::map<std::string, std::uint32_t, std::less<>> class_index;
  std::vector<int> confidence_column(gates, -1), correct_column(gates, -1);
  int class_column = -1;
  std::size_t columns = 0;
  bool have_header = false;

  std::size_t line_number = 0;
  std::size_t start = 0;
  while (start <= csv_text.size()) {
    const auto newline = csv_text.find('\n', start);
    const std::string_view raw =
        csv_text.substr(start, newline == std::string_view::npos ? std::string_view::npos : newline - start);
    start = newline == std::string_view::npos ? csv_text.size() + 1 : newline + 1;
    ++line_number;
    const std::string_view line = trim(raw);
    if (line.empty() || line.front() == '#') continue;
    const auto fields = split_fields(line);

    if (!have_header) {
      have_header = true;
      columns = fields.size();
      for (std::size_t c = 0; c < fields.size(); ++c) {
        const auto column = static_cast<int>(c);
        const std::string_view name = fields[c];
        auto claim = [&](int& slot, std::string_view what) {
          if (slot >= 0) fail(line_number, "duplicate column \"" + std::string(what) + "\"");
          slot = column;
        };
        if (name == "class") {
          claim(class_column, name);
        } else if (const auto e = gate_suffix(name, "confidence_")) {
          if (static_cast<std::size_t>(*e) >= gates)
            fail(line_number, "column \"" + std::string(name) + "\": the network has only " +
                                  std::to_string(gate_count) + " gates");
          claim(confidence_column[static_cast<std::size_t>(*e)], name);
        } else if (const auto g = gate_suffix(name, "correct_")) {
          if (static_cast<std::size_t>(*g) >= gates)
            fail(line_number, "column \"" + std::string(name) + "\": the network has only " +
                                  std::to_string(gate_count) + " gates");
          claim(correct_column[static_cast<std::size_t>(*g)], name);
        }
      }
      for (std::size_t e = 0; e < gates; ++e) {
        if (confidence_column[e] < 0)
          fail(line_number, "missing column \"confidence_" + std::to_string(e) + "\"");
        if (correct_column[e] < 0) fail(line_number, "missing column \"correct_" + std::to_string(e) + "\"");
      }
      if (class_column < 0) table.classes.push_back("default");
      continue;
    }

    if (fields.size() != columns)
      fail(line_number,
           "expected " + std::to_string(columns) + " fields, got " + std::to_string(fields.size()));
    InputRecord record;
    record.confidence.resize(gates);
    record.correct.resize(gates);
    if (class_column >= 0) {
      const std::string_view name = fields[static_cast<std::size_t>(class_column)];
      if (name.empty()) fail(line_number, "empty class");
      auto found = class_index.find(name);
      if (found == class_index.end()) {
        found =
            class_index.emplace(std::string(name), static_cast<std::uint32_t>(table.classes.size())).first;
        table.classes.emplace_back(name);
      }
      record.input_class = found->second;
    }
    for (std::size_t e = 0; e < gates; ++e) {
      const std::string_view text = fields[static_cast<std::size_t>(confidence_column[e])];
      double value = 0.0;
      const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
      if (error != std::errc() || end != text.data() + text.size() || !(value >= 0.0 && value <= 1.0))
        fail(line_number, "confidence_" + std::to_string(e) + ": expected a number in [0, 1], got \"" +
                              std::string(text) + "\"");
      record.confidence[e] = value;
      const std::string_view flag = fields[static_cast<std::size_t>(correct_column[e])];
      if (flag == "1" || flag == "true") {
        record.correct[e] = 1;
      } else if (flag == "0" || flag == "false") {
        record.correct[e] = 0;
      } else {
        fail(line_number, "correct_" + std::to_string(e) + ": expected 1, 0, true or false, got \"" +
                              std::string(flag) + "\"");
      }
    }
    table.records.push_back(std::move(record));
  }
  if (!have_header) throw std::invalid_argument("input table: no header line");
  if (table.records.empty()) throw std::invalid_argument("input table: no input rows");
  return table;
}

std::string format_input_table(const InputTable& table) {
  if (table.records.empty()) throw std::invalid_argument("format_input_table: the table has no row");
  const std::size_t gates = table.records.front().confidence.size();
  std::string out = "class";
  for (std::size_t e = 0; e < gates; ++e) out += ",confidence_" + std::to_string(e);
  for (std::size_t e = 0; e < gates; ++e) out += ",correct_" + std::to_string(e);
  out += '\n';
  char number[32];
  for (const InputRecord& record : table.records) {
    if (record.confidence.size() != gates || record.correct.size() != gates)
      throw std::invalid_argument("format_input_table: rows differ in their number of gates");
    out += table.classes.at(record.input_class);
    for (double c : record.confidence) {
      // Shortest text that reads back to the same double: 0.2875, not 0.28749999999999998.
      const auto [end, error] = std::to_chars(number, number + sizeof number, c);
      if (error != std::errc()) throw std::logic_error("format_input_table: cannot format a confidence");
      out += ',';
      out.append(number, end);
    }
    for (std::uint8_t ok : record.correct) out += ok ? ",1" : ",0";
    out += '\n';
  }
  return out;
}

SyntheticInputGenerator::SyntheticInputGenerator(SyntheticInputSpec spec, std::vector<double> accuracies)
    : spec_(std::move(spec)), accuracies_(std::move(accuracies)) {
  auto require = [](bool ok, const std::string& what) {
    if (!ok) throw std::invalid_argument("synthetic inputs: " + what);
  };
  require(!spec_.classes.empty(), "need at least one class");
  require(!accuracies_.empty(), "need at least one gate");
  for (double a : accuracies_) require(a >= 0.0 && a <= 1.0, "gate accuracies must be in [0, 1]");
  require(std::isfinite(spec_.sharpness) && spec_.sharpness > 0, "sharpness must be > 0");
  require(std::isfinite(spec_.noise) && spec_.noise >= 0, "noise must be >= 0");
  require(spec_.labels >= 1, "labels must be >= 1");
  double total = 0.0;
  for (const auto& input_class : spec_.classes) {
    require(std::isfinite(input_class.weight) && input_class.weight >= 0,
            "class \"" + input_class.name + "\": weight must be >= 0");
    require(std::isfinite(input_class.difficulty_alpha) && input_class.difficulty_alpha > 0 &&
                std::isfinite(input_class.difficulty_beta) && input_class.difficulty_beta > 0,
            "class \"" + input_class.name + "\": difficulty alpha and beta must be > 0");
    total += input_class.weight;
  }
  require(total > 0, "class weights must not all be 0");
  double running = 0.0;
  for (const auto& input_class : spec_.classes) {
    running += input_class.weight / total;
    cumulative_weights_.push_back(running);
  }
  cumulative_weights_.back() = 1.0;
}

void SyntheticInputGenerator::draw(RandomEngine& engine, InputRecord& into) const {
  const std::size_t gates = accuracies_.size();
  into.confidence.resize(gates);
  into.correct.resize(gates);
  std::size_t c = 0;
  if (cumulative_weights_.size() > 1) {
    const double u = boost::random::uniform_real_distribution<double>(0.0, 1.0)(engine);
    while (c + 1 < cumulative_weights_.size() && u >= cumulative_weights_[c]) ++c;
  }
  const auto& input_class = spec_.classes[c];
  into.input_class = static_cast<std::uint32_t>(c);
  const double difficulty = input_class.difficulty_alpha == 1.0 && input_class.difficulty_beta == 1.0
                                ? boost::random::uniform_real_distribution<double>(0.0, 1.0)(engine)
                                : boost::random::beta_distribution<double>(
                                      input_class.difficulty_alpha, input_class.difficulty_beta)(engine);
  const double floor = 1.0 / spec_.labels;
  boost::random::normal_distribution<double> normal(0.0, 1.0);
  for (std::size_t e = 0; e < gates; ++e) {
    const double margin = accuracies_[e] - difficulty;
    // The noise is drawn even when it is 0 so that the stream's use does not depend on the parameters.
    const double z = normal(engine);
    into.correct[e] = margin > 0 ? 1 : 0;
    into.confidence[e] = floor + (1.0 - floor) * logistic((margin + spec_.noise * z) / spec_.sharpness);
  }
}

std::vector<std::string> SyntheticInputGenerator::class_names() const {
  return input_class_names(spec_);
}

std::vector<std::string> input_class_names(const InputModelSpec& spec) {
  if (const auto* table = std::get_if<InputTable>(&spec)) return table->classes;
  std::vector<std::string> names;
  for (const auto& input_class : std::get<SyntheticInputSpec>(spec).classes)
    names.push_back(input_class.name);
  return names;
}

InputSource::InputSource(const InputModelSpec& spec, const std::vector<double>& accuracies)
    : class_names_(input_class_names(spec)) {
  if (const auto* table = std::get_if<InputTable>(&spec)) {
    if (table->records.empty()) throw std::invalid_argument("input table: no input rows");
    table_ = table;
  } else {
    generator_.emplace_back(std::get<SyntheticInputSpec>(spec), accuracies);
  }
}

void InputSource::next(RandomEngine& engine, InputRecord& into) {
  if (!table_) {
    generator_.front().draw(engine, into);
    return;
  }
  std::size_t row = 0;
  if (table_->order == InputTable::Order::sequential) {
    row = next_row_;
    next_row_ = (next_row_ + 1) % table_->records.size();
  } else {
    row = boost::random::uniform_int_distribution<std::size_t>(0, table_->records.size() - 1)(engine);
  }
  const InputRecord& source = table_->records[row];
  into.input_class = source.input_class;
  into.confidence.assign(source.confidence.begin(), source.confidence.end());
  into.correct.assign(source.correct.begin(), source.correct.end());
}

InputTable generate_input_table(const SyntheticInputGenerator& generator, std::size_t rows,
                                RandomEngine& engine) {
  InputTable table;
  table.classes = generator.class_names();
  table.records.resize(rows);
  for (InputRecord& record : table.records) generator.draw(engine, record);
  return table;
}

}  // namespace continuum
