// The VirtualServices as a gateway's route building sees them: short names resolved, delegates
// merged into their roots, oldest first, and which of them a gateway binds. Paraphrases Istio's
// pilot/pkg/model/virtualservice.go resolveVirtualServiceShortnames, config.go
// resolveGatewayName, push_context.go initVirtualServices (creation order, delegates merged
// by delegate.h) and VirtualServicesForGateway.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/model/snapshot.h"

namespace gwsim::route {

namespace detail {
struct CompileCacheState;
}

// resolveGatewayName: a Gateway reference as "ns/name" ("mesh" stays "mesh").
std::string resolve_gateway_name(const std::string& name, const std::string& vs_namespace);

// resolveVirtualServiceShortnames: hosts, gateways and destination hosts as FQDNs / "ns/name",
// exportTo "." as the namespace. A VirtualService with Gateway API route semantics is not
// resolved (mergeVirtualServices takes it as generated).
model::VirtualService resolve_virtual_service(const model::VirtualService& vs);

struct VirtualServiceSet {
  // Without delegates: the resolved VirtualServices, shared with the cache (oldest first).
  std::vector<std::shared_ptr<const model::VirtualService>> shared;
  // With delegates: the merged ones, owned here.
  std::vector<model::VirtualService> merged;
  std::vector<const model::VirtualService*> ordered;  // either of them, oldest first
  bool any_delegate = false;
};

// The snapshot's VirtualServices, resolved (reused from `cache` while their resourceVersion is
// unchanged; null: no cache) and, when any is a delegate or delegates, merged; delegate merge
// warnings are appended to `warnings`.
VirtualServiceSet prepare_virtual_services(const model::ConfigSnapshot& snapshot, detail::CompileCacheState* cache,
                                           std::vector<std::string>& warnings);

// VirtualServicesForGateway, for one VirtualService: -1 when it is not bound to `gateway` or
// not visible to a proxy in `proxy_namespace`; else its group: 0 private to the proxy's
// namespace, 1 exported to it, 2 public with Gateway API semantics in the proxy's namespace,
// 3 other public.
int visibility_rank(const model::VirtualService& vs, const std::string& gateway, const std::string& proxy_namespace);

// VirtualServicesForGateway: private to the proxy's namespace, exported to it, then public
// (Gateway API ones of the proxy's namespace first); each group oldest first.
std::vector<const model::VirtualService*> virtual_services_for_gateway(const VirtualServiceSet& set,
                                                                       const std::string& gateway,
                                                                       const std::string& proxy_namespace);

}  // namespace gwsim::route
