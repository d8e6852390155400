// Runs the gwsim binary itself on small scenario and manifest files.
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "tests/support/manifests.h"
#include "tests/cli/command.h"
#include "tests/support/temp_dir.h"
#include <nlohmann/json.hpp>

namespace {

namespace fs = std::filesystem;

using gwsim::testing::TempDir;

using gwsim::testing::Outcome;

using gwsim::testing::gwsim;

const std::string kManifests = gwsim::testing::echo_behind_gateway() + R"(---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs}
spec:
  hosts: [echo.example.com]
  gateways: [gw]
  http:
    - name: by-header
      match: [{headers: {x-pick: {exact: "me"}}}]
      route: [{destination: {host: echo}}]
)";

std::string scenario(const std::string& name, int status) {
  return "apiVersion: gwsim.io/v1alpha1\nkind: Scenario\nmetadata: {name: " + name +
         "}\nspec:\n  manifests: [manifests/]\n  steps:\n    - name: pick\n      request: {host: echo.example.com, "
         "headers: {x-pick: me}}\n      expect: {status: " +
         std::to_string(status) + "}\n";
}

TEST(Cli, Version) {
  Outcome r = gwsim("version");
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.output.rfind("gwsim ", 0), 0u) << r.output;
}

TEST(Cli, UsageErrorsExitTwo) {
  EXPECT_EQ(gwsim("").code, 2);
  EXPECT_EQ(gwsim("frobnicate").code, 2);
  EXPECT_EQ(gwsim("run").code, 2);
  EXPECT_EQ(gwsim("--help").code, 0);
}

TEST(Cli, RunExitCodes) {
  TempDir dir;
  dir.write("manifests/world.yaml", kManifests);
  std::string pass = dir.write("pass.yaml", scenario("cli-pass", 200));
  std::string fail = dir.write("fail.yaml", scenario("cli-fail", 404));
  std::string bad = dir.write("bad.yaml", "apiVersion: gwsim.io/v1alpha1\nkind: Scenario\nmetadata: {name: cli-bad}\nspec:\n  stepz: []\n");

  Outcome ok = gwsim("run " + pass);
  EXPECT_EQ(ok.code, 0) << ok.output;
  EXPECT_NE(ok.output.find("PASS cli-pass/pick"), std::string::npos) << ok.output;
  EXPECT_NE(ok.output.find("1 passed, 0 failed"), std::string::npos) << ok.output;

  Outcome failed = gwsim("run --seed 3 " + pass + " " + fail);
  EXPECT_EQ(failed.code, 1) << failed.output;
  EXPECT_NE(failed.output.find("FAIL cli-fail/pick"), std::string::npos) << failed.output;
  EXPECT_NE(failed.output.find("status: expected 404, got 200"), std::string::npos) << failed.output;
  EXPECT_NE(failed.output.find("1 passed, 1 failed"), std::string::npos) << failed.output;

  Outcome bad_input = gwsim("run " + dir.path());
  EXPECT_EQ(bad_input.code, 2) << bad_input.output;
  EXPECT_NE(bad_input.output.find(bad + ":5:3: spec: unknown field \"stepz\"; did you mean \"steps\"?"),
            std::string::npos)
      << bad_input.output;
  EXPECT_NE(bad_input.output.find("1 passed, 2 failed"), std::string::npos) << bad_input.output;

  EXPECT_EQ(gwsim("run " + dir.path() + "/does-not-exist").code, 2);
}

