#pragma once
// The two FaaS billing conventions continuum reports side by side (MODELS.md §1 and §4).
//
// Pay per use (AWS Lambda, Azure Functions, Google Cloud Functions):
//   cost = price_per_gb_second · (memory / GiB) · Σ billed durations + price_per_invocation · N
// where N counts accepted invocations and a billed duration is the service time of a warm
// invocation; for a cold one it is the whole cold time (start-up delay + cold service) when the
// platform bills cold time, otherwise the function's mean warm time w̄. The cold draw cannot be split
// into start-up and execution, so w̄ stands for "the execution without the start-up": the expected
// bill is then exactly that of billing the execution only. GiB = 2^30 bytes, as Lambda's GB-second
// (memory in MiB / 1024).
//
// SPACE4AI-D (Sedghani et al.; AI-SPRINT D2.1): cost = (p_w · w̄ + transition) · λ · T, with p_w the
// price per second of warm execution (files give it per hour), w̄ the mean warm time, λ the rate and
// T the horizon; λ·T is the number of invocations, so the simulator uses the accepted invocations N
// of the measured window. When no p_w is given it is derived as price_per_gb_second · memory / GiB,
// and then the two conventions agree in expectation whenever cold time is not billed.
#include <cstdint>

#include "models/faas/faas_spec.hpp"

namespace continuum {

inline constexpr double bytes_per_gib = 1073741824.0;

/// Billed duration (s) of one invocation whose service time was `service_time` (start-up included).
double billed_duration(const FaasPricing& pricing, bool cold, double service_time, double warm_mean);

/// price_per_gb_second · memory/GiB · billed_seconds + price_per_invocation · invocations.
double pay_per_use_cost(const FaasPricing& pricing, double memory, double billed_seconds,
                        std::uint64_t invocations);

/// The function's SPACE4AI-D price per second of warm execution: its own, or the derived one.
double warm_second_price(const FaasFunctionSpec& function, const FaasPricing& pricing);

/// SPACE4AI-D: (price_per_warm_second · warm_mean + price_per_invocation) · rate · horizon.
double space4ai_faas_cost(double price_per_warm_second, double warm_mean, double rate, double horizon,
                          double price_per_invocation = 0.0);

/// The money one accepted invocation adds to the function's `cost` under the platform's billing
/// model. Both conventions are linear in the invocations, so these sum to the reported cost.
double invocation_cost(const FaasFunctionSpec& function, const FaasPricing& pricing, bool cold,
                       double service_time, double warm_mean);

}  // namespace continuum
