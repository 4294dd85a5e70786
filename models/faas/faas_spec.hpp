#pragma once
// The plain description of a FaaS platform and its functions (MODELS.md §1), as the scenario loader
// builds it and the FaaS model runs it. Values are SI: bytes, seconds, money. No file knowledge here.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/engine/distribution.hpp"

namespace continuum {

/// Which of the two billing conventions a platform's reported `cost` follows; both are always
/// computed (see faas_billing.hpp).
enum class FaasBillingModel {
  pay_per_use,  ///< price per GB-second of billed execution + price per invocation (AWS Lambda style)
  space4ai,     ///< SPACE4AI-D: price per second of warm execution × mean warm time × invocations
};

/// One function deployed on a FaaS platform.
struct FaasFunctionSpec {
  std::string name;
  double memory = 0.0;  ///< bytes per instance (billing and memory-time)
  /// Service time of a request that finds an instance ready (to be set: the default is 0 s).
  Distribution warm;
  /// Service time of a request that starts a new instance: start-up + first execution (to be set).
  Distribution cold;
  /// s an idle instance is kept (the `fixed` policy and fallbacks); +infinity: never terminated.
  double keep_alive = 600.0;
  int max_instances = 1000;    ///< loaded instances at most; an arrival that needs one more is rejected
  int concurrency = 1;         ///< requests one instance serves at once
  double startup_delay = 0.0;  ///< s added to every cold start (image pull), on top of `cold`
  /// SPACE4AI-D price: money per second of warm execution (scenario files say e.g. `0.75/h`). When
  /// absent it is derived from the platform's GB-second price and `memory`.
  std::optional<double> price_per_warm_second;
  std::string keep_alive_policy = "fixed";          ///< a name in the keep-alive policy registry
  std::map<std::string, double> policy_parameters;  ///< that policy's parameters, by name
};

/// Prices and billing options of a platform, shared by its functions.
struct FaasPricing {
  double price_per_gb_second = 0.0;   ///< money per GiB (2^30 bytes) of memory per second billed
  double price_per_invocation = 0.0;  ///< money per accepted invocation (SPACE4AI-D's transition cost)
  bool bill_cold_time = true;         ///< false: a cold invocation is billed the mean warm time instead
  FaasBillingModel billing = FaasBillingModel::pay_per_use;
};

/// A FaaS platform of one computational layer and the functions it hosts.
struct FaasPlatformSpec {
  std::string name;
  std::string layer;
  double price_per_gb_second = 0.0;
  double price_per_invocation = 0.0;
  bool bill_cold_time = true;
  FaasBillingModel billing = FaasBillingModel::pay_per_use;
  std::vector<FaasFunctionSpec> functions;

  FaasPricing pricing() const { return {price_per_gb_second, price_per_invocation, bill_cold_time, billing}; }
};

}  // namespace continuum
