#include "engine/model/kinds.h"

namespace gwsim::model {

const std::vector<KindInfo>& known_kinds() {
  static const std::vector<KindInfo> kinds = {
      {"", "Namespace", {"v1"}, true, true},
      {"", "Service", {"v1"}, true, true},
      {"", "Pod", {"v1"}, true, true},
      {"", "Secret", {"v1"}, true, true},
      {"", "ConfigMap", {"v1"}, true, true},  // read: those that stand in for a jwksUri (request_authentication.h)
      {"", "Endpoints", {"v1"}, true, true},
      {"", "ServiceAccount", {"v1"}, true, false},
      {"apps", "Deployment", {"v1"}, true, false},
      {"apps", "ReplicaSet", {"v1"}, true, false},
      {"apps", "StatefulSet", {"v1"}, true, false},
      {"apps", "DaemonSet", {"v1"}, true, false},
      {kIstioNetworkingGroup, "Gateway", {"v1", "v1beta1", "v1alpha3"}, true, true},
      {kIstioNetworkingGroup, "VirtualService", {"v1", "v1beta1", "v1alpha3"}, true, true},
      {kIstioNetworkingGroup, "DestinationRule", {"v1", "v1beta1", "v1alpha3"}, true, true},
      {kIstioNetworkingGroup, "ServiceEntry", {"v1", "v1beta1", "v1alpha3"}, true, true},
      {kIstioNetworkingGroup, "Sidecar", {"v1", "v1beta1", "v1alpha3"}, false, false},
      {kIstioNetworkingGroup, "WorkloadEntry", {"v1", "v1beta1", "v1alpha3"}, false, false},
      {kIstioSecurityGroup, "AuthorizationPolicy", {"v1", "v1beta1"}, true, true},
      {kIstioSecurityGroup, "RequestAuthentication", {"v1", "v1beta1"}, true, true},
      // Stored, read into the snapshot only to name them beside the outcomes they may change
      // (engine/model/unsimulated.h says which kinds and why; engine/route/unsimulated.h which apply).
      {kIstioNetworkingGroup, "EnvoyFilter", {"v1alpha3"}, false, true},
      {kIstioNetworkingGroup, "ProxyConfig", {"v1beta1"}, false, true},
      {"extensions.istio.io", "WasmPlugin", {"v1alpha1"}, false, true},
      // Kubernetes Ingress (networking.k8s.io) and the Gateway API (gateway.networking.k8s.io):
      // versions as the newest Gateway API release (v1.6) serves them, preferred first.
      {"networking.k8s.io", "Ingress", {"v1"}, true, true},
      {"networking.k8s.io", "IngressClass", {"v1"}, true, true},
      {kGatewayApiGroup, "GatewayClass", {"v1", "v1beta1"}, true, true},
      {kGatewayApiGroup, "Gateway", {"v1", "v1beta1"}, true, true},
      {kGatewayApiGroup, "HTTPRoute", {"v1", "v1beta1"}, true, true},
      {kGatewayApiGroup, "GRPCRoute", {"v1"}, true, true},
      {kGatewayApiGroup, "ReferenceGrant", {"v1", "v1beta1"}, true, true},
      {kGatewayApiGroup, "TLSRoute", {"v1", "v1alpha3", "v1alpha2"}, true, true},
      {kGatewayApiGroup, "TCPRoute", {"v1", "v1alpha2"}, true, true},
      {kGatewayApiGroup, "BackendTLSPolicy", {"v1", "v1alpha3"}, false, false},
      {kGatewayApiGroup, "ListenerSet", {"v1"}, false, false},
  };
  return kinds;
}

const KindInfo* find_kind(std::string_view group, std::string_view kind) {
  for (const auto& k : known_kinds())
    if (group == k.group && kind == k.kind) return &k;
  return nullptr;
}

const KindInfo* find_kind_named(std::string_view kind) {
  for (const auto& k : known_kinds())
    if (kind == k.kind) return &k;
  return nullptr;
}

std::string group_version(const KindInfo& info, const char* version) {
  const std::string group = info.group;
  return group.empty() ? std::string(version) : group + "/" + version;
}

bool is_engine_kind(std::string_view group, std::string_view kind) {
  const KindInfo* info = find_kind(group, kind);
  return info && info->in_snapshot;
}

}  // namespace gwsim::model
