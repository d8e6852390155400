// Objects of kinds gwsim stores and does not simulate but that can change what an ingress
// gateway answers: read only as far as needed to tell which gateway workloads they apply to
// (engine/route/unsimulated.h), so that every outcome they could change names them.
//
// The kinds (Istio's pkg/config/schema/collections), and why:
//   EnvoyFilter (networking.istio.io)  patches the gateway's listeners, filters, routes, clusters
//   WasmPlugin (extensions.istio.io)   adds Wasm HTTP filters to the gateway
//   ProxyConfig (networking.istio.io)  the proxy's environment variables and concurrency, which
//                                      can switch Envoy and pilot-agent behaviour
// Not here, because they cannot change a gateway's answers: Telemetry (metrics, logs, traces),
// Sidecar (applies to sidecars only, never to gateways: istio.io Sidecar reference),
// PeerAuthentication (mTLS of a workload's inbound sidecar listeners; a gateway has none).
// RequestAuthentication and AuthorizationPolicy are simulated (engine/model/
// request_authentication.h, authorization_policy.h); AuthorizationPolicy CUSTOM is named by its
// own compile step.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/model/k8s.h"
#include "engine/model/object.h"

namespace gwsim::model {

inline constexpr const char* kIstioExtensionsGroup = "extensions.istio.io";

// istio.io/api type/v1beta1 PolicyTargetReference.
struct PolicyTargetRef {
  std::string group;
  std::string kind;
  std::string name;
  std::string namespace_;  // "": the policy's own
};

struct UnsimulatedObject {
  std::string kind;  // "EnvoyFilter"
  Meta meta;
  // spec.workloadSelector.labels (EnvoyFilter) or spec.selector.matchLabels; nullopt: no selector.
  std::optional<Labels> selector;
  std::vector<PolicyTargetRef> target_refs;  // spec.targetRefs, else spec.targetRef
};

// Whether gwsim reads objects of this kind as UnsimulatedObject.
bool is_unsimulated_kind(std::string_view group, std::string_view kind);

// What an object of that kind could change at the gateway, briefly.
std::string unsimulated_why(std::string_view kind);

struct UnsimulatedProblem {
  std::string pointer;  // JSON pointer of the offending field
  std::string message;
};

// Reads the selector and target references; a field of the wrong shape is a problem.
UnsimulatedObject read_unsimulated(const Object& object, Meta meta, std::vector<UnsimulatedProblem>& problems);

}  // namespace gwsim::model
