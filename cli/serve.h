// `gwsim serve [PATH...] [--listen ADDR] [--state FILE] [--api ADDR:PORT] [--admin-port N]
// [--status-port N]`: the manifests as a running gateway on loopback. Loads and applies the
// manifests (the default ingress gateway when they define none), starts the fake pods and one
// gateway proxy per gateway Service, prints
//
//   gateway istio-system/istio-ingressgateway http://127.0.0.1:18080 (port 80)
//
// per Service port at start and whenever one changes, and per gateway its Envoy admin and
// pilot-agent status ports (runtime/admin_server.h)
//
//   gateway istio-system/istio-ingressgateway admin http://127.0.0.1:PORT status http://127.0.0.1:PORT/healthz/ready
//
// keeps --state FILE (JSON: gateways with their ports, local addresses and admin URLs, pods with
// IP, labels and ports) current, and stops cleanly on Ctrl-C (SIGINT) or SIGTERM.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace gwsim::cli {

struct ServeOptions {
  std::vector<std::string> paths;
  std::string listen = "127.0.0.1";  // loopback address for the gateway's ports
  std::string state_file;            // --state: JSON of everything running, kept current
  std::uint64_t seed = 1;
  int threads = 1;                   // proxy event loops
  bool access_log = false;           // one line per request on stderr
  // The fake Kubernetes API server (fakes/apiserver) on ADDR:PORT, over the same ControlPlane,
  // so kubectl changes reach the running gateway. Port 0: a free port (printed).
  std::string api = "127.0.0.1:0";
  std::string kubeconfig;  // where to write a kubeconfig for it (default: next to the build)
  // Per gateway, Envoy's admin port (/config_dump, /clusters, /ready, /stats/prometheus) and
  // pilot-agent's status port (/healthz/ready), on the --listen address (runtime/admin_server.h).
  // 0: free ports; N: the first gateway gets N, the next N+1, ... (a taken port is refused).
  int admin_port = 0;
  int status_port = 0;
  // Skip the analysis of every write (Warning headers and the findings on each change's line):
  // it costs about 27 ms a write at 1,000 VirtualServices and 360 ms at 10,000.
  bool no_analysis = false;
};

// Registers the subcommand on `app`; options are filled when it is parsed.
CLI::App* add_serve_command(CLI::App& app, ServeOptions& options);

// Runs until SIGINT/SIGTERM. Exit code: 0 after a clean stop, 2 bad input.
int run_serve(const ServeOptions& options);

}  // namespace gwsim::cli
