// The Gateway API as Istio implements it: Gateways, HTTPRoutes, GRPCRoutes, TLSRoutes and
// TCPRoutes translated into Istio Gateways and VirtualServices, with the status Istio writes
// (pilot/pkg/config/kube/gateway/controller.go, which runs the collections of
// gateway_collection.go and route_collections.go over conversion.go).
#pragma once

#include "engine/model/generated_config.h"
#include "engine/model/snapshot.h"

namespace gwsim::kube_gateway {

// Everything the Gateway API objects of the snapshot translate to. A pure function of the
// snapshot: the same snapshot gives the same objects, names and status.
model::GeneratedConfig convert(const model::ConfigSnapshot& snapshot);

}  // namespace gwsim::kube_gateway
