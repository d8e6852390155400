// `gwsim serve` (cli/serve.h) as a user runs it: start, read the state file, send the
// article's request, Ctrl-C.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "runtime/http_client.h"
#include "tests/cli/command.h"
#include "tests/support/temp_dir.h"

namespace {

using gwsim::testing::read_file;

using gwsim::testing::TempDir;


TEST(Serve, AnswersTheArticlesRequestAndStopsOnInterrupt) {
  TempDir dir("gwsim-serve");
  const std::string state = dir.path() + "/state.json";
  const std::string out = dir.path() + "/out.txt";
  const std::string manifests = std::string(GWSIM_SOURCE_DIR) + "/scenarios/seed/manifests";
  pid_t pid = gwsim::testing::start_gwsim({"serve", manifests, "--state", state}, out);
  ASSERT_GE(pid, 0);
  nlohmann::json j;
  for (int i = 0; i < 3000 && j.is_null(); ++i) {  // wait for the state file (bounded)
    if (std::filesystem::exists(state)) j = nlohmann::json::parse(read_file(state), nullptr, false);
    if (j.is_discarded()) j = nullptr;
    if (j.is_null()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_FALSE(j.is_null()) << read_file(out);
  std::string address;
  for (const auto& p : j["gateways"][0]["ports"])
    if (p["port"] == 80) address = p["address"];
  ASSERT_FALSE(address.empty());

  gwsim::runtime::ClientRequest r;
  r.address = address;
  r.host = "www.service1.io";
  r.path = "/ping";
  gwsim::runtime::ClientResponse got = gwsim::runtime::send_request(r);
  EXPECT_EQ(got.status, 200) << got.error;
  EXPECT_NE(got.body.find("Hostname=k8s-combat-service-v1-"), std::string::npos) << got.body;

  kill(pid, SIGINT);
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << read_file(out);
  const std::string printed = read_file(out);
  EXPECT_NE(printed.find("gateway istio-system/istio-ingressgateway http://" + address + " (port 80)"), std::string::npos)
      << printed;
  EXPECT_FALSE(std::filesystem::exists(state)) << "nothing runs any more";
}

TEST(Serve, RefusesNonLoopbackListenAddress) {
  const std::string command = std::string("'") + GWSIM_BINARY + "' serve '" + GWSIM_SOURCE_DIR +
                              "/scenarios/seed/manifests' --listen 0.0.0.0 >/dev/null 2>&1";
  int status = std::system(command.c_str());
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 2);
}

// issue #12 item 6: an EnvoyFilter on the gateway is named on the gateway's lines and beside every
// access log line, since it may change each of those answers.
TEST(Serve, NamesWhatItDoesNotSimulateBesideItsAnswers) {
  TempDir dir("gwsim-serve-unsimulated");
  const std::string state = dir.path() + "/state.json";
  const std::string out = dir.path() + "/out.txt";
  const std::string filter = dir.path() + "/envoyfilter.yaml";
  {
    std::ofstream f(filter);
    f << "apiVersion: networking.istio.io/v1alpha3\nkind: EnvoyFilter\nmetadata: {name: add-lua, namespace: "
         "istio-system}\nspec:\n  workloadSelector: {labels: {istio: ingressgateway}}\n  configPatches:\n  - "
         "applyTo: HTTP_FILTER\n    match: {context: GATEWAY}\n    patch: {operation: INSERT_BEFORE, value: {name: "
         "envoy.filters.http.lua}}\n";
  }
  const std::string manifests = std::string(GWSIM_SOURCE_DIR) + "/scenarios/seed/manifests";
  pid_t pid = gwsim::testing::start_gwsim({"serve", manifests, filter, "--access-log", "--state", state}, out);
  ASSERT_GE(pid, 0);
  nlohmann::json j;
  for (int i = 0; i < 3000 && j.is_null(); ++i) {  // wait for the state file (bounded)
    if (std::filesystem::exists(state)) j = nlohmann::json::parse(read_file(state), nullptr, false);
    if (j.is_discarded()) j = nullptr;
    if (j.is_null()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_FALSE(j.is_null()) << read_file(out);
  std::string address;
  for (const auto& p : j["gateways"][0]["ports"])
    if (p["port"] == 80) address = p["address"];
  gwsim::runtime::ClientRequest r;
  r.address = address;
  r.host = "www.service1.io";
  r.path = "/ping";
  EXPECT_EQ(gwsim::runtime::send_request(r).status, 200);
  kill(pid, SIGINT);
  int status = 0;
  waitpid(pid, &status, 0);
  const std::string printed = read_file(out);
  EXPECT_NE(printed.find("gateway istio-system/istio-ingressgateway: unsimulated: EnvoyFilter istio-system/add-lua "
                         "may change its answers"),
            std::string::npos)
      << printed;
  EXPECT_NE(printed.find("\"GET www.service1.io/ping\" 200"), std::string::npos) << printed;
  EXPECT_NE(printed.find("ms unsimulated: EnvoyFilter istio-system/add-lua\n"), std::string::npos) << printed;
}

}  // namespace
