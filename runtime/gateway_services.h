// The gateway Services: what an Istio install creates for the ingress gateway (the Helm chart
// manifests/charts/gateways/istio-ingress, installed by istioctl), and which Services of a
// cluster front a gateway, i.e. get a gateway proxy of their own. Istio's installer, not a
// Kubernetes controller, makes these, so they live in the runtime and not in fakes/.
#pragma once

#include <string>
#include <vector>

#include "fakes/store/api_store.h"

namespace gwsim::runtime {

class ControlPlane;

// The Service of the default install's ingress gateway, "ns/name".
inline constexpr const char* kDefaultIngressGateway = "istio-system/istio-ingressgateway";

// The ingress gateway of a default Istio install (SCENARIO_FORMAT.md): namespace
// istio-system, Deployment and LoadBalancer Service istio-ingressgateway, pod labels
// app: istio-ingressgateway, istio: ingressgateway, ports status-port 15021->15021,
// http2 80->8080, https 443->8443.
std::vector<model::Object> default_ingress_gateway_objects();

// Whether the store already holds an ingress gateway (a Service istio-system/
// istio-ingressgateway, or a workload labelled istio=ingressgateway).
bool has_ingress_gateway(const fakes::ApiStore& store);

// The gateway Services of a cluster: istio-system/istio-ingressgateway when it exists, and
// every Service selecting a pod labelled istio=ingressgateway or selected by a Gateway's
// non-empty selector. Sorted, the default one first.
std::vector<std::string> gateway_services(ControlPlane& control_plane);

}  // namespace gwsim::runtime
