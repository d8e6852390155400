// Follows Istio's gateway.SecretAnalyzer (pkg/config/analysis/analyzers/gateway/secret.go): the
// gateway's namespace is that of the first pod its selector matches (none: IST0101 "selector"),
// and each server's tls.credentialName must name a Secret there (IST0101 "credentialName").
#include "engine/analysis/analyzers.h"
#include "engine/analysis/service_lookup.h"
#include "engine/model/labels.h"

namespace gwsim::analysis {

void analyze_gateway_secrets(const Context& context, Report& report) {
  const auto& snapshot = context.snapshot();
  for (const auto& gw : snapshot.gateways) {
    const std::string& ns = gw.meta.namespace_;
    if (!context.find("Gateway", ns, gw.meta.name)) continue;
    std::string workload_ns;
    for (const auto& pod : snapshot.pods)
      if (model::selects(gw.selector, pod.meta.labels)) {
        workload_ns = pod.meta.namespace_;
        break;
      }
    if (workload_ns.empty()) {
      report.add(message_type("ReferencedResourceNotFound"), "Gateway", ns, gw.meta.name, "/spec/selector",
                 {"selector", selector_string(gw.selector)});
      continue;
    }
    for (size_t i = 0; i < gw.servers.size(); ++i) {
      const auto& tls = gw.servers[i].tls;
      if (!tls || tls->credential_name.empty()) continue;
      auto [secret_ns, secret_name] = short_or_full_name(workload_ns, tls->credential_name);
      bool found = false;
      for (const auto& secret : snapshot.secrets)
        if (secret.meta.namespace_ == secret_ns && secret.meta.name == secret_name) found = true;
      if (!found)
        report.add(message_type("ReferencedResourceNotFound"), "Gateway", ns, gw.meta.name,
                   "/spec/servers/" + std::to_string(i) + "/tls/credentialName", {"credentialName", tls->credential_name});
    }
  }
}

}  // namespace gwsim::analysis