TEST(Cli, RouteTextAndJson) {
  TempDir dir;
  std::string manifests = dir.write("m/world.yaml", kManifests);
  Outcome text = gwsim("route " + dir.path() + "/m --host echo.example.com --path /x --header x-pick=me");
  EXPECT_EQ(text.code, 0) << text.output;
  EXPECT_NE(text.output.find("listener: 0.0.0.0_8080"), std::string::npos) << text.output;
  EXPECT_NE(text.output.find("virtual host: echo.example.com:80"), std::string::npos) << text.output;
  EXPECT_NE(text.output.find("default/vs"), std::string::npos) << text.output;
  EXPECT_NE(text.output.find("outbound|80||echo.default.svc.cluster.local"), std::string::npos) << text.output;
  EXPECT_NE(text.output.find("echo-v1-"), std::string::npos) << text.output;

  Outcome json = gwsim("route " + manifests + " --host echo.example.com -o json");
  ASSERT_EQ(json.code, 0) << json.output;
  auto j = nlohmann::json::parse(json.output, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << json.output;
  EXPECT_EQ(j["status"], 404);  // no x-pick header: no route
  EXPECT_EQ(j["responseFlags"], "NR");

  Outcome missing = gwsim("route " + dir.path() + "/nope.yaml --host a");
  EXPECT_EQ(missing.code, 2);
  std::string broken = dir.write("broken.yaml", "kind: [\n");
  Outcome yaml_error = gwsim("route " + broken + " --host a");
  EXPECT_EQ(yaml_error.code, 2);
  EXPECT_NE(yaml_error.output.find(broken + ":"), std::string::npos) << yaml_error.output;
}

TEST(Cli, ListWritesOneTestPerScenario) {
  TempDir dir;
  dir.write("manifests/world.yaml", kManifests);
  dir.write("s/pass.yaml", scenario("cli-pass", 200));
  std::string broken = dir.write("s/broken.yaml", "kind: Scenario\nmetadata: [\n");
  std::string out = dir.path() + "/tests.cmake";
  Outcome r = gwsim("list --ctest-file " + out + " " + dir.path() + "/s");
  ASSERT_EQ(r.code, 0) << r.output;
  std::ifstream in(out);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("add_test([==[cli-pass]==]"), std::string::npos) << text;
  EXPECT_NE(text.find("add_test([==[" + broken + "]==]"), std::string::npos) << text;
  EXPECT_NE(text.find("PROPERTIES LABELS scenario"), std::string::npos) << text;
}

// issue #12 item 6: an EnvoyFilter selecting the gateway is named beside the outcome, in text and
// JSON; --strict makes it a failure.
const std::string kEnvoyFilter = R"(---
apiVersion: networking.istio.io/v1alpha3
kind: EnvoyFilter
metadata: {name: add-lua, namespace: istio-system}
spec:
  workloadSelector: {labels: {istio: ingressgateway}}
  configPatches:
    - applyTo: HTTP_FILTER
      patch: {operation: INSERT_BEFORE, value: {name: envoy.filters.http.lua}}
)";

