// The gateway's listeners: one per listen port and bind, with a filter chain per server (or
// one shared chain for all plaintext HTTP servers of a port). Paraphrases Istio's
// pilot/pkg/networking/core/gateway.go buildGatewayListeners, buildGatewayTCPBasedFilterChains,
// buildGatewayNetworkFiltersFromTCPRoutes / FromTLSRoutes, l4SingleMatch and
// pickMatchingGatewayHosts; model.GetSNIHostsForServer; and Envoy's rejection of a listener
// whose filter chains match the same connections.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/model/istio.h"
#include "engine/route/route_table.h"

namespace gwsim::route {

struct CompileContext;

// GetSNIHostsForServer: the server's hosts without namespace, deduplicated, sorted; empty (no
// SNI criterion) when one of them is "*".
std::vector<std::string> sni_hosts_for_server(const model::Server& server);

// Whether two of the listener's filter chains match the same connections (the same transport,
// TLS or not, and the same server names): a description of the first clash, else nullopt.
std::optional<std::string> duplicate_chain_match(const Listener& listener);

// buildGatewayListeners: the listeners of ctx.gateway's merged servers, sorted by name, into
// ctx.table.listeners; the route configurations their HTTP chains name into
// ctx.table.route_configs (route_configuration.h). A listener without a filter chain, or with
// clashing chains, is left out with a warning.
void build_gateway_listeners(CompileContext& ctx);

}  // namespace gwsim::route
