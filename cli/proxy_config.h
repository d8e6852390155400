// `gwsim proxy-config listeners|routes|clusters|endpoints|secrets|all PATH... [--gateway NS/NAME]
// [-o short|json|yaml]`: the configuration gwsim built for a gateway from manifests, in the short
// tables `istioctl proxy-config` prints (engine/config_dump/istioctl_tables.h) or as Envoy's
// /config_dump (engine/config_dump/envoy_config_dump.h): one section for one kind, the whole
// ConfigDump for `all`. Exit code: 0, or 2 for bad input (manifests, an unknown gateway).
#pragma once

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace gwsim::cli {

struct ProxyConfigOptions {
  std::string kind;  // listeners, routes, clusters, endpoints, secrets, all
  std::vector<std::string> paths;
  std::string gateway;  // "" the default ingress gateway (or the first there is)
  std::string output = "short";
};

CLI::App* add_proxy_config_command(CLI::App& app, ProxyConfigOptions& options);

int run_proxy_config(const ProxyConfigOptions& options);

}  // namespace gwsim::cli
