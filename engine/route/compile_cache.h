// CompileCache: what one compile of a gateway's table keeps for the next, and the rules for
// when kept work is still valid. Istio has no such cache (it rebuilds per push); this follows
// its inputs: see docs/architecture.md, "Following changes".
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

#include "engine/model/snapshot.h"
#include "engine/route/route_configuration_state.h"
#include "engine/route/route_table.h"
#include "engine/route/route_translation.h"

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

namespace detail {

struct CompileCacheState {
  template <typename T>
  struct Entry {
    std::string resource_version;
    T value;
    std::uint64_t seen = 0;  // the generation of the last compile that used it
  };
  std::unordered_map<std::string, Entry<std::shared_ptr<const model::VirtualService>>> resolved;  // "ns/name"
  struct TranslatedRoutes {
    std::shared_ptr<const RouteList> routes;
    PortLookups lookups;
  };
  std::unordered_map<std::string, Entry<TranslatedRoutes>> routes;  // "gateway|ns/name|port|tls"
  std::string environment;  // route_environment() of the compile that filled `routes`
  std::string services;     // services_stamp() of the last compile
  std::unordered_map<std::string, RouteConfigState> route_configs;  // by name
  std::uint64_t generation = 0;
  // Entries of `resolved` and `routes` this compile used: when every entry was, nothing is
  // forgotten and forget_unseen need not walk 10,000 of them.
  std::size_t resolved_seen = 0, routes_seen = 0;
  CompileCache::Stats stats;

  // A compile begins: a new generation, fresh stats.
  void start_compile();

  // Translated routes and route configuration states may be reused only while what they
  // depend on besides their own VirtualService is unchanged (the gateway workload, and every
  // object with a resourceVersion), and never when delegates merge several objects into one;
  // else they are forgotten. Returns whether the Services or ServiceEntries changed since the
  // last compile (kept routes are then checked against the port lookups they made).
  bool check_environment(const model::ConfigSnapshot& snapshot, const GatewayProxy& proxy, bool any_delegate);

  // Whether translated routes and route configuration states are kept (check_environment).
  bool keeps_routes() const { return !environment.empty(); }

  // Entries the compile that just ended did not use belong to objects that are gone; route
  // lists a kept route configuration still holds were not looked up because nothing changed.
  void forget_unseen();
};

}  // namespace detail

}  // namespace gwsim::route
