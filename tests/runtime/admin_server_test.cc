// AdminServer: a gateway's Envoy admin port and pilot-agent status port, over real sockets,
// counting the requests a LiveGateway served, as a user of `gwsim serve` reads them with curl.
#include "runtime/admin_server.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "engine/model/manifest.h"
#include "runtime/http_client.h"
#include "runtime/ingress_install.h"
#include "runtime/live_gateway.h"
#include "tests/support/manifests.h"

namespace gwsim::runtime {
namespace {

constexpr const char* kGateway = kDefaultIngressGateway;
constexpr const char* kEchoCluster = "outbound|80||echo.default.svc.cluster.local";

const std::string kWorld = gwsim::testing::echo_behind_gateway("*.example.com", 1) + R"(---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: a}
spec:
  hosts: [a.example.com]
  gateways: [gw]
  http: [{name: to-echo, route: [{destination: {host: echo}}]}]
)";

void apply(ControlPlane& cluster, const std::string& yaml) {
  model::ManifestLoad load = model::load_manifest_text(yaml, "test.yaml");
  ASSERT_FALSE(load.has_errors());
  auto result = cluster.apply(load.objects);
  for (const auto& r : result.rejected) ADD_FAILURE() << r;
  cluster.install_default_gateway_if_missing();
}

ClientResponse get(const std::string& address, const std::string& path, const std::string& host = "") {
  ClientRequest r;
  r.address = address;
  r.host = host;
  r.path = path;
  return send_request(r);
}

std::string local(int port) { return "127.0.0.1:" + std::to_string(port); }

std::function<std::shared_ptr<const route::RouteTable>()> table_of(LiveGateway& live) {
  return [&live] { return live.proxy(kGateway)->table(); };
}

struct Served {
  ControlPlane cluster;
  std::unique_ptr<LiveGateway> live;
  Served() {
    apply(cluster, kWorld);
    LiveGatewayOptions options;
    options.stats = true;
    live = std::make_unique<LiveGateway>(cluster, options);
    live->add_all_gateways();
  }
  std::string gateway_address() { return live->proxy(kGateway)->address_of(80); }
};

TEST(AdminServer, StatsCountRequestsAsAnIstioGatewayExportsThem) {
  Served s;
  for (int i = 0; i < 3; ++i) EXPECT_EQ(get(s.gateway_address(), "/", "a.example.com").status, 200);
  EXPECT_EQ(get(s.gateway_address(), "/", "nobody.example.com").status, 404);
  AdminServer admin(kGateway, table_of(*s.live), s.live->stats(kGateway));
  ASSERT_TRUE(admin.start().ok());
  ClientResponse stats = get(local(admin.admin_port()), "/stats/prometheus");
  ASSERT_EQ(stats.status, 200) << stats.error;
  const std::string& text = stats.body;
  EXPECT_NE(text.find("# TYPE istio_requests_total counter\n"), std::string::npos) << text;
  // The upstream's counters, with the tags Istio's bootstrap extracts.
  EXPECT_NE(text.find(std::string("envoy_cluster_upstream_rq{response_code=\"200\",cluster_name=\"") + kEchoCluster +
                      "\"} 3\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(std::string("envoy_cluster_upstream_rq{response_code_class=\"2xx\",cluster_name=\"") +
                      kEchoCluster + "\"} 3\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(std::string("envoy_cluster_upstream_rq_total{cluster_name=\"") + kEchoCluster + "\"} 3\n"),
            std::string::npos)
      << text;
  // Istio's standard metric: the gateway reports as the source; the pod's workload, app and
  // version are the destination's.
  EXPECT_NE(text.find("istio_requests_total{reporter=\"source\",source_workload=\"istio-ingressgateway\","
                      "source_canonical_service=\"istio-ingressgateway\",source_canonical_revision=\"latest\","
                      "source_workload_namespace=\"istio-system\""),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("destination_workload=\"echo-v1\",destination_workload_namespace=\"default\","
                      "destination_principal=\"unknown\",destination_app=\"echo\",destination_version=\"v1\","
                      "destination_service=\"echo.default.svc.cluster.local\",destination_canonical_service=\"echo\","
                      "destination_canonical_revision=\"v1\",destination_service_name=\"echo\","
                      "destination_service_namespace=\"default\""),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("response_flags=\"-\",connection_security_policy=\"unknown\",response_code=\"200\","
                      "grpc_response_status=\"\"} 3\n"),
            std::string::npos)
      << text;
  // No route: 404 NR, no destination.
  EXPECT_NE(text.find("destination_service=\"unknown\""), std::string::npos) << text;
  EXPECT_NE(text.find("response_flags=\"NR\",connection_security_policy=\"unknown\",response_code=\"404\","
                      "grpc_response_status=\"\"} 1\n"),
            std::string::npos)
      << text;
  // By route (gwsim's own counter: a real gateway has none).
  EXPECT_NE(text.find("gwsim_route_requests_total{virtual_host=\"a.example.com:80\",route=\"to-echo\","
                      "virtual_service=\"default/a\",response_code=\"200\"} 3\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("response_code=\"404\"} "), std::string::npos) << "no virtual host, no route: " << text;

  // /clusters counts per host.
  ClientResponse clusters = get(local(admin.admin_port()), "/clusters");
  ASSERT_EQ(clusters.status, 200);
  EXPECT_NE(clusters.body.find(std::string(kEchoCluster) + "::added_via_api::true\n"), std::string::npos)
      << clusters.body;
  EXPECT_NE(clusters.body.find("::rq_total::3\n"), std::string::npos) << clusters.body;
  EXPECT_NE(clusters.body.find("::rq_success::3\n"), std::string::npos) << clusters.body;
  EXPECT_NE(clusters.body.find("::health_flags::healthy\n"), std::string::npos) << clusters.body;
  admin.stop();
}

TEST(AdminServer, ConfigDumpReadyAndHealthz) {
  Served s;
  AdminServer admin(kGateway, table_of(*s.live), s.live->stats(kGateway));
  ASSERT_TRUE(admin.start().ok());
  ClientResponse dump = get(local(admin.admin_port()), "/config_dump");
  ASSERT_EQ(dump.status, 200);
  nlohmann::json j = nlohmann::json::parse(dump.body, nullptr, false);
  ASSERT_TRUE(j.is_object()) << dump.body;
  std::vector<std::string> types;
  for (const auto& c : j["configs"]) types.push_back(c.value("@type", ""));
  EXPECT_NE(std::find(types.begin(), types.end(), "type.googleapis.com/envoy.admin.v3.ListenersConfigDump"),
            types.end())
      << dump.body.substr(0, 400);
  EXPECT_NE(dump.body.find("\"0.0.0.0_8080\""), std::string::npos);

  ClientResponse ready = get(local(admin.admin_port()), "/ready");
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(ready.body, "LIVE\n");
  ClientResponse healthz = get(local(admin.status_port()), "/healthz/ready");
  EXPECT_EQ(healthz.status, 200);
  EXPECT_EQ(healthz.body, "");

  ClientResponse unknown = get(local(admin.admin_port()), "/quitquitquit");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_NE(unknown.body.find("/config_dump"), std::string::npos) << unknown.body;
  EXPECT_EQ(get(local(admin.status_port()), "/stats/prometheus").status, 404);
}

TEST(AdminServer, NotReadyUntilTheGatewayHasItsConfiguration) {
  std::shared_ptr<const route::RouteTable> table;
  AdminServer admin(
      kGateway, [&table] { return table; }, nullptr);
  EXPECT_EQ(admin.admin("/ready").status, 503);
  EXPECT_EQ(admin.admin("/ready").body, "PRE_INITIALIZING\n");
  AdminResponse healthz = admin.status("/healthz/ready");
  EXPECT_EQ(healthz.status, 503);
  EXPECT_EQ(healthz.body,
            "config not received from XDS server (is Istiod running?): cds updates: 0 successful, 0 rejected; "
            "lds updates: 0 successful, 0 rejected\n");
  table = std::make_shared<route::RouteTable>();
  EXPECT_EQ(admin.admin("/ready").status, 200);
  table.reset();  // Envoy stays LIVE once initialized
  EXPECT_EQ(admin.status("/healthz/ready").status, 200);
}

TEST(AdminServer, RefusesATakenPortAndNonLoopbackAddresses) {
  AdminServer first(kGateway, nullptr, nullptr);
  ASSERT_TRUE(first.start().ok());
  AdminServerOptions taken;
  taken.admin_port = first.admin_port();
  AdminServer second(kGateway, nullptr, nullptr, taken);
  auto started = second.start();
  ASSERT_FALSE(started.ok());
  EXPECT_NE(started.error().to_string().find("cannot listen on 127.0.0.1:" + std::to_string(first.admin_port()) +
                                             " for the admin port: the port is already in use"),
            std::string::npos)
      << started.error().to_string();
  // The first still answers: the port was not shared.
  EXPECT_EQ(get(local(first.admin_port()), "/ready").status, 503);

  AdminServerOptions wide;
  wide.host = "0.0.0.0";
  AdminServer open(kGateway, nullptr, nullptr, wide);
  EXPECT_FALSE(open.start().ok());
}

TEST(GatewayStats, WorkloadNameIsTheDeploymentOfAReplicaSetPod) {
  EXPECT_EQ(workload_name("echo-v1-5d8f7c9b4-x2kqz", {{"pod-template-hash", "5d8f7c9b4"}}), "echo-v1");
  EXPECT_EQ(workload_name("echo-v1-x2kqz", {}), "echo-v1-x2kqz");
  EXPECT_EQ(workload_name("db-0", {{"pod-template-hash", "abc"}}), "db-0");
}

TEST(GatewayStats, EscapesLabelValues) {
  EXPECT_EQ(prometheus_escape("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
  GatewayStats stats("istio-system/gw");
  datapath::AccessLogEntry e;
  e.method = "GET";
  e.status = 404;
  e.trace.virtual_host = "we\"ird:80";
  e.trace.route_index = 2;
  e.trace.response_flags = "NR";
  stats.record(e);
  EXPECT_NE(stats.prometheus().find("gwsim_route_requests_total{virtual_host=\"we\\\"ird:80\",route=\"#2\""),
            std::string::npos)
      << stats.prometheus();
  datapath::AccessLogEntry tcp;  // a TCP connection has no method: not an HTTP request
  stats.record(tcp);
  EXPECT_EQ(stats.prometheus().find("response_code=\"0\""), std::string::npos);
}

}  // namespace
}  // namespace gwsim::runtime
