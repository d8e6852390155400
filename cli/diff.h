// `gwsim diff OLD NEW [--requests FILE] [-o text|json] [--fail-on-change]`: what changes between
// two versions of the manifests (files or folders), in the gateway's compiled configuration
// (engine/config_diff/config_change.h: listeners, route configurations, virtual hosts, routes,
// clusters, endpoints, with the object responsible and its file:line) and in its traffic
// (engine/config_diff/traffic_impact.h: the probe requests both versions' routes call for, and
// the requests of --requests FILE, in the scenario request shape of conformance/request_list.h,
// that change listener, route, cluster or status, with the share of a weighted route's traffic
// that moves).
// Exit code: 0 no change (or any change, without --fail-on-change), 1 a change with
// --fail-on-change, 2 bad input.
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace gwsim::cli {

struct DiffOptions {
  std::string old_path;
  std::string new_path;
  std::string requests;  // --requests FILE; "" none
  std::string output = "text";
  bool fail_on_change = false;
};

CLI::App* add_diff_command(CLI::App& app, DiffOptions& options);

int run_diff(const DiffOptions& options);

}  // namespace gwsim::cli
