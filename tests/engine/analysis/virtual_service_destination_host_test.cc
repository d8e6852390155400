// Ports Istio's cases of pkg/config/analysis/analyzers/analyzers_test.go for virtualservice.DestinationHostAnalyzer
// (engine/analysis/virtual_service_destination_host.cc): same input files (testdata/), same message types and origins.
#include <gtest/gtest.h>

#include "tests/engine/analysis/analysis_test_support.h"

namespace gwsim::analysis::testing {
namespace {

TEST(VirtualServiceDestinationHostTest, IstioCases) {
  const std::string a = "virtualservice.DestinationHostAnalyzer";
  for (const IstioCase& c : std::vector<IstioCase>{
           {"virtualServiceDestinationHosts", {"virtualservice_destinationhosts.yaml"}, a,
            {{"ReferencedResourceNotFound", "VirtualService default/reviews-bogushost"},
             {"ReferencedResourceNotFound", "VirtualService default/reviews-bogushost"},
             {"ReferencedResourceNotFound", "VirtualService default/reviews-bookinfo-other"},
             {"ReferencedResourceNotFound", "VirtualService default/reviews-mirror-bogushost"},
             {"ReferencedResourceNotFound", "VirtualService default/reviews-bogusport"},
             {"VirtualServiceDestinationPortSelectorRequired", "VirtualService default/reviews-2port-missing"},
             {"ReferencedResourceNotFound", "VirtualService istio-system/cross-namespace-details"},
             {"ReferencedResourceNotFound", "VirtualService hello/hello-export-to-bogus"}}},
           {"Route Rule no effect on Ingress", {"virtualservice_route_rule_no_effects_ingress.yaml"}, a,
            {{"IngressRouteRulesNotAffected", "VirtualService default/testing-service-01-test-01"}}},
       })
    expect_case(c);
}

}  // namespace
}  // namespace gwsim::analysis::testing
