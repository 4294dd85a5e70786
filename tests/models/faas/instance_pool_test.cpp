#include "models/faas/instance_pool.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <utility>

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_int_distribution.hpp>

namespace continuum {
namespace {

TEST(InstancePool, TopIsTheMostRecentlyCreatedMember) {
  InstancePool pool;
  pool.insert(4, 10);
  pool.insert(1, 30);
  pool.insert(7, 20);
  EXPECT_EQ(pool.top(), 1u);
  EXPECT_TRUE(pool.erase(1));
  EXPECT_EQ(pool.top(), 7u);
  EXPECT_FALSE(pool.erase(1));
  EXPECT_EQ(pool.pop(), 7u);
  EXPECT_EQ(pool.pop(), 4u);
  EXPECT_TRUE(pool.empty());
}

TEST(InstancePool, RefusesAnInstanceThatIsAlreadyAMember) {
  InstancePool pool;
  pool.insert(2, 1);
  EXPECT_THROW(pool.insert(2, 5), std::logic_error);
  EXPECT_TRUE(pool.contains(2));
  EXPECT_FALSE(pool.contains(3));
  EXPECT_FALSE(pool.contains(1000));
}

TEST(InstancePool, AgreesWithAnOrderedSetUnderRandomInsertsAndErasures) {
  // Differential test: the heap against std::set<(order, instance)>.
  boost::random::mt19937_64 engine(7);
  boost::random::uniform_int_distribution<std::uint32_t> pick(0, 199);
  InstancePool pool;
  std::set<std::pair<std::uint64_t, std::uint32_t>> shadow;
  std::vector<std::uint64_t> order_of(200, 0);
  std::uint64_t next_order = 0;
  for (int step = 0; step < 20000; ++step) {
    const std::uint32_t instance = pick(engine);
    if (pool.contains(instance)) {
      ASSERT_TRUE(pool.erase(instance));
      shadow.erase({order_of[instance], instance});
    } else {
      order_of[instance] = next_order++;
      pool.insert(instance, order_of[instance]);
      shadow.insert({order_of[instance], instance});
    }
    ASSERT_EQ(pool.size(), shadow.size());
    if (!shadow.empty()) {
      ASSERT_EQ(pool.top(), shadow.rbegin()->second);
    }
  }
  pool.clear();
  EXPECT_TRUE(pool.empty());
  EXPECT_FALSE(pool.contains(shadow.empty() ? 0 : shadow.begin()->second));
}

}  // namespace
}  // namespace continuum
