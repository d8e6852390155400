// Kubernetes Ingress as Istio implements it: Ingresses of class `istio` translated into Istio
// Gateways and VirtualServices, with the status Istio writes (pilot/pkg/config/kube/ingress:
// controller.go NewController composes ingress.go SupportedIngresses and RuleCollection,
// gateways.go Gateways and virtualservices.go VirtualServices).
#pragma once

#include "engine/kube_ingress/mesh_config.h"
#include "engine/model/generated_config.h"
#include "engine/model/snapshot.h"

namespace gwsim::kube_ingress {

// Everything the Ingresses of the snapshot translate to, with Istio's default mesh config; a
// pure function of the snapshot.
model::GeneratedConfig convert(const model::ConfigSnapshot& snapshot);

// The same under another mesh config.
model::GeneratedConfig convert(const model::ConfigSnapshot& snapshot, const MeshIngressConfig& mesh);

}  // namespace gwsim::kube_ingress
