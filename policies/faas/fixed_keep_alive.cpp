#include "policies/faas/fixed_keep_alive.hpp"

#include <stdexcept>

namespace continuum::faas {

FixedKeepAlive::FixedKeepAlive(double keep_alive) : keep_alive_(keep_alive) {
  if (!(keep_alive >= 0.0)) throw std::invalid_argument("fixed keep-alive: keep_alive must be >= 0 s");
}

}  // namespace continuum::faas
