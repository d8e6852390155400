// The gateway Services: the default install's ingress gateway, and which Services front one.
#include "runtime/gateway_services.h"

#include <gtest/gtest.h>

#include "engine/model/manifest.h"
#include "fakes/controllers/controllers.h"
#include "runtime/control_plane.h"
#include "tests/support/manifests.h"

namespace gwsim::runtime {
namespace {

using model::Json;
using model::Object;

TEST(GatewayServices, DefaultIngressGatewayAsAnIstioInstallMakesIt) {
  fakes::ApiStore store;
  fakes::ControllerSet controllers(store);
  EXPECT_FALSE(has_ingress_gateway(store));
  for (Object& o : default_ingress_gateway_objects()) ASSERT_TRUE(store.apply(std::move(o)).ok());
  EXPECT_TRUE(has_ingress_gateway(store));
  controllers.reconcile();

  EXPECT_TRUE(store.get({"", "Namespace", "", "istio-system"}));
  Json svc = store.get({"", "Service", "istio-system", "istio-ingressgateway"})->doc;
  EXPECT_EQ(svc["spec"]["type"], "LoadBalancer");
  auto gw_pods = store.list("", "Pod", "istio-system");
  ASSERT_EQ(gw_pods.size(), 1u);
  EXPECT_EQ(gw_pods[0].name().rfind("istio-ingressgateway-", 0), 0u);
  const Json& pod = gw_pods[0].doc;
  EXPECT_EQ(pod["metadata"]["labels"]["app"], "istio-ingressgateway");
  EXPECT_EQ(pod["metadata"]["labels"]["istio"], "ingressgateway");

  Json ep = store.get({"", "Endpoints", "istio-system", "istio-ingressgateway"})->doc;
  Json want_ports = Json::array({{{"name", "status-port"}, {"port", 15021}, {"protocol", "TCP"}},
                                 {{"name", "http2"}, {"port", 8080}, {"protocol", "TCP"}},
                                 {{"name", "https"}, {"port", 8443}, {"protocol", "TCP"}}});
  EXPECT_EQ(ep["subsets"][0]["ports"], want_ports);
  EXPECT_EQ(ep["subsets"][0]["addresses"][0]["ip"], pod["status"]["podIP"]);
}

TEST(GatewayServices, AWorkloadLabelledIngressgatewayCounts) {
  fakes::ApiStore custom;
  Object deployment;
  deployment.doc = {{"apiVersion", "apps/v1"},
                    {"kind", "Deployment"},
                    {"metadata", {{"name", "my-gw"}, {"namespace", "gw"}}},
                    {"spec",
                     {{"selector", {{"matchLabels", {{"istio", "ingressgateway"}}}}},
                      {"template",
                       {{"metadata", {{"labels", {{"istio", "ingressgateway"}}}}},
                        {"spec", {{"containers", Json::array({{{"name", "gw"}, {"image", "proxyv2"}}})}}}}}}}};
  custom.apply(deployment);
  EXPECT_TRUE(has_ingress_gateway(custom));
}

void apply_yaml(ControlPlane& control_plane, const std::string& yaml) {
  model::ManifestLoad load = model::load_manifest_text(yaml, "test.yaml");
  ASSERT_FALSE(load.has_errors());
  auto result = control_plane.apply(load.objects);
  for (const auto& r : result.rejected) ADD_FAILURE() << r;
}

TEST(GatewayServices, DefaultFirstThenServicesOfGatewayPodsSorted) {
  ControlPlane control_plane;
  apply_yaml(control_plane, gwsim::testing::echo_behind_gateway("*.example.com", 1) + R"(---
apiVersion: apps/v1
kind: Deployment
metadata: {name: b-gw, namespace: edge}
spec:
  selector: {matchLabels: {app: b-gw}}
  template:
    metadata: {labels: {app: b-gw, istio: ingressgateway}}
    spec: {containers: [{name: istio-proxy, image: proxyv2, ports: [{containerPort: 8080}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: b-gw, namespace: edge}
spec: {selector: {app: b-gw}, ports: [{name: http, port: 80, targetPort: 8080}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: a-gw, namespace: edge}
spec:
  selector: {matchLabels: {app: a-gw}}
  template:
    metadata: {labels: {app: a-gw, custom: gateway}}
    spec: {containers: [{name: istio-proxy, image: proxyv2, ports: [{containerPort: 8080}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: a-gw, namespace: edge}
spec: {selector: {app: a-gw}, ports: [{name: http, port: 80, targetPort: 8080}]}
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: custom, namespace: edge}
spec:
  selector: {custom: gateway}
  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}]
)");
  // Before the install: only the Services of gateway pods; echo is an ordinary Service.
  EXPECT_EQ(gateway_services(control_plane), (std::vector<std::string>{"edge/a-gw", "edge/b-gw"}));
  // b-gw counts as an ingress gateway, so nothing is installed by default; an explicit
  // install of the default one comes first.
  control_plane.install_default_gateway_if_missing();
  EXPECT_EQ(gateway_services(control_plane).size(), 2u);
  ASSERT_TRUE(control_plane.apply(default_ingress_gateway_objects()).ok());
  EXPECT_EQ(gateway_services(control_plane),
            (std::vector<std::string>{kDefaultIngressGateway, "edge/a-gw", "edge/b-gw"}));
}

}  // namespace
}  // namespace gwsim::runtime
