// GeneratedConfig: the Istio objects a Kubernetes controller of Istio's derives from other kinds
// (the Gateway API: pilot/pkg/config/kube/gateway; Ingress: pilot/pkg/config/kube/ingress), and
// the status it writes back. Istio hands the derived Gateways and VirtualServices to the same
// push context as the ones users write, so gwsim's compile steps read them unchanged; their
// internal.istio.io/* annotations carry what differs (see Istio's testdata/*.yaml.golden).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "engine/model/istio.h"
#include "engine/model/object.h"

namespace gwsim::model {

// The status subresource a controller writes for one object (Gateway, HTTPRoute, Ingress, ...).
struct ObjectStatus {
  std::string group;  // "gateway.networking.k8s.io", "networking.k8s.io"
  std::string kind;
  std::string namespace_;  // "" for cluster-scoped kinds (GatewayClass)
  std::string name;
  Json status;  // the whole `status` object, as the controller writes it
};

struct GeneratedConfig {
  std::vector<Gateway> gateways;
  std::vector<VirtualService> virtual_services;
  std::vector<ObjectStatus> statuses;
  std::vector<std::string> warnings;  // what the controller could not translate, named

  // A controller that keeps state between translations may answer with what changed since its
  // previous answer, as Istio's krt collections push only the configs that differ: then
  // `virtual_services` holds only the added and changed ones, `removed_virtual_services` the
  // (namespace, name) of those gone, and `statuses` only those that may have changed.
  // `gateways` and `warnings` are always whole.
  bool incremental = false;
  std::vector<std::pair<std::string, std::string>> removed_virtual_services;
};

}  // namespace gwsim::model
