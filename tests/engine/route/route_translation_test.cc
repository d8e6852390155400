// The route translation step on its own: what it reads of the Services is returned to the
// caller (PortLookups), and header operations translate as Istio's TranslateHeadersOperations.
#include "engine/route/route_translation.h"

#include <gtest/gtest.h>

#include "tests/engine/test_world.h"

namespace gwsim::route {
namespace {

using namespace gwsim::testing;

GatewayProxy gateway_proxy() {
  GatewayProxy p;
  p.namespace_ = "istio-system";
  p.labels = {{"istio", "ingressgateway"}};
  return p;
}

TEST(RouteTranslationTest, DestinationWithoutPortTakesTheOnlyServicePortAndReportsTheLookup) {
  WorldBuilder w;
  w.add_service("default", "one", {{"app", "one"}}, {WorldBuilder::port("http", 9080)}, {});
  w.add_service("default", "two", {{"app", "two"}}, {WorldBuilder::port("a", 1), WorldBuilder::port("b", 2)}, {});
  const ServiceIndex services = index_services(w.snap);
  const GatewayProxy proxy = gateway_proxy();
  const RouteTranslationScope scope{services, proxy};

  PortLookups lookups;
  auto one = destination_cluster(scope, Destination{"one.default.svc.cluster.local", "v1", std::nullopt}, "default", 80,
                                 lookups);
  EXPECT_EQ(one.cluster, "outbound|9080|v1|one.default.svc.cluster.local");
  auto two = destination_cluster(scope, Destination{"two.default.svc.cluster.local", "", std::nullopt}, "default", 80,
                                 lookups);
  EXPECT_EQ(two.cluster, "outbound|80||two.default.svc.cluster.local");  // several ports: the listener's
  auto explicit_port = destination_cluster(scope, Destination{"two.default.svc.cluster.local", "", PortSelector{2}},
                                           "default", 80, lookups);
  EXPECT_EQ(explicit_port.port, 2u);

  ASSERT_EQ(lookups.size(), 2u);  // an explicit port reads no Service
  EXPECT_EQ(lookups[0].host, "one.default.svc.cluster.local");
  EXPECT_EQ(lookups[0].port, 9080u);
  EXPECT_EQ(lookups[1].port, 0u);
  EXPECT_TRUE(port_lookups_hold(scope, lookups));

  // The Service gains a second port: the first lookup no longer holds.
  w.snap.services[1].ports.push_back(WorldBuilder::port("grpc", 50051));
  const ServiceIndex changed = index_services(w.snap);
  EXPECT_FALSE(port_lookups_hold(RouteTranslationScope{changed, proxy}, lookups));
}

TEST(RouteTranslationTest, BuildHttpRoutesReturnsItsLookupsThroughTheOutParameter) {
  WorldBuilder w;
  w.add_service("default", "svc", {{"app", "svc"}}, {WorldBuilder::port("http", 8000)}, {});
  auto& vs = w.add_vs("default", "vs", {"a.example.com"}, {"default/gw"},
                      {route_to("svc.default.svc.cluster.local"), route_to("never-reached")});
  const ServiceIndex services = index_services(w.snap);
  const GatewayProxy proxy = gateway_proxy();
  PortLookups lookups;
  auto routes = build_http_routes_for_virtual_service(RouteTranslationScope{services, proxy}, vs, 80, false, "default/gw",
                                                      lookups);
  ASSERT_EQ(routes.size(), 1u);  // the first http route is a catch-all: nothing after it
  EXPECT_EQ(routes[0]->route.clusters.at(0).cluster, "outbound|8000||svc.default.svc.cluster.local");
  EXPECT_EQ(routes[0]->route.retry, RetryPolicy{});  // the mesh default
  ASSERT_EQ(lookups.size(), 1u);
  EXPECT_EQ(lookups[0].namespace_, "default");
}

TEST(RouteTranslationTest, HeaderOperationsDropInternalHeadersAndReportTheAuthority) {
  HeaderOperations ops;
  ops.set = {{"X-Set", "1"}, {":authority", "set.example.com"}};
  ops.add = {{"Host", "add.example.com"}, {"X-Add", "2"}};
  ops.remove = {"X-Gone", ":path"};
  std::string authority;
  HeaderOps out = translate_headers_operations(ops, &authority);
  EXPECT_EQ(out.set, (std::vector<std::pair<std::string, std::string>>{{"x-set", "1"}}));
  EXPECT_EQ(out.add, (std::vector<std::pair<std::string, std::string>>{{"x-add", "2"}}));
  EXPECT_EQ(out.remove, (std::vector<std::string>{"x-gone"}));
  EXPECT_EQ(authority, "set.example.com");  // set wins over add
}

TEST(RouteTranslationTest, MatchHeadersAreSortedAndPseudoHeadersAppended) {
  HTTPMatchRequest m;
  m.headers = {{"X-B", StringMatch{StringMatch::Kind::kExact, "b"}}};
  m.without_headers = {{"X-A", StringMatch{StringMatch::Kind::kPrefix, "a"}}};
  m.method = StringMatch{StringMatch::Kind::kExact, "GET"};
  m.uri = StringMatch{StringMatch::Kind::kRegex, "/v[0-9]+"};
  m.ignore_uri_case = true;
  RouteMatch out = translate_route_match(&m);
  ASSERT_EQ(out.headers.size(), 3u);
  EXPECT_EQ(out.headers[0].name, "x-a");  // withoutHeaders sort in among headers
  EXPECT_TRUE(out.headers[0].invert);
  EXPECT_EQ(out.headers[1].name, "x-b");
  EXPECT_EQ(out.headers[2].name, ":method");
  EXPECT_EQ(out.path.kind, PathMatcher::Kind::kRegex);
  EXPECT_FALSE(out.path.case_sensitive);
  EXPECT_TRUE(translate_route_match(nullptr).is_catch_all());
}

// route.go translateMetadataMatch with pkg/jwt/routing.go ToRoutingClaim: @request.auth.claims headers
// become claim (metadata) matchers, dotted or bracketed, the prefix in any case.
TEST(RouteTranslationTest, JwtClaimHeadersBecomeClaimMatchers) {
  HTTPMatchRequest m;
  m.headers = {{"@request.auth.claims.groups", StringMatch{StringMatch::Kind::kExact, "g1"}},
               {"@Request.Auth.Claims[nested][key1]", StringMatch{StringMatch::Kind::kPrefix, "v"}},
               {"@request.auth.claims", StringMatch{StringMatch::Kind::kExact, "x"}},
               {"x-plain", StringMatch{StringMatch::Kind::kExact, "p"}}};
  m.without_headers = {{"@request.auth.claims.a.b", StringMatch{StringMatch::Kind::kExact, "c"}}};
  RouteMatch out = translate_route_match(&m);
  ASSERT_EQ(out.claims.size(), 3u);
  EXPECT_EQ(out.claims[0].path, (std::vector<std::string>{"nested", "key1"}));
  EXPECT_EQ(out.claims[1].path, (std::vector<std::string>{"groups"}));
  EXPECT_EQ(out.claims[2].path, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(out.claims[2].invert);
  // Without a claim name it stays a (never present) header, as ToRoutingClaim does not match it.
  ASSERT_EQ(out.headers.size(), 2u);
  EXPECT_EQ(out.headers[0].name, "@request.auth.claims");
  EXPECT_EQ(out.headers[1].name, "x-plain");
  HTTPMatchRequest only_claim;
  only_claim.headers = {{"@request.auth.claims.sub", StringMatch{StringMatch::Kind::kExact, "a"}}};
  EXPECT_FALSE(translate_route_match(&only_claim).is_catch_all());
}

}  // namespace
}  // namespace gwsim::route
