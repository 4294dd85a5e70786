#pragma once

#include <cstdint>
#include <span>

#include "sim/engine/stats/welford.hpp"

namespace continuum::stats {

/// A symmetric confidence interval mean ± half_width at confidence `level`, from `samples`
/// independent (approximately normal) observations: replication means or batch means.
struct ConfidenceInterval {
  double mean;
  double half_width;
  double level;
  std::uint64_t samples;

  double lower() const { return mean - half_width; }
  double upper() const { return mean + half_width; }
  bool contains(double x) const { return lower() <= x && x <= upper(); }
};

/// Student t interval for the mean of i.i.d. normal samples:
///   mean ± t_{(1+level)/2, n−1} · s / √n
/// with s the sample standard deviation and t the quantile of Student's t with n − 1 degrees of
/// freedom (boost::math::students_t). With n < 2 there is no spread estimate: half_width = +inf
/// (mean is NaN when n == 0). Throws std::invalid_argument unless 0 < level < 1.
ConfidenceInterval student_t_interval(const Welford& samples, double level = 0.95);

/// The Student t interval over independent replications, one mean per replication (the method
/// of independent replications; Law, "Simulation Modeling and Analysis", ch. 9).
ConfidenceInterval replication_interval(std::span<const double> replication_means, double level = 0.95);

/// The quantile t_{p, dof} of Student's t distribution, for p in (0, 1) and dof > 0.
double student_t_quantile(double p, double degrees_of_freedom);

}  // namespace continuum::stats
