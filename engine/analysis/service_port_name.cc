// Follows Istio's service.PortNameAnalyzer (pkg/config/analysis/analyzers/service/portname.go):
// a port whose protocol Istio cannot tell from its name or appProtocol (kube.ConvertProtocol
// gives Unsupported) is IST0118; on an ExternalName Service, that or a port named "tcp" is
// IST0150. Istio's own Services (label istio, or release=istio) and gateways Istio manages are
// skipped.
#include <set>

#include "engine/analysis/analyzers.h"
#include "engine/text/ascii.h"

namespace gwsim::analysis {

namespace {

// kube.ConvertProtocol(...).IsUnsupported().
bool unsupported_protocol(const model::ServicePort& port) {
  if (port.protocol == "UDP") return false;
  std::string name = port.app_protocol ? *port.app_protocol : port.name;
  if (port.app_protocol && (name == "kubernetes.io/h2c" || name == "kubernetes.io/ws" || name == "kubernetes.io/wss"))
    return false;
  if (name.size() >= 8 && text::iequals(std::string_view(name).substr(0, 8), "grpc-web")) return false;
  if (auto dash = name.find('-'); dash != std::string::npos) name = name.substr(0, dash);
  static const std::set<std::string> known = {"tcp",   "udp",  "grpc",  "grpc-web", "http",  "http_proxy", "http2",
                                              "https", "tls",  "mongo", "redis",    "mysql"};
  if (known.contains(text::to_lower(name))) return false;
  // Well-known ports are TCP when nothing says otherwise: SMTP, DNS, MySQL, MongoDB.
  return !(port.port == 25 || port.port == 53 || port.port == 3306 || port.port == 27017);
}

std::string target_port(const model::ServicePort& port) {
  if (!port.target_port_name.empty()) return port.target_port_name;
  return std::to_string(port.target_port_number);
}

}  // namespace

void analyze_service_port_names(const Context& context, Report& report) {
  for (const auto& service : context.snapshot().services) {
    const std::string& ns = service.meta.namespace_;
    if (!service.fqdn.empty() || !context.find("Service", ns, service.meta.name)) continue;
    const auto& labels = service.meta.labels;
    if (labels.contains("istio") || (labels.contains("release") && labels.at("release") == "istio")) continue;
    if (auto it = labels.find("gateway.istio.io/managed");
        it != labels.end() && (it->second == "istio.io-gateway-controller" || it->second == "istio.io-mesh-controller" ||
                               it->second == "istio.io-eastwest-controller"))
      continue;
    for (size_t i = 0; i < service.ports.size(); ++i) {
      const auto& port = service.ports[i];
      bool external_name = service.type == "ExternalName";
      if (!unsupported_protocol(port) && !(port.name == "tcp" && external_name)) continue;
      std::string field = "/spec/ports/" + std::to_string(i);
      if (external_name)
        report.add(message_type("ExternalNameServiceTypeInvalidPortName"), "Service", ns, service.meta.name, field, {});
      else
        report.add(message_type("PortNameIsNotUnderNamingConvention"), "Service", ns, service.meta.name, field,
                   {port.name, std::to_string(port.port), target_port(port)});
    }
  }
}

}  // namespace gwsim::analysis
