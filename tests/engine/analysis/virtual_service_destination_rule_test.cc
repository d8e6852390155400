// Ports Istio's cases of pkg/config/analysis/analyzers/analyzers_test.go for virtualservice.DestinationRuleAnalyzer
// (engine/analysis/virtual_service_destination_rule.cc): same input files (testdata/), same message types and origins.
#include <gtest/gtest.h>

#include "tests/engine/analysis/analysis_test_support.h"

namespace gwsim::analysis::testing {
namespace {

TEST(VirtualServiceDestinationRuleTest, IstioCases) {
  expect_case({"virtualServiceDestinationRules",
               {"virtualservice_destinationrules.yaml"},
               "virtualservice.DestinationRuleAnalyzer",
               {{"ReferencedResourceNotFound", "VirtualService default/reviews-bogussubset"},
                {"ReferencedResourceNotFound", "VirtualService default/reviews-mirror-bogussubset"}}});
}

}  // namespace
}  // namespace gwsim::analysis::testing
