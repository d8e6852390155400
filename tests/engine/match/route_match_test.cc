#include "engine/match/route_match.h"

#include <gtest/gtest.h>

#include "engine/match/filter_chain.h"
#include "engine/match/listener.h"
#include "engine/match/virtual_host.h"
#include "tests/engine/stage_world.h"

namespace gwsim::match {
namespace {

using namespace gwsim::testing;

RoutingResult through_virtual_host(const route::RouteTable& table, const http::Request& r) {
  RoutingResult out;
  EXPECT_TRUE(match_listener(table, r, out) && match_filter_chain(r, out) && match_virtual_host(table, r, out));
  return out;
}

std::vector<HTTPRoute> two_routes() {
  HTTPRoute api = route_to("mesh", "v2", 8081, "api");
  api.match = {uri(StringMatch::Kind::kPrefix, "/api")};
  HTTPRoute rest = route_to("mesh", "v1", 8081, "rest");
  rest.match = {uri(StringMatch::Kind::kExact, "/home")};
  return {api, rest};
}

TEST(RouteStage, TheFirstMatchingRouteWins) {
  auto table = stage_table(two_routes());
  auto r = stage_request("www.service1.io", "/api/v1?x=1");
  auto out = through_virtual_host(table, r);
  ASSERT_TRUE(match_route(r, out));
  EXPECT_EQ(out.route->name, "api");
  EXPECT_EQ(out.trace.route_index, 0);
  EXPECT_EQ(out.trace.virtual_service, "default/vs");
  EXPECT_EQ(out.trace.gateway, "default/gw");

  auto home = stage_request("www.service1.io", "/home?q");  // exact ignores the query
  auto out2 = through_virtual_host(table, home);
  ASSERT_TRUE(match_route(home, out2));
  EXPECT_EQ(out2.trace.route_index, 1);
}

TEST(RouteStage, NoMatchingRouteIs404WithoutFallThrough) {
  auto table = stage_table(two_routes());
  auto r = stage_request("www.service1.io", "/other");
  auto out = through_virtual_host(table, r);
  EXPECT_FALSE(match_route(r, out));
  EXPECT_EQ(out.trace.outcome, Outcome::kNoRoute);
  EXPECT_EQ(out.trace.status, 404);
  EXPECT_EQ(out.route, nullptr);
}

TEST(RouteStage, ARedirectRouteEndsTheLookupWithItsCode) {
  HTTPRoute redirect;
  redirect.redirect = HTTPRedirect{};
  redirect.redirect->uri = "/moved";
  redirect.redirect->redirect_code = 302;
  auto table = stage_table({redirect});
  auto r = stage_request();
  auto out = through_virtual_host(table, r);
  EXPECT_FALSE(match_route(r, out));
  EXPECT_EQ(out.trace.outcome, Outcome::kRedirect);
  EXPECT_EQ(out.trace.status, 302);
  EXPECT_NE(out.route, nullptr);
}

}  // namespace
}  // namespace gwsim::match
