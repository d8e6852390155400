#include "runtime/gateway_services.h"

#include <set>
#include <utility>

#include "engine/model/labels.h"
#include "engine/model/snapshot.h"
#include "engine/route/internal_annotations.h"
#include "runtime/control_plane.h"

namespace gwsim::runtime {

namespace {

std::string key(const std::string& ns, const std::string& name) { return ns + "/" + name; }

}  // namespace

std::vector<std::string> gateway_services(ControlPlane& control_plane) {
  std::set<std::string> out;
  control_plane.read_snapshot([&out](const model::ConfigSnapshot& snap) {
    // Services a Gateway names in internal.istio.io/gateway-service (push_context.go
    // mergeGateways): "hostname@namespace" of each, in the Gateway's (or its parent's) namespace.
    std::set<std::string> named;
    for (const auto& g : snap.gateways) {
      std::string ns = route::annotation(g.meta, route::kParentNamespaceAnnotation);
      if (ns.empty()) ns = g.meta.namespace_;
      for (const auto& h : route::gateway_service_hostnames(g.meta)) named.insert(h + "@" + ns);
    }
    for (const auto& s : snap.services) {
      if (s.selector.empty()) continue;
      bool gateway = key(s.meta.namespace_, s.meta.name) == kDefaultIngressGateway ||
                     named.count(s.hostname() + "@" + s.meta.namespace_);
      for (const auto& p : snap.pods) {
        if (gateway) break;
        if (p.meta.namespace_ != s.meta.namespace_ || !model::selects(s.selector, p.meta.labels)) continue;
        auto istio = p.meta.labels.find("istio");
        if (istio != p.meta.labels.end() && istio->second == "ingressgateway") gateway = true;
        // The gateway Istio deploys for a Gateway API Gateway (its deployment controller labels
        // the pods with the Gateway's name).
        if (p.meta.labels.count("gateway.networking.k8s.io/gateway-name")) gateway = true;
        for (const auto& g : snap.gateways)
          if (!g.selector.empty() && model::selects(g.selector, p.meta.labels)) gateway = true;
      }
      if (gateway) out.insert(key(s.meta.namespace_, s.meta.name));
    }
  });
  std::vector<std::string> sorted;
  if (out.count(kDefaultIngressGateway)) sorted.push_back(kDefaultIngressGateway);
  for (const auto& g : out)
    if (g != kDefaultIngressGateway) sorted.push_back(g);
  return sorted;
}

}  // namespace gwsim::runtime
