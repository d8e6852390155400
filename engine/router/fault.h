// The fault filter: an abort answers with the configured status (FI) instead of the upstream;
// a delay holds the request first (DI). Paraphrases Envoy's
// source/extensions/filters/http/fault/fault_filter.cc, with Istio's TranslateFault percentages.
//
// gwsim draws the abort before the cluster stage (an aborted request names no cluster, and
// aborts even when its cluster does not exist), and the delay only for a request whose cluster
// exists; the filter in the chain answers the abort after CORS, as Envoy's order has it.
#pragma once

#include "engine/router/http_filter.h"

namespace gwsim::router {

// Whether a fault percentage hits: 100 always and 0 never, without a draw.
bool percent_hit(double percent, lb::Random& rng);

// The abort decision for a matched route (kRoute actions only); sets the trace's FI status.
bool decide_fault_abort(match::RoutingResult& routing, lb::Random& rng);

FilterStatus fault_decode_headers(FilterState& state);

inline constexpr HttpFilter kFaultFilter{"envoy.filters.http.fault", &fault_decode_headers, nullptr};

}  // namespace gwsim::router
