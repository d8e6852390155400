// CDS and EDS for a gateway: one cluster per visible Service port, plus one per DestinationRule
// subset, each with its endpoints. Paraphrases Istio's pilot/pkg/networking/core/cluster.go
// buildOutboundClusters and cluster_builder.go (buildSubsetCluster, applyDestinationRule), with
// the endpoints of pilot/pkg/xds/endpoints/endpoint_builder.go (ready endpoints only, subset
// labels) and model.BuildSubsetKey for names.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "engine/route/destination_rule.h"
#include "engine/route/route_table.h"
#include "engine/route/service_index.h"

namespace gwsim::route {

// model.BuildSubsetKey: "outbound|<port>|<subset>|<hostname>".
std::string subset_key(std::uint32_t port, const std::string& subset, const std::string& hostname);

// The ready endpoints of a Service port (from its Endpoints object, or its ServiceEntry), with
// the labels of their pods, sorted by pod name.
std::vector<Endpoint> endpoints_for(const ServiceIndex& services, const model::Service& service,
                                    const model::ServicePort& port);

// Every cluster the gateway proxy sees, by name: for each hostname the first service visible
// from `proxy_namespace`, per port; subsets take the endpoints whose labels match theirs.
std::map<std::string, Cluster> build_clusters(const ServiceIndex& services, const DestinationRuleIndex& rules,
                                              const std::string& proxy_namespace);

}  // namespace gwsim::route
