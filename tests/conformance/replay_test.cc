#include "conformance/replay.h"

#include <sstream>

#include <gtest/gtest.h>

#include "engine/model/manifest.h"
#include "tests/support/manifests.h"

namespace gwsim::conformance {
namespace {

using gwsim::testing::documents;

// echo v1 and v2 behind the default ingress gateway: /v1 to subset v1 (route "to-v1"), /split
// 50/50 between v1 and v2 (route "split").
std::string shop() {
  return documents({gwsim::testing::echo_deployment("v1", 1), gwsim::testing::echo_deployment("v2", 1),
                    gwsim::testing::echo_service(), gwsim::testing::http_gateway("echo.example.com"), R"(
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: echo}
spec:
  host: echo
  subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]
)",
                    R"(
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: echo}
spec:
  hosts: [echo.example.com]
  gateways: [gw]
  http:
  - name: to-v1
    match: [{uri: {prefix: /v1}}]
    route: [{destination: {host: echo, subset: v1}}]
  - name: split
    match: [{uri: {prefix: /split}}]
    route: [{destination: {host: echo, subset: v1}, weight: 50}, {destination: {host: echo, subset: v2}, weight: 50}]
)"});
}

constexpr const char* kV1 = "outbound|80|v1|echo.default.svc.cluster.local";
constexpr const char* kV2 = "outbound|80|v2|echo.default.svc.cluster.local";

// A line of Istio's default format for a request to the gateway pod's port 8080.
std::string line(const std::string& host, const std::string& path, int code, const std::string& flags,
                 const std::string& details, const std::string& cluster, const std::string& route) {
  return "[2026-12-01T10:00:00.000Z] \"GET " + path + " HTTP/1.1\" " + std::to_string(code) + " " + flags + " " +
         details + " - \"-\" 0 10 1 1 \"-\" \"curl/8.0\" \"id-1\" \"" + host + "\" \"10.0.0.7:8080\" " + cluster +
         " 10.0.0.2:40000 10.0.0.2:8080 10.9.9.9:50000 - " + route + "\n";
}

class ReplayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loaded = model::load_manifest_text(shop(), "shop.yaml");
    ASSERT_FALSE(loaded.has_errors());
    ASSERT_TRUE(world.apply(loaded.objects).ok());
    world.install_default_gateway_if_missing();
  }
  ReplaySummary replay(const std::string& log) {
    std::istringstream in(log);
    auto summary = replay_access_log(world, in, "access.log", ReplayOptions{});
    EXPECT_TRUE(summary.ok()) << (summary.ok() ? "" : summary.error().to_string());
    return summary.ok() ? summary.value() : ReplaySummary{};
  }
  World world;
};

TEST_F(ReplayTest, TrafficThatGoesWhereItWentHasNoDifference) {
  ReplaySummary s = replay(line("echo.example.com", "/v1/a", 200, "-", "via_upstream", kV1, "to-v1") +
                           line("echo.example.com", "/split", 200, "-", "via_upstream", kV2, "split") +
                           line("echo.example.com", "/split", 500, "-", "via_upstream", kV1, "split") +
                           line("other.example.com", "/", 404, "NR", "route_not_found", "-", "-"));
  EXPECT_EQ(s.lines, 4u);
  EXPECT_EQ(s.replayed, 4u);
  EXPECT_EQ(s.differing, 0u) << s.to_text("access.log");
  EXPECT_EQ(s.routes.at("default/echo http[0] to-v1").requests, 1u);
  EXPECT_EQ(s.routes.at("default/echo http[1] split").requests, 2u);
  EXPECT_EQ(s.routes.at("NoVirtualHost 404").requests, 1u);
}

