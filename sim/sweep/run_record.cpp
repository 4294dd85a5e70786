#include "sim/sweep/run_record.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace continuum::sweep {

std::string record_json(const RunRecord& record) {
  nlohmann::json metrics = nlohmann::json::object();
  for (std::size_t m = 0; m < metric_count; ++m) {
    const double value = record.metrics.values[m];
    metrics[std::string(to_string(static_cast<Metric>(m)))] =
        std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr);
  }
  const nlohmann::json line = {{"point", record.key.point},
                               {"policy", record.key.policy},
                               {"replication", record.key.replication},
                               {"seed", record.seed},
                               {"metrics", metrics},
                               {"offered", record.metrics.offered},
                               {"completed", record.metrics.completed},
                               {"lost", record.metrics.lost},
                               {"events", record.metrics.events},
                               {"truncated", record.metrics.truncated},
                               {"unfinished", record.metrics.unfinished},
                               {"stable", record.metrics.stable},
                               {"wall_time", record.wall_time}};
  return line.dump();
}

RunRecord parse_record(std::string_view text) {
  try {
    const nlohmann::json line = nlohmann::json::parse(text);
    RunRecord record;
    record.key.point = line.at("point").get<std::uint32_t>();
    record.key.policy = line.at("policy").get<std::uint32_t>();
    record.key.replication = line.at("replication").get<std::uint32_t>();
    record.seed = line.at("seed").get<std::uint64_t>();
    const auto& metrics = line.at("metrics");
    for (std::size_t m = 0; m < metric_count; ++m) {
      const auto& value = metrics.at(std::string(to_string(static_cast<Metric>(m))));
      record.metrics.values[m] =
          value.is_null() ? std::numeric_limits<double>::quiet_NaN() : value.get<double>();
    }
    record.metrics.offered = line.at("offered").get<std::uint64_t>();
    record.metrics.completed = line.at("completed").get<std::uint64_t>();
    record.metrics.lost = line.at("lost").get<std::uint64_t>();
    record.metrics.events = line.at("events").get<std::uint64_t>();
    record.metrics.truncated = line.at("truncated").get<std::string>();
    record.metrics.unfinished = line.at("unfinished").get<std::uint64_t>();
    record.metrics.stable = line.at("stable").get<bool>();
    record.wall_time = line.at("wall_time").get<double>();
    return record;
  } catch (const nlohmann::json::exception& error) {
    throw std::invalid_argument(std::string("not a run record: ") + error.what());
  }
}

}  // namespace continuum::sweep
