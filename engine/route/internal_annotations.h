// The internal.istio.io/* annotations Istio's Kubernetes controllers put on the Gateways and
// VirtualServices they generate (pilot/pkg/config/kube/gateway: gateway_collection.go,
// conversion.go; pilot/pkg/config/kube/ingress), and which the compile steps honour. The names
// and values are Istio's pkg/config/constants/constants.go and pilot/pkg/model/push_context.go
// (InternalGatewayServiceAnnotation); the predicates are pilot/pkg/model/virtualservice.go
// UseGatewaySemantics / UseIngressSemantics.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/model/k8s.h"

namespace gwsim::route {

// Gateway: the Service hostnames ("name.ns.svc.cluster.local", comma separated) whose
// workloads the Gateway applies to, instead of a selector (push_context.go mergeGateways).
inline constexpr const char* kGatewayServiceAnnotation = "internal.istio.io/gateway-service";
// Gateway: "gateway" for one generated from a Gateway API Gateway.
inline constexpr const char* kGatewaySemanticsAnnotation = "internal.istio.io/gateway-semantics";
// Gateway: the namespace the gateway-service Services live in, when it is not the Gateway's
// (ListenerSets); default the Gateway's namespace.
inline constexpr const char* kParentNamespaceAnnotation = "internal.istio.io/parent-namespace";
// Gateway: the service account of the gateway Deployment Istio manages for it ("" when the
// Gateway API Gateway uses an existing gateway through spec.addresses).
inline constexpr const char* kServiceAccountAnnotation = "internal.istio.io/service-account-name";
// VirtualService: "gateway" (Gateway API routes) or "ingress" (Kubernetes Ingress).
inline constexpr const char* kRouteSemanticsAnnotation = "internal.istio.io/route-semantics";
// Both: the objects it was generated from, "Kind/name.namespace" comma separated
// (Gateways: "Gateway/<gateway>/<listener>.<namespace>").
inline constexpr const char* kParentsAnnotation = "internal.istio.io/parents";

inline std::string annotation(const model::Meta& meta, const char* name) {
  auto it = meta.annotations.find(name);
  return it == meta.annotations.end() ? std::string() : it->second;
}

// A Gateway generated from a Gateway API Gateway (gateway-semantics "gateway").
inline bool is_gateway_api_gateway(const model::Meta& meta) {
  return annotation(meta, kGatewaySemanticsAnnotation) == "gateway";
}

// virtualservice.go UseGatewaySemantics: route-semantics "gateway".
inline bool uses_gateway_semantics(const model::Meta& meta) {
  return annotation(meta, kRouteSemanticsAnnotation) == "gateway";
}

// virtualservice.go UseIngressSemantics: route-semantics "ingress".
inline bool uses_ingress_semantics(const model::Meta& meta) {
  return annotation(meta, kRouteSemanticsAnnotation) == "ingress";
}

// The gateway-service hostnames of a Gateway; empty when it has no such annotation (then its
// selector decides). An annotation present but empty names no Service: it binds nowhere.
inline bool has_gateway_service(const model::Meta& meta) {
  return meta.annotations.count(kGatewayServiceAnnotation) > 0;
}

inline std::vector<std::string> gateway_service_hostnames(const model::Meta& meta) {
  std::vector<std::string> out;
  const std::string value = annotation(meta, kGatewayServiceAnnotation);
  std::string_view rest = value;
  while (!rest.empty()) {
    auto comma = rest.find(',');
    std::string_view part = rest.substr(0, comma);
    if (!part.empty()) out.emplace_back(part);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return out;
}

}  // namespace gwsim::route
