#include "sim/engine/event_queue.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <tuple>
#include <vector>

#include <boost/random/uniform_int_distribution.hpp>

#include "sim/engine/random.hpp"

namespace continuum {
namespace {

TEST(EventQueue, EventsAtEqualTimesFireFirstInFirstOut) {
  EventQueue queue;
  for (std::uint64_t i = 0; i < 100; ++i) queue.push(5.0, nullptr, 0, i);
  for (std::uint64_t i = 0; i < 100; ++i) EXPECT_EQ(queue.pop().payload, i);
  EXPECT_TRUE(queue.empty());
}

TEST(EventQueue, PopsInTimeOrder) {
  EventQueue queue;
  const double times[] = {3.0, 1.0, 4.0, 1.5, 9.0, 2.6, 5.0};
  for (double t : times) queue.push(t, nullptr, 0, 0);
  double previous = -1;
  while (!queue.empty()) {
    const double t = queue.pop().time;
    EXPECT_GE(t, previous);
    previous = t;
  }
}

TEST(EventQueue, CancelledEventsNeverFireAndStaleHandlesAreRefused) {
  EventQueue queue;
  const auto a = queue.push(1.0, nullptr, 0, 1);
  const auto b = queue.push(2.0, nullptr, 0, 2);
  EXPECT_TRUE(queue.cancel(a));
  EXPECT_FALSE(queue.cancel(a));  // already cancelled
  EXPECT_EQ(queue.pop().payload, 2u);
  EXPECT_FALSE(queue.cancel(b));  // already fired
  // The slot of `a` is reused by a new event: the old handle must not cancel it.
  const auto c = queue.push(3.0, nullptr, 0, 3);
  EXPECT_FALSE(queue.cancel(a));
  EXPECT_TRUE(queue.is_pending(c));
  EXPECT_EQ(queue.pop().payload, 3u);
}

TEST(EventQueue, AgreesWithASortedShadowUnderRandomPushesPopsAndCancels) {
  // Differential stress test (as OMNeT++'s cEventHeap_stress): the shadow is an ordered map
  // keyed by (time, insertion number), with coarse times so that ties are frequent.
  EventQueue queue;
  std::map<std::pair<double, std::uint64_t>, EventHandle> shadow;
  RandomEngine engine(stream_seed(42, "stress"));
  boost::random::uniform_int_distribution<int> action(0, 9), coarse(0, 50);
  double now = 0;
  std::uint64_t inserted = 0;
  for (int step = 0; step < 200000; ++step) {
    const int a = action(engine);
    if (a < 5 || shadow.empty()) {
      const double t = now + coarse(engine);
      shadow.emplace(std::make_pair(t, inserted), queue.push(t, nullptr, 0, inserted));
      ++inserted;
    } else if (a < 8) {
      const auto fired = queue.pop();
      const auto expected = shadow.begin();
      ASSERT_EQ(fired.time, expected->first.first);
      ASSERT_EQ(fired.payload, expected->first.second);
      now = fired.time;
      shadow.erase(expected);
    } else {
      auto victim = shadow.begin();
      std::advance(victim, static_cast<long>(coarse(engine)) % static_cast<long>(shadow.size()));
      ASSERT_TRUE(queue.cancel(victim->second));
      shadow.erase(victim);
    }
    ASSERT_EQ(queue.size(), shadow.size());
  }
}

}  // namespace
}  // namespace continuum
