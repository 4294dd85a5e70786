#pragma once
// Single-server queues with a finite capacity K (the one in service plus K − 1 waiting places):
// arrivals that find K requests present are lost. Such a queue always has a steady state, so every
// load ρ ≥ 0 is allowed, including ρ = 1 and overload.
//
// Sources: Gross & Harris, "Fundamentals of Queueing Theory" (M/M/1/K; M/G/1/K by the embedded
// chain); H. Takagi, "Queueing Analysis, Vol. 2: Finite Systems" (1993);
// J. MacGregor Smith, "M/G/c/K blocking probability models and system performance", Performance
// Evaluation 52 (2003) — the two-moment approximation.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace continuum::analytic {

struct FiniteQueueMetrics {
  double loss_probability;  ///< fraction of arrivals lost (= time-average P(N = K), by PASTA)
  double throughput;        ///< λ·(1 − loss), requests per second that are served
  double mean_in_system;    ///< time-average number present, L = Σ n·p_n
  double mean_response;     ///< of served requests, R = L / throughput (Little)
  double utilization;       ///< fraction of time the server is busy, 1 − p_0 = throughput·E[S]
};

/// M/M/1/K, exact: p_n = ρ^n / Σ_{j=0..K} ρ^j, loss p_K (= 1/(K+1) at ρ = 1). The sum is formed in
/// log space, so large K and ρ > 1 neither overflow nor lose precision.
/// Throws std::invalid_argument for a negative arrival rate, mean_service ≤ 0 or capacity < 1.
FiniteQueueMetrics mm1k(double arrival_rate, double mean_service, int capacity);

/// Time-average distribution p_0..p_K of the number in an M/M/1/K queue (same checks as mm1k).
std::vector<double> mm1k_distribution(double arrival_rate, double mean_service, int capacity);

/// A service-time law described by kind + parameters, mean 1 unless scaled.
struct ServiceLaw {
  enum class Kind {
    exponential,
    deterministic,
    erlang,
    hyperexponential,
    lognormal,
    gamma
  } kind = Kind::exponential;
  double mean = 1.0;  ///< E[S] in seconds
  int erlang_k = 1;   ///< number of phases of the Erlang law (s² = 1/k)
  /// Squared coefficient of variation for hyperexponential (≥ 1; balanced-means two-phase H2),
  /// lognormal and gamma (> 0). Ignored by the other kinds, whose s² is fixed.
  double scv = 1.0;

  /// The squared coefficient of variation Var[S]/E[S]² implied by kind and parameters.
  double squared_cv() const;
  /// E[S²] = (1 + s²)·E[S]².
  double second_moment() const;
  /// The textual form parse() accepts, e.g. "erlang:3" (the mean is not part of it).
  std::string to_string() const;
  /// Throws std::invalid_argument naming the bad parameter.
  void validate() const;

  /// "exponential" | "deterministic" | "erlang:k" | "hyperexp:SCV" | "lognormal:SCV" | "gamma:SCV",
  /// mean 1. Throws std::invalid_argument with the accepted forms on anything else.
  static ServiceLaw parse(std::string_view text);
};

/// The number N of Poisson(λ) arrivals during one service time S of the given law:
/// P(N = 0) and P(N ≥ k) for k = 0..max_count. Closed forms for exponential (geometric),
/// deterministic (Poisson), Erlang and gamma (negative binomial), H2 (mixture of geometrics);
/// adaptive Gauss–Kronrod quadrature over the normal variate for the lognormal law.
struct ArrivalsDuringService {
  double none;                   ///< a_0 = P(N = 0) = E[e^{−λS}]
  std::vector<double> at_least;  ///< at_least[k] = P(N ≥ k)
};
ArrivalsDuringService arrivals_during_service(double arrival_rate, const ServiceLaw& service, int max_count);

/// M/G/1/K, exact, via the Markov chain embedded at departure epochs (states 0..K−1 left behind).
/// The stationary vector π is found from the cut equations
///   π_n·a_0 = π_0·Ā_n + Σ_{i=1..n−1} π_i·Ā_{n−i+1},   Ā_k = P(N ≥ k),
/// which only add positive terms (this is state reduction of the chain, numerically stable for any
/// load), then the time-average law follows: p_j = π_j / (π_0 + ρ) for j < K,
/// p_K = loss = 1 − 1/(π_0 + ρ). That difference cancels when the loss is small, so for ρ < 1 the
/// loss is rather formed as (1 − ρ)·Σ_{j≥K} π'_j / (π'_0 + ρ·Σ_{j<K} π'_j), with π' the unnormalised
/// recursion continued as for an infinite buffer (where Σ_j π'_j = π'_0/(1 − ρ)): losses of 1e-20
/// keep their relative precision.
/// Throws std::invalid_argument on bad arguments and std::domain_error when a_0 underflows
/// (deterministic-like service at ρ of several hundred).
std::vector<double> mg1k_distribution(double arrival_rate, const ServiceLaw& service, int capacity);
FiniteQueueMetrics mg1k(double arrival_rate, const ServiceLaw& service, int capacity);
double mg1k_loss_exact(double arrival_rate, const ServiceLaw& service, int capacity);

/// MacGregor Smith's two-moment approximation of the M/G/1/K loss:
///   K* = (√ρ(s² − 1) + 2K) / (2 + √ρ(s² − 1)),  L = (1 − ρ)·ρ^K* / (1 − ρ^(K*+1))  (1/(K*+1) at ρ = 1).
/// Exact M/M/1/K at s² = 1. Returns std::nullopt outside its domain, 2 + √ρ(s² − 1) ≤ 0 (only
/// possible for s² < 1 and ρ > 4/(1 − s²)²). Throws std::invalid_argument for ρ < 0, s² < 0, K < 1.
std::optional<double> mg1k_loss_approximation(double rho, double scv, int capacity);

}  // namespace continuum::analytic
