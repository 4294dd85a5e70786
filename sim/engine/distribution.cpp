#include "sim/engine/distribution.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <sstream>
#include <stdexcept>

#include <boost/random/exponential_distribution.hpp>
#include <boost/random/gamma_distribution.hpp>
#include <boost/random/lognormal_distribution.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>

namespace continuum {

namespace {
void require(bool condition, const char* what) {
  if (!condition) throw std::invalid_argument(what);
}
template <class... Fs>
struct Overloaded : Fs... {
  using Fs::operator()...;
};
// Clang before 17 lacks class template argument deduction for aggregates (P1816), so say it.
template <class... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;
}  // namespace

Distribution Distribution::exponential(double mean) {
  require(std::isfinite(mean) && mean > 0, "exponential: mean must be a positive finite number");
  return Distribution(Exponential{mean});
}
Distribution Distribution::deterministic(double value) {
  require(std::isfinite(value) && value >= 0, "deterministic: value must be a finite number >= 0");
  return Distribution(Deterministic{value});
}
Distribution Distribution::erlang(int phases, double mean) {
  require(phases >= 1, "erlang: phases must be >= 1");
  require(std::isfinite(mean) && mean > 0, "erlang: mean must be a positive finite number");
  return Distribution(Erlang{phases, mean});
}
Distribution Distribution::hyperexponential(double mean, double scv) {
  require(std::isfinite(mean) && mean > 0, "hyperexponential: mean must be a positive finite number");
  require(std::isfinite(scv) && scv >= 1, "hyperexponential: scv must be >= 1");
  const double p1 = 0.5 * (1.0 + std::sqrt((scv - 1.0) / (scv + 1.0)));
  return Distribution(Hyperexponential{mean, scv, p1, 2.0 * p1 / mean, 2.0 * (1.0 - p1) / mean});
}
Distribution Distribution::lognormal(double mean, double scv) {
  require(std::isfinite(mean) && mean > 0, "lognormal: mean must be a positive finite number");
  require(std::isfinite(scv) && scv > 0, "lognormal: scv must be a positive finite number");
  const double sigma2 = std::log1p(scv);
  return Distribution(Lognormal{mean, scv, std::log(mean) - 0.5 * sigma2, std::sqrt(sigma2)});
}
Distribution Distribution::gamma(double mean, double scv) {
  require(std::isfinite(mean) && mean > 0, "gamma: mean must be a positive finite number");
  require(std::isfinite(scv) && scv > 0, "gamma: scv must be a positive finite number");
  return Distribution(Gamma{1.0 / scv, mean * scv});
}
Distribution Distribution::uniform(double low, double high) {
  require(std::isfinite(low) && std::isfinite(high) && 0 <= low && low <= high,
          "uniform: need finite 0 <= low <= high");
  return Distribution(Uniform{low, high});
}
Distribution Distribution::empirical(std::vector<double> values) {
  require(!values.empty(), "empirical: at least one value is needed");
  for (double v : values) require(std::isfinite(v) && v >= 0, "empirical: values must be finite and >= 0");
  const double n = static_cast<double>(values.size());
  const double mean = std::accumulate(values.begin(), values.end(), 0.0) / n;
  const double second = std::inner_product(values.begin(), values.end(), values.begin(), 0.0) / n;
  return Distribution(Empirical{std::move(values), mean, second});
}

double Distribution::sample(RandomEngine& engine) const {
  return std::visit(
      Overloaded{
          [&](const Exponential& d) {
            return boost::random::exponential_distribution<double>(1.0 / d.mean)(engine);
          },
          [&](const Deterministic& d) { return d.value; },
          [&](const Erlang& d) {
            return boost::random::gamma_distribution<double>(d.phases, d.mean / d.phases)(engine);
          },
          [&](const Hyperexponential& d) {
            const double rate = uniform_open01(engine) < d.p1 ? d.rate1 : d.rate2;
            return boost::random::exponential_distribution<double>(rate)(engine);
          },
          [&](const Lognormal& d) {
            return boost::random::lognormal_distribution<double>(d.mu, d.sigma)(engine);
          },
          [&](const Gamma& d) { return boost::random::gamma_distribution<double>(d.shape, d.scale)(engine); },
          [&](const Uniform& d) {
            return boost::random::uniform_real_distribution<double>(d.low, d.high)(engine);
          },
          [&](const Empirical& d) {
            boost::random::uniform_int_distribution<std::size_t> pick(0, d.values.size() - 1);
            return d.values[pick(engine)];
          },
      },
      law_);
}

double Distribution::mean() const {
  return std::visit(Overloaded{
                        [](const Exponential& d) { return d.mean; },
                        [](const Deterministic& d) { return d.value; },
                        [](const Erlang& d) { return d.mean; },
                        [](const Hyperexponential& d) { return d.mean; },
                        [](const Lognormal& d) { return d.mean; },
                        [](const Gamma& d) { return d.shape * d.scale; },
                        [](const Uniform& d) { return 0.5 * (d.low + d.high); },
                        [](const Empirical& d) { return d.mean; },
                    },
                    law_);
}

double Distribution::second_moment() const {
  const double m = mean();
  return std::visit(
      Overloaded{
          [&](const Exponential&) { return 2.0 * m * m; },
          [&](const Deterministic&) { return m * m; },
          [&](const Erlang& d) { return m * m * (1.0 + 1.0 / d.phases); },
          [&](const Hyperexponential& d) { return m * m * (1.0 + d.scv); },
          [&](const Lognormal& d) { return m * m * (1.0 + d.scv); },
          [&](const Gamma& d) { return m * m * (1.0 + 1.0 / d.shape); },
          [&](const Uniform& d) { return (d.low * d.low + d.low * d.high + d.high * d.high) / 3.0; },
          [&](const Empirical& d) { return d.second_moment; },
      },
      law_);
}

double Distribution::scv() const {
  const double m = mean();
  if (m == 0.0) return 0.0;
  return std::max(0.0, second_moment() / (m * m) - 1.0);
}

Distribution Distribution::with_mean(double new_mean) const {
  const double factor = new_mean / mean();
  return std::visit(Overloaded{
                        [&](const Exponential&) { return exponential(new_mean); },
                        [&](const Deterministic&) { return deterministic(new_mean); },
                        [&](const Erlang& d) { return erlang(d.phases, new_mean); },
                        [&](const Hyperexponential& d) { return hyperexponential(new_mean, d.scv); },
                        [&](const Lognormal& d) { return lognormal(new_mean, d.scv); },
                        [&](const Gamma& d) { return gamma(new_mean, 1.0 / d.shape); },
                        [&](const Uniform& d) { return uniform(d.low * factor, d.high * factor); },
                        [&](const Empirical& d) {
                          std::vector<double> scaled = d.values;
                          for (double& v : scaled) v *= factor;
                          return empirical(std::move(scaled));
                        },
                    },
                    law_);
}

std::string Distribution::describe() const {
  std::ostringstream out;
  std::visit(Overloaded{
                 [&](const Exponential& d) { out << "exponential(mean=" << d.mean << ")"; },
                 [&](const Deterministic& d) { out << "deterministic(" << d.value << ")"; },
                 [&](const Erlang& d) { out << "erlang(k=" << d.phases << ", mean=" << d.mean << ")"; },
                 [&](const Hyperexponential& d) {
                   out << "hyperexponential(mean=" << d.mean << ", scv=" << d.scv << ")";
                 },
                 [&](const Lognormal& d) { out << "lognormal(mean=" << d.mean << ", scv=" << d.scv << ")"; },
                 [&](const Gamma& d) { out << "gamma(shape=" << d.shape << ", scale=" << d.scale << ")"; },
                 [&](const Uniform& d) { out << "uniform(" << d.low << ", " << d.high << ")"; },
                 [&](const Empirical& d) { out << "empirical(" << d.values.size() << " values)"; },
             },
             law_);
  return out.str();
}

}  // namespace continuum
