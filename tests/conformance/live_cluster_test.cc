// LiveCluster: a FakeCluster on real sockets follows every change to the cluster.
#include "conformance/live_cluster.h"

#include "conformance/scenario.h"

#include <gtest/gtest.h>

#include "engine/datapath/client.h"
#include "tests/support/manifests.h"
#include "engine/model/manifest.h"

namespace gwsim::conformance {
namespace {

using datapath::ClientResponse;

const std::string kWorld = gwsim::testing::echo_behind_gateway("*.example.com", 2) + R"(---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: a}
spec:
  hosts: [a.example.com]
  gateways: [gw]
  http: [{route: [{destination: {host: echo}}]}]
)";

void apply(fakes::FakeCluster& cluster, const std::string& yaml) {
  model::ManifestLoad load = model::load_manifest_text(yaml, "test.yaml");
  ASSERT_FALSE(load.has_errors());
  auto result = cluster.apply(load.objects);
  for (const auto& r : result.rejected) ADD_FAILURE() << r;
  cluster.install_default_gateway_if_missing();
}

ClientResponse get(LiveCluster& live, const std::string& host) {
  datapath::ClientRequest r;
  r.address = live.proxy(kDefaultGateway)->address_of(80);
  r.host = host;
  return datapath::send_request(r);
}

TEST(LiveCluster, ServesTheDefaultGatewayAndFollowsChanges) {
  fakes::FakeCluster cluster;
  apply(cluster, kWorld);
  EXPECT_EQ(gateway_services(cluster), std::vector<std::string>{std::string(kDefaultGateway)});
  LiveCluster live(cluster, LiveOptions{});
  live.add_all_gateways();
  ASSERT_NE(live.proxy(kDefaultGateway), nullptr);

  EXPECT_EQ(get(live, "a.example.com").status, 200);
  EXPECT_EQ(get(live, "b.example.com").status, 404);

  // A new VirtualService reaches the running proxy through the table subscription.
  apply(cluster, R"(
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: b}
spec:
  hosts: [b.example.com]
  gateways: [gw]
  http: [{route: [{destination: {host: echo}}]}]
)");
  EXPECT_EQ(get(live, "b.example.com").status, 200);

  // Scaled to zero: the pods go, the gateway answers 503 UH.
  ASSERT_TRUE(cluster.scale("default", "echo-v1", 0).ok());
  ClientResponse none = get(live, "a.example.com");
  EXPECT_EQ(none.status, 503);
  EXPECT_EQ(none.body, "no healthy upstream");
  live.stop();
}

TEST(LiveCluster, BehavioursNeedASync) {
  fakes::FakeCluster cluster;
  apply(cluster, kWorld);
  LiveCluster live(cluster, LiveOptions{});
  live.add_gateway(kDefaultGateway);
  for (const auto& s : fakes::pod_specs(cluster)) {
    if (s.namespace_ != "default") continue;
    fakes::PodBehaviour b;
    b.status = 503;
    cluster.set_pod_behaviour(s.namespace_, s.name, b);
  }
  live.sync();
  EXPECT_EQ(get(live, "a.example.com").status, 503);
}

TEST(LiveCluster, StateDescribesGatewaysAndPods) {
  fakes::FakeCluster cluster;
  apply(cluster, kWorld);
  LiveCluster live(cluster, LiveOptions{});
  live.add_all_gateways();
  nlohmann::json state = live.state();
  ASSERT_EQ(state["gateways"].size(), 1u);
  const auto& gateway = state["gateways"][0];
  EXPECT_EQ(gateway["service"], kDefaultGateway);
  bool port80 = false;
  for (const auto& p : gateway["ports"]) {
    if (p["port"] != 80) continue;
    port80 = true;
    EXPECT_EQ(p["listening"], true);
    EXPECT_EQ(p["listener"], "0.0.0.0_8080");
    EXPECT_EQ(p["address"], live.proxy(kDefaultGateway)->address_of(80));
  }
  EXPECT_TRUE(port80);
  EXPECT_EQ(gateway["clusters"]["outbound|80||echo.default.svc.cluster.local"].size(), 2u);
  int echo_pods = 0;
  for (const auto& pod : state["pods"]) {
    EXPECT_NE(pod["namespace"], "istio-system") << "the gateway's own pod is the proxy";
    if (pod["labels"]["app"] == "echo") ++echo_pods;
    EXPECT_FALSE(pod["ports"].empty());
  }
  EXPECT_EQ(echo_pods, 2);
}

}  // namespace
}  // namespace gwsim::conformance
