// `gwsim route` and `gwsim run` say what `gwsim analyze` finds in their manifests (issue #13
// item 1): istioctl's line on stderr (route) or beside the scenario's outcome (run), and in their
// JSON.
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/cli/command.h"
#include "tests/support/manifests.h"
#include "tests/support/temp_dir.h"

namespace {

using gwsim::testing::Outcome;
using gwsim::testing::TempDir;

using gwsim::testing::gwsim;

const std::string kWorld = gwsim::testing::echo_behind_gateway() + R"(---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs}
spec:
  hosts: [echo.example.com]
  gateways: [gw]
  http: [{route: [{destination: {host: echo}}]}]
)";

// Line 6: the gateway this VirtualService names does not exist.
const std::string kBrokenVirtualService = R"(apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: broken}
spec:
  hosts: [broken.example.com]
  gateways: [nope]
  http: [{route: [{destination: {host: echo}}]}]
)";

nlohmann::json json_of(const std::string& output) {
  auto at = output.find('{');
  return at == std::string::npos ? nlohmann::json() : nlohmann::json::parse(output.substr(at), nullptr, false);
}

TEST(ConfigWarnings, RoutePrintsTheAnalysisOnStderrAndInItsJson) {
  TempDir dir;
  dir.write("m/world.yaml", kWorld);
  dir.write("m/broken.yaml", kBrokenVirtualService);
  const std::string request = "route " + dir.path() + "/m --host echo.example.com";
  Outcome text = gwsim(request);
  EXPECT_EQ(text.code, 0) << text.output;
  EXPECT_NE(text.output.find("Error [IST0101] (VirtualService default/broken " + dir.path() +
                             "/m/broken.yaml:6) Referenced gateway not found: \"nope\""),
            std::string::npos)
      << text.output;

  Outcome json = gwsim(request + " -o json 2>/dev/null");
  ASSERT_EQ(json.code, 0) << json.output;
  nlohmann::json j = json_of(json.output);
  ASSERT_TRUE(j.is_object()) << json.output;
  nlohmann::json missing_gateway;
  for (const auto& w : j["warnings"])
    if (w["code"] == "IST0101") missing_gateway = w;
  ASSERT_TRUE(missing_gateway.is_object()) << j["warnings"].dump();
  EXPECT_EQ(missing_gateway["level"], "Error");
  EXPECT_EQ(missing_gateway["origin"], "VirtualService default/broken");
  EXPECT_EQ(missing_gateway["message"], "Referenced gateway not found: \"nope\"");
  EXPECT_EQ(missing_gateway["reference"], dir.path() + "/m/broken.yaml:6");
  EXPECT_EQ(j["status"], 200) << "the outcome is unchanged";

  TempDir clean;
  clean.write("m/world.yaml", kWorld);
  Outcome quiet = gwsim("route " + clean.path() + "/m --host echo.example.com -o json");
  ASSERT_EQ(quiet.code, 0) << quiet.output;
  EXPECT_EQ(json_of(quiet.output)["warnings"], nlohmann::json::array()) << quiet.output;
}

TEST(ConfigWarnings, RunPrintsTheAnalysisBesideTheScenarioAndInItsJson) {
  TempDir dir;
  dir.write("manifests/world.yaml", kWorld);
  dir.write("manifests/broken.yaml", kBrokenVirtualService);
  const std::string scenario = dir.write(
      "s.yaml",
      "apiVersion: gwsim.io/v1alpha1\nkind: Scenario\nmetadata: {name: cli-warned}\nspec:\n  manifests: [manifests/]\n"
      "  steps:\n    - name: echo\n      request: {host: echo.example.com}\n      expect: {status: 200}\n");
  Outcome text = gwsim("run " + scenario);
  EXPECT_EQ(text.code, 0) << text.output;
  EXPECT_NE(text.output.find("WARN cli-warned: Error [IST0101] (VirtualService default/broken " + dir.path() +
                             "/manifests/broken.yaml:6) Referenced gateway not found: \"nope\""),
            std::string::npos)
      << text.output;
  EXPECT_NE(text.output.find("PASS cli-warned/echo"), std::string::npos) << text.output;

  Outcome json = gwsim("run -o json " + scenario);
  EXPECT_EQ(json.code, 0) << json.output;
  EXPECT_NE(json.output.find("Referenced gateway not found: \\\"nope\\\""), std::string::npos) << json.output;
}

}  // namespace
