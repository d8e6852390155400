// Paraphrases Istio's virtualservice.go resolveVirtualServiceShortnames and push_context.go
// initVirtualServices / VirtualServicesForGateway; see virtual_services.h.
#include "engine/route/virtual_services.h"

#include <algorithm>

#include "engine/host/host_name.h"
#include "engine/route/compile_cache.h"
#include "engine/route/delegate.h"
#include "engine/route/detail_config.h"
#include "engine/route/internal_annotations.h"

namespace gwsim::route {

namespace {

constexpr const char* kMeshGateway = "mesh";

// The resolved form of a VirtualService, reused while its resourceVersion is unchanged.
std::shared_ptr<const model::VirtualService> resolved_from_cache(const model::VirtualService& vs,
                                                                 detail::CompileCacheState* cache) {
  if (!cache || vs.meta.resource_version.empty()) {
    return std::make_shared<const model::VirtualService>(resolve_virtual_service(vs));
  }
  auto& entry = cache->resolved[vs.meta.namespace_ + "/" + vs.meta.name];
  if (entry.value && entry.resource_version == vs.meta.resource_version) {
    ++cache->stats.resolved_reused;
  } else {
    entry.resource_version = vs.meta.resource_version;
    entry.value = std::make_shared<const model::VirtualService>(resolve_virtual_service(vs));
    ++cache->stats.resolved_built;
  }
  if (entry.seen != cache->generation) ++cache->resolved_seen;
  entry.seen = cache->generation;
  return entry.value;
}

}  // namespace

std::string resolve_gateway_name(const std::string& name, const std::string& ns) {
  if (name == kMeshGateway) return name;
  auto slash = name.find('/');
  if (slash == std::string::npos) {
    auto dot = name.find('.');
    if (dot == std::string::npos) return ns + "/" + name;
    std::string rest = name.substr(dot + 1);
    auto dot2 = rest.find('.');
    return (dot2 == std::string::npos ? rest : rest.substr(0, dot2)) + "/" + name.substr(0, dot);
  }
  if (name.substr(0, slash) == ".") return ns + "/" + name.substr(slash + 1);
  return name;
}

model::VirtualService resolve_virtual_service(const model::VirtualService& in) {
  model::VirtualService vs = in;
  // virtualservice_controller.go mergeVirtualServices: a Gateway API VirtualService is taken as
  // generated (its names are FQDNs already); only its exportTo "." is read as its namespace.
  if (uses_gateway_semantics(vs.meta)) {
    for (auto& e : vs.export_to) {
      if (e == ".") e = vs.meta.namespace_;
    }
    return vs;
  }
  const std::string& ns = vs.meta.namespace_;
  for (auto& h : vs.hosts) h = host::resolve_short_name(h, ns);
  for (auto& g : vs.gateways) g = resolve_gateway_name(g, ns);
  for (auto& http : vs.http) {
    for (auto& m : http.match) {
      for (auto& g : m.gateways) g = resolve_gateway_name(g, ns);
    }
    for (auto& d : http.route) d.destination.host = host::resolve_short_name(d.destination.host, ns);
    if (http.mirror) http.mirror->host = host::resolve_short_name(http.mirror->host, ns);
    for (auto& m : http.mirrors) m.destination.host = host::resolve_short_name(m.destination.host, ns);
  }
  for (auto& t : vs.tcp) {
    for (auto& d : t.route) d.destination.host = host::resolve_short_name(d.destination.host, ns);
  }
  for (auto& t : vs.tls) {
    for (auto& d : t.route) d.destination.host = host::resolve_short_name(d.destination.host, ns);
  }
  for (auto& e : vs.export_to) {
    if (e == ".") e = ns;
  }
  return vs;
}

VirtualServiceSet prepare_virtual_services(const model::ConfigSnapshot& snapshot, detail::CompileCacheState* cache,
                                           std::vector<std::string>& warnings) {
  using model::VirtualService;
  VirtualServiceSet out;
  std::vector<std::shared_ptr<const VirtualService>> resolved;
  resolved.reserve(snapshot.virtual_services.size());
  for (const auto& vs : snapshot.virtual_services) resolved.push_back(resolved_from_cache(vs, cache));
  // Delegates are merged into their roots before anything binds (virtualservice.go).
  out.any_delegate = std::any_of(resolved.begin(), resolved.end(), [](const auto& vs) {
    return vs->hosts.empty() ||
           std::any_of(vs->http.begin(), vs->http.end(), [](const model::HTTPRoute& r) { return r.delegate.has_value(); });
  });
  if (out.any_delegate) {
    std::vector<VirtualService> copies;
    copies.reserve(resolved.size());
    for (const auto& vs : resolved) copies.push_back(*vs);
    out.merged = merge_delegates(copies, warnings);
    for (const auto& vs : out.merged) out.ordered.push_back(&vs);
    // Oldest first; pointers are sorted, not the VirtualServices themselves (they are large).
    std::stable_sort(out.ordered.begin(), out.ordered.end(),
                     [](const VirtualService* a, const VirtualService* b) { return detail::older(*a, *b); });
  } else {
    out.shared = std::move(resolved);
    // Objects of one apply share a creation time and come in name order: often sorted already,
    // and checking is linear where sorting is not.
    auto by_age = [](const auto& a, const auto& b) { return detail::older(*a, *b); };
    if (!std::is_sorted(out.shared.begin(), out.shared.end(), by_age))
      std::stable_sort(out.shared.begin(), out.shared.end(), by_age);
    for (const auto& vs : out.shared) out.ordered.push_back(vs.get());
  }
  return out;
}

int visibility_rank(const model::VirtualService& vs, const std::string& gateway, const std::string& proxy_ns) {
  if (std::find(vs.gateways.begin(), vs.gateways.end(), gateway) == vs.gateways.end()) return -1;
  const auto& ex = vs.export_to;
  if (ex.empty() || std::find(ex.begin(), ex.end(), "*") != ex.end()) {
    // push_context.go VirtualServicesForGateway: among public ones, Gateway API routes of the
    // proxy's namespace come first ("consumer override" preference).
    return uses_gateway_semantics(vs.meta) && vs.meta.namespace_ == proxy_ns ? 2 : 3;
  }
  if (std::find(ex.begin(), ex.end(), "~") != ex.end()) return -1;
  if (std::find(ex.begin(), ex.end(), proxy_ns) == ex.end()) return -1;
  return vs.meta.namespace_ == proxy_ns ? 0 : 1;
}

std::vector<const model::VirtualService*> virtual_services_for_gateway(const VirtualServiceSet& set,
                                                                       const std::string& gateway,
                                                                       const std::string& proxy_ns) {
  std::vector<const model::VirtualService*> by_rank[4];
  for (const model::VirtualService* vs : set.ordered) {
    if (int rank = visibility_rank(*vs, gateway, proxy_ns); rank >= 0) by_rank[rank].push_back(vs);
  }
  by_rank[0].insert(by_rank[0].end(), by_rank[1].begin(), by_rank[1].end());
  by_rank[0].insert(by_rank[0].end(), by_rank[2].begin(), by_rank[2].end());
  by_rank[0].insert(by_rank[0].end(), by_rank[3].begin(), by_rank[3].end());
  return by_rank[0];
}

}  // namespace gwsim::route
