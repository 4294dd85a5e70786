#include "models/analytic/erlang.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "models/analytic/detail/number_text.hpp"
#include "models/analytic/errors.hpp"

namespace continuum::analytic {
namespace {

void check_erlang_arguments(double offered_load, int servers, const char* function) {
  if (!(offered_load >= 0.0) || !std::isfinite(offered_load))
    throw std::invalid_argument(std::string(function) + ": offered load must be a finite number >= 0, got " +
                                detail::number_text(offered_load));
  if (servers < 0)
    throw std::invalid_argument(std::string(function) + ": number of servers must be >= 0, got " +
                                std::to_string(servers));
}

}  // namespace

double erlang_b(double offered_load, int servers) {
  check_erlang_arguments(offered_load, servers, "erlang_b");
  double blocking = 1.0;
  for (int m = 1; m <= servers; ++m) {
    const double carried = offered_load * blocking;
    blocking = carried / (static_cast<double>(m) + carried);
  }
  return blocking;
}

double log_erlang_b(double offered_load, int servers) {
  check_erlang_arguments(offered_load, servers, "log_erlang_b");
  if (servers == 0) return 0.0;
  if (offered_load == 0.0) return -std::numeric_limits<double>::infinity();
  // 1/B(m) = 1 + (m/a)·(1/B(m−1)); carry y = ln(1/B) to avoid underflow of B.
  const double log_load = std::log(offered_load);
  double log_inverse = 0.0;
  for (int m = 1; m <= servers; ++m) {
    const double term = log_inverse + std::log(static_cast<double>(m)) - log_load;  // ln((m/a)/B(m−1))
    // ln(1 + e^term), written so that neither branch overflows.
    log_inverse = term > 0.0 ? term + std::log1p(std::exp(-term)) : std::log1p(std::exp(term));
  }
  return -log_inverse;
}

double erlang_c(double offered_load, int servers) {
  check_erlang_arguments(offered_load, servers, "erlang_c");
  if (servers < 1) throw std::invalid_argument("erlang_c: number of servers must be >= 1, got 0");
  const double c = static_cast<double>(servers);
  if (offered_load >= c)
    throw Unstable("erlang_c: offered load " + detail::number_text(offered_load) +
                   " erlangs >= " + std::to_string(servers) + " servers; the queue grows without bound");
  const double blocking = erlang_b(offered_load, servers);
  return c * blocking / (c - offered_load * (1.0 - blocking));
}

}  // namespace continuum::analytic
