// Follows Istio's virtualservice.DestinationRuleAnalyzer
// (pkg/config/analysis/analyzers/virtualservice/destinationrules.go): a route or mirror
// destination's subset must be defined by a DestinationRule for that host (IST0101
// "host+subset in destinationrule" / "mirror+subset in destinationrule").
#include <set>

#include "engine/analysis/analyzers.h"
#include "engine/analysis/service_lookup.h"
#include "engine/analysis/virtual_service_util.h"

namespace gwsim::analysis {

void analyze_virtual_service_destination_rules(const Context& context, Report& report) {
  std::set<std::pair<std::string, std::string>> subsets;  // (ns/name of the host, subset)
  for (const auto& dr : context.snapshot().destination_rules)
    for (const auto& subset : dr.subsets)
      subsets.emplace(resource_name_from_host(dr.meta.namespace_, dr.host), subset.name);

  auto defined = [&](const std::string& ns, const model::Destination& d) {
    return d.subset.empty() || subsets.contains({resource_name_from_host(ns, d.host), d.subset});
  };
  for (const auto& vs : context.snapshot().virtual_services) {
    const std::string& ns = vs.meta.namespace_;
    if (!context.find("VirtualService", ns, vs.meta.name)) continue;
    for (const auto& d : route_destinations(vs))
      if (!defined(ns, *d.destination))
        report.add(message_type("ReferencedResourceNotFound"), "VirtualService", ns, vs.meta.name, d.field,
                   {"host+subset in destinationrule", d.destination->host + "+" + d.destination->subset});
    for (const auto& d : mirror_destinations(vs))
      if (!defined(ns, *d.destination))
        report.add(message_type("ReferencedResourceNotFound"), "VirtualService", ns, vs.meta.name, d.field,
                   {"mirror+subset in destinationrule", d.destination->host + "+" + d.destination->subset});
  }
}

}  // namespace gwsim::analysis
