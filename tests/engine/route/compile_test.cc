#include "engine/route/compile.h"

#include <gtest/gtest.h>

#include "tests/engine/test_world.h"

namespace gwsim::route {
namespace {

using namespace gwsim::testing;

// The seed example: Gateway default/istio-ingress-gateway on port 80 for www.service1.io, a
// VirtualService to k8s-combat-service-istio-mesh:8081 subset v1, a DestinationRule v1/v2.
WorldBuilder seed_world() {
  WorldBuilder w;
  w.add_service("default", "k8s-combat-service-istio-mesh", {{"appId", "12345"}},
                {WorldBuilder::port("app", 8081), WorldBuilder::port("grpc", 50051)},
                {{"v1-pod", {{"app", "k8s-combat-service-v1"}, {"appId", "12345"}}},
                 {"v2-pod", {{"app", "k8s-combat-service-v2"}, {"appId", "12345"}}}});
  w.add_gateway("default", "istio-ingress-gateway", {"www.service1.io"});
  w.add_vs("default", "k8s-combat-istio-http-vs", {"www.service1.io"}, {"istio-ingress-gateway"},
           {route_to("k8s-combat-service-istio-mesh", "v1", 8081, "default")});
  w.add_dr("default", "k8s-combat-service-ds", "k8s-combat-service-istio-mesh",
           {Subset{"v1", {{"app", "k8s-combat-service-v1"}}, {}}, Subset{"v2", {{"app", "k8s-combat-service-v2"}}, {}}});
  return w;
}

TEST(CompileTest, SeedExampleNamesEverythingAsIstio) {
  auto w = seed_world();
  auto table = compile_gateway(w.snap, "istio-system/istio-ingressgateway");
  ASSERT_TRUE(table.ok()) << table.error().to_string();
  ASSERT_EQ(table->listeners.size(), 1u);
  EXPECT_EQ(table->listeners[0].name, "0.0.0.0_8080");  // server port 80 -> targetPort 8080
  ASSERT_EQ(table->listeners[0].filter_chains.size(), 1u);
  EXPECT_EQ(table->listeners[0].filter_chains[0].route_config, "http.8080");
  const auto& rc = table->route_configs.at("http.8080");
  ASSERT_EQ(rc.virtual_hosts.size(), 1u);
  EXPECT_EQ(rc.virtual_hosts[0].name, "www.service1.io:80");  // the server port, not the listener port
  ASSERT_EQ(rc.virtual_hosts[0].routes.size(), 1u);
  const auto& r = rc.virtual_hosts[0].routes[0];
  EXPECT_EQ(r.name, "default");
  EXPECT_EQ(r.virtual_service, "default/k8s-combat-istio-http-vs");
  EXPECT_EQ(r.gateway, "default/istio-ingress-gateway");
  ASSERT_EQ(r.route.clusters.size(), 1u);
  EXPECT_EQ(r.route.clusters[0].cluster, "outbound|8081|v1|k8s-combat-service-istio-mesh.default.svc.cluster.local");

  const auto* v1 = table->find_cluster("outbound|8081|v1|k8s-combat-service-istio-mesh.default.svc.cluster.local");
  ASSERT_NE(v1, nullptr);
  ASSERT_EQ(v1->endpoints.size(), 1u);
  EXPECT_EQ(v1->endpoints[0].pod_name, "v1-pod");
  const auto* all = table->find_cluster("outbound|8081||k8s-combat-service-istio-mesh.default.svc.cluster.local");
  ASSERT_NE(all, nullptr);
  EXPECT_EQ(all->endpoints.size(), 2u);
  EXPECT_NE(table->find_cluster("outbound|50051|v2|k8s-combat-service-istio-mesh.default.svc.cluster.local"), nullptr);
}

TEST(CompileTest, MissingGatewayServiceIsAnError) {
  auto w = seed_world();
  auto table = compile_gateway(w.snap, "istio-system/nope");
  ASSERT_FALSE(table.ok());
  EXPECT_NE(table.error().message.find("not found"), std::string::npos);
}

TEST(CompileTest, NothingBoundGivesBlackholeVirtualHost) {
  WorldBuilder w;
  w.add_gateway("default", "gw", {"a.example.com"});
  auto table = compile_gateway(w.snap, "istio-system/istio-ingressgateway");
  ASSERT_TRUE(table.ok());
  const auto& rc = table->route_configs.at("http.8080");
  ASSERT_EQ(rc.virtual_hosts.size(), 1u);
  EXPECT_EQ(rc.virtual_hosts[0].name, "blackhole:80");
  EXPECT_TRUE(rc.virtual_hosts[0].routes.empty());
}

TEST(CompileTest, EmptyGatewaysMeansMeshOnly) {
  WorldBuilder w;
  w.add_gateway("default", "gw", {"*"});
  w.add_vs("default", "vs", {"a.example.com"}, {}, {route_to("svc")});
  auto table = compile_gateway(w.snap, "istio-system/istio-ingressgateway");
  EXPECT_EQ(table->route_configs.at("http.8080").virtual_hosts[0].name, "blackhole:80");
}

TEST(CompileTest, VirtualHostIsTheMoreSpecificHostLowercased) {
  WorldBuilder w;
  w.add_gateway("default", "gw", {"*.Example.com"});
  w.add_vs("default", "vs", {"API.Example.com"}, {"gw"}, {route_to("svc")});
  auto table = compile_gateway(w.snap, "istio-system/istio-ingressgateway");
  EXPECT_EQ(table->route_configs.at("http.8080").virtual_hosts[0].name, "api.example.com:80");
}

TEST(CompileTest, RoutesAfterTheFirstCatchAllAreDroppedAndCatchAllsMoveLast) {
  WorldBuilder w;
  w.add_gateway("default", "gw", {"a.com"});
  auto catch_all = route_to("old-root", "", 0, "old-root");
  auto after = route_to("never");
  after.match = {uri(StringMatch::Kind::kPrefix, "/never")};
  w.add_vs("default", "older", {"a.com"}, {"gw"}, {catch_all, after}, 100);
  auto api = route_to("api", "", 0, "api");
  api.match = {uri(StringMatch::Kind::kPrefix, "/api")};
  w.add_vs("default", "newer", {"a.com"}, {"gw"}, {api}, 200);
  auto table = compile_gateway(w.snap, "istio-system/istio-ingressgateway");
  const auto& routes = table->route_configs.at("http.8080").virtual_hosts.at(0).routes;
  ASSERT_EQ(routes.size(), 2u);
  EXPECT_EQ(routes[0].name, "api");       // the newer VirtualService's /api first
  EXPECT_EQ(routes[1].name, "old-root");  // the catch-all moved to the end
}

TEST(CompileTest, VirtualServicesOrderByCreationThenNameThenNamespace) {
  WorldBuilder w;
  w.add_gateway("default", "gw", {"*/a.com"});
  for (auto [ns, name, t] : {std::tuple{"ns-b", "b", 5}, std::tuple{"ns-a", "b", 5}, std::tuple{"ns-z", "a", 5},
                             std::tuple{"ns-y", "z", 1}}) {
    auto r = route_to("svc", "", 0, std::string(ns) + "." + name);
    r.match = {uri(StringMatch::Kind::kPrefix, "/x")};
    w.add_vs(ns, name, {"a.com"}, {"default/gw"}, {r}, t);
  }
  auto table = compile_gateway(w.snap, "istio-system/istio-ingressgateway");
  const auto& routes = table->route_configs.at("http.8080").virtual_hosts.at(0).routes;
  std::vector<std::string> names;
  for (const auto& r : routes) names.push_back(r.name);
  EXPECT_EQ(names, (std::vector<std::string>{"ns-y.z", "ns-z.a", "ns-a.b", "ns-b.b"}));
}

TEST(CompileTest, OneRoutePerMatchAndMatchNamesAppend) {
  WorldBuilder w;
  w.add_gateway("default", "gw", {"a.com"});
  auto r = route_to("svc", "", 0, "r");
  auto m1 = uri(StringMatch::Kind::kExact, "/one");
  m1.name = "first";
  r.match = {m1, uri(StringMatch::Kind::kPrefix, "/two")};
  w.add_vs("default", "vs", {"a.com"}, {"gw"}, {r});
  auto table = compile_gateway(w.snap, "istio-system/istio-ingressgateway");
  const auto& routes = table->route_configs.at("http.8080").virtual_hosts.at(0).routes;
  ASSERT_EQ(routes.size(), 2u);
  EXPECT_EQ(routes[0].name, "r.first");
  EXPECT_EQ(routes[0].match_index, 0);
  EXPECT_EQ(routes[1].name, "r");
  EXPECT_EQ(routes[1].match_index, 1);
}

TEST(CompileTest, DestinationPortFallsBackToTheOnlyServicePortThenTheServerPort) {
  WorldBuilder w;
  w.add_service("default", "one", {{"app", "one"}}, {WorldBuilder::port("http", 9000)}, {});
  w.add_service("default", "two", {{"app", "two"}}, {WorldBuilder::port("a", 9000), WorldBuilder::port("b", 9001)}, {});
  w.add_gateway("default", "gw", {"a.com", "b.com"});
  w.add_vs("default", "vs-a", {"a.com"}, {"gw"}, {route_to("one")});
  w.add_vs("default", "vs-b", {"b.com"}, {"gw"}, {route_to("two")});
  auto table = compile_gateway(w.snap, "istio-system/istio-ingressgateway");
  const auto& vhs = table->route_configs.at("http.8080").virtual_hosts;
  ASSERT_EQ(vhs.size(), 2u);
  EXPECT_EQ(vhs[0].routes[0].route.clusters[0].cluster, "outbound|9000||one.default.svc.cluster.local");
  EXPECT_EQ(vhs[1].routes[0].route.clusters[0].cluster, "outbound|80||two.default.svc.cluster.local");
}

TEST(CompileTest, IdenticalRouteListsCollapseIntoOneVirtualHost) {
  WorldBuilder w;
  w.add_gateway("default", "gw", {"*"});
  w.add_vs("default", "vs", {"b.com", "aa.com"}, {"gw"}, {route_to("svc")});
  auto table = compile_gateway(w.snap, "istio-system/istio-ingressgateway");
  const auto& vhs = table->route_configs.at("http.8080").virtual_hosts;
  ASSERT_EQ(vhs.size(), 1u);
  EXPECT_EQ(vhs[0].name, "aa.com:80");  // longest first (host.MoreSpecific) is the primary
  EXPECT_EQ(vhs[0].domains, (std::vector<std::string>{"aa.com", "b.com"}));
}

TEST(CompileTest, ServerHostNamespacePrefixFiltersVirtualServices) {
  WorldBuilder w;
  w.add_gateway("default", "gw", {"team-a/a.com", "./b.com"});
  w.add_vs("team-a", "a", {"a.com", "b.com"}, {"default/gw"}, {route_to("svc")});
  auto table = compile_gateway(w.snap, "istio-system/istio-ingressgateway");
  const auto& vhs = table->route_configs.at("http.8080").virtual_hosts;
  ASSERT_EQ(vhs.size(), 1u);
  EXPECT_EQ(vhs[0].name, "a.com:80");  // b.com is only for VirtualServices in "default"
}

TEST(CompileTest, ExportToDotHidesAVirtualServiceFromTheGatewayNamespace) {
  WorldBuilder w;
  w.add_gateway("default", "gw", {"a.com"});
  auto& vs = w.add_vs("default", "vs", {"a.com"}, {"gw"}, {route_to("svc")});
  vs.export_to = {"."};
  auto table = compile_gateway(w.snap, "istio-system/istio-ingressgateway");
  EXPECT_EQ(table->route_configs.at("http.8080").virtual_hosts[0].name, "blackhole:80");
  w.snap.virtual_services.back().export_to = {".", "istio-system"};
  table = compile_gateway(w.snap, "istio-system/istio-ingressgateway");
  EXPECT_EQ(table->route_configs.at("http.8080").virtual_hosts[0].name, "a.com:80");
}

TEST(CompileTest, ZeroWeightDestinationsAreDropped) {
  WorldBuilder w;
  w.add_gateway("default", "gw", {"a.com"});
  HTTPRoute r;
  HTTPRouteDestination a, b;
  a.destination.host = "a";
  a.weight = 0;
  b.destination.host = "b";
  b.weight = 3;
  r.route = {a, b};
  w.add_vs("default", "vs", {"a.com"}, {"gw"}, {r});
  auto table = compile_gateway(w.snap, "istio-system/istio-ingressgateway");
  const auto& action = table->route_configs.at("http.8080").virtual_hosts[0].routes[0].route;
  ASSERT_EQ(action.clusters.size(), 1u);
  EXPECT_EQ(action.clusters[0].cluster, "outbound|80||b.default.svc.cluster.local");
}

}  // namespace
}  // namespace gwsim::route
