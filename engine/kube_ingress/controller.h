// Kubernetes Ingress as Istio implements it: Ingresses of class `istio` translated into Istio
// Gateways and VirtualServices, with the status Istio writes (pilot/pkg/config/kube/ingress:
// controller.go, conversion.go, status.go).
#pragma once

#include "engine/model/generated_config.h"
#include "engine/model/snapshot.h"

namespace gwsim::kube_ingress {

// Everything the Ingresses of the snapshot translate to; a pure function of the snapshot.
model::GeneratedConfig convert(const model::ConfigSnapshot& snapshot);

}  // namespace gwsim::kube_ingress
