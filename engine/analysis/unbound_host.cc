// GWS0002 (gwsim's own check, from the compiled tables): a host of a VirtualService bound to a
// gateway that no virtual host (or TLS/TCP filter chain) of any compiled gateway carries for
// that VirtualService. Istio's IST0132 compares the hosts as written with the Gateway's; this
// also catches what only compiling shows: a Gateway that selects no gateway workload, a
// server host restricted to another namespace, exportTo, routes pinned to another port.
#include <map>
#include <set>

#include "engine/analysis/analyzers.h"
#include "engine/host/host_name.h"
#include "engine/text/ascii.h"

namespace gwsim::analysis {

void analyze_unbound_hosts(const Context& context, Report& report) {
  // VirtualService "ns/name" -> the domains it routes on some gateway.
  std::map<std::string, std::set<std::string>> routed;
  for (const auto& table : context.tables()) {
    for (const auto& [name, config] : table->route_configs)
      for (const auto& vhost : config.virtual_hosts) {
        std::string last;
        for (const auto& r : vhost.routes) {
          if (r.virtual_service.empty() || r.virtual_service == last) continue;
          last = r.virtual_service;
          auto& domains = routed[r.virtual_service];
          for (const auto& d : vhost.domains) domains.insert(d);
        }
      }
    for (const auto& listener : table->listeners)
      for (const auto& chain : listener.filter_chains) {
        if (chain.virtual_service.empty()) continue;
        auto& domains = routed[chain.virtual_service];
        if (chain.server_names.empty()) domains.insert("*");
        for (const auto& n : chain.server_names) domains.insert(n);
      }
  }
  const MessageType& type = message_type("VirtualServiceHostNotBound");
  for (const auto& vs : context.snapshot().virtual_services) {
    const std::string& ns = vs.meta.namespace_;
    if (vs.hosts.empty() || !context.find("VirtualService", ns, vs.meta.name)) continue;
    std::vector<std::string> gateways;
    for (const auto& g : vs.gateways)
      if (g != "mesh") gateways.push_back(g);
    if (gateways.empty()) continue;
    auto it = routed.find(ns + "/" + vs.meta.name);
    for (size_t i = 0; i < vs.hosts.size(); ++i) {
      std::string h = text::to_lower(vs.hosts[i]);
      bool bound = false;
      if (it != routed.end())
        for (const auto& d : it->second)
          if (host::matches(d, h)) {
            bound = true;
            break;
          }
      if (bound) continue;
      std::string names;
      for (const auto& g : gateways) names += (names.empty() ? "" : ", ") + g;
      report.add(type, "VirtualService", ns, vs.meta.name, "/spec/hosts/" + std::to_string(i), {vs.hosts[i], names});
    }
  }
}

}  // namespace gwsim::analysis
