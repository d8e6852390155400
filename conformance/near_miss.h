// The configuration that came close to taking a request the route table did not take as meant:
// what `gwsim route --explain` and failing steps add to the table's own explanation
// (engine/match/explain.h), which sees only the compiled table. It reads the objects: for a
// Host that matches no virtual host (or only Istio's blackhole), the Gateways with a server for
// that host on another port or not applying to this gateway, and the VirtualServices with that
// host whose gateway name does not resolve, whose exportTo hides them, or whose host is not
// among their Gateway's hosts; for a route miss, matches Istio left out (pinned to another port
// or gateway); for a 503, the DestinationRule subsets and the pods a cluster's endpoints come
// from. The checks follow Istio's binding rules as engine/route applies them
// (resolve_gateway_name, select_gateways, sanitize_server_hosts, names_for_namespace,
// visibility_rank), so a near miss names the rule that left the object out.
#pragma once

#include <vector>

#include "engine/http/request.h"
#include "engine/match/explain.h"
#include "engine/match/trace.h"
#include "engine/model/snapshot.h"
#include "engine/route/route_table.h"

namespace gwsim::conformance {

// The objects that came close, nearest first; empty when the outcome needs none (a routed
// request) or nothing came close.
std::vector<match::NearMiss> config_near_misses(const model::ConfigSnapshot& snapshot, const route::RouteTable& table,
                                                const http::Request& request, const match::Explanation& explanation,
                                                const match::DecisionTrace& decided);

}  // namespace gwsim::conformance
