// A VirtualService http route's `retries` as Envoy's retry policy. Paraphrases Istio's
// pilot/pkg/networking/core/route/retry/retry.go ConvertPolicy (with DefaultPolicy and
// parseRetryOn).
#pragma once

#include <optional>

#include "engine/model/istio.h"
#include "engine/route/route_table.h"

namespace gwsim::route {

// No `retries`: the mesh default policy (2 attempts on connect-failure, refused-stream,
// unavailable, cancelled, retriable-status-codes). attempts <= 0: nullopt, retries disabled.
// Otherwise the route's attempts, perTryTimeout and retryIgnorePreviousHosts;
// a retryOn list replaces the default conditions, its numeric entries become retriable status
// codes (and add "retriable-status-codes").
std::optional<RetryPolicy> convert_retry_policy(const std::optional<model::HTTPRetry>& retries);

}  // namespace gwsim::route
