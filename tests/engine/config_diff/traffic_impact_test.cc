// traffic_impact: which requests a change moves, and how much of a weighted route's traffic.
#include "engine/config_diff/traffic_impact.h"

#include <gtest/gtest.h>

#include "engine/route/compile.h"
#include "tests/engine/test_world.h"

namespace gwsim::config_diff {
namespace {

using namespace gwsim::testing;

constexpr const char* kImpactGateway = "istio-system/istio-ingressgateway";

HTTPRoute weighted_route(int v1, int v2) {
  HTTPRoute r = route_to("echo", "v1");
  r.route[0].weight = v1;
  r.route.push_back(r.route[0]);
  r.route[1].destination.subset = "v2";
  r.route[1].weight = v2;
  return r;
}

class TrafficImpactTest : public ::testing::Test {
 protected:
  TrafficImpactTest() {
    w.add_service("default", "echo", {{"app", "echo"}}, {WorldBuilder::port("http", 80, 8080)},
                  {{"echo-1", {{"app", "echo"}, {"version", "v1"}}}, {"echo-2", {{"app", "echo"}, {"version", "v2"}}}});
    w.add_dr("default", "echo", "echo", {Subset{"v1", {{"version", "v1"}}, {}}, Subset{"v2", {{"version", "v2"}}, {}}});
    w.add_gateway("default", "gw", {"*.example.com"});
    HTTPRoute api = route_to("echo", "v2");
    api.match.push_back(uri(StringMatch::Kind::kPrefix, "/api"));
    w.add_vs("default", "a", {"a.example.com"}, {"gw"}, {api, weighted_route(90, 10)});
  }
  Tables tables() {
    auto table = route::compile_gateway(w.snap, kImpactGateway);
    EXPECT_TRUE(table.ok());
    return {{kImpactGateway, std::make_shared<const route::RouteTable>(std::move(table.value()))}};
  }
  TrafficImpact impact(const Tables& before, const Tables& after) {
    return traffic_impact(probes_for(before, after), before, after);
  }
  WorldBuilder w;
};

TEST_F(TrafficImpactTest, NothingChangedMovesNothing) {
  const auto before = tables();
  const auto result = impact(before, tables());
  EXPECT_EQ(result.probes, 4u);  // /api, /api/probe, / (the parent and the catch-all's match), /probe
  EXPECT_TRUE(result.changes.empty());
}

TEST_F(TrafficImpactTest, NinetyTenToFiftyFiftyMovesFortyPercent) {
  const auto before = tables();
  w.snap.virtual_services[0].http[1] = weighted_route(50, 50);
  const auto result = impact(before, tables());
  ASSERT_EQ(result.changes.size(), 2u);  // "/" and "/probe" reach the weighted route; /api does not
  const auto& c = result.changes[0];
  EXPECT_EQ(c.probe.request.path, "/");
  EXPECT_EQ(c.changed, std::vector<std::string>{"cluster"});
  EXPECT_NEAR(c.moved_share, 0.4, 1e-9);
  ASSERT_EQ(c.before.clusters.size(), 2u);
  EXPECT_EQ(c.before.clusters[0].first, "outbound|80|v1|echo.default.svc.cluster.local");
  EXPECT_NEAR(c.before.clusters[0].second, 0.9, 1e-9);
  EXPECT_NEAR(c.after.clusters[0].second, 0.5, 1e-9);
  EXPECT_EQ(c.before.status, 200);
}

TEST_F(TrafficImpactTest, ARemovedRouteMovesAllItsTrafficAndItsStatus) {
  const auto before = tables();
  w.snap.virtual_services[0].http.pop_back();
  const auto result = impact(before, tables());
  ASSERT_EQ(result.changes.size(), 2u);
  const auto& c = result.changes[0];
  EXPECT_EQ(c.changed, (std::vector<std::string>{"route", "cluster", "status"}));
  EXPECT_EQ(c.before.route, "#1 (VirtualService default/a http[1])");
  EXPECT_EQ(c.after.route, "");
  EXPECT_EQ(c.after.outcome, "NoRoute");
  EXPECT_EQ(c.after.status, 404);
  EXPECT_DOUBLE_EQ(c.moved_share, 1.0);
}

TEST_F(TrafficImpactTest, ABoundaryProbeSeesAPrefixThatNarrows) {
  const auto before = tables();
  w.snap.virtual_services[0].http[0].match[0].uri->value = "/api/v2";
  const auto after = tables();
  const auto result = impact(before, after);
  // /api/probe went to v2 and now takes the weighted route.
  bool seen = false;
  for (const auto& c : result.changes) {
    if (c.probe.request.path != "/api/probe") continue;
    seen = true;
    EXPECT_EQ(c.changed, (std::vector<std::string>{"route", "cluster"}));
    EXPECT_NEAR(c.moved_share, 0.9, 1e-9);  // v2 100% -> v1 90% v2 10%
  }
  EXPECT_TRUE(seen);
}

TEST_F(TrafficImpactTest, AGatewayThatIsGoneRefusesEveryRequest) {
  const auto before = tables();
  const auto result = impact(before, Tables{});
  ASSERT_EQ(result.changes.size(), result.probes);
  EXPECT_EQ(result.changes[0].changed, (std::vector<std::string>{"listener", "route", "cluster", "status"}));
  EXPECT_EQ(result.changes[0].after.outcome, "NoListener");
  EXPECT_EQ(result.changes[0].after.status, 0);
}

}  // namespace
}  // namespace gwsim::config_diff
