// A request, a matched route and the FilterState around them, for the tests of the HTTP
// filters (engine/router).
#pragma once

#include <optional>

#include "engine/router/http_filter.h"

namespace gwsim::testing {

struct FilterWorld {
  route::RouteTable table;
  route::Route route;
  http::Request request;
  match::RoutingResult routing;
  lb::Random rng{1};
  http::Response response;
  std::optional<router::FilterState> state;

  router::FilterState& start() {
    routing.route = &route;
    state.emplace(router::FilterState{table, request, routing, rng, response});
    return *state;
  }
};

inline route::CorsConfig cors_for(std::string origin) {
  route::CorsConfig c;
  route::StringMatcher m;
  m.kind = route::StringMatcher::Kind::kExact;
  m.value = std::move(origin);
  c.origins = {m};
  c.policy.allow_methods = {"POST", "GET"};
  c.policy.allow_headers = {"X-Foo"};
  c.policy.expose_headers = {"X-Bar", "X-Baz"};
  c.policy.max_age = 86400000;
  return c;
}

}  // namespace gwsim::testing
