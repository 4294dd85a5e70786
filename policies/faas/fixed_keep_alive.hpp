#pragma once
// The fixed keep-alive policy of today's platforms (AWS Lambda ≈ 10 min, Azure Functions 20 min):
// every idle instance is kept `keep_alive` seconds, never pre-warmed.
#include <string_view>

#include "models/faas/keep_alive_policy.hpp"

namespace continuum::faas {

class FixedKeepAlive final : public KeepAlivePolicy {
 public:
  /// Throws std::invalid_argument unless keep_alive >= 0.
  explicit FixedKeepAlive(double keep_alive);
  std::string_view name() const override { return "fixed"; }
  KeepAliveDecision on_instance_idle(SimTime) override { return {0.0, keep_alive_}; }
  double keep_alive() const { return keep_alive_; }

 private:
  double keep_alive_;
};

}  // namespace continuum::faas
