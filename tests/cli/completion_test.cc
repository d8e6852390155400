// The command line as people expect it (cli/completion.h, cli/main.cc): `gwsim --version`,
// `gwsim completion bash|zsh` (checked by running bash's completion function), a mistyped
// command named with the closest one, and curl-style headers.
#include <string>

#include <gtest/gtest.h>

#include "tests/cli/command.h"
#include "tests/support/manifests.h"
#include "tests/support/temp_dir.h"

namespace {

using gwsim::testing::Outcome;
using gwsim::testing::TempDir;

using gwsim::testing::gwsim;

TEST(CliVersion, VersionFlagPrintsWhatTheCommandDoes) {
  Outcome flag = gwsim("--version");
  Outcome command = gwsim("version");
  EXPECT_EQ(flag.code, 0) << flag.output;
  EXPECT_EQ(flag.output.rfind("gwsim ", 0), 0u) << flag.output;
  EXPECT_EQ(flag.output, command.output);
}

TEST(CliUnknownCommand, NamesTheClosestCommand) {
  Outcome r = gwsim("rout x.yaml --host a");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.output.find("gwsim: unknown command \"rout\"; did you mean \"route\"?"), std::string::npos) << r.output;
  Outcome far = gwsim("frobnicate");
  EXPECT_EQ(far.code, 2);
  EXPECT_NE(far.output.find("unknown command \"frobnicate\"\nRun 'gwsim --help'"), std::string::npos) << far.output;
}

// Runs bash's completion function for the words typed so far and returns what it offers.
std::string complete(const std::string& script, const std::string& words) {
  TempDir dir;
  std::string file = dir.write("gwsim.bash", script);
  std::string command = "bash -c 'source " + file + "; COMP_WORDS=(" + words +
                        "); COMP_CWORD=$((${#COMP_WORDS[@]}-1)); _gwsim; echo \"${COMPREPLY[*]}\"'";
  return gwsim::testing::shell(command).output;
}

TEST(CliCompletion, BashCompletesCommandsOptionsAndValues) {
  Outcome r = gwsim("completion bash");
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("complete -o filenames -F _gwsim gwsim"), std::string::npos);
  EXPECT_EQ(complete(r.output, "gwsim re"), "report replay\n");
  EXPECT_EQ(complete(r.output, "gwsim route x.yaml --ho"), "--host\n");
  EXPECT_EQ(complete(r.output, "gwsim route x.yaml --scheme ht"), "http https\n");
  EXPECT_EQ(complete(r.output, "gwsim run --mo"), "--mode\n");
}

TEST(CliCompletion, ZshLoadsTheSameThroughBashcompinit) {
  Outcome r = gwsim("completion zsh");
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_EQ(r.output.rfind("#compdef gwsim\n", 0), 0u);
  EXPECT_NE(r.output.find("bashcompinit"), std::string::npos);
  Outcome fish = gwsim("completion fish");
  EXPECT_EQ(fish.code, 2) << fish.output;
}

TEST(CliRoute, TakesCurlStyleHeaders) {
  TempDir dir;
  std::string manifests = dir.write("m.yaml", gwsim::testing::echo_behind_gateway() + R"(---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs}
spec:
  hosts: [echo.example.com]
  gateways: [gw]
  http:
    - match: [{headers: {x-pick: {exact: "me=1"}}}]
      route: [{destination: {host: echo}}]
)");
  Outcome curl_style = gwsim("route " + manifests + " --host echo.example.com -H 'x-pick: me=1'");
  EXPECT_EQ(curl_style.code, 0) << curl_style.output;
  EXPECT_NE(curl_style.output.find("outcome: Routed"), std::string::npos) << curl_style.output;
  Outcome key_value = gwsim("route " + manifests + " --host echo.example.com -H x-pick=me=1");
  EXPECT_NE(key_value.output.find("outcome: Routed"), std::string::npos) << key_value.output;
  Outcome bad = gwsim("route " + manifests + " --host echo.example.com -H ': x'");
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.output.find("expected \"Name: value\" or NAME=VALUE"), std::string::npos) << bad.output;
}

}  // namespace

namespace {

// A refused manifest points at the field itself, not the document's first line, and an unknown
// field names the closest one the object has.
TEST(CliManifestErrors, UnknownFieldAtItsLineWithDidYouMean) {
  TempDir dir;
  std::string file = dir.write("bad.yaml", R"(apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs}
spec:
  hosts: [a.example.com]
  http:
  - rout: [{destination: {host: echo}}]
)");
  Outcome r = gwsim("route " + file + " --host a.example.com");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.output.find(file + ":7:5: VirtualService vs: "), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("unknown field \"spec.http[0].rout\"; did you mean \"route\"?"), std::string::npos)
      << r.output;
}

}  // namespace
