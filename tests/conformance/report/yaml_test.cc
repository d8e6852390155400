// conformance.yaml parses with yaml-cpp and has the shape of a Gateway API ConformanceReport.
#include <gtest/gtest.h>

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

TEST(ReportYaml, NoDateWithoutTimestamps) {
  TempDir dir;
  YAML::Node doc = YAML::Load(to_conformance_yaml(make_report(dir, false)));
  EXPECT_FALSE(doc["date"]);
}

}  // namespace
}  // namespace gwsim::conformance::report
