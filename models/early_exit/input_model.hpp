#pragma once
// Where the inputs of an early-exit network come from: a table recorded by real early-exit inference
// (per input, the confidence and the correctness at every gate) or the synthetic generator of
// SyntheticInputSpec. Text in, records out: the file itself is read by sim/io.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "models/early_exit/early_exit_spec.hpp"
#include "sim/engine/random.hpp"

namespace continuum {

/// Parses an input table from CSV text. The first non-comment line is the header; `#` starts a comment
/// line; fields are separated by commas (spaces around them ignored). Columns, in any order:
///   class          optional: the input's class (context key); absent → every input is "default"
///   confidence_<e> for e = 0..E−1: confidence at gate e, a number in [0, 1]
///   correct_<e>    for e = 0..E−1: 1/0 or true/false
/// Other columns (an id, a label) are ignored. `gate_count` = E; classes are numbered in order of first
/// appearance. Throws std::invalid_argument "line L: ..." naming the row and column of the first error
/// (missing or duplicate column, wrong field count, bad number), or when the table has no row.
InputTable parse_input_table(std::string_view csv_text, int gate_count);

/// The table as CSV text that parse_input_table reads back exactly (shortest round-trip confidences).
std::string format_input_table(const InputTable& table);

/// Draws synthetic inputs (see SyntheticInputSpec for the model). O(E) per draw, no allocation when
/// `into` already has E slots.
class SyntheticInputGenerator {
 public:
  /// accuracies: a_e per gate. Throws std::invalid_argument for a bad spec (no class, weight < 0 or all 0,
  /// Beta parameters ≤ 0, sharpness ≤ 0, noise < 0, labels < 1) or accuracies outside [0, 1].
  SyntheticInputGenerator(SyntheticInputSpec spec, std::vector<double> accuracies);

  void draw(RandomEngine& engine, InputRecord& into) const;
  /// Class names, in spec order (InputRecord::input_class indexes them).
  std::vector<std::string> class_names() const;
  const SyntheticInputSpec& spec() const { return spec_; }

 private:
  SyntheticInputSpec spec_;
  std::vector<double> accuracies_;
  std::vector<double> cumulative_weights_;  // normalised, last = 1
};

/// The class names of an input model, in the order InputRecord::input_class indexes them.
std::vector<std::string> input_class_names(const InputModelSpec& spec);

/// The inputs of a run, whichever model the scenario chose: next() fills the record of one arrival.
class InputSource {
 public:
  InputSource(const InputModelSpec& spec, const std::vector<double>& accuracies);

  void next(RandomEngine& engine, InputRecord& into);
  const std::vector<std::string>& class_names() const { return class_names_; }

 private:
  const InputTable* table_ = nullptr;
  std::size_t next_row_ = 0;
  std::vector<SyntheticInputGenerator> generator_;  // empty when a table is used
  std::vector<std::string> class_names_;
};

/// A synthetic table of `rows` inputs drawn with `generator` (e.g. to ship as a scenario's data file).
InputTable generate_input_table(const SyntheticInputGenerator& generator, std::size_t rows,
                                RandomEngine& engine);

}  // namespace continuum
