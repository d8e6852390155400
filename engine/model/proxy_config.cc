// Paraphrases Istio's pkg/config/mesh ApplyProxyConfig for the proxy.istio.io/config annotation;
// see proxy_config.h.
#include "engine/model/proxy_config.h"

#include "engine/model/safe_yaml.h"

#include <yaml-cpp/yaml.h>

namespace gwsim::model {

Result<ProxyConfig> parse_proxy_config(const std::string& yaml) {
  ProxyConfig out;
  // An annotation is user input like any manifest: loaded with the same bounds (safe_yaml.h).
  YamlDocument loaded = load_yaml_document(yaml);
  if (loaded.error) return make_error(std::string(kProxyConfigAnnotation) + ": " + loaded.error->message);
  try {
    const YAML::Node& config = loaded.root;
    if (config["gatewayTopology"]) {
      YAML::Node topology = config["gatewayTopology"];
      GatewayTopology& typed = out.gateway_topology.emplace();
      if (topology["numTrustedProxies"]) typed.num_trusted_proxies = topology["numTrustedProxies"].as<std::uint32_t>();
    }
  } catch (const YAML::Exception& e) {
    return make_error(std::string(kProxyConfigAnnotation) + ": " + e.what());
  }
  return out;
}

Result<ProxyConfig> proxy_config_of(const Pod& pod) {
  auto it = pod.meta.annotations.find(kProxyConfigAnnotation);
  if (it == pod.meta.annotations.end()) return ProxyConfig{};
  return parse_proxy_config(it->second);
}

}  // namespace gwsim::model
