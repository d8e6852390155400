// Ports Istio's cases of pkg/config/analysis/analyzers/analyzers_test.go for gateway.CertificateAnalyzer
// (engine/analysis/gateway_certificate.cc): same input files (testdata/), same message types and origins.
#include <gtest/gtest.h>

#include "tests/engine/analysis/analysis_test_support.h"

namespace gwsim::analysis::testing {
namespace {

TEST(GatewayCertificateTest, IstioCases) {
  expect_case({"certificate duplication in Gateway",
               {"gateway-duplicate-certificate.yaml"},
               "gateway.CertificateAnalyzer",
               {{"GatewayDuplicateCertificate", "Gateway istio-system/gateway-01-test-01"},
                {"GatewayDuplicateCertificate", "Gateway istio-system/gateway-02-test-01"},
                {"GatewayDuplicateCertificate", "Gateway istio-system/gateway-01-test-02"},
                {"GatewayDuplicateCertificate", "Gateway default/gateway-01-test-03"}}});
}

}  // namespace
}  // namespace gwsim::analysis::testing
