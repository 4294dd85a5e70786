#include "models/faas/faas_billing.hpp"

namespace continuum {

double billed_duration(const FaasPricing& pricing, bool cold, double service_time, double warm_mean) {
  return cold && !pricing.bill_cold_time ? warm_mean : service_time;
}

double pay_per_use_cost(const FaasPricing& pricing, double memory, double billed_seconds,
                        std::uint64_t invocations) {
  return pricing.price_per_gb_second * (memory / bytes_per_gib) * billed_seconds +
         pricing.price_per_invocation * static_cast<double>(invocations);
}

double warm_second_price(const FaasFunctionSpec& function, const FaasPricing& pricing) {
  return function.price_per_warm_second.value_or(pricing.price_per_gb_second * function.memory /
                                                 bytes_per_gib);
}

double space4ai_faas_cost(double price_per_warm_second, double warm_mean, double rate, double horizon,
                          double price_per_invocation) {
  return (price_per_warm_second * warm_mean + price_per_invocation) * rate * horizon;
}

double invocation_cost(const FaasFunctionSpec& function, const FaasPricing& pricing, bool cold,
                       double service_time, double warm_mean) {
  if (pricing.billing == FaasBillingModel::pay_per_use)
    return pay_per_use_cost(pricing, function.memory, billed_duration(pricing, cold, service_time, warm_mean),
                            1);
  return space4ai_faas_cost(warm_second_price(function, pricing), warm_mean, 1.0, 1.0,
                            pricing.price_per_invocation);
}

}  // namespace continuum
