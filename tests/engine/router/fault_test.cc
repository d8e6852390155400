#include "engine/router/fault.h"

#include <gtest/gtest.h>

#include "tests/engine/router/filter_world.h"

namespace gwsim::router {
namespace {

using namespace gwsim::testing;

TEST(FaultFilter, PercentagesOfZeroAndHundredDrawNothing) {
  lb::Random a(4), b(4);
  EXPECT_TRUE(percent_hit(100, a));
  EXPECT_FALSE(percent_hit(0, a));
  EXPECT_EQ(a.next(), b.next());
  int hits = 0;
  for (int i = 0; i < 2000; ++i) hits += percent_hit(25, a);
  EXPECT_NEAR(hits / 2000.0, 0.25, 0.04);
}

TEST(FaultFilter, AnAbortAnswersItsStatusWithFi) {
  FilterWorld w;
  w.route.fault = route::FaultPolicy{.abort_status = 418, .abort_percent = 100};
  auto& state = w.start();
  state.fault_abort = decide_fault_abort(w.routing, w.rng);
  ASSERT_TRUE(state.fault_abort);
  EXPECT_EQ(fault_decode_headers(state), FilterStatus::kLocalReply);
  EXPECT_EQ(w.routing.trace.outcome, match::Outcome::kFaultAbort);
  EXPECT_EQ(w.routing.trace.response_flags, "FI");
  EXPECT_EQ(w.response.status, 418);
  EXPECT_EQ(w.response.body, "fault filter abort");
}

TEST(FaultFilter, NoAbortWithoutPercentageOrOnARedirect) {
  FilterWorld w;
  w.route.fault = route::FaultPolicy{.abort_status = 503};
  w.start();
  EXPECT_FALSE(decide_fault_abort(w.routing, w.rng));
  FilterWorld redirect;
  redirect.route.fault = route::FaultPolicy{.abort_status = 503, .abort_percent = 100};
  redirect.route.action_kind = route::Route::ActionKind::kRedirect;
  redirect.start();
  EXPECT_FALSE(decide_fault_abort(redirect.routing, redirect.rng));
}

TEST(FaultFilter, ADelayIsMarkedDiForARequestWithACluster) {
  FilterWorld w;
  w.route.fault = route::FaultPolicy{.delay = 250, .delay_percent = 100};
  route::Cluster cluster;
  w.routing.cluster = &cluster;
  auto& state = w.start();
  EXPECT_EQ(fault_decode_headers(state), FilterStatus::kContinue);
  EXPECT_EQ(state.fault_delay, 250);
  EXPECT_EQ(w.routing.trace.response_flags, "DI");

  FilterWorld no_cluster;  // 503 NC follows: no delay
  no_cluster.route.fault = w.route.fault;
  auto& s2 = no_cluster.start();
  EXPECT_EQ(fault_decode_headers(s2), FilterStatus::kContinue);
  EXPECT_EQ(s2.fault_delay, 0);
}

}  // namespace
}  // namespace gwsim::router
