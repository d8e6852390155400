// Paraphrases Istio's core/cluster.go buildOutboundClusters and cluster_builder.go; see
// cluster.h.
#include "engine/route/cluster.h"

#include <algorithm>
#include <set>

#include "engine/model/labels.h"
#include "engine/route/detail_config.h"

namespace gwsim::route {

std::string subset_key(std::uint32_t port, const std::string& subset, const std::string& hostname) {
  return "outbound|" + std::to_string(port) + "|" + subset + "|" + hostname;
}

std::vector<Endpoint> endpoints_for(const ServiceIndex& services, const model::Service& svc,
                                    const model::ServicePort& sp) {
  std::vector<Endpoint> out;
  if (!svc.fqdn.empty()) {
    auto se = services.service_entry_endpoints.find({&svc, static_cast<std::uint32_t>(sp.port)});
    return se == services.service_entry_endpoints.end() ? out : se->second;
  }
  auto it = services.endpoints.find(svc.meta.namespace_ + "/" + svc.meta.name);
  if (it == services.endpoints.end()) return out;
  for (const auto& subset : it->second->subsets) {
    const model::EndpointPort* port = nullptr;
    for (const auto& p : subset.ports) {
      if (p.name == sp.name || subset.ports.size() == 1) port = &p;
    }
    if (!port) continue;
    for (const auto& a : subset.addresses) {
      if (!a.ready) continue;  // Istio sends only ready endpoints to gateways
      Endpoint e;
      e.ip = a.ip;
      e.port = static_cast<std::uint32_t>(port->port);
      e.pod_name = a.pod_name;
      e.pod_namespace = a.pod_namespace.empty() ? svc.meta.namespace_ : a.pod_namespace;
      if (auto p = services.pods.find(e.pod_namespace + "/" + e.pod_name); p != services.pods.end()) {
        e.labels = p->second->meta.labels;
      }
      out.push_back(std::move(e));
    }
  }
  std::sort(out.begin(), out.end(), [](const Endpoint& a, const Endpoint& b) { return a.pod_name < b.pod_name; });
  return out;
}

std::map<std::string, Cluster> build_clusters(const ServiceIndex& services, const DestinationRuleIndex& rules,
                                              const std::string& proxy_ns) {
  std::map<std::string, Cluster> clusters;
  for (const auto& [hostname, candidates] : services.by_host) {
    const model::Service* svc = nullptr;
    for (const auto* s : candidates) {
      if (service_visible(*s, proxy_ns)) {
        svc = s;
        break;
      }
    }
    if (!svc) continue;
    auto rule = destination_rule_for(rules, *svc, proxy_ns);
    for (const auto& sp : svc->ports) {
      const auto port = static_cast<std::uint32_t>(sp.port);
      auto endpoints = endpoints_for(services, *svc, sp);
      Cluster base;
      base.name = subset_key(port, "", hostname);
      base.host = hostname;
      base.port = port;
      base.service = svc->meta.namespace_ + "/" + svc->meta.name;
      if (rule) {
        base.destination_rule = rule->name;
        base.lb = load_balancer_for(rule->rules, port, nullptr);
      }
      base.endpoints = endpoints;
      clusters[base.name] = base;
      if (!rule) continue;
      std::set<std::string> seen;
      for (const auto* dr : rule->rules) {
        for (const auto& subset : dr->subsets) {
          if (!seen.insert(subset.name).second) continue;  // first definition of a subset wins
          Cluster c = base;
          c.name = subset_key(port, subset.name, hostname);
          c.subset = subset.name;
          c.lb = load_balancer_for(rule->rules, port, &subset);
          c.endpoints.clear();
          for (const auto& e : endpoints) {
            if (model::selects(subset.labels, e.labels)) c.endpoints.push_back(e);
          }
          clusters[c.name] = std::move(c);
        }
      }
    }
  }
  return clusters;
}

}  // namespace gwsim::route
