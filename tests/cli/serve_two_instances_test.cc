// Two `gwsim serve` on one machine (cli/serve.h): a second one on the first's --api port exits
// 2 with what to do, while the first keeps serving; a second one on a free API port runs
// beside the first, and each gateway answers from its own fake pods although both clusters
// give their pods the same 127.x addresses.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include <httplib.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "runtime/http_client.h"
#include "tests/cli/command.h"
#include "tests/support/temp_dir.h"

namespace {

using gwsim::testing::read_file;

using gwsim::testing::TempDir;


// One `gwsim serve` of the seed manifests, its output in `out`.
struct Serve {
  pid_t pid = -1;
  std::string out;
  std::string state;

  Serve(const TempDir& dir, const std::string& name, const std::string& api) {
    out = dir.path() + "/" + name + ".out";
    state = dir.path() + "/" + name + ".json";
    const std::string kubeconfig = dir.path() + "/" + name + ".kubeconfig";
    const std::string manifests = std::string(GWSIM_SOURCE_DIR) + "/scenarios/seed/manifests";
    pid = gwsim::testing::start_gwsim(
        {"serve", manifests, "--state", state, "--api", api, "--kubeconfig", kubeconfig}, out);
  }
  ~Serve() { stop(); }

  // The state file once written; null when the process ended or 30 s passed first.
  nlohmann::json wait_for_state() {
    for (int i = 0; i < 3000; ++i) {
      if (std::filesystem::exists(state)) {
        auto j = nlohmann::json::parse(read_file(state), nullptr, false);
        if (!j.is_discarded()) return j;
      }
      if (exited()) return nullptr;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return nullptr;
  }
  // The exit code once the process ended by itself within 30 s; -1 otherwise.
  int wait_for_exit() {
    for (int i = 0; i < 3000; ++i) {
      if (exited()) return exit_code;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return -1;
  }
  int stop() {
    if (pid > 0 && !exited()) {
      kill(pid, SIGINT);
      int status = 0;
      waitpid(pid, &status, 0);
      exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      pid = -1;
    }
    return exit_code;
  }
  int api_port() const {
    std::smatch m;
    const std::string text = read_file(out);
    if (!std::regex_search(text, m, std::regex("api http://127\\.0\\.0\\.1:([0-9]+) "))) return 0;
    return std::stoi(m[1]);
  }

 private:
  bool exited() {
    if (pid <= 0) return true;
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) != pid) return false;
    exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    pid = -1;
    return true;
  }
  int exit_code = -1;
};

std::string port80(const nlohmann::json& state) {
  for (const auto& p : state["gateways"][0]["ports"])
    if (p["port"] == 80) return p["address"];
  return "";
}

gwsim::runtime::ClientResponse ping(const std::string& address) {
  gwsim::runtime::ClientRequest r;
  r.address = address;
  r.host = "www.service1.io";
  r.path = "/ping";
  return gwsim::runtime::send_request(r);
}

TEST(ServeTwice, ASecondServeOnATakenApiPortExitsTwoAndTheFirstKeepsServing) {
  TempDir dir("gwsim-serve-twice");
  Serve first(dir, "first", "127.0.0.1:0");
  nlohmann::json state = first.wait_for_state();
  ASSERT_FALSE(state.is_null()) << read_file(first.out);
  const int port = first.api_port();
  ASSERT_GT(port, 0) << read_file(first.out);
  const std::string taken = "127.0.0.1:" + std::to_string(port);

  Serve second(dir, "second", taken);
  EXPECT_EQ(second.wait_for_exit(), 2) << read_file(second.out);
  EXPECT_EQ(read_file(second.out), "gwsim serve: --api " + taken + ": cannot start the API server: cannot listen on " +
                                  taken +
                                  ": the port is already in use by another process; use --api 127.0.0.1:0 for a "
                                  "free port (printed at start), or another port\n");

  // The first still has its API port to itself and its gateway answers.
  for (int i = 0; i < 10; ++i) {
    httplib::Client api("127.0.0.1", port);
    auto version = api.Get("/version");
    ASSERT_TRUE(version);
    EXPECT_EQ(version->status, 200);
  }
  EXPECT_EQ(ping(port80(state)).status, 200);
  EXPECT_EQ(first.stop(), 0) << read_file(first.out);
}

TEST(ServeTwice, TwoServesSideBySideEachAnswerFromTheirOwnPods) {
  TempDir dir("gwsim-serve-side-by-side");
  Serve first(dir, "first", "127.0.0.1:0");
  nlohmann::json first_state = first.wait_for_state();
  ASSERT_FALSE(first_state.is_null()) << read_file(first.out);
  Serve second(dir, "second", "127.0.0.1:0");
  nlohmann::json second_state = second.wait_for_state();
  ASSERT_FALSE(second_state.is_null()) << read_file(second.out);

  // The same pods with the same IPs, each port served at an address of its own.
  std::map<std::string, std::string> first_ips;
  std::set<std::string> first_addresses;
  for (const auto& pod : first_state["pods"]) {
    first_ips[pod["name"]] = pod["ip"];
    for (const auto& p : pod["ports"]) first_addresses.insert(p["address"].get<std::string>());
  }
  ASSERT_FALSE(first_ips.empty());
  for (const auto& pod : second_state["pods"]) {
    EXPECT_EQ(first_ips[pod["name"]], pod["ip"]) << "both clusters hand out the same pod IPs";
    for (const auto& p : pod["ports"]) {
      EXPECT_EQ(p["listening"], true);
      EXPECT_FALSE(first_addresses.count(p["address"].get<std::string>())) << "shared: " << p["address"];
    }
  }
  const std::string first_gateway = port80(first_state);
  const std::string second_gateway = port80(second_state);
  ASSERT_NE(first_gateway, second_gateway);
  EXPECT_EQ(ping(first_gateway).status, 200);
  EXPECT_EQ(ping(second_gateway).status, 200);

  // Each gateway routes to its own pods: with the first stopped, the second still answers.
  EXPECT_EQ(first.stop(), 0) << read_file(first.out);
  EXPECT_NE(ping(first_gateway).status, 200);
  EXPECT_EQ(ping(second_gateway).status, 200) << read_file(second.out);
  EXPECT_EQ(second.stop(), 0) << read_file(second.out);
}

}  // namespace
