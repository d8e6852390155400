// Ports Istio's cases of pkg/config/analysis/analyzers/analyzers_test.go for destinationrule.CaCertificateAnalyzer
// (engine/analysis/destination_rule_ca_certificate.cc): same input files (testdata/), same message types and origins.
#include <gtest/gtest.h>

#include "tests/engine/analysis/analysis_test_support.h"

namespace gwsim::analysis::testing {
namespace {

TEST(DestinationRuleCaCertificateTest, IstioCases) {
  const std::string a = "destinationrule.CaCertificateAnalyzer";
  for (const IstioCase& c : std::vector<IstioCase>{
           {"simple at destinationlevel", {"destinationrule-simple-destination.yaml"}, a,
            {{"NoServerCertificateVerificationDestinationLevel", "DestinationRule default/db-tls"}}},
           {"mutual at destinationlevel", {"destinationrule-mutual-destination.yaml"}, a,
            {{"NoServerCertificateVerificationDestinationLevel", "DestinationRule default/db-mtls"}}},
           {"simple at portlevel", {"destinationrule-simple-port.yaml"}, a,
            {{"NoServerCertificateVerificationPortLevel", "DestinationRule default/db-tls"}}},
           {"credentialname, simple at destinationlevel, no workloadSelector",
            {"destinationrule-simple-destination-credentialname.yaml"}, a,
            {{"NoServerCertificateVerificationDestinationLevel", "DestinationRule default/db-tls"}}},
           {"credentialname, simple at destinationlevel, workloadSelector",
            {"destinationrule-simple-destination-credentialname-selector.yaml"}, a, {}},
           {"credentialname, simple at portlevel, no workloadSelector", {"destinationrule-simple-port-credentialname.yaml"},
            a, {{"NoServerCertificateVerificationPortLevel", "DestinationRule default/db-tls"}}},
           {"credentialname, simple at portlevel, workloadSelector",
            {"destinationrule-simple-port-credentialname-selector.yaml"}, a, {}},
           {"mutual at portlevel", {"destinationrule-mutual-port.yaml"}, a,
            {{"NoServerCertificateVerificationPortLevel", "DestinationRule default/db-mtls"}}},
           {"mutual at destinationlevel and simple at port level", {"destinationrule-compound-simple-mutual.yaml"}, a,
            {{"NoServerCertificateVerificationDestinationLevel", "DestinationRule default/db-mtls"},
             {"NoServerCertificateVerificationPortLevel", "DestinationRule default/db-mtls"}}},
           {"simple at destinationlevel and mutual at port level", {"destinationrule-compound-mutual-simple.yaml"}, a,
            {{"NoServerCertificateVerificationPortLevel", "DestinationRule default/db-mtls"},
             {"NoServerCertificateVerificationDestinationLevel", "DestinationRule default/db-mtls"}}},
           {"both cacerts", {"destinationrule-with-ca.yaml"}, a, {}},
       })
    expect_case(c);
}

}  // namespace
}  // namespace gwsim::analysis::testing
