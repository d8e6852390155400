// One route configuration (RDS) of a gateway: its virtual hosts, one per hostname the bound
// VirtualServices share with the servers, hostnames with the very same routes collapsed into one
// virtual host, catch-all routes last. Paraphrases Istio's
// pilot/pkg/networking/core/gateway.go buildGatewayHTTPRouteConfig (with
// collapseDuplicateRoutes and the blackhole virtual host) and route/route.go SortVHostRoutes.
//
// The configuration is assembled from incremental state (route_configuration_state.h), so that
// with a CompileCache a change re-does only the hostnames and virtual hosts of the
// VirtualServices it touched; a compile without a cache fills the same state from empty.
#pragma once

#include <string>
#include <vector>

#include "engine/route/route_table.h"

namespace gwsim::route {

struct CompileContext;

// pkg/config/host/names.go MoreSpecific: longest first, alphabetical, wildcards last.
bool more_specific_host(const std::string& a, const std::string& b);

// buildGatewayHTTPRouteConfig for RDS name `route_name` and its servers (indexes into
// ctx.gateway.servers). Route lists are translated once per gateway and VirtualService (at the
// first server's port) and, with a cache, reused while unchanged. A configuration without
// virtual hosts gets the "blackhole:<port>" one and a warning.
RouteConfiguration build_gateway_http_route_config(CompileContext& ctx, const std::string& route_name,
                                                   const std::vector<int>& server_indexes);

}  // namespace gwsim::route