// --explain says why a request missed: each route with its first failed condition, and the
// near miss; -o json carries the same as an `explanation` object.
TEST(Cli, RouteExplainNamesTheFailedConditionAndTheNearMiss) {
  TempDir dir;
  const std::string manifests = dir.write("m/world.yaml", kManifests);
  Outcome text = gwsim("route " + manifests + " --host echo.example.com --header x-pick=you --explain");
  EXPECT_EQ(text.code, 0) << text.output;
  EXPECT_NE(text.output.find("explanation:\n  why: NoRoute: none of the 1 routes of echo.example.com:80 matches; "
                             "nearest: route #0 by-header"),
            std::string::npos)
      << text.output;
  EXPECT_NE(text.output.find("header x-pick: expected exact \"me\", got \"you\""), std::string::npos) << text.output;

  Outcome json = gwsim("route " + manifests + " --host www.example.com --explain -o json");
  ASSERT_EQ(json.code, 0) << json.output;
  auto j = nlohmann::json::parse(json.output, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << json.output;
  EXPECT_EQ(j["explanation"]["stoppedAt"], "virtual host") << json.output;
  ASSERT_FALSE(j["explanation"]["nearMisses"].empty()) << json.output;

  Outcome plain = gwsim("route " + manifests + " --host www.example.com -o json");
  EXPECT_FALSE(nlohmann::json::parse(plain.output, nullptr, false).contains("explanation")) << plain.output;
}

TEST(Cli, RouteNamesUnsimulatedObjectsAndStrictFails) {
  TempDir dir;
  dir.write("m/world.yaml", kManifests);
  dir.write("m/filter.yaml", kEnvoyFilter);
  const std::string request = "route " + dir.path() + "/m --host echo.example.com --header x-pick=me";
  Outcome text = gwsim(request);
  EXPECT_EQ(text.code, 0) << text.output;
  EXPECT_NE(text.output.find("unsimulated: EnvoyFilter istio-system/add-lua may change this outcome"),
            std::string::npos)
      << text.output;

  Outcome json = gwsim(request + " -o json");
  ASSERT_EQ(json.code, 0) << json.output;
  auto j = nlohmann::json::parse(json.output.substr(json.output.find('{')), nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << json.output;
  EXPECT_EQ(j["unsimulated"],
            nlohmann::json::parse(R"([{"kind":"EnvoyFilter","namespace":"istio-system","name":"add-lua"}])"));

  Outcome strict = gwsim(request + " --strict");
  EXPECT_EQ(strict.code, 1) << strict.output;
  EXPECT_NE(strict.output.find("--strict"), std::string::npos) << strict.output;

  // Without it, nothing to name: an empty list, and --strict passes.
  TempDir clean;
  clean.write("m/world.yaml", kManifests);
  Outcome plain = gwsim("route " + clean.path() + "/m --host echo.example.com -o json --strict");
  ASSERT_EQ(plain.code, 0) << plain.output;
  auto p = nlohmann::json::parse(plain.output.substr(plain.output.find('{')), nullptr, false);
  EXPECT_EQ(p["unsimulated"], nlohmann::json::array());
}

TEST(Cli, RunMarksUnsimulatedStepsAndStrictFailsThem) {
  TempDir dir;
  dir.write("manifests/world.yaml", kManifests);
  dir.write("manifests/filter.yaml", kEnvoyFilter);
  std::string plain = dir.write("plain.yaml", scenario("cli-unsimulated", 200));
  std::string named = dir.write(
      "named.yaml",
      "apiVersion: gwsim.io/v1alpha1\nkind: Scenario\nmetadata: {name: cli-named}\nspec:\n  manifests: [manifests/]\n"
      "  steps:\n    - name: pick\n      request: {host: echo.example.com, headers: {x-pick: me}}\n"
      "      expect: {status: 200, unsimulated: [EnvoyFilter istio-system/add-lua]}\n");

  Outcome marked = gwsim("run " + plain);
  EXPECT_EQ(marked.code, 0) << marked.output;
  EXPECT_NE(marked.output.find("unsimulated: EnvoyFilter istio-system/add-lua may change this outcome"),
            std::string::npos)
      << marked.output;
  Outcome quiet = gwsim("run --quiet " + plain);
  EXPECT_NE(quiet.output.find("UNSIMULATED cli-unsimulated/pick: EnvoyFilter istio-system/add-lua"), std::string::npos)
      << quiet.output;

  Outcome strict = gwsim("run --strict " + plain);
  EXPECT_EQ(strict.code, 1) << strict.output;
  EXPECT_NE(strict.output.find("FAIL cli-unsimulated/pick"), std::string::npos) << strict.output;

  // A step that names them itself has acknowledged them: it passes under --strict too.
  Outcome acknowledged = gwsim("run --strict " + named);
  EXPECT_EQ(acknowledged.code, 0) << acknowledged.output;

  // Naming the wrong objects fails whatever the flag.
  std::string wrong = dir.write(
      "wrong.yaml",
      "apiVersion: gwsim.io/v1alpha1\nkind: Scenario\nmetadata: {name: cli-wrong}\nspec:\n  manifests: [manifests/]\n"
      "  steps:\n    - name: pick\n      request: {host: echo.example.com, headers: {x-pick: me}}\n"
      "      expect: {status: 200, unsimulated: []}\n");
  Outcome mismatch = gwsim("run " + wrong);
  EXPECT_EQ(mismatch.code, 1) << mismatch.output;
  EXPECT_NE(mismatch.output.find("unsimulated: expected [], got [EnvoyFilter istio-system/add-lua]"), std::string::npos)
      << mismatch.output;
}

}  // namespace
