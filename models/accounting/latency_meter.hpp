#pragma once
// Everything reported about a latency: moments, quantiles (DDSketch, 0.5 % relative accuracy),
// and a batch-means confidence interval for the mean within one run.
#include "sim/engine/stats/batch_means.hpp"
#include "sim/engine/stats/quantile_sketch.hpp"
#include "sim/engine/stats/welford.hpp"

namespace continuum {

struct LatencyMeter {
  stats::Welford moments;
  stats::QuantileSketch quantiles;
  stats::BatchMeans batches;

  void add(double seconds) {
    moments.add(seconds);
    quantiles.add(seconds);
    batches.add(seconds);
  }
  void reset() {
    moments.reset();
    quantiles.reset();
    batches.reset();
  }
};

}  // namespace continuum
