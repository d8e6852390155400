// Envoy's jwt_authn filter as Istio configures it at a gateway (source/extensions/filters/http/
// jwt_authn: filter.cc, verifier.cc, authenticator.cc, extractor.cc; the requirement built by
// pilot/pkg/security/authn/policy_applier.go convertToEnvoyJwtConfig): one provider per jwtRule;
// a request must satisfy requires_any{provider, allow_missing} (one provider) or
// requires_any{P0, P1, ..., requires_all{requires_any{Pi, allow_missing}...}} (several). So a
// request without a token passes unauthenticated; a token that fails answers 401 with
// jwt_verify_lib's text (403 for "Audiences in Jwt are not allowed"), and Envoy's
// www-authenticate header. A verified token fills RoutingResult::authn (what Istio's istio_authn
// filter derives: principal "<iss>/<sub>", audiences, presenter, claims) and edits the request:
// payload and claim headers added, the token's header removed unless forwardOriginalToken.
//
// It is the first HTTP filter, and Istio sets clear_route_cache at gateways (authn.go JwtFilter:
// proxy.Type != SidecarProxy), so the route is chosen on the request it leaves: router::exchange
// runs it before the route stages (engine/router/router.cc).
#pragma once

#include <cstdint>

#include "engine/http/request.h"
#include "engine/http/response.h"
#include "engine/match/routing_result.h"
#include "engine/route/route_table.h"
#include "engine/router/http_filter.h"

namespace gwsim::router {

// Runs on `request` (edited in place) when the table has a jwt_authn config; `now`: seconds since
// the epoch, what exp and nbf are checked against. kLocalReply: the answer is in `response` and
// routing.trace (outcome kUnauthenticated).
FilterStatus jwt_authn_decode_headers(const route::RouteTable& table, http::Request& request,
                                      match::RoutingResult& routing, http::Response& response, std::uint64_t now);

// The clock jwt_authn reads in both modes: the system's, in seconds since the epoch (scenario
// tokens are minted against the same clock, see conformance/scenario_jwt.h).
std::uint64_t jwt_clock_now();

}  // namespace gwsim::router
