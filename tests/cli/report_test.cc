// `gwsim report` and `gwsim run --report`: the binary itself on small scenario files.
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "tests/support/manifests.h"
#include "tests/cli/command.h"
#include "tests/support/temp_dir.h"

namespace {

namespace fs = std::filesystem;

using gwsim::testing::TempDir;

using gwsim::testing::Outcome;
using gwsim::testing::shell;

using gwsim::testing::gwsim;
using gwsim::testing::read_file;


// Two routes; the scenarios reach only the first: 50% route coverage.
const std::string kReportManifests = gwsim::testing::echo_behind_gateway() + R"(---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs}
spec:
  hosts: [echo.example.com]
  gateways: [gw]
  http:
    - name: reached
      match: [{uri: {prefix: /a}}]
      route: [{destination: {host: echo}}]
    - name: never-reached
      match: [{uri: {prefix: /b}}]
      route: [{destination: {host: echo}}]
)";

std::string report_scenario(const std::string& name, int status) {
  return "apiVersion: gwsim.io/v1alpha1\nkind: Scenario\nmetadata: {name: " + name +
         "}\nspec:\n  features: [MatchConditions]\n  manifests: [manifests/]\n  steps:\n    - name: a\n      request: "
         "{host: echo.example.com, path: /a}\n      expect: {status: " +
         std::to_string(status) + "}\n";
}

class ReportCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.write("s/manifests/world.yaml", kReportManifests);
    dir_.write("s/one.yaml", report_scenario("one", 200));
    dir_.write("s/two.yaml", report_scenario("two", 200));
  }
  std::string scenarios() const { return dir_.path() + "/s"; }
  std::string out(const std::string& name) const { return dir_.path() + "/" + name; }

  TempDir dir_{"gwsim-report-cli"};
};

TEST_F(ReportCli, WritesTheFiveFiles) {
  Outcome r = gwsim("report --out " + out("rep") + " " + scenarios());
  EXPECT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("2 passed, 0 failed"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("route coverage 50.0% (1 of 2 routes reached, 1 unreached)"), std::string::npos)
      << r.output;
  EXPECT_EQ(r.output.find("PASS one/a"), std::string::npos) << "quiet by default: " << r.output;
  for (const char* file : {"conformance.json", "conformance.xml", "conformance.md", "conformance.html",
                           "conformance.yaml"})
    EXPECT_TRUE(fs::exists(out("rep") + "/" + file)) << file;
  EXPECT_NE(read_file(out("rep") + "/conformance.md").find("never-reached"), std::string::npos);

  Outcome verbose = gwsim("report -v --out " + out("rep") + " " + scenarios());
  EXPECT_NE(verbose.output.find("PASS one/a"), std::string::npos) << verbose.output;
}

TEST_F(ReportCli, MinCoverageGatesTheExitCode) {
  Outcome below = gwsim("report --min-coverage 60 --out " + out("rep") + " " + scenarios());
  EXPECT_EQ(below.code, 1) << below.output;
  EXPECT_NE(below.output.find("route coverage is below --min-coverage 60.0%"), std::string::npos) << below.output;
  EXPECT_TRUE(fs::exists(out("rep") + "/conformance.html"));  // the report is written anyway

  EXPECT_EQ(gwsim("report --min-coverage 50 --out " + out("rep") + " " + scenarios()).code, 0);
  // `run` gates on it too, without writing a report.
  EXPECT_EQ(gwsim("run --quiet --min-coverage 60 " + scenarios()).code, 1);
  EXPECT_EQ(gwsim("report --min-coverage 101 " + scenarios()).code, 2);  // not a percentage
}

