#include "engine/router/router.h"

#include "engine/match/decide.h"

#include <vector>

#include <gtest/gtest.h>

#include "tests/engine/stage_world.h"

namespace gwsim::router {
namespace {

using namespace gwsim::testing;

struct Seen {
  std::vector<AttemptContext> attempts;
};

UpstreamCall recording(Seen& seen, http::UpstreamResponse answer) {
  return [&seen, answer](const route::Endpoint&, const http::UpstreamRequest&, const AttemptContext& a) {
    seen.attempts.push_back(a);
    return answer;
  };
}

TEST(Router, EachAttemptGetsItsRouteNumberAndTimeBudget) {
  HTTPRoute r = route_to("mesh", "v1", 8081, "slow");
  r.timeout = 1000;
  r.retries = HTTPRetry{};
  r.retries->attempts = 3;
  r.retries->per_try_timeout = 400;
  r.retries->retry_on = "5xx";
  auto table = stage_table({r});
  lb::Random rng(1);
  lb::LoadBalancerState lb;
  Seen seen;
  http::UpstreamResponse slow;
  slow.status = 503;
  slow.delay_ms = 300;
  auto ex = exchange(table, stage_request(), rng, lb, recording(seen, slow));
  ASSERT_EQ(seen.attempts.size(), 4u);  // 300 + 300 + 300 + the route timeout
  EXPECT_EQ(seen.attempts[0].route->name, "slow");
  EXPECT_EQ(seen.attempts[0].attempt, 1u);
  EXPECT_EQ(seen.attempts[0].max_attempts, 4u);
  EXPECT_EQ(seen.attempts[0].per_try_timeout, 400);
  EXPECT_EQ(seen.attempts[0].budget, 400);
  EXPECT_EQ(seen.attempts[2].budget, 400);
  EXPECT_EQ(seen.attempts[3].attempt, 4u);
  EXPECT_EQ(seen.attempts[3].budget, 100);  // what is left of the route timeout
  EXPECT_EQ(ex.trace.outcome, match::Outcome::kUpstreamTimeout);
  EXPECT_EQ(ex.response.status, 504);
  EXPECT_EQ(ex.response.body, "upstream request timeout");
}

TEST(Router, WithoutTimeoutsTheBudgetIsUnlimited) {
  auto table = stage_table();
  lb::Random rng(1);
  lb::LoadBalancerState lb;
  Seen seen;
  auto ex = exchange(table, stage_request(), rng, lb, recording(seen, http::UpstreamResponse{}));
  ASSERT_EQ(seen.attempts.size(), 1u);
  EXPECT_EQ(seen.attempts[0].budget, kNoTimeLimit);
  EXPECT_EQ(seen.attempts[0].fault_delay, 0);
  EXPECT_EQ(ex.response.status, 200);
  EXPECT_EQ(*ex.response.header("server"), "istio-envoy");
}

TEST(Router, TheFaultDelayReachesTheAttemptAndTheExchange) {
  HTTPRoute r = route_to("mesh", "v1", 8081);
  r.fault = HTTPFaultInjection{};
  r.fault->delay = FaultDelay{};
  r.fault->delay->fixed_delay = 250;
  r.fault->delay->percentage = Percent{100};
  auto table = stage_table({r});
  lb::Random rng(1);
  lb::LoadBalancerState lb;
  Seen seen;
  auto ex = exchange(table, stage_request(), rng, lb, recording(seen, http::UpstreamResponse{}));
  ASSERT_EQ(seen.attempts.size(), 1u);
  EXPECT_EQ(seen.attempts[0].fault_delay, 250);
  EXPECT_EQ(ex.fault_delay, 250);
  EXPECT_EQ(ex.trace.response_flags, "DI");
}

TEST(Router, UnsupportedIsAnswered501InDecisionModeToo) {
  HTTPRoute r;
  r.redirect = HTTPRedirect{};
  r.redirect->uri = "/x";
  r.redirect->redirect_code = 305;
  auto table = stage_table({r});
  lb::Random rng(1);
  lb::LoadBalancerState lb;
  Seen seen;
  auto ex = exchange(table, stage_request(), rng, lb, recording(seen, http::UpstreamResponse{}));
  EXPECT_TRUE(seen.attempts.empty());
  EXPECT_EQ(ex.trace.outcome, match::Outcome::kUnsupported);
  EXPECT_EQ(ex.response.status, 501);
  EXPECT_EQ(*ex.response.header("x-gwsim-unsupported"), "true");
  EXPECT_NE(ex.response.body.find("redirect code 305"), std::string::npos);
}

}  // namespace
}  // namespace gwsim::router

namespace gwsim::router {
namespace {

using namespace gwsim::testing;

// Both paths compute the downstream address the same way, before the filters: the decision
// (match::route_request) and the exchange the data path runs (router::exchange).
TEST(Router, TheRemoteAddressIsComputedOnceAndTheSameOnBothPaths) {
  auto table = stage_table();
  table.proxy.num_trusted_proxies = 2;
  http::Request request = stage_request();
  request.source_ip = "10.244.0.7";
  request.headers.emplace_back("X-Forwarded-For", "56.5.6.7, 72.9.5.6, 98.1.2.3");
  lb::Random decide_rng(1);
  EXPECT_EQ(match::route_request(table, request, decide_rng).remote_address, "72.9.5.6");

  lb::Random rng(1);
  lb::LoadBalancerState lb;
  std::vector<http::UpstreamRequest> sent;
  auto ex = exchange(table, request, rng, lb,
                     [&](const route::Endpoint&, const http::UpstreamRequest& up, const AttemptContext&) {
                       sent.push_back(up);
                       http::UpstreamResponse r;
                       r.connected = true;
                       r.status = 200;
                       return r;
                     });
  ASSERT_EQ(sent.size(), 1u);
  auto header = [&](const std::string& name) {
    for (const auto& [k, v] : sent[0].headers)
      if (k == name) return v;
    return std::string("(absent)");
  };
  EXPECT_EQ(header("x-envoy-external-address"), "72.9.5.6");
  EXPECT_EQ(header("x-forwarded-for"), "56.5.6.7, 72.9.5.6, 98.1.2.3,10.244.0.7");
  EXPECT_EQ(header("x-envoy-internal"), "(absent)");
}

}  // namespace
}  // namespace gwsim::router
