#include "engine/router/retry_state.h"

#include <algorithm>

namespace gwsim::router {

bool retry_on_has(const route::RetryPolicy& p, std::string_view what) {
  std::string_view list = p.retry_on;
  while (!list.empty()) {
    auto comma = list.find(',');
    if (list.substr(0, comma) == what) return true;
    if (comma == std::string_view::npos) break;
    list = list.substr(comma + 1);
  }
  return false;
}

RetryState::RetryState(const route::RouteAction& action)
    : policy_(action.retry ? &*action.retry : nullptr),
      max_attempts_(1 + (action.retry ? action.retry->num_retries : 0)),
      per_try_(action.retry ? action.retry->per_try_timeout.value_or(0) : 0),
      route_timeout_(action.timeout.value_or(0)) {}

model::Millis RetryState::attempt_budget() const {
  model::Millis budget = per_try_ > 0 ? per_try_ : kNoTimeLimit;
  if (route_timeout_ > 0) budget = std::min(budget, std::max<model::Millis>(0, route_timeout_ - elapsed_));
  return budget;
}

RetryState::Timing RetryState::record(const http::UpstreamResponse& r) {
  Timing t;
  // The upstream answers after its delay, unless a per-try timeout cuts it short.
  t.took = r.connected ? r.delay_ms : 0;
  t.per_try_timeout = r.connected && per_try_ > 0 && r.delay_ms >= per_try_;
  if (t.per_try_timeout) t.took = per_try_;
  if (route_timeout_ > 0 && elapsed_ + t.took >= route_timeout_) {
    t.route_timeout = true;  // Envoy answers 504 and stops retrying
    return t;
  }
  elapsed_ += t.took;
  return t;
}

bool RetryState::retriable(const http::UpstreamResponse& r, const Timing& timing) const {
  if (!policy_ || timing.route_timeout) return false;
  auto on = [this](std::string_view what) { return retry_on_has(*policy_, what); };
  // A per-try timeout is retried only under 5xx or gateway-error.
  if (timing.per_try_timeout) return on("5xx") || on("gateway-error");
  // RetryStateImpl::wouldRetryFromReset: connect-failure covers only a failed connection; a
  // reset after the request was sent is retried under 5xx, gateway-error or reset.
  if (!r.connected)
    return (!r.terminated && on("connect-failure")) || on("5xx") || on("gateway-error") || on("reset");
  if (on("5xx") && r.status >= 500) return true;
  if (on("gateway-error") && (r.status == 502 || r.status == 503 || r.status == 504)) return true;
  if (on("retriable-status-codes") &&
      std::find(policy_->retriable_status_codes.begin(), policy_->retriable_status_codes.end(),
                static_cast<std::uint32_t>(r.status)) != policy_->retriable_status_codes.end()) {
    return true;
  }
  return false;
}

}  // namespace gwsim::router
