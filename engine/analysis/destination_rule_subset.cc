// Follows Istio's destinationrule.SubsetSelectPodAnalyzer
// (pkg/config/analysis/analyzers/destinationrule/subset.go): a DestinationRule's host must be a
// Service or ServiceEntry host visible from its namespace (IST0174), and each subset's labels,
// with a ServiceEntry's workloadSelector, must select some pod (IST0173). As in Istio, a
// Service's own selector is not added to the subset's labels. Pods are not given the topology
// labels Istio derives from their Node (gwsim reads no Nodes).
#include "engine/analysis/analyzers.h"
#include "engine/analysis/service_lookup.h"
#include "engine/model/labels.h"

namespace gwsim::analysis {

void analyze_destination_rule_subsets(const Context& context, Report& report) {
  ServiceEntryHostMap hosts = service_entry_host_map(context);
  const auto& pods = context.snapshot().pods;
  for (const auto& dr : context.snapshot().destination_rules) {
    const std::string& ns = dr.meta.namespace_;
    if (!context.find("DestinationRule", ns, dr.meta.name)) continue;
    const HostEntry* entry = destination_host(hosts, ns, dr.export_to, dr.host);
    if (!entry) {
      report.add(message_type("UnknownDestinationRuleHost"), "DestinationRule", ns, dr.meta.name, "/spec/host", {dr.host});
      continue;
    }
    for (size_t i = 0; i < dr.subsets.size(); ++i) {
      model::Labels selector = entry->workload_selector ? *entry->workload_selector : model::Labels{};
      for (const auto& [k, v] : dr.subsets[i].labels) selector[k] = v;
      bool selected = false;
      for (const auto& pod : pods)
        if (model::selects(selector, pod.meta.labels)) {
          selected = true;
          break;
        }
      if (!selected)
        report.add(message_type("DestinationRuleSubsetNotSelectPods"), "DestinationRule", ns, dr.meta.name,
                   "/spec/subsets/" + std::to_string(i), {dr.subsets[i].name});
    }
  }
}

}  // namespace gwsim::analysis
