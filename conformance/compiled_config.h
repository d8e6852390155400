// Manifest files or folders as the gateways' compiled configuration, the way `gwsim route` reads
// them (load, admission, the controllers, the default ingress gateway when none is defined), for
// the commands that look at the configuration itself rather than at one request: `gwsim diff`
// and `gwsim proxy-config` (and their benchmarks).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/model/object.h"
#include "engine/route/route_table.h"

namespace gwsim::conformance {

struct CompiledConfig {
  std::vector<model::Object> objects;  // as loaded, with their positions
  // Every gateway Service "ns/name" (runtime::gateway_services order: the default one first) ->
  // its table; a gateway whose table cannot be compiled is left out with a warning.
  std::map<std::string, std::shared_ptr<const route::RouteTable>> tables;
  std::vector<std::string> gateway_order;
  std::vector<std::string> warnings;  // "file:line:col: warning: ...", "warning: skipped: ..."
  std::vector<std::string> errors;    // bad input: a missing path, a YAML error, a refused object
  bool ok() const { return errors.empty(); }
};

CompiledConfig compile_manifests(const std::vector<std::string>& paths);

}  // namespace gwsim::conformance
