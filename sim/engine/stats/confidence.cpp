#include "sim/engine/stats/confidence.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include <boost/math/distributions/students_t.hpp>

namespace continuum::stats {

double student_t_quantile(double p, double degrees_of_freedom) {
  if (!(p > 0.0 && p < 1.0)) {
    throw std::invalid_argument("student_t_quantile: p must be in (0, 1), got " + std::to_string(p));
  }
  if (!(degrees_of_freedom > 0.0)) {
    throw std::invalid_argument("student_t_quantile: degrees of freedom must be > 0, got " +
                                std::to_string(degrees_of_freedom));
  }
  return boost::math::quantile(boost::math::students_t_distribution<double>(degrees_of_freedom), p);
}

ConfidenceInterval student_t_interval(const Welford& samples, double level) {
  if (!(level > 0.0 && level < 1.0)) {
    throw std::invalid_argument("confidence level must be in (0, 1), got " + std::to_string(level));
  }
  const std::uint64_t n = samples.count();
  if (n < 2) return {samples.mean(), std::numeric_limits<double>::infinity(), level, n};
  const double t = student_t_quantile(0.5 + level / 2.0, static_cast<double>(n - 1));
  return {samples.mean(), t * samples.stddev() / std::sqrt(static_cast<double>(n)), level, n};
}

ConfidenceInterval replication_interval(std::span<const double> replication_means, double level) {
  Welford w;
  for (const double m : replication_means) w.add(m);
  return student_t_interval(w, level);
}

}  // namespace continuum::stats
