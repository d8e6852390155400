// The cluster stage: the route's (or a TCP chain's) weighted clusters, one picked as Envoy's
// weighted_clusters does, and whether that cluster exists. Paraphrases the ClusterMatched step
// of Istio's pilot/pkg/simulation/traffic.go Simulation.Run.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/lb/load_balancer.h"
#include "engine/match/routing_result.h"

namespace gwsim::match {

// A random value below the total weight picks the cluster whose range holds it; one cluster
// (or no weights) draws nothing. nullptr: no clusters.
const route::WeightedCluster* pick_weighted(const std::vector<route::WeightedCluster>& clusters,
                                            std::uint32_t total_weight, lb::Random& rng);

// Needs out.route (a kRoute action) or, for a TCP chain, out.filter_chain. Sets
// out.destination, out.cluster and the trace's cluster fields; kRouted when the cluster
// exists. false: kClusterNotFound (503 NC; a TCP chain closes the connection).
bool pick_cluster(const route::RouteTable& table, lb::Random& rng, RoutingResult& out);

}  // namespace gwsim::match
