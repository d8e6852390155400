// Paraphrases Istio's serviceentry/conversion.go convertServices / convertEndpoints and
// push_context.go ServiceForHostname; see service_index.h.
#include "engine/route/service_index.h"

#include <algorithm>
#include <tuple>

#include "engine/host/host_name.h"
#include "engine/model/labels.h"
#include "engine/route/detail_config.h"

namespace gwsim::route {

namespace {

std::vector<Endpoint> service_entry_endpoints(const model::ConfigSnapshot& snapshot, const model::ServiceEntry& se,
                                              const std::string& hostname, const model::ServiceEntryPort& port) {
  std::vector<Endpoint> out;
  const std::uint32_t target = port.target_port ? port.target_port : port.number;
  if (se.workload_selector) {
    for (const auto& p : snapshot.pods) {
      if (p.meta.namespace_ != se.meta.namespace_ || !p.ready ||
          !model::selects(*se.workload_selector, p.meta.labels)) {
        continue;
      }
      out.push_back(Endpoint{p.ip, target, p.meta.name, p.meta.namespace_, p.meta.labels, true});
    }
  } else if (!se.endpoints.empty()) {
    for (const auto& we : se.endpoints) {
      auto mapped = we.ports.find(port.name);
      out.push_back(Endpoint{we.address, mapped != we.ports.end() ? mapped->second : target, "", se.meta.namespace_,
                             we.labels, true});
    }
  } else if (se.resolution == "DNS" || se.resolution == "DNS_ROUND_ROBIN") {
    out.push_back(Endpoint{hostname, target, "", se.meta.namespace_, {}, true});
  }
  // resolution NONE: an original-destination cluster, which has nowhere to go from a gateway.
  std::sort(out.begin(), out.end(), [](const Endpoint& a, const Endpoint& b) {
    return std::tie(a.pod_name, a.ip) < std::tie(b.pod_name, b.ip);
  });
  return out;
}

// ServiceEntry hosts are services too: one per host, named by the host as written, with the
// entry's ports.
void add_service_entries(const model::ConfigSnapshot& snapshot, ServiceIndex& index) {
  for (const auto& se : snapshot.service_entries) {
    for (const auto& h : se.hosts) {
      if (host::is_wildcard(h)) continue;
      model::Service& svc = index.service_entry_services.emplace_back();
      svc.meta = se.meta;
      svc.fqdn = h;
      svc.export_to = se.export_to;
      for (const auto& p : se.ports) {
        model::ServicePort sp;
        sp.name = p.name;
        sp.port = static_cast<std::int32_t>(p.number);
        sp.protocol = p.protocol;
        sp.target_port_number = static_cast<std::int32_t>(p.target_port ? p.target_port : p.number);
        svc.ports.push_back(sp);
        index.service_entry_endpoints[{&svc, p.number}] = service_entry_endpoints(snapshot, se, h, p);
      }
      index.by_host[h].push_back(&svc);
    }
  }
}

}  // namespace

ServiceIndex index_services(const model::ConfigSnapshot& snapshot) {
  ServiceIndex index;
  for (const auto& s : snapshot.services) index.by_host[s.hostname()].push_back(&s);
  for (const auto& p : snapshot.pods) index.pods[p.meta.namespace_ + "/" + p.meta.name] = &p;
  for (const auto& e : snapshot.endpoints) index.endpoints[e.meta.namespace_ + "/" + e.meta.name] = &e;
  add_service_entries(snapshot, index);
  return index;
}

bool service_visible(const model::Service& service, const std::string& proxy_namespace) {
  return detail::visible_from(service.export_to, service.meta.namespace_, proxy_namespace);
}

const model::Service* service_for(const ServiceIndex& index, const std::string& hostname,
                                  const std::string& vs_namespace, const std::string& proxy_namespace) {
  auto it = index.by_host.find(hostname);
  if (it == index.by_host.end()) return nullptr;
  for (const auto* s : it->second) {
    if (s->meta.namespace_ == vs_namespace && service_visible(*s, proxy_namespace)) return s;
  }
  for (const auto* s : it->second) {
    if (service_visible(*s, proxy_namespace)) return s;
  }
  return nullptr;
}

}  // namespace gwsim::route
