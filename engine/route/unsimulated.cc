#include "engine/route/unsimulated.h"

#include <algorithm>

#include "engine/model/labels.h"
#include "engine/route/detail_config.h"

namespace gwsim::route {

namespace {

constexpr const char* kGatewayNameLabel = "gateway.networking.k8s.io/gateway-name";

bool selected(const model::UnsimulatedObject& object, const GatewayProxy& proxy) {
  return !object.selector || model::selects(*object.selector, proxy.labels);
}

}  // namespace

bool applies_to_gateway(const model::UnsimulatedObject& object, const GatewayProxy& proxy) {
  const std::string& ns = object.meta.namespace_;
  if (ns != detail::kRootNamespace && ns != proxy.namespace_) return false;
  auto gateway_name = proxy.labels.find(kGatewayNameLabel);
  if (gateway_name == proxy.labels.end()) return object.target_refs.empty() && selected(object, proxy);
  if (object.target_refs.empty()) return selected(object, proxy);
  for (const auto& ref : object.target_refs) {
    if (ns != proxy.namespace_) continue;
    if (!ref.namespace_.empty() && ref.namespace_ != proxy.namespace_) continue;
    if (ref.group == "gateway.networking.k8s.io" && ref.kind == "Gateway" && ref.name == gateway_name->second)
      return true;
  }
  return false;
}

void add_unsimulated(const model::ConfigSnapshot& snapshot, const GatewayProxy& proxy,
                     std::vector<UnsimulatedRef>& out) {
  for (const auto& object : snapshot.unsimulated) {
    if (!applies_to_gateway(object, proxy)) continue;
    out.push_back({object.kind, object.meta.namespace_, object.meta.name, model::unsimulated_why(object.kind)});
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
}

}  // namespace gwsim::route
