// GWS0001 (gwsim's own check; Istio's IST0130/IST0131 compare the match blocks of one
// VirtualService as written): in a virtual host of the compiled table, where Envoy takes the
// first route that matches, a route none of whose requests can reach it because an earlier
// route matches every one of them. Decided on the compiled match conditions as sets of
// requests: path prefix, exact, path-separated prefix and regex (an exact path against a regex by
// running it), case sensitivity, headers and query parameters (present, exact, prefix, regex,
// and inverted ones), JWT claims. A route is reported when one earlier route's set holds its
// set; two earlier routes that only together cover it are not looked for.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "engine/route/route_table.h"

namespace gwsim::analysis {

// Whether every request `later` matches is matched by `earlier`.
bool route_covers(const route::RouteMatch& earlier, const route::RouteMatch& later);

// For each route of the list, the index of the first earlier route that covers it (nullopt:
// reachable). Earlier routes with a plain path (case-sensitive prefix, exact, path-separated
// prefix) are found through hash maps keyed by path, so a list costs O(routes x path length)
// look-ups plus the covering checks of the candidates found, not O(routes^2).
std::vector<std::optional<std::size_t>> shadowing_routes(const std::vector<const route::Route*>& routes);

}  // namespace gwsim::analysis
