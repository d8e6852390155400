// The route stage: the first route of the virtual host whose match (path, headers, query
// parameters) accepts the request, and what its action is. Paraphrases Istio's
// pilot/pkg/simulation/traffic.go matchVirtualHost, with Envoy's HeaderUtility::matchHeaders
// and query parameter matching.
#pragma once

#include "engine/http/request.h"
#include "engine/match/routing_result.h"

namespace gwsim::match {

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
