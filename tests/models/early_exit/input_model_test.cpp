// Input tables (CSV text) and the synthetic input generator of the early-exit model.
#include "models/early_exit/input_model.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/early_exit/exit_policy.hpp"

namespace continuum {
namespace {

std::string error_of(std::string_view text, int gates) {
  try {
    parse_input_table(text, gates);
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return "";
}

TEST(InputTable, ReadsColumnsInAnyOrderAndNumbersClassesByFirstAppearance) {
  const InputTable table = parse_input_table(
      "# recorded on a Pi 4\n"
      "id, correct_1, confidence_0, class, correct_0, confidence_1\n"
      "1, 1, 0.25, blur, 0, 0.75\n"
      "\n"
      "2, true, 0.5, clean, true, 1\r\n",
      2);
  ASSERT_EQ(table.records.size(), 2u);
  EXPECT_EQ(table.classes, (std::vector<std::string>{"blur", "clean"}));
  EXPECT_EQ(table.records[0].input_class, 0u);
  EXPECT_EQ(table.records[1].input_class, 1u);
  EXPECT_EQ(table.records[0].confidence, (std::vector<double>{0.25, 0.75}));
  EXPECT_EQ(table.records[0].correct, (std::vector<std::uint8_t>{0, 1}));
  EXPECT_EQ(table.records[1].confidence, (std::vector<double>{0.5, 1.0}));
  EXPECT_EQ(table.records[1].correct, (std::vector<std::uint8_t>{1, 1}));
}

TEST(InputTable, WithoutAClassColumnEveryInputIsDefault) {
  const InputTable table = parse_input_table("confidence_0,correct_0\n0.9,1\n", 1);
  EXPECT_EQ(table.classes, std::vector<std::string>{"default"});
  EXPECT_EQ(table.records[0].input_class, 0u);
}

TEST(InputTable, ErrorsNameTheLineAndTheColumn) {
  EXPECT_EQ(error_of("confidence_0,correct_0\n", 2), "input table: line 1: missing column \"confidence_1\"");
  EXPECT_EQ(error_of("confidence_0,correct_0\n0.5,1\n1.5,0\n", 1),
            "input table: line 3: confidence_0: expected a number in [0, 1], got \"1.5\"");
  EXPECT_EQ(error_of("confidence_0,correct_0\n0.5,yes\n", 1),
            "input table: line 2: correct_0: expected 1, 0, true or false, got \"yes\"");
  EXPECT_EQ(error_of("confidence_0,correct_0\n0.5\n", 1), "input table: line 2: expected 2 fields, got 1");
  EXPECT_EQ(error_of("confidence_0,correct_0,confidence_0\n", 1),
            "input table: line 1: duplicate column \"confidence_0\"");
  EXPECT_EQ(error_of("confidence_0,correct_0,confidence_3,correct_3\n", 2),
            "input table: line 1: column \"confidence_3\": the network has only 2 gates");
  EXPECT_EQ(error_of("confidence_0,correct_0\n", 1), "input table: no input rows");
}

TEST(InputTable, FormatAndParseRoundTrip) {
  SyntheticInputSpec spec;
  spec.classes = {{.name = "clean"}, {.name = "noisy", .difficulty_alpha = 2.0}};
  const SyntheticInputGenerator generator(spec, {0.4, 0.7, 0.9});
  RandomEngine engine(5);
  const InputTable table = generate_input_table(generator, 50, engine);
  const InputTable back = parse_input_table(format_input_table(table), 3);
  // Classes are renumbered by first appearance; each row keeps its class name.
  EXPECT_EQ(back.classes.size(), 2u);
  ASSERT_EQ(back.records.size(), table.records.size());
  for (std::size_t r = 0; r < table.records.size(); ++r) {
    EXPECT_EQ(back.classes[back.records[r].input_class], table.classes[table.records[r].input_class]);
    EXPECT_EQ(back.records[r].confidence, table.records[r].confidence);  // 17 digits: exact
    EXPECT_EQ(back.records[r].correct, table.records[r].correct);
  }
}

TEST(SyntheticInputs, AccuracyAtEachGateIsTheGateAccuracyAndConfidenceRisesWithDepth) {
  const std::vector<double> accuracies{0.3, 0.6, 0.85, 0.95};
  const SyntheticInputGenerator generator(SyntheticInputSpec{}, accuracies);
  RandomEngine engine(42);
  InputRecord input;
  const int n = 40000;
  std::vector<double> correct(4, 0.0), confidence(4, 0.0);
  std::vector<double> confidence_if_right(4, 0.0), confidence_if_wrong(4, 0.0);
  std::vector<int> right(4, 0);
  for (int i = 0; i < n; ++i) {
    generator.draw(engine, input);
    for (std::size_t e = 0; e < 4; ++e) {
      correct[e] += input.correct[e];
      confidence[e] += input.confidence[e];
      EXPECT_GE(input.confidence[e], 0.1);  // floor 1/labels with 10 labels
      (input.correct[e] ? confidence_if_right : confidence_if_wrong)[e] += input.confidence[e];
      right[e] += input.correct[e];
    }
  }
  for (std::size_t e = 0; e < 4; ++e) {
    const double p = accuracies[e];
    EXPECT_NEAR(correct[e] / n, p, 4 * std::sqrt(p * (1 - p) / n)) << "gate " << e;
    if (e > 0) {
      EXPECT_GT(confidence[e], confidence[e - 1]) << "gate " << e;
    }
    // Confidence tells right from wrong answers (what thresholds rely on).
    EXPECT_GT(confidence_if_right[e] / right[e], confidence_if_wrong[e] / (n - right[e]) + 0.3)
        << "gate " << e;
  }
}

TEST(SyntheticInputs, AHarderClassHasTheAccuracyOfItsDifficultyLaw) {
  // Difficulty Beta(2, 1): P(u < a) = a², so gate accuracies 0.5 and 0.9 become 0.25 and 0.81.
  SyntheticInputSpec spec;
  spec.classes = {{.name = "hard", .difficulty_alpha = 2.0, .difficulty_beta = 1.0}};
  const SyntheticInputGenerator generator(spec, {0.5, 0.9});
  RandomEngine engine(8);
  InputRecord input;
  const int n = 40000;
  double right[2] = {0, 0};
  for (int i = 0; i < n; ++i) {
    generator.draw(engine, input);
    right[0] += input.correct[0];
    right[1] += input.correct[1];
  }
  EXPECT_NEAR(right[0] / n, 0.25, 4 * std::sqrt(0.25 * 0.75 / n));
  EXPECT_NEAR(right[1] / n, 0.81, 4 * std::sqrt(0.81 * 0.19 / n));
}

TEST(SyntheticInputs, ClassesAreDrawnByWeight) {
  SyntheticInputSpec spec;
  spec.classes = {{.name = "a", .weight = 3.0}, {.name = "b", .weight = 1.0}};
  const SyntheticInputGenerator generator(spec, {0.5});
  EXPECT_EQ(generator.class_names(), (std::vector<std::string>{"a", "b"}));
  RandomEngine engine(3);
  InputRecord input;
  int b = 0;
  const int n = 20000;
  for (int i = 0; i < n; ++i) {
    generator.draw(engine, input);
    b += static_cast<int>(input.input_class);
  }
  EXPECT_NEAR(static_cast<double>(b) / n, 0.25, 4 * std::sqrt(0.25 * 0.75 / n));
}

TEST(SyntheticInputs, RejectsBadParameters) {
  SyntheticInputSpec spec;
  spec.sharpness = 0.0;
  EXPECT_THROW(SyntheticInputGenerator(spec, {0.5}), std::invalid_argument);
  spec = {};
  spec.classes.clear();
  EXPECT_THROW(SyntheticInputGenerator(spec, {0.5}), std::invalid_argument);
  spec = {};
  spec.classes[0].difficulty_beta = -1.0;
  EXPECT_THROW(SyntheticInputGenerator(spec, {0.5}), std::invalid_argument);
  EXPECT_THROW(SyntheticInputGenerator(SyntheticInputSpec{}, {1.2}), std::invalid_argument);
}

TEST(FirstGateReaching, ReturnsTheFirstGateAtOrAboveTheThresholdElseTheLast) {
  const InputRecord input{0, {0.2, 0.7, 0.6, 0.9}, {0, 1, 1, 1}};
  EXPECT_EQ(first_gate_reaching(input, 0.1), 0);
  EXPECT_EQ(first_gate_reaching(input, 0.7), 1);  // equal counts
  EXPECT_EQ(first_gate_reaching(input, 0.8), 3);
  EXPECT_EQ(first_gate_reaching(input, 0.95), 3);  // nobody reaches it: the last gate answers
}

}  // namespace
}  // namespace continuum
