#pragma once
// Steady state of a scale-per-request FaaS platform (one function), after N. Mahmoudi and
// H. Khazaei, "Performance Modeling of Serverless Computing Platforms", IEEE Transactions on Cloud
// Computing 10(4), 2022 — the model behind the `pacsltk` toolkit that SPACE4AI-D uses.
//
// Model. Poisson arrivals λ; an arrival is served warm (time w) by an idle instance, or else starts
// a new instance and is served cold (time c); an instance idle for the keep-alive θ is terminated.
// With m instances alive, arrivals find them all busy with the Erlang-B probability B_m = B(λw, m)
// (the instances form an M/G/m/m loss system), so cold starts occur at rate β_m = λ·B_m. The m-th
// instance (in Erlang order) receives L_m = λ(B_{m−1} − B_m) requests per second and dies after a
// gap longer than θ: P_m = e^{−L_m θ}, a_m = −T'e^{−L_m T'} + (1 − e^{−L_m T'})/L_m with T' = θ + w,
// lifetime_m = θ + (1/P_m − 1)·a_m, and the kill rate in state m is κ_m = Σ_{k≤m} 1/lifetime_k.
// The instance count is a birth–death chain with up rate β_m·c⁻¹/(β_m + c⁻¹) (a cold start takes c
// before the instance counts) and down rate κ_m.
//
// Numerics. Everything is carried in logarithms (Erlang B, L_m, kill rates, the chain's product
// form), so λ in the thousands, where e^{L_m θ} overflows by hundreds of orders of magnitude, is
// fine. The chain is truncated where π_m has fallen 60 nats (≈ 1e-26) below its peak and at least
// 50 states past the last m with β_m > κ_m; pacsltk stops 5 states past it, which moves the mean
// instance count from 251.0439 to 251.0423 in the check case.
//
// Accuracy: the chain is an approximation (instance lifetimes are not exponential, arrivals to one
// instance are not Poisson); the paper validates it against AWS Lambda experiments. Compare with the
// DES before trusting the fourth digit, and beware short keep-alives: the up rate is bounded by 1/c.
#include <vector>

namespace continuum::analytic {

struct FaasParameters {
  double arrival_rate;       ///< λ, requests per second
  double warm_service;       ///< w, seconds
  double cold_service;       ///< c, seconds (start-up + first execution)
  double keep_alive;         ///< θ, seconds an idle instance is kept
  int max_instances = 1000;  ///< concurrency limit: arrivals that find this many busy are rejected
};

struct FaasSteadyState {
  double cold_start_probability;  ///< fraction of all arrivals served cold, Σ_{m<max} π_m B_m
  double rejection_probability;   ///< fraction of arrivals rejected at the limit, π_max·B_max
  double average_instances;       ///< Σ π_m·m
  double average_running_warm;    ///< instances serving a warm request, Σ π_m·λ(1 − B_m)·w
  double average_response_time;   ///< of served requests, Σ π_m (B_m c + (1 − B_m) w) (renormalised if
                                  ///< rejections)
  double utilization;             ///< average_running_warm / average_instances (pacsltk's definition)
  double average_idle;            ///< average_instances − average_running_warm (pacsltk's definition)
  double average_running;  ///< warm + cold: Σ π_m·λ((1 − B_m)w + B_m c), cold only below the limit
};

/// Solves the chain; throws std::invalid_argument unless λ > 0, w > 0, c ≥ 0, θ > 0 (all finite)
/// and max_instances ≥ 1.
FaasSteadyState faas_steady_state(const FaasParameters& parameters);

/// The stationary distribution π_0..π_n of the instance count (n the truncation level, ≤ max_instances).
std::vector<double> faas_instance_distribution(const FaasParameters& parameters);

}  // namespace continuum::analytic
