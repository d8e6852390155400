// Follows Istio's destinationrule.CaCertificateAnalyzer
// (pkg/config/analysis/analyzers/destinationrule/ca-certificates.go): TLS mode SIMPLE or MUTUAL
// without caCertificates leaves the server's certificate unverified (IST0128 for the rule's
// traffic policy, IST0129 per port), unless a credentialName is given and the rule has a
// workloadSelector.
#include "engine/analysis/analyzers.h"
#include "engine/model/json_fields.h"

namespace gwsim::analysis {

namespace {

// The mode when SIMPLE or MUTUAL and nothing verifies the server; "" otherwise.
std::string unverified_mode(const model::Json& tls, bool has_workload_selector) {
  if (!tls.is_object()) return "";
  std::string mode = model::string_member(tls, "mode");
  if (mode != "SIMPLE" && mode != "MUTUAL") return "";
  if (!model::string_member(tls, "caCertificates").empty()) return "";
  if (!model::string_member(tls, "credentialName").empty() && has_workload_selector) return "";
  return mode;
}

}  // namespace

void analyze_destination_rule_ca_certificates(const Context& context, Report& report) {
  for (const auto& dr : context.snapshot().destination_rules) {
    const std::string& ns = dr.meta.namespace_;
    if (!context.find("DestinationRule", ns, dr.meta.name) || !dr.traffic_policy) continue;
    const std::string name = ns + "/" + dr.meta.name;
    bool selector = dr.workload_selector.has_value();
    if (std::string mode = unverified_mode(dr.traffic_policy->tls, selector); !mode.empty())
      report.add(message_type("NoServerCertificateVerificationDestinationLevel"), "DestinationRule", ns, dr.meta.name,
                 "/spec/trafficPolicy/tls", {name, ns, mode, dr.host});
    const auto& ports = dr.traffic_policy->port_level_settings;
    for (size_t i = 0; i < ports.size(); ++i)
      if (std::string mode = unverified_mode(ports[i].tls, selector); !mode.empty())
        report.add(message_type("NoServerCertificateVerificationPortLevel"), "DestinationRule", ns, dr.meta.name,
                   "/spec/trafficPolicy/portLevelSettings/" + std::to_string(i) + "/tls",
                   {name, ns, mode, dr.host, "number:" + std::to_string(ports[i].port)});
  }
}

}  // namespace gwsim::analysis
