// probes_for: the requests `gwsim diff` makes from a table's routes.
#include "engine/config_diff/probes.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "engine/route/compile.h"
#include "tests/engine/test_world.h"

namespace gwsim::config_diff {
namespace {

using namespace gwsim::testing;

constexpr const char* kProbesGateway = "istio-system/istio-ingressgateway";

std::vector<std::string> described(const std::vector<Probe>& probes) {
  std::vector<std::string> out;
  for (const auto& p : probes) out.push_back(describe_probe(p));
  return out;
}

class ProbesTest : public ::testing::Test {
 protected:
  ProbesTest() {
    w.add_service("default", "echo", {{"app", "echo"}}, {WorldBuilder::port("http", 80, 8080)},
                  {{"echo-1", {{"app", "echo"}}}});
    w.add_gateway("default", "gw", {"*.example.com"});
  }
  std::vector<Probe> probes() {
    auto table = route::compile_gateway(w.snap, kProbesGateway);
    EXPECT_TRUE(table.ok());
    return probes_for(kProbesGateway, table.value());
  }
  WorldBuilder w;
};

TEST(ProbeHost, AWildcardDomainGetsAConcreteHost) {
  EXPECT_EQ(probe_host("www.example.com"), "www.example.com");
  EXPECT_EQ(probe_host("*.example.com"), "probe.example.com");
  EXPECT_EQ(probe_host("*"), "probe.invalid");
  EXPECT_EQ(probe_host("www.*"), "www.probe");
}

TEST_F(ProbesTest, APrefixIsProbedAtItsPathBelowItAndAtItsParent) {
  HTTPRoute r = route_to("echo");
  r.match.push_back(uri(StringMatch::Kind::kPrefix, "/api/v1"));
  w.add_vs("default", "a", {"a.example.com"}, {"gw"}, {r});
  const auto p = probes();
  EXPECT_EQ(described(p),
            (std::vector<std::string>{"GET http://a.example.com:80/api/v1", "GET http://a.example.com:80/api/v1/probe",
                                      "GET http://a.example.com:80/api"}));
  EXPECT_EQ(p[0].origin, "match of http.8080/a.example.com:80 #0");
  EXPECT_EQ(p[2].origin, "parent of prefix /api/v1 (http.8080/a.example.com:80 #0)");
  EXPECT_EQ(p[0].gateway, kProbesGateway);
}

TEST_F(ProbesTest, AnExactPathIsProbedWithATrailingSlashAndHeadersAndQueryAreSent) {
  HTTPRoute r = route_to("echo");
  HTTPMatchRequest m = uri(StringMatch::Kind::kExact, "/login");
  m.headers["version"] = StringMatch{StringMatch::Kind::kExact, "v2"};
  m.query_params["debug"] = StringMatch{StringMatch::Kind::kExact, "1"};
  r.match.push_back(m);
  w.add_vs("default", "a", {"a.example.com"}, {"gw"}, {r, route_to("echo")});
  EXPECT_EQ(described(probes()),
            (std::vector<std::string>{
                "GET http://a.example.com:80/login?debug=1 [version: v2]", "GET http://a.example.com:80/",
                "GET http://a.example.com:80/login/?debug=1 [version: v2]", "GET http://a.example.com:80/probe"}));
}

TEST_F(ProbesTest, ARegexPathWithOperatorsGivesNoProbeAndAHostWithoutRoutesGetsOne) {
  HTTPRoute r = route_to("echo");
  r.match.push_back(uri(StringMatch::Kind::kRegex, "/v[0-9]+"));
  w.add_vs("default", "a", {"a.example.com"}, {"gw"}, {r});
  EXPECT_TRUE(probes().empty());
}

TEST(MergeProbes, ARequestAlreadyThereIsLeftOut) {
  Probe a{"istio-system/istio-ingressgateway", {}, "first"};
  a.request.host = "a.example.com";
  Probe b = a;
  b.origin = "second";
  Probe c = a;
  c.request.path = "/other";
  std::vector<Probe> probes{a};
  merge_probes(probes, {b, c});
  ASSERT_EQ(probes.size(), 2u);
  EXPECT_EQ(probes[0].origin, "first");
  EXPECT_EQ(probes[1].request.path, "/other");
}

}  // namespace
}  // namespace gwsim::config_diff
