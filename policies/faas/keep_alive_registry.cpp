#include "policies/faas/keep_alive_registry.hpp"

#include <cmath>
#include <sstream>
#include <stdexcept>

#include "policies/faas/fixed_keep_alive.hpp"
#include "policies/faas/hybrid_histogram.hpp"

namespace continuum::faas {

namespace {
std::string quoted(std::string_view text) {
  return "\"" + std::string(text) + "\"";
}

std::string number(double value) {
  std::ostringstream text;
  text << value;
  return text.str();
}
}  // namespace

void KeepAlivePolicyRegistry::add(KeepAlivePolicyEntry entry) {
  if (find(entry.name))
    throw std::invalid_argument("keep-alive policy " + quoted(entry.name) + " registered twice");
  if (!entry.make) throw std::invalid_argument("keep-alive policy " + quoted(entry.name) + " has no factory");
  entries_.push_back(std::move(entry));
}

std::vector<std::string> KeepAlivePolicyRegistry::names() const {
  std::vector<std::string> result;
  for (const auto& entry : entries_) result.push_back(entry.name);
  return result;
}

const KeepAlivePolicyEntry* KeepAlivePolicyRegistry::find(std::string_view name) const {
  for (const auto& entry : entries_)
    if (entry.name == name) return &entry;
  return nullptr;
}

const KeepAlivePolicyEntry& KeepAlivePolicyRegistry::at(std::string_view name) const {
  if (const KeepAlivePolicyEntry* entry = find(name)) return *entry;
  std::string known;
  for (const auto& entry : entries_) known += (known.empty() ? "" : ", ") + entry.name;
  throw std::invalid_argument("unknown keep-alive policy " + quoted(name) +
                              "; known: " + (known.empty() ? "(none)" : known));
}

KeepAliveParameters KeepAlivePolicyRegistry::resolve(std::string_view name,
                                                     const std::map<std::string, double>& given,
                                                     double function_keep_alive) const {
  const KeepAlivePolicyEntry& entry = at(name);
  const std::string where = "keep-alive policy " + quoted(name) + ": ";
  for (const auto& [key, value] : given) {
    bool declared = false;
    for (const auto& parameter : entry.parameters) declared = declared || parameter.name == key;
    if (declared) continue;
    std::string known;
    for (const auto& parameter : entry.parameters) known += (known.empty() ? "" : ", ") + parameter.name;
    throw std::invalid_argument(where + "unknown parameter " + quoted(key) +
                                "; known: " + (known.empty() ? "(none)" : known));
  }
  KeepAliveParameters resolved;
  for (const auto& parameter : entry.parameters) {
    const auto found = given.find(parameter.name);
    const double value = found != given.end()                        ? found->second
                         : parameter.defaults_to_function_keep_alive ? function_keep_alive
                                                                     : parameter.default_value;
    if (!std::isfinite(value))
      throw std::invalid_argument(where + "parameter " + quoted(parameter.name) + " must be a finite number");
    if (value < parameter.minimum)
      throw std::invalid_argument(where + "parameter " + quoted(parameter.name) + " = " + number(value) +
                                  (parameter.unit.empty() ? "" : " " + parameter.unit) +
                                  " is below its minimum " + number(parameter.minimum));
    resolved.emplace(parameter.name, value);
  }
  return resolved;
}

std::unique_ptr<KeepAlivePolicy> KeepAlivePolicyRegistry::make(std::string_view name,
                                                               const std::map<std::string, double>& given,
                                                               double function_keep_alive) const {
  return at(name).make(resolve(name, given, function_keep_alive));
}

std::unique_ptr<KeepAlivePolicy> KeepAlivePolicyRegistry::make(const FaasFunctionSpec& function) const {
  try {
    return make(function.keep_alive_policy, function.policy_parameters, function.keep_alive);
  } catch (const std::invalid_argument& error) {
    throw std::invalid_argument("FaaS function " + quoted(function.name) + ": " + error.what());
  }
}

void register_builtin_keep_alive_policies(KeepAlivePolicyRegistry& registry) {
  registry.add({
      .name = "fixed",
      .description = "keep every idle instance for a fixed time (AWS Lambda, Azure Functions)",
      .parameters = {{.name = "keep_alive",
                      .unit = "s",
                      .help =
                          "idle time before an instance is terminated (default: the function's keep_alive)",
                      .defaults_to_function_keep_alive = true}},
      .make =
          [](const KeepAliveParameters& p) { return std::make_unique<FixedKeepAlive>(p.at("keep_alive")); },
  });
  const HybridHistogramParameters d;
  registry.add({
      .name = "hybrid_histogram",
      .description = "pre-warm and keep-alive windows from a histogram of the function's idle times "
                     "(Shahrad et al., ATC'20)",
      .parameters =
          {
              {.name = "keep_alive",
               .unit = "s",
               .help = "fixed keep-alive while the histogram is thin or out of bounds (default: the "
                       "function's keep_alive)",
               .defaults_to_function_keep_alive = true},
              {.name = "range",
               .unit = "s",
               .help = "idle times covered by the histogram",
               .default_value = d.range},
              {.name = "bin_width",
               .unit = "s",
               .help = "width of a histogram bin",
               .default_value = d.bin_width},
              {.name = "head_percentile",
               .unit = "%",
               .help = "percentile of the idle times that sets the pre-warm window",
               .default_value = d.head_percentile},
              {.name = "tail_percentile",
               .unit = "%",
               .help = "percentile of the idle times that sets the keep-alive window",
               .default_value = d.tail_percentile},
              {.name = "margin",
               .help = "fraction by which the head is shrunk and the tail stretched",
               .default_value = d.margin},
              {.name = "cv_threshold",
               .help = "coefficient of variation of the bin counts below which there is no pattern",
               .default_value = d.cv_threshold},
              {.name = "min_samples",
               .help = "idle times needed before the histogram is used",
               .default_value = d.min_samples,
               .minimum = 1.0},
              {.name = "oob_threshold",
               .help = "fraction of idle times beyond the range above which the histogram is not used",
               .default_value = d.oob_threshold},
          },
      .make =
          [](const KeepAliveParameters& p) {
            return std::make_unique<HybridHistogramKeepAlive>(HybridHistogramParameters{
                .keep_alive = p.at("keep_alive"),
                .range = p.at("range"),
                .bin_width = p.at("bin_width"),
                .head_percentile = p.at("head_percentile"),
                .tail_percentile = p.at("tail_percentile"),
                .margin = p.at("margin"),
                .cv_threshold = p.at("cv_threshold"),
                .min_samples = p.at("min_samples"),
                .oob_threshold = p.at("oob_threshold"),
            });
          },
  });
}

const KeepAlivePolicyRegistry& builtin_keep_alive_policies() {
  static const KeepAlivePolicyRegistry registry = [] {
    KeepAlivePolicyRegistry built;
    register_builtin_keep_alive_policies(built);
    return built;
  }();
  return registry;
}

std::unique_ptr<KeepAlivePolicy> make_keep_alive_policy(const FaasFunctionSpec& function) {
  return builtin_keep_alive_policies().make(function);
}

}  // namespace continuum::faas
