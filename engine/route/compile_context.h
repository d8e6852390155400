// The state the later compile steps share (route configurations and listeners): what the
// earlier steps produced, the table being built and the cache. A plain struct; compile.cc
// fills it in step order (see compile.cc) and passes it on.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "engine/model/snapshot.h"
#include "engine/route/merged_gateway.h"
#include "engine/route/route_table.h"
#include "engine/route/route_translation.h"
#include "engine/route/service_index.h"
#include "engine/route/virtual_services.h"

namespace gwsim::route {

namespace detail {
struct CompileCacheState;
}

struct CompileContext {
  const model::ConfigSnapshot& snapshot;
  RouteTable& table;  // the output: listeners and route configurations are added; warnings appended
  const ServiceIndex& services;
  const VirtualServiceSet& virtual_services;
  MergedGateway& gateway;
  detail::CompileCacheState* cache = nullptr;  // null: nothing is kept between compiles
  bool services_changed = true;                // since the compile that filled the cache

  const std::string& proxy_namespace() const { return table.proxy.namespace_; }
  RouteTranslationScope translation_scope() const { return RouteTranslationScope{services, table.proxy}; }
  void warn(std::string message) { table.warnings.push_back(std::move(message)); }
};

}  // namespace gwsim::route
