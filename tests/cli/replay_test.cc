// `gwsim replay LOG PATH...` on the seed: yesterday's access log through today's manifests.
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/cli/command.h"
#include "tests/support/temp_dir.h"

namespace {

using gwsim::testing::Outcome;
using gwsim::testing::TempDir;

using gwsim::testing::gwsim;

const std::string kReplaySeed = std::string(GWSIM_SOURCE_DIR) + "/scenarios/seed/manifests";
const std::string kClusterV1 = "outbound|8081|v1|k8s-combat-service-istio-mesh.default.svc.cluster.local";
const std::string kClusterV2 = "outbound|8081|v2|k8s-combat-service-istio-mesh.default.svc.cluster.local";

std::string logged(const std::string& path, const std::string& cluster) {
  return "[2026-12-01T10:00:00.000Z] \"GET " + path +
         " HTTP/1.1\" 200 - via_upstream - \"-\" 0 10 1 1 \"-\" \"curl/8.0\" \"id\" \"www.service1.io\" "
         "\"10.0.0.7:8081\" " +
         cluster + " 10.0.0.2:40000 10.0.0.2:8080 10.9.9.9:50000 - default\n";
}

TEST(CliReplay, ReportsTheRequestsThatWouldGoElsewhere) {
  TempDir dir;
  std::string log = dir.write("access.log", logged("/ping", kClusterV1) + logged("/ping", kClusterV2));
  Outcome r = gwsim("replay " + log + " " + kReplaySeed);
  EXPECT_EQ(r.code, 1) << r.output;
  EXPECT_NE(r.output.find("2 lines, 2 requests replayed"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("cluster: 1 differ"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("access.log:2 GET www.service1.io/ping: logged " + kClusterV2 + ", simulated " + kClusterV1),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("1 same, 1 differ"), std::string::npos) << r.output;
}

TEST(CliReplay, ExitsZeroWhenEveryRequestGoesWhereItWent) {
  TempDir dir;
  std::string log = dir.write("access.log", logged("/ping", kClusterV1) + logged("/ping?x=1", kClusterV1));
  Outcome r = gwsim("replay -o json " + log + " " + kReplaySeed);
  EXPECT_EQ(r.code, 0) << r.output;
  auto j = nlohmann::json::parse(r.output);
  EXPECT_EQ(j["replayed"], 2);
  EXPECT_EQ(j["differing"], 0);
  EXPECT_EQ(j["differences"]["cluster"]["count"], 0);
}

TEST(CliReplay, BadInputIsNamedAndExitsTwo) {
  TempDir dir;
  Outcome missing = gwsim("replay " + dir.path() + "/nothing.log " + kReplaySeed);
  EXPECT_EQ(missing.code, 2) << missing.output;
  EXPECT_NE(missing.output.find("nothing.log: error: cannot read the access log"), std::string::npos)
      << missing.output;

  std::string json_log = dir.write("json.log", "{\"method\":\"GET\",\"authority\":\"www.service1.io\"}\n");
  Outcome wrong_format = gwsim("replay " + json_log + " " + kReplaySeed);
  EXPECT_EQ(wrong_format.code, 2) << wrong_format.output;
  EXPECT_NE(wrong_format.output.find("json.log:1:1: expected [START_TIME]"), std::string::npos) << wrong_format.output;
  EXPECT_NE(wrong_format.output.find("use --log-format envoy-json"), std::string::npos) << wrong_format.output;
}

}  // namespace
