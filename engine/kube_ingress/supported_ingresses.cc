#include "engine/kube_ingress/supported_ingresses.h"

#include <arpa/inet.h>

#include <algorithm>
#include <tuple>

namespace gwsim::kube_ingress {

namespace {

// The annotation that names an Ingress's class (istio.io/api annotation IoKubernetesIngressClass).
constexpr const char* kIngressClassAnnotation = "kubernetes.io/ingress.class";

// pkg/util/net IsValidIPAddress.
bool is_ip_address(const std::string& text) {
  unsigned char buffer[16];
  return inet_pton(AF_INET, text.c_str(), buffer) == 1 || inet_pton(AF_INET6, text.c_str(), buffer) == 1;
}

}  // namespace

bool should_process_ingress(const MeshIngressConfig& mesh, const model::Ingress& ingress,
                            const model::IngressClass* ingress_class) {
  using Mode = MeshIngressConfig::Mode;
  if (auto it = ingress.meta.annotations.find(kIngressClassAnnotation); it != ingress.meta.annotations.end()) {
    return mesh.ingress_controller_mode != Mode::kOff && it->second == mesh.ingress_class;
  }
  if (ingress_class) return ingress_class->controller == kIstioIngressController;
  return mesh.ingress_controller_mode == Mode::kDefault;
}

std::vector<const model::Ingress*> supported_ingresses(const model::ConfigSnapshot& snapshot,
                                                       const MeshIngressConfig& mesh) {
  std::vector<const model::Ingress*> out;
  for (const auto& ingress : snapshot.ingresses) {
    // The IngressClass named by spec.ingressClassName, when it exists (krt.FetchOne by key).
    const model::IngressClass* ingress_class = nullptr;
    if (ingress.ingress_class_name) {
      for (const auto& c : snapshot.ingress_classes)
        if (c.meta.name == *ingress.ingress_class_name) ingress_class = &c;
    }
    if (should_process_ingress(mesh, ingress, ingress_class)) out.push_back(&ingress);
  }
  return out;
}

std::vector<std::string> running_addresses(const model::ConfigSnapshot& snapshot, const MeshIngressConfig& mesh,
                                           std::string* note) {
  if (mesh.ingress_service.empty()) {
    if (note) *note = "the ingress status from node addresses (meshConfig.ingressService unset) is not simulated";
    return {};
  }
  for (const auto& service : snapshot.services) {
    if (!service.fqdn.empty() || service.meta.namespace_ != mesh.ingress_namespace ||
        service.meta.name != mesh.ingress_service)
      continue;
    if (service.type == "ExternalName") return {service.external_name};
    std::vector<std::string> out = service.load_balancer_ingress;
    out.insert(out.end(), service.external_ips.begin(), service.external_ips.end());
    return out;
  }
  return {};
}

model::Json ingress_status(const std::vector<std::string>& addresses) {
  struct Entry {
    std::string hostname;
    std::string ip;
  };
  std::vector<Entry> entries;
  for (const auto& address : addresses) {
    if (is_ip_address(address))
      entries.push_back({"", address});
    else
      entries.push_back({address, ""});
  }
  // lessLoadBalancerIngress: by hostname, then ip (a stable sort).
  std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return std::tie(a.hostname, a.ip) < std::tie(b.hostname, b.ip);
  });
  model::Json load_balancer = model::Json::object();
  if (!entries.empty()) {
    model::Json list = model::Json::array();
    for (const auto& e : entries) {
      if (e.ip.empty())
        list.push_back({{"hostname", e.hostname}});
      else
        list.push_back({{"ip", e.ip}});
    }
    load_balancer["ingress"] = std::move(list);
  }
  return {{"loadBalancer", std::move(load_balancer)}};
}

}  // namespace gwsim::kube_ingress
