#include "engine/datapath/detail_upstream_pool.h"

#include <gtest/gtest.h>

namespace gwsim::datapath::detail {
namespace {

using std::chrono::milliseconds;

TEST(UpstreamDeadline, IsNowPlusTheWait) {
  const Clock::time_point now = Clock::now();
  EXPECT_EQ(deadline_after(now, milliseconds(1500)), now + milliseconds(1500));
  EXPECT_EQ(deadline_after(now, milliseconds(0)), now);
  EXPECT_EQ(deadline_after(now, milliseconds(-5)), now);
}

// A VirtualService timeout of 2562047h (Go's longest time.Duration) in milliseconds: added to
// the steady clock in nanoseconds it overflowed and the deadline lay in the past.
TEST(UpstreamDeadline, SaturatesInsteadOfWrappingAround) {
  const Clock::time_point now = Clock::now();
  const milliseconds longest(2562047LL * 3600 * 1000);
  const Clock::time_point deadline = deadline_after(now, longest);
  EXPECT_GT(deadline, now + std::chrono::hours(24 * 365));
  EXPECT_EQ(deadline_after(now, milliseconds::max()), Clock::time_point::max());
}

}  // namespace
}  // namespace gwsim::datapath::detail
