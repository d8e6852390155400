// compile_gateway: ConfigSnapshot + gateway workload -> RouteTable, following Istio's
// pilot/pkg/networking/core/gateway.go and route/route.go. A pure function: the same snapshot
// always yields the same table.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "engine/model/result.h"
#include "engine/model/snapshot.h"
#include "engine/route/route_table.h"

namespace gwsim::route {

namespace detail {
struct CompileCacheState;
}

// What one compile of a gateway's table may keep for the next (FakeCluster keeps one per
// gateway it serves). The table is the same with or without it: only work whose inputs did
// not change is reused (docs/architecture.md, "Following changes"):
//   - each VirtualService's resolved form, keyed by its resourceVersion (objects without one,
//     read from files, are never reused);
//   - its translated routes, which also depend on the ports of the Services they name
//     (re-checked after a change to Services or ServiceEntries) and on the gateway workload
//     (a change to it forgets them all);
//   - each route configuration's assembly state, so a change re-does only the hosts and
//     virtual hosts of the VirtualServices it touched.
// Delegate VirtualServices turn reuse off (a root's routes depend on other objects). Entries
// of objects that are gone are dropped after each compile. Use one cache per gateway and per
// source of objects (resourceVersions identify versions within one store only). Not
// thread-safe: one compile at a time.
class CompileCache {
 public:
  // How the last compile used the cache (tests check that reuse happens).
  struct Stats {
    std::size_t resolved_reused = 0;   // VirtualServices not resolved again
    std::size_t resolved_built = 0;
    std::size_t routes_reused = 0;     // (VirtualService, gateway, server port) route lists
    std::size_t routes_built = 0;
  };

  CompileCache();
  ~CompileCache();
  CompileCache(const CompileCache&) = delete;
  CompileCache& operator=(const CompileCache&) = delete;

  Stats last_stats() const;
  detail::CompileCacheState& state() { return *state_; }

 private:
  std::unique_ptr<detail::CompileCacheState> state_;
};

// Compile the table for the gateway workload behind `gateway_service` ("ns/name"): the
// Service's ready pods give the workload's labels and namespace. Errors only when the
// Service or its pods do not exist.
Result<RouteTable> compile_gateway(const model::ConfigSnapshot& snapshot, const std::string& gateway_service,
                                   CompileCache* cache = nullptr);

// Compile for an explicit workload (tests and benchmarks).
RouteTable compile_for_proxy(const model::ConfigSnapshot& snapshot, GatewayProxy proxy, CompileCache* cache = nullptr);

}  // namespace gwsim::route
