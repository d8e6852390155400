// Ports Istio's cases of pkg/config/analysis/analyzers/analyzers_test.go for service.PortNameAnalyzer
// (engine/analysis/service_port_name.cc): same input files (testdata/), same message types and origins.
#include <gtest/gtest.h>

#include "tests/engine/analysis/analysis_test_support.h"

namespace gwsim::analysis::testing {
namespace {

TEST(ServicePortNameTest, IstioCases) {
  const std::string a = "service.PortNameAnalyzer";
  for (const IstioCase& c : std::vector<IstioCase>{
           {"portNameNotFollowConvention", {"service-no-port-name.yaml"}, a,
            {{"PortNameIsNotUnderNamingConvention", "Service my-namespace1/my-service1"},
             {"PortNameIsNotUnderNamingConvention", "Service my-namespace1/my-service1"},
             {"PortNameIsNotUnderNamingConvention", "Service my-namespace2/my-service2"}}},
           {"namedPort", {"service-port-name.yaml"}, a, {}},
           {"unnamedPortInSystemNamespace", {"service-no-port-name-system-namespace.yaml"}, a, {}},
           {"ExternalNameServiceTypeInvalidPortName", {"incorrect-port-name-external-name-service-type.yaml"}, a,
            {{"ExternalNameServiceTypeInvalidPortName", "Service nginx-ns/nginx"},
             {"ExternalNameServiceTypeInvalidPortName", "Service nginx-ns2/nginx-svc2"},
             {"ExternalNameServiceTypeInvalidPortName", "Service nginx-ns3/nginx-svc3"}}},
           {"ExternalNameServiceTypeValidPortName", {"correct-port-name-external-name-service-type.yaml"}, a, {}},
       })
    expect_case(c);
}

}  // namespace
}  // namespace gwsim::analysis::testing
