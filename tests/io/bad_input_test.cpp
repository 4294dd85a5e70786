// The table of bad inputs (issue 10): each case breaks a valid file one way and runs the real
// `continuum` program on it. Every case must exit with code 2 (not a signal, not 1), print one line,
// and name the place: the file, the line and column (for YAML), the field, and what is wrong.
// Cases are data: tests/io/data/bad/base.yaml edited, generated files (empty, 100 MB, deeply
// nested, not UTF-8), and sweep and SPACE4AI-D files in tests/io/data/bad/.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "tests/io/program_runner.hpp"

namespace {

namespace fs = std::filesystem;
using continuum::testing::run_continuum;
using ::testing::HasSubstr;

const fs::path data_dir = fs::path(CONTINUUM_SOURCE_DIR) / "tests/io/data/bad";

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// base.yaml with each `from` replaced by `to` (the first occurrence, which must exist).
std::string edited(std::vector<std::pair<std::string, std::string>> edits) {
  std::string text = read_text(data_dir / "base.yaml");
  for (const auto& [from, to] : edits) {
    const auto at = text.find(from);
    if (at == std::string::npos) return "edit target not found in base.yaml: " + from;
    text.replace(at, from.size(), to);
  }
  return text;
}

std::string repeated(const std::string& piece, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += piece;
  return out;
}

struct BadScenario {
  std::string name;
  std::string text;     // the scenario file's bytes
  int line;             // expected line of the error; 0: an error about the file as a whole
  std::string field;    // expected field path ("" when the error is not about one field)
  std::string message;  // a fragment the message must contain
};

std::vector<BadScenario> bad_scenarios() {
  return {
      // Units: wrong dimension, unknown, missing number.
      {"BandwidthGivenAsATime", edited({{"bandwidth: 100Mbps", "bandwidth: 100ms"}}), 13,
       "network.domains.wan.bandwidth", "which is a time"},
      {"UnknownRateUnit", edited({{"rate: 2/s", "rate: 2/fortnight"}}), 37, "workload[0].arrivals.rate",
       "unit \"/fortnight\" is unknown"},
      {"PowerGivenAsEnergy", edited({{"busy: 6W", "busy: 6J"}}), 6, "device_types.pi.power.busy",
       "expected a power"},
      {"MemoryGivenAsATime", edited({{"memory: 1GB", "memory: 1s"}}), 25,
       "application.components.detect.deployments[0].partitions[0].memory", "which is a time"},
      {"UnitWithoutANumber", edited({{"access_delay: 10ms", "access_delay: ms"}}), 13,
       "network.domains.wan.access_delay", "expected a time"},
      // Negative, NaN, infinite, zero.
      {"NegativeRate", edited({{"rate: 2/s", "rate: -2/s"}}), 37, "workload[0].arrivals.rate", "must be > 0"},
      {"NanRate", edited({{"rate: 2/s", "rate: .nan"}}), 37, "workload[0].arrivals.rate", "not a number"},
      {"NanWithAUnit", edited({{"access_delay: 10ms", "access_delay: nanms"}}), 13,
       "network.domains.wan.access_delay", "not a finite number"},
      {"InfiniteHorizon", edited({{"horizon: 100s", "horizon: infs"}}), 4, "simulation.horizon",
       "not a finite number"},
      {"YamlInfinityAsHorizon", edited({{"horizon: 100s", "horizon: .inf"}}), 4, "simulation.horizon",
       "not a number"},
      {"OverflowingNumber", edited({{"rate: 2/s", "rate: 1e400/s"}}), 37, "workload[0].arrivals.rate",
       "out of range"},
      {"NegativeDemand", edited({{"demand: {pi: 200ms}", "demand: {pi: -200ms}"}}), 25,
       "application.components.detect.deployments[0].partitions[0].demand.pi", "must be > 0"},
      {"ZeroBandwidth", edited({{"bandwidth: 100Mbps", "bandwidth: 0Mbps"}}), 13,
       "network.domains.wan.bandwidth", "must be > 0"},
      {"ZeroRate", edited({{"rate: 2/s", "rate: 0/s"}}), 37, "workload[0].arrivals.rate", "must be > 0"},
      {"ZeroCores", edited({{"cores: 1,", "cores: 0,"}}), 6, "device_types.pi.cores", "whole number >= 1"},
      {"FractionalCores", edited({{"cores: 1,", "cores: 1.5,"}}), 6, "device_types.pi.cores", "whole number"},
      {"HugeDeviceCount", edited({{"camera_pi: {type: pi}", "camera_pi: {type: pi, count: 100000000000}"}}),
       9, "devices.camera_pi.count", "whole number >= 1"},
      {"NegativeSeed", edited({{"seed: 1", "seed: -1"}}), 4, "simulation.seed", "whole number >= 0"},
      {"ZeroReplications", edited({{"seed: 1}", "seed: 1, replications: 0}"}}), 4, "simulation.replications",
       "whole number >= 1"},
      {"WarmupAfterTheHorizon", edited({{"warmup: 10s", "warmup: 1000s"}}), 4, "simulation.warmup",
       "must end before the horizon"},
      // Probabilities and the component graph.
      {"ProbabilityAboveOne", edited({{"probability: 1,", "probability: 1.5,"}}), 32,
       "application.edges[0].probability", "must lie in [0, 1]"},
      {"NanProbability", edited({{"probability: 1,", "probability: .nan,"}}), 32,
       "application.edges[0].probability", "expected a probability"},
      {"ProbabilitiesNotSummingToOne", edited({{"probability: 1,", "probability: 0.5,"}}), 32,
       "application.edges[0]", "must sum to 1"},
      {"DagCycle",
       edited({{"    - {from: detect, to: store, probability: 1, data: 1MB}",
                "    - {from: detect, to: store, probability: 1, data: 1MB}\n"
                "    - {from: store, to: detect, probability: 1, data: 1MB}"}}),
       33, "application.edges[1]", "cycle: detect -> store -> detect"},
      {"SelfLoop", edited({{"{from: detect, to: store,", "{from: detect, to: detect,"}}), 32,
       "application.edges[0]", "cycle: detect -> detect"},
      // Dangling references.
      {"DanglingDevice", edited({{"{all: camera_pi}", "{all: camera_p1}"}}), 34,
       "placement.detect.partitions.all", "unknown device \"camera_p1\"; did you mean \"camera_pi\"?"},
      {"DanglingDeviceType", edited({{"camera_pi: {type: pi}", "camera_pi: {type: pie}"}}), 9,
       "devices.camera_pi.type", "unknown device type \"pie\""},
      {"DanglingDeviceTypeInADemand", edited({{"demand: {pi: 200ms}", "demand: {pj: 200ms}"}}), 25,
       "application.components.detect.deployments[0].partitions[0].demand.pj", "unknown device type \"pj\""},
      {"DanglingLayerInADomain", edited({{"layers: [edge, cloud]", "layers: [edge, fog]"}}), 13,
       "network.domains.wan.layers[1]", "unknown layer \"fog\""},
      {"DanglingComponentInAnEdge", edited({{"to: store,", "to: stor,"}}), 32, "application.edges[0].to",
       "unknown component \"stor\""},
      {"DanglingEntryComponent", edited({{"entry: detect", "entry: detector"}}), 37, "workload[0].entry",
       "unknown component \"detector\""},
      {"DanglingFunction", edited({{"{all: cloud_vm}", "{all: thumbnale}"}}), 35,
       "placement.store.partitions.all", "unknown device \"thumbnale\""},
      {"DanglingDeployment", edited({{"detect: {deployment: whole", "detect: {deployment: halves"}}), 34,
       "placement.detect.deployment", "unknown deployment \"halves\""},
      {"DanglingPartition", edited({{"{all: camera_pi}", "{everything: camera_pi}"}}), 34,
       "placement.detect.partitions.everything", "unknown partition \"everything\""},
      {"UnplacedComponent", edited({{"  store: {deployment: whole, partitions: {all: cloud_vm}}\n", ""}}), 34,
       "placement.store", "is not placed"},
      {"PartitionsExceedingTheDeviceMemory", edited({{"memory: 1GB", "memory: 8GB"}}), 34,
       "placement.detect.partitions.all", "need 8GB of memory"},
      // Duplicates (yaml-cpp keeps both keys silently).
      {"DuplicateTopLevelKey", edited({{"name: bad_input_base", "name: bad_input_base\nname: again"}}), 4,
       "name", "duplicate key \"name\" (first at line 3"},
      {"DuplicateKeyInAFlowMapping", edited({{"{type: pi}", "{type: pi, type: vm}"}}), 9,
       "devices.camera_pi.type", "duplicate key \"type\""},
      {"DuplicateDevice",
       edited({{"  cloud_vm: {type: vm}", "  cloud_vm: {type: vm}\n  camera_pi: {type: vm}"}}), 11,
       "devices.camera_pi", "duplicate key \"camera_pi\""},
      {"DuplicateSource",
       edited({{"  - {name: cameras, entry: detect, arrivals: {process: poisson, rate: 2/s}}",
                "  - {name: cameras, entry: detect, arrivals: {process: poisson, rate: 2/s}}\n"
                "  - {name: cameras, entry: store, arrivals: {process: poisson, rate: 1/s}}"}}),
       38, "workload[1].name", "duplicate source \"cameras\""},
      // Unknown names of policies, rules, processes, fields.
      {"UnknownDiscipline", edited({{"discipline: fcfs", "discipline: fifo"}}), 7,
       "device_types.vm.discipline", "unknown discipline \"fifo\"; known: fcfs, ps"},
      {"UnknownKeepAlivePolicy", edited({{"keep_alive_policy: fixed", "keep_alive_policy: hybrid"}}), 18,
       "faas.lambda.functions.thumbnail.keep_alive_policy",
       "unknown keep-alive policy \"hybrid\"; known: fixed"},
      {"UnknownKeepAliveParameter",
       edited({{"keep_alive_policy: fixed", "keep_alive_policy: {name: hybrid_histogram, rnge: 3}"}}), 18,
       "faas.lambda.functions.thumbnail.keep_alive_policy", "unknown parameter \"rnge\""},
      {"UnknownDispatchRule",
       edited({{"camera_pi: {type: pi}", "camera_pi: {type: pi, dispatch: random_walk}"}}), 9,
       "devices.camera_pi.dispatch", "unknown dispatch rule \"random_walk\""},
      {"UnknownArrivalProcess", edited({{"process: poisson", "process: poison"}}), 37,
       "workload[0].arrivals.process", "did you mean \"poisson\"?"},
      {"UnknownDistribution", edited({{"demand: {vm: 20ms}", "demand: {vm: {dist: gaussian, mean: 20ms}}"}}),
       30, "application.components.store.deployments[0].partitions[0].demand.vm.dist",
       "unknown dist \"gaussian\""},
      {"UnknownTopLevelField", edited({{"name: bad_input_base", "name: bad_input_base\nnmae: x"}}), 4, "nmae",
       "did you mean \"name\"?"},
      {"MergeKey", edited({{"cloud_vm: {type: vm}", "cloud_vm: {<<: {type: vm}}"}}), 10,
       "devices.cloud_vm.<<", "merge keys (<<) are not supported"},
      {"TextWhereAMappingBelongs",
       edited({{"devices:\n  camera_pi: {type: pi}\n  cloud_vm: {type: vm}", "devices: many"}}), 8, "devices",
       "expected a mapping"},
      // The file as a whole: syntax, structure, encoding, size, depth.
      {"UnclosedFlowMapping", edited({{"{type: pi}", "{type: pi"}}), 10, "", "YAML syntax error"},
      {"TabIndentation", edited({{"  cloud_vm: {type: vm}", "\tcloud_vm: {type: vm}"}}), 10, "",
       "YAML syntax error"},
      {"TopLevelList", "- name: x\n- name: y\n", 1, "", "expected a mapping of scenario fields"},
      {"TwoDocuments", edited({{"name: bad_input_base", "name: bad_input_base\n---\nname: second"}}), 5, "",
       "more than one YAML document"},
      {"StrayCommaAfterTheTopLevelValue", "{name: x},", 1, "", "more than one YAML document"},
      {"EmptyFile", "", 1, "", "the file is empty"},
      {"OnlyComments", "# nothing\n\n# here\n", 1, "", "the file is empty"},
      {"NotUtf8", edited({{"name: bad_input_base", "name: bad_\xff\xfeinput"}}), 3, "", "not valid UTF-8"},
      {"NulByte", edited({{"name: bad_input_base", std::string("name: bad\0input", 15)}}), 3, "",
       "YAML syntax error"},
      {"DeeplyNestedFlowLists",
       "name: x\nsimulation: " + repeated("[", 100000) + repeated("]", 100000) + "\n", 2, "",
       "nests too deeply"},
      {"DeeplyNestedBlockMappings",
       [] {
         std::string text;
         for (int depth = 0; depth < 3000; ++depth)
           text += std::string(static_cast<std::size_t>(depth), ' ') + "a:\n";
         return text;
       }(),
       -1, "", "nests too deeply"},
      {"NestingPastTheFormatsDepth",
       "name: x\nsimulation: " + repeated("{a: ", 100) + "1" + repeated("}", 100) + "\n", 2, "",
       "nests deeper than 64 levels"},
      {"AliasBomb",  // nine levels of nine aliases: 387 million values from 400 bytes
       [] {
         std::string text = "name: x\nl0: &l0 [1, 1, 1, 1, 1, 1, 1, 1, 1]\n";
         for (int level = 1; level <= 9; ++level) {
           const std::string previous = "*l" + std::to_string(level - 1);
           text += "l" + std::to_string(level) + ": &l" + std::to_string(level) + " [" + previous;
           for (int k = 1; k < 9; ++k) text += ", " + previous;
           text += "]\n";
         }
         return text;
       }(),
       -1, "", "expands, through aliases (*name), to more than"},
  };
}

class BadScenarioTable : public ::testing::TestWithParam<BadScenario> {};

fs::path scratch_dir() {
  const fs::path dir = fs::temp_directory_path() / ("continuum_bad_input_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir;
}

std::string escaped(const std::string& text) {
  return std::regex_replace(text, std::regex(R"([.^$|()\[\]{}*+?\\])"), R"(\$&)");
}

/// The one-line error of `continuum ARGUMENTS`, after checking exit code 2 and a single line.
std::string error_line(const std::string& arguments) {
  const auto outcome = run_continuum(arguments, true);
  EXPECT_EQ(outcome.exit_code, 2) << "expected exit code 2 (bad input); a negative or >128 code is a signal\n"
                                  << outcome.output;
  EXPECT_TRUE(!outcome.output.empty() && outcome.output.find('\n') == outcome.output.size() - 1)
      << "expected exactly one line:\n"
      << outcome.output;
  return outcome.output;
}

TEST_P(BadScenarioTable, ExitsWithCode2AndNamesThePlace) {
  const BadScenario& bad = GetParam();
  const fs::path file = scratch_dir() / (bad.name + ".yaml");
  std::ofstream(file, std::ios::binary) << bad.text;
  const std::string error = error_line("run '" + file.string() + "' -q");
  // FILE:LINE:COL: FIELD: message
  const std::string line = bad.line > 0 ? std::to_string(bad.line) : "[0-9]+";
  const std::string field = bad.field.empty() ? "" : escaped(bad.field) + ": ";
  EXPECT_TRUE(std::regex_search(
      error, std::regex("^" + escaped(file.string()) + ":" + line + ":[1-9][0-9]*: " + field)))
      << "expected " << file.string() << ":" << line << ":COL: " << bad.field << ": ...; got\n"
      << error;
  EXPECT_THAT(error, HasSubstr(bad.message));
  fs::remove(file);
}

INSTANTIATE_TEST_SUITE_P(BadInput, BadScenarioTable, ::testing::ValuesIn(bad_scenarios()),
                         [](const ::testing::TestParamInfo<BadScenario>& param) { return param.param.name; });

TEST(BadInput, AFileOf100MegabytesIsRefusedBeforeParsing) {
  const fs::path file = scratch_dir() / "huge.yaml";
  {
    std::ofstream out(file, std::ios::binary);
    out << "name: huge\n";
    const std::string comment = "# " + std::string(1021, 'x') + "\n";  // 1 KiB lines
    for (int k = 0; k < 100 * 1024; ++k) out << comment;
  }
  const std::string error = error_line("run '" + file.string() + "' -q");
  EXPECT_THAT(error,
              HasSubstr(file.string() + ": the scenario file is 104857611 bytes, more than the 16 MiB"));
  fs::remove(file);
}

TEST(BadInput, ADirectoryOrADeviceIsNotReadAsAScenario) {
  EXPECT_THAT(error_line("run '" + data_dir.string() + "' -q"), HasSubstr("it is a directory"));
  EXPECT_THAT(error_line("run /dev/zero -q"),
              HasSubstr("/dev/zero: cannot read the scenario file: it is not a regular file"));
}

TEST(BadInput, AnOverrideNamingAMissingSourceNamesTheOverride) {
  const std::string error = error_line("run '" + (data_dir / "base.yaml").string() +
                                       "' -q --set workload.trucks.arrivals.rate=1/s");
  EXPECT_THAT(error, HasSubstr("--set:1:1: workload.trucks.arrivals.rate: "));
  EXPECT_THAT(error, HasSubstr("no item named \"trucks\" (names: cameras"));
}

TEST(BadInput, ANanOverrideIsRefusedAtItsColumn) {
  const std::string error =
      error_line("run '" + (data_dir / "base.yaml").string() + "' -q --set simulation.horizon=.nan");
  EXPECT_THAT(error, HasSubstr("--set:1:20: simulation.horizon: expected a time"));
}

TEST(BadInput, ASweepOverAPathTheScenarioLacksNamesThePointAndThePath) {
  const fs::path out = scratch_dir() / "sweep.h5";
  const std::string error = error_line("sweep '" + (data_dir / "sweep_unknown_path.yaml").string() +
                                       "' --out '" + out.string() + "'");
  // At the parameter's key in the sweep file, naming the point, the policy and the path.
  EXPECT_THAT(error, HasSubstr("sweep_unknown_path.yaml:6:5: workload.cameras.arrivals.rate: point 0 "
                               "(workload.cameras.arrivals.rate=1/s), policy \"base\": cannot apply it"));
  EXPECT_FALSE(fs::exists(out));
}

TEST(BadInput, ASweepRangeWithAZeroStepIsRefusedAtTheRange) {
  const std::string error = error_line("sweep '" + (data_dir / "sweep_zero_step.yaml").string() +
                                       "' --out '" + (scratch_dir() / "sweep.h5").string() + "'");
  EXPECT_THAT(error, HasSubstr("sweep_zero_step.yaml:6:37: parameters.grid.workload.clients.arrivals.rate: "
                               "a range's step must be non-zero"));
}

TEST(BadInput, ASweepRangeOfTenBillionPointsIsRefusedAtItsCount) {
  const std::string error = error_line("sweep '" + (data_dir / "sweep_huge_count.yaml").string() +
                                       "' --out '" + (scratch_dir() / "sweep.h5").string() + "'");
  EXPECT_THAT(error,
              HasSubstr("sweep_huge_count.yaml:6:65: parameters.grid.workload.clients.arrivals.rate.count: "
                        "expected a whole number from 1 to 10000000"));
}

TEST(BadInput, ASweepWhoseScenarioIsMissingIsRefusedAtItsScenarioField) {
  const std::string error = error_line("sweep '" + (data_dir / "sweep_missing_scenario.yaml").string() +
                                       "' --out '" + (scratch_dir() / "sweep.h5").string() + "'");
  EXPECT_THAT(error, HasSubstr("sweep_missing_scenario.yaml:3:11: scenario: cannot open the scenario file"));
  EXPECT_THAT(error, HasSubstr("no_such_scenario.yaml"));
}

TEST(BadInput, ATruncatedSpace4aiFileGivesTheJsonSyntaxErrorsPosition) {
  const std::string error = error_line(
      "optimize --space4ai '" + (data_dir / "space4ai_truncated.json").string() + "' --policy random_greedy");
  EXPECT_TRUE(
      std::regex_search(error, std::regex("space4ai_truncated\\.json:[0-9]+:[0-9]+: JSON syntax error")))
      << error;
}

TEST(BadInput, ASpace4aiProbabilityAboveOneNamesItsJsonPath) {
  const std::string error =
      error_line("optimize --space4ai '" + (data_dir / "space4ai_probability.json").string() +
                 "' --policy random_greedy");
  EXPECT_THAT(error, HasSubstr("space4ai_probability.json: at /Components/c1/s1/h1/early_exit_probability: "
                               "expected a probability in [0, 1), got 1.5"));
}

TEST(BadInput, ASpace4aiNumberTooLargeForADoubleIsRefusedAtItsPosition) {
  // Fuzzing finding: nlohmann's out_of_range escaped the importer and aborted the program.
  const fs::path file = scratch_dir() / "overflow.json";
  std::ofstream(file) << "{\n  \"Lambda\": 1e400\n}\n";
  const std::string error = error_line("optimize --space4ai '" + file.string() + "' --policy random_greedy");
  EXPECT_THAT(error,
              HasSubstr(file.string() + ":2:13: JSON number out of range: number overflow parsing '1e400'"));
}

}  // namespace
