#include "sim/io/scenario_loader.hpp"

#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <variant>

#include "sim/io/scenario_reader.hpp"

namespace continuum::io {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::StartsWith;

namespace fs = std::filesystem;

fs::path data_dir() {
  return fs::path(CONTINUUM_SOURCE_DIR) / "tests" / "io" / "data";
}

// The smallest scenario with two components on two layers: the error tests edit one spot of it.
const std::string base = R"(name: t
device_types:
  pi: {layer: edge, memory: 4GB}
  vm: {layer: cloud, speed: 10GFLOPS}
devices:
  edge_node: {type: pi}
  cloud_vm: {type: vm, count: 2}
network:
  domains:
    wan: {layers: [edge, cloud], access_delay: 10ms, bandwidth: 100Mbps}
application:
  components:
    a:
      deployments:
        - name: d
          partitions:
            - {name: p, memory: 1GB, demand: {pi: 1s}}
    b:
      deployments:
        - name: d
          partitions:
            - {name: p, flop: 1GFLOP}
  edges:
    - {from: a, to: b}
placement:
  a: {partitions: {p: edge_node}}
  b: {partitions: {p: cloud_vm}}
workload:
  - {name: s, entry: a, arrivals: {process: poisson, rate: 1/s}}
)";

// `text` with the first occurrence of `from` replaced by `to` (which must exist: tests edit on purpose).
std::string edit(const std::string& text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  if (at == std::string::npos) throw std::logic_error("edit: \"" + from + "\" is not in the text");
  return text.substr(0, at) + to + text.substr(at + from.size());
}

// "LINE:COL" (1-based) of the `occurrence`-th (from 0) appearance of `marker` in `text`.
std::string position_of(const std::string& text, const std::string& marker, int occurrence = 0) {
  std::size_t at = text.find(marker);
  for (int i = 0; i < occurrence; ++i) at = text.find(marker, at + 1);
  if (at == std::string::npos) throw std::logic_error("position_of: \"" + marker + "\" is not in the text");
  const std::size_t line_start = text.rfind('\n', at) == std::string::npos ? 0 : text.rfind('\n', at) + 1;
  const auto line = std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n') + 1;
  return std::to_string(line) + ":" + std::to_string(at - line_start + 1);
}

LoadError error_of(const std::string& yaml, const std::vector<Override>& overrides = {}) {
  try {
    load_scenario_text(yaml, "t.yaml", overrides, data_dir());
  } catch (const LoadError& error) {
    return error;
  }
  ADD_FAILURE() << "the scenario loaded without error";
  return LoadError("", 0, 0, "", "no error");
}

std::string message_of(const std::string& yaml, const std::vector<Override>& overrides = {}) {
  return error_of(yaml, overrides).what();
}

std::string error_of_override(const std::string& text) {
  try {
    parse_override(text);
  } catch (const LoadError& error) {
    return error.what();
  }
  return "";
}

TEST(ScenarioLoader, LoadsTheBaseScenarioOfTheseTests) {
  const LoadedScenario loaded = load_scenario_text(base, "t.yaml");
  EXPECT_EQ(loaded.spec.name, "t");
  EXPECT_EQ(loaded.spec.layers, (std::vector<std::string>{"edge", "cloud"}));  // collected in order
  ASSERT_EQ(loaded.spec.devices.size(), 2u);
  EXPECT_EQ(loaded.spec.devices[1].count, 2);
}

// ---- the complete scenario --------------------------------------------------------------------

class SmallScenario : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    loaded_ = new LoadedScenario(load_scenario(data_dir() / "small_scenario.yaml"));
  }
  static void TearDownTestSuite() { delete loaded_; }
  static const ScenarioSpec& spec() { return loaded_->spec; }
  static LoadedScenario* loaded_;
};
LoadedScenario* SmallScenario::loaded_ = nullptr;

TEST_F(SmallScenario, ReadsTheSimulationSettingsInSiUnits) {
  const SimulationSpec& sim = spec().simulation;
  EXPECT_EQ(spec().name, "small_pipeline");
  EXPECT_EQ(spec().description, "camera frames blurred at the edge, masks detected in the cloud");
  EXPECT_DOUBLE_EQ(sim.horizon, 7200.0);
  EXPECT_DOUBLE_EQ(sim.warmup, 600.0);
  EXPECT_EQ(sim.seed, 42u);
  EXPECT_EQ(sim.replications, 3);
  EXPECT_EQ(sim.max_events, 100000000u);
  EXPECT_EQ(sim.max_requests, 1000000u);
  EXPECT_DOUBLE_EQ(sim.drain_limit, 1e6);
  EXPECT_EQ(spec().layers, (std::vector<std::string>{"edge", "cloud"}));
}

TEST_F(SmallScenario, ReadsEveryFieldOfADeviceType) {
  ASSERT_EQ(spec().device_types.size(), 2u);
  const DeviceTypeSpec& pi = spec().device_types[0];
  EXPECT_EQ(pi.name, "raspberry_pi4");
  EXPECT_EQ(pi.layer, "edge");
  EXPECT_EQ(pi.cores, 4);
  EXPECT_DOUBLE_EQ(pi.speed, 13.5e9);
  EXPECT_DOUBLE_EQ(pi.memory, 4e9);
  EXPECT_EQ(pi.buffer, 50u);
  EXPECT_EQ(pi.discipline, Discipline::ps);
  EXPECT_DOUBLE_EQ(pi.power.idle_w, 2.7);
  EXPECT_DOUBLE_EQ(pi.power.busy_w, 6.4);
  EXPECT_DOUBLE_EQ(pi.cost.per_second, 0.0);
  EXPECT_DOUBLE_EQ(pi.cost.purchase_price, 75.0);
  EXPECT_DOUBLE_EQ(pi.cost.lifetime, 3 * 365 * 86400.0);
  ASSERT_TRUE(pi.failures.has_value());
  EXPECT_DOUBLE_EQ(pi.failures->mttf, 3.6e6);
  EXPECT_DOUBLE_EQ(pi.failures->mttr, 3600.0);
  EXPECT_TRUE(pi.failures->retry);
  EXPECT_EQ(pi.failures->max_retries, 2);
  EXPECT_DOUBLE_EQ(pi.failures->retry_delay, 1.0);

  const DeviceTypeSpec& vm = spec().device_types[1];
  EXPECT_EQ(vm.name, "vm_large");
  EXPECT_EQ(vm.cores, 8);
  EXPECT_DOUBLE_EQ(vm.speed, 0.0);  // demands only
  EXPECT_DOUBLE_EQ(vm.memory, 32.0 * 1073741824.0);
  EXPECT_FALSE(vm.buffer.has_value());
  EXPECT_EQ(vm.discipline, Discipline::fcfs);
  EXPECT_DOUBLE_EQ(vm.cost.per_second, 0.75 / 3600.0);
  EXPECT_FALSE(vm.failures.has_value());
}

