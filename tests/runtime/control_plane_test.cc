// ControlPlane: writes validated as by Istio's webhook, the controllers run after each write,
// and each tracked gateway's table republished on every change (istiod's push).
#include "runtime/control_plane.h"

#include <gtest/gtest.h>

#include "engine/model/manifest.h"
#include "runtime/gateway_services.h"
#include "tests/support/manifests.h"

namespace gwsim::runtime {
namespace {

std::vector<model::Object> objects(const std::string& yaml) {
  model::ManifestLoad load = model::load_manifest_text(yaml, "test.yaml");
  EXPECT_FALSE(load.has_errors());
  return load.objects;
}

const std::string kVirtualService = R"(
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: a}
spec:
  hosts: [a.example.com]
  gateways: [gw]
  http: [{route: [{destination: {host: echo}}]}]
)";

const std::string kVirtualServiceWithoutHosts = R"(
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: no-hosts}
spec:
  gateways: [gw]
  http: [{route: [{destination: {host: echo}}]}]
)";

std::size_t pod_count(ControlPlane& control_plane, const std::string& ns) {
  std::size_t n = 0;
  control_plane.read_snapshot([&](const model::ConfigSnapshot& snap) {
    for (const auto& p : snap.pods) n += p.meta.namespace_ == ns;
  });
  return n;
}

TEST(ControlPlane, RefusedObjectsAreNotStoredTheOthersAre) {
  ControlPlane control_plane;
  ApplyResult result = control_plane.apply(
      objects(gwsim::testing::echo_behind_gateway() + "---" + kVirtualServiceWithoutHosts + "---" + kVirtualService));
  EXPECT_FALSE(result.ok());
  ASSERT_EQ(result.rejected.size(), 1u);
  EXPECT_NE(result.rejected[0].find("no-hosts"), std::string::npos) << result.rejected[0];
  EXPECT_EQ(result.stored, 4);
  EXPECT_TRUE(control_plane.store().get({"networking.istio.io", "VirtualService", "default", "a"}));
  EXPECT_FALSE(control_plane.store().get({"networking.istio.io", "VirtualService", "default", "no-hosts"}));
  // The controllers ran: the Deployment has its pod.
  EXPECT_EQ(pod_count(control_plane, "default"), 1u);
}

TEST(ControlPlane, DryRunStoresNothing) {
  ControlPlane control_plane;
  ApplyResult result = control_plane.apply(objects(kVirtualService), /*dry_run=*/true);
  EXPECT_TRUE(result.ok());
  EXPECT_EQ(result.stored, 1);
  EXPECT_FALSE(control_plane.store().get({"networking.istio.io", "VirtualService", "default", "a"}));
}

TEST(ControlPlane, TablesAreRepublishedOnChangeOnly) {
  ControlPlane control_plane;
  control_plane.apply(objects(gwsim::testing::echo_behind_gateway("*.example.com")));
  control_plane.install_default_gateway_if_missing();
  auto first = control_plane.table(kDefaultIngressGateway);
  ASSERT_TRUE(first.ok()) << first.error().to_string();
  EXPECT_EQ(control_plane.table(kDefaultIngressGateway).value(), first.value()) << "nothing changed: same table";

  std::vector<std::string> published;
  int id = control_plane.subscribe(
      [&](const std::string& gateway, const Result<TablePtr>& table) { published.push_back(gateway); });
  control_plane.apply(objects(kVirtualService));
  EXPECT_EQ(published, std::vector<std::string>{kDefaultIngressGateway});
  auto second = control_plane.table(kDefaultIngressGateway);
  ASSERT_TRUE(second.ok());
  EXPECT_NE(second.value(), first.value());
  auto vhosts = [](const TablePtr& table) {
    std::vector<std::string> names;
    for (const auto& [name, config] : table->route_configs)
      for (const auto& vhost : config.virtual_hosts) names.push_back(vhost.name);
    return names;
  };
  EXPECT_EQ(vhosts(first.value()), std::vector<std::string>{"blackhole:80"});
  EXPECT_EQ(vhosts(second.value()), std::vector<std::string>{"a.example.com:80"});

  control_plane.unsubscribe(id);
  ASSERT_TRUE(control_plane.remove({"networking.istio.io", "VirtualService", "default", "a"}).value());
  EXPECT_EQ(published.size(), 1u) << "unsubscribed";
}

