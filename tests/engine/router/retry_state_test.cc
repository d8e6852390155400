#include "engine/router/retry_state.h"

#include <gtest/gtest.h>

namespace gwsim::router {
namespace {

route::RouteAction action(std::string retry_on, std::uint32_t retries = 2, model::Millis per_try = 0,
                          model::Millis timeout = 0) {
  route::RouteAction a;
  route::RetryPolicy p;
  p.retry_on = std::move(retry_on);
  p.num_retries = retries;
  if (per_try) p.per_try_timeout = per_try;
  a.retry = p;
  if (timeout) a.timeout = timeout;
  return a;
}

http::UpstreamResponse answer(int status, model::Millis delay = 0) {
  http::UpstreamResponse r;
  r.status = status;
  r.delay_ms = delay;
  return r;
}

http::UpstreamResponse refused() {
  http::UpstreamResponse r;
  r.connected = false;
  r.status = 0;
  return r;
}

TEST(RetryState, RetriableAnswersFollowRetryOn) {
  const route::RouteAction mesh{.retry = route::RetryPolicy{}};
  RetryState mesh_default(mesh);
  EXPECT_EQ(mesh_default.max_attempts(), 3u);
  EXPECT_TRUE(mesh_default.retriable(refused(), {}));         // connect-failure
  EXPECT_FALSE(mesh_default.retriable(answer(503), {}));      // no retriable codes by default
  EXPECT_TRUE(mesh_default.retry_previous_hosts());

  const auto five_action = action("5xx");
  RetryState five(five_action);
  EXPECT_TRUE(five.retriable(answer(500), {}));
  EXPECT_FALSE(five.retriable(answer(404), {}));

  const auto gateway_action = action("gateway-error");
  RetryState gateway(gateway_action);
  EXPECT_TRUE(gateway.retriable(answer(502), {}));
  EXPECT_FALSE(gateway.retriable(answer(500), {}));

  auto codes = action("retriable-status-codes");
  codes.retry->retriable_status_codes = {409};
  RetryState conflict(codes);
  EXPECT_TRUE(conflict.retriable(answer(409), {}));
  EXPECT_FALSE(conflict.retriable(answer(503), {}));

  const route::RouteAction no_retry;
  RetryState none(no_retry);
  EXPECT_EQ(none.max_attempts(), 1u);
  EXPECT_FALSE(none.retriable(refused(), {}));
}

TEST(RetryState, APerTryTimeoutIsRetriedOnlyUnder5xxOrGatewayError) {
  const auto five_action = action("5xx", 2, 100);
  RetryState five(five_action);
  auto timing = five.record(answer(200, 150));
  EXPECT_TRUE(timing.per_try_timeout);
  EXPECT_EQ(timing.took, 100);
  EXPECT_TRUE(five.retriable(answer(200, 150), timing));
  const auto connect_action = action("connect-failure", 2, 100);
  RetryState connect(connect_action);
  auto t2 = connect.record(answer(200, 150));
  EXPECT_FALSE(connect.retriable(answer(200, 150), t2));
}

TEST(RetryState, TheBudgetIsThePerTryTimeoutWithinWhatIsLeftOfTheRouteTimeout) {
  const route::RouteAction no_limits;
  RetryState unlimited(no_limits);
  EXPECT_EQ(unlimited.attempt_budget(), kNoTimeLimit);

  const auto timed = action("5xx", 3, 400, 1000);
  RetryState state(timed);
  EXPECT_EQ(state.attempt_budget(), 400);
  auto first = state.record(answer(503, 300));
  EXPECT_FALSE(first.route_timeout);
  EXPECT_EQ(state.elapsed(), 300);
  EXPECT_EQ(state.attempt_budget(), 400);
  state.record(answer(503, 500));  // cut at 400
  EXPECT_EQ(state.elapsed(), 700);
  EXPECT_EQ(state.attempt_budget(), 300);
  auto last = state.record(answer(200, 300));
  EXPECT_TRUE(last.route_timeout);  // 700 + 300 reaches the route timeout
  EXPECT_FALSE(state.retriable(answer(503, 300), last));
}

}  // namespace
}  // namespace gwsim::router
