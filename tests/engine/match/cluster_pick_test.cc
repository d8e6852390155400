#include "engine/match/cluster_pick.h"

#include <map>

#include <gtest/gtest.h>

#include "engine/match/decide.h"
#include "tests/engine/stage_world.h"

namespace gwsim::match {
namespace {

using namespace gwsim::testing;

std::vector<route::WeightedCluster> weighted(std::vector<std::pair<std::string, std::uint32_t>> items) {
  std::vector<route::WeightedCluster> out;
  for (auto& [name, weight] : items) {
    route::WeightedCluster c;
    c.cluster = name;
    c.weight = weight;
    out.push_back(c);
  }
  return out;
}

TEST(ClusterStage, WeightsAreRelativeAndOneClusterDrawsNothing) {
  lb::Random rng(3);
  auto clusters = weighted({{"a", 1}, {"b", 3}});
  std::map<std::string, int> seen;
  for (int i = 0; i < 4000; ++i) ++seen[pick_weighted(clusters, 4, rng)->cluster];
  EXPECT_NEAR(seen["b"] / 4000.0, 0.75, 0.03);

  lb::Random a(9), b(9);
  auto one = weighted({{"only", 100}});
  EXPECT_EQ(pick_weighted(one, 100, a)->cluster, "only");
  EXPECT_EQ(a.next(), b.next());  // no draw was taken
  EXPECT_EQ(pick_weighted({}, 0, a), nullptr);
}

TEST(ClusterStage, ThePickedClusterIsRecordedWithItsService) {
  auto table = stage_table();
  lb::Random rng(1);
  RoutingResult out = route_request(table, stage_request(), rng);
  EXPECT_EQ(out.trace.outcome, Outcome::kRouted);
  EXPECT_EQ(out.trace.cluster, "outbound|8081|v1|mesh.default.svc.cluster.local");
  EXPECT_EQ(out.trace.subset, "v1");
  EXPECT_EQ(out.trace.service, "default/mesh");
  EXPECT_EQ(out.trace.service_port_upstream, 8081u);
  ASSERT_NE(out.cluster, nullptr);
  EXPECT_EQ(out.cluster->name, out.trace.cluster);
}

TEST(ClusterStage, AMissingClusterIs503NoCluster) {
  auto table = stage_table({route_to("mesh", "v3", 8081)});  // no subset v3
  lb::Random rng(1);
  RoutingResult out = route_request(table, stage_request(), rng);
  EXPECT_EQ(out.trace.outcome, Outcome::kClusterNotFound);
  EXPECT_EQ(out.trace.status, 503);
  EXPECT_EQ(out.trace.response_flags, "NC");
  EXPECT_EQ(out.cluster, nullptr);
  EXPECT_NE(out.trace.detail.find("does not exist"), std::string::npos);
}

// route.go applyHTTPRouteDestination: a Gateway API route's missing cluster is a 500, still NC.
TEST(ClusterStage, AMissingClusterOfAGatewayApiRouteIs500) {
  WorldBuilder w;
  w.add_gateway("default", "gw", {"www.service1.io"});
  w.add_vs("default", "generated", {"www.service1.io"}, {"default/gw"}, {route_to("unknown.example.com", "", 80)})
      .meta.annotations["internal.istio.io/route-semantics"] = "gateway";
  auto table = route::compile_gateway(w.snap, "istio-system/istio-ingressgateway").value();
  lb::Random rng(1);
  RoutingResult out = route_request(table, stage_request(), rng);
  EXPECT_EQ(out.trace.outcome, Outcome::kClusterNotFound);
  EXPECT_EQ(out.trace.status, 500);
  EXPECT_EQ(out.trace.response_flags, "NC");
  EXPECT_EQ(out.trace.cluster, "outbound|80||unknown.example.com");
}

}  // namespace
}  // namespace gwsim::match
