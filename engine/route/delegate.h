// Delegate VirtualServices (VirtualService `http[].delegate`): the merge Istio runs before it
// builds any route, paraphrasing pilot/pkg/model/virtualservice_controller.go
// (mergeVirtualServices) and pilot/pkg/model/virtualservice.go (MergeHTTPRoutes,
// mergeHTTPRoute, mergeHTTPMatchRequests, mergeHTTPMatchRequest, hasConflict,
// stringMatchConflict).
//
//   - A VirtualService without hosts is a delegate: it never binds by itself and is left out
//     of the result.
//   - In a root VirtualService (one with hosts), every http route that names a `delegate` is
//     replaced, in place, by the delegate's http routes, each merged with the root route:
//     matches are combined (every delegate match must be compatible with some root match,
//     else that delegate route is dropped), unset fields are inherited from the root route
//     (rewrite, directResponse, timeout, retries, fault, mirror, mirror percentage, mirrors,
//     corsPolicy, headers), names become "<root>-<delegate>".
//   - The delegate is looked up as <delegate.namespace, default: the root's namespace>/<name>
//     among the VirtualServices without hosts. When it is missing, or not exported to the
//     root's namespace, only that root route is dropped.
//   - A delegate route that delegates again is dropped (Istio's validation refuses it).
//   - VirtualServices with Gateway API or Ingress route semantics are not merged.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/model/istio.h"

namespace gwsim::route {

// `resolved`: every VirtualService of the snapshot, each already resolved in its own
// namespace (hosts, gateways and destination hosts as FQDNs; exportTo "." as the namespace;
// see resolve_virtual_service in virtual_services.h), so short names in a delegate are those
// of the delegate's namespace.
// Returns the root and plain VirtualServices in the input order, with delegate routes merged
// in; each dropped route or missing delegate appends a warning (Istio logs these).
std::vector<model::VirtualService> merge_delegates(const std::vector<model::VirtualService>& resolved,
                                                   std::vector<std::string>& warnings);

// The building blocks, exposed for unit tests.
namespace delegate_detail {

// stringMatchConflict: whether a delegate string match (`leaf`) is incompatible with the root's.
bool string_match_conflict(const std::optional<model::StringMatch>& root, const std::optional<model::StringMatch>& leaf);

// hasConflict: whether delegate match `leaf` cannot be narrowed from root match `root`.
bool has_conflict(const model::HTTPMatchRequest& root, const model::HTTPMatchRequest& leaf);

// mergeHTTPMatchRequest: the delegate match with the root's unset fields filled in.
model::HTTPMatchRequest merge_match(const model::HTTPMatchRequest& root, const model::HTTPMatchRequest& leaf);

// mergeHTTPMatchRequests: the merged matches, or nullopt on conflict.
std::optional<std::vector<model::HTTPMatchRequest>> merge_matches(const std::vector<model::HTTPMatchRequest>& root,
                                                                  const std::vector<model::HTTPMatchRequest>& leaf);

// mergeHTTPRoute: the delegate route merged with the root route, or nullopt on conflict.
std::optional<model::HTTPRoute> merge_route(const model::HTTPRoute& root, const model::HTTPRoute& leaf);

}  // namespace delegate_detail

}  // namespace gwsim::route
