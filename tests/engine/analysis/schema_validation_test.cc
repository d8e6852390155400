// Ports Istio's cases of pkg/config/analysis/analyzers/analyzers_test.go for schema.ValidationAnalyzer (its dupmatches case)
// (engine/analysis/schema_validation.cc): same input files (testdata/), same message types and origins.
#include <gtest/gtest.h>

#include "tests/engine/analysis/analysis_test_support.h"

namespace gwsim::analysis::testing {
namespace {

TEST(SchemaValidationTest, IstioDupMatchesCase) {
  expect_case({"dupmatches",
               {"virtualservice_dupmatches.yaml", "virtualservice_overlappingmatches.yaml"},
               "schema.ValidationAnalyzer",
               {{"VirtualServiceUnreachableRule", "VirtualService default/duplicate-match"},
                {"VirtualServiceUnreachableRule", "VirtualService foo/sample-foo-cluster01"},
                {"VirtualServiceIneffectiveMatch", "VirtualService default/almost-duplicate-match"},
                {"VirtualServiceIneffectiveMatch", "VirtualService default/duplicate-match"},
                {"VirtualServiceUnreachableRule", "VirtualService default/duplicate-tcp-match"},
                {"VirtualServiceUnreachableRule", "VirtualService default/duplicate-empty-tcp"},
                {"VirtualServiceIneffectiveMatch", "VirtualService default/almost-duplicate-tcp-match"},
                {"VirtualServiceIneffectiveMatch", "VirtualService default/duplicate-tcp-match"},
                {"VirtualServiceUnreachableRule", "VirtualService none/tls-routing"},
                {"VirtualServiceIneffectiveMatch", "VirtualService none/tls-routing-almostmatch"},
                {"VirtualServiceIneffectiveMatch", "VirtualService none/tls-routing"},
                {"VirtualServiceIneffectiveMatch", "VirtualService default/non-method-get"},
                {"VirtualServiceIneffectiveMatch", "VirtualService default/overlapping-in-single-match"},
                {"VirtualServiceIneffectiveMatch", "VirtualService default/overlapping-in-two-matches"},
                {"VirtualServiceIneffectiveMatch", "VirtualService default/overlapping-mathes-with-different-methods"}}});
}

TEST(SchemaValidationTest, WhatApplyWouldRefuseIsReportedNotFatal) {
  Context context = context_of_yaml(R"(
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: bad, namespace: default}
spec:
  hosts: ["*"]
  http: [{route: [{destination: {host: bad}}]}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: good, namespace: default}
spec:
  hosts: [good.example.com]
  http: [{route: [{destination: {host: good}}]}]
)", "vs.yaml");
  auto messages = run_analyzer(context, "schema.ValidationAnalyzer");
  ASSERT_FALSE(messages.empty());
  for (const auto& m : messages) {
    EXPECT_EQ(m.type->code, "IST0106") << m.to_string();
    EXPECT_EQ(m.origin, "VirtualService default/bad");
    EXPECT_TRUE(m.text.starts_with("Schema validation error: ")) << m.text;
    EXPECT_TRUE(m.reference.starts_with("vs.yaml:")) << m.reference;
  }
  // The refused object is still read, so other analyzers see it.
  bool seen = false;
  for (const auto& vs : context.snapshot().virtual_services) seen |= vs.meta.name == "bad";
  EXPECT_TRUE(seen);
}

}  // namespace
}  // namespace gwsim::analysis::testing
