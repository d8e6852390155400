// The Gateways that select the gateway workload, merged into one set of servers per listen
// port. Paraphrases Istio's pilot/pkg/model/gateway.go MergeGateways (server merging per port
// and bind, conflicts, duplicate TLS hosts, RDS names via gatewayRDSRouteName, resolvePorts
// for port translation) and sanitizeServerHostNamespace, with push_context.go's gateway
// selection (internal.istio.io/gateway-service, else the selector a subset of the pod's labels;
// oldest first).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "engine/model/snapshot.h"
#include "engine/route/route_table.h"

namespace gwsim::route {

// One Gateway server as merged: its hosts after sanitizeServerHostNamespace.
struct ServerRef {
  const model::Server* server;
  model::Server sanitized;
  std::string gateway;  // "ns/name"
  std::string gateway_namespace;
};

// A listen port: (translated port, upper-case protocol, bind).
struct ServerPortKey {
  std::uint32_t port;
  std::string protocol;
  std::string bind;
  auto tie() const { return std::tie(port, protocol, bind); }
  bool operator<(const ServerPortKey& o) const { return tie() < o.tie(); }
  bool operator==(const ServerPortKey& o) const { return tie() == o.tie(); }
};

struct MergedServers {
  std::vector<int> servers;  // indexes into MergedGateway::servers
  std::string route_name;
};

struct MergedGateway {
  std::vector<const model::Gateway*> gateways;  // selected, oldest first
  std::vector<ServerRef> servers;
  std::map<ServerPortKey, MergedServers> merged;
  std::vector<ServerPortKey> server_ports;  // in the order they were first seen
  std::map<std::string, std::vector<int>> servers_by_route;  // RDS name -> servers

  // The selected Gateway "ns/name" (the first one when none has that name).
  const model::Gateway& find_gateway(const std::string& name) const;
};

// The Gateways that apply to the gateway workload `proxy`, from every namespace, oldest first
// (push_context.go mergeGateways): those with internal.istio.io/gateway-service naming a Service
// of the workload (see resolve_service_ports), and the others whose selector is a subset of the
// pod's labels. When a Gateway API Gateway with a managed deployment
// (internal.istio.io/service-account-name) applies, the others apply only from its namespace
// (filterStrictGatewayMerging); each one left out appends a warning to `warnings`, if given.
std::vector<const model::Gateway*> select_gateways(const model::ConfigSnapshot& snapshot, const GatewayProxy& proxy,
                                                   std::vector<std::string>* warnings = nullptr);

// resolvePorts, for label-selected ("legacy") gateways: the listen port of a server port (the
// first Service port equal to it gives the targetPort, else the server port as is).
std::uint32_t resolve_port(const GatewayProxy& proxy, std::uint32_t server_port);

// resolvePorts, for a Gateway bound by internal.istio.io/gateway-service: the targetPorts (in
// order, without repeats) of the ports equal to `server_port` (any port: `any_port`) of the
// workload's Services whose hostname the annotation lists, in the Gateway's namespace (or its
// internal.istio.io/parent-namespace). No fallback: none when no such port exists.
std::vector<std::uint32_t> resolve_service_ports(const model::Gateway& gateway, const GatewayProxy& proxy,
                                                 std::uint32_t server_port, bool any_port = false);

// sanitizeServerHostNamespace: "./host" becomes "<gateway ns>/host", "*/host" becomes "host",
// and "*/*" replaces the whole list with "*".
model::Server sanitize_server_hosts(const model::Server& server, const std::string& gateway_namespace);

// gatewayRDSRouteName: "http.<listen port>[.<bind>]" for plaintext HTTP, and
// "https.<port>.<port name>.<gateway>.<ns>[.<bind>]" for terminated HTTPS; "" otherwise.
std::string gateway_rds_route_name(const model::Server& server, std::uint32_t listen_port, const model::Gateway& gateway);

// MergeGateways for the gateway workload `proxy`; each skipped server appends a warning.
MergedGateway merge_gateways(const model::ConfigSnapshot& snapshot, const GatewayProxy& proxy,
                             std::vector<std::string>& warnings);

}  // namespace gwsim::route
