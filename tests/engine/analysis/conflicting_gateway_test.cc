// Ports Istio's cases of pkg/config/analysis/analyzers/analyzers_test.go for gateway.ConflictingGatewayAnalyzer
// (engine/analysis/conflicting_gateway.cc): same input files (testdata/), same message types and origins.
#include <gtest/gtest.h>

#include "tests/engine/analysis/analysis_test_support.h"

namespace gwsim::analysis::testing {
namespace {

TEST(ConflictingGatewayTest, IstioCases) {
  const std::string a = "gateway.ConflictingGatewayAnalyzer";
  for (const IstioCase& c : std::vector<IstioCase>{
           {"conflicting gateways detect", {"conflicting-gateways.yaml"}, a,
            {{"ConflictingGateways", "Gateway default/alpha"}, {"ConflictingGateways", "Gateway default/beta"}}},
           {"gateways with different port are non-conflicting", {"gateway-different-port.yaml"}, a, {}},
           {"conflicting gateways with multiple port declarations", {"conflicting-gateways-multiple-ports.yaml"}, a,
            {{"ConflictingGateways", "Gateway default/alpha"}, {"ConflictingGateways", "Gateway default/beta"}}},
           {"conflicting gateways detect by sub selector", {"conflicting-gateways-subSelector.yaml"}, a,
            {{"ConflictingGateways", "Gateway default/alpha"}, {"ConflictingGateways", "Gateway default/beta"}}},
           {"conflicting gateways detect: no port", {"conflicting-gateways-invalid-port.yaml"}, a, {}},
       })
    expect_case(c);
}

}  // namespace
}  // namespace gwsim::analysis::testing
