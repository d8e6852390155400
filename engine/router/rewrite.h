// What a route does to a request's URI: the redirect's Location and the path rewrite before
// the upstream. Paraphrases Envoy's source/common/router/config_impl.cc
// RouteEntryImplBase::newUri (redirects) and finalizePathHeader (prefix and regex rewrites).
#pragma once

#include <string>

#include "engine/http/request.h"
#include "engine/route/route_table.h"

namespace gwsim::router {

// The Location of a route redirect.
std::string redirect_location(const route::RedirectAction& action, const http::Request& request,
                              const route::Route& route);

// The :path the upstream gets ("original" when the route rewrites nothing).
std::string rewrite_path(const route::RouteAction& action, const route::Route& route, const std::string& original);

}  // namespace gwsim::router
