#include "engine/match/explain.h"

#include <gtest/gtest.h>

#include <random>

#include "engine/match/decide.h"
#include "tests/engine/stage_world.h"

namespace gwsim::match {
namespace {

using namespace gwsim::testing;

Explanation explain_request(const route::RouteTable& table, const http::Request& r) {
  lb::Random rng(1);
  RoutingResult decided = route_request(table, r, rng);
  return explain(table, r, decided.trace);
}

HTTPMatchRequest with_header(HTTPMatchRequest m, std::string name, StringMatch::Kind kind, std::string value) {
  m.headers[std::move(name)] = StringMatch{kind, std::move(value)};
  return m;
}

std::vector<HTTPRoute> api_and_home() {
  HTTPRoute api = route_to("mesh", "v2", 8081, "api");
  api.match = {uri(StringMatch::Kind::kPrefix, "/api")};
  HTTPRoute home = route_to("mesh", "v1", 8081, "home");
  home.match = {uri(StringMatch::Kind::kExact, "/home")};
  return {api, home};
}

TEST(Explain, ARouteMissNamesEachRoutesFirstFailedConditionAndTheNearest) {
  auto table = stage_table(api_and_home());
  auto e = explain_request(table, stage_request("www.service1.io", "/hom?x=1"));
  EXPECT_EQ(e.stopped_at, "route");
  EXPECT_EQ(e.virtual_host, "www.service1.io:80");
  EXPECT_EQ(e.matched_route, -1);
  ASSERT_EQ(e.routes.size(), 2u);
  ASSERT_TRUE(e.routes[0].miss);
  EXPECT_EQ(e.routes[0].miss->condition, "path");
  EXPECT_EQ(e.routes[0].miss->expected, "prefix /api");
  EXPECT_EQ(e.routes[0].miss->actual, "/hom?x=1");  // a prefix sees the whole :path
  ASSERT_TRUE(e.routes[1].miss);
  EXPECT_EQ(e.routes[1].miss->expected, "exact /home");
  EXPECT_EQ(e.routes[1].miss->actual, "/hom");  // exact compares the path without its query
  // "/hom" shares four characters with "/home", one with "/api": the nearest miss is #1.
  ASSERT_FALSE(e.near_misses.empty());
  EXPECT_NE(e.near_misses.front().object.find("route #1 home"), std::string::npos);
  EXPECT_NE(e.summary.find("none of the 2 routes of www.service1.io:80 matches; nearest: route #1 home"),
            std::string::npos);
}

TEST(Explain, HeaderMethodAndQueryConditionsSayExpectedAndActual) {
  HTTPRoute r = route_to("mesh", "v1", 8081, "only-v2");
  HTTPMatchRequest m = with_header(uri(StringMatch::Kind::kPrefix, "/"), "version", StringMatch::Kind::kExact, "v2");
  m.method = StringMatch{StringMatch::Kind::kExact, "GET"};
  m.query_params["debug"] = StringMatch{StringMatch::Kind::kExact, "1"};
  r.match = {m};
  auto table = stage_table({r});

  auto request = stage_request("www.service1.io", "/?debug=0");
  request.method = "POST";
  request.headers = {{"version", "v2"}};
  auto e = explain_request(table, request);
  ASSERT_EQ(e.routes.size(), 1u);
  ASSERT_TRUE(e.routes[0].miss);
  // The header matchers in the order the compiled route checks them: headers, then the method
  // (Istio's translateRouteMatch appends :method after the sorted headers).
  EXPECT_EQ(e.routes[0].miss->condition, "method");
  EXPECT_EQ(e.routes[0].miss->expected, "exact \"GET\"");
  EXPECT_EQ(e.routes[0].miss->actual, "POST");

  request.method = "GET";
  request.headers = {{"version", "v1"}};
  e = explain_request(table, request);
  ASSERT_TRUE(e.routes[0].miss);
  EXPECT_EQ(e.routes[0].miss->condition, "header version");
  EXPECT_EQ(e.routes[0].miss->actual, "v1");

  request.headers = {{"version", "v2"}};
  e = explain_request(table, request);
  ASSERT_TRUE(e.routes[0].miss);
  EXPECT_EQ(e.routes[0].miss->condition, "query parameter debug");
  EXPECT_EQ(e.routes[0].miss->expected, "exact \"1\"");
  EXPECT_EQ(e.routes[0].miss->actual, "0");

  request.path = "/";
  e = explain_request(table, request);
  EXPECT_EQ(e.routes[0].miss->actual, "absent");

  request.path = "/?debug=1";
  e = explain_request(table, request);
  EXPECT_EQ(e.matched_route, 0);
  EXPECT_FALSE(e.routes[0].miss);
  EXPECT_EQ(e.stopped_at, "");
}

TEST(Explain, WithoutHeadersIsExplainedAsTheInvertedMatcher) {
  HTTPRoute r = route_to("mesh", "v1", 8081, "no-canary");
  HTTPMatchRequest m = uri(StringMatch::Kind::kPrefix, "/");
  m.without_headers["canary"] = StringMatch{StringMatch::Kind::kExact, "yes"};
  r.match = {m};
  auto table = stage_table({r});
  auto request = stage_request();
  request.headers = {{"canary", "yes"}};
  auto e = explain_request(table, request);
  ASSERT_TRUE(e.routes[0].miss);
  EXPECT_EQ(e.routes[0].miss->condition, "header canary");
  EXPECT_EQ(e.routes[0].miss->expected, "not exact \"yes\"");
  EXPECT_EQ(e.routes[0].miss->actual, "yes");
}

// Envoy's order: exact, then the longest suffix wildcard, then prefix wildcards, then "*".
TEST(Explain, DomainsAreListedWithTheirKindAndTheChosenOne) {
  WorldBuilder w;
  w.add_service("default", "echo", {{"app", "echo"}}, {WorldBuilder::port("http", 80)}, {{"echo-1", {{"app", "echo"}}}});
  w.add_gateway("default", "gw", {"*"});
  w.add_vs("default", "exact", {"a.example.com"}, {"gw"}, {route_to("echo")});
  w.add_vs("default", "wild", {"*.example.com"}, {"gw"}, {route_to("echo")});
  auto table = route::compile_gateway(w.snap, "istio-system/istio-ingressgateway").value();

  auto e = explain_request(table, stage_request("A.example.com:80"));
  EXPECT_EQ(e.host, "a.example.com");
  EXPECT_EQ(e.virtual_host, "a.example.com:80");
  int chosen = 0, matching = 0;
  for (const auto& d : e.domains) {
    if (d.domain == "a.example.com") {
      EXPECT_EQ(d.kind, "exact");
      EXPECT_TRUE(d.chosen);
    }
    if (d.domain == "*.example.com") {
      EXPECT_EQ(d.kind, "suffix wildcard");
      EXPECT_TRUE(d.matches);
      EXPECT_FALSE(d.chosen);
    }
    chosen += d.chosen;
    matching += d.matches;
  }
  EXPECT_EQ(chosen, 1);
  EXPECT_EQ(matching, 2);

  e = explain_request(table, stage_request("b.example.com"));
  EXPECT_EQ(e.virtual_host, "*.example.com:80");
}

TEST(Explain, AHostNoDomainTakesNamesTheClosestDomain) {
  auto table = stage_table();
  auto e = explain_request(table, stage_request("api.service1.io"));
  EXPECT_EQ(e.stopped_at, "virtual host");
  ASSERT_EQ(e.domains.size(), 1u);
  EXPECT_FALSE(e.domains[0].matches);
  ASSERT_EQ(e.near_misses.size(), 1u);
  EXPECT_EQ(e.near_misses[0].object, "virtual host www.service1.io:80");
  EXPECT_NE(e.summary.find("matches Host \"api.service1.io\""), std::string::npos);
  // A host sharing only the top-level domain (or an IP address) is near no domain: the hosts the
  // port serves are named instead.
  for (const char* host : {"other.io", "127.0.0.1"}) {
    e = explain_request(table, stage_request(host));
    ASSERT_EQ(e.near_misses.size(), 1u) << host;
    EXPECT_EQ(e.near_misses[0].object, "route configuration http.8080");
    EXPECT_NE(e.near_misses[0].reason.find("it serves www.service1.io:80: a Gateway server and a VirtualService"),
              std::string::npos)
        << e.near_misses[0].reason;
  }
}

TEST(Explain, APortWithoutListenerNamesThePortsThatHaveOne) {
  auto table = stage_table();
  auto request = stage_request();
  request.port = 443;  // a Service port (-> 8443) where no Gateway server listens
  auto e = explain_request(table, request);
  EXPECT_EQ(e.stopped_at, "listener");
  EXPECT_EQ(e.target_port, 8443u);
  ASSERT_EQ(e.near_misses.size(), 1u);
  EXPECT_EQ(e.near_misses[0].object, "Service port 80");
  EXPECT_NE(e.to_text().find("listener: Service port 443 -> pod port 8443 -> no listener (listeners: 0.0.0.0_8080)"),
            std::string::npos);
}

TEST(Explain, AMissingSubsetsClusterNamesTheClustersOfItsHost) {
  auto table = stage_table({route_to("mesh", "v3", 8081, "v3")});
  auto e = explain_request(table, stage_request());
  EXPECT_EQ(e.stopped_at, "cluster");
  EXPECT_EQ(e.matched_route, 0);
  ASSERT_FALSE(e.near_misses.empty());
  EXPECT_EQ(e.near_misses[0].object, "cluster outbound|8081|v3|mesh.default.svc.cluster.local");
  EXPECT_NE(e.near_misses[0].reason.find("outbound|8081|v1|mesh.default.svc.cluster.local"), std::string::npos);
}

TEST(Explain, TextAndJsonCarryTheSameFacts) {
  auto table = stage_table(api_and_home());
  auto e = explain_request(table, stage_request("www.service1.io", "/nothing"));
  std::string text = e.to_text();
  EXPECT_EQ(text.rfind("  why: NoRoute: none of the 2 routes", 0), 0u) << text;
  EXPECT_NE(text.find("#0 api (VirtualService default/vs http[0] match[0]) path prefix /api: path: expected prefix "
                      "/api, got \"/nothing\""),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("near misses:"), std::string::npos);
  nlohmann::json j = e.to_json();
  EXPECT_EQ(j["stoppedAt"], "route");
  EXPECT_EQ(j["routes"][0]["failed"]["condition"], "path");
  EXPECT_EQ(j["routes"][0]["matched"], false);
  EXPECT_EQ(j["matchedRoute"], -1);
  EXPECT_EQ(j["listener"]["name"], "0.0.0.0_8080");
}

// The explanation runs the decision's own checks: for any request, the route it says matched
// is the route the decision took, and the virtual host is the decision's.
TEST(Explain, AgreesWithTheDecisionOnRandomRequests) {
  std::mt19937 rng(20261204);
  auto pick = [&rng](const auto& options) { return options[rng() % options.size()]; };
  const std::vector<std::string> hosts = {"a.example.com", "*.example.com", "b.example.com", "*", "c.other.com"};
  const std::vector<std::string> paths = {"/", "/api", "/api/v1", "/API", "/home", "/home/x", "/e", "/p1", "/x?q=1"};
  const std::vector<std::string> values = {"v1", "v2", "yes", ""};
  for (int world = 0; world < 20; ++world) {
    WorldBuilder w;
    w.add_service("default", "echo", {{"app", "echo"}}, {WorldBuilder::port("http", 80)}, {{"echo-1", {{"app", "echo"}}}});
    w.add_gateway("default", "gw", {"*"});
    const int services = 1 + static_cast<int>(rng() % 4);
    for (int v = 0; v < services; ++v) {
      std::vector<HTTPRoute> routes;
      const int n = 1 + static_cast<int>(rng() % 4);
      for (int i = 0; i < n; ++i) {
        HTTPRoute r = route_to("echo");
        r.name = "r" + std::to_string(i);
        if (rng() % 5 != 0) {
          HTTPMatchRequest m = uri(pick(std::vector<StringMatch::Kind>{StringMatch::Kind::kPrefix, StringMatch::Kind::kExact,
                                                                       StringMatch::Kind::kRegex}),
                                   pick(std::vector<std::string>{"/api", "/home", "/", "/a.*", "/e"}));
          m.ignore_uri_case = rng() % 4 == 0;
          if (rng() % 2) m.headers["version"] = StringMatch{StringMatch::Kind::kExact, pick(values)};
          if (rng() % 3 == 0) m.without_headers["canary"] = StringMatch{StringMatch::Kind::kPrefix, "y"};
          if (rng() % 3 == 0) m.method = StringMatch{StringMatch::Kind::kExact, rng() % 2 ? "GET" : "POST"};
          if (rng() % 3 == 0) m.query_params["q"] = StringMatch{StringMatch::Kind::kExact, "1"};
          r.match.push_back(m);
        }
        routes.push_back(r);
      }
      w.add_vs("default", "vs" + std::to_string(v), {pick(hosts)}, {"gw"}, routes);
    }
    auto table = route::compile_gateway(w.snap, "istio-system/istio-ingressgateway").value();
    for (int k = 0; k < 200; ++k) {
      http::Request r = stage_request(pick(std::vector<std::string>{"a.example.com", "B.example.com:80", "x.other.com",
                                                                    "c.other.com", "example.com"}),
                                      pick(paths));
      r.method = rng() % 2 ? "GET" : "POST";
      if (rng() % 2) r.headers.emplace_back("version", pick(values));
      if (rng() % 3 == 0) r.headers.emplace_back("canary", "yes");
      lb::Random lb(1);
      RoutingResult decided = route_request(table, r, lb);
      Explanation e = explain(table, r, decided.trace);
      ASSERT_EQ(e.matched_route, decided.trace.route_index) << r.host << r.path << "\n" << e.to_text();
      ASSERT_EQ(e.virtual_host, decided.trace.virtual_host) << r.host << "\n" << e.to_text();
      ASSERT_EQ(e.stopped_at == "route", decided.trace.outcome == Outcome::kNoRoute && !e.virtual_host.empty());
      for (const auto& c : e.routes)
        ASSERT_EQ(!c.miss, c.index == decided.trace.route_index);
    }
  }
}

}  // namespace
}  // namespace gwsim::match
