// The services a gateway can route to: Kubernetes Services and the hosts of ServiceEntries,
// indexed by hostname. Paraphrases Istio's
// pilot/pkg/serviceregistry/serviceentry/conversion.go (convertServices, convertEndpoints:
// one service per ServiceEntry host, its endpoints from the workloadSelector's pods, the
// inline endpoints, or the host itself for DNS resolution) and
// pilot/pkg/model/push_context.go ServiceForHostname (which service a hostname names).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "engine/model/snapshot.h"
#include "engine/route/route_table.h"

namespace gwsim::route {

struct ServiceIndex {
  // hostname -> services with that hostname (one per namespace), in snapshot order.
  std::map<std::string, std::vector<const model::Service*>> by_host;
  std::map<std::string, const model::Pod*> pods;             // "ns/name"
  std::map<std::string, const model::Endpoints*> endpoints;  // "ns/name"
  // ServiceEntry hosts as services (a deque: stable addresses, also after a move) and their
  // endpoints per (service, port).
  std::deque<model::Service> service_entry_services;
  std::map<std::pair<const model::Service*, std::uint32_t>, std::vector<Endpoint>> service_entry_endpoints;
};

// The index of the snapshot's Services, Pods, Endpoints and ServiceEntry hosts. Wildcard
// ServiceEntry hosts make no service (no cluster a gateway can route to).
ServiceIndex index_services(const model::ConfigSnapshot& snapshot);

// Whether a Service (exportTo) is visible from the gateway proxy's namespace.
bool service_visible(const model::Service& service, const std::string& proxy_namespace);

// ServiceForHostname with the gateway's preference for the VirtualService's namespace: the
// visible service of that namespace, else the first visible one; null when none.
const model::Service* service_for(const ServiceIndex& index, const std::string& hostname,
                                  const std::string& vs_namespace, const std::string& proxy_namespace);

}  // namespace gwsim::route
