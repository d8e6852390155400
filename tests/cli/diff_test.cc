// `gwsim diff`: the binary on the seed manifests and on a copy with the weights changed.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/cli/command.h"
#include "tests/support/temp_dir.h"

namespace {

namespace fs = std::filesystem;

using gwsim::testing::Outcome;
using gwsim::testing::TempDir;

using gwsim::testing::gwsim;
using gwsim::testing::read_file;

const std::string kSeed = GWSIM_SOURCE_DIR "/scenarios/seed/manifests";
constexpr const char* kV1 = "outbound|8081|v1|k8s-combat-service-istio-mesh.default.svc.cluster.local";
constexpr const char* kV2 = "outbound|8081|v2|k8s-combat-service-istio-mesh.default.svc.cluster.local";


// The seed's manifests with the gateway's default route split 80/20 between v1 and v2.
std::string seed_with_weights(const TempDir& dir) {
  for (const auto& entry : fs::directory_iterator(kSeed))
    dir.write("new/" + entry.path().filename().string(), read_file(entry.path()));
  const fs::path gateway = fs::path(dir.path()) / "new" / "istio-ingress-gateway.yaml";
  std::string text = read_file(gateway);
  const auto at = text.rfind("subset: v1");
  EXPECT_NE(at, std::string::npos);
  text = text.substr(0, at) +
         "subset: v1\n"
         "          weight: 80\n"
         "        - destination:\n"
         "            host: k8s-combat-service-istio-mesh\n"
         "            port:\n"
         "              number: 8081\n"
         "            subset: v2\n"
         "          weight: 20\n";
  std::ofstream(gateway) << text;
  return (fs::path(dir.path()) / "new").string();
}

TEST(Diff, TheSameManifestsChangeNothing) {
  Outcome r = gwsim("diff '" + kSeed + "' '" + kSeed + "' --fail-on-change");
  EXPECT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("configuration: unchanged"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("traffic: 0 of "), std::string::npos) << r.output;
}

TEST(Diff, NewWeightsOnTheSeedMoveTwentyPercent) {
  TempDir dir("gwsim-diff");
  const std::string changed = seed_with_weights(dir);
  Outcome r = gwsim("diff '" + kSeed + "' '" + changed + "'");
  EXPECT_EQ(r.code, 0) << "a change exits 1 only with --fail-on-change: " << r.output;
  // The route, with the VirtualService responsible and where it is written.
  EXPECT_NE(r.output.find(std::string("~ route http.8080/www.service1.io:80 #0 default: -> ") + kV1 + " => -> " + kV1 +
                          " 80%, " + kV2 + " 20%  (VirtualService default/k8s-combat-istio-http-vs " + changed +
                          "/istio-ingress-gateway.yaml:"),
            std::string::npos)
      << r.output;
  // The traffic: the route's probe moves a fifth of its traffic to v2.
  EXPECT_NE(r.output.find("  GET http://www.service1.io:80/  (match of http.8080/www.service1.io:80 #0)\n"
                          "    cluster: " +
                          std::string(kV1) + " -> " + kV1 + " 80%, " + kV2 + " 20%; 20% of its traffic moves\n"),
            std::string::npos)
      << r.output;
  EXPECT_EQ(gwsim("diff '" + kSeed + "' '" + changed + "' --fail-on-change").code, 1);
}

TEST(Diff, JsonNamesTheMovedShareAndEveryChange) {
  TempDir dir("gwsim-diff");
  const std::string changed = seed_with_weights(dir);
  Outcome r = gwsim("diff '" + kSeed + "' '" + changed + "' -o json 2>/dev/null");
  ASSERT_EQ(r.code, 0) << r.output;
  const auto j = nlohmann::json::parse(r.output);
  EXPECT_TRUE(j["changed"].get<bool>());
  bool route_changed = false;
  for (const auto& c : j["configuration"])
    if (c["object"] == "route" && c["change"] == "changed") {
      route_changed = true;
      EXPECT_EQ(c["origin"], "VirtualService default/k8s-combat-istio-http-vs");
      EXPECT_NE(c["source"].get<std::string>().find("istio-ingress-gateway.yaml:"), std::string::npos);
    }
  EXPECT_TRUE(route_changed) << r.output;
  ASSERT_FALSE(j["traffic"]["changes"].empty()) << r.output;
  const auto& first = j["traffic"]["changes"][0];
  EXPECT_EQ(first["request"]["host"], "www.service1.io");
  EXPECT_EQ(first["changed"], nlohmann::json::array({"cluster"}));
  EXPECT_NEAR(first["movedShare"].get<double>(), 0.2, 1e-9);
  EXPECT_EQ(first["after"]["clusters"][1]["name"], kV2);
}

TEST(Diff, RequestsFromAFileAreSentThroughBothVersions) {
  TempDir dir("gwsim-diff");
  const std::string changed = seed_with_weights(dir);
  const std::string requests = dir.write("requests.yaml",
                                         "requests:\n"
                                         "  - {host: www.service1.io, path: /ping, headers: {version: '100'}}\n"
                                         "  - {host: other.example.com, path: /}\n");
  Outcome r = gwsim("diff '" + kSeed + "' '" + changed + "' --requests '" + requests + "'");
  EXPECT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("  GET http://www.service1.io:80/ping [version: 100]  (" + requests + ":2:"),
            std::string::npos)
      << r.output;
  // A request no version routes does not change.
  EXPECT_EQ(r.output.find("other.example.com"), std::string::npos) << r.output;
}

TEST(Diff, BadInputExitsTwoWithWhere) {
  TempDir dir("gwsim-diff");
  EXPECT_EQ(gwsim("diff '" + kSeed + "' /no/such/dir").code, 2);
  const std::string requests = dir.write("requests.yaml", "requests:\n  - {host: a.example.com, pth: /}\n");
  Outcome r = gwsim("diff '" + kSeed + "' '" + kSeed + "' --requests '" + requests + "'");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.output.find(requests + ":2:"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("did you mean \"path\""), std::string::npos) << r.output;
  const std::string broken = dir.write("broken/vs.yaml", "apiVersion: v1\nkind: Service\nmetadata: [\n");
  EXPECT_EQ(gwsim("diff '" + kSeed + "' '" + broken + "'").code, 2);
}

}  // namespace
