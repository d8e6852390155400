#include "engine/match/cluster_pick.h"

namespace gwsim::match {

const route::WeightedCluster* pick_weighted(const std::vector<route::WeightedCluster>& clusters,
                                            std::uint32_t total_weight, lb::Random& rng) {
  if (clusters.empty()) return nullptr;
  if (clusters.size() == 1 || total_weight == 0) return &clusters.front();
  std::uint64_t r = rng.below(total_weight);
  for (const auto& c : clusters) {
    if (r < c.weight) return &c;
    r -= c.weight;
  }
  return &clusters.back();
}

bool pick_cluster(const route::RouteTable& table, lb::Random& rng, RoutingResult& out) {
  DecisionTrace& t = out.trace;
  const bool tcp = out.filter_chain && !out.filter_chain->http;
  // A TCP chain has no HTTP status: its failures close the connection. An HTTP route answers
  // its cluster_not_found_response_code (503, or 500 for Gateway API routes).
  auto not_found = [&t, &out, tcp] {
    t.outcome = Outcome::kClusterNotFound;
    t.response_flags = "NC";
    if (!tcp) t.status = static_cast<int>(out.route->route.cluster_not_found_status);
    return false;
  };
  if (tcp) {
    t.virtual_service = out.filter_chain->virtual_service;
    t.gateway = out.filter_chain->gateway;
  }
  const route::WeightedCluster* pick =
      tcp ? pick_weighted(out.filter_chain->tcp_clusters, out.filter_chain->tcp_total_weight, rng)
          : pick_weighted(out.route->route.clusters, out.route->route.total_weight, rng);
  if (!pick) return not_found();
  out.destination = pick;
  t.cluster = pick->cluster;
  t.subset = pick->subset;
  out.cluster = table.find_cluster(pick->cluster);
  if (!out.cluster) {
    t.detail = "cluster " + pick->cluster + " does not exist" +
               (tcp                   ? ": the connection is closed"
                : pick->subset.empty() ? " (no such service or port)"
                                       : " (no such service, port or subset)");
    return not_found();
  }
  t.service = out.cluster->service;
  t.service_port_upstream = out.cluster->port;
  t.outcome = Outcome::kRouted;
  return true;
}

}  // namespace gwsim::match
