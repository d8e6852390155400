// Ports Istio's cases of pkg/config/analysis/analyzers/analyzers_test.go for destinationrule.SubsetSelectPodAnalyzer
// (engine/analysis/destination_rule_subset.cc): same input files (testdata/), same message types and origins.
#include <gtest/gtest.h>

#include "tests/engine/analysis/analysis_test_support.h"

namespace gwsim::analysis::testing {
namespace {

TEST(DestinationRuleSubsetTest, IstioCases) {
  const std::string a = "destinationrule.SubsetSelectPodAnalyzer";
  for (const IstioCase& c : std::vector<IstioCase>{
           {"DestinationRuleWithFakeHost", {"destinationrule-with-fake-host.yaml"}, a,
            {{"UnknownDestinationRuleHost", "DestinationRule default/fake-host"}}},
           {"DestinationRuleSubsetsNotSelectPods", {"destinationrule-subsets-not-select-pods.yaml"}, a,
            {{"DestinationRuleSubsetNotSelectPods", "DestinationRule default/subsets-not-select-pods"}}},
           {"DestinationRuleEmptyTopologyLabels", {"destinationrule-empty-topology-labels.yaml"}, a,
            {{"DestinationRuleSubsetNotSelectPods", "DestinationRule default/empty-topology-labels"}}},
       })
    expect_case(c);
}

}  // namespace
}  // namespace gwsim::analysis::testing
