// Reference handling (pilot/pkg/config/kube/gatewaycommon/references.go): NormalizeReference,
// ReferenceGrants and the lookups the translation makes (RouteContext.LookupHostname).
#include "engine/host/host_name.h"
#include "engine/kube_gateway/detail_context.h"

namespace gwsim::kube_gateway::detail {

namespace {

// The preferred version of a known group/kind, as collections.All.FindByGroupKind resolves it;
// config.GroupVersionKind.String() prints it.
std::string version_of(const GroupKind& gk) {
  if (gk.group == kGatewayGroup) return gk.kind == "ReferenceGrant" ? "v1beta1" : "v1";
  return gk.group.empty() || gk.group == "networking.istio.io" ? "v1" : "";
}

}  // namespace

std::string GroupKind::to_string() const {
  const std::string version = version_of(*this);
  if (group.empty()) return "core/" + version + "/" + kind;
  return group + "/" + version + "/" + kind;
}

// gatewaycommon.NormalizeReference: unset group or kind take the defaults.
GroupKind normalize_reference(const std::optional<std::string>& group, const std::optional<std::string>& kind,
                              const GroupKind& fallback) {
  return GroupKind{group.value_or(fallback.group), kind.value_or(fallback.kind)};
}

// gatewaycommon.ReferenceGrantsCollection: one grant per (from, to) pair of the kinds Istio
// knows; other kinds may be for another controller and are skipped.
ReferenceGrants::ReferenceGrants(const std::vector<gwapi::ReferenceGrant>& grants) {
  for (const auto& rg : grants) {
    for (const auto& from : rg.from) {
      GroupKind from_kind{from.group, from.kind};
      static const std::set<std::string> kFromKinds = {"Gateway",  "HTTPRoute", "GRPCRoute",
                                                       "TLSRoute", "TCPRoute",  "ListenerSet"};
      if (from_kind.group != kGatewayGroup || !kFromKinds.count(from_kind.kind)) continue;
      for (const auto& to : rg.to) {
        GroupKind to_kind{to.group, to.kind};
        const bool known = (to_kind.group.empty() &&
                            (to_kind.kind == "ConfigMap" || to_kind.kind == "Secret" || to_kind.kind == "Service"));
        if (!known) continue;
        grants_.push_back({from_kind, from.namespace_, to_kind, rg.meta.namespace_, to.name});
      }
    }
  }
}

bool ReferenceGrants::allowed(const GroupKind& from_kind, const std::string& from_namespace, const GroupKind& to_kind,
                              const std::string& to_namespace, const std::string& name) const {
  for (const auto& g : grants_) {
    if (g.from_kind == from_kind && g.from_namespace == from_namespace && g.to_kind == to_kind &&
        g.to_namespace == to_namespace && (!g.name || *g.name == name)) {
      return true;
    }
  }
  return false;
}

bool ReferenceGrants::secret_allowed(const GroupKind& from_kind, const std::string& secret_namespace,
                                     const std::string& secret_name, const std::string& from_namespace) const {
  return allowed(from_kind, from_namespace, GroupKind{"", "Secret"}, secret_namespace, secret_name);
}

bool ReferenceGrants::backend_allowed(const GroupKind& from_kind, const GroupKind& to_kind, const std::string& name,
                                      const std::string& to_namespace, const std::string& from_namespace) const {
  return allowed(from_kind, from_namespace, to_kind, to_namespace, name);
}

const model::Service* Context::service(const std::string& namespace_, const std::string& name) const {
  if (record) record->services.emplace(namespace_, name);
  for (const auto& s : snapshot.services) {
    if (s.meta.namespace_ == namespace_ && s.meta.name == name) return &s;
  }
  return nullptr;
}

bool Context::hostname_exists(const std::string& hostname, const std::string& namespace_) const {
  if (record) record->hostname_namespaces.insert(namespace_);
  for (const auto& s : snapshot.services) {
    if (s.meta.namespace_ == namespace_ && s.meta.name + "." + s.meta.namespace_ + ".svc." + domain_suffix == hostname)
      return true;
  }
  for (const auto& se : snapshot.service_entries) {
    if (se.meta.namespace_ != namespace_) continue;
    for (const auto& h : se.hosts) {
      if (h == hostname) return true;
    }
  }
  return false;
}

const model::Namespace* Context::namespace_named(const std::string& name) const {
  for (const auto& ns : snapshot.namespaces) {
    if (ns.meta.name == name) return &ns;
  }
  return nullptr;
}

// gatewaycommon.FetchGatewayClass: the class object, else the built-in "istio" class
// (BuiltinGatewayClasses; the class controller that would create it is not simulated).
std::string gateway_controller(const Context& ctx, const std::string& class_name) {
  for (const auto& c : ctx.snapshot.gateway_classes) {
    if (c.meta.name == class_name) return c.controller_name;
  }
  return class_name == "istio" ? gwapi::kIstioController : "";
}

}  // namespace gwsim::kube_gateway::detail
