// Ports Istio's cases of pkg/config/analysis/analyzers/analyzers_test.go for gateway.IngressGatewayPortAnalyzer
// (engine/analysis/ingress_gateway_port.cc): same input files (testdata/), same message types and origins.
#include <gtest/gtest.h>

#include "tests/engine/analysis/analysis_test_support.h"

namespace gwsim::analysis::testing {
namespace {

TEST(IngressGatewayPortTest, IstioCases) {
  const std::string a = "gateway.IngressGatewayPortAnalyzer";
  for (const IstioCase& c : std::vector<IstioCase>{
           {"gatewayNoWorkload", {"gateway-no-workload.yaml"}, a,
            {{"ReferencedResourceNotFound", "Gateway default/httpbin-gateway"}}},
           {"gatewayBadPort", {"gateway-no-port.yaml"}, a,
            {{"GatewayPortNotDefinedOnService", "Gateway default/httpbin-gateway"}}},
           {"gatewayCorrectPort", {"gateway-correct-port.yaml"}, a, {}},
           {"gatewayCustomIngressGateway", {"gateway-custom-ingressgateway.yaml"}, a, {}},
           {"gatewayCustomIngressGatewayBadPort", {"gateway-custom-ingressgateway-badport.yaml"}, a,
            {{"GatewayPortNotDefinedOnService", "Gateway default/httpbin-gateway"}}},
           {"gatewayCustomIngressGatewayBadPortWithoutTarget", {"gateway-custom-ingressgateway-badport-notarget.yaml"}, a,
            {{"GatewayPortNotDefinedOnService", "Gateway default/httpbin-gateway"}}},
           {"gatewayCustomIngressGatewayTranslation", {"gateway-custom-ingressgateway-translation.yaml"}, a, {}},
           {"gatewayServiceMatchPod", {"gateway-custom-ingressgateway-svcselector.yaml"}, a,
            {{"GatewayPortNotDefinedOnService", "Gateway default/httpbin8002-gateway"}}},
       })
    expect_case(c);
}

TEST(IngressGatewayPortTest, MessageNamesThePortAndTheSelector) {
  Context context = context_of_files({"gateway-no-port.yaml"});
  auto messages = run_analyzer(context, "gateway.IngressGatewayPortAnalyzer");
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].text,
            "The gateway is listening on a target port (port 8004) that is not defined in the Service associated with "
            "its workload instances (Pod selector istio=ingressgateway). If you need to access the gateway port "
            "through the gateway Service, it will not be available.");
  EXPECT_TRUE(messages[0].reference.starts_with(testdata("gateway-no-port.yaml") + ":")) << messages[0].reference;
}

}  // namespace
}  // namespace gwsim::analysis::testing
