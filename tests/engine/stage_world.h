// A compiled gateway for the tests of engine/match's stages: www.service1.io on port 80 to
// the v1 pods of default/mesh (subsets v1 and v2).
#pragma once

#include "engine/http/request.h"
#include "engine/route/compile.h"
#include "tests/engine/test_world.h"

namespace gwsim::testing {

inline route::RouteTable stage_table(std::vector<HTTPRoute> routes = {route_to("mesh", "v1", 8081, "default")}) {
  WorldBuilder w;
  w.add_service("default", "mesh", {{"appId", "1"}}, {WorldBuilder::port("app", 8081)},
                {{"v1-a", {{"appId", "1"}, {"version", "v1"}}}, {"v2-a", {{"appId", "1"}, {"version", "v2"}}}});
  w.add_gateway("default", "gw", {"www.service1.io"});
  w.add_vs("default", "vs", {"www.service1.io"}, {"gw"}, std::move(routes));
  w.add_dr("default", "dr", "mesh", {Subset{"v1", {{"version", "v1"}}, {}}, Subset{"v2", {{"version", "v2"}}, {}}});
  return route::compile_gateway(w.snap, "istio-system/istio-ingressgateway").value();
}

inline http::Request stage_request(std::string host = "www.service1.io", std::string path = "/") {
  http::Request r;
  r.host = std::move(host);
  r.path = std::move(path);
  return r;
}

}  // namespace gwsim::testing
