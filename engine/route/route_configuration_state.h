// The state buildGatewayHTTPRouteConfig (route_configuration.h) assembles a route configuration
// from, kept as data so that a CompileCache can hold it between compiles and a change re-does
// only the hostnames and virtual hosts of the VirtualServices it touched: each VirtualService's
// contributions (hostnames and routes per server), each hostname's virtual host in the making,
// and the groups Istio's collapseDuplicateRoutes (core/gateway.go) merges. A compile without a
// cache fills the same state from empty.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/model/istio.h"
#include "engine/route/route_table.h"
#include "engine/route/route_translation.h"

namespace gwsim::route {

namespace detail {

// One VirtualService's part in one hostname of the route configuration.
struct HostContribution {
  int server = 0;  // position among the route configuration's servers
  int rank = 0;    // VirtualServicesForGateway's group (virtual_services.h visibility_rank)
  const model::VirtualService* vs = nullptr;
  std::shared_ptr<const RouteList> routes;
};

struct VirtualHostGroup;

struct HostState {
  std::vector<HostContribution> contributions;  // Istio's order: server, rank, age
  int https_server = -1;  // the first httpsRedirect server naming this host (-1: none)
  VirtualHostGroup* group = nullptr;
  bool dirty = false;
};

// Virtual hosts with the very same route list (by route identity) and TLS requirement.
struct RouteListKey {
  bool require_tls = false;
  std::vector<const Route*> routes;
  bool operator==(const RouteListKey& o) const { return require_tls == o.require_tls && routes == o.routes; }
  struct Hash {
    std::size_t operator()(const RouteListKey& k) const {
      std::size_t h = k.require_tls ? 0x9e3779b97f4a7c15ull : 0;
      for (const Route* r : k.routes) h = (h ^ std::hash<const Route*>{}(r)) * 0x100000001b3ull;
      return h;
    }
  };
};

// The hostnames collapseDuplicateRoutes puts into one virtual host.
struct VirtualHostGroup {
  const RouteListKey* key = nullptr;
  std::vector<std::string> members;  // hostnames, most specific first: the first names the vhost
  std::string emitted;                // name of the virtual host emitted for it ("" when none)
  bool dirty = false;
};

// The state a route configuration is assembled from: each VirtualService's contributions
// (hostnames and routes per server), each hostname's virtual host in the making, and the
// groups collapseDuplicateRoutes merges.
struct RouteConfigState {
  std::string shape;         // the servers it was built for, without their hosts
  std::string server_hosts;  // and their hosts
  struct Contributor {
    std::shared_ptr<const model::VirtualService> keep;  // keeps the address (the map key) unique
    std::vector<std::pair<std::string, HostContribution>> parts;  // (hostname, contribution)
    PortLookups lookups;  // what its routes read of the Services
    std::uint64_t seen = 0;
  };
  std::unordered_map<const model::VirtualService*, Contributor> contributors;
  std::unordered_map<std::string, HostState> hosts;  // lower-cased hostname
  std::unordered_map<RouteListKey, VirtualHostGroup, RouteListKey::Hash> groups;
  std::map<std::string, std::shared_ptr<const VirtualHost>> emitted;  // by name, as Istio sorts them
  VirtualHostTable lookup;      // for `emitted`, reused while no name or domain changes
  bool layout_changed = true;   // a virtual host came, went, or changed name or domains
  std::vector<std::string> dirty_hosts;
  std::uint64_t seen = 0;
};

}  // namespace detail

}  // namespace gwsim::route
