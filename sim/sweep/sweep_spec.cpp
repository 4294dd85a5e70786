#include "sim/sweep/sweep_spec.hpp"

#include <limits>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <tuple>

#include "sim/engine/random.hpp"
#include "sim/io/input_file.hpp"
#include "sim/io/yaml_field.hpp"
#include "sim/sweep/results.hpp"
#include "sim/sweep/run_plan.hpp"
#include "sim/sweep/yaml_reader.hpp"

namespace continuum::sweep {

namespace {

using detail::check_path;
using detail::join;
using detail::quote;
using detail::read_file;
using detail::read_overrides;
using detail::Reader;

/// The values of one grid or zip axis: a list, or a range {from, to, step} / {from, to, count, scale}.
std::vector<std::string> axis_values(const Reader& reader, const YAML::Node& node, const std::string& path) {
  std::vector<std::string> values;
  if (node.IsSequence()) {
    for (const auto& item : node) values.push_back(override_text(item));
    if (values.empty()) reader.fail(node, path, "the list of values is empty");
    return values;
  }
  if (!node.IsMap())
    reader.fail(node, path,
                "expected a list of values, e.g. [2/s, 4/s], or a range {from: 2/s, to: 8/s, step: 2/s} or "
                "{from: 1, to: 100, count: 5, scale: log}");
  reader.check_keys(node, path, {"from", "to", "step", "count", "scale"}, "a range");
  for (const char* key : {"from", "to"})
    if (!node[key]) reader.fail(node, path, std::string("a range needs `") + key + "`");
  const auto bound = [&](const char* key) {
    const std::string text = reader.scalar(node[key], path + "." + key, "a number with an optional unit");
    const auto parsed = split_number(text);
    if (!parsed)
      reader.fail(node[key], path + "." + key, "expected a number with an optional unit; got " + quote(text));
    return *parsed;
  };
  const NumberWithUnit from = bound("from"), to = bound("to");
  if (from.unit != to.unit)
    reader.fail(
        node, path,
        "`from` and `to` must have the same unit; got " + quote(from.unit) + " and " + quote(to.unit));
  const bool has_step = static_cast<bool>(node["step"]), has_count = static_cast<bool>(node["count"]);
  if (has_step == has_count) reader.fail(node, path, "a range takes either `step` or `count`");
  bool log_scale = false;
  if (node["scale"]) {
    const std::string scale = reader.scalar(node["scale"], path + ".scale", "linear or log");
    if (scale != "linear" && scale != "log")
      reader.fail(node["scale"], path + ".scale", "expected linear or log; got " + quote(scale));
    log_scale = scale == "log";
  }
  std::vector<double> numbers;
  try {
    if (has_step) {
      if (log_scale)
        reader.fail(node["scale"], path + ".scale", "a log-scale range takes `count`, not `step`");
      const NumberWithUnit step = bound("step");
      if (step.unit != from.unit)
        reader.fail(node["step"], path + ".step", "`step` must have the unit of `from`");
      numbers = stepped_values(from.value, to.value, step.value);
    } else {
      numbers = spaced_values(from.value, to.value,
                              reader.integer(node["count"], path + ".count", 1, 10'000'000), log_scale);
    }
  } catch (const std::invalid_argument& error) {
    reader.fail(node, path, error.what());
  }
  // 12 significant digits: 0.1 + 2·0.1 is written 0.3, not 0.30000000000000004.
  for (double v : numbers) values.push_back(format_number(v, 12, from.unit));
  return values;
}

std::vector<Axis> read_axes(const Reader& reader, const YAML::Node& node, const std::string& path) {
  reader.require_map(node, path, "a map of --set paths to values");
  std::vector<Axis> axes;
  std::set<std::string> seen;
  for (const auto& pair : node) {
    const std::string field = path + "." + pair.first.Scalar();
    check_path(reader, pair.first, field);
    if (!seen.insert(pair.first.Scalar()).second) reader.fail(pair.first, field, "the path is given twice");
    axes.emplace_back(pair.first.Scalar(), axis_values(reader, pair.second, field));
  }
  if (axes.empty()) reader.fail(node, path, "no parameters");
  return axes;
}

Design read_block(const Reader& reader, const std::string& kind, const YAML::Node& node,
                  const std::string& path, std::uint64_t lhs_seed) {
  try {
    if (kind == "grid") return grid_design(read_axes(reader, node, path));
    if (kind == "zip") return zip_design(read_axes(reader, node, path));
    if (kind == "list") {
      if (!node.IsSequence() || node.size() == 0)
        reader.fail(node, path, "expected a list of points, e.g. [{a: 1, b: x}, {a: 2, b: y}]");
      std::vector<std::string> parameters;
      std::vector<std::vector<std::string>> rows;
      for (std::size_t i = 0; i < node.size(); ++i) {
        const YAML::Node item = node[i];
        const std::string field = path + "[" + std::to_string(i) + "]";
        reader.require_map(item, field, "a point: a map of --set paths to values");
        std::vector<std::string> keys, row;
        for (const auto& pair : item) {
          check_path(reader, pair.first, field + "." + pair.first.Scalar());
          keys.push_back(pair.first.Scalar());
          row.push_back(override_text(pair.second));
        }
        if (i == 0) parameters = keys;
        if (keys != parameters)
          reader.fail(
              item, field,
              "every point of a list sets the same paths in the same order (" + join(parameters) + ")");
        rows.push_back(std::move(row));
      }
      return list_design(std::move(parameters), std::move(rows));
    }
    // lhs
    reader.require_map(node, path, "{samples: N, ranges: {path: {min: .., max: ..}}}");
    reader.check_keys(node, path, {"samples", "seed", "digits", "ranges"}, "a Latin hypercube");
    if (!node["samples"]) reader.fail(node, path, "a Latin hypercube needs `samples`");
    if (!node["ranges"]) reader.fail(node, path, "a Latin hypercube needs `ranges`");
    const auto samples = reader.integer(node["samples"], path + ".samples", 1, 10'000'000);
    const auto seed = node["seed"] ? reader.integer(node["seed"], path + ".seed", 0,
                                                    std::numeric_limits<std::uint64_t>::max())
                                   : lhs_seed;
    const int digits =
        node["digits"] ? static_cast<int>(reader.integer(node["digits"], path + ".digits", 1, 17)) : 6;
    const YAML::Node ranges = node["ranges"];
    reader.require_map(ranges, path + ".ranges", "a map of --set paths to {min, max, scale}");
    std::vector<LhsRange> lhs;
    for (const auto& pair : ranges) {
      const std::string field = path + ".ranges." + pair.first.Scalar();
      check_path(reader, pair.first, field);
      reader.require_map(pair.second, field, "{min: .., max: .., scale: linear|log}");
      reader.check_keys(pair.second, field, {"min", "max", "scale"}, "a range");
      LhsRange range;
      range.parameter = pair.first.Scalar();
      NumberWithUnit bounds[2];
      const char* keys[2] = {"min", "max"};
      for (int b = 0; b < 2; ++b) {
        const YAML::Node bound = pair.second[keys[b]];
        if (!bound) reader.fail(pair.second, field, std::string("a range needs `") + keys[b] + "`");
        const std::string text =
            reader.scalar(bound, field + "." + keys[b], "a number with an optional unit");
        const auto parsed = split_number(text);
        if (!parsed)
          reader.fail(bound, field + "." + keys[b],
                      "expected a number with an optional unit; got " + quote(text));
        bounds[b] = *parsed;
      }
      if (bounds[0].unit != bounds[1].unit)
        reader.fail(pair.second, field, "`min` and `max` must have the same unit");
      range.low = bounds[0].value;
      range.high = bounds[1].value;
      range.unit = bounds[0].unit;
      if (pair.second["scale"]) {
        const std::string scale = reader.scalar(pair.second["scale"], field + ".scale", "linear or log");
        if (scale != "linear" && scale != "log")
          reader.fail(pair.second["scale"], field + ".scale", "expected linear or log");
        range.log_scale = scale == "log";
      }
      lhs.push_back(std::move(range));
    }
    return latin_hypercube_design(lhs, samples, seed, digits);
  } catch (const std::invalid_argument& error) {
    reader.fail(node, path, error.what());
  }
}

/// The first mapping key spelled `key` in `node`'s subtree (a parameter path under grid, zip,
/// list or lhs ranges), as a place in the sweep file.
std::optional<io::SourcePlace> find_key(const Reader& reader, const YAML::Node& node,
                                        const std::string& key) {
  if (node.IsMap()) {
    for (const auto& pair : node) {
      if (pair.first.IsScalar() && pair.first.Scalar() == key) return detail::place_of(reader, pair.first);
      if (auto found = find_key(reader, pair.second, key)) return found;
    }
  } else if (node.IsSequence()) {
    for (const auto& item : node)
      if (auto found = find_key(reader, item, key)) return found;
  }
  return std::nullopt;
}

Design read_parameters(const Reader& reader, const YAML::Node& node, std::uint64_t base_seed) {
  Design design;
  design.points.emplace_back();  // the identity of the product
  if (!node.IsDefined() || node.IsNull()) return design;
  const std::vector<std::string> kinds{"grid", "zip", "list", "lhs"};
  std::vector<std::tuple<std::string, YAML::Node, std::string>> blocks;
  if (node.IsMap()) {
    reader.check_keys(node, "parameters", kinds, "parameters");
    for (const auto& pair : node)
      blocks.emplace_back(pair.first.Scalar(), pair.second, "parameters." + pair.first.Scalar());
  } else if (node.IsSequence()) {
    for (std::size_t i = 0; i < node.size(); ++i) {
      const YAML::Node block = node[i];
      const std::string field = "parameters[" + std::to_string(i) + "]";
      if (!block.IsMap() || block.size() != 1)
        reader.fail(block, field, "expected one block: {grid: ..}, {zip: ..}, {list: ..} or {lhs: ..}");
      reader.check_keys(block, field, kinds, "a parameter block");
      const auto pair = *block.begin();
      blocks.emplace_back(pair.first.Scalar(), pair.second, field + "." + pair.first.Scalar());
    }
  } else {
    reader.fail(node, "parameters",
                "expected a map of blocks (grid, zip, list, lhs) or a list of such blocks");
  }
  for (std::size_t b = 0; b < blocks.size(); ++b) {
    const auto& [kind, block, field] = blocks[b];
    const Design part =
        read_block(reader, kind, block, field, stream_seed(base_seed, "sweep/lhs/" + std::to_string(b)));
    if (static_cast<double>(design.points.size()) * static_cast<double>(part.points.size()) > 1e8)
      reader.fail(block, field, "the sweep would have more than 10^8 points");
    try {
      design = product(design, part);
    } catch (const std::invalid_argument& error) {
      reader.fail(block, field, error.what());
    }
  }
  return design;
}

StoppingRule read_stopping(const Reader& reader, const YAML::Node& node) {
  reader.require_map(node, "stopping", "{metric: latency_mean, relative_half_width: 0.05, min: 5, max: 50}");
  reader.check_keys(node, "stopping", {"metric", "relative_half_width", "min", "max", "level"}, "stopping");
  StoppingRule rule;
  if (node["metric"]) {
    const std::string name = reader.scalar(node["metric"], "stopping.metric", "a metric name");
    const auto metric = find_metric(name);
    if (!metric)
      reader.fail(node["metric"], "stopping.metric",
                  "unknown metric " + quote(name) + "; known: " + std::string(metric_names()));
    rule.metric = *metric;
  }
  if (!node["relative_half_width"])
    reader.fail(node, "stopping", "give the target `relative_half_width`, e.g. 0.05");
  rule.relative_half_width = reader.number(node["relative_half_width"], "stopping.relative_half_width");
  if (!(rule.relative_half_width > 0.0))
    reader.fail(node["relative_half_width"], "stopping.relative_half_width", "must be positive");
  if (node["min"])
    rule.min_replications =
        static_cast<std::uint32_t>(reader.integer(node["min"], "stopping.min", 2, 1'000'000));
  if (node["max"])
    rule.max_replications =
        static_cast<std::uint32_t>(reader.integer(node["max"], "stopping.max", 2, 1'000'000));
  if (rule.max_replications < rule.min_replications)
    reader.fail(node, "stopping",
                "`max` (" + std::to_string(rule.max_replications) + ") is below `min` (" +
                    std::to_string(rule.min_replications) + ")");
  if (node["level"]) {
    rule.level = reader.number(node["level"], "stopping.level");
    if (!(rule.level > 0.0 && rule.level < 1.0))
      reader.fail(node["level"], "stopping.level", "must be in (0, 1), e.g. 0.95");
  }
  return rule;
}

/// Reads the scenario, checks the fixed overrides against it and takes its seed as the default.
/// Returns the error of the overrides, if any (an error of the scenario itself is thrown as it is).
std::optional<io::LoadError> attach_scenario(SweepSpec& spec, const std::optional<std::uint64_t>& seed) {
  spec.scenario_text = read_file(spec.scenario_file, "scenario file");
  const auto load = [&](const std::vector<io::Override>& overrides) {
    return io::load_scenario_text(spec.scenario_text, spec.scenario_file.string(), overrides,
                                  spec.scenario_file.parent_path());
  };
  const io::LoadedScenario plain = load({});
  spec.base_seed = seed ? *seed : plain.spec.simulation.seed;
  try {
    load(spec.fixed);
  } catch (const io::LoadError& error) {
    return error;
  }
  return std::nullopt;
}

}  // namespace

std::string override_text(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) return "";
  if (node.IsScalar()) return node.Scalar();
  YAML::Emitter emitter;
  emitter.SetMapFormat(YAML::Flow);
  emitter.SetSeqFormat(YAML::Flow);
  emitter << node;
  return emitter.c_str();
}

