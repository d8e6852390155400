// How gwsim's own checks (GWS codes) name what they find in a compiled route table: a route by
// its place and the VirtualService http route it came from, reported on that VirtualService at
// the line of that http route.
#pragma once

#include <string>
#include <vector>

#include "engine/analysis/context.h"
#include "engine/route/route_table.h"

namespace gwsim::analysis {

// "#2 \"v1\" (VirtualService default/shop http[1])"; the name only when the route has one.
std::string describe_route(const route::Route& route, size_t index);

// Reports on the route's VirtualService, if the files hold it (generated config is not reported).
void report_on_route(const Context& context, Report& report, const MessageType& type, const route::Route& route,
                     const std::vector<std::string>& args);

}  // namespace gwsim::analysis