TEST_F(ReportCli, FailuresWinOverCoverage) {
  dir_.write("s/three.yaml", report_scenario("three", 503));
  Outcome r = gwsim("report --out " + out("rep") + " " + scenarios());
  EXPECT_EQ(r.code, 1) << r.output;
  EXPECT_NE(r.output.find("FAIL three/a"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("2 passed, 1 failed"), std::string::npos) << r.output;
}

TEST_F(ReportCli, RunWithReportAndSkip) {
  Outcome r = gwsim("run --report " + out("run-rep") + " --skip two " + scenarios());
  EXPECT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("PASS one/a"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("SKIP two"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("1 skipped (--skip)"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("1 passed, 0 failed"), std::string::npos) << r.output;
  EXPECT_NE(read_file(out("run-rep") + "/conformance.json").find("\"skipped\": 1"), std::string::npos);

  // Skipping by feature.
  Outcome by_feature = gwsim("run --skip MatchConditions " + scenarios());
  EXPECT_NE(by_feature.output.find("0 passed, 0 failed"), std::string::npos) << by_feature.output;
  // Plain `run` writes no report.
  Outcome plain = gwsim("run " + scenarios());
  EXPECT_EQ(plain.output.find("route coverage"), std::string::npos) << plain.output;
}

TEST_F(ReportCli, NoTimestampsIsByteStable) {
  ASSERT_EQ(gwsim("report --no-timestamps --out " + out("a") + " " + scenarios()).code, 0);
  ASSERT_EQ(gwsim("report --no-timestamps --out " + out("b") + " " + scenarios()).code, 0);
  for (const char* file : {"conformance.json", "conformance.xml", "conformance.md", "conformance.html",
                           "conformance.yaml"})
    EXPECT_EQ(read_file(out("a") + "/" + file), read_file(out("b") + "/" + file)) << file;
  EXPECT_NE(read_file(out("a") + "/conformance.json").find("\"date\": null"), std::string::npos);

  // SOURCE_DATE_EPOCH fixes the date of a timestamped report.
  ASSERT_EQ(shell("SOURCE_DATE_EPOCH=86400 '" + std::string(GWSIM_BINARY) + "' report --out " + out("c") + " " +
                  scenarios())
                .code,
            0);
  EXPECT_NE(read_file(out("c") + "/conformance.json").find("\"date\": \"1970-01-02T00:00:00Z\""), std::string::npos);
}

TEST_F(ReportCli, ProgressLineOnlyOnATerminal) {
  Outcome piped = gwsim("run " + scenarios());
  EXPECT_EQ(piped.output.find("\033[K"), std::string::npos) << "no progress line into a pipe";

  if (shell("command -v script").code != 0) GTEST_SKIP() << "script(1) not installed: no pseudo-terminal";
  // script(1) gives gwsim a pseudo-terminal: the progress line is drawn and erased on stderr.
  Outcome tty = shell("script -qec \"'" + std::string(GWSIM_BINARY) + "' run --quiet " + scenarios() +
                      "\" /dev/null");
  EXPECT_EQ(tty.code, 0) << tty.output;
  EXPECT_NE(tty.output.find("\r\033[K[1/2] "), std::string::npos) << tty.output;
  EXPECT_NE(tty.output.find("2 passed, 0 failed"), std::string::npos) << tty.output;
}

}  // namespace

namespace {

// `-o` is the output format in every command: `run -o json` prints the report conformance.json
// holds (and nothing else), `-o junit` conformance.xml's.
TEST_F(ReportCli, RunPrintsTheReportItselfWithOutputJsonOrJunit) {
  Outcome files = gwsim("run --no-timestamps --report " + out("rep") + " " + scenarios());
  ASSERT_EQ(files.code, 0) << files.output;
  Outcome json = gwsim("run --no-timestamps -o json " + scenarios());
  EXPECT_EQ(json.code, 0);
  EXPECT_EQ(json.output, read_file(out("rep") + "/conformance.json"));
  Outcome junit = gwsim("run --no-timestamps -o junit " + scenarios());
  EXPECT_EQ(junit.output, read_file(out("rep") + "/conformance.xml"));
  dir_.write("s/three.yaml", report_scenario("three", 503));
  EXPECT_EQ(gwsim("run -o json " + scenarios()).code, 1);
  EXPECT_EQ(gwsim("run -o yaml " + scenarios()).code, 2);
}

}  // namespace
