// A bounded stress test of `gwsim serve` (issue #15 item 2), run as a user runs it: the binary
// with its API server on a free port. At once, for a fixed number of operations:
//   - 4 writers create, replace (PUT), patch (JSON merge patch), delete and recreate 4 x 25
//     VirtualServices, each writer owning its own objects (so each object's final state is known);
//   - 1 writer scales a Deployment through its scale subresource;
//   - 2 watchers watch VirtualServices (one from before the first write, one that lists and
//     watches midway, as kubectl and informers do);
//   - 2 clients send requests through the gateway to the VirtualServices' hosts.
// Each VirtualService answers with a direct response naming its generation ("w1-3 gen 5"). Then:
//   - every acknowledged write is visible exactly once: the list holds each live object once,
//     with its last acknowledged generation, and no deleted one;
//   - what the watchers saw agrees: per object, the last event matches the final state (DELETED
//     for a deleted one), resourceVersions only grow, and the first watcher saw every
//     acknowledged create;
//   - every gateway answer came from a consistent table: a 404 (no route for the host), or the
//     body of a generation that was written for that very host; and once the writes stop, the
//     gateway answers each host with its final state;
//   - the Deployment has the last acknowledged replica count, and that many pods.
// It also prints the RSS of serve before and after (reported, not asserted: docs/reliability.md).
// Label `stress`; well under a minute on 2 busy cores.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <httplib.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "runtime/http_client.h"
#include "tests/cli/command.h"
#include "tests/support/temp_dir.h"

namespace {

using Json = nlohmann::json;
using namespace std::chrono_literals;
using gwsim::testing::TempDir;

constexpr int kWriters = 4;
constexpr int kObjectsPerWriter = 25;
constexpr int kScales = 20;
constexpr const char* kVsPath = "/apis/networking.istio.io/v1/namespaces/default/virtualservices";
constexpr const char* kScalePath = "/apis/apps/v1/namespaces/default/deployments/web/scale";
constexpr const char* kSentinel = "zz-sentinel";

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

long rss_kb(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return -1;
}

std::string body_of(const std::string& name, int generation) {
  return name + " gen " + std::to_string(generation);
}

Json virtual_service(const std::string& name, int generation) {
  Json route;
  route["directResponse"]["status"] = 200;
  route["directResponse"]["body"]["string"] = body_of(name, generation);
  Json object;
  object["apiVersion"] = "networking.istio.io/v1";
  object["kind"] = "VirtualService";
  object["metadata"]["name"] = name;
  object["spec"]["hosts"] = Json::array({name + ".example.com"});
  object["spec"]["gateways"] = Json::array({"gw"});
  object["spec"]["http"] = Json::array({route});
  return object;
}

// The generation an object's body names ("w1-3 gen 5" -> 5), or -1.
int generation_of(const Json& object) {
  try {
    const std::string body = object.at("spec").at("http").at(0).at("directResponse").at("body").at("string");
    return std::stoi(body.substr(body.rfind(' ') + 1));
  } catch (...) {
    return -1;
  }
}

const char* kManifests = R"(apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: gw
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ["*"]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: web:1
        ports:
        - containerPort: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - {name: http, port: 80, targetPort: 8080}
)";

// What the writers sent and what was acknowledged, per object.
struct Ledger {
  std::mutex mu;
  std::map<std::string, std::set<int>> sent;  // every generation ever sent for the object
  std::map<std::string, int> final_generation;  // last acknowledged; absent when deleted
  std::set<std::string> created;                // acknowledged creates
  std::vector<std::string> failures;            // writes that were not acknowledged
};

struct WatchLog {
  std::vector<Json> events;  // type, object
  std::string error;
};

