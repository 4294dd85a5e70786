#include "models/analytic/faas_steady_state.hpp"

#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <vector>

#include "models/analytic/erlang.hpp"

namespace continuum::analytic {
namespace {

// The model written the plain way (doubles, no logarithms, a dense linear solve of the truncated
// generator), usable where nothing overflows: λθ small. Truncated at `states` instances.
FaasSteadyState plain_faas_model(double lambda, double warm, double cold, double keep_alive, int states) {
  const double rho = lambda * warm;
  std::vector<double> blocking{1.0}, up{lambda / (1.0 + lambda * cold)}, down{0.0};
  double kill = 0.0;
  for (int m = 1; m <= states; ++m) {
    blocking.push_back(erlang_b(rho, m));
    const double share = lambda * (blocking[static_cast<std::size_t>(m) - 1] - blocking.back());
    const double span = keep_alive + warm;
    const double survive = std::exp(-share * keep_alive);
    const double gap = -span * std::exp(-share * span) + (1.0 - std::exp(-share * span)) / share;
    kill += 1.0 / (keep_alive + (1.0 / survive - 1.0) * gap);
    const double beta = lambda * blocking.back();
    up.push_back(beta / (1.0 + beta * cold));
    down.push_back(kill);
  }
  const int n = states + 1;
  Eigen::MatrixXd transposed = Eigen::MatrixXd::Zero(n, n);  // Qᵀ
  for (int m = 0; m < n; ++m) {
    if (m + 1 < n) {
      transposed(m + 1, m) += up[static_cast<std::size_t>(m)];
      transposed(m, m) -= up[static_cast<std::size_t>(m)];
    }
    if (m > 0) {
      transposed(m - 1, m) += down[static_cast<std::size_t>(m)];
      transposed(m, m) -= down[static_cast<std::size_t>(m)];
    }
  }
  transposed.row(0).setOnes();
  Eigen::VectorXd right = Eigen::VectorXd::Zero(n);
  right(0) = 1.0;
  const Eigen::VectorXd pi = transposed.fullPivLu().solve(right);
  FaasSteadyState result{};
  for (int m = 0; m < n; ++m) {
    const double b = blocking[static_cast<std::size_t>(m)];
    result.average_instances += pi(m) * m;
    result.cold_start_probability += pi(m) * b;
    result.average_response_time += pi(m) * (b * cold + (1.0 - b) * warm);
    result.average_running_warm += pi(m) * lambda * (1.0 - b) * warm;
  }
  result.utilization = result.average_running_warm / result.average_instances;
  return result;
}

TEST(FaasSteadyState, ReproducesThePublishedCheckValues) {
  // MODELS.md §4 (pacsltk's example): λ = 100/s, w = 2 s, c = 25 s, θ = 600 s.
  const FaasSteadyState s = faas_steady_state(
      {.arrival_rate = 100.0, .warm_service = 2.0, .cold_service = 25.0, .keep_alive = 600.0});
  EXPECT_NEAR(s.average_instances, 251.0439, 5e-4);
  EXPECT_NEAR(s.cold_start_probability, 0.000065, 5e-7);
  EXPECT_NEAR(s.average_response_time, 2.001488, 5e-6);
  EXPECT_NEAR(s.utilization, 0.796622, 5e-6);
  EXPECT_EQ(s.rejection_probability, 0.0);
}

TEST(FaasSteadyState, DefinesUtilisationAndIdleCountFromTheWarmRunningCount) {
  const FaasSteadyState s = faas_steady_state({100.0, 2.0, 25.0, 600.0});
  // Little: warm-running instances = λ(1 − P_cold)·w.
  EXPECT_NEAR(s.average_running_warm, 100.0 * (1.0 - s.cold_start_probability) * 2.0, 1e-9);
  EXPECT_NEAR(s.utilization, s.average_running_warm / s.average_instances, 1e-15);
  EXPECT_NEAR(s.average_idle, s.average_instances - s.average_running_warm, 1e-12);
  EXPECT_NEAR(s.average_running, s.average_running_warm + 100.0 * s.cold_start_probability * 25.0, 1e-9);
}

TEST(FaasSteadyState, AgreesWithAPlainLinearSolveWhereNothingOverflows) {
  for (const auto& [lambda, keep_alive] : {std::pair{0.5, 10.0}, std::pair{2.0, 3.0}, std::pair{5.0, 1.0}}) {
    const FaasSteadyState plain = plain_faas_model(lambda, 1.0, 3.0, keep_alive, 60);
    const FaasSteadyState s = faas_steady_state({lambda, 1.0, 3.0, keep_alive});
    EXPECT_NEAR(s.average_instances, plain.average_instances, 1e-9 * plain.average_instances) << lambda;
    EXPECT_NEAR(s.cold_start_probability, plain.cold_start_probability, 1e-10) << lambda;
    EXPECT_NEAR(s.average_response_time, plain.average_response_time, 1e-10) << lambda;
    EXPECT_NEAR(s.utilization, plain.utilization, 1e-10) << lambda;
  }
}

TEST(FaasSteadyState, ReturnsAProperDistribution) {
  const std::vector<double> pi = faas_instance_distribution({100.0, 2.0, 25.0, 600.0});
  EXPECT_NEAR(std::accumulate(pi.begin(), pi.end(), 0.0), 1.0, 1e-12);
  EXPECT_LT(pi.back(), 1e-20);  // truncated well past the mass
  EXPECT_GT(pi.size(), 252u);
}

TEST(FaasSteadyState, SolvesAThousandRequestsPerSecondWithoutOverflow) {
  const FaasSteadyState s = faas_steady_state({.arrival_rate = 1000.0,
                                               .warm_service = 2.0,
                                               .cold_service = 25.0,
                                               .keep_alive = 600.0,
                                               .max_instances = 100000});
  for (const double value :
       {s.average_instances, s.cold_start_probability, s.average_response_time, s.utilization})
    EXPECT_TRUE(std::isfinite(value));
  EXPECT_GT(s.average_instances, 2000.0);  // ρ = 2000 instances busy on average, plus idle ones
  EXPECT_LT(s.average_instances, 2400.0);
  EXPECT_GT(s.utilization, 0.85);
  EXPECT_LT(s.utilization, 1.0);
  EXPECT_LT(s.cold_start_probability, 1e-3);
  EXPECT_EQ(s.rejection_probability, 0.0);
}

TEST(FaasSteadyState, RejectsArrivalsThatFindEveryInstanceBusyAtTheLimit) {
  // ρ = 2000 erlangs on at most 1000 instances: the chain sits at the limit and the platform
  // is an Erlang loss system there.
  const FaasSteadyState s = faas_steady_state({1000.0, 2.0, 25.0, 600.0, 1000});
  EXPECT_NEAR(s.average_instances, 1000.0, 1e-6);
  EXPECT_NEAR(s.rejection_probability, erlang_b(2000.0, 1000), 1e-9);
  EXPECT_NEAR(s.average_response_time, 2.0, 1e-9);  // the served ones are warm
  EXPECT_NEAR(s.average_running_warm, 1000.0 * (1.0 - s.rejection_probability) * 2.0, 1e-6);
}

TEST(FaasSteadyState, LimitBelowTheNeedCutsTheInstanceCountAndRejects) {
  const FaasSteadyState free = faas_steady_state({100.0, 2.0, 25.0, 600.0, 1000});
  const FaasSteadyState limited = faas_steady_state({100.0, 2.0, 25.0, 600.0, 230});
  EXPECT_LE(limited.average_instances, 230.0 + 1e-9);
  EXPECT_LT(limited.average_instances, free.average_instances);
  // Rejected: arrivals that find all 230 busy while 230 exist, at most Erlang B(200, 230).
  EXPECT_GT(limited.rejection_probability, 0.5 * erlang_b(200.0, 230));
  EXPECT_LE(limited.rejection_probability, erlang_b(200.0, 230));
  EXPECT_LT(limited.cold_start_probability, free.cold_start_probability);
}

TEST(FaasSteadyState, LongerKeepAliveMeansFewerColdStartsAndMoreInstances) {
  const FaasSteadyState short_lived = faas_steady_state({5.0, 1.0, 4.0, 2.0});
  const FaasSteadyState long_lived = faas_steady_state({5.0, 1.0, 4.0, 60.0});
  EXPECT_LT(long_lived.cold_start_probability, short_lived.cold_start_probability);
  EXPECT_GT(long_lived.average_instances, short_lived.average_instances);
  EXPECT_LT(long_lived.average_response_time, short_lived.average_response_time);
}

TEST(FaasSteadyState, RejectsMeaninglessParameters) {
  EXPECT_THROW(faas_steady_state({0.0, 2.0, 25.0, 600.0}), std::invalid_argument);
  EXPECT_THROW(faas_steady_state({1.0, 0.0, 25.0, 600.0}), std::invalid_argument);
  EXPECT_THROW(faas_steady_state({1.0, 2.0, -1.0, 600.0}), std::invalid_argument);
  EXPECT_THROW(faas_steady_state({1.0, 2.0, 25.0, 0.0}), std::invalid_argument);
  EXPECT_THROW(faas_steady_state({1.0, 2.0, 25.0, 600.0, 0}), std::invalid_argument);
  EXPECT_THROW(faas_steady_state({std::nan(""), 2.0, 25.0, 600.0}), std::invalid_argument);
}

}  // namespace
}  // namespace continuum::analytic
