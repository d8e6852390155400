#include "engine/analysis/analyze.h"

#include <algorithm>
#include <tuple>

namespace gwsim::analysis {

const std::vector<Analyzer>& all_analyzers() {
  static const std::vector<Analyzer> analyzers = {
      {"schema.ValidationAnalyzer", analyze_schema_validation},
      {"virtualservice.GatewayAnalyzer", analyze_virtual_service_gateways},
      {"virtualservice.DestinationHostAnalyzer", analyze_virtual_service_destination_hosts},
      {"virtualservice.DestinationRuleAnalyzer", analyze_virtual_service_destination_rules},
      {"gateway.IngressGatewayPortAnalyzer", analyze_ingress_gateway_ports},
      {"gateway.SecretAnalyzer", analyze_gateway_secrets},
      {"gateway.ConflictingGatewayAnalyzer", analyze_conflicting_gateways},
      {"gateway.CertificateAnalyzer", analyze_gateway_certificates},
      {"destinationrule.CaCertificateAnalyzer", analyze_destination_rule_ca_certificates},
      {"destinationrule.SubsetSelectPodAnalyzer", analyze_destination_rule_subsets},
      {"service.PortNameAnalyzer", analyze_service_port_names},
      {"serviceentry.Analyzer", analyze_service_entry_addresses},
      {"gwsim.UnreachableRouteAnalyzer", analyze_unreachable_routes},
      {"gwsim.UnboundHostAnalyzer", analyze_unbound_hosts},
      {"gwsim.EmptySubsetAnalyzer", analyze_empty_subsets},
  };
  return analyzers;
}

const Analyzer* find_analyzer(std::string_view name) {
  for (const auto& analyzer : all_analyzers())
    if (analyzer.name == name) return &analyzer;
  return nullptr;
}

std::vector<Message> sorted_unique(std::vector<Message> messages) {
  // Istio's order: Error, Warning, Info; then code, origin, and the whole line.
  // The keys refer to the messages' strings (a key of copies allocated at every comparison).
  auto before = [](const Message& a, const Message& b) {
    const int a_level = -static_cast<int>(a.type->level);
    const int b_level = -static_cast<int>(b.type->level);
    return std::tie(a_level, a.type->code, a.origin, a.reference, a.text) <
           std::tie(b_level, b.type->code, b.origin, b.reference, b.text);
  };
  std::stable_sort(messages.begin(), messages.end(), before);
  messages.erase(std::unique(messages.begin(), messages.end(),
                             [](const Message& a, const Message& b) { return a.to_string() == b.to_string(); }),
                 messages.end());
  return messages;
}

std::vector<Message> analyze(const Context& context, const Analyzer& analyzer) {
  Report report(context);
  analyzer.run(context, report);
  return report.take();
}

std::vector<Message> analyze(const Context& context) {
  Report report(context);
  for (const auto& analyzer : all_analyzers()) analyzer.run(context, report);
  return sorted_unique(report.take());
}

}  // namespace gwsim::analysis
