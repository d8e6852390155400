// The proxy configuration a gateway pod carries in its proxy.istio.io/config annotation (YAML of
// Istio's meshconfig ProxyConfig), typed. Paraphrases Istio's pkg/config/mesh ApplyProxyConfig
// as the agent and pilot read the annotation (pilot/pkg/model/context.go, node metadata
// ProxyConfig); only the fields gwsim simulates are kept.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "engine/model/k8s.h"
#include "engine/model/result.h"

namespace gwsim::model {

inline constexpr const char* kProxyConfigAnnotation = "proxy.istio.io/config";

// ProxyConfig.gatewayTopology.
struct GatewayTopology {
  // Trusted hops in front of the gateway whose X-Forwarded-* headers are kept.
  std::optional<std::uint32_t> num_trusted_proxies;
};

struct ProxyConfig {
  std::optional<GatewayTopology> gateway_topology;
};

// The ProxyConfig written as YAML; an error for text that is not YAML, or a field of the wrong
// shape or type (e.g. numTrustedProxies not an unsigned integer). An empty text is an empty
// configuration.
Result<ProxyConfig> parse_proxy_config(const std::string& yaml);

// The pod's proxy.istio.io/config annotation, parsed; an empty configuration without it.
Result<ProxyConfig> proxy_config_of(const Pod& pod);

}  // namespace gwsim::model
