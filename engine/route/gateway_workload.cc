// Paraphrases Istio's gateway.go resolvePorts and the pod's proxy metadata; see
// gateway_workload.h.
#include "engine/route/gateway_workload.h"

#include <algorithm>
#include <vector>

#include "engine/model/labels.h"
#include "engine/model/proxy_config.h"
#include "engine/route/detail_config.h"

namespace gwsim::route {

std::int32_t resolve_target_port(const model::ServicePort& sp, const model::Pod* pod) {
  if (sp.target_port_number) return sp.target_port_number;
  if (!sp.target_port_name.empty() && pod) {
    for (const auto& cp : pod->ports) {
      if (cp.name == sp.target_port_name) return cp.container_port;
    }
    return 0;
  }
  return sp.port;
}

Result<GatewayProxy> gateway_workload(const model::ConfigSnapshot& snapshot, const std::string& gateway_service) {
  auto slash = gateway_service.find('/');
  const std::string ns = slash == std::string::npos ? "default" : gateway_service.substr(0, slash);
  const std::string name = slash == std::string::npos ? gateway_service : gateway_service.substr(slash + 1);
  const model::Service* svc = nullptr;
  for (const auto& s : snapshot.services) {
    if (s.meta.namespace_ == ns && s.meta.name == name) svc = &s;
  }
  if (!svc) return make_error("gateway Service " + ns + "/" + name + " not found");
  if (svc->selector.empty()) return make_error("gateway Service " + ns + "/" + name + " has no selector");
  const model::Pod* pod = nullptr;
  for (const auto& p : snapshot.pods) {
    if (p.meta.namespace_ != ns || !p.ready || !model::selects(svc->selector, p.meta.labels)) continue;
    if (!pod || p.meta.name < pod->meta.name) pod = &p;
  }
  if (!pod) return make_error("gateway Service " + ns + "/" + name + " has no ready pods");
  GatewayProxy proxy;
  proxy.service = ns + "/" + name;
  proxy.namespace_ = ns;
  proxy.pod_name = pod->meta.name;
  proxy.pod_ip = pod->ip;
  proxy.labels = pod->meta.labels;
  // The requested Service maps the client's port to the pod's listen port.
  for (const auto& sp : svc->ports) {
    auto target = resolve_target_port(sp, pod);
    if (target > 0) proxy.service_ports.emplace(static_cast<std::uint32_t>(sp.port), static_cast<std::uint32_t>(target));
  }
  // resolvePorts: every Service selecting the gateway pod (oldest first) translates server ports
  // to listen ports, the first matching port wins; Services labelled
  // experimental.istio.io/disable-gateway-port-translation take no part.
  std::vector<const model::Service*> selecting;
  for (const auto& s : snapshot.services) {
    if (s.meta.namespace_ == ns && !s.selector.empty() && model::selects(s.selector, pod->meta.labels)) {
      selecting.push_back(&s);
    }
  }
  std::stable_sort(selecting.begin(), selecting.end(),
                   [](const model::Service* a, const model::Service* b) { return detail::older(*a, *b); });
  for (const auto* s : selecting) {
    GatewayProxy::ServiceTarget target{s->hostname(), s->meta.namespace_, {}};
    const bool translates = !s->meta.labels.count("experimental.istio.io/disable-gateway-port-translation");
    for (const auto& sp : s->ports) {
      auto listen = resolve_target_port(sp, pod);
      if (listen <= 0) continue;
      const auto port = static_cast<std::uint32_t>(sp.port);
      if (translates) proxy.translated_ports.emplace(port, static_cast<std::uint32_t>(listen));
      // Gateways bound by internal.istio.io/gateway-service resolve against these, opted out or
      // not (gateway.go resolvePorts skips the label only for selector-bound Gateways).
      target.ports.emplace_back(port, static_cast<std::uint32_t>(listen));
    }
    proxy.service_targets.push_back(std::move(target));
  }
  // meshConfig/proxy.istio.io/config gatewayTopology.numTrustedProxies on the gateway pod; an
  // unreadable annotation leaves the mesh default.
  if (auto config = model::proxy_config_of(*pod); config.ok() && config->gateway_topology &&
                                                  config->gateway_topology->num_trusted_proxies) {
    proxy.num_trusted_proxies = *config->gateway_topology->num_trusted_proxies;
  }
  return proxy;
}

}  // namespace gwsim::route
