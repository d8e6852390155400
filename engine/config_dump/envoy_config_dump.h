// A compiled route table as Envoy's admin /config_dump shows it (envoy.admin.v3 ConfigDump, field
// names as Envoy prints them, each resource with its type URL), for `gwsim proxy-config -o json`
// and, one day, `gwsim serve`'s admin port. Names are Istio's (listeners "0.0.0.0_8080", route
// configurations "http.8080", clusters "outbound|80|v1|svc.ns.svc.cluster.local", SDS secrets
// "kubernetes://<credentialName>"); the resources hold what gwsim simulates of them, nothing it
// would have to guess. Paraphrases the shapes of Istio's pilot/pkg/networking/core (gateway.go
// buildGatewayListeners, route/route.go, cluster_builder.go) and Envoy's
// api/envoy/admin/v3/config_dump*.proto.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "engine/route/route_table.h"

namespace gwsim::config_dump {

// The type URLs of each resource and of each section of the dump.
inline constexpr const char* kListenerType = "type.googleapis.com/envoy.config.listener.v3.Listener";
inline constexpr const char* kRouteConfigurationType = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";
inline constexpr const char* kClusterType = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
inline constexpr const char* kClusterLoadAssignmentType =
    "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";
inline constexpr const char* kSecretType = "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret";

// One section of the dump: ListenersConfigDump, RoutesConfigDump, ClustersConfigDump,
// EndpointsConfigDump (what /config_dump?include_eds adds), SecretsConfigDump.
nlohmann::json listeners_dump(const route::RouteTable& table);
nlohmann::json routes_dump(const route::RouteTable& table);
nlohmann::json clusters_dump(const route::RouteTable& table);
nlohmann::json endpoints_dump(const route::RouteTable& table);
nlohmann::json secrets_dump(const route::RouteTable& table);

// {"configs": [clusters, listeners, routes, secrets, endpoints]}: Envoy's order, EDS last.
nlohmann::json config_dump(const route::RouteTable& table);

// Istio's SDS resource names for a chain's credential: "kubernetes://<name>" for the certificate,
// "kubernetes://<name>-cacert" for a MUTUAL server's CA (pilot/pkg/model/credentials).
std::string sds_certificate_name(const route::FilterChain& chain);
std::string sds_ca_name(const route::FilterChain& chain);

// The istio metadata "config" of a route made by the VirtualService "ns/name" (route.go
// util.BuildConfigInfoMetadata): "/apis/networking.istio.io/v1/namespaces/ns/virtual-service/name".
std::string virtual_service_config_path(const std::string& ns_name);

}  // namespace gwsim::config_dump
