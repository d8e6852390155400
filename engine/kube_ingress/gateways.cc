#include "engine/kube_ingress/gateways.h"

namespace gwsim::kube_ingress {

namespace {

// pkg/config/constants IstioLabel and IstioIngressLabelValue.
constexpr const char* kIstioLabel = "istio";
constexpr const char* kIstioIngressLabelValue = "ingressgateway";

std::string quoted_list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? " " : "") + ("\"" + items[i] + "\"");
  return out + "]";
}

}  // namespace

model::Labels ingress_gateway_selector(const MeshIngressConfig& mesh) {
  if (!mesh.ingress_selector.empty()) return {{kIstioLabel, mesh.ingress_selector}};
  if (!mesh.ingress_service.empty() && mesh.ingress_service != "istio-ingressgateway")
    return {{kIstioLabel, mesh.ingress_service}};
  return {{kIstioLabel, kIstioIngressLabelValue}};
}

std::string ingress_gateway_name(const std::string& ingress_name, const std::string& ingress_namespace) {
  return ingress_name + "-" + kIstioIngressGatewayName + "-" + ingress_namespace;
}

model::Gateway convert_ingress_gateway(const model::Ingress& ingress, const MeshIngressConfig& mesh,
                                       std::vector<std::string>& warnings) {
  const std::string& name = ingress.meta.name;
  const std::string& ns = ingress.meta.namespace_;
  model::Gateway gateway;
  gateway.meta.name = ingress_gateway_name(name, ns);
  gateway.meta.namespace_ = mesh.ingress_namespace;
  gateway.meta.source = ingress.meta.source;  // messages about it point at the Ingress
  gateway.selector = ingress_gateway_selector(mesh);
  for (size_t i = 0; i < ingress.tls.size(); ++i) {
    const model::IngressTLS& tls = ingress.tls[i];
    if (tls.secret_name.empty()) {
      warnings.push_back("Ingress " + ns + "/" + name + ": spec.tls[" + std::to_string(i) + "] for hosts " +
                         quoted_list(tls.hosts) + " has no secretName: Istio skips it (no HTTPS server)");
      continue;
    }
    model::Server server;
    server.port.number = 443;
    server.port.protocol = "HTTPS";
    // The index counts every tls entry, skipped ones too.
    server.port.name = "https-443-ingress-" + name + "-" + ns + "-" + std::to_string(i);
    server.hosts = tls.hosts.empty() ? std::vector<std::string>{"*"} : tls.hosts;
    model::ServerTLSSettings settings;
    settings.mode = "SIMPLE";
    settings.mode_set = true;
    settings.credential_name = tls.secret_name;
    server.tls = settings;
    server.source = ingress.meta.source;
    gateway.servers.push_back(std::move(server));
  }
  model::Server http;
  http.port.number = 80;
  http.port.protocol = "HTTP";
  http.port.name = "http-80-ingress-" + name + "-" + ns;
  http.hosts = {"*"};
  http.source = ingress.meta.source;
  gateway.servers.push_back(std::move(http));
  return gateway;
}

}  // namespace gwsim::kube_ingress
