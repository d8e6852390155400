// diff_tables / TableChange::summary: what `gwsim serve` prints for each change.
#include "engine/route/table_diff.h"

#include <gtest/gtest.h>

#include "engine/route/compile.h"
#include "tests/engine/test_world.h"

namespace gwsim::route {
namespace {

using namespace gwsim::testing;

class TableDiffTest : public ::testing::Test {
 protected:
  TableDiffTest() {
    w.add_service("default", "echo", {{"app", "echo"}}, {WorldBuilder::port("http", 80, 8080)},
                  {{"echo-1", {{"app", "echo"}, {"version", "v1"}}}, {"echo-2", {{"app", "echo"}, {"version", "v2"}}}});
    w.add_dr("default", "echo", "echo", {Subset{"v1", {{"version", "v1"}}, {}}, Subset{"v2", {{"version", "v2"}}, {}}});
    w.add_gateway("default", "gw", {"*.example.com"});
    w.add_vs("default", "a", {"a.example.com"}, {"gw"}, {route_to("echo", "v1")});
    w.add_vs("default", "b", {"b.example.com"}, {"gw"}, {route_to("echo", "v1")});
  }
  RouteTable compile() {
    auto table = compile_gateway(w.snap, "istio-system/istio-ingressgateway");
    EXPECT_TRUE(table.ok());
    return std::move(table.value());
  }
  WorldBuilder w;
};

TEST_F(TableDiffTest, EverythingIsAddedToNoTable) {
  auto after = compile();
  auto change = diff_tables(nullptr, after);
  EXPECT_EQ(change.listeners_added, std::vector<std::string>{"0.0.0.0_8080"});
  EXPECT_EQ(change.virtual_hosts_added, (std::vector<std::string>{"a.example.com:80", "b.example.com:80"}));
  EXPECT_TRUE(change.virtual_hosts_changed.empty());
  EXPECT_FALSE(change.clusters_added.empty());
}

TEST_F(TableDiffTest, TheSameConfigCompiledAgainIsUnchanged) {
  auto before = compile();
  auto after = compile();  // no route is shared between the two: they are compared
  auto change = diff_tables(&before, after);
  EXPECT_TRUE(change.empty()) << change.summary();
  EXPECT_EQ(change.summary(), "route table unchanged");
}

TEST_F(TableDiffTest, AnotherSubsetChangesOnlyThatVirtualHost) {
  auto before = compile();
  w.snap.virtual_services[0].http[0] = route_to("echo", "v2");
  auto after = compile();
  auto change = diff_tables(&before, after);
  EXPECT_EQ(change.virtual_hosts_changed, std::vector<std::string>{"a.example.com:80"});
  EXPECT_TRUE(change.virtual_hosts_added.empty());
  EXPECT_TRUE(change.clusters_added.empty());
  EXPECT_EQ(change.summary(), "virtual hosts ~a.example.com:80");
}

// Any difference in what a route does counts, not only its destinations.
TEST_F(TableDiffTest, ATimeoutOrARetryChangesTheVirtualHost) {
  auto before = compile();
  w.snap.virtual_services[1].http[0].timeout = 2000;
  auto after = compile();
  EXPECT_EQ(diff_tables(&before, after).virtual_hosts_changed, std::vector<std::string>{"b.example.com:80"});
  w.snap.virtual_services[0].http[0].retries = model::HTTPRetry{};
  auto again = compile();
  EXPECT_EQ(diff_tables(&after, again).virtual_hosts_changed, std::vector<std::string>{"a.example.com:80"});
}

TEST_F(TableDiffTest, HostsComeAndGo) {
  auto before = compile();
  w.snap.virtual_services.erase(w.snap.virtual_services.begin() + 1);
  w.add_vs("default", "c", {"c.example.com"}, {"gw"}, {route_to("echo")});
  auto after = compile();
  auto change = diff_tables(&before, after);
  EXPECT_EQ(change.virtual_hosts_added, std::vector<std::string>{"c.example.com:80"});
  EXPECT_EQ(change.virtual_hosts_removed, std::vector<std::string>{"b.example.com:80"});
  EXPECT_EQ(change.summary(), "virtual hosts +c.example.com:80, -b.example.com:80");
}

TEST_F(TableDiffTest, EndpointsThatChangeAreCounted) {
  auto before = compile();
  w.snap.endpoints.back().subsets[0].addresses.pop_back();  // echo-2 goes away
  auto after = compile();
  auto change = diff_tables(&before, after);
  EXPECT_TRUE(change.virtual_hosts_changed.empty());
  EXPECT_EQ(change.endpoints_changed,
            (std::vector<std::string>{"outbound|80|v2|echo.default.svc.cluster.local 1 -> 0",
                                      "outbound|80||echo.default.svc.cluster.local 2 -> 1"}));
}

TEST_F(TableDiffTest, LongListsAreCut) {
  TableChange change;
  change.virtual_hosts_added = {"a:80", "b:80", "c:80", "d:80", "e:80"};
  change.listeners_removed = {"0.0.0.0_8443"};
  EXPECT_EQ(change.summary(2), "listeners -0.0.0.0_8443; virtual hosts +a:80, +b:80, +3 more");
}

// issue #12: an AuthorizationPolicy changes no route but every answer it denies; serve says so.
TEST_F(TableDiffTest, PoliciesAndUnsimulatedObjectsAreNamed) {
  auto before = compile();
  AuthorizationPolicy deny;
  deny.meta = meta("istio-system", "deny-ping");
  deny.action = "DENY";
  deny.rules_set = true;
  deny.rules.emplace_back();
  w.snap.authorization_policies.push_back(deny);
  UnsimulatedObject filter;
  filter.kind = "EnvoyFilter";
  filter.meta = meta("istio-system", "add-lua");
  w.snap.unsimulated.push_back(filter);
  auto after = compile();
  auto change = diff_tables(&before, after);
  EXPECT_EQ(change.policies_added, std::vector<std::string>{"DENY istio-system/deny-ping"});
  EXPECT_EQ(change.unsimulated_added, std::vector<std::string>{"EnvoyFilter istio-system/add-lua"});
  EXPECT_TRUE(change.virtual_hosts_changed.empty());
  EXPECT_EQ(change.summary(), "policies +DENY istio-system/deny-ping; unsimulated +EnvoyFilter istio-system/add-lua");
  EXPECT_EQ(diff_tables(&after, before).summary(),
            "policies -DENY istio-system/deny-ping; unsimulated -EnvoyFilter istio-system/add-lua");
}

}  // namespace
}  // namespace gwsim::route