std::string SweepSpec::hash() const {
  std::string bytes = text;
  bytes.push_back('\0');
  bytes += scenario_text;
  return io::fnv1a64_hex(bytes);
}

std::optional<std::size_t> SweepSpec::find_policy(std::string_view policy_name) const {
  for (std::size_t p = 0; p < policies.size(); ++p)
    if (policies[p].name == policy_name) return p;
  return std::nullopt;
}

SweepSpec load_sweep(const std::filesystem::path& file) {
  return parse_sweep(read_file(file, "sweep file"), file);
}

SweepSpec parse_sweep(std::string_view text, const std::filesystem::path& file) {
  const Reader reader(file.string());
  SweepSpec spec;
  spec.file = file;
  spec.text = std::string(text);
  if (const auto bad = io::detail::find_invalid_utf8(text))
    throw io::LoadError(file.string(), bad->first, bad->second, "",
                        "the file is not valid UTF-8 here; sweep files must be UTF-8 text");
  YAML::Node root;
  try {
    root = YAML::Load(spec.text);
  } catch (const YAML::Exception& error) {
    const bool located = !error.mark.is_null() && error.mark.line >= 0;
    throw io::LoadError(file.string(), located ? error.mark.line + 1 : 1, located ? error.mark.column + 1 : 1,
                        "", io::detail::yaml_syntax_message(error));
  }
  // Keys given twice anywhere (yaml-cpp keeps both silently), and aliases that expand without bound.
  io::detail::check_duplicate_keys(io::detail::YamlSource{file.string()}, root, "");
  if (!root.IsMap())
    throw io::LoadError(file.string(), 1, 1, "", "expected a mapping of sweep fields (docs/sweeps.md)");
  reader.check_keys(root, "",
                    {"name", "description", "scenario", "seed", "set", "parameters", "policies",
                     "replications", "stopping"},
                    "a sweep");
  spec.name = root["name"] ? reader.scalar(root["name"], "name", "a name") : file.stem().string();
  if (root["description"]) spec.description = reader.scalar(root["description"], "description", "a text");
  if (!root["scenario"]) reader.fail(root, "scenario", "a sweep needs `scenario:`, the base scenario file");
  const std::filesystem::path scenario = reader.scalar(root["scenario"], "scenario", "a file name");
  spec.scenario_file = scenario.is_absolute() ? scenario : file.parent_path() / scenario;
  if (const auto problem =
          io::input_file_problem(spec.scenario_file, "scenario file " + quote(spec.scenario_file.string()),
                                 io::max_text_input_bytes))
    reader.fail(root["scenario"], "scenario", *problem);
  std::optional<std::uint64_t> seed;
  if (root["seed"]) seed = reader.integer(root["seed"], "seed", 0, std::numeric_limits<std::uint64_t>::max());
  spec.fixed = read_overrides(reader, root["set"], "set");
  if (const auto error = attach_scenario(spec, seed))
    reader.fail(root["set"], "set",
                "the scenario does not load with these overrides: " + std::string(error->what()));
  spec.design = read_parameters(reader, root["parameters"], spec.base_seed);
  for (const auto& parameter : spec.design.parameters)
    spec.parameter_places.push_back(find_key(reader, root["parameters"], parameter));

  if (root["policies"] && !root["policies"].IsNull()) {
    const YAML::Node policies = root["policies"];
    reader.require_map(
        policies, "policies",
        "a map of policy names to overrides, e.g. {fcfs: {device_types.server.discipline: fcfs}}");
    std::set<std::string> seen;
    for (const auto& pair : policies) {
      const std::string field = "policies." + pair.first.Scalar();
      const std::string name = reader.name(pair.first, field, "a policy name");
      if (!seen.insert(name).second)
        reader.fail(pair.first, field, "the policy " + quote(name) + " is given twice");
      spec.policies.push_back({name, read_overrides(reader, pair.second, field)});
    }
    if (spec.policies.empty())
      reader.fail(policies, "policies", "no policies; leave the field out to run the scenario as it is");
  } else {
    spec.policies.push_back({"base", {}});
  }

  if (root["replications"] && root["stopping"])
    reader.fail(root["replications"], "replications", "give either `replications` or `stopping`, not both");
  if (root["replications"])
    spec.replications =
        static_cast<std::uint32_t>(reader.integer(root["replications"], "replications", 1, 1'000'000));
  if (root["stopping"]) {
    spec.stopping = read_stopping(reader, root["stopping"]);
    spec.replications = spec.stopping->min_replications;
  }

  // One path, one owner: a parameter set also by `set` or by a policy would silently override the other.
  std::set<std::string> fixed_paths,
      parameter_paths(spec.design.parameters.begin(), spec.design.parameters.end());
  for (const auto& o : spec.fixed) fixed_paths.insert(o.path);
  for (const auto& p : spec.design.parameters)
    if (fixed_paths.count(p))
      reader.fail(root["parameters"], "parameters",
                  "the path " + quote(p) + " is both varied and fixed by `set`");
  for (const auto& policy : spec.policies)
    for (const auto& o : policy.overrides)
      if (fixed_paths.count(o.path) || parameter_paths.count(o.path))
        reader.fail(root["policies"][policy.name], "policies." + policy.name,
                    "the path " + quote(o.path) + " is also " +
                        (fixed_paths.count(o.path) ? "fixed by `set`" : "a varied parameter") +
                        "; a path belongs to one of set, parameters or policies");
  return spec;
}

