// Which unsimulated objects (engine/model/unsimulated.h) apply to the gateway workload, as
// Istio attaches them to a proxy: the root namespace's and the proxy's own namespace's
// (PushContext.EnvoyFilters / WasmPlugins, pilot/pkg/model/push_context.go), each kept when
// WorkloadPolicyMatcher.ShouldAttachPolicy (pilot/pkg/model/policyattachment.go) says so:
//   - a gateway deployed for a Gateway API Gateway (label gateway.networking.k8s.io/gateway-name):
//     a targetRef to that Gateway in the policy's (= the gateway's) namespace; without
//     targetRefs, its selector (ENABLE_SELECTOR_BASED_K8S_GATEWAY_POLICY, on by default);
//   - any other gateway: no targetRefs, and a selector that is a subset of the pod's labels (no
//     selector selects every workload).
#pragma once

#include <vector>

#include "engine/model/snapshot.h"
#include "engine/route/route_table.h"

namespace gwsim::route {

// Appends what applies to `proxy` to `out` (never clearing what other steps put there, e.g.
// AuthorizationPolicy CUSTOM), then sorts and deduplicates `out`.
void add_unsimulated(const model::ConfigSnapshot& snapshot, const GatewayProxy& proxy,
                     std::vector<UnsimulatedRef>& out);

// Whether one object applies to the proxy (the rule above).
bool applies_to_gateway(const model::UnsimulatedObject& object, const GatewayProxy& proxy);

}  // namespace gwsim::route
