// The order of Istio's gateway config generation, one step per file (file references point at
// istio/istio):
//   1. gateway_workload    the proxy: pod, ports, ProxyConfig (model/context.go, gateway.go resolvePorts)
//   2. service_index       Services and ServiceEntry hosts (serviceentry/conversion.go, ServiceForHostname)
//   3. virtual_services    resolved, delegates merged, oldest first (virtualservice.go, push_context.go)
//   4. merged_gateway      selected Gateways, servers merged per port (model/gateway.go MergeGateways)
//   5. cluster             clusters and endpoints, with destination_rule (core/cluster.go, push_context.go)
//   6. listener            listeners and filter chains (core/gateway.go buildGatewayListeners), which
//                          build the route configurations they name (route_configuration: gateway.go
//                          buildGatewayHTTPRouteConfig; route_translation: route/route.go;
//                          retry_policy: route/retry/retry.go; tls_credentials: SDS credentialName)
//   7. authorization       the rbac filters from AuthorizationPolicy (security/authz/builder/builder.go)
//   8. unsimulated         the unsimulated objects that apply to the workload (policyattachment.go
//                          ShouldAttachPolicy), named beside every outcome
// compile_cache keeps work between compiles; step 6 and the route configurations it builds share
// a CompileContext (compile_context.h) with what the earlier steps produced.
#include "engine/route/compile.h"

#include "engine/route/authorization.h"
#include "engine/route/cluster.h"
#include "engine/route/compile_context.h"
#include "engine/route/destination_rule.h"
#include "engine/route/gateway_workload.h"
#include "engine/route/listener.h"
#include "engine/route/merged_gateway.h"
#include "engine/route/request_authentication.h"
#include "engine/route/service_index.h"
#include "engine/route/unsimulated.h"
#include "engine/route/virtual_services.h"

namespace gwsim::route {

RouteTable compile_for_proxy(const model::ConfigSnapshot& snapshot, GatewayProxy proxy, CompileCache* cache) {
  RouteTable table;
  table.proxy = std::move(proxy);
  detail::CompileCacheState* state = cache ? &cache->state() : nullptr;
  if (state) state->start_compile();

  const ServiceIndex services = index_services(snapshot);
  const VirtualServiceSet virtual_services = prepare_virtual_services(snapshot, state, table.warnings);
  const bool services_changed =
      state ? state->check_environment(snapshot, table.proxy, virtual_services.any_delegate) : true;

  MergedGateway gateway = merge_gateways(snapshot, table.proxy, table.warnings);
  for (const auto* gw : gateway.gateways) table.gateways.push_back(gw->meta.namespace_ + "/" + gw->meta.name);

  table.clusters = build_clusters(services, index_destination_rules(snapshot), table.proxy.namespace_);

  CompileContext ctx{snapshot, table, services, virtual_services, gateway, state, services_changed};
  build_gateway_listeners(ctx);
  table.jwt_authn = build_jwt_authn(snapshot, table.proxy, table.warnings);
  build_authorization(snapshot, table);
  // Last, so that what other steps named (AuthorizationPolicy CUSTOM) is kept and sorted with it.
  add_unsimulated(snapshot, table.proxy, table.unsimulated);

  if (state) state->forget_unseen();
  return table;
}

Result<RouteTable> compile_gateway(const model::ConfigSnapshot& snapshot, const std::string& gateway_service,
                                   CompileCache* cache) {
  auto proxy = gateway_workload(snapshot, gateway_service);
  if (!proxy.ok()) return proxy.error();
  return compile_for_proxy(snapshot, std::move(proxy.value()), cache);
}

}  // namespace gwsim::route
//   7. unsimulated        the unsimulated objects that apply to the workload (policyattachment.go
//                          ShouldAttachPolicy), named beside every outcome