TEST_F(SmallScenario, ReadsDevicesAndTheNetwork) {
  ASSERT_EQ(spec().devices.size(), 2u);
  EXPECT_EQ(spec().devices[0].name, "pi");
  EXPECT_EQ(spec().devices[0].type, "raspberry_pi4");
  EXPECT_EQ(spec().devices[0].count, 4);
  EXPECT_EQ(spec().devices[0].dispatch, DispatchRule::round_robin);
  EXPECT_EQ(spec().devices[0].site, "camera_site");
  EXPECT_EQ(spec().devices[1].dispatch, DispatchRule::least_loaded);
  EXPECT_EQ(spec().devices[1].count, 1);

  ASSERT_EQ(spec().domains.size(), 1u);
  const NetworkDomainSpec& wifi = spec().domains[0];
  EXPECT_EQ(wifi.name, "wifi");
  EXPECT_EQ(wifi.layers, (std::vector<std::string>{"edge", "cloud"}));
  EXPECT_DOUBLE_EQ(wifi.access_delay, 0.010);
  EXPECT_DOUBLE_EQ(wifi.bandwidth, 150e6);
  EXPECT_DOUBLE_EQ(wifi.tx_power_w, 1.2);
  EXPECT_DOUBLE_EQ(wifi.rx_power_w, 0.8);
  EXPECT_DOUBLE_EQ(wifi.cost_per_byte, 0.09e-9);

  EXPECT_EQ(spec().topology.sites, (std::vector<std::string>{"camera_site", "core", "datacenter"}));
  ASSERT_EQ(spec().topology.links.size(), 2u);
  const LinkSpec& wan = spec().topology.links[1];
  EXPECT_EQ(wan.name, "wan");
  EXPECT_EQ(wan.a, "core");
  EXPECT_EQ(wan.b, "datacenter");
  EXPECT_DOUBLE_EQ(wan.latency, 0.020);
  EXPECT_DOUBLE_EQ(wan.bandwidth, 1e9);
  EXPECT_DOUBLE_EQ(wan.energy_per_bit, 5e-9);
}

TEST_F(SmallScenario, ReadsComponentsPartitionsAndTheirDistributions) {
  const auto& components = spec().application.components;
  ASSERT_EQ(components.size(), 3u);
  const ComponentSpec& blurry = components[0];
  EXPECT_EQ(blurry.name, "blurry_faces");
  EXPECT_EQ(blurry.local_constraint, 0.5);
  ASSERT_EQ(blurry.deployments.size(), 2u);
  const PartitionSpec& whole = blurry.deployments[0].partitions[0];
  EXPECT_DOUBLE_EQ(whole.memory, 1e9);
  EXPECT_DOUBLE_EQ(whole.output_bytes, 4.5e6);
  // A bare demand is an exponential law with that mean.
  const Distribution& bare = whole.demand.at("raspberry_pi4");
  EXPECT_TRUE(std::holds_alternative<Distribution::Exponential>(bare.law()));
  EXPECT_DOUBLE_EQ(bare.mean(), 0.3);
  const Distribution& lognormal = whole.demand.at("vm_large");
  EXPECT_TRUE(std::holds_alternative<Distribution::Lognormal>(lognormal.law()));
  EXPECT_DOUBLE_EQ(lognormal.mean(), 0.050);
  EXPECT_NEAR(lognormal.scv(), 0.5, 1e-12);

  const auto& split = blurry.deployments[1].partitions;
  ASSERT_EQ(split.size(), 2u);
  EXPECT_TRUE(split[0].demand.empty());
  ASSERT_TRUE(split[0].flop.has_value());
  EXPECT_DOUBLE_EQ(split[0].flop->mean(), 2.5e9);
  EXPECT_DOUBLE_EQ(split[0].early_exit, 0.25);
  const Distribution& erlang = split[1].demand.at("vm_large");
  ASSERT_TRUE(std::holds_alternative<Distribution::Erlang>(erlang.law()));
  EXPECT_EQ(std::get<Distribution::Erlang>(erlang.law()).phases, 3);
  EXPECT_NEAR(erlang.scv(), 1.0 / 3.0, 1e-12);

  EXPECT_EQ(components[1].deployments[0].partitions[0].demand.at("vm_large").mean(), 0.020);
  EXPECT_FALSE(components[1].local_constraint.has_value());
  // Empirical samples from samples.csv, with and without units.
  const Distribution& samples = components[2].deployments[0].partitions[0].demand.at("vm_large");
  ASSERT_TRUE(std::holds_alternative<Distribution::Empirical>(samples.law()));
  EXPECT_EQ(std::get<Distribution::Empirical>(samples.law()).values,
            (std::vector<double>{0.010, 0.020, 0.03}));
}

TEST_F(SmallScenario, ReadsEdgesPathConstraintsAndPlacement) {
  const auto& edges = spec().application.edges;
  ASSERT_EQ(edges.size(), 2u);
  EXPECT_EQ(edges[0].from, "blurry_faces");
  EXPECT_EQ(edges[0].to, "mask_detector");
  EXPECT_DOUBLE_EQ(edges[0].probability, 0.8);
  EXPECT_DOUBLE_EQ(edges[0].data_bytes, 1e6);
  const auto& paths = spec().application.path_constraints;
  ASSERT_EQ(paths.size(), 1u);
  EXPECT_EQ(paths[0].name, "end_to_end");
  EXPECT_EQ(paths[0].components, (std::vector<std::string>{"blurry_faces", "mask_detector"}));
  EXPECT_DOUBLE_EQ(paths[0].limit, 1.0);

  const ComponentPlacement& blurry = spec().placement.at("blurry_faces");
  EXPECT_EQ(blurry.deployment, "split");
  EXPECT_EQ(blurry.partitions.at("head").name, "pi");
  EXPECT_EQ(blurry.partitions.at("head").kind, PlacementTarget::Kind::device);
  EXPECT_EQ(blurry.partitions.at("tail").name, "vm");
  // A component with a single deployment may leave `deployment` out.
  EXPECT_EQ(spec().placement.at("archive").deployment, "whole");
}

