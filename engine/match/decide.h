// The request path through a compiled RouteTable, without sockets.
//
//   route_request(): listener -> filter chain -> route config -> virtual host -> route ->
//                    action (cluster picked by weight).             Pure except for `rng`.
//   exchange():      route_request + endpoint choice (load balancer) + upstream call with
//                    Envoy's retry rules + response. The upstream is a callback, so decision
//                    mode (in-process fake pods) and tests share it.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/lb/load_balancer.h"
#include "engine/match/request.h"
#include "engine/match/trace.h"
#include "engine/route/route_table.h"

namespace gwsim::match {

struct RoutingResult {
  DecisionTrace trace;
  const route::Route* route = nullptr;              // set when a route matched
  const route::WeightedCluster* destination = nullptr;  // set for kRoute actions
  const route::VirtualHost* virtual_host = nullptr;
  const route::FilterChain* filter_chain = nullptr;
};

RoutingResult route_request(const route::RouteTable& table, const Request& request, lb::Random& rng);

// The request as the upstream receives it (after rewrites and header operations, with the
// headers Envoy adds).
struct UpstreamRequest {
  std::string method;
  std::string scheme;
  std::string authority;
  std::string path;
  std::vector<std::pair<std::string, std::string>> headers;  // lower-case names, in order
  std::string client_ip;  // the address the upstream sees the request from (the gateway)
};

struct UpstreamResponse {
  bool connected = true;  // false: connection refused / reset before headers
  int status = 200;
  std::int64_t delay_ms = 0;  // how long the upstream takes to answer (timeouts apply to it)
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

using UpstreamCall = std::function<UpstreamResponse(const route::Endpoint&, const UpstreamRequest&)>;

struct Response {
  int status = 0;  // 0: no HTTP response (refused / closed)
  std::vector<std::pair<std::string, std::string>> headers;  // lower-case names
  std::string body;
  const std::string* header(std::string_view name) const;
};

struct Exchange {
  DecisionTrace trace;
  Response response;
  std::optional<UpstreamRequest> upstream_request;  // what the final attempt's upstream saw
  const route::Endpoint* endpoint = nullptr;        // who answered
};

Exchange exchange(const route::RouteTable& table, const Request& request, lb::Random& rng,
                  lb::LoadBalancerState& lb_state, const UpstreamCall& upstream);

}  // namespace gwsim::match
