// Ports Istio's cases of pkg/config/analysis/analyzers/analyzers_test.go for serviceentry.ProtocolAddressesAnalyzer
// (engine/analysis/service_entry_protocol_addresses.cc): same input files (testdata/), same message types and origins.
#include <gtest/gtest.h>

#include "tests/engine/analysis/analysis_test_support.h"

namespace gwsim::analysis::testing {
namespace {

TEST(ServiceEntryProtocolAddressesTest, IstioCases) {
  const std::string a = "serviceentry.Analyzer";
  for (const IstioCase& c : std::vector<IstioCase>{
           {"missing Addresses and Protocol in Service Entry", {"serviceentry-missing-addresses-protocol.yaml"}, a,
            {{"ServiceEntryAddressesRequired", "ServiceEntry default/service-entry-test-03"},
             {"ServiceEntryAddressesRequired", "ServiceEntry default/service-entry-test-04"},
             {"ServiceEntryAddressesRequired", "ServiceEntry default/service-entry-test-07"}}},
           {"with ISTIO_META_DNS_AUTO_ALLOCATE enabled", {"serviceentry-missing-addresses-protocol.yaml"}, a, {},
            "serviceentry-missing-addresses-protocol-mesh-cfg.yaml"},
           {"ServiceEntry Addresses Required Lowercase Protocol", {"serviceentry-address-required-lowercase.yaml"}, a,
            {{"ServiceEntryAddressesRequired", "ServiceEntry default/address-missing-lowercase"}}},
           {"ServiceEntry Addresses Required Uppercase Protocol", {"serviceentry-address-required-uppercase.yaml"}, a,
            {{"ServiceEntryAddressesRequired", "ServiceEntry default/address-missing-uppercase"}}},
           {"ServiceEntry Addresses Allocated", {"serviceentry-address-allocated.yaml"}, a, {},
            "serviceentry-address-allocated-mesh-cfg.yaml"},
       })
    expect_case(c);
}

}  // namespace
}  // namespace gwsim::analysis::testing
