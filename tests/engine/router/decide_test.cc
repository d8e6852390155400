#include "engine/router/router.h"

#include <gtest/gtest.h>

#include "engine/route/compile.h"
#include "tests/engine/test_world.h"

namespace gwsim::router {
namespace {

using namespace gwsim::testing;
using http::Request;
using http::UpstreamRequest;
using http::UpstreamResponse;
using match::Outcome;

struct Fixture {
  WorldBuilder w;
  route::RouteTable table;
  lb::Random rng{7};
  lb::LoadBalancerState state;
  std::map<std::string, UpstreamResponse> behaviour;  // by pod name

  void compile() { table = route::compile_gateway(w.snap, "istio-system/istio-ingressgateway").value(); }

  UpstreamCall upstream() {
    return [this](const route::Endpoint& e, const UpstreamRequest&, const AttemptContext&) {
      auto it = behaviour.find(e.pod_name);
      if (it != behaviour.end()) return it->second;
      UpstreamResponse r;
      r.body = "Hostname=" + e.pod_name;
      return r;
    };
  }

  Exchange send(const std::string& host, const std::string& path = "/", std::uint32_t port = 80,
                std::vector<std::pair<std::string, std::string>> headers = {}, std::string method = "GET") {
    Request r;
    r.host = host;
    r.path = path;
    r.port = port;
    r.headers = std::move(headers);
    r.method = std::move(method);
    return exchange(table, r, rng, state, upstream());
  }
};

Fixture seed() {
  Fixture f;
  f.w.add_service("default", "mesh", {{"appId", "1"}}, {WorldBuilder::port("app", 8081)},
                  {{"v1-a", {{"appId", "1"}, {"version", "v1"}}},
                   {"v1-b", {{"appId", "1"}, {"version", "v1"}}},
                   {"v2-a", {{"appId", "1"}, {"version", "v2"}}}});
  f.w.add_gateway("default", "gw", {"www.service1.io"});
  f.w.add_vs("default", "vs", {"www.service1.io"}, {"gw"}, {route_to("mesh", "v1", 8081, "default")});
  f.w.add_dr("default", "dr", "mesh", {Subset{"v1", {{"version", "v1"}}, {}}, Subset{"v2", {{"version", "v2"}}, {}}});
  f.compile();
  return f;
}

TEST(DecideTest, SeedRequestReachesOnlyV1Pods) {
  auto f = seed();
  std::map<std::string, int> seen;
  for (int i = 0; i < 200; ++i) {
    auto ex = f.send("www.service1.io", "/ping");
    ASSERT_EQ(ex.response.status, 200);
    EXPECT_EQ(ex.trace.listener, "0.0.0.0_8080");
    EXPECT_EQ(ex.trace.route_config, "http.8080");
    EXPECT_EQ(ex.trace.virtual_host, "www.service1.io:80");
    EXPECT_EQ(ex.trace.cluster, "outbound|8081|v1|mesh.default.svc.cluster.local");
    EXPECT_EQ(ex.trace.response_flags, "-");
    ++seen[ex.endpoint->pod_name];
  }
  EXPECT_EQ(seen.count("v2-a"), 0u);
  EXPECT_GT(seen["v1-a"], 50);  // least-request over two equal hosts spreads the load
  EXPECT_GT(seen["v1-b"], 50);
}

TEST(DecideTest, HostHeaderPortAndCaseAreIgnored) {
  auto f = seed();
  EXPECT_EQ(f.send("www.service1.io:80").response.status, 200);
  EXPECT_EQ(f.send("WWW.Service1.IO").response.status, 200);
  EXPECT_EQ(f.send("www.service1.io:31380").response.status, 200);
}

TEST(DecideTest, UnknownHostIs404NoRoute) {
  auto f = seed();
  auto ex = f.send("www.service2.io");
  EXPECT_EQ(ex.response.status, 404);
  EXPECT_EQ(ex.trace.response_flags, "NR");
  EXPECT_EQ(ex.trace.outcome, Outcome::kNoVirtualHost);
}

TEST(DecideTest, UnknownServicePortIsRefused) {
  auto f = seed();
  auto ex = f.send("www.service1.io", "/", 8081);
  EXPECT_EQ(ex.trace.outcome, Outcome::kNoListener);
  EXPECT_EQ(ex.response.status, 0);
}

TEST(DecideTest, UnknownSubsetIs503NoCluster) {
  auto f = seed();
  f.w.snap.virtual_services[0].http[0].route[0].destination.subset = "v3";
  f.compile();
  auto ex = f.send("www.service1.io");
  EXPECT_EQ(ex.response.status, 503);
  EXPECT_EQ(ex.trace.response_flags, "NC");
}

TEST(DecideTest, SubsetWithoutPodsIs503NoHealthyUpstream) {
  auto f = seed();
  f.w.snap.destination_rules[0].subsets.push_back(Subset{"v9", {{"version", "v9"}}, {}});
  f.w.snap.virtual_services[0].http[0].route[0].destination.subset = "v9";
  f.compile();
  auto ex = f.send("www.service1.io");
  EXPECT_EQ(ex.response.status, 503);
  EXPECT_EQ(ex.trace.response_flags, "UH");
  EXPECT_EQ(ex.response.body, "no healthy upstream");
}

TEST(DecideTest, ConnectFailuresAreRetriedOnAnotherHost) {
  auto f = seed();
  UpstreamResponse refused;
  refused.connected = false;
  f.behaviour["v1-a"] = refused;
  for (int i = 0; i < 50; ++i) {
    auto ex = f.send("www.service1.io");
    ASSERT_EQ(ex.response.status, 200);
    EXPECT_EQ(ex.endpoint->pod_name, "v1-b");
  }
}

TEST(DecideTest, A503IsNotRetriedByTheDefaultPolicy) {
  auto f = seed();
  UpstreamResponse unavailable;
  unavailable.status = 503;
  f.behaviour["v1-a"] = unavailable;
  f.behaviour["v1-b"] = unavailable;
  auto ex = f.send("www.service1.io");
  EXPECT_EQ(ex.response.status, 503);
  EXPECT_EQ(ex.trace.attempts.size(), 1u);
  EXPECT_EQ(ex.trace.response_flags, "-");
}

TEST(DecideTest, AllHostsRefusingGivesUpstreamFailureAfterRetries) {
  auto f = seed();
  UpstreamResponse refused;
  refused.connected = false;
  f.behaviour["v1-a"] = refused;
  f.behaviour["v1-b"] = refused;
  auto ex = f.send("www.service1.io");
  EXPECT_EQ(ex.response.status, 503);
  EXPECT_EQ(ex.trace.attempts.size(), 3u);  // 1 + Istio's 2 default retries
  EXPECT_EQ(ex.trace.response_flags, "UF,URX");
}

TEST(DecideTest, UpstreamSeesEdgeProxyHeaders) {
  auto f = seed();
  auto ex = f.send("www.service1.io", "/ping", 80, {{"X-Custom", "1"}});
  ASSERT_TRUE(ex.upstream_request);
  auto has = [&](const std::string& k, const std::string& v) {
    for (const auto& [hk, hv] : ex.upstream_request->headers) {
      if (hk == k) return v.empty() || hv == v;
    }
    return false;
  };
  EXPECT_TRUE(has("x-forwarded-proto", "http"));
  EXPECT_TRUE(has("x-envoy-attempt-count", "1"));
  EXPECT_TRUE(has("x-custom", "1"));
  EXPECT_TRUE(has("x-request-id", ""));
  EXPECT_EQ(ex.upstream_request->authority, "www.service1.io");
  EXPECT_EQ(*ex.response.header("server"), "istio-envoy");
}

TEST(DecideTest, HeaderAndMethodMatchesAreAnded) {
  Fixture f;
  f.w.add_gateway("default", "gw", {"a.com"});
  auto r = route_to("svc", "", 0, "special");
  HTTPMatchRequest m;
  m.headers["X-User"] = StringMatch{StringMatch::Kind::kPrefix, "adm"};
  m.method = StringMatch{StringMatch::Kind::kExact, "POST"};
  r.match = {m};
  auto fallback = route_to("svc", "", 0, "fallback");
  f.w.add_vs("default", "vs", {"a.com"}, {"gw"}, {r, fallback});
  f.compile();
  EXPECT_EQ(f.send("a.com", "/", 80, {{"x-user", "admin"}}, "POST").trace.route_name, "special");
  EXPECT_EQ(f.send("a.com", "/", 80, {{"x-user", "admin"}}, "GET").trace.route_name, "fallback");
  EXPECT_EQ(f.send("a.com", "/", 80, {{"x-user", "root"}}, "POST").trace.route_name, "fallback");
}

TEST(DecideTest, WithoutHeadersMatchesWhenHeaderAbsentOrDifferent) {
  Fixture f;
  f.w.add_gateway("default", "gw", {"a.com"});
  auto r = route_to("svc", "", 0, "no-debug");
  HTTPMatchRequest m;
  m.without_headers["debug"] = StringMatch{StringMatch::Kind::kExact, "1"};
  r.match = {m};
  auto other = route_to("svc", "", 0, "other");
  f.w.add_vs("default", "vs", {"a.com"}, {"gw"}, {r, other});
  f.compile();
  EXPECT_EQ(f.send("a.com").trace.route_name, "no-debug");
  EXPECT_EQ(f.send("a.com", "/", 80, {{"debug", "0"}}).trace.route_name, "no-debug");
  EXPECT_EQ(f.send("a.com", "/", 80, {{"debug", "1"}}).trace.route_name, "other");
}

TEST(DecideTest, UriMatchKinds) {
  Fixture f;
  f.w.add_gateway("default", "gw", {"a.com"});
  auto exact = route_to("svc", "", 0, "exact");
  exact.match = {uri(StringMatch::Kind::kExact, "/exact")};
  auto regex = route_to("svc", "", 0, "regex");
  regex.match = {uri(StringMatch::Kind::kRegex, "/r/[0-9]+")};
  auto prefix = route_to("svc", "", 0, "prefix");
  auto pm = uri(StringMatch::Kind::kPrefix, "/Pre");
  pm.ignore_uri_case = true;
  prefix.match = {pm};
  f.w.add_vs("default", "vs", {"a.com"}, {"gw"}, {exact, regex, prefix});
  f.compile();
  EXPECT_EQ(f.send("a.com", "/exact?x=1").trace.route_name, "exact");  // the query is not part of the path
  EXPECT_EQ(f.send("a.com", "/exact/").trace.outcome, Outcome::kNoRoute);
  EXPECT_EQ(f.send("a.com", "/r/123?q").trace.route_name, "regex");
  EXPECT_EQ(f.send("a.com", "/r/123x").trace.outcome, Outcome::kNoRoute);  // full match
  EXPECT_EQ(f.send("a.com", "/prefix/more").trace.route_name, "prefix");
}

TEST(DecideTest, NoFallThroughBetweenVirtualHosts) {
  Fixture f;
  f.w.add_gateway("default", "gw", {"*.example.com"});
  auto only_api = route_to("svc", "", 0, "api");
  only_api.match = {uri(StringMatch::Kind::kPrefix, "/api")};
  f.w.add_vs("default", "exact", {"a.example.com"}, {"gw"}, {only_api});
  f.w.add_vs("default", "wild", {"*.example.com"}, {"gw"}, {route_to("svc", "", 0, "wild")});
  f.compile();
  EXPECT_EQ(f.send("b.example.com", "/x").trace.route_name, "wild");
  auto ex = f.send("a.example.com", "/x");
  EXPECT_EQ(ex.trace.virtual_host, "a.example.com:80");
  EXPECT_EQ(ex.response.status, 404);
  EXPECT_EQ(ex.trace.outcome, Outcome::kNoRoute);
}

TEST(DecideTest, WeightsAreRelative) {
  Fixture f;
  f.w.add_service("default", "a", {{"app", "a"}}, {WorldBuilder::port("http", 80)}, {{"a-1", {{"app", "a"}}}});
  f.w.add_service("default", "b", {{"app", "b"}}, {WorldBuilder::port("http", 80)}, {{"b-1", {{"app", "b"}}}});
  f.w.add_gateway("default", "gw", {"a.com"});
  HTTPRoute r;
  HTTPRouteDestination a, b;
  a.destination.host = "a";
  a.weight = 1;
  b.destination.host = "b";
  b.weight = 3;
  r.route = {a, b};
  f.w.add_vs("default", "vs", {"a.com"}, {"gw"}, {r});
  f.compile();
  int to_b = 0;
  for (int i = 0; i < 4000; ++i) to_b += f.send("a.com").endpoint->pod_name == "b-1";
  EXPECT_NEAR(to_b / 4000.0, 0.75, 0.03);
}

TEST(DecideTest, SameSeedSameDecisions) {
  auto run = [] {
    auto f = seed();
    std::string pods;
    for (int i = 0; i < 20; ++i) pods += f.send("www.service1.io").endpoint->pod_name + ",";
    return pods;
  };
  EXPECT_EQ(run(), run());
}

}  // namespace
}  // namespace gwsim::router
