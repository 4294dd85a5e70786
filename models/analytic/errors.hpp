#pragma once
// Errors raised by the analytic models.
#include <stdexcept>

namespace continuum::analytic {

/// An infinite-queue model asked for a load it cannot carry (utilisation ρ ≥ 1): no steady state
/// exists, so there is no number to return. Finite-capacity models never throw it.
struct Unstable : std::domain_error {
  using std::domain_error::domain_error;
};

}  // namespace continuum::analytic
