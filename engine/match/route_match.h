// The route stage: the first route of the virtual host whose match (path, headers, query
// parameters) accepts the request, and what its action is. Paraphrases Istio's
// pilot/pkg/simulation/traffic.go matchVirtualHost, with Envoy's HeaderUtility::matchHeaders
// and query parameter matching.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "engine/http/request.h"
#include "engine/match/routing_result.h"

namespace gwsim::match {

// The first condition of a route's match the request fails, in the order route_matches()
// checks them (claims, path, headers, query parameters): the one check both the decision and
// its explanation (explain.h) run, so the two cannot disagree.
struct FailedCondition {
  enum class Kind { kNone, kClaim, kPath, kHeader, kQueryParameter };
  Kind kind = Kind::kNone;
  std::size_t index = 0;  // into route.match.claims, .headers or .query_parameters
  bool failed() const { return kind != Kind::kNone; }
};
FailedCondition first_failed_condition(const route::Route& route, const http::Request& request,
                                       const nlohmann::json& claims);

// What a header matcher sees: every value of the header joined with ",", the pseudo headers
// (":method", ":authority", ":scheme", ":path") from the request line; nullopt when absent.
std::optional<std::string> header_value(const http::Request& request, const std::string& name);
// A query parameter's percent-decoded value as the matcher sees it (the first occurrence);
// nullopt when absent.
std::optional<std::string> query_parameter(std::string_view path, std::string_view name);

// Whether one route's match accepts the request.
bool route_matches(const route::Route& route, const http::Request& request);
// The same with the claims jwt_authn verified (RoutingResult::authn), for @request.auth.claims matches
// (null: no token verified; such matches fail, their withoutHeaders forms pass).
bool route_matches(const route::Route& route, const http::Request& request, const nlohmann::json& claims);

// Needs out.virtual_host. Sets out.route and the trace's route fields. false: kNoRoute (404 NR),
// or a route that answers without a cluster: kRedirect, kDirectResponse, kUnsupported (the
// route is set then).
bool match_route(const http::Request& request, RoutingResult& out);

}  // namespace gwsim::match
