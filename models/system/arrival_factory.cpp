#include "models/system/arrival_factory.hpp"

#include <stdexcept>

namespace continuum {

std::unique_ptr<ArrivalProcess> make_arrival_process(const ArrivalSpec& spec) {
  switch (spec.process) {
    case ArrivalSpec::Process::poisson:
      return std::make_unique<RenewalArrivals>(Distribution::exponential(1.0 / spec.rate));
    case ArrivalSpec::Process::deterministic:
      return std::make_unique<RenewalArrivals>(Distribution::deterministic(1.0 / spec.rate));
    case ArrivalSpec::Process::renewal:
      return std::make_unique<RenewalArrivals>(*spec.gaps);
    case ArrivalSpec::Process::mmpp:
      return std::make_unique<MmppArrivals>(spec.rates[0], spec.rates[1], spec.switch_rates[0],
                                            spec.switch_rates[1]);
    case ArrivalSpec::Process::piecewise:
      return std::make_unique<PiecewiseRateArrivals>(spec.starts, spec.profile_rates, spec.period);
    case ArrivalSpec::Process::trace:
      return std::make_unique<TraceArrivals>(spec.timestamps);
  }
  throw std::invalid_argument("unknown arrival process");
}

}  // namespace continuum
