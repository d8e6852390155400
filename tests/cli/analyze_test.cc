// `gwsim analyze` run as a user runs it: istioctl's text lines with file:line, JSON and YAML,
// the thresholds and exit codes, and the seed analyzed without an Error.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/cli/command.h"
#include "tests/support/manifests.h"
#include "tests/support/temp_dir.h"

namespace {

using gwsim::testing::Outcome;
using gwsim::testing::TempDir;

using gwsim::testing::gwsim;
// stdout only (the "No validation issues" line goes to stderr, as istioctl's does).
Outcome gwsim_stdout(const std::string& args) {
  return gwsim::testing::shell(std::string("'") + GWSIM_BINARY + "' " + args + " 2>/dev/null");
}

// A VirtualService naming a gateway that does not exist (Error) and a Service port whose name
// says no protocol (Info), beside the echo world.
const std::string kBroken = gwsim::testing::echo_behind_gateway() + R"(---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: shop}
spec:
  hosts: [echo.example.com]
  gateways:
  - nowhere
  http: [{route: [{destination: {host: echo}}]}]
---
apiVersion: v1
kind: Service
metadata: {name: unnamed}
spec: {selector: {app: echo}, ports: [{name: foo, port: 9000}]}
)";

int line_of(const std::string& text, const std::string& needle) {
  auto at = text.find(needle);
  return at == std::string::npos ? -1 : 1 + static_cast<int>(std::count(text.begin(), text.begin() + at, '\n'));
}

// The seed's mesh VirtualService routes to a Service with two ports (8081, 50051) without
// naming one: istioctl reports IST0112 for each such destination (DestinationHostAnalyzer,
// checkServiceEntryPorts), and nothing else of the seed is an error.
TEST(AnalyzeCli, SeedErrorsAreOnlyTheMissingDestinationPorts) {
  Outcome seed = gwsim(std::string("analyze ") + GWSIM_SOURCE_DIR "/scenarios/seed/manifests");
  EXPECT_EQ(seed.code, 1) << seed.output;
  int errors = 0;
  std::istringstream lines(seed.output);
  for (std::string line; std::getline(lines, line);) {
    if (!line.starts_with("Error [")) continue;
    ++errors;
    EXPECT_TRUE(line.starts_with("Error [IST0112] (VirtualService default/k8s-combat-service-vs ")) << line;
  }
  EXPECT_EQ(errors, 3) << seed.output;
  Outcome gateway_api = gwsim(std::string("analyze ") + GWSIM_SOURCE_DIR "/scenarios/gateway-api/manifests");
  EXPECT_EQ(gateway_api.code, 0) << gateway_api.output;
}

TEST(AnalyzeCli, TextLinesAsIstioctlPrintsThemWithFileAndLine) {
  TempDir dir;
  std::string file = dir.write("shop.yaml", kBroken);
  Outcome out = gwsim_stdout("analyze " + file);
  EXPECT_EQ(out.code, 1) << out.output;
  std::string expected = "Error [IST0101] (VirtualService default/shop " + file + ":" +
                         std::to_string(line_of(kBroken, "  - nowhere")) +
                         ") Referenced gateway not found: \"nowhere\"\n";
  EXPECT_EQ(out.output.rfind(expected, 0), 0u) << out.output;  // errors first
  EXPECT_NE(out.output.find("Info [IST0118] (Service default/unnamed " + file + ":"), std::string::npos) << out.output;
}

TEST(AnalyzeCli, JsonAndYaml) {
  TempDir dir;
  std::string file = dir.write("shop.yaml", kBroken);
  Outcome out = gwsim_stdout("analyze -o json " + file);
  EXPECT_EQ(out.code, 1);
  auto json = nlohmann::json::parse(out.output);
  ASSERT_TRUE(json.is_array());
  ASSERT_FALSE(json.empty());
  EXPECT_EQ(json[0]["code"], "IST0101");
  EXPECT_EQ(json[0]["level"], "Error");
  EXPECT_EQ(json[0]["origin"], "VirtualService default/shop");
  EXPECT_EQ(json[0]["message"], "Referenced gateway not found: \"nowhere\"");
  EXPECT_EQ(json[0]["reference"], file + ":" + std::to_string(line_of(kBroken, "  - nowhere")));
  EXPECT_EQ(json[0]["documentationUrl"], "https://istio.io/latest/docs/reference/config/analysis/ist0101/");

  Outcome yaml = gwsim_stdout("analyze -o yaml " + file);
  EXPECT_EQ(yaml.code, 1);
  EXPECT_NE(yaml.output.find("- code: IST0101"), std::string::npos) << yaml.output;
  EXPECT_NE(yaml.output.find("origin: VirtualService default/shop"), std::string::npos) << yaml.output;
}

TEST(AnalyzeCli, Thresholds) {
  TempDir dir;
  // Only an Info message (IST0118).
  std::string file = dir.write("svc.yaml", gwsim::testing::echo_behind_gateway() + R"(---
apiVersion: v1
kind: Service
metadata: {name: unnamed}
spec: {selector: {app: echo}, ports: [{name: foo, port: 9000}]}
)");
  Outcome below = gwsim("analyze " + file);
  EXPECT_EQ(below.code, 0) << below.output;
  EXPECT_NE(below.output.find("Info [IST0118]"), std::string::npos) << below.output;
  EXPECT_EQ(gwsim("analyze --failure-threshold Info " + file).code, 1);
  EXPECT_EQ(gwsim("analyze --failure-threshold Warning " + file).code, 0);
  Outcome hidden = gwsim("analyze --output-threshold Warning " + file);
  EXPECT_EQ(hidden.code, 0);
  EXPECT_EQ(hidden.output.find("IST0118"), std::string::npos) << hidden.output;
  EXPECT_NE(hidden.output.find("No validation issues found"), std::string::npos) << hidden.output;
  // Filtering what is printed does not change what fails.
  EXPECT_EQ(gwsim("analyze --output-threshold Error --failure-threshold Info " + file).code, 1);
}

TEST(AnalyzeCli, RefusedObjectsAreReportedNotFatal) {
  TempDir dir;
  std::string file = dir.write("bad.yaml", gwsim::testing::echo_behind_gateway() + R"(---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: everything}
spec:
  hosts: ["*"]
  http: [{route: [{destination: {host: echo}}]}]
)");
  EXPECT_EQ(gwsim("route " + file + " --host echo.example.com").code, 2);  // apply refuses it
  Outcome out = gwsim_stdout("analyze " + file);
  EXPECT_EQ(out.code, 1) << out.output;
  EXPECT_NE(out.output.find("Error [IST0106] (VirtualService default/everything " + file + ":"), std::string::npos)
      << out.output;
}

TEST(AnalyzeCli, BadInputExitsTwo) {
  Outcome missing = gwsim("analyze /no/such/dir");
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.output.find("/no/such/dir: error: no such file or directory"), std::string::npos) << missing.output;
  TempDir dir;
  std::string file = dir.write("ok.yaml", gwsim::testing::echo_behind_gateway());
  EXPECT_EQ(gwsim("analyze --failure-threshold Fatal " + file).code, 2);
  EXPECT_EQ(gwsim("analyze --meshConfigFile /no/such/mesh.yaml " + file).code, 2);
  std::string broken = dir.write("broken.yaml", "kind: [\n");
  EXPECT_EQ(gwsim("analyze " + broken).code, 2);
}

}  // namespace
