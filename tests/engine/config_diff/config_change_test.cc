// diff_config: what `gwsim diff` lists as the configuration's change, object by object.
#include "engine/config_diff/config_change.h"

#include <gtest/gtest.h>

#include "engine/model/manifest.h"
#include "engine/route/compile.h"
#include "tests/engine/test_world.h"

namespace gwsim::config_diff {
namespace {

using namespace gwsim::testing;

constexpr const char* kGateway = "istio-system/istio-ingressgateway";

HTTPRoute weighted(int v1, int v2) {
  HTTPRoute r = route_to("echo", "v1");
  r.route[0].weight = v1;
  r.route.push_back(r.route[0]);
  r.route[1].destination.subset = "v2";
  r.route[1].weight = v2;
  return r;
}

HTTPRoute prefix_route(const std::string& prefix, const std::string& subset) {
  HTTPRoute r = route_to("echo", subset);
  r.match.push_back(uri(StringMatch::Kind::kPrefix, prefix));
  return r;
}

class ConfigChangeTest : public ::testing::Test {
 protected:
  ConfigChangeTest() {
    w.add_service("default", "echo", {{"app", "echo"}}, {WorldBuilder::port("http", 80, 8080)},
                  {{"echo-1", {{"app", "echo"}, {"version", "v1"}}}, {"echo-2", {{"app", "echo"}, {"version", "v2"}}}});
    w.add_dr("default", "echo", "echo", {Subset{"v1", {{"version", "v1"}}, {}}, Subset{"v2", {{"version", "v2"}}, {}}});
    w.add_gateway("default", "gw", {"*.example.com"});
    w.add_vs("default", "a", {"a.example.com"}, {"gw"}, {weighted(90, 10)});
    w.add_vs("default", "b", {"b.example.com"}, {"gw"}, {prefix_route("/api", "v2"), route_to("echo", "v1")});
  }
  route::RouteTable compile() {
    auto table = route::compile_gateway(w.snap, kGateway);
    EXPECT_TRUE(table.ok());
    return std::move(table.value());
  }
  ConfigChange diff(const route::RouteTable* before, const route::RouteTable* after) {
    return diff_config(kGateway, before, after, before_sources, after_sources);
  }
  static std::string lines(const ConfigChange& c) {
    std::string out;
    for (const auto& x : c.changes)
      out += std::string(1, change_mark(x.change)) + " " + config_object_name(x.kind) + " " + x.name +
             (x.detail.empty() ? "" : ": " + x.detail) + (x.origin.empty() ? "" : " (" + x.origin + ")") + "\n";
    return out;
  }
  WorldBuilder w;
  SourceIndex before_sources, after_sources;
};

TEST_F(ConfigChangeTest, TheSameManifestsCompiledTwiceChangeNothing) {
  auto before = compile();
  auto after = compile();
  EXPECT_TRUE(diff(&before, &after).empty()) << lines(diff(&before, &after));
}

TEST_F(ConfigChangeTest, ANewWeightIsARouteChangeWithBothSplits) {
  auto before = compile();
  w.snap.virtual_services[0].http[0] = weighted(50, 50);
  auto after = compile();
  EXPECT_EQ(
      lines(diff(&before, &after)),
      "~ virtual host http.8080/a.example.com:80: routes +0 ~1 -0 (VirtualService default/a)\n"
      "~ route http.8080/a.example.com:80 #0: -> outbound|80|v1|echo.default.svc.cluster.local 90%, "
      "outbound|80|v2|echo.default.svc.cluster.local 10% => -> outbound|80|v1|echo.default.svc.cluster.local 50%, "
      "outbound|80|v2|echo.default.svc.cluster.local 50% (VirtualService default/a)\n");
}

TEST_F(ConfigChangeTest, AnAddedRouteIsNamedWithItsMatchAndTheRoutesAfterItDoNotMove) {
  auto before = compile();
  auto& http = w.snap.virtual_services[1].http;
  http.insert(http.begin(), prefix_route("/new", "v1"));
  auto after = compile();
  EXPECT_EQ(lines(diff(&before, &after)),
            "~ virtual host http.8080/b.example.com:80: routes +1 ~0 -0 (VirtualService default/b)\n"
            "+ route http.8080/b.example.com:80 #0: path prefix /new -> outbound|80|v1|echo.default.svc.cluster.local "
            "(VirtualService default/b)\n");
}

TEST_F(ConfigChangeTest, SwappedRoutesAreMovedAndAnInsertionMovesNothing) {
  auto& http = w.snap.virtual_services[1].http;
  http.insert(http.begin() + 1, prefix_route("/b", "v1"));
  auto before = compile();
  std::swap(http[0], http[1]);
  auto after = compile();
  EXPECT_EQ(lines(diff(&before, &after)),
            "~ virtual host http.8080/b.example.com:80: routes +0 ~1 -0 (VirtualService default/b)\n"
            "~ route http.8080/b.example.com:80 #0: position #1 -> #0 (VirtualService default/b)\n");

  http.insert(http.begin(), prefix_route("/new", "v1"));
  auto inserted = compile();
  const std::string text = lines(diff(&after, &inserted));
  EXPECT_EQ(text.find("position"), std::string::npos) << text;
}

TEST_F(ConfigChangeTest, ARemovedVirtualServiceNamesItsVirtualHostAndWhereItWasWritten) {
  before_sources = {{"VirtualService default/b", model::SourcePos{"old/b.yaml", 3, 1}}};
  auto before = compile();
  w.snap.virtual_services.pop_back();
  auto after = compile();
  const auto change = diff(&before, &after);
  ASSERT_EQ(change.changes.size(), 1u) << lines(change);
  const auto& c = change.changes[0];
  EXPECT_EQ(c.kind, ConfigObject::kVirtualHost);
  EXPECT_EQ(c.change, Change::kRemoved);
  EXPECT_EQ(c.name, "http.8080/b.example.com:80");
  EXPECT_EQ(c.origin, "VirtualService default/b");
  EXPECT_EQ(c.source.to_string(), "old/b.yaml:3:1");
  EXPECT_EQ(c.gateway, kGateway);
}

TEST_F(ConfigChangeTest, ASubsetAddsAClusterFromItsDestinationRule) {
  auto before = compile();
  w.snap.destination_rules[0].subsets.push_back(Subset{"v3", {{"version", "v3"}}, {}});
  auto after = compile();
  EXPECT_EQ(lines(diff(&before, &after)),
            "+ cluster outbound|80|v3|echo.default.svc.cluster.local: 0 endpoints (DestinationRule default/echo)\n");
}

TEST_F(ConfigChangeTest, APodLessChangesTheEndpoints) {
  auto before = compile();
  w.snap.endpoints.back().subsets[0].addresses.pop_back();
  auto after = compile();
  const std::string text = lines(diff(&before, &after));
  EXPECT_NE(text.find("~ endpoints outbound|80||echo.default.svc.cluster.local: 2 -> 1 (Service default/echo)"),
            std::string::npos)
      << text;
}

TEST_F(ConfigChangeTest, AGatewayInOneVersionOnlyIsAddedOrRemovedWhole) {
  auto table = compile();
  const std::string added = lines(diff(nullptr, &table));
  const std::string removed = lines(diff(&table, nullptr));
  EXPECT_NE(added.find("+ listener 0.0.0.0_8080 (Gateway default/gw)"), std::string::npos) << added;
  EXPECT_NE(added.find("+ route configuration http.8080 (Gateway default/gw)"), std::string::npos) << added;
  EXPECT_NE(removed.find("- listener 0.0.0.0_8080 (Gateway default/gw)"), std::string::npos) << removed;
  EXPECT_NE(removed.find("- virtual host http.8080/a.example.com:80 (VirtualService default/a)"), std::string::npos)
      << removed;
}

TEST_F(ConfigChangeTest, IndexedSourcesNameObjectsWithoutANamespaceInDefault) {
  auto object = model::object_from_json(
      {{"apiVersion", "v1"}, {"kind", "Service"}, {"metadata", {{"name", "echo"}}}, {"spec", model::Json::object()}},
      model::SourcePos{"svc.yaml", 7, 1});
  ASSERT_TRUE(object.ok());
  const auto index = index_sources({object.value()});
  ASSERT_TRUE(index.count("Service default/echo"));
  EXPECT_EQ(index.at("Service default/echo").line, 7);
}

TEST(DescribeMatch, NamesEveryCondition) {
  route::RouteMatch m;
  m.path = {route::PathMatcher::Kind::kExact, "/x", false, nullptr};
  m.headers.push_back({"version", {route::StringMatcher::Kind::kExact, "v1", nullptr}, false});
  m.headers.push_back({"debug", {route::StringMatcher::Kind::kPresent, "", nullptr}, true});
  m.query_parameters.push_back({"q", {route::StringMatcher::Kind::kPrefix, "a", nullptr}});
  EXPECT_EQ(describe_match(m),
            "path exact /x (ignore case), header version exact v1, header debug not present, query q prefix a");
}

}  // namespace
}  // namespace gwsim::config_diff
