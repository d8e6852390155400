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

// A route of a VirtualService Istio generated from a Gateway API route (route-semantics
// gateway), matching uri prefix `prefix`.
route::RouteTable gateway_api_table(const std::string& prefix) {
  WorldBuilder w;
  w.add_service("default", "mesh", {{"appId", "1"}}, {WorldBuilder::port("app", 8081)}, {{"v1-a", {{"appId", "1"}}}});
  w.add_gateway("default", "gw", {"www.service1.io"});
  HTTPRoute r = route_to("mesh.default.svc.cluster.local", "", 8081, "default.http.0");
  r.match = {uri(StringMatch::Kind::kPrefix, prefix)};
  auto& vs = w.add_vs("default", "generated", {"www.service1.io"}, {"default/gw"}, {r});
  vs.meta.annotations = {{"internal.istio.io/route-semantics", "gateway"},
                         {"internal.istio.io/parents", "HTTPRoute/http.default"}};
  return route::compile_gateway(w.snap, "istio-system/istio-ingressgateway").value();
}

bool routes(const route::RouteTable& table, const std::string& path) {
  auto r = stage_request("www.service1.io", path);
  auto out = through_virtual_host(table, r);
  return match_route(r, out);
}

// Envoy's path_separated_prefix, which Istio emits for Gateway API prefixes (route.go
// TranslateRouteMatch): whole path segments only, query and fragment ignored.
TEST(RouteStage, GatewayApiPrefixMatchesWholePathSegments) {
  auto table = gateway_api_table("/foo");
  EXPECT_TRUE(routes(table, "/foo"));
  EXPECT_TRUE(routes(table, "/foo/"));
  EXPECT_TRUE(routes(table, "/foo/bar"));
  EXPECT_TRUE(routes(table, "/foo?x=1"));
  EXPECT_TRUE(routes(table, "/foo#frag"));
  EXPECT_FALSE(routes(table, "/foobar"));
  EXPECT_FALSE(routes(table, "/fo"));
  EXPECT_FALSE(routes(table, "/bar/foo"));
}

TEST(RouteStage, GatewayApiPrefixWithATrailingSlashMatchesTheBareSegment) {
  auto table = gateway_api_table("/foo/");
  EXPECT_TRUE(routes(table, "/foo"));
  EXPECT_TRUE(routes(table, "/foo/bar"));
  EXPECT_FALSE(routes(table, "/foobar"));
}

TEST(RouteStage, TheTraceNamesTheObjectsAGeneratedVirtualServiceCameFrom) {
  auto table = gateway_api_table("/foo");
  auto r = stage_request("www.service1.io", "/foo");
  auto out = through_virtual_host(table, r);
  ASSERT_TRUE(match_route(r, out));
  EXPECT_EQ(out.trace.virtual_service, "default/generated");
  EXPECT_EQ(out.trace.virtual_service_parents, "HTTPRoute/http.default");
  EXPECT_EQ(out.trace.to_json()["route"]["parents"], "HTTPRoute/http.default");
  EXPECT_NE(out.trace.to_text().find("generated from HTTPRoute/http.default"), std::string::npos);
}

// Istio's MetadataListMatcher with extended JWT matching: a string claim, or any string of a list
// claim, must match; absent claims fail (and pass an inverted matcher).
TEST(RouteStage, ClaimMatchersReadTheVerifiedClaims) {
  route::Route r;
  route::StringMatcher exact;
  exact.kind = route::StringMatcher::Kind::kExact;
  exact.value = "g1";
  r.match.claims.push_back(route::ClaimMatcher{{"groups"}, exact, false});
  http::Request req;
  EXPECT_FALSE(route_matches(r, req));
  EXPECT_TRUE(route_matches(r, req, nlohmann::json{{"groups", nlohmann::json::array({"g0", "g1"})}}));
  EXPECT_TRUE(route_matches(r, req, nlohmann::json{{"groups", "g1"}}));
  EXPECT_FALSE(route_matches(r, req, nlohmann::json{{"groups", {{"g1", 1}}}}));
  EXPECT_FALSE(route_matches(r, req, nlohmann::json{{"groups", 1}}));
  route::Route nested;
  nested.match.claims.push_back(route::ClaimMatcher{{"a", "b"}, exact, true});
  EXPECT_TRUE(route_matches(nested, req));
  EXPECT_TRUE(route_matches(nested, req, nlohmann::json{{"a", {{"b", "other"}}}}));
  EXPECT_FALSE(route_matches(nested, req, nlohmann::json{{"a", {{"b", "g1"}}}}));
}

}  // namespace
}  // namespace gwsim::match
