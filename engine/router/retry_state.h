// One request's retry policy and time: how many attempts, which answers are retried, and how
// much time each attempt gets. Paraphrases Envoy's source/common/router/retry_state_impl.cc
// (RetryStateImpl::shouldRetry: retry_on, retriable_status_codes, previous_hosts) and the
// router's timeouts (source/common/router/router.cc: the route timeout over all attempts, the
// per-try timeout for each).
#pragma once

#include <cstdint>
#include <limits>
#include <string_view>

#include "engine/http/response.h"
#include "engine/route/route_table.h"

namespace gwsim::router {

// An attempt without a deadline.
inline constexpr model::Millis kNoTimeLimit = std::numeric_limits<model::Millis>::max();

// Whether a retry_on list ("5xx,connect-failure") names `what`.
bool retry_on_has(const route::RetryPolicy& policy, std::string_view what);

class RetryState {
 public:
  explicit RetryState(const route::RouteAction& action);  // `action` outlives the state (the table does)

  std::uint32_t max_attempts() const { return max_attempts_; }
  bool retry_previous_hosts() const { return policy_ && policy_->retry_previous_hosts; }
  model::Millis per_try_timeout() const { return per_try_; }     // 0: none
  model::Millis route_timeout() const { return route_timeout_; }  // 0: none (Istio's default)
  model::Millis elapsed() const { return elapsed_; }

  // The next attempt's time: the per-try timeout, within what is left of the route timeout.
  model::Millis attempt_budget() const;

  // How one attempt went, in the configuration's time.
  struct Timing {
    model::Millis took = 0;
    bool per_try_timeout = false;  // cut short by the per-try timeout
    bool route_timeout = false;    // the route timeout fired first: no more attempts
  };
  // Account for an attempt's answer (its delay_ms is how long the upstream took).
  Timing record(const http::UpstreamResponse& response);

  // Whether Envoy tries again after this answer (the caller checks the attempt count).
  bool retriable(const http::UpstreamResponse& response, const Timing& timing) const;

 private:
  const route::RetryPolicy* policy_ = nullptr;  // nullptr: retries disabled
  std::uint32_t max_attempts_ = 1;
  model::Millis per_try_ = 0;
  model::Millis route_timeout_ = 0;
  model::Millis elapsed_ = 0;
};

}  // namespace gwsim::router
