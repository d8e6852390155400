#include "engine/config_diff/traffic_impact.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <set>
#include <thread>

#include "engine/lb/load_balancer.h"
#include "engine/match/trace.h"
#include "engine/router/router.h"

namespace gwsim::config_diff {

namespace {

std::vector<std::pair<std::string, double>> shares(const std::vector<route::WeightedCluster>& clusters,
                                                   std::uint32_t total_weight) {
  std::vector<std::pair<std::string, double>> out;
  std::uint32_t total = total_weight;
  if (total == 0)
    for (const auto& c : clusters) total += c.weight;
  for (const auto& c : clusters)
    out.emplace_back(c.cluster, clusters.size() == 1 ? 1.0 : total ? static_cast<double>(c.weight) / total : 0.0);
  return out;
}

// The virtual hosts of a table's route configurations by name, each name's in table order:
// clusters_of looks one up per probe, and a scan of 10,000 virtual hosts per probe was most of
// `gwsim diff`'s traffic comparison (bench/diff_bench).
using VirtualHostIndex = std::map<std::pair<std::string, std::string>, std::vector<const route::VirtualHost*>>;

VirtualHostIndex index_virtual_hosts(const route::RouteTable* table) {
  VirtualHostIndex index;
  if (!table) return index;
  for (const auto& [rc_name, rc] : table->route_configs)
    for (const auto& vh : rc.virtual_hosts) index[{rc_name, vh.name}].push_back(&vh);
  return index;
}

// The clusters a decision's route (or TCP chain) sends to, found by the names in its trace: the
// first virtual host of that name in its route configuration that has the route.
std::vector<std::pair<std::string, double>> clusters_of(const route::RouteTable& table, const VirtualHostIndex& index,
                                                        const match::DecisionTrace& t) {
  if (t.route_index >= 0) {
    auto found = index.find({t.route_config, t.virtual_host});
    if (found == index.end()) return {};
    for (const route::VirtualHost* vh : found->second) {
      if (t.route_index >= static_cast<int>(vh->routes.size())) continue;
      const auto& r = vh->routes[static_cast<std::size_t>(t.route_index)];
      if (r.action_kind != route::Route::ActionKind::kRoute) return {};
      return shares(r.route.clusters, r.route.total_weight);
    }
    return {};
  }
  for (const auto& l : table.listeners) {
    if (l.name != t.listener) continue;
    for (const auto& chain : l.filter_chains)
      if (chain.name == t.filter_chain && !chain.http) return shares(chain.tcp_clusters, chain.tcp_total_weight);
  }
  return {};
}

// Half the sum of the share differences: the part of the traffic that lands elsewhere.
double moved(const ProbeAnswer& a, const ProbeAnswer& b) {
  if (a.clusters.empty() && b.clusters.empty()) return 0;
  if (a.clusters.empty() || b.clusters.empty()) return 1;
  std::map<std::string, double> difference;
  for (const auto& [c, s] : a.clusters) difference[c] += s;
  for (const auto& [c, s] : b.clusters) difference[c] -= s;
  double sum = 0;
  for (const auto& [c, d] : difference) sum += std::fabs(d);
  const double share = sum / 2;
  return share < 1e-9 ? 0 : share;
}

}  // namespace

namespace {

ProbeAnswer answer_indexed(const route::RouteTable* table, const VirtualHostIndex& index, const http::Request& request) {
  ProbeAnswer a;
  if (!table) {
    a.outcome = match::outcome_name(match::Outcome::kNoListener);
    return a;
  }
  // The same seed for both versions: an unchanged weighted route picks the same cluster.
  lb::Random rng(1);
  lb::LoadBalancerState lb_state;
  const router::UpstreamCall upstream = [](const route::Endpoint&, const http::UpstreamRequest&,
                                           const router::AttemptContext&) { return http::UpstreamResponse{}; };
  const router::Exchange x = router::exchange(*table, request, rng, lb_state, upstream);
  const auto& t = x.trace;
  a.listener = t.listener;
  if (!t.virtual_host.empty()) a.virtual_host = t.route_config + "/" + t.virtual_host;
  if (t.route_index >= 0) {
    a.route = "#";
    a.route += std::to_string(t.route_index);
    if (!t.route_name.empty()) a.route += " " + t.route_name;
    if (!t.virtual_service.empty())
      a.route += " (VirtualService " + t.virtual_service + " http[" + std::to_string(t.http_index) + "]" +
                 (t.match_index >= 0 ? " match[" + std::to_string(t.match_index) + "]" : "") + ")";
  }
  a.outcome = match::outcome_name(t.outcome);
  a.status = x.response.status;
  a.clusters = clusters_of(*table, index, t);
  return a;
}

}  // namespace

ProbeAnswer answer(const route::RouteTable* table, const http::Request& request) {
  return answer_indexed(table, index_virtual_hosts(table), request);
}

TrafficImpact traffic_impact(const std::vector<Probe>& probes, const Tables& before, const Tables& after) {
  TrafficImpact out;
  out.probes = probes.size();
  auto find = [](const Tables& tables, const std::string& gateway) -> const route::RouteTable* {
    auto it = tables.find(gateway);
    return it == tables.end() ? nullptr : it->second.get();
  };
  std::map<const route::RouteTable*, VirtualHostIndex> indexes;
  for (const Tables* tables : {&before, &after})
    for (const auto& [gateway, table] : *tables)
      if (!indexes.count(table.get())) indexes.emplace(table.get(), index_virtual_hosts(table.get()));
  const VirtualHostIndex no_table;
  auto answer_in = [&](const Tables& tables, const Probe& probe) {
    const route::RouteTable* table = find(tables, probe.gateway);
    const auto index = indexes.find(table);
    return answer_indexed(table, index == indexes.end() ? no_table : index->second, probe.request);
  };
  // Each probe is independent and the tables are read only: the probes are split in contiguous
  // runs, one thread each, and the changes joined in probe order.
  const std::size_t threads = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 4);
  const std::size_t run = (probes.size() + threads - 1) / threads;
  std::vector<std::vector<TrafficChange>> found(threads);
  auto compare = [&](std::size_t first, std::size_t last, std::vector<TrafficChange>& changes) {
    for (std::size_t i = first; i < last; ++i) {
      const Probe& probe = probes[i];
      TrafficChange c;
      c.before = answer_in(before, probe);
      c.after = answer_in(after, probe);
      if (c.before.listener != c.after.listener) c.changed.push_back("listener");
      if (c.before.virtual_host != c.after.virtual_host || c.before.route != c.after.route)
        c.changed.push_back("route");
      c.moved_share = moved(c.before, c.after);
      if (c.moved_share > 0 || c.before.clusters.size() != c.after.clusters.size()) c.changed.push_back("cluster");
      if (c.before.status != c.after.status || c.before.outcome != c.after.outcome) c.changed.push_back("status");
      if (c.changed.empty()) continue;
      c.probe = probe;
      changes.push_back(std::move(c));
    }
  };
  std::vector<std::thread> workers;
  for (std::size_t t = 1; t < threads && t * run < probes.size(); ++t)
    workers.emplace_back(compare, t * run, std::min(probes.size(), (t + 1) * run), std::ref(found[t]));
  compare(0, std::min(probes.size(), run), found[0]);
  for (auto& w : workers) w.join();
  for (auto& part : found)
    for (auto& c : part) out.changes.push_back(std::move(c));
  return out;
}

std::vector<Probe> probes_for(const Tables& before, const Tables& after) {
  std::vector<Probe> out;
  for (const Tables* tables : {&before, &after})
    for (const auto& [gateway, table] : *tables)
      if (table) merge_probes(out, probes_for(gateway, *table));
  return out;
}

}  // namespace gwsim::config_diff
