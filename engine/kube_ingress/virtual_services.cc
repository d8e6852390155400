#include "engine/kube_ingress/virtual_services.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "engine/kube_ingress/gateways.h"

namespace gwsim::kube_ingress {

namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// ingress.go IngressRule: one rule of one Ingress, with what orders it.
struct RuleRef {
  const model::Ingress* ingress;
  size_t index;
  const model::IngressRule* rule;
};

// getMatchURILength: the length of the uri match and whether it is exact; -1 for a match that
// is neither exact nor prefix ("should not happen"), 0 for a route without match.
std::pair<long, bool> match_uri_length(const model::HTTPRoute& route) {
  if (route.match.empty()) return {0, false};
  const auto& uri = route.match.front().uri;
  if (!uri) return {-1, false};
  switch (uri->kind) {
    case model::StringMatch::Kind::kExact:
      return {static_cast<long>(uri->value.size()), true};
    case model::StringMatch::Kind::kPrefix:
      return {static_cast<long>(uri->value.size()), false};
    default:
      return {-1, false};
  }
}

std::string where(const model::Ingress& ingress) {
  return "Ingress " + ingress.meta.namespace_ + "/" + ingress.meta.name;
}

// ingressBackendToHTTPRoute and resolveNamedPort: the route to the backend Service, or nothing
// (with the reason) when it cannot be built.
std::optional<model::HTTPRoute> backend_route(const model::IngressBackend& backend, const std::string& ns,
                                              const model::ConfigSnapshot& snapshot, const MeshIngressConfig& mesh,
                                              std::string& reason) {
  if (!backend.service) {
    reason = "backend service must be specified (resource backends are not supported by Istio)";
    return std::nullopt;
  }
  const model::IngressServiceBackend& service = *backend.service;
  std::uint32_t port = 0;
  if (service.port.number > 0) {
    port = static_cast<std::uint32_t>(service.port.number);
  } else {
    for (const auto& s : snapshot.services) {
      if (!s.fqdn.empty() || s.meta.namespace_ != ns || s.meta.name != service.name) continue;
      for (const auto& p : s.ports)
        if (p.name == service.port.name) port = static_cast<std::uint32_t>(p.port);
      break;
    }
    if (port == 0) {
      reason = "failed to resolve named port \"" + service.port.name + "\" of Service " + ns + "/" + service.name;
      return std::nullopt;
    }
  }
  model::HTTPRouteDestination destination;
  destination.destination.host = service.name + "." + ns + ".svc." + mesh.domain_suffix;
  destination.destination.port = model::PortSelector{port};
  destination.weight = 100;
  model::HTTPRoute route;
  route.route.push_back(std::move(destination));
  return route;
}

}  // namespace

std::optional<model::StringMatch> fallback_string_match(const std::string& path) {
  if (path.empty() || path == "*" || path == "/*" || path == ".*") return std::nullopt;
  for (const char* suffix : {".*", "/*"}) {
    if (ends_with(path, suffix))
      return model::StringMatch{model::StringMatch::Kind::kPrefix, path.substr(0, path.size() - 2)};
  }
  return model::StringMatch{model::StringMatch::Kind::kExact, path};
}

void sort_http_routes(std::vector<model::HTTPRoute>& routes) {
  std::stable_sort(routes.begin(), routes.end(), [](const model::HTTPRoute& a, const model::HTTPRoute& b) {
    const auto [a_length, a_exact] = match_uri_length(a);
    const auto [b_length, b_exact] = match_uri_length(b);
    if (a_length == b_length) return a_exact && !b_exact;
    return a_length > b_length;
  });
}