SweepSpec single_point_sweep(std::string name, const std::filesystem::path& scenario_file,
                             std::vector<io::Override> fixed, std::vector<Policy> policies,
                             std::uint32_t replications, std::optional<std::uint64_t> seed) {
  if (policies.empty()) throw std::invalid_argument("a sweep needs at least one policy");
  if (replications == 0) throw std::invalid_argument("a sweep needs at least one replication");
  SweepSpec spec;
  spec.name = std::move(name);
  spec.file = scenario_file;
  spec.scenario_file = scenario_file;
  spec.fixed = std::move(fixed);
  spec.design.points.emplace_back();
  spec.policies = std::move(policies);
  spec.replications = replications;
  if (const auto error = attach_scenario(spec, seed)) throw *error;
  return spec;
}

void check_runs(const SweepSpec& spec, bool exhaustive) {
  const auto check = [&](std::uint32_t point, std::uint32_t policy) {
    try {
      io::load_scenario_text(spec.scenario_text, spec.scenario_file.string(),
                             run_overrides(spec, {point, policy, 0}), spec.scenario_file.parent_path());
    } catch (const io::LoadError& error) {
      std::string where = "point " + std::to_string(point);
      if (!spec.design.parameters.empty()) {
        where += " (";
        for (std::size_t k = 0; k < spec.design.parameters.size(); ++k)
          where += (k ? ", " : "") + spec.design.parameters[k] + "=" + spec.design.points[point][k];
        where += ")";
      }
      where += ", policy " + quote(spec.policies[policy].name);
      // An override from the sweep file is blamed on its place there; others on the scenario file.
      if (error.file == spec.file.string())
        throw io::LoadError(error.file, error.line, error.column, error.field, where + ": " + error.message);
      throw io::LoadError(spec.file.string(), 0, 0, "", where + ": " + error.what());
    }
  };
  const auto points = static_cast<std::uint32_t>(spec.point_count());
  const auto policies = static_cast<std::uint32_t>(spec.policy_count());
  if (exhaustive) {
    for (std::uint32_t p = 0; p < points; ++p)
      for (std::uint32_t q = 0; q < policies; ++q) check(p, q);
    return;
  }
  // Every policy at the first point; then, with the first policy, every value each parameter takes,
  // or for a numeric parameter its smallest and largest value (where a range goes wrong). Loading a
  // scenario costs milliseconds, so checking every point of a large sweep would cost more than it saves.
  for (std::uint32_t q = 0; q < policies; ++q) check(0, q);
  std::set<std::uint32_t> chosen;
  for (std::size_t k = 0; k < spec.design.parameters.size(); ++k) {
    std::map<std::string, std::uint32_t> first_of;  // value → first point with it
    std::optional<std::pair<double, std::uint32_t>> low, high;
    bool numeric = true;
    for (std::uint32_t p = 0; p < points; ++p) {
      const std::string& text = spec.design.points[p][k];
      first_of.emplace(text, p);
      const auto value = numeric ? numeric_value(text) : std::nullopt;
      if (!value) {
        numeric = false;
        continue;
      }
      if (!low || *value < low->first) low = {{*value, p}};
      if (!high || *value > high->first) high = {{*value, p}};
    }
    if (numeric && low) {
      chosen.insert(low->second);
      chosen.insert(high->second);
    } else {
      for (const auto& [text, p] : first_of) chosen.insert(p);
    }
  }
  for (std::uint32_t p : chosen)
    if (p != 0) check(p, 0);
}

}  // namespace continuum::sweep