TEST_F(ReplayTest, NamesEachDifferenceWithItsLine) {
  ReplaySummary s = replay(line("echo.example.com", "/v1", 200, "-", "via_upstream", kV1, "to-v1") +
                           line("echo.example.com", "/v1", 200, "-", "via_upstream", kV2, "to-v1") +
                           line("echo.example.com", "/v1", 404, "NR", "route_not_found", "-", "-"));
  EXPECT_EQ(s.replayed, 3u);
  EXPECT_EQ(s.differing, 2u);
  EXPECT_EQ(s.differences.at(ReplayField::kCluster), 2u);
  EXPECT_EQ(s.differences.at(ReplayField::kStatus), 1u);
  EXPECT_EQ(s.differences.at(ReplayField::kFlags), 1u);
  EXPECT_EQ(s.differences.at(ReplayField::kRoute), 1u);
  const auto& cluster = s.examples.at(ReplayField::kCluster);
  ASSERT_EQ(cluster.size(), 2u);
  EXPECT_EQ(cluster[0].where, "access.log:2");
  EXPECT_EQ(cluster[0].request, "GET echo.example.com/v1");
  EXPECT_EQ(cluster[0].logged, kV2);
  EXPECT_EQ(cluster[0].simulated, kV1);
  const auto& status = s.examples.at(ReplayField::kStatus);
  ASSERT_EQ(status.size(), 1u);
  EXPECT_EQ(status[0].where, "access.log:3");
  EXPECT_EQ(status[0].logged, "404 route_not_found");
  EXPECT_EQ(status[0].simulated, "200 Routed");
  EXPECT_EQ(s.routes.at("default/echo http[0] to-v1").differing, 2u);

  std::string text = s.to_text("access.log");
  EXPECT_NE(text.find("access.log:3 GET echo.example.com/v1: logged 404 route_not_found, simulated 200 Routed"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("1 same, 2 differ"), std::string::npos) << text;
}

TEST_F(ReplayTest, AWeightedRouteAgreesWithAnyOfItsDestinationsButNoOther) {
  ReplaySummary s = replay(line("echo.example.com", "/split", 200, "-", "via_upstream",
                                "outbound|80||echo.default.svc.cluster.local", "split"));
  EXPECT_EQ(s.differences.at(ReplayField::kCluster), 1u);
  EXPECT_EQ(s.examples.at(ReplayField::kCluster)[0].simulated,
            std::string(kV1) + " (50) | " + kV2 + " (50)");
}

TEST_F(ReplayTest, KeepsGoingPastUnreadableLinesAndSkipsTcp) {
  ReplaySummary s = replay("not a log line\n\n" +
                           std::string(R"([t] "- - -" 0 - - - "-" 1 2 3 - "-" "-" "-" "-" "-" - - 10.0.0.2:31400 10.0.0.1:1 - -)") +
                           "\n" + line("echo.example.com", "/v1", 200, "-", "via_upstream", kV1, "to-v1"));
  EXPECT_EQ(s.lines, 3u);
  EXPECT_EQ(s.unreadable, 1u);
  EXPECT_EQ(s.tcp_skipped, 1u);
  EXPECT_EQ(s.replayed, 1u);
  ASSERT_EQ(s.unreadable_examples.size(), 1u);
  EXPECT_EQ(s.unreadable_examples[0].where, "access.log:1:1");
}

TEST_F(ReplayTest, JsonLogsReplayLikeText) {
  access_log::LogRecord r;
  std::string text = line("echo.example.com", "/v1", 200, "-", "via_upstream", kV2, "to-v1");
  text.pop_back();
  ASSERT_FALSE(access_log::read_istio_text(text, r));
  std::string json;
  access_log::append_envoy_json(r, json);
  std::istringstream in(json);
  ReplayOptions options;
  options.format = access_log::LogFormat::kEnvoyJson;
  auto s = replay_access_log(world, in, "access.json", options);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->replayed, 1u);
  EXPECT_EQ(s->differences.at(ReplayField::kCluster), 1u);
}

TEST(ReplayRequest, RebuildsTheClientAndPortEnvoySaw) {
  access_log::LogRecord r;
  r.method = "GET";
  r.path = "/p";
  r.authority = "shop.example.com";
  r.x_forwarded_for = "1.2.3.4, 10.0.0.1";
  r.downstream_local_address = "10.0.0.9:8443";
  r.downstream_remote_address = "1.2.3.4:5000";
  r.requested_server_name = "shop.example.com";
  r.user_agent = "curl/8.0";
  RequestSpec spec = replay_request(r, "istio-system/istio-ingressgateway", {{8443, 443}, {8080, 80}});
  EXPECT_EQ(spec.port, 443u);
  EXPECT_EQ(spec.scheme, "https");
  EXPECT_EQ(spec.sni, "shop.example.com");
  EXPECT_EQ(spec.source_ip, "10.0.0.1");  // the peer Envoy appended last
  ASSERT_EQ(spec.headers.size(), 2u);
  EXPECT_EQ(spec.headers[0], (std::pair<std::string, std::string>{"x-forwarded-for", "1.2.3.4"}));
  EXPECT_EQ(spec.headers[1], (std::pair<std::string, std::string>{"user-agent", "curl/8.0"}));

  r.x_forwarded_for = {};
  r.requested_server_name = {};
  r.downstream_local_address = "10.0.0.9:8080";
  spec = replay_request(r, "istio-system/istio-ingressgateway", {{8443, 443}, {8080, 80}});
  EXPECT_EQ(spec.port, 80u);
  EXPECT_EQ(spec.scheme, "http");
  EXPECT_EQ(spec.source_ip, "1.2.3.4");
}

}  // namespace
}  // namespace gwsim::conformance
