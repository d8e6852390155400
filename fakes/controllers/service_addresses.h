// The addresses Kubernetes gives a Service: the API server's cluster IP and node port
// allocation on create (pkg/registry/core/service/ipallocator, portallocator), and the cloud
// provider's load balancer (k8s.io/cloud-provider controllers/service) that writes
// status.loadBalancer.ingress for a Service of type LoadBalancer. Deterministic: the lowest free
// address, so the same writes always get the same addresses.
#pragma once

#include <cstdint>
#include <string>

#include "engine/model/object.h"
#include "fakes/store/api_store.h"

namespace gwsim::fakes {

// Fills spec.clusterIP/clusterIPs (10.96.0.0/12, from 10.96.0.10; none for ExternalName) and the
// nodePorts of a NodePort or LoadBalancer Service (30000-32767) that the Service lacks, avoiding
// those of the Services in the store.
void allocate_service_addresses(const ApiStore& store, Json& service);

// The n-th (0-based) load balancer address: 192.0.2.1, 192.0.2.2, ... (RFC 5737 TEST-NET-1,
// a documentation range: never loopback, never routed).
std::string load_balancer_ip(std::uint32_t n);

// The cloud's load balancer: every Service of type LoadBalancer gets status.loadBalancer.ingress
// [{ip, ipMode: VIP}] (spec.loadBalancerIP when set, else the lowest free load_balancer_ip());
// other Services lose theirs. Returns the number of objects written.
int reconcile_load_balancers(ApiStore& store);

}  // namespace gwsim::fakes
