// Private to engine/kube_gateway: the conversion functions of conversion.cc, shared with
// route_collections.cc (pilot/pkg/config/kube/gateway/conversion.go).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/kube_gateway/detail_context.h"

namespace gwsim::kube_gateway::detail {

// One converted rule: no route is a hard error (the whole route is dropped); a route with an
// error keeps the route (an invalid backend is dropped) and reports the error in status.
template <typename T>
struct RuleResult {
  std::optional<T> route;
  std::optional<ConfigError> error;
};

model::Destination build_destination(const Context& ctx, const gwapi::BackendObjectReference& to, const std::string& ns,
                                     bool enforce_ref_grant, const GroupKind& route_kind,
                                     std::optional<ConfigError>& error);
model::HTTPMirrorPolicy create_mirror(const Context& ctx, const gwapi::HTTPRequestMirrorFilter& f,
                                      const std::string& ns, bool enforce_ref_grant, const GroupKind& route_kind,
                                      std::optional<ConfigError>& error);

// `match` is the rule's one match (Istio splits rules so each has at most one), or null.
RuleResult<model::HTTPRoute> convert_http_rule(const Context& ctx, const gwapi::HTTPRouteRule& rule,
                                               const gwapi::HTTPRouteMatch* match, const gwapi::HTTPRoute& obj,
                                               size_t pos, bool enforce_ref_grant);
RuleResult<model::HTTPRoute> convert_grpc_rule(const Context& ctx, const gwapi::GRPCRouteRule& rule,
                                               const gwapi::GRPCRouteMatch* match, const gwapi::GRPCRoute& obj,
                                               size_t pos, bool enforce_ref_grant);
RuleResult<model::TCPRoute> convert_tcp_rule(const Context& ctx, const gwapi::L4RouteRule& rule,
                                             const gwapi::TCPRoute& obj, bool enforce_ref_grant);
RuleResult<model::TLSRoute> convert_tls_rule(const Context& ctx, const gwapi::L4RouteRule& rule,
                                             const gwapi::TLSRoute& obj, bool enforce_ref_grant);

void sort_http_routes(std::vector<model::HTTPRoute>& routes);

std::string parent_ref_string(const gwapi::ParentReference& ref, const std::string& object_namespace);
// `warnings`, when given, names the parentRefs gwsim does not simulate (mesh parents, ListenerSets).
std::vector<RouteParentReference> extract_parent_references(const Context& ctx, const gwapi::RouteCommon& route,
                                                            const GroupKind& route_kind,
                                                            std::vector<std::string>* warnings = nullptr);
std::vector<RouteParentReference> filtered_references(const std::vector<RouteParentReference>& parents);
bool hostname_allowed_by_isolation(const RouteParentReference& parent, const std::string& route_host);

// gatewaycommon.GenerateGatewaySupportedKinds.
std::pair<std::vector<gwapi::RouteGroupKind>, bool> supported_kinds(const gwapi::Listener& l);

}  // namespace gwsim::kube_gateway::detail
