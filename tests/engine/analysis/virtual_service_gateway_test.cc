// Ports Istio's cases of pkg/config/analysis/analyzers/analyzers_test.go for virtualservice.GatewayAnalyzer
// (engine/analysis/virtual_service_gateway.cc): same input files (testdata/), same message types and origins.
#include <gtest/gtest.h>

#include "tests/engine/analysis/analysis_test_support.h"

namespace gwsim::analysis::testing {
namespace {

TEST(VirtualServiceGatewayTest, IstioCases) {
  const std::string a = "virtualservice.GatewayAnalyzer";
  const Expected host_not_found = {
      {"VirtualServiceHostNotFoundInGateway", "VirtualService default/testing-service-02-test-01"},
      {"VirtualServiceHostNotFoundInGateway", "VirtualService default/testing-service-02-test-02"},
      {"VirtualServiceHostNotFoundInGateway", "VirtualService default/testing-service-02-test-03"},
      {"VirtualServiceHostNotFoundInGateway", "VirtualService default/testing-service-03-test-04"}};
  for (const IstioCase& c : std::vector<IstioCase>{
           {"virtualServiceGateways", {"virtualservice_gateways.yaml"}, a,
            {{"ReferencedResourceNotFound", "VirtualService default/httpbin-bogus"},
             {"VirtualServiceHostNotFoundInGateway", "VirtualService default/cross-test"},
             {"VirtualServiceHostNotFoundInGateway", "VirtualService default/httpbin-bogus"},
             {"VirtualServiceHostNotFoundInGateway", "VirtualService default/httpbin"}}},
           {"virtualServiceKubernetesGateways", {"virtualservice_kubernetes_gateways.yaml"}, a,
            {{"VirtualServiceHostNotFoundInGateway", "VirtualService default/my-vs-host-mismatch"}}},
           {"virtualServiceInternalGatewayRef", {"virtualservice_internal_gateway_ref.yaml"}, a,
            {{"ReferencedInternalGateway", "VirtualService default/httpbin"}}},
           {"host defined in virtualservice not found in the gateway", {"virtualservice_host_not_found_gateway.yaml"}, a,
            host_not_found},
           {"host defined in virtualservice not found in the gateway(beta version)",
            {"virtualservice_host_not_found_gateway_beta.yaml"}, a, host_not_found},
           {"host defined in virtualservice not found in the gateway with ns",
            {"virtualservice_host_not_found_gateway_with_ns_prefix.yaml"}, a,
            {{"VirtualServiceHostNotFoundInGateway", "VirtualService default/testing-service-01-test-01"}}},
           {"host defined in virtualservice not found in the gateway with ns(beta version)",
            {"virtualservice_host_not_found_gateway_with_ns_prefix_beta.yaml"}, a,
            {{"VirtualServiceHostNotFoundInGateway", "VirtualService default/testing-service-01-test-01"}}},
       })
    expect_case(c);
}

TEST(VirtualServiceGatewayTest, TextAndLineOfAMissingGateway) {
  Context context = context_of_yaml(R"(
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: shop, namespace: default}
spec:
  hosts: [shop.example.com]
  gateways:
  - mesh
  - nowhere
  http: [{route: [{destination: {host: shop}}]}]
)", "shop.yaml");
  auto messages = run_analyzer(context, "virtualservice.GatewayAnalyzer");
  ASSERT_EQ(messages.size(), 2u) << listing(messages);
  EXPECT_EQ(messages[0].to_string(),
            "Error [IST0101] (VirtualService default/shop shop.yaml:9) Referenced gateway not found: \"nowhere\"");
  EXPECT_EQ(messages[1].to_string(),
            "Warning [IST0132] (VirtualService default/shop shop.yaml:9) one or more host [shop.example.com] defined in "
            "VirtualService default/shop not found in Gateway default/nowhere.");
}

}  // namespace
}  // namespace gwsim::analysis::testing
