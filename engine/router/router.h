// One request through the gateway, the same pipeline in both modes: the stages of
// engine/match (listener, filter chain, virtual host, route, cluster), the HTTP filters in
// Envoy's order (cors, fault), then the router's attempts (endpoint choice by the load
// balancer, Envoy's retry and timeout rules, its headers) or a TCP proxy's one connect; every
// answer the gateway gives itself comes from local_reply.h.
//
// The upstream is a callback: decision mode answers from in-process pod models, the proxy
// (engine/datapath) from real sockets. Each attempt gets its context (route, attempt number,
// time budget, fault delay), so the callback needs no lookup of its own and keeps no time
// accounting: the pipeline's RetryState is the only one. Paraphrases Envoy's
// source/common/router/router.cc (Filter::decodeHeaders, onUpstreamHeaders, retries).
#pragma once

#include "engine/http/request.h"
#include "engine/http/response.h"
#include "engine/lb/load_balancer.h"
#include "engine/match/decide.h"
#include "engine/match/trace.h"
#include "engine/route/route_table.h"
#include "engine/router/exchange.h"
#include "engine/router/retry_state.h"

namespace gwsim::router {

// A request in decision mode: its connection's stages first, then the rest.
Exchange exchange(const route::RouteTable& table, const http::Request& request, lb::Random& rng,
                  lb::LoadBalancerState& lb_state, const UpstreamCall& upstream);

// A request on a connection whose listener and filter chain stages (match::match_connection)
// already ran, on the same table: the proxy matches a chain once per connection.
Exchange exchange(const route::RouteTable& table, const http::Request& request, match::RoutingResult connection,
                  lb::Random& rng, lb::LoadBalancerState& lb_state, const UpstreamCall& upstream);

}  // namespace gwsim::router