TEST_F(SmallScenario, ReadsEveryArrivalProcess) {
  const auto& sources = spec().sources;
  ASSERT_EQ(sources.size(), 5u);
  EXPECT_EQ(sources[0].name, "cameras");
  EXPECT_EQ(sources[0].entry, "blurry_faces");
  EXPECT_EQ(sources[0].arrivals.process, ArrivalSpec::Process::poisson);
  EXPECT_DOUBLE_EQ(sources[0].arrivals.rate, 0.5);

  const ArrivalSpec& mmpp = sources[1].arrivals;
  EXPECT_EQ(mmpp.process, ArrivalSpec::Process::mmpp);
  EXPECT_DOUBLE_EQ(mmpp.rates[0], 1.0);
  EXPECT_DOUBLE_EQ(mmpp.rates[1], 10.0);
  EXPECT_DOUBLE_EQ(mmpp.switch_rates[0], 1.0 / 3600.0);
  EXPECT_DOUBLE_EQ(mmpp.switch_rates[1], 6.0 / 3600.0);

  const ArrivalSpec& daily = sources[2].arrivals;
  EXPECT_EQ(daily.process, ArrivalSpec::Process::piecewise);
  EXPECT_EQ(daily.starts, (std::vector<SimTime>{0.0, 21600.0}));
  EXPECT_EQ(daily.profile_rates, (std::vector<double>{1.0, 5.0}));
  EXPECT_DOUBLE_EQ(daily.period, 86400.0);

  // arrivals.csv: a comment, a header (column chosen by name), equal timestamps, units.
  const ArrivalSpec& replay = sources[3].arrivals;
  EXPECT_EQ(replay.process, ArrivalSpec::Process::trace);
  EXPECT_EQ(replay.timestamps, (std::vector<SimTime>{0.5, 1.25, 1.25, 3.0, 4.5}));

  const ArrivalSpec& steady = sources[4].arrivals;
  EXPECT_EQ(steady.process, ArrivalSpec::Process::renewal);
  ASSERT_TRUE(steady.gaps.has_value());
  ASSERT_TRUE(std::holds_alternative<Distribution::Gamma>(steady.gaps->law()));
  EXPECT_DOUBLE_EQ(steady.gaps->mean(), 2.0);
  EXPECT_NEAR(steady.gaps->scv(), 0.25, 1e-12);
}

