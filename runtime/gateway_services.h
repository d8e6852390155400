// The gateway Services: which Services of a cluster front a gateway, i.e. get a gateway proxy
// of their own (the default install's, ingress_install.h, and any Service of a gateway pod).
// Paraphrases how Istio's pilot/pkg/model/gateway.go finds the workloads a Gateway selects.
#pragma once

#include <string>
#include <vector>

#include "runtime/ingress_install.h"

namespace gwsim::runtime {

class ControlPlane;

// The gateway Services of a cluster: istio-system/istio-ingressgateway when it exists, every
// Service a Gateway names in internal.istio.io/gateway-service, and every Service selecting a
// pod labelled istio=ingressgateway or gateway.networking.k8s.io/gateway-name (the gateways
// Istio deploys for Gateway API Gateways) or selected by a Gateway's non-empty selector.
// Sorted, the default one first.
std::vector<std::string> gateway_services(ControlPlane& control_plane);

}  // namespace gwsim::runtime
