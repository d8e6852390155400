// conformance.yaml parses with yaml-cpp and has the shape of a Gateway API ConformanceReport.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include <yaml-cpp/yaml.h>

#include "conformance/report/report.h"
#include "tests/conformance/report/report_fixture.h"

namespace gwsim::conformance::report {
namespace {

using testing::make_report;
using testing::TempDir;

std::vector<std::string> strings(const YAML::Node& node) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < node.size(); ++i) out.push_back(node[i].as<std::string>());
  return out;
}

TEST(ReportYaml, ConformanceReportShape) {
  TempDir dir;
  YAML::Node doc = YAML::Load(to_conformance_yaml(make_report(dir, true)));
  EXPECT_EQ(doc["apiVersion"].as<std::string>(), "gateway.networking.k8s.io/v1");
  EXPECT_EQ(doc["kind"].as<std::string>(), "ConformanceReport");
  EXPECT_EQ(doc["date"].as<std::string>(), "2025-01-02T03:04:05Z");
  EXPECT_EQ(doc["implementation"]["project"].as<std::string>(), "gwsim");
  EXPECT_EQ(doc["implementation"]["version"].as<std::string>(), "test");
  EXPECT_TRUE(doc["implementation"]["contact"].IsSequence());
  EXPECT_EQ(doc["mode"].as<std::string>(), "decision");
  EXPECT_EQ(doc["istioVersion"].as<std::string>(), kIstioBehaviourVersion);
  EXPECT_EQ(doc["istioRelease"].as<std::string>(), "1.30");
  ASSERT_TRUE(doc["profiles"].IsSequence());

  std::map<std::string, YAML::Node> profiles;
  for (std::size_t i = 0; i < doc["profiles"].size(); ++i) {
    const YAML::Node p = doc["profiles"][i];
    ASSERT_TRUE(p["name"]);
    ASSERT_TRUE(p["summary"]);
    for (const char* section : {"core", "extended"}) {
      if (!p[section]) continue;
      const YAML::Node s = p[section];
      EXPECT_TRUE(s["result"].IsScalar());
      for (const char* k : {"Failed", "Passed", "Skipped"}) EXPECT_GE(s["statistics"][k].as<int>(), 0) << k;
    }
    profiles[p["name"].as<std::string>()] = p;
  }
  ASSERT_EQ(profiles.count("ISTIO-GATEWAY-HTTP"), 1u);
  const YAML::Node http = profiles["ISTIO-GATEWAY-HTTP"];

  // Core: Subsets, MatchConditions and HostMatching scenarios and the feature-less bad input.
  const YAML::Node core = http["core"];
  EXPECT_EQ(core["result"].as<std::string>(), "failure");
  EXPECT_EQ(core["statistics"]["Passed"].as<int>(), 3);   // canary-split, api-route, known-but-passes
  EXPECT_EQ(core["statistics"]["Failed"].as<int>(), 2);   // wrong-status, bad-one
  EXPECT_EQ(core["statistics"]["Skipped"].as<int>(), 1);  // known-and-failing
  EXPECT_EQ(strings(core["failedTests"]), (std::vector<std::string>{"wrong-status", "bad-one"}));
  EXPECT_EQ(strings(core["skippedTests"]), std::vector<std::string>{"known-and-failing"});

  // The skipped Cors scenario is extended (a feature gwsim does not class as core).
  const YAML::Node extended = http["extended"];
  EXPECT_EQ(extended["result"].as<std::string>(), "skipped");
  EXPECT_EQ(strings(extended["unsupportedFeatures"]), std::vector<std::string>{"Cors"});
  EXPECT_EQ(doc["routeCoverage"]["percent"].as<double>(), 80.0);
}

ScenarioResult result(const std::string& name, std::vector<std::string> features, ScenarioStatus status) {
  ScenarioResult r;
  r.name = name;
  r.file = name + ".yaml";
  r.features = std::move(features);
  r.status = status;
  return r;
}

std::map<std::string, YAML::Node> profiles_by_name(const YAML::Node& doc) {
  std::map<std::string, YAML::Node> out;
  for (std::size_t i = 0; i < doc["profiles"].size(); ++i)
    out[doc["profiles"][i]["name"].as<std::string>()] = doc["profiles"][i];
  return out;
}

