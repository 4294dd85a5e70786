#pragma once
// What a keep-alive policy decides for a FaaS function, and the little it sees to decide it. The
// implementations (fixed, hybrid histogram) and their registry live in policies/faas/; the model
// only calls this interface, so models/ does not depend on policies/.
#include <string_view>

#include "sim/engine/sim_time.hpp"

namespace continuum {

/// What happens to an instance that has just become idle (no request in service).
///   prewarm == 0: the instance stays loaded and is terminated after `keep_alive` s without a request.
///   prewarm  > 0: the instance is unloaded at once (it holds no memory and does not count as an
///                 instance), loaded back `prewarm` s later, and then kept `keep_alive` s. A request
///                 that needs a new instance before the reload reuses it as a cold start instead.
/// This is the pre-warming window / keep-alive window pair of Shahrad et al. (ATC'20).
struct KeepAliveDecision {
  double prewarm = 0.0;       ///< s from becoming idle to the reload; 0: never unloaded early
  double keep_alive = 600.0;  ///< s a loaded idle instance is kept before it is terminated
};

/// One policy object serves one function (it may learn from that function's arrivals).
class KeepAlivePolicy {
 public:
  virtual ~KeepAlivePolicy() = default;
  virtual std::string_view name() const = 0;
  /// An instance of the function became idle at `now`.
  virtual KeepAliveDecision on_instance_idle(SimTime now) = 0;
  /// Each arrival reports the function's idle time: the time since its last request finished when
  /// none was in service at the arrival, 0 when some were (the function was not idle). Arrivals
  /// before the first completion report nothing.
  virtual void on_idle_time(double idle_time) { static_cast<void>(idle_time); }
};

}  // namespace continuum
