// Follows Istio's virtualservice.DestinationHostAnalyzer
// (pkg/config/analysis/analyzers/virtualservice/destinationhosts.go): every route and mirror
// destination names a Service or ServiceEntry host visible from the VirtualService (IST0101
// "host" / "mirror host"), a port it has (IST0101 "host:port"), or, without a port, a host with
// one port only (IST0112); and a destination without a subset in a VirtualService bound to a
// gateway, for a host another VirtualService splits by subset, makes those subsets no effect on
// the gateway's requests (IST0140).
#include <algorithm>
#include <map>

#include "engine/analysis/analyzers.h"
#include "engine/analysis/service_lookup.h"
#include "engine/analysis/virtual_service_util.h"

namespace gwsim::analysis {

namespace {

void check_ports(Report& report, const model::VirtualService& vs, const AnnotatedDestination& d, const HostEntry& entry) {
  const auto& dest = *d.destination;
  if (!dest.port) {
    if (entry.ports.size() > 1) {
      std::vector<std::string> ports;
      for (auto p : entry.ports) ports.push_back(std::to_string(p));
      report.add(message_type("VirtualServiceDestinationPortSelectorRequired"), "VirtualService", vs.meta.namespace_,
                 vs.meta.name, d.field, {dest.host, go_list(ports)});
    }
    return;
  }
  if (std::find(entry.ports.begin(), entry.ports.end(), dest.port->number) == entry.ports.end())
    report.add(message_type("ReferencedResourceNotFound"), "VirtualService", vs.meta.namespace_, vs.meta.name, d.field,
               {"host:port", dest.host + ":" + std::to_string(dest.port->number)});
}

}  // namespace

void analyze_virtual_service_destination_hosts(const Context& context, Report& report) {
  ServiceEntryHostMap hosts = service_entry_host_map(context);
  const auto& services = context.snapshot().virtual_services;

  // initVirtualServiceDestinations: the destinations with a subset whose host is one of the
  // VirtualService's own hosts.
  std::map<std::string, std::vector<const model::Destination*>> subset_destinations;
  for (const auto& vs : services)
    for (const auto& http : vs.http)
      for (const auto& rd : http.route)
        if (!rd.destination.subset.empty())
          for (const auto& h : vs.hosts)
            if (rd.destination.host == h)
              subset_destinations[vs.meta.namespace_ + "/" + vs.meta.name].push_back(&rd.destination);

  for (const auto& vs : services) {
    const std::string& ns = vs.meta.namespace_;
    if (!context.find("VirtualService", ns, vs.meta.name)) continue;
    for (const auto& d : route_destinations(vs)) {
      const HostEntry* entry = destination_host(hosts, ns, vs.export_to, d.destination->host);
      if (!entry) {
        report.add(message_type("ReferencedResourceNotFound"), "VirtualService", ns, vs.meta.name, d.field,
                   {"host", d.destination->host});
        continue;
      }
      check_ports(report, vs, d, *entry);
    }
    for (const auto& d : mirror_destinations(vs)) {
      const HostEntry* entry = destination_host(hosts, ns, vs.export_to, d.destination->host);
      if (!entry) {
        report.add(message_type("ReferencedResourceNotFound"), "VirtualService", ns, vs.meta.name, d.field,
                   {"mirror host", d.destination->host});
        continue;
      }
      check_ports(report, vs, d, *entry);
    }

    if (vs.gateways.empty()) continue;
    for (size_t i = 0; i < vs.http.size(); ++i)
      for (size_t j = 0; j < vs.http[i].route.size(); ++j) {
        const auto& dest = vs.http[i].route[j].destination;
        if (!dest.subset.empty()) continue;
        for (const auto& [other, destinations] : subset_destinations)
          for (const auto* split : destinations)
            if (split->host == dest.host)
              report.add(message_type("IngressRouteRulesNotAffected"), "VirtualService", ns, vs.meta.name,
                         "/spec/http/" + std::to_string(i) + "/route/" + std::to_string(j) + "/destination/host",
                         {other, ns + "/" + vs.meta.name});
      }
  }
}

}  // namespace gwsim::analysis