// Ported Gateway API tests are counted as the upstream suite counts them, in the GATEWAY-*
// profiles only, and line up with an upstream report (e.g. Istio 1.30's in gateway-api
// conformance/reports/v1.5/istio-istio).
TEST(ReportYaml, GatewayApiProfiles) {
  using S = ScenarioStatus;
  ReportMeta meta;
  meta.timestamps = false;
  Report report = build_report(
      meta, {result("HTTPRouteSimpleSameNamespace", {"Gateway", "HTTPRoute"}, S::kPassed),
             result("HTTPRouteExactPathMatching", {"Gateway", "HTTPRoute"}, S::kFailed),
             result("GatewaySecretReferenceGrantSpecific", {"Gateway", "ReferenceGrant"}, S::kPassed),
             result("HTTPRouteQueryParamMatching", {"Gateway", "HTTPRoute", "HTTPRouteQueryParamMatching"}, S::kPassed),
             result("HTTPRouteMethodMatching", {"Gateway", "HTTPRoute", "HTTPRouteMethodMatching"}, S::kKnownDeviation),
             result("HTTPRoute303Redirect", {"Gateway", "HTTPRoute", "HTTPRoute303RedirectStatusCode"}, S::kPassed),
             result("HTTPRouteDisallowedKind", {"Gateway", "HTTPRoute", "TLSRoute"}, S::kPassed),
             result("istio-scenario", {"HostMatching"}, S::kPassed)});
  YAML::Node doc = YAML::Load(to_conformance_yaml(report));
  EXPECT_EQ(doc["gatewayAPIVersion"].as<std::string>(), "v1.6.1");
  auto profiles = profiles_by_name(doc);
  ASSERT_EQ(profiles.count("GATEWAY-HTTP"), 1u);
  ASSERT_EQ(profiles.count("GATEWAY-GRPC"), 1u);
  ASSERT_EQ(profiles.count("GATEWAY-TLS"), 1u);
  ASSERT_EQ(profiles.count("ISTIO-GATEWAY-HTTP"), 1u);

  const YAML::Node http = profiles["GATEWAY-HTTP"];
  EXPECT_EQ(http["core"]["statistics"]["Passed"].as<int>(), 2);  // simple same namespace, secret grant
  EXPECT_EQ(http["core"]["statistics"]["Failed"].as<int>(), 1);
  EXPECT_EQ(strings(http["core"]["failedTests"]), std::vector<std::string>{"HTTPRouteExactPathMatching"});
  EXPECT_EQ(http["core"]["result"].as<std::string>(), "failure");
  EXPECT_EQ(http["extended"]["statistics"]["Passed"].as<int>(), 2);
  EXPECT_EQ(http["extended"]["statistics"]["Skipped"].as<int>(), 1);  // the known deviation
  EXPECT_EQ(strings(http["extended"]["skippedTests"]), std::vector<std::string>{"HTTPRouteMethodMatching"});
  EXPECT_EQ(http["extended"]["result"].as<std::string>(), "partial");
  std::vector<std::string> supported = strings(http["extended"]["supportedFeatures"]);
  EXPECT_EQ(supported, (std::vector<std::string>{"HTTPRoute303RedirectStatusCode", "HTTPRouteQueryParamMatching"}));
  std::vector<std::string> unsupported = strings(http["extended"]["unsupportedFeatures"]);
  EXPECT_EQ(unsupported.size(), 36u);  // every other extended feature of the profile, sorted
  EXPECT_TRUE(std::is_sorted(unsupported.begin(), unsupported.end()));
  EXPECT_NE(std::find(unsupported.begin(), unsupported.end(), "HTTPRouteMethodMatching"), unsupported.end());
  EXPECT_EQ(http["summary"].as<std::string>(),
            "Core tests failed with 1 test failures. Extended tests partially succeeded with 1 test skips.");

  // The Gateway-only test is core in the GRPC and TLS profiles too; they have no extended test.
  const YAML::Node grpc = profiles["GATEWAY-GRPC"];
  EXPECT_EQ(grpc["core"]["statistics"]["Passed"].as<int>(), 1);
  EXPECT_FALSE(grpc["extended"]);
  EXPECT_EQ(grpc["summary"].as<std::string>(), "Core tests succeeded.");

  // gwsim's own scenario stays in its profile; the test that fits no profile counts nowhere.
  EXPECT_EQ(profiles["ISTIO-GATEWAY-HTTP"]["core"]["statistics"]["Passed"].as<int>(), 1);
  EXPECT_EQ(strings(doc["succeededProvisionalTests"]), std::vector<std::string>{"HTTPRoute303Redirect"});
}

TEST(ReportYaml, NoGatewayApiFieldsWithoutGatewayApiTests) {
  TempDir dir;
  YAML::Node doc = YAML::Load(to_conformance_yaml(make_report(dir, true)));
  EXPECT_FALSE(doc["gatewayAPIVersion"]);
  EXPECT_FALSE(doc["succeededProvisionalTests"]);
  for (std::size_t i = 0; i < doc["profiles"].size(); ++i)
    EXPECT_EQ(doc["profiles"][i]["name"].as<std::string>().rfind("ISTIO-", 0), 0u);
}

TEST(ReportYaml, NoDateWithoutTimestamps) {
  TempDir dir;
  YAML::Node doc = YAML::Load(to_conformance_yaml(make_report(dir, false)));
  EXPECT_FALSE(doc["date"]);
}

}  // namespace
}  // namespace gwsim::conformance::report
