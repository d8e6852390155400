// The ingress gateway an Istio install creates, and whether a cluster already has one.
#include "runtime/ingress_install.h"

#include <gtest/gtest.h>

#include "fakes/controllers/controllers.h"

namespace gwsim::runtime {
namespace {

using model::Json;
using model::Object;

TEST(IngressInstall, DefaultIngressGatewayAsAnIstioInstallMakesIt) {
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

TEST(IngressInstall, AWorkloadLabelledIngressgatewayCounts) {
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

TEST(IngressInstall, APodLabelledIngressgatewayCountsAndOtherLabelsDoNot) {
  fakes::ApiStore store;
  Object pod;
  pod.doc = {{"apiVersion", "v1"},
             {"kind", "Pod"},
             {"metadata", {{"name", "p"}, {"namespace", "gw"}, {"labels", {{"istio", "egressgateway"}}}}}};
  store.apply(pod);
  EXPECT_FALSE(has_ingress_gateway(store));
  pod.doc["metadata"]["labels"]["istio"] = "ingressgateway";
  store.apply(pod);
  EXPECT_TRUE(has_ingress_gateway(store));
  EXPECT_STREQ(kDefaultIngressGateway, "istio-system/istio-ingressgateway");
}

}  // namespace
}  // namespace gwsim::runtime
