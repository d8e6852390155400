#include "engine/route/retry_policy.h"

#include <gtest/gtest.h>

namespace gwsim::route {
namespace {

model::HTTPRetry retries(std::int32_t attempts, std::string retry_on = "") {
  model::HTTPRetry r;
  r.attempts = attempts;
  r.retry_on = std::move(retry_on);
  return r;
}

TEST(RetryPolicyTest, NoRetriesGivesTheMeshDefault) {
  auto p = convert_retry_policy(std::nullopt);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->num_retries, 2u);
  EXPECT_EQ(p->retry_on, "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes");
  EXPECT_TRUE(p->retriable_status_codes.empty());  // 503 is not retried by default
  EXPECT_TRUE(p->retry_previous_hosts);
}

TEST(RetryPolicyTest, ZeroAttemptsDisablesRetries) {
  EXPECT_FALSE(convert_retry_policy(retries(0)).has_value());
  EXPECT_FALSE(convert_retry_policy(retries(-1)).has_value());
}

TEST(RetryPolicyTest, AttemptsWithoutRetryOnKeepTheDefaultConditions) {
  auto p = convert_retry_policy(retries(5));
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->num_retries, 5u);
  EXPECT_EQ(p->retry_on, RetryPolicy{}.retry_on);
}

TEST(RetryPolicyTest, RetryOnReplacesTheConditionsAndNumbersBecomeStatusCodes) {
  auto p = convert_retry_policy(retries(3, "gateway-error,,503,connect-failure,429"));
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->retry_on, "gateway-error,connect-failure,retriable-status-codes");
  EXPECT_EQ(p->retriable_status_codes, (std::vector<std::uint32_t>{503, 429}));
}

TEST(RetryPolicyTest, RetriableStatusCodesIsNotAddedTwice) {
  auto p = convert_retry_policy(retries(1, "retriable-status-codes,502"));
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->retry_on, "retriable-status-codes");
  EXPECT_EQ(p->retriable_status_codes, (std::vector<std::uint32_t>{502}));
}

TEST(RetryPolicyTest, PerTryTimeoutAndPreviousHostsAreCarried) {
  auto in = retries(2);
  in.per_try_timeout = model::Millis(250);
  in.retry_ignore_previous_hosts = false;
  auto p = convert_retry_policy(in);
  ASSERT_TRUE(p.has_value());
  ASSERT_TRUE(p->per_try_timeout.has_value());
  EXPECT_EQ(*p->per_try_timeout, model::Millis(250));
  EXPECT_FALSE(p->retry_previous_hosts);
}

}  // namespace
}  // namespace gwsim::route
