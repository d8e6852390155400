// The ingress gateway an Istio install creates: the Helm chart manifests/charts/gateways/
// istio-ingress (installed by istioctl), and whether a cluster already has one. Istio's
// installer, not a Kubernetes controller, makes these, so they live in the runtime; the
// control plane installs them (control_plane.h) and gateway_services.h reads them.
#pragma once

#include <vector>

#include "engine/model/object.h"
#include "fakes/store/api_store.h"

namespace gwsim::runtime {

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

}  // namespace gwsim::runtime
