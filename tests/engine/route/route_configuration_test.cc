// The route configuration step through compile_for_proxy (it needs the earlier steps'
// context): virtual hosts per hostname, collapsed duplicates, catch-alls last, blackhole.
#include "engine/route/route_configuration.h"

#include <gtest/gtest.h>

#include "engine/route/compile.h"
#include "engine/route/gateway_workload.h"
#include "tests/engine/test_world.h"

namespace gwsim::route {
namespace {

using namespace gwsim::testing;

TEST(RouteConfigurationTest, MoreSpecificHostOrder) {
  EXPECT_TRUE(more_specific_host("long.example.com", "a.example.com"));   // longer first
  EXPECT_TRUE(more_specific_host("a.example.com", "b.example.com"));      // then alphabetical
  EXPECT_TRUE(more_specific_host("a.io", "*.very.long.example.com"));     // wildcards last
  EXPECT_FALSE(more_specific_host("*.example.com", "x.io"));
}

RouteTable compile(const WorldBuilder& w) {
  auto proxy = gateway_workload(w.snap, "istio-system/istio-ingressgateway");
  EXPECT_TRUE(proxy.ok());
  return compile_for_proxy(w.snap, proxy.value());
}

TEST(RouteConfigurationTest, HostsWithTheSameRoutesShareOneVirtualHostNamedByTheMostSpecific) {
  WorldBuilder w;
  w.add_gateway("default", "gw", {"*"});
  w.add_vs("default", "vs", {"a.example.com", "long-name.example.com"}, {"gw"}, {route_to("svc")});
  RouteTable table = compile(w);
  const auto& rc = table.route_configs.at("http.8080");
  ASSERT_EQ(rc.virtual_hosts.size(), 1u);
  EXPECT_EQ(rc.virtual_hosts[0].name, "long-name.example.com:80");
  EXPECT_EQ(rc.virtual_hosts[0].domains, (std::vector<std::string>{"long-name.example.com", "a.example.com"}));
  EXPECT_EQ(rc.lookup.find("A.example.com:80"), 0);
}

TEST(RouteConfigurationTest, CatchAllRoutesOfEarlierVirtualServicesMoveLast) {
  WorldBuilder w;
  w.add_gateway("default", "gw", {"*"});
  w.add_vs("default", "first", {"a.example.com"}, {"gw"}, {route_to("catch-all")}, 1);
  HTTPRoute prefixed = route_to("specific");
  prefixed.match = {uri(StringMatch::Kind::kPrefix, "/api")};
  w.add_vs("default", "second", {"a.example.com"}, {"gw"}, {prefixed}, 2);
  RouteTable table = compile(w);
  const auto& routes = table.route_configs.at("http.8080").virtual_hosts.at(0).routes;
  ASSERT_EQ(routes.size(), 2u);
  EXPECT_EQ(routes[0].virtual_service, "default/second");
  EXPECT_EQ(routes[1].virtual_service, "default/first");
}

TEST(RouteConfigurationTest, NoBoundVirtualServiceGivesTheBlackholeAndAWarning) {
  WorldBuilder w;
  w.add_gateway("default", "gw", {"a.example.com"});
  RouteTable table = compile(w);
  EXPECT_EQ(table.route_configs.at("http.8080").virtual_hosts.at(0).name, "blackhole:80");
  ASSERT_FALSE(table.warnings.empty());
  EXPECT_NE(table.warnings.back().find("route config http.8080 has no virtual hosts"), std::string::npos);
}

}  // namespace
}  // namespace gwsim::route