TEST(ControlPlane, ReadinessSetByTheKubeletSurvivesControllerRuns) {
  ControlPlane control_plane;
  control_plane.apply(objects(gwsim::testing::echo_behind_gateway()));
  std::string pod;
  control_plane.read_snapshot([&](const model::ConfigSnapshot& snap) { pod = snap.pods.at(0).meta.name; });
  control_plane.set_pod_ready("default", pod, false);
  ASSERT_TRUE(control_plane.scale("default", "echo-v1", 2).value());
  control_plane.read_snapshot([&](const model::ConfigSnapshot& snap) {
    ASSERT_EQ(snap.pods.size(), 2u);
    for (const auto& p : snap.pods) EXPECT_EQ(p.ready, p.meta.name != pod) << p.meta.name;
  });
  EXPECT_FALSE(control_plane.scale("default", "missing", 1).ok());
}

TEST(ControlPlane, PodBehavioursAreKeptUntilReset) {
  ControlPlane control_plane;
  EXPECT_FALSE(control_plane.pod_behaviour("default", "p").has_value());
  fakes::PodBehaviour slow;
  slow.delay_ms = 250;
  control_plane.set_pod_behaviour("default", "p", slow);
  ASSERT_TRUE(control_plane.pod_behaviour("default", "p").has_value());
  EXPECT_EQ(control_plane.pod_behaviour("default", "p")->delay_ms, 250);
  control_plane.reset_pod_behaviour("default", "p");
  EXPECT_FALSE(control_plane.pod_behaviour("default", "p").has_value());
}

TEST(ControlPlane, DefaultGatewayInstalledOnlyWhenNoneExists) {
  ControlPlane control_plane;
  control_plane.install_default_gateway_if_missing();
  EXPECT_EQ(pod_count(control_plane, "istio-system"), 1u);
  control_plane.install_default_gateway_if_missing();
  EXPECT_EQ(pod_count(control_plane, "istio-system"), 1u);

  ControlPlane custom;
  custom.apply(objects(R"(
apiVersion: apps/v1
kind: Deployment
metadata: {name: my-gw}
spec:
  selector: {matchLabels: {istio: ingressgateway}}
  template:
    metadata: {labels: {istio: ingressgateway}}
    spec: {containers: [{name: istio-proxy, image: proxyv2}]}
)"));
  custom.install_default_gateway_if_missing();
  EXPECT_EQ(pod_count(custom, "istio-system"), 0u);
}

// Ingress and IngressClass objects are patched into the snapshot as they change (the ingress
// controller reads them from there), and leave it when deleted.
TEST(ControlPlane, IngressesFollowTheStore) {
  ControlPlane control_plane;
  ApplyResult result = control_plane.apply(objects(R"(
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: istio}
spec: {controller: istio.io/ingress-controller}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec:
  ingressClassName: istio
  rules: [{host: a.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: echo, port: {number: 80}}}}]}}]
)"));
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(result.rejected);
  auto counts = [&] {
    std::pair<std::size_t, std::size_t> n;
    control_plane.read_snapshot([&](const model::ConfigSnapshot& snap) {
      n = {snap.ingresses.size(), snap.ingress_classes.size()};
    });
    return n;
  };
  EXPECT_EQ(counts(), (std::pair<std::size_t, std::size_t>{1, 1}));
  ASSERT_TRUE(control_plane.remove({"networking.k8s.io", "Ingress", "default", "web"}).ok());
  ASSERT_TRUE(control_plane.remove({"networking.k8s.io", "IngressClass", "", "istio"}).ok());
  EXPECT_EQ(counts(), (std::pair<std::size_t, std::size_t>{0, 0}));
}

}  // namespace
}  // namespace gwsim::runtime
