#pragma once
// Probability distributions as values: a scenario says `{dist: exponential, mean: 0.2s}` and every
// draw samples anew from the caller's named stream. Boost.Random does the sampling, so draws are
// identical across standard libraries.
#include <string>
#include <variant>
#include <vector>

#include "sim/engine/random.hpp"

namespace continuum {

class Distribution {
 public:
  struct Exponential { double mean; };
  struct Deterministic { double value; };
  struct Erlang { int phases; double mean; };
  /// Two-phase hyperexponential with balanced means (Whitt 1982): fixes the mean and SCV ≥ 1.
  struct Hyperexponential { double mean; double scv; double p1; double rate1; double rate2; };
  struct Lognormal { double mean; double scv; double mu; double sigma; };
  struct Gamma { double shape; double scale; };
  struct Uniform { double low; double high; };
  /// Resampling of measured values, each equally likely.
  struct Empirical { std::vector<double> values; double mean; double second_moment; };

  static Distribution exponential(double mean);
  static Distribution deterministic(double value);
  static Distribution erlang(int phases, double mean);
  static Distribution hyperexponential(double mean, double scv);
  static Distribution lognormal(double mean, double scv);
  static Distribution gamma(double mean, double scv);
  static Distribution uniform(double low, double high);
  static Distribution empirical(std::vector<double> values);

  Distribution() : Distribution(deterministic(0.0)) {}

  double sample(RandomEngine& engine) const;
  double mean() const;
  double second_moment() const;
  /// Squared coefficient of variation, Var/mean²; 0 when the mean is 0.
  double scv() const;
  /// The same law scaled so that its mean is `new_mean` (shape and SCV kept).
  Distribution with_mean(double new_mean) const;
  std::string describe() const;

  const auto& law() const { return law_; }

 private:
  using Law = std::variant<Exponential, Deterministic, Erlang, Hyperexponential, Lognormal, Gamma, Uniform, Empirical>;
  explicit Distribution(Law law) : law_(std::move(law)) {}
  Law law_;
};

}  // namespace continuum
