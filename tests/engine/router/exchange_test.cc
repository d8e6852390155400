// What one request through the gateway yields, and what an upstream attempt is told.
#include "engine/router/exchange.h"

#include <gtest/gtest.h>

namespace gwsim::router {
namespace {

TEST(Exchange, AnAttemptWithoutARouteIsATcpConnectWithNoTimeLimit) {
  AttemptContext attempt;
  EXPECT_EQ(attempt.route, nullptr);
  EXPECT_EQ(attempt.attempt, 1u);
  EXPECT_EQ(attempt.max_attempts, 1u);
  EXPECT_EQ(attempt.budget, kNoTimeLimit);
  EXPECT_EQ(attempt.fault_delay, 0);
}

TEST(Exchange, AnUpstreamCallAnswersWhatItWasAsked) {
  UpstreamCall call = [](const route::Endpoint& e, const http::UpstreamRequest& up, const AttemptContext& a) {
    http::UpstreamResponse r;
    r.connected = true;
    r.status = a.attempt == 2 ? 200 : 503;
    r.body = e.ip + up.path;
    return r;
  };
  route::Endpoint e;
  e.ip = "10.0.0.7";
  http::UpstreamRequest up;
  up.path = "/x";
  AttemptContext second;
  second.attempt = 2;
  EXPECT_EQ(call(e, up, AttemptContext{}).status, 503);
  const http::UpstreamResponse r = call(e, up, second);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "10.0.0.7/x");
  Exchange ex;
  EXPECT_FALSE(ex.upstream_request.has_value());
  EXPECT_EQ(ex.endpoint, nullptr);
}

}  // namespace
}  // namespace gwsim::router
