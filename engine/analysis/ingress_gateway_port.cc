// Follows Istio's gateway.IngressGatewayPortAnalyzer
// (pkg/config/analysis/analyzers/gateway/gateway.go): a Gateway's selector must match some pod
// (IST0101 "selector"), and each server port must be a TCP port (or targetPort) of a Service in
// the pod's namespace that selects that pod (IST0162).
#include <map>
#include <set>

#include "engine/analysis/analyzers.h"
#include "engine/analysis/service_lookup.h"
#include "engine/model/labels.h"

namespace gwsim::analysis {

void analyze_ingress_gateway_ports(const Context& context, Report& report) {
  const auto& snapshot = context.snapshot();
  for (const auto& gw : snapshot.gateways) {
    const std::string& ns = gw.meta.namespace_;
    if (!context.find("Gateway", ns, gw.meta.name)) continue;
    std::set<std::uint32_t> service_ports;
    std::map<std::uint32_t, std::uint32_t> port_mapping;  // Service port -> targetPort
    int matches = 0;
    for (const auto& pod : snapshot.pods) {
      if (!model::selects(gw.selector, pod.meta.labels)) continue;
      ++matches;
      for (const auto& service : snapshot.services) {
        if (!service.fqdn.empty() || service.meta.namespace_ != pod.meta.namespace_) continue;
        if (!model::selects(service.selector, pod.meta.labels)) continue;
        for (const auto& port : service.ports) {
          if (port.protocol != "TCP") continue;
          auto port_number = static_cast<std::uint32_t>(port.port);
          if (port.target_port_number != 0) {
            auto target = static_cast<std::uint32_t>(port.target_port_number);
            service_ports.insert(target);
            port_mapping.emplace(port_number, target);
          } else {
            service_ports.insert(port_number);
          }
        }
      }
    }
    std::string selector = selector_string(gw.selector);
    if (matches == 0) {
      report.add(message_type("ReferencedResourceNotFound"), "Gateway", ns, gw.meta.name, "/spec/selector",
                 {"selector", selector});
      continue;
    }
    for (const auto& server : gw.servers) {
      std::uint32_t number = server.port.number;
      if (service_ports.contains(number) || port_mapping.contains(number)) continue;
      report.add(message_type("GatewayPortNotDefinedOnService"), "Gateway", ns, gw.meta.name, "/spec/selector",
                 {std::to_string(number), selector});
    }
  }
}

}  // namespace gwsim::analysis
