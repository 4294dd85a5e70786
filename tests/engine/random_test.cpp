#include "sim/engine/random.hpp"

#include <gtest/gtest.h>

namespace continuum {
namespace {

TEST(RandomStreams, AStreamDoesNotDependOnWhichOtherStreamsExist) {
  RandomStreams lone(42);
  const auto first = lone.stream("arrivals/camera")();
  RandomStreams crowded(42);
  crowded.stream("service/pi");
  crowded.stream("failures/vm");
  EXPECT_EQ(crowded.stream("arrivals/camera")(), first);
}

TEST(RandomStreams, DifferentNamesAndSeedsGiveDifferentDraws) {
  RandomStreams streams(42);
  EXPECT_NE(streams.stream("a")(), streams.stream("b")());
  EXPECT_NE(stream_seed(1, "x"), stream_seed(2, "x"));
  EXPECT_NE(stream_seed(1, "x"), stream_seed(1, "y"));
}

TEST(RandomStreams, SeedDerivationIsPinned) {
  // A changed hash would silently change every published result: pin one value.
  EXPECT_EQ(stream_seed(12345, "arrivals"), stream_seed(12345, "arrivals"));
  RandomEngine engine(stream_seed(12345, "arrivals"));
  RandomEngine again(stream_seed(12345, "arrivals"));
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(engine(), again());
  EXPECT_EQ(stream_seed(12345, "arrivals"), 0x9a8841ed9f1047e7ULL);
  EXPECT_EQ(engine(), 0xdf02fb7a4ee123b2ULL);
}

TEST(RandomStreams, OpenUniformIsStrictlyInsideTheUnitInterval) {
  RandomEngine engine(1);
  for (int i = 0; i < 100000; ++i) {
    const double u = uniform_open01(engine);
    ASSERT_GT(u, 0.0);
    ASSERT_LT(u, 1.0);
  }
}

}  // namespace
}  // namespace continuum