TEST_F(SmallScenario, KeepsTheFileNameTheHashOfItsBytesAndTheYamlText) {
  std::ifstream in(data_dir() / "small_scenario.yaml", std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  EXPECT_EQ(loaded_->hash, fnv1a64_hex(bytes.str()));
  EXPECT_EQ(loaded_->file, (data_dir() / "small_scenario.yaml").string());
  // The emitted text is itself a scenario that loads into the same values.
  const LoadedScenario again = load_scenario_text(loaded_->text, "again.yaml", {}, data_dir());
  EXPECT_EQ(again.spec.sources[3].arrivals.timestamps, spec().sources[3].arrivals.timestamps);
  EXPECT_EQ(again.spec.device_types[0].cost.lifetime, spec().device_types[0].cost.lifetime);
}

TEST(Fnv1a64, MatchesThePublishedTestVectors) {
  // From the FNV reference (isthe.com/chongo/tech/comp/fnv): "", "a", "foobar".
  EXPECT_EQ(fnv1a64_hex(""), "cbf29ce484222325");
  EXPECT_EQ(fnv1a64_hex("a"), "af63dc4c8601ec8c");
  EXPECT_EQ(fnv1a64_hex("foobar"), "85944171f73967e8");
}

// ---- file-level errors ------------------------------------------------------------------------

TEST(ScenarioErrors, AYamlSyntaxErrorGivesTheParsersPosition) {
  const std::string yaml = edit(base, "pi: {layer: edge, memory: 4GB}", "pi: {layer: edge, memory: 4GB");
  const LoadError error = error_of(yaml);
  EXPECT_EQ(error.file, "t.yaml");
  EXPECT_EQ(error.line, 4);  // yaml-cpp notices the unclosed flow mapping on the next line
  EXPECT_THAT(error.what(), AllOf(StartsWith("t.yaml:4:"), HasSubstr("YAML syntax error")));
}

TEST(ScenarioErrors, ADuplicateKeyIsReportedAtItsSecondOccurrence) {
  const std::string yaml = edit(base, "  cloud_vm: {type: vm, count: 2}\n",
                                "  cloud_vm: {type: vm, count: 2}\n  edge_node: {type: vm}\n");
  EXPECT_EQ(message_of(yaml),
            "t.yaml:" + position_of(yaml, "edge_node", 1) +
                ": devices.edge_node: duplicate key \"edge_node\" (first at line 6, column 3); YAML "
                "would silently keep only one, so each key may appear once");
}

TEST(ScenarioErrors, ADuplicateKeyInsideAFlowMappingIsFoundToo) {
  const std::string yaml = edit(base, "{type: vm, count: 2}", "{type: vm, count: 2, count: 3}");
  EXPECT_THAT(message_of(yaml), StartsWith("t.yaml:" + position_of(yaml, "count", 1) +
                                           ": devices.cloud_vm.count: duplicate key"));
}

TEST(ScenarioErrors, BytesThatAreNotUtf8AreReportedWhereTheyStart) {
  const std::string yaml = edit(base, "name: t", "name: t\ndescription: caf\xe9 au lait");
  EXPECT_EQ(message_of(yaml),
            "t.yaml:2:17: the file is not valid UTF-8 here; scenario files must be UTF-8 text");
  // Real UTF-8 is fine.
  EXPECT_NO_THROW(load_scenario_text(edit(base, "name: t", "name: t\ndescription: caf\xc3\xa9"), "t.yaml"));
}

TEST(ScenarioErrors, AnEmptyFileOrOneWithOnlyCommentsIsAnError) {
  EXPECT_THAT(message_of(""), StartsWith("t.yaml:1:1: the file is empty; a scenario needs at least name"));
  EXPECT_THAT(message_of("# nothing yet\n\n"), StartsWith("t.yaml:1:1: the file is empty"));
}

TEST(ScenarioErrors, TheTopLevelMustBeAMappingInOneDocument) {
  EXPECT_EQ(message_of("- a\n- b\n"),
            "t.yaml:1:1: expected a mapping of scenario fields at the top level, got a list");
  EXPECT_THAT(message_of(base + "---\nname: second\n"),
              AllOf(StartsWith("t.yaml:31:1: "), HasSubstr("holds more than one YAML document")));
  // yaml-cpp's LoadAll makes empty documents at a stray comma until memory runs out (fuzzing).
  EXPECT_THAT(message_of("[a],"),
              AllOf(StartsWith("t.yaml:1:4: "), HasSubstr("more than one YAML document")));
}

TEST(ScenarioErrors, AMissingFileNamesItAndTheSystemReason) {
  try {
    load_scenario(data_dir() / "no_such_file.yaml");
    FAIL() << "expected a LoadError";
  } catch (const LoadError& error) {
    EXPECT_EQ(error.line, 0);
    EXPECT_EQ(std::string(error.what()), (data_dir() / "no_such_file.yaml").string() +
                                             ": cannot open the scenario file: No such file or directory");
  }
}

// ---- unknown, missing and mistyped fields -----------------------------------------------------

TEST(ScenarioErrors, AnUnknownFieldSuggestsTheClosestKnownOneAndListsThemAll) {
  const std::string yaml = edit(base, "{layer: edge, memory: 4GB}", "{layer: edge, memory: 4GB, corez: 4}");
  const LoadError error = error_of(yaml);
  EXPECT_EQ(error.field, "device_types.pi.corez");
  EXPECT_EQ(std::string(error.what()),
            "t.yaml:" + position_of(yaml, "corez") +
                ": device_types.pi.corez: unknown field \"corez\"; did you mean \"cores\"? known fields of a "
                "device "
                "type: layer, cores, speed, memory, buffer, discipline, power, cost, failures");
}

TEST(ScenarioErrors, AnUnknownTopLevelFieldIsCaughtWithATranspositionHint) {
  const std::string yaml = edit(base, "workload:", "worklaod:");
  EXPECT_THAT(message_of(yaml), AllOf(StartsWith("t.yaml:28:1: worklaod: unknown field \"worklaod\""),
                                      HasSubstr("did you mean \"workload\"?")));
}

TEST(ScenarioErrors, AnUnknownFieldFarFromAnyKnownOneGetsNoHint) {
  const std::string yaml = edit(base, "{from: a, to: b}", "{from: a, to: b, colour: red}");
  EXPECT_EQ(message_of(yaml),
            "t.yaml:" + position_of(yaml, "colour") +
                ": application.edges[0].colour: unknown field \"colour\"; known fields of an edge: "
                "from, to, probability, data");
}

TEST(ScenarioErrors, AMissingRequiredFieldIsReportedAtItsMapping) {
  const std::string yaml = edit(base, "{layer: edge, memory: 4GB}", "{memory: 4GB}");
  EXPECT_EQ(message_of(yaml), "t.yaml:" + position_of(yaml, "{memory") +
                                  ": device_types.pi.layer: missing required field \"layer\" (expected the "
                                  "computational layer, e.g. edge or cloud)");
  EXPECT_THAT(message_of(edit(base, "name: t\n", "")),
              StartsWith("t.yaml:1:1: name: missing required field \"name\""));
}

TEST(ScenarioErrors, AValueOfTheWrongTypeSaysWhatWasExpected) {
  const std::string yaml = edit(base, "{type: vm, count: 2}", "{type: vm, count: [2]}");
  EXPECT_EQ(message_of(yaml), "t.yaml:" + position_of(yaml, "[2]") +
                                  ": devices.cloud_vm.count: expected a whole number >= 1, got a list");
  const std::string list =
      edit(base, "  edge_node: {type: pi}\n  cloud_vm: {type: vm, count: 2}\n", "  - {type: pi}\n");
  EXPECT_THAT(message_of(list),
              AllOf(StartsWith("t.yaml:6:3: devices: expected a mapping"), HasSubstr("got a list")));
  EXPECT_THAT(message_of(edit(base, "count: 2", "count: two")),
              HasSubstr("devices.cloud_vm.count: expected a whole number >= 1; got \"two\""));
  EXPECT_THAT(message_of(edit(base, "count: 2", "count: 2.5")), HasSubstr("got \"2.5\""));
}

TEST(ScenarioErrors, AUnitThatDoesNotFitTheFieldNamesFieldDimensionAndExample) {
  const std::string yaml = edit(base, "bandwidth: 100Mbps", "bandwidth: 10ms");
  const LoadError error = error_of(yaml);
  EXPECT_EQ(error.line, 10);
  EXPECT_EQ(error.column,
            static_cast<int>(
                std::string("    wan: {layers: [edge, cloud], access_delay: 10ms, bandwidth: ").size()) +
                1);
  EXPECT_EQ(error.field, "network.domains.wan.bandwidth");
  EXPECT_THAT(error.what(),
              HasSubstr(": network.domains.wan.bandwidth: expected a bandwidth such as 150Mbps, 1Gbps or "
                        "12.5MB/s (bare number: bit/s); got \"10ms\", which is a time"));
}

TEST(ScenarioErrors, NanInfinityAndNegativeValuesAreRefusedWhereNotAllowed) {
  EXPECT_THAT(message_of(edit(base, "access_delay: 10ms", "access_delay: .nan")),
              HasSubstr("network.domains.wan.access_delay: expected a time such as"));
  EXPECT_THAT(message_of(edit(base, "access_delay: 10ms", "access_delay: infs")),
              HasSubstr("not a finite number"));
  EXPECT_THAT(message_of(edit(base, "access_delay: 10ms", "access_delay: -10ms")),
              HasSubstr("network.domains.wan.access_delay: must be >= 0; got \"-10ms\""));
}

TEST(ScenarioErrors, AMergeKeyIsRefusedButAnAliasWorks) {
  const std::string aliased =
      edit(edit(base, "pi: {layer: edge, memory: 4GB}", "pi: &pi {layer: edge, memory: 4GB}"),
           "  vm: {layer: cloud, speed: 10GFLOPS}", "  vm: {layer: cloud, speed: 10GFLOPS}\n  pi2: *pi");
  EXPECT_EQ(load_scenario_text(aliased, "t.yaml").spec.device_types[2].memory, 4e9);
  const std::string merged = edit(aliased, "pi2: *pi", "pi2: {<<: *pi, cores: 2}");
  EXPECT_EQ(message_of(merged),
            "t.yaml:" + position_of(merged, "<<") +
                ": device_types.pi2.<<: YAML merge keys (<<) are not supported (yaml-cpp does not "
                "expand them): write the fields out, or alias the whole mapping with *name");
}

TEST(ScenarioErrors, AnInvalidNameExplainsTheAllowedCharacters) {
  const std::string yaml = edit(base, "  edge_node: {type: pi}", "  edge.node: {type: pi}");
  EXPECT_THAT(message_of(yaml),
              AllOf(StartsWith("t.yaml:6:3: devices.edge.node: \"edge.node\" is not a valid device "
                               "name: use letters, digits, '_' and '-'")));
}

// ---- dangling references ----------------------------------------------------------------------

TEST(ScenarioErrors, AnUnknownDeviceTypeListsTheKnownOnes) {
  const std::string yaml = edit(base, "{type: vm, count: 2}", "{type: wm, count: 2}");
  EXPECT_EQ(message_of(yaml),
            "t.yaml:" + position_of(yaml, "wm") +
                ": devices.cloud_vm.type: unknown device type \"wm\"; did you mean \"vm\"? known "
                "device types: pi, vm");
}

TEST(ScenarioErrors, AnUnknownLayerListsTheKnownOnes) {
  const std::string declared = edit(base, "device_types:", "layers: [edge, cloud]\ndevice_types:");
  const std::string yaml = edit(declared, "{layer: cloud,", "{layer: clowd,");
  EXPECT_EQ(message_of(yaml),
            "t.yaml:" + position_of(yaml, "clowd") +
                ": device_types.vm.layer: unknown layer \"clowd\"; did you mean \"cloud\"? known "
                "layers: edge, cloud");
  // Without `layers:`, a domain may only use the layers of the device types.
  EXPECT_THAT(
      message_of(edit(base, "[edge, cloud], access", "[edge, fog], access")),
      HasSubstr("network.domains.wan.layers[1]: unknown layer \"fog\"; known layers: edge, cloud (collected "
                "from device_types; declare `layers:` to add others)"));
}

TEST(ScenarioErrors, AnUnknownComponentInAnEdgeListsTheComponents) {
  const std::string yaml = edit(base, "{from: a, to: b}", "{from: a, to: c}");
  EXPECT_EQ(message_of(yaml),
            "t.yaml:" + position_of(yaml, "c}") +
                ": application.edges[0].to: unknown component \"c\"; known components: a, b");
}

TEST(ScenarioErrors, AnUnknownDeviceTypeInADemandIsReportedAtItsKey) {
  const std::string yaml = edit(base, "demand: {pi: 1s}", "demand: {py: 1s}");
  EXPECT_EQ(message_of(yaml),
            "t.yaml:" + position_of(yaml, "py") +
                ": application.components.a.deployments[0].partitions[0].demand.py: unknown device "
                "type \"py\"; did you mean \"pi\"? known device types: pi, vm");
}

TEST(ScenarioErrors, PlacementReferencesMustExist) {
  EXPECT_THAT(
      message_of(edit(base, "a: {partitions: {p: edge_node}}", "a: {partitions: {p: edge_nod}}")),
      HasSubstr("placement.a.partitions.p: unknown device \"edge_nod\"; did you mean \"edge_node\"? known "
                "devices: edge_node, cloud_vm"));
  EXPECT_THAT(message_of(edit(base, "a: {partitions: {p: edge_node}}",
                              "a: {deployment: e, partitions: {p: edge_node}}")),
              HasSubstr("placement.a.deployment: unknown deployment \"e\"; known deployments: d"));
  EXPECT_THAT(
      message_of(edit(base, "a: {partitions: {p: edge_node}}", "a: {partitions: {q: edge_node}}")),
      HasSubstr("placement.a.partitions.q: unknown partition \"q\"; partitions of deployment \"d\": p"));
  EXPECT_THAT(
      message_of(edit(base, "  b: {partitions: {p: cloud_vm}}", "  b: {partitions: {p: cloud_vm}}\n  z: {}")),
      HasSubstr("placement.z: unknown component \"z\"; known components: a, b"));
}

TEST(ScenarioErrors, AnUnknownEntryComponentOrSiteIsReported) {
  EXPECT_THAT(
      message_of(edit(base, "entry: a", "entry: A")),
      HasSubstr("workload[0].entry: unknown component \"A\"; did you mean \"a\"? known components: a, b"));
  const std::string sited = edit(base, "network:\n", "network:\n  topology: {sites: [home, dc]}\n");
  EXPECT_THAT(
      message_of(edit(sited, "{type: pi}", "{type: pi, site: hone}")),
      HasSubstr(
          "devices.edge_node.site: unknown site \"hone\"; did you mean \"home\"? known sites: home, dc"));
  EXPECT_THAT(message_of(edit(base, "{type: pi}", "{type: pi, site: home}")),
              HasSubstr("site \"home\" given but the scenario has no topology"));
}

// ---- the component graph ----------------------------------------------------------------------

TEST(ScenarioErrors, ACycleInTheComponentGraphIsNamed) {
  const std::string yaml =
      edit(base, "    - {from: a, to: b}\n", "    - {from: a, to: b}\n    - {from: b, to: a}\n");
  EXPECT_EQ(message_of(yaml), "t.yaml:" + position_of(yaml, "{from: b") +
                                  ": application.edges[1]: the component graph has a cycle: a -> b -> a; the "
                                  "application must be a DAG");
  const std::string self = edit(base, "{from: a, to: b}", "{from: b, to: b}");
  EXPECT_THAT(message_of(self), HasSubstr("application.edges[0]: the component graph has a cycle: b -> b;"));
}

TEST(ScenarioErrors, ALongerCycleIsListedInOrder) {
  const std::string three =
      edit(base, "  edges:\n", "  edges:\n    - {from: b, to: c}\n    - {from: c, to: a}\n");
  const std::string yaml =
      edit(three, "  edges:\n",
           "    c:\n      deployments: [{name: d, partitions: [{name: p, demand: {vm: 1s}}]}]\n"
           "  edges:\n");
  EXPECT_THAT(message_of(yaml), HasSubstr("the component graph has a cycle: a -> b -> c -> a;"));
}

TEST(ScenarioErrors, BranchProbabilitiesMustSumToOne) {
  const std::string yaml =
      edit(base, "    - {from: a, to: b}\n",
           "    - {from: a, to: b, probability: 0.5}\n    - {from: a, to: c, probability: 0.4}\n");
  const std::string with_c =
      edit(edit(yaml, "  edges:\n",
                "    c:\n      deployments: [{name: d, partitions: [{name: p, demand: {vm: 1s}}]}]\n"
                "  edges:\n"),
           "placement:\n", "placement:\n  c: {partitions: {p: cloud_vm}}\n");
  EXPECT_EQ(message_of(with_c),
            "t.yaml:" + position_of(with_c, "{from: a") +
                ": application.edges[0]: the branch probabilities out of component \"a\" sum to "
                "0.9 (b 0.5, c 0.4); they must sum to 1");
  // Within 1e-9 is fine.
  const std::string thirds = edit(edit(with_c, "probability: 0.5", "probability: 0.3333333333"),
                                  "probability: 0.4", "probability: 0.6666666667");
  EXPECT_NO_THROW(load_scenario_text(thirds, "t.yaml"));
}

TEST(ScenarioErrors, AProbabilityOutsideZeroOneIsRefused) {
  EXPECT_THAT(message_of(edit(base, "{from: a, to: b}", "{from: a, to: b, probability: 1.5}")),
              HasSubstr("application.edges[0].probability: a probability must lie in [0, 1]; got \"1.5\""));
  EXPECT_THAT(message_of(edit(base, "{name: p, memory: 1GB,", "{name: p, early_exit: -0.1, memory: 1GB,")),
              HasSubstr("partitions[0].early_exit: a probability must lie in [0, 1]; got \"-0.1\""));
}

TEST(ScenarioErrors, APathConstraintMustFollowEdges) {
  const std::string yaml =
      edit(base, "placement:", "  path_constraints:\n    - {name: e2e, path: [b, a], limit: 1s}\nplacement:");
  EXPECT_EQ(message_of(yaml),
            "t.yaml:" + position_of(yaml, "a], limit") +
                ": application.path_constraints[0].path[1]: no edge from \"b\" to \"a\"; "
                "consecutive components of a path must be joined by an edge (edges out of \"b\" go "
                "to: none)");
  EXPECT_NO_THROW(load_scenario_text(edit(yaml, "[b, a]", "[a, b]"), "t.yaml"));
}

// ---- values out of range ----------------------------------------------------------------------

TEST(ScenarioErrors, RatesAndBandwidthsMustBePositive) {
  EXPECT_THAT(message_of(edit(base, "rate: 1/s", "rate: 0/s")),
              HasSubstr("workload[0].arrivals.rate: must be > 0; got \"0/s\""));
  EXPECT_THAT(message_of(edit(base, "bandwidth: 100Mbps", "bandwidth: -1Mbps")),
              HasSubstr("network.domains.wan.bandwidth: must be > 0; got \"-1Mbps\""));
}

TEST(ScenarioErrors, CoresAndCountMustBeAtLeastOne) {
  EXPECT_THAT(message_of(edit(base, "{layer: edge,", "{layer: edge, cores: 0,")),
              HasSubstr("device_types.pi.cores: expected a whole number >= 1; got \"0\""));
  EXPECT_THAT(message_of(edit(base, "count: 2", "count: 0")),
              HasSubstr("devices.cloud_vm.count: expected a whole number >= 1; got \"0\""));
}

TEST(ScenarioErrors, TheWarmupMustEndBeforeTheHorizon) {
  EXPECT_THAT(message_of(edit(base, "name: t\n", "name: t\nsimulation: {horizon: 1h, warmup: 2h}\n")),
              HasSubstr("simulation.warmup: the warm-up must end before the horizon (3600 s)"));
}

TEST(ScenarioErrors, DistributionParametersAreCheckedByTheirFactories) {
  const std::string yaml =
      edit(base, "demand: {pi: 1s}", "demand: {pi: {dist: hyperexponential, mean: 1s, scv: 0.5}}");
  EXPECT_EQ(message_of(yaml), "t.yaml:" + position_of(yaml, "{dist") +
                                  ": application.components.a.deployments[0].partitions[0].demand.pi: "
                                  "hyperexponential: scv must be >= 1");
  EXPECT_THAT(
      message_of(edit(base, "demand: {pi: 1s}", "demand: {pi: {dist: normal, mean: 1s}}")),
      HasSubstr("demand.pi.dist: unknown dist \"normal\"; known: exponential, deterministic, erlang"));
  EXPECT_THAT(message_of(edit(base, "demand: {pi: 1s}", "demand: {pi: {dist: erlang, mean: 1s}}")),
              HasSubstr("demand.pi.k: missing required field \"k\""));
  EXPECT_THAT(message_of(edit(base, "demand: {pi: 1s}", "demand: {pi: {dist: uniform, low: 2s, high: 1s}}")),
              HasSubstr("demand.pi.high: high must be >= low"));
}

TEST(ScenarioErrors, AFieldOfAnotherVariantSaysWhereItBelongs) {
  EXPECT_THAT(
      message_of(edit(base, "{process: poisson, rate: 1/s}", "{process: poisson, gaps: 1s}")),
      HasSubstr("workload[0].arrivals.gaps: field \"gaps\" does not apply to process poisson (it belongs to "
                "renewal); fields of poisson arrivals: process, rate"));
  EXPECT_THAT(
      message_of(edit(base, "demand: {pi: 1s}", "demand: {pi: {dist: exponential, mean: 1s, scv: 2}}")),
      HasSubstr("demand.pi.scv: field \"scv\" does not apply to dist exponential (it belongs to "
                "hyperexponential)"));
}

// ---- placement checks -------------------------------------------------------------------------

TEST(ScenarioErrors, APlacedPartitionNeedsADemandOrAFlopWithASpeed) {
  const std::string yaml = edit(base, "b: {partitions: {p: cloud_vm}}", "b: {partitions: {p: edge_node}}");
  EXPECT_EQ(message_of(yaml),
            "t.yaml:" + position_of(yaml, "edge_node}}", 1) +
                ": placement.b.partitions.p: partition \"b.p\" cannot run on device \"edge_node\" "
                "(type \"pi\"): it has no demand.pi (demands are given for: none) and device type "
                "\"pi\" has no speed to run its flop");
  EXPECT_THAT(message_of(edit(base, "{name: p, flop: 1GFLOP}", "{name: p}")),
              HasSubstr("it has no demand.vm (demands are given for: none) and no flop"));
}

TEST(ScenarioErrors, EveryComponentAndPartitionMustBePlaced) {
  const std::string yaml = edit(base, "  b: {partitions: {p: cloud_vm}}\n", "");
  EXPECT_EQ(message_of(yaml),
            "t.yaml:" + position_of(yaml, "a: {partitions") +
                ": placement.b: component \"b\" is not placed; give it {deployment, partitions: "
                "{partition: device}}");
  const std::string two =
      edit(base, "            - {name: p, flop: 1GFLOP}",
           "            - {name: p, flop: 1GFLOP}\n            - {name: q, flop: 1GFLOP}");
  EXPECT_THAT(message_of(two),
              HasSubstr("placement.b.partitions.q: partition \"q\" of deployment \"d\" is not placed"));
}

TEST(ScenarioErrors, ThePartitionsOnADeviceMustFitItsMemory) {
  const std::string yaml =
      edit(edit(base, "{name: p, memory: 1GB, demand: {pi: 1s}}",
                "{name: p, memory: 1GB, demand: {pi: 1s}}\n            - {name: q, memory: 3.5GB, "
                "demand: {pi: 1s}}"),
           "a: {partitions: {p: edge_node}}", "a: {partitions: {p: edge_node, q: edge_node}}");
  EXPECT_EQ(message_of(yaml),
            "t.yaml:" + position_of(yaml, "edge_node}}") +
                ": placement.a.partitions.q: the partitions placed on device \"edge_node\" need "
                "4.5GB of memory (a.p 1GB, a.q 3.5GB) but its type \"pi\" has 4GB");
}

TEST(ScenarioErrors, FaasTargetsMustNameADeclaredFunction) {
  EXPECT_THAT(message_of(edit(base, "{p: cloud_vm}", "{p: {faas: fn}}")),
              HasSubstr("placement.b.partitions.p.faas: unknown FaaS function \"fn\""));
}

TEST(ScenarioErrors, DevicesThatExchangeDataNeedANetworkPath) {
  const std::string yaml = edit(base, "[edge, cloud], access", "[edge], access");
  EXPECT_EQ(message_of(yaml),
            "t.yaml:" + position_of(yaml, "{from: a") +
                ": application.edges[0]: requests cannot move from \"a\" to \"b\": no network domain "
                "contains both layer \"edge\" (device \"edge_node\") and layer \"cloud\" (device "
                "\"cloud_vm\"); domains: wan [edge]");
  const std::string sites =
      edit(edit(edit(base, "network:\n", "network:\n  topology: {sites: [home, dc], links: []}\n"),
                "{type: pi}", "{type: pi, site: home}"),
           "{type: vm, count: 2}", "{type: vm, count: 2, site: dc}");
  const std::string linked =
      edit(sites, "links: []", "links: [{name: l, between: [home, hq], bandwidth: 1Gbps}]");
  EXPECT_THAT(message_of(linked), HasSubstr("unknown site \"hq\"; known sites: home, dc"));
  const std::string cut = edit(edit(sites, "[home, dc]", "[home, dc, hq]"), "links: []",
                               "links: [{name: l, between: [home, hq], bandwidth: 1Gbps}]");
  EXPECT_THAT(message_of(cut),
              HasSubstr("no chain of links joins site \"home\" (device \"edge_node\") to site \"dc\""));
}

// ---- CSV inputs ---------------------------------------------------------------------------------

TEST(ScenarioErrors, AMissingCsvFileIsReportedAtItsYamlField) {
  const std::string yaml = edit(base, "{process: poisson, rate: 1/s}", "{process: trace, file: missing.csv}");
  EXPECT_THAT(message_of(yaml), AllOf(StartsWith("t.yaml:" + position_of(yaml, "missing.csv") +
                                                 ": workload[0].arrivals.file: cannot read"),
                                      HasSubstr("No such file or directory")));
}

TEST(ScenarioErrors, ABadCsvValueIsReportedAtItsLineAndColumnInTheCsv) {
  // Per process: ctest may run the test programs of several build trees at once.
  const fs::path dir = fs::temp_directory_path() / ("continuum_loader_test_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "trace.csv") << "t\n1.0\n0.5\n";
  std::ofstream(dir / "bad.csv") << "1,2\n3,x\n";
  const std::string decreasing =
      edit(base, "{process: poisson, rate: 1/s}", "{process: trace, file: trace.csv}");
  try {
    load_scenario_text(decreasing, "t.yaml", {}, dir);
    FAIL() << "expected a LoadError";
  } catch (const LoadError& error) {
    EXPECT_EQ(std::string(error.what()),
              (dir / "trace.csv").string() +
                  ":3:1: workload[0].arrivals.file: timestamps must not decrease; \"0.5\" "
                  "follows \"1.0\"");
  }
  const std::string bad =
      edit(base, "{process: poisson, rate: 1/s}", "{process: trace, file: bad.csv, column: 1}");
  try {
    load_scenario_text(bad, "t.yaml", {}, dir);
    FAIL() << "expected a LoadError";
  } catch (const LoadError& error) {
    EXPECT_EQ(error.file, (dir / "bad.csv").string());
    EXPECT_EQ(error.line, 2);
    EXPECT_EQ(error.column, 3);
    EXPECT_THAT(error.what(), HasSubstr("expected a time such as 10ms"));
  }
  const std::string named =
      edit(base, "{process: poisson, rate: 1/s}", "{process: trace, file: trace.csv, column: tt}");
  try {
    load_scenario_text(named, "t.yaml", {}, dir);
    FAIL() << "expected a LoadError";
  } catch (const LoadError& error) {
    EXPECT_THAT(
        error.what(),
        HasSubstr(
            ":1:1: workload[0].arrivals.file: no column named \"tt\" in the header; did you mean \"t\"? "
            "columns: t"));
  }
  fs::remove_all(dir);
}

// ---- overrides ----------------------------------------------------------------------------------

TEST(ParseOverride, SplitsAtTheFirstEqualsSign) {
  const Override o = parse_override("workload.0.arrivals.rate=2/s");
  EXPECT_EQ(o.path, "workload.0.arrivals.rate");
  EXPECT_EQ(o.value, "2/s");
  EXPECT_EQ(parse_override("description=a=b").value, "a=b");
  EXPECT_EQ(parse_override("name=").value, "");
}

TEST(ParseOverride, RejectsAMissingEqualsSignOrAnEmptySegment) {
  EXPECT_EQ(std::string(error_of_override("simulation.horizon")),
            "--set:1:1: expected path=value, e.g. simulation.horizon=2h; got \"simulation.horizon\"");
  try {
    parse_override("simulation..horizon=2h");
    FAIL();
  } catch (const LoadError& error) {
    EXPECT_EQ(error.file, "--set");
    EXPECT_EQ(error.column, 12);
    EXPECT_THAT(error.what(), HasSubstr("empty path segment"));
  }
  EXPECT_THAT(error_of_override("=3"), HasSubstr("the path before '=' is empty"));
}

TEST(Overrides, ReplaceAValueByIndexOrByName) {
  const LoadedScenario by_index = load_scenario_text(base, "t.yaml", {{"workload.0.arrivals.rate", "2/s"}});
  EXPECT_DOUBLE_EQ(by_index.spec.sources[0].arrivals.rate, 2.0);
  const LoadedScenario by_name = load_scenario_text(base, "t.yaml", {{"workload.s.arrivals.rate", "3/s"}});
  EXPECT_DOUBLE_EQ(by_name.spec.sources[0].arrivals.rate, 3.0);
  const LoadedScenario deep = load_scenario_text(
      base, "t.yaml", {{"application.components.a.deployments.d.partitions.p.demand.pi", "250ms"}});
  EXPECT_DOUBLE_EQ(deep.spec.application.components[0].deployments[0].partitions[0].demand.at("pi").mean(),
                   0.25);
}

TEST(Overrides, ParseTheValueAsYamlAndMayAddFields) {
  const LoadedScenario loaded =
      load_scenario_text(base, "t.yaml",
                         {{"layers", "[edge, cloud, fog]"},
                          {"simulation", "{horizon: 2h}"},
                          {"simulation.seed", "7"},
                          {"device_types.pi.buffer", "10"},
                          {"workload.1", "{name: more, entry: b, arrivals: {process: poisson, rate: 2/s}}"}});
  EXPECT_EQ(loaded.spec.layers, (std::vector<std::string>{"edge", "cloud", "fog"}));
  EXPECT_DOUBLE_EQ(loaded.spec.simulation.horizon, 7200.0);
  EXPECT_EQ(loaded.spec.simulation.seed, 7u);
  EXPECT_EQ(loaded.spec.device_types[0].buffer, 10u);
  ASSERT_EQ(loaded.spec.sources.size(), 2u);  // one past the end appends
  EXPECT_EQ(loaded.spec.sources[1].name, "more");
  // The text shows the scenario as run; the hash stays that of the file.
  EXPECT_THAT(loaded.text, HasSubstr("buffer: 10"));
  EXPECT_THAT(loaded.text, HasSubstr("seed: 7"));
  EXPECT_EQ(loaded.hash, fnv1a64_hex(base));
  EXPECT_EQ(loaded.overrides.size(), 5u);
}

TEST(Overrides, MayFillAnEmptyMapping) {
  const std::string empty = edit(base, "name: t\n", "name: t\nsimulation:\n");
  EXPECT_EQ(load_scenario_text(empty, "t.yaml", {{"simulation.seed", "5"}}).spec.simulation.seed, 5u);
}

TEST(Overrides, AnEmptyValueRestoresTheDefault) {
  const std::string buffered = edit(base, "{layer: edge,", "{layer: edge, buffer: 5,");
  EXPECT_FALSE(
      load_scenario_text(buffered, "t.yaml", {{"device_types.pi.buffer", ""}}).spec.device_types[0].buffer);
}

TEST(Overrides, KeepTheOrderOfKeysSoLayersAreCollectedAsWritten) {
  const LoadedScenario loaded = load_scenario_text(
      base, "t.yaml", {{"device_types.pi.layer", "fog"}, {"network.domains.wan.layers", "[fog, cloud]"}});
  EXPECT_EQ(loaded.spec.layers, (std::vector<std::string>{"fog", "cloud"}));
}

TEST(Overrides, AnOverrideFromAFileIsBlamedOnItsPlaceThere) {
  const SourcePlace place{"sweep.yaml", 7, 5};
  EXPECT_EQ(message_of(base, {{"device_types.pi.memory", "lots", place}}),
            "sweep.yaml:7:5: device_types.pi.memory: expected a data size such as 4.5MB, 2GiB or 800kb "
            "(bare number: bytes); got \"lots\", which is not a number (in device_types.pi.memory=lots)");
  EXPECT_THAT(message_of(base, {{"device_types.pi.failures.mttf", "1h", place}}),
              ::testing::StartsWith("sweep.yaml:7:5: device_types.pi.failures.mttf: cannot apply it: "));
  EXPECT_THAT(
      message_of(base, {{"device_types.pi.memory", "[1", place}}),
      ::testing::StartsWith("sweep.yaml:7:5: device_types.pi.memory: YAML syntax error in the value"));
}

TEST(Overrides, APathWhoseParentDoesNotExistNamesTheOverride) {
  EXPECT_EQ(message_of(base, {{"device_types.pi.failures.mttf", "1h"}}),
            "--set:1:1: device_types.pi.failures.mttf: cannot apply it: \"device_types.pi\" has no field "
            "\"failures\" (it has: layer, memory) (in --set device_types.pi.failures.mttf=1h)");
  EXPECT_THAT(
      message_of(base, {{"workload.cams.arrivals.rate", "1/s"}}),
      HasSubstr("\"workload\" is a list with no item named \"cams\" (names: s; an index from 0 works too)"));
  EXPECT_THAT(message_of(base, {{"workload.3", "{}"}}),
              HasSubstr("\"workload\" has 1 items; index 3 is out of range"));
  EXPECT_THAT(message_of(base, {{"name.first", "x"}}),
              HasSubstr("\"name\" is a single value, so it has no field \"first\""));
}

TEST(Overrides, AnErrorInAnOverriddenValuePointsAtTheOverride) {
  const LoadError error = error_of(base, {{"network.domains.wan.bandwidth", "10ms"}});
  EXPECT_EQ(error.file, "--set");
  EXPECT_EQ(error.column, static_cast<int>(std::string("network.domains.wan.bandwidth=").size()) + 1);
  EXPECT_THAT(error.what(), AllOf(HasSubstr("network.domains.wan.bandwidth: expected a bandwidth"),
                                  HasSubstr("(in --set network.domains.wan.bandwidth=10ms)")));
  const LoadError inner = error_of(base, {{"simulation", "{horizon: 1h, warmup: -1s}"}});
  EXPECT_EQ(inner.column, static_cast<int>(std::string("simulation={horizon: 1h, warmup: ").size()) + 1);
  EXPECT_EQ(inner.field, "simulation.warmup");
  // The rest of the file keeps its own positions.
  const LoadError elsewhere = error_of(edit(base, "count: 2", "count: 0"), {{"description", "changed"}});
  EXPECT_EQ(elsewhere.file, "t.yaml");
}

TEST(Overrides, AnInvalidYamlValueIsASyntaxErrorOfTheOverride) {
  EXPECT_THAT(message_of(base, {{"layers", "[edge, cloud"}}),
              AllOf(StartsWith("--set:1:"), HasSubstr("YAML syntax error in the value"),
                    HasSubstr("(in --set layers=[edge, cloud)")));
  EXPECT_THAT(message_of(base, {{"simulation", "{seed: 1, seed: 2}"}}),
              HasSubstr("simulation.seed: duplicate key"));
}

// ---- the format's documentation -----------------------------------------------------------------

TEST(ScenarioFormatDoc, DocumentsEveryFieldTheLoaderKnows) {
  std::ifstream in(fs::path(CONTINUUM_SOURCE_DIR) / "docs" / "scenario-format.md");
  ASSERT_TRUE(in) << "docs/scenario-format.md is missing";
  std::ostringstream text;
  text << in.rdbuf();
  std::vector<std::string> missing;
  for (const auto& [kind, keys] : detail::ScenarioReader::schema())
    for (const std::string& key : keys)
      if (text.str().find("`" + key + "`") == std::string::npos) missing.push_back(kind + "." + key);
  EXPECT_THAT(missing, ::testing::IsEmpty());
}

}  // namespace
}  // namespace continuum::io