std::vector<model::VirtualService> convert_ingress_virtual_services(const std::vector<const model::Ingress*>& ingresses,
                                                                    const model::ConfigSnapshot& snapshot,
                                                                    const MeshIngressConfig& mesh,
                                                                    std::vector<std::string>& warnings) {
  // RuleCollection, indexed by host.
  std::map<std::string, std::vector<RuleRef>> by_host;
  for (const model::Ingress* ingress : ingresses) {
    if (ingress->default_backend) {
      // Istio: "Ignore default wildcard ingress, use VirtualService".
      warnings.push_back(where(*ingress) + ": spec.defaultBackend is ignored by Istio (use a VirtualService for *)");
    }
    for (size_t i = 0; i < ingress->rules.size(); ++i) {
      const model::IngressRule& rule = ingress->rules[i];
      if (!rule.http_paths) {
        warnings.push_back(where(*ingress) + ": spec.rules[" + std::to_string(i) + "] for host \"" + rule.host +
                           "\" has no paths defined: ignored");
        continue;
      }
      by_host[rule.host.empty() ? "*" : rule.host].push_back({ingress, i, &rule});
    }
  }

  std::vector<model::VirtualService> out;
  for (auto& [host, rules] : by_host) {
    // sortRulesByCreationTimestamp.
    std::sort(rules.begin(), rules.end(), [](const RuleRef& a, const RuleRef& b) {
      return std::tie(a.ingress->meta.creation_time, a.ingress->meta.name, a.ingress->meta.namespace_, a.index) <
             std::tie(b.ingress->meta.creation_time, b.ingress->meta.name, b.ingress->meta.namespace_, b.index);
    });
    std::vector<model::HTTPRoute> routes;
    for (const RuleRef& ref : rules) {
      const std::string& ns = ref.ingress->meta.namespace_;
      // convertIngressRule.
      for (size_t p = 0; p < ref.rule->http_paths->size(); ++p) {
        const model::HTTPIngressPath& path = (*ref.rule->http_paths)[p];
        std::optional<model::StringMatch> uri;
        if (path.path_type == model::kPathTypeExact)
          uri = model::StringMatch{model::StringMatch::Kind::kExact, path.path};
        else if (path.path_type == model::kPathTypePrefix)
          uri = model::StringMatch{model::StringMatch::Kind::kPrefix, path.path};
        else
          uri = fallback_string_match(path.path);
        std::string reason;
        auto route = backend_route(path.backend, ns, snapshot, mesh, reason);
        if (!route) {
          warnings.push_back(where(*ref.ingress) + ": spec.rules[" + std::to_string(ref.index) + "].http.paths[" +
                             std::to_string(p) + "] for host \"" + ref.rule->host + "\" is ignored: " + reason);
          continue;
        }
        if (uri) {
          model::HTTPMatchRequest match;
          match.uri = uri;
          route->match.push_back(std::move(match));
        }
        route->source = path.source;
        routes.push_back(std::move(*route));
      }
    }
    sort_http_routes(routes);

    const model::Ingress& first = *rules.front().ingress;
    model::VirtualService vs;
    std::string dashed = host;
    std::replace(dashed.begin(), dashed.end(), '.', '-');
    vs.meta.name = dashed + "-" + first.meta.name + "-" + kIstioIngressGatewayName;
    vs.meta.namespace_ = first.meta.namespace_;
    vs.meta.annotations[kRouteSemanticsAnnotation] = kRouteSemanticsIngress;
    vs.meta.source = first.meta.source;
    vs.hosts = {host};
    // Only the first Ingress's Gateway: the other Ingresses' Gateways for the same host get no
    // routes of theirs (Istio's behaviour, istio/istio#24385).
    vs.gateways = {mesh.ingress_namespace + "/" + ingress_gateway_name(first.meta.name, first.meta.namespace_)};
    vs.http = std::move(routes);
    out.push_back(std::move(vs));
  }
  std::sort(out.begin(), out.end(), [](const model::VirtualService& a, const model::VirtualService& b) {
    return std::tie(a.meta.namespace_, a.meta.name) < std::tie(b.meta.namespace_, b.meta.name);
  });
  return out;
}

}  // namespace gwsim::kube_ingress
