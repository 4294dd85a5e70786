#include "models/analytic/infinite_queues.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include "models/analytic/detail/number_text.hpp"
#include "models/analytic/erlang.hpp"
#include "models/analytic/errors.hpp"

namespace continuum::analytic {
namespace {

void check_rates(double arrival_rate, double mean_service, const char* model) {
  if (!(arrival_rate >= 0.0) || !std::isfinite(arrival_rate))
    throw std::invalid_argument(std::string(model) + ": arrival rate must be a finite number >= 0, got " +
                                detail::number_text(arrival_rate));
  if (!(mean_service > 0.0) || !std::isfinite(mean_service))
    throw std::invalid_argument(std::string(model) + ": mean service time must be a finite number > 0, got " +
                                detail::number_text(mean_service));
}

void check_stable(double utilization, const char* model) {
  if (utilization >= 1.0)
    throw Unstable(std::string(model) + ": utilisation " + detail::number_text(utilization) +
                   " >= 1; the queue grows without bound");
}

QueueMetrics from_response(double arrival_rate, double mean_service, double utilization, double response) {
  const double waiting = response - mean_service;
  return {utilization, response, waiting, arrival_rate * response, arrival_rate * waiting};
}

QueueMetrics mmc_metrics(double arrival_rate, double mean_service, int servers, const char* model) {
  check_rates(arrival_rate, mean_service, model);
  if (servers < 1)
    throw std::invalid_argument(std::string(model) + ": number of servers must be >= 1, got " +
                                std::to_string(servers));
  const double offered = arrival_rate * mean_service;
  const double c = static_cast<double>(servers);
  check_stable(offered / c, model);
  const double waiting = erlang_c(offered, servers) * mean_service / (c - offered);
  return from_response(arrival_rate, mean_service, offered / c, mean_service + waiting);
}

}  // namespace

QueueMetrics mm1(double arrival_rate, double mean_service) {
  check_rates(arrival_rate, mean_service, "mm1");
  const double rho = arrival_rate * mean_service;
  check_stable(rho, "mm1");
  return from_response(arrival_rate, mean_service, rho, mean_service / (1.0 - rho));
}

QueueMetrics mmc(double arrival_rate, double mean_service, int servers) {
  return mmc_metrics(arrival_rate, mean_service, servers, "mmc");
}

QueueMetrics mg1(double arrival_rate, double mean_service, double service_scv) {
  check_rates(arrival_rate, mean_service, "mg1");
  if (!(service_scv >= 0.0) || !std::isfinite(service_scv))
    throw std::invalid_argument("mg1: squared coefficient of variation must be a finite number >= 0, got " +
                                detail::number_text(service_scv));
  const double rho = arrival_rate * mean_service;
  check_stable(rho, "mg1");
  const double waiting = rho * mean_service * (1.0 + service_scv) / (2.0 * (1.0 - rho));
  return from_response(arrival_rate, mean_service, rho, mean_service + waiting);
}

QueueMetrics mg1_ps(double arrival_rate, double mean_service, int servers) {
  if (servers == 1) {
    check_rates(arrival_rate, mean_service, "mg1_ps");
    const double rho = arrival_rate * mean_service;
    check_stable(rho, "mg1_ps");
    return from_response(arrival_rate, mean_service, rho, mean_service / (1.0 - rho));
  }
  // Insensitivity: M/G/c-PS has the M/M/c number-in-system law, hence the same L and, by Little, R.
  return mmc_metrics(arrival_rate, mean_service, servers, "mg1_ps");
}

}  // namespace continuum::analytic
