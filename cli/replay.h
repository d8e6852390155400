// `gwsim replay LOG PATH... [--log-format istio-text|envoy-json] [--gateway NS/NAME] [-o text|json]`:
// every request of a gateway's access log sent through the configuration in PATH... and where
// the simulated outcome differs from the logged one (conformance/replay.h says what is
// compared), with counts per route and the first examples of each difference. LOG "-" reads
// standard input. Exit 0: no difference; 1: some request differs; 2: bad input (the manifests,
// the log file, or no line of it in the format).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace gwsim::cli {

struct ReplayOptions {
  std::string log;
  std::vector<std::string> paths;
  std::string log_format = "istio-text";
  std::string gateway;  // default: the default ingress gateway
  std::string output = "text";
  std::size_t examples = 3;
  std::uint64_t seed = 1;
};

CLI::App* add_replay_command(CLI::App& app, ReplayOptions& options);
int run_replay(const ReplayOptions& options);

}  // namespace gwsim::cli
