#include "engine/route/gateway_workload.h"

#include <gtest/gtest.h>

#include "engine/model/proxy_config.h"
#include "tests/engine/test_world.h"

namespace gwsim::route {
namespace {

using namespace gwsim::testing;

TEST(GatewayWorkloadTest, TheServiceGivesPodLabelsAndTargetPorts) {
  WorldBuilder w;
  auto proxy = gateway_workload(w.snap, "istio-system/istio-ingressgateway");
  ASSERT_TRUE(proxy.ok()) << proxy.error().to_string();
  EXPECT_EQ(proxy->namespace_, "istio-system");
  EXPECT_EQ(proxy->pod_name, "istio-ingressgateway-1");
  EXPECT_EQ(proxy->labels.at("istio"), "ingressgateway");
  EXPECT_EQ(proxy->service_ports.at(80), 8080u);
  EXPECT_EQ(proxy->translated_ports.at(443), 8443u);
  EXPECT_EQ(proxy->num_trusted_proxies, 0u);
}

TEST(GatewayWorkloadTest, NamedTargetPortsResolveOnThePod) {
  Pod pod;
  pod.ports = {ContainerPort{"http-envoy", 8081, "TCP"}};
  ServicePort named;
  named.port = 80;
  named.target_port_name = "http-envoy";
  EXPECT_EQ(resolve_target_port(named, &pod), 8081);
  named.target_port_name = "missing";
  EXPECT_EQ(resolve_target_port(named, &pod), 0);
  ServicePort unset;
  unset.port = 15021;
  EXPECT_EQ(resolve_target_port(unset, &pod), 15021);
}

TEST(GatewayWorkloadTest, PortTranslationCanBeDisabledPerService) {
  WorldBuilder w;
  Service extra;
  extra.meta = meta("istio-system", "no-translation", 0, {{"experimental.istio.io/disable-gateway-port-translation", "true"}});
  extra.selector = {{"istio", "ingressgateway"}};
  extra.ports = {WorldBuilder::port("alt", 8000, 9000)};
  w.snap.services.push_back(extra);
  auto proxy = gateway_workload(w.snap, "istio-system/istio-ingressgateway");
  ASSERT_TRUE(proxy.ok());
  EXPECT_EQ(proxy->translated_ports.count(8000), 0u);
}

TEST(GatewayWorkloadTest, ProxyConfigAnnotationSetsTrustedProxiesAndBadYamlIsIgnored) {
  WorldBuilder w;
  w.snap.pods.front().meta.annotations[model::kProxyConfigAnnotation] = "gatewayTopology:\n  numTrustedProxies: 3\n";
  auto proxy = gateway_workload(w.snap, "istio-system/istio-ingressgateway");
  ASSERT_TRUE(proxy.ok());
  EXPECT_EQ(proxy->num_trusted_proxies, 3u);

  w.snap.pods.front().meta.annotations[model::kProxyConfigAnnotation] = "gatewayTopology: [";
  auto fallback = gateway_workload(w.snap, "istio-system/istio-ingressgateway");
  ASSERT_TRUE(fallback.ok());
  EXPECT_EQ(fallback->num_trusted_proxies, 0u);
}

TEST(GatewayWorkloadTest, ServiceWithoutReadyPodsIsAnError) {
  WorldBuilder w;
  w.snap.pods.front().ready = false;
  auto proxy = gateway_workload(w.snap, "istio-system/istio-ingressgateway");
  ASSERT_FALSE(proxy.ok());
  EXPECT_NE(proxy.error().message.find("has no ready pods"), std::string::npos);
}

// The workload Istio's deployment controller creates for a Gateway API Gateway: Deployment and
// Service "<gateway>-istio", pods labelled gateway.networking.k8s.io/gateway-name, Service ports
// without targetPort (the pod listens on the listener port), written here by hand.
TEST(GatewayWorkloadTest, AGatewayApiDeploymentServiceIsAGatewayWorkload) {
  WorldBuilder w;
  w.add_service("istio-system", "gateway-istio", {{"gateway.networking.k8s.io/gateway-name", "gateway"}},
                {WorldBuilder::port("status-port", 15021), WorldBuilder::port("default", 80)},
                {{"gateway-istio-1", {{"gateway.networking.k8s.io/gateway-name", "gateway"}}}});
  auto proxy = gateway_workload(w.snap, "istio-system/gateway-istio");
  ASSERT_TRUE(proxy.ok()) << proxy.error().to_string();
  EXPECT_EQ(proxy->pod_name, "gateway-istio-1");
  EXPECT_EQ(proxy->service_ports.at(80), 80u);
  EXPECT_EQ(proxy->translated_ports.at(80), 80u);
  ASSERT_EQ(proxy->service_targets.size(), 1u);
  EXPECT_EQ(proxy->service_targets[0].hostname, "gateway-istio.istio-system.svc.cluster.local");
  EXPECT_EQ(proxy->service_targets[0].namespace_, "istio-system");
  EXPECT_EQ(proxy->service_targets[0].ports,
            (std::vector<std::pair<std::uint32_t, std::uint32_t>>{{15021, 15021}, {80, 80}}));
}

// proxy.ServiceTargets: every Service selecting the pod, those that opt out of port
// translation too (the opt-out is for selector-bound Gateways only).
TEST(GatewayWorkloadTest, ServiceTargetsListEverySelectingServiceOldestFirst) {
  WorldBuilder w;
  Service extra;
  extra.meta =
      meta("istio-system", "no-translation", 0, {{"experimental.istio.io/disable-gateway-port-translation", "true"}});
  extra.meta.creation_time = 5;
  extra.selector = {{"istio", "ingressgateway"}};
  extra.ports = {WorldBuilder::port("alt", 8000, 9000)};
  w.snap.services.push_back(extra);
  auto proxy = gateway_workload(w.snap, "istio-system/istio-ingressgateway");
  ASSERT_TRUE(proxy.ok());
  ASSERT_EQ(proxy->service_targets.size(), 2u);
  EXPECT_EQ(proxy->service_targets[0].hostname, "istio-ingressgateway.istio-system.svc.cluster.local");
  EXPECT_EQ(proxy->service_targets[1].hostname, "no-translation.istio-system.svc.cluster.local");
  EXPECT_EQ(proxy->service_targets[1].ports, (std::vector<std::pair<std::uint32_t, std::uint32_t>>{{8000, 9000}}));
  EXPECT_EQ(proxy->translated_ports.count(8000), 0u);
}

}  // namespace
}  // namespace gwsim::route
