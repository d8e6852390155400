#include "engine/match/decide.h"

#include "engine/match/cluster_pick.h"
#include "engine/match/filter_chain.h"
#include "engine/match/listener.h"
#include "engine/match/remote_address.h"
#include "engine/match/route_match.h"
#include "engine/match/virtual_host.h"

namespace gwsim::match {

bool match_connection(const route::RouteTable& table, const http::Request& request, RoutingResult& out) {
  return match_listener(table, request, out) && match_filter_chain(request, out);
}

RoutingResult route_request(const route::RouteTable& table, const http::Request& request, lb::Random& rng) {
  RoutingResult out;
  if (!match_connection(table, request, out)) return out;
  // A TCP proxy chain: the connection goes to the chain's cluster as it is.
  if (!out.filter_chain->http) {
    pick_cluster(table, rng, out);
    return out;
  }
  // The connection manager computes the downstream address before any filter (use_remote_address).
  detect_remote_address(table, request, out);
  if (!match_virtual_host(table, request, out) || !match_route(request, out)) return out;
  pick_cluster(table, rng, out);
  return out;
}

}  // namespace gwsim::match
