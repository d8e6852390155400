// LiveGateway: the control plane's world on real sockets follows every change to it.
#include "runtime/live_gateway.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <future>
#include <thread>

#include "engine/model/manifest.h"
#include "runtime/gateway_services.h"
#include "runtime/http_client.h"
#include "tests/support/manifests.h"

namespace gwsim::runtime {
namespace {

constexpr const char* kDefaultGateway = kDefaultIngressGateway;

const std::string kLiveWorld = gwsim::testing::echo_behind_gateway("*.example.com", 2) + R"(---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: a}
spec:
  hosts: [a.example.com]
  gateways: [gw]
  http: [{route: [{destination: {host: echo}}]}]
)";

void apply(ControlPlane& cluster, const std::string& yaml) {
  model::ManifestLoad load = model::load_manifest_text(yaml, "test.yaml");
  ASSERT_FALSE(load.has_errors());
  auto result = cluster.apply(load.objects);
  for (const auto& r : result.rejected) ADD_FAILURE() << r;
  cluster.install_default_gateway_if_missing();
}

ClientResponse get_through(LiveGateway& live, const std::string& host) {
  ClientRequest r;
  r.address = live.proxy(kDefaultGateway)->address_of(80);
  r.host = host;
  return send_request(r);
}

TEST(LiveGateway, ServesTheDefaultGatewayAndFollowsChanges) {
  ControlPlane cluster;
  apply(cluster, kLiveWorld);
  EXPECT_EQ(gateway_services(cluster), std::vector<std::string>{std::string(kDefaultGateway)});
  LiveGateway live(cluster, LiveGatewayOptions{});
  live.add_all_gateways();
  ASSERT_NE(live.proxy(kDefaultGateway), nullptr);

  EXPECT_EQ(get_through(live, "a.example.com").status, 200);
  EXPECT_EQ(get_through(live, "b.example.com").status, 404);

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
  EXPECT_EQ(get_through(live, "b.example.com").status, 200);

  // Scaled to zero: the pods go, the gateway answers 503 UH.
  ASSERT_TRUE(cluster.scale("default", "echo-v1", 0).ok());
  ClientResponse none = get_through(live, "a.example.com");
  EXPECT_EQ(none.status, 503);
  EXPECT_EQ(none.body, "no healthy upstream");
  live.stop();
}

TEST(LiveGateway, BehavioursNeedASync) {
  ControlPlane cluster;
  apply(cluster, kLiveWorld);
  LiveGateway live(cluster, LiveGatewayOptions{});
  live.add_gateway(kDefaultGateway);
  for (const auto& s : pod_specs(cluster)) {
    if (s.namespace_ != "default") continue;
    fakes::PodBehaviour b;
    b.status = 503;
    cluster.set_pod_behaviour(s.namespace_, s.name, b);
  }
  live.sync();
  EXPECT_EQ(get_through(live, "a.example.com").status, 503);
}

TEST(LiveGateway, StateDescribesGatewaysAndPods) {
  ControlPlane cluster;
  apply(cluster, kLiveWorld);
  LiveGateway live(cluster, LiveGatewayOptions{});
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

// Issue #15: state() (what serve's --state file and main loop read) took the control plane's
// lock while holding the gateway's, and a write's republish takes them in the other order: under
// concurrent writes serve deadlocked (found by tests/stress). Both at once, many times, must end.
TEST(LiveGateway, StateWhileTheControlPlaneChangesDoesNotDeadlock) {
  ControlPlane cluster;
  apply(cluster, kWorld);
  LiveGateway live(cluster, LiveGatewayOptions{});
  live.add_all_gateways();
  std::atomic<int> states{0};
  std::atomic<bool> writes_done{false};
  auto finished = std::async(std::launch::async, [&] {
    std::thread reader([&] {
      while (!writes_done.load()) {
        (void)live.state();
        ++states;
      }
    });
    for (int i = 0; i < 300; ++i) {
      // (apply) in parentheses: with a std::string argument, ADL would also find std::apply.
      (apply)(cluster, "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: churn}\nspec:\n"
                     "  hosts: [churn" + std::to_string(i % 7) + ".example.com]\n  gateways: [gw]\n"
                     "  http: [{route: [{destination: {host: echo}}]}]\n");
    }
    writes_done = true;
    reader.join();
  });
  if (finished.wait_for(std::chrono::seconds(60)) != std::future_status::ready) {
    ADD_FAILURE() << "deadlock: 300 changes with state() read alongside did not finish in 60 s";
    std::quick_exit(1);  // the deadlocked threads cannot be joined
  }
  EXPECT_GT(states.load(), 0);
  EXPECT_EQ(get_through(live, "churn" + std::to_string(299 % 7) + ".example.com").status, 200);
  live.stop();
}

TEST(PodSpecs, PortsFromContainersAndEndpointsTlsByServicePortNameWithBehaviours) {
  model::ManifestLoad load = model::load_manifest_text(R"(
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web, version: v1}}
    spec: {containers: [{name: web, image: x, ports: [{containerPort: 9000}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports:
    - {name: http, port: 80, targetPort: 8080}
    - {name: https-web, port: 443, targetPort: 8443}
)",
                                                       "pods.yaml");
  ASSERT_FALSE(load.has_errors());
  ControlPlane cluster;
  ASSERT_TRUE(cluster.apply(load.objects).ok());
  cluster.install_default_gateway_if_missing();
  std::vector<fakes::PodSpec> specs = pod_specs(cluster);
  const fakes::PodSpec* web = nullptr;
  for (const auto& s : specs)
    if (s.name.rfind("web-", 0) == 0) web = &s;
  ASSERT_NE(web, nullptr);
  EXPECT_EQ(web->labels.at("version"), "v1");
  EXPECT_EQ(web->ports, (std::vector<fakes::PodPort>{{8080, false}, {8443, true}, {9000, false}}));
  EXPECT_FALSE(web->behaviour.status.has_value());

  // The behaviour a `pods` step sets reaches the pod's spec.
  fakes::PodBehaviour failing;
  failing.status = 503;
  cluster.set_pod_behaviour(web->namespace_, web->name, failing);
  for (const auto& s : pod_specs(cluster))
    if (s.name == web->name) {
      EXPECT_EQ(s.behaviour.status, 503);
    }

  std::set<std::string> skip;
  for (const auto& s : specs)
    if (s.namespace_ == "istio-system") skip.insert(s.namespace_ + "/" + s.name);
  ASSERT_FALSE(skip.empty()) << "the default gateway's pod";
  for (const auto& s : pod_specs(cluster, skip)) EXPECT_NE(s.namespace_, "istio-system");
}

}  // namespace
}  // namespace gwsim::runtime
