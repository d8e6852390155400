// VirtualService http routes -> Envoy routes for one gateway server. Paraphrases Istio's
// pilot/pkg/networking/core/route/route.go: BuildHTTPRoutesForVirtualService, TranslateRoute,
// TranslateRouteMatch, TranslateHeadersOperations, ApplyRedirect, the destination and mirror
// translation (processDestination / GetDestinationCluster), TranslateFault and TranslateCORSPolicy;
// retries come from retry_policy.h.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/model/istio.h"
#include "engine/route/route_table.h"
#include "engine/route/service_index.h"

namespace gwsim::route {

using RouteList = std::vector<std::shared_ptr<const Route>>;

// What translated routes read of the world besides their VirtualService: the port a
// destination without one gets from its Service (the Service's only port, else none = 0).
// Translation reports every such lookup, so a cache can tell when the routes are stale.
struct PortLookup {
  std::string host;
  std::string namespace_;  // the VirtualService's, which Service lookup prefers
  std::uint32_t port = 0;
};
using PortLookups = std::vector<PortLookup>;

// What translation reads besides its arguments: the services and the gateway workload.
struct RouteTranslationScope {
  const ServiceIndex& services;
  const GatewayProxy& proxy;
};

// The port a destination without one goes to: its Service's only port (0: none).
std::uint32_t implied_port(const RouteTranslationScope& scope, const std::string& host, const std::string& vs_namespace);

// Whether every recorded lookup still gives the same port.
bool port_lookups_hold(const RouteTranslationScope& scope, const PortLookups& lookups);

// GetDestinationCluster: the cluster "outbound|<port>|<subset>|<host>" a destination names; a
// destination without a port takes its Service's only port, else `listener_port`. The Service
// lookup is appended to `lookups`.
WeightedCluster destination_cluster(const RouteTranslationScope& scope, const model::Destination& destination,
                                    const std::string& vs_namespace, std::uint32_t listener_port, PortLookups& lookups);

// How Istio reads a VirtualService's routes (virtualservice.go UseGatewaySemantics /
// UseIngressSemantics, from internal.istio.io/route-semantics): as written, or as generated from
// Gateway API routes or Kubernetes Ingresses.
enum class RouteSemantics { kVirtualService, kGateway, kIngress };
RouteSemantics route_semantics(const model::VirtualService& vs);

// TranslateRouteMatch: headers (sorted by name) and withoutHeaders, uri, ignoreUriCase, method,
// authority, scheme and query parameters. Null: the catch-all match (prefix "/"). With Gateway
// API or Ingress semantics a uri prefix other than "/" becomes a path-separated prefix without
// its trailing "/".
RouteMatch translate_route_match(const model::HTTPMatchRequest* match,
                                 RouteSemantics semantics = RouteSemantics::kVirtualService);

// TranslateHeadersOperations: names lower-cased; pseudo headers and Host are dropped, and an
// ":authority"/"host" in set (else in add) is reported through `authority` (a host rewrite).
HeaderOps translate_headers_operations(const std::optional<model::HeaderOperations>& ops,
                                       std::string* authority = nullptr);

// TranslateRoute for one match of http route `http_index` (match_index -1 and null `match`:
// no match block); null when the match's port or source does not apply to this server.
std::shared_ptr<Route> translate_route(const RouteTranslationScope& scope, const model::VirtualService& vs,
                                       int http_index, const model::HTTPRoute& in, const model::HTTPMatchRequest* match,
                                       int match_index, std::uint32_t port, const std::string& gateway, bool is_tls,
                                       PortLookups& lookups);

// BuildHTTPRoutesForVirtualService: one route per match, none after the first catch-all.
RouteList build_http_routes_for_virtual_service(const RouteTranslationScope& scope, const model::VirtualService& vs,
                                                std::uint32_t port, bool is_tls, const std::string& gateway,
                                                PortLookups& lookups);

}  // namespace gwsim::route
