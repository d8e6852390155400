// The gateway workload a route table is compiled for, from the gateway's Kubernetes Service:
// its pod (labels, namespace, address), the Service's port -> targetPort map, the server port
// translation of every Service selecting the pod, and the pod's proxy configuration.
// Paraphrases Istio's pilot/pkg/model/gateway.go resolvePorts (with
// experimental.istio.io/disable-gateway-port-translation) and the proxy metadata istiod reads
// from the pod (pilot/pkg/model/context.go: labels, namespace, ProxyConfig gatewayTopology).
#pragma once

#include <cstdint>
#include <string>

#include "engine/model/result.h"
#include "engine/model/snapshot.h"
#include "engine/route/route_table.h"

namespace gwsim::route {

// A Service port's targetPort on `pod`: the number, the named container port (0 when the pod
// has none of that name), or the port itself when targetPort is unset.
std::int32_t resolve_target_port(const model::ServicePort& port, const model::Pod* pod);

// The workload behind `gateway_service` ("ns/name", or "name" in "default"): its ready pod
// (the first by name) selected by the Service. Errors when the Service does not exist, has no
// selector, or has no ready pod. An unreadable proxy.istio.io/config annotation is ignored (the
// proxy falls back to the mesh default).
Result<GatewayProxy> gateway_workload(const model::ConfigSnapshot& snapshot, const std::string& gateway_service);

}  // namespace gwsim::route
