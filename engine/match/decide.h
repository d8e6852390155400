// The route lookup through a compiled RouteTable, without sockets, as Istio's
// pilot/pkg/simulation/traffic.go (Simulation.Run) walks a proxy's configuration:
//
//   listener (listener.h) -> filter chain (filter_chain.h) -> virtual host (virtual_host.h)
//   -> route (route_match.h) -> cluster (cluster_pick.h)
//
// Each stage is a small function of its own that adds to the trace and either lets the next
// one run or ends the lookup with one outcome from the closed set match::Outcome.
// route_request() composes them; engine/router/ runs Envoy's filters and router after them.
#pragma once

#include "engine/http/request.h"
#include "engine/lb/load_balancer.h"
#include "engine/match/routing_result.h"
#include "engine/route/route_table.h"

namespace gwsim::match {

// The connection's stages, listener and filter chain: Envoy picks the chain once per
// connection, before any HTTP. false: the connection is refused or closed (outcome set).
bool match_connection(const route::RouteTable& table, const http::Request& request, RoutingResult& out);

// All stages in order. Pure except for `rng` (the weighted cluster pick).
RoutingResult route_request(const route::RouteTable& table, const http::Request& request, lb::Random& rng);

}  // namespace gwsim::match
