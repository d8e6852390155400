// What changed between two compiled tables of one gateway, in the names Istio gives things:
// listeners, virtual hosts (per route configuration), clusters, the security policies in its
// filters and what applies to it unsimulated. `gwsim serve` prints it for
// every change made through its API server, so a user sees what a `kubectl apply` did to the
// gateway.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "engine/route/route_table.h"

namespace gwsim::route {

struct TableChange {
  std::vector<std::string> listeners_added, listeners_removed;
  // "<virtual host name>" (the route configuration's name is added when the gateway has several).
  std::vector<std::string> virtual_hosts_added, virtual_hosts_removed, virtual_hosts_changed;
  std::vector<std::string> clusters_added, clusters_removed;
  std::vector<std::string> endpoints_changed;  // "<cluster> <n> -> <m>": its endpoints differ
  // Security policy in the gateway's filters: "DENY ns/name" (an AuthorizationPolicy in the rbac
  // filter of that action), "RequestAuthentication ns/name" (in jwt_authn).
  std::vector<std::string> policies_added, policies_removed;
  // What gwsim reads but does not simulate that applies to the gateway: "EnvoyFilter ns/name".
  std::vector<std::string> unsimulated_added, unsimulated_removed;

  bool empty() const;
  // One line, e.g. "virtual hosts +a.example.com:80, ~www.service1.io:80; clusters -outbound|80||b...":
  // + added, ~ changed, - removed, at most `max_names` names each ("+3 more"); "route table
  // unchanged" when empty.
  std::string summary(std::size_t max_names = 3) const;
};

// `before` may be null (no table yet): everything in `after` is added. A virtual host is
// changed when its domains, TLS requirement or any route differs (routes the compiler shared
// between the tables are equal without being compared field by field).
TableChange diff_tables(const RouteTable* before, const RouteTable& after);

}  // namespace gwsim::route
