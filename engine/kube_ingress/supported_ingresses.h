// Which Ingresses Istio's controller takes, and the status it writes for them
// (pilot/pkg/config/kube/ingress/ingress.go SupportedIngresses, runningAddresses, sliceToStatus;
// virtualservices.go shouldProcessIngressWithClass).
#pragma once

#include <string>
#include <vector>

#include "engine/kube_ingress/mesh_config.h"
#include "engine/model/ingress.h"
#include "engine/model/object.h"
#include "engine/model/snapshot.h"

namespace gwsim::kube_ingress {

// shouldProcessIngressWithClass: the kubernetes.io/ingress.class annotation wins (it must name
// the mesh's ingress class, unless the mode is OFF); else the IngressClass named by
// spec.ingressClassName, when it exists, must have controller istio.io/ingress-controller; else
// only mode DEFAULT takes the Ingress.
bool should_process_ingress(const MeshIngressConfig& mesh, const model::Ingress& ingress,
                            const model::IngressClass* ingress_class);

// SupportedIngresses: the Ingresses of the snapshot Istio processes, in the snapshot's order.
std::vector<const model::Ingress*> supported_ingresses(const model::ConfigSnapshot& snapshot,
                                                       const MeshIngressConfig& mesh);

// runningAddresses: the ingress Service's addresses (ingress_service in ingress_namespace): its
// externalName when of type ExternalName, else its load balancer's ips (hostnames when without
// ip) then its externalIPs; none when the Service does not exist. With no ingress_service Istio
// reads the external IPs of the nodes running the gateway pods, which gwsim does not model
// (no Node objects): `note` then says so and the list is empty.
std::vector<std::string> running_addresses(const model::ConfigSnapshot& snapshot, const MeshIngressConfig& mesh,
                                           std::string* note = nullptr);

// The status Istio writes on a supported Ingress (sliceToStatus): loadBalancer.ingress with one
// {ip} or {hostname} per address, sorted by hostname then ip; the list is omitted when empty.
model::Json ingress_status(const std::vector<std::string>& addresses);

}  // namespace gwsim::kube_ingress
