// Ports Istio's cases of pkg/config/analysis/analyzers/analyzers_test.go for gateway.SecretAnalyzer
// (engine/analysis/gateway_secret.cc): same input files (testdata/), same message types and origins.
#include <gtest/gtest.h>

#include "tests/engine/analysis/analysis_test_support.h"

namespace gwsim::analysis::testing {
namespace {

TEST(GatewaySecretTest, IstioCases) {
  expect_case({"gatewaySecret",
               {"gateway-secrets.yaml"},
               "gateway.SecretAnalyzer",
               {{"ReferencedResourceNotFound", "Gateway default/defaultgateway-bogusCredentialName"},
                {"ReferencedResourceNotFound", "Gateway default/customgateway-wrongnamespace"},
                {"ReferencedResourceNotFound", "Gateway default/bogusgateway"}}});
}

TEST(GatewaySecretTest, NamesTheMissingCredential) {
  Context context = context_of_files({"gateway-secrets.yaml"});
  bool found = false;
  for (const auto& m : run_analyzer(context, "gateway.SecretAnalyzer"))
    if (m.origin == "Gateway default/defaultgateway-bogusCredentialName") {
      EXPECT_EQ(m.text, "Referenced credentialName not found: \"httpbin-credential-bogus\"");
      found = true;
    }
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace gwsim::analysis::testing
