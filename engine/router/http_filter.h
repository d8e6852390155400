// The shape of an HTTP filter in the gateway's chain (Envoy's http_connection_manager filter
// list: cors, fault, ..., router). A filter is a pair of plain functions over the request's
// FilterState: decode_headers runs before the router and either lets the request continue or
// answers it with a local reply; encode_headers (optional) adds to the upstream's answer. The
// chain is a constexpr array (router.cc), so adding a filter (authorization, JWT) is one new
// file and one entry, and running it allocates nothing.
#pragma once

#include <span>
#include <string>

#include "engine/http/request.h"
#include "engine/http/response.h"
#include "engine/lb/load_balancer.h"
#include "engine/match/decide.h"
#include "engine/route/route_table.h"

namespace gwsim::router {

enum class FilterStatus { kContinue, kLocalReply };

// One request's state as the filters see it (after the route and cluster stages).
struct FilterState {
  const route::RouteTable& table;
  const http::Request& request;
  match::RoutingResult& routing;  // the stages' result; its trace records the filters' decisions
  lb::Random& rng;
  http::Response& response;       // a local reply's answer
  // Set by the fault filter's abort decision, taken before the cluster stage (see fault.h).
  bool fault_abort = false;
  model::Millis fault_delay = 0;             // the fault filter's delay (0: none)
  const std::string* cors_origin = nullptr;  // an allowed CORS origin: the answer gets its headers
};

struct HttpFilter {
  const char* name;
  FilterStatus (*decode_headers)(FilterState& state);
  void (*encode_headers)(const FilterState& state, http::Headers& headers);  // nullptr: none
};

// Runs decode_headers in order until one answers; kContinue when none did.
FilterStatus decode_headers(std::span<const HttpFilter> chain, FilterState& state);
// Runs encode_headers in order on an upstream's answer.
void encode_headers(std::span<const HttpFilter> chain, const FilterState& state, http::Headers& headers);

}  // namespace gwsim::router
