// What one request through the gateway yields (Exchange) and how the pipeline asks an upstream
// (UpstreamCall with its AttemptContext): the nouns router.h and tcp_proxy.h both speak, in a
// header of their own below both. Follows Envoy's source/common/router/router.h (the upstream
// request a Filter makes per attempt) and source/common/tcp_proxy/tcp_proxy.h.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>

#include "engine/http/request.h"
#include "engine/http/response.h"
#include "engine/match/trace.h"
#include "engine/router/retry_state.h"
#include "engine/route/route_table.h"

namespace gwsim::router {

// What an upstream callback knows about the attempt it makes.
struct AttemptContext {
  const route::Route* route = nullptr;  // nullptr: a TCP proxy's connect
  std::uint32_t attempt = 1;            // 1-based
  std::uint32_t max_attempts = 1;
  model::Millis per_try_timeout = 0;    // 0: none
  // This attempt's time: the per-try timeout within what is left of the route timeout
  // (kNoTimeLimit: none). An answer that takes this long counts as a timeout.
  model::Millis budget = kNoTimeLimit;
  model::Millis fault_delay = 0;        // the fault filter held the request this long first
};

using UpstreamCall =
    std::function<http::UpstreamResponse(const route::Endpoint&, const http::UpstreamRequest&, const AttemptContext&)>;

struct Exchange {
  match::DecisionTrace trace;
  http::Response response;
  std::optional<http::UpstreamRequest> upstream_request;  // what the final attempt's upstream saw
  const route::Endpoint* endpoint = nullptr;              // who answered
  model::Millis fault_delay = 0;  // the fault filter's delay (DI): the proxy holds the answer this long
  // The request the route stage matched, when it differs from the one sent: jwt_authn ran (claim
  // headers added, the token removed), or the codec and path normalisation changed its path or
  // authority; and the claims jwt_authn verified. An explanation (engine/match/explain.h) reads
  // them, so it sees what the route stage saw. Unset otherwise.
  std::optional<http::Request> routed_request;
  nlohmann::json claims;
};

}  // namespace gwsim::router