// Watches VirtualServices from `resource_version` until it has seen the sentinel's ADDED event.
void watch_until_sentinel(int port, const std::string& resource_version, WatchLog& log, std::atomic<bool>& give_up) {
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(30, 0);
  std::string pending;
  bool seen_sentinel = false;
  auto result = client.Get(
      std::string(kVsPath) + "?watch=true&resourceVersion=" + resource_version, httplib::Headers{},
      [&](const char* data, std::size_t n) {
        pending.append(data, n);
        for (auto eol = pending.find('\n'); eol != std::string::npos; eol = pending.find('\n')) {
          const std::string line = pending.substr(0, eol);
          pending.erase(0, eol + 1);
          if (line.empty()) continue;  // heartbeat
          Json event = Json::parse(line, nullptr, false);
          if (event.is_discarded()) {
            log.error = "unparseable event: " + line.substr(0, 200);
            return false;
          }
          if (event.value("type", "") == "ADDED" && event["object"]["metadata"]["name"] == kSentinel) seen_sentinel = true;
          log.events.push_back(std::move(event));
        }
        return !seen_sentinel && !give_up.load();
      });
  if (!seen_sentinel && log.error.empty()) log.error = "the watch ended before the sentinel: " + httplib::to_string(result.error());
}

TEST(ServeStress, WritesWatchesAndTrafficAgree) {
  TempDir dir("gwsim-stress");
  const std::string manifests = dir.path() + "/manifests.yaml";
  std::ofstream(manifests) << kManifests;
  const std::string state = dir.path() + "/state.json";
  const std::string out = dir.path() + "/out.txt";
  const std::string kubeconfig = dir.path() + "/kubeconfig";
  pid_t pid = gwsim::testing::start_gwsim(
      {"serve", manifests, "--state", state, "--api", "127.0.0.1:0", "--kubeconfig", kubeconfig}, out);
  ASSERT_GE(pid, 0);
  struct Stop {
    pid_t pid;
    ~Stop() {
      if (pid > 0) {
        kill(pid, SIGKILL);
        waitpid(pid, nullptr, 0);
      }
    }
  } stop_on_failure{pid};

  // Wait (bounded) for the API server's line and the state file.
  int api_port = 0;
  Json j;
  const std::regex api_line(R"(api http://127\.0\.0\.1:(\d+))");
  for (int i = 0; i < 3000 && (api_port == 0 || j.is_null()); ++i) {
    std::smatch m;
    const std::string printed = read(out);
    if (std::regex_search(printed, m, api_line)) api_port = std::stoi(m[1]);
    if (std::filesystem::exists(state)) j = Json::parse(read(state), nullptr, false);
    if (j.is_discarded()) j = nullptr;
    if (api_port == 0 || j.is_null()) std::this_thread::sleep_for(10ms);
  }
  ASSERT_GT(api_port, 0) << read(out);
  ASSERT_FALSE(j.is_null()) << read(out);
  std::string gateway;
  for (const auto& p : j["gateways"][0]["ports"])
    if (p["port"] == 80) gateway = p["address"];
  ASSERT_FALSE(gateway.empty()) << j.dump();

  httplib::Client api("127.0.0.1", api_port);
  api.set_read_timeout(30, 0);
  auto list_vs = [&] {
    auto r = api.Get(kVsPath);
    return r && r->status == 200 ? Json::parse(r->body) : Json();
  };
  const Json initial = list_vs();
  ASSERT_TRUE(initial.is_object());
  const long rss_before = rss_kb(pid);

  Ledger ledger;
  std::atomic<bool> writers_done{false};
  std::atomic<bool> give_up{false};

  // ---- watchers ----
  WatchLog first_watch, midway_watch;
  Json midway_list;
  std::thread first_watcher(
      [&] { watch_until_sentinel(api_port, initial["metadata"]["resourceVersion"], first_watch, give_up); });
  std::atomic<int> writes_done{0};
  std::thread midway_watcher([&] {
    while (writes_done.load() < kWriters * kObjectsPerWriter && !writers_done.load()) std::this_thread::sleep_for(5ms);
    httplib::Client client("127.0.0.1", api_port);
    auto r = client.Get(kVsPath);
    if (!r || r->status != 200) {
      midway_watch.error = "midway list failed";
      return;
    }
    midway_list = Json::parse(r->body);
    watch_until_sentinel(api_port, midway_list["metadata"]["resourceVersion"], midway_watch, give_up);
  });

  // ---- gateway traffic ----
  std::atomic<int> requests{0};
  std::mutex inconsistent_mu;
  std::vector<std::string> inconsistent;
  auto client_loop = [&](unsigned seed) {
    std::mt19937 random(seed);
    std::map<std::string, int> seen;  // per host, the newest generation this client got
    while (!writers_done.load()) {
      const std::string name = "w" + std::to_string(random() % kWriters) + "-" + std::to_string(random() % kObjectsPerWriter);
      gwsim::runtime::ClientRequest request;
      request.address = gateway;
      request.host = name + ".example.com";
      request.timeout = 10s;
      const auto got = gwsim::runtime::send_request(request);
      ++requests;
      std::string problem;
      if (got.kind != gwsim::runtime::ClientResponse::Kind::kResponse) {
        problem = "no answer: " + got.error;
      } else if (got.status == 200) {
        const auto space = got.body.rfind(' ');
        const bool own_host = got.body.rfind(name + " gen ", 0) == 0;
        int generation = own_host ? std::stoi(got.body.substr(space + 1)) : -1;
        std::lock_guard lock(ledger.mu);
        if (!own_host || !ledger.sent[name].count(generation)) problem = "200 with body \"" + got.body + "\"";
        // Tables are published in order: after generation G, an older one would be a stale table.
        else if (generation < seen[name]) problem = "generation " + std::to_string(generation) + " after " + std::to_string(seen[name]);
        else seen[name] = generation;
      } else if (got.status != 404) {
        problem = "status " + std::to_string(got.status);
      }
      if (!problem.empty()) {
        std::lock_guard lock(inconsistent_mu);
        inconsistent.push_back(name + ": " + problem);
      }
    }
  };
  std::thread client_a(client_loop, 1), client_b(client_loop, 2);

  // ---- writers ----
  auto writer = [&](int w) {
    httplib::Client client("127.0.0.1", api_port);
    client.set_read_timeout(30, 0);
    std::map<std::string, std::string> versions;  // the resourceVersion of the last acknowledged write
    std::map<std::string, int> generation;
    auto acknowledged = [&](const std::string& what, const httplib::Result& r, int want) {
      if (r && r->status == want) return true;
      std::lock_guard lock(ledger.mu);
      ledger.failures.push_back(what + ": " + (r ? std::to_string(r->status) + " " + r->body.substr(0, 300)
                                                  : httplib::to_string(r.error())));
      return false;
    };
    auto send = [&](const std::string& name, int g) {
      std::lock_guard lock(ledger.mu);
      ledger.sent[name].insert(g);
    };
    auto ack = [&](const std::string& name, int g, const httplib::Result& r) {
      versions[name] = Json::parse(r->body)["metadata"]["resourceVersion"];
      std::lock_guard lock(ledger.mu);
      ledger.final_generation[name] = g;
    };
    // Phase by phase over the writer's objects, so that the writers' operations interleave.
    for (int phase = 0; phase < 5; ++phase) {
      for (int k = 0; k < kObjectsPerWriter; ++k) {
        const std::string name = "w" + std::to_string(w) + "-" + std::to_string(k);
        const std::string path = std::string(kVsPath) + "/" + name;
        if (phase == 0 || (phase == 4 && k % 6 == 0)) {  // create; recreate some deleted ones
          const int g = ++generation[name];
          send(name, g);
          auto r = client.Post(kVsPath, virtual_service(name, g).dump(), "application/json");
          if (acknowledged("create " + name, r, 201)) {
            ack(name, g, r);
            std::lock_guard lock(ledger.mu);
            ledger.created.insert(name);
          }
          ++writes_done;
        } else if (phase == 1) {  // replace, conditional on the last version
          const int g = ++generation[name];
          send(name, g);
          Json object = virtual_service(name, g);
          object["metadata"]["resourceVersion"] = versions[name];
          auto r = client.Put(path, object.dump(), "application/json");
          if (acknowledged("replace " + name, r, 200)) ack(name, g, r);
        } else if (phase == 2) {  // JSON merge patch
          const int g = ++generation[name];
          send(name, g);
          Json patch = {{"spec", {{"http", virtual_service(name, g)["spec"]["http"]}}}};
          auto r = client.Patch(path, patch.dump(), "application/merge-patch+json");
          if (acknowledged("patch " + name, r, 200)) ack(name, g, r);
        } else if (phase == 3 && k % 3 == 0) {  // delete a third
          auto r = client.Delete(path);
          if (acknowledged("delete " + name, r, 200)) {
            std::lock_guard lock(ledger.mu);
            ledger.final_generation.erase(name);
          }
        }
      }
    }
  };
  int last_replicas = 1;
  std::string scale_failure;
  std::thread scaler([&] {
    httplib::Client client("127.0.0.1", api_port);
    client.set_read_timeout(30, 0);
    for (int i = 0; i < kScales; ++i) {
      const int replicas = 1 + (i * 7) % 3;
      auto r = client.Patch(kScalePath, Json{{"spec", {{"replicas", replicas}}}}.dump(), "application/merge-patch+json");
      if (r && r->status == 200) {
        last_replicas = replicas;
      } else {
        scale_failure = r ? std::to_string(r->status) + " " + r->body : httplib::to_string(r.error());
        return;
      }
    }
  });
  const auto started = std::chrono::steady_clock::now();
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) writers.emplace_back(writer, w);
  for (auto& t : writers) t.join();
  scaler.join();
  const auto writes_took = std::chrono::steady_clock::now() - started;
  writers_done = true;
  client_a.join();
  client_b.join();

  // The sentinel: once a watcher has its ADDED event, it has seen every earlier write. A watch
  // that never delivers it gives up after 20 s (it checks at each event or heartbeat).
  std::atomic<bool> watchers_finished{false};
  std::thread timer([&] {
    for (int i = 0; i < 200 && !watchers_finished.load(); ++i) std::this_thread::sleep_for(100ms);
    give_up = true;
  });
  auto sentinel = api.Post(kVsPath, virtual_service(kSentinel, 1).dump(), "application/json");
  EXPECT_TRUE(sentinel && sentinel->status == 201);
  first_watcher.join();
  midway_watcher.join();
  watchers_finished = true;
  timer.join();

  EXPECT_TRUE(ledger.failures.empty()) << ledger.failures.size() << " writes not acknowledged, the first: "
                                       << ledger.failures.front();
  EXPECT_TRUE(scale_failure.empty()) << scale_failure;

  // ---- exactly once, with the last acknowledged generation ----
  const Json final_list = list_vs();
  ASSERT_TRUE(final_list.is_object());
  std::map<std::string, int> listed;
  for (const auto& item : final_list["items"]) {
    const std::string name = item["metadata"]["name"];
    EXPECT_EQ(listed.count(name), 0u) << name << " listed twice";
    listed[name] = generation_of(item);
  }
  EXPECT_EQ(listed.erase(kSentinel), 1u);
  EXPECT_EQ(listed, ledger.final_generation) << "the list against the acknowledged writes";
  std::map<std::string, std::string> final_versions;
  for (const auto& item : final_list["items"]) final_versions[item["metadata"]["name"]] = item["metadata"]["resourceVersion"];

  // ---- the watchers ----
  auto check_watch = [&](const char* which, const WatchLog& log, const Json& listed_first, bool saw_every_create) {
    SCOPED_TRACE(which);
    EXPECT_EQ(log.error, "");
    std::map<std::string, Json> last;  // per object, the last event
    std::set<std::string> added;
    if (listed_first.is_object())
      for (const auto& item : listed_first["items"]) last[item["metadata"]["name"]] = {{"type", "ADDED"}, {"object", item}};
    long previous = 0;
    for (const auto& event : log.events) {
      const std::string type = event["type"];
      const std::string name = event["object"]["metadata"]["name"];
      const long version = std::stol(event["object"]["metadata"]["resourceVersion"].get<std::string>());
      EXPECT_GT(version, previous) << type << " " << name << ": resourceVersions must grow";
      previous = version;
      if (type == "ADDED") added.insert(name);
      last[name] = event;
    }
    for (const auto& [name, event] : last) {
      if (name == kSentinel) continue;
      auto final_generation = ledger.final_generation.find(name);
      if (final_generation == ledger.final_generation.end()) {
        EXPECT_EQ(event["type"], "DELETED") << name << " was deleted";
      } else {
        EXPECT_NE(event["type"], "DELETED") << name;
        EXPECT_EQ(generation_of(event["object"]), final_generation->second) << name;
        EXPECT_EQ(event["object"]["metadata"]["resourceVersion"], final_versions[name]) << name;
      }
    }
    for (const auto& [name, generation] : ledger.final_generation) {
      EXPECT_TRUE(last.count(name)) << name << " never seen";
    }
    if (saw_every_create) {
      for (const auto& name : ledger.created) {
        EXPECT_TRUE(added.count(name)) << "no ADDED event for " << name;
      }
    }
  };
  check_watch("watch from the start", first_watch, Json(), true);
  check_watch("list and watch midway", midway_watch, midway_list, false);

  // ---- the gateway: every answer consistent, and each host at its final state once settled ----
  EXPECT_TRUE(inconsistent.empty()) << inconsistent.size() << " of " << requests.load()
                                    << " gateway answers came from no written configuration; the first: "
                                    << inconsistent.front();
  EXPECT_GT(requests.load(), 0);
  for (int w = 0; w < kWriters; ++w) {
    for (int k = 0; k < kObjectsPerWriter; ++k) {
      const std::string name = "w" + std::to_string(w) + "-" + std::to_string(k);
      auto final_generation = ledger.final_generation.find(name);
      const std::string want = final_generation == ledger.final_generation.end()
                                   ? "404"
                                   : "200 " + body_of(name, final_generation->second);
      std::string got;
      for (int attempt = 0; attempt < 100; ++attempt) {
        gwsim::runtime::ClientRequest request;
        request.address = gateway;
        request.host = name + ".example.com";
        const auto answer = gwsim::runtime::send_request(request);
        got = std::to_string(answer.status) + (answer.status == 200 ? " " + answer.body : "");
        if (got == want) break;
        std::this_thread::sleep_for(50ms);
      }
      EXPECT_EQ(got, want) << name << " through the gateway once the writes stopped";
    }
  }

  // ---- the Deployment: last acknowledged replicas, and that many pods ----
  auto scale = api.Get(kScalePath);
  ASSERT_TRUE(scale && scale->status == 200);
  EXPECT_EQ(Json::parse(scale->body)["spec"]["replicas"], last_replicas);
  std::size_t pods = 0;
  for (int attempt = 0; attempt < 100; ++attempt) {
    auto r = api.Get("/api/v1/namespaces/default/pods?labelSelector=app%3Dweb");
    ASSERT_TRUE(r && r->status == 200);
    pods = Json::parse(r->body)["items"].size();
    if (pods == static_cast<std::size_t>(last_replicas)) break;
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_EQ(pods, static_cast<std::size_t>(last_replicas));

  const long rss_after = rss_kb(pid);
  // Back to the start: delete what the load left, then measure again (the store keeps a bounded
  // history of events for watchers to resume from, so some growth remains).
  for (const auto& item : final_list["items"]) {
    auto r = api.Delete(std::string(kVsPath) + "/" + item["metadata"]["name"].get<std::string>());
    EXPECT_TRUE(r && r->status == 200);
  }
  std::this_thread::sleep_for(500ms);
  const long rss_cleaned = rss_kb(pid);
  std::cout << "stress: " << ledger.sent.size() << " objects, " << requests.load() << " gateway requests, "
            << first_watch.events.size() << " + " << midway_watch.events.size() << " watch events; writes took "
            << std::chrono::duration_cast<std::chrono::milliseconds>(writes_took).count() << " ms; RSS of serve "
            << rss_before << " KB before, " << rss_after << " KB after, " << rss_cleaned
            << " KB once the objects are deleted\n";
  ::testing::Test::RecordProperty("rss_before_kb", std::to_string(rss_before));
  ::testing::Test::RecordProperty("rss_after_kb", std::to_string(rss_after));
  ::testing::Test::RecordProperty("rss_cleaned_kb", std::to_string(rss_cleaned));

  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  stop_on_failure.pid = 0;
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << read(out).substr(0, 2000);
}

}  // namespace
