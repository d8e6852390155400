#include "engine/kube_gateway/controller.h"

#include <algorithm>
#include <tuple>

#include "engine/kube_gateway/detail_context.h"

namespace gwsim::kube_gateway {

namespace {

template <typename T>
void sort_by_creation(std::vector<T>& configs) {  // sortConfigByCreationTime
  std::stable_sort(configs.begin(), configs.end(), [](const T& a, const T& b) {
    return std::tie(a.meta.creation_time, a.meta.namespace_, a.meta.name) <
           std::tie(b.meta.creation_time, b.meta.namespace_, b.meta.name);
  });
}

}  // namespace

// controller.go NewController: the GatewayClass, Gateway and route collections, then the
// Gateways' attachedRoutes (FinalGatewayStatusCollection).
model::GeneratedConfig convert(const model::ConfigSnapshot& snapshot, const Options& options) {
  detail::Context ctx{snapshot, options.domain_suffix, detail::ReferenceGrants(snapshot.reference_grants), {}};
  model::GeneratedConfig out;

  // GatewayClassesCollection: the classes Istio's controller handles are Accepted.
  for (const auto& c : snapshot.gateway_classes) {
    if (c.controller_name != model::gateway_api::kIstioController) continue;
    model::Json status = c.status.is_object() ? c.status : model::Json::object();
    status["conditions"] =
        detail::set_conditions(c.generation, status.value("conditions", model::Json::array()),
                               {{"Accepted", {"Accepted", "Handled by Istio controller", "", std::nullopt}}});
    out.statuses.push_back({detail::kGatewayGroup, "GatewayClass", "", c.meta.name, status});
  }

  auto gateways = detail::build_gateways(ctx);
  for (const auto& lg : gateways.listeners) {
    ctx.parents[lg.parent].push_back(lg.info);
    if (lg.valid) out.gateways.push_back(lg.config);  // GatewayConfigs: only programmed listeners
  }
  auto routes = detail::build_routes(ctx);

  for (auto& [key, status] : gateways.statuses) {
    if (status.contains("listeners")) {
      for (auto& l : status["listeners"]) {
        int count = 0;
        for (const auto& a : routes.attachments) {
          if (a.gateway_namespace == key.first && a.gateway_name == key.second && a.listener == l.value("name", ""))
            ++count;
        }
        l["attachedRoutes"] = count;
      }
    }
    out.statuses.push_back({detail::kGatewayGroup, "Gateway", key.first, key.second, status});
  }
  for (auto& s : routes.statuses) out.statuses.push_back(std::move(s));
  out.warnings = std::move(gateways.warnings);
  for (auto& w : routes.warnings) out.warnings.push_back(std::move(w));
  out.virtual_services = std::move(routes.virtual_services);
  sort_by_creation(out.gateways);
  sort_by_creation(out.virtual_services);
  return out;
}

}  // namespace gwsim::kube_gateway
