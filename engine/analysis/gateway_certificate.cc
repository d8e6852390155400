// Follows Istio's gateway.CertificateAnalyzer (pkg/config/analysis/analyzers/gateway/certificate.go):
// two Gateways for the same workload (the other's selector holds all of this one's labels; an
// empty selector takes every Gateway) with TLS servers on the same credentialName, or the same
// serverCertificate and privateKey, risk 404s on reused HTTP/2 connections (IST0138).
#include "engine/analysis/analyzers.h"

namespace gwsim::analysis {

namespace {

bool same_certificate(const model::ServerTLSSettings& a, const model::ServerTLSSettings& b) {
  if (!a.credential_name.empty() && !b.credential_name.empty()) return a.credential_name == b.credential_name;
  if (a.credential_name.empty() && b.credential_name.empty() && !a.server_certificate.empty() &&
      !b.server_certificate.empty() && a.server_certificate == b.server_certificate && !a.private_key.empty() &&
      !b.private_key.empty())
    return a.private_key == b.private_key;
  return false;
}

// selectorSubset: every key of x is in y with the same value.
bool selector_subset(const model::Labels& x, const model::Labels& y) {
  for (const auto& [k, v] : x) {
    auto it = y.find(k);
    if (it == y.end() || it->second != v) return false;
  }
  return true;
}

}  // namespace

void analyze_gateway_certificates(const Context& context, Report& report) {
  const auto& gateways = context.snapshot().gateways;
  for (const auto& current : gateways) {
    const std::string& ns = current.meta.namespace_;
    if (!context.find("Gateway", ns, current.meta.name)) continue;
    const std::string current_name = ns + "/" + current.meta.name;
    for (const auto& other : gateways) {
      if (&other == &current) continue;
      if (!current.selector.empty() && !selector_subset(current.selector, other.selector)) continue;
      for (const auto& a : current.servers)
        for (const auto& b : other.servers) {
          if (!a.tls || !b.tls || !same_certificate(*a.tls, *b.tls)) continue;
          report.add(message_type("GatewayDuplicateCertificate"), "Gateway", ns, current.meta.name, "/metadata/name",
                     {go_list({current_name, other.meta.namespace_ + "/" + other.meta.name})});
        }
    }
  }
}

}  // namespace gwsim::analysis
