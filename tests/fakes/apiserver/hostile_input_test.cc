// Tests of fakes/apiserver/api_server.h under hostile input and slow clients: the request size
// limit, unknown fields of built-in kinds, what patches may not change, the watch limit under
// concurrency, and slow connections that must not starve the others (loopback only, bounded).
#include <httplib.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <arpa/inet.h>

#include <atomic>
#include <chrono>
#include <sstream>
#include <thread>
#include <vector>

#include "fakes/apiserver/api_server.h"

namespace gwsim::fakes {
namespace {

using namespace std::chrono_literals;

ApiRequest hostile_req(const std::string& method, const std::string& target, const std::string& body = "",
               const std::string& content_type = "application/json") {
  ApiRequest r;
  r.method = method;
  auto q = target.find('?');
  r.path = target.substr(0, q);
  if (q != std::string::npos) {
    std::istringstream in(target.substr(q + 1));
    std::string pair;
    while (std::getline(in, pair, '&')) {
      auto eq = pair.find('=');
      r.query.emplace(pair.substr(0, eq), eq == std::string::npos ? "" : pair.substr(eq + 1));
    }
  }
  r.accept = "application/json";
  r.content_type = content_type;
  r.body = body;
  return r;
}

Json config_map(const std::string& name) {
  return {{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"metadata", {{"name", name}}}, {"data", {{"k", "v"}}}};
}

std::vector<std::string> warnings_of(const ApiResponse& r) {
  std::vector<std::string> out;
  for (const auto& [k, v] : r.headers)
    if (k == "Warning") out.push_back(v);
  return out;
}

const std::string kCmPath = "/api/v1/namespaces/default/configmaps";

struct HostileInputTest : ::testing::Test {
  ApiStore store;
  std::unique_ptr<ApiServer> server = make_server({});

  std::unique_ptr<ApiServer> make_server(ApiServerOptions options) {
    options.heartbeat = 20ms;
    return std::make_unique<ApiServer>(store, [] {}, options);
  }
  ApiResponse call(const ApiRequest& r) { return server->handle(r); }
};

// ---- 1. request size ----

TEST_F(HostileInputTest, BodiesOverThreeMebibytesAre413) {
  Json big = config_map("big");
  big["data"]["blob"] = std::string(5 * 1024 * 1024, 'x');
  auto r = call(hostile_req("POST", kCmPath, big.dump()));
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.json()["reason"], "RequestEntityTooLarge");
  EXPECT_EQ(r.json()["message"], "Request entity too large: limit is 3145728");
  EXPECT_FALSE(store.get({"", "ConfigMap", "default", "big"}));
  // Just under the limit is fine.
  Json fits = config_map("fits");
  fits["data"]["blob"] = std::string(3 * 1024 * 1024 - 200, 'x');
  EXPECT_EQ(call(hostile_req("POST", kCmPath, fits.dump())).status, 201);
}

TEST_F(HostileInputTest, ANumberTooLargeForADoubleIs400Not500) {
  // Found by fuzzing: the JSON reader threw on 1e400 and the server answered 500.
  auto r = call(hostile_req("POST", kCmPath,
                            R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"n","x":1e400}})"));
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("number overflow parsing '1e400'"), std::string::npos) << r.body;
  EXPECT_FALSE(store.get({"", "ConfigMap", "default", "n"}));
}

TEST_F(HostileInputTest, OverTheWireTheLimitIsAStatusToo) {
  auto port = server->start();
  ASSERT_TRUE(port.ok());
  httplib::Client client("127.0.0.1", *port);
  Json big = config_map("big");
  big["data"]["blob"] = std::string(4 * 1024 * 1024, 'x');
  auto r = client.Post(kCmPath.c_str(), big.dump(), "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  Json status = Json::parse(r->body, nullptr, false);
  EXPECT_EQ(status["reason"], "RequestEntityTooLarge");
  EXPECT_EQ(status["message"], "Request entity too large: limit is 3145728");
}

// ---- 2. unknown fields of built-in kinds ----

TEST_F(HostileInputTest, UnknownFieldsAreDroppedWithAWarningByDefault) {
  Json cm = config_map("warned");
  cm["foo"] = Json::array({Json::array({1})});
  cm["metadata"]["bogus"] = 1;
  auto r = call(hostile_req("POST", kCmPath, cm.dump()));
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(warnings_of(r), (std::vector<std::string>{R"(299 - "unknown field \"foo\"")",
                                                      R"(299 - "unknown field \"metadata.bogus\"")"}));
  auto stored = store.get({"", "ConfigMap", "default", "warned"});
  ASSERT_TRUE(stored);
  EXPECT_FALSE(stored->doc.contains("foo"));
  EXPECT_FALSE(stored->doc["metadata"].contains("bogus"));
  EXPECT_EQ(stored->doc["data"]["k"], "v");
}

TEST_F(HostileInputTest, UnknownFieldsUnderStrictAreRefused) {
  Json cm = config_map("strict");
  cm["spec"] = {{"foo", 1}};
  auto r = call(hostile_req("POST", kCmPath + "?fieldValidation=Strict", cm.dump()));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json()["reason"], "BadRequest");
  EXPECT_EQ(r.json()["message"],
            "ConfigMap in version \"v1\" cannot be handled as a ConfigMap: strict decoding error: unknown field \"spec\"");
  EXPECT_FALSE(store.get({"", "ConfigMap", "default", "strict"}));
}

TEST_F(HostileInputTest, UnknownFieldsUnderIgnoreAreDroppedSilently) {
  Json cm = config_map("quiet");
  cm["foo"] = 1;
  auto r = call(hostile_req("POST", kCmPath + "?fieldValidation=Ignore", cm.dump()));
  EXPECT_EQ(r.status, 201);
  EXPECT_TRUE(warnings_of(r).empty());
  EXPECT_FALSE(store.get({"", "ConfigMap", "default", "quiet"})->doc.contains("foo"));
}

TEST_F(HostileInputTest, ADeeplyNestedUnknownFieldIsNeverStored) {
  // 9,000 nested arrays (within the decoder's 10,000-level limit, engine/model/safe_yaml.h) under
  // an unknown field: stored, a deep value overflowed the stack when served.
  std::string deep = R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep"},"foo":)";
  deep += std::string(9000, '[') + std::string(9000, ']') + "}";
  auto r = call(hostile_req("POST", kCmPath, deep));
  EXPECT_EQ(r.status, 201);
  auto stored = store.get({"", "ConfigMap", "default", "deep"});
  ASSERT_TRUE(stored);
  EXPECT_FALSE(stored->doc.contains("foo"));
  EXPECT_EQ(call(hostile_req("GET", kCmPath + "/deep")).status, 200);
}

TEST_F(HostileInputTest, ADeeplyNestedValueOfAKnownStringFieldIsRefused) {
  std::string deep = R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep"},"data":{"x":)";
  deep += std::string(9000, '[') + std::string(9000, ']') + "}}";
  auto r = call(hostile_req("POST", kCmPath, deep));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json()["message"], "ConfigMap in version \"v1\" cannot be handled as a ConfigMap: json: cannot unmarshal "
                                 "array into Go struct field ConfigMap.data of type string");
  EXPECT_FALSE(store.get({"", "ConfigMap", "default", "deep"}));
}

TEST_F(HostileInputTest, AStrictPatchRefusalDoesNotQuoteADeepValue) {
  ASSERT_EQ(call(hostile_req("POST", kCmPath, config_map("d").dump())).status, 201);
  std::string deep = R"({"extra":)" + std::string(9000, '[') + std::string(9000, ']') + "}";
  auto r = call(hostile_req("PATCH", kCmPath + "/d?fieldValidation=Strict", deep, "application/merge-patch+json"));
  EXPECT_EQ(r.status, 422);
  EXPECT_NE(r.json()["message"].get<std::string>().find("nested over 100 levels"), std::string::npos);
}

TEST_F(HostileInputTest, PatchesAreCheckedForUnknownFieldsToo) {
  ASSERT_EQ(call(hostile_req("POST", kCmPath, config_map("p").dump())).status, 201);
  auto warned = call(hostile_req("PATCH", kCmPath + "/p", R"({"data":{"k":"w"},"extra":1})", "application/merge-patch+json"));
  EXPECT_EQ(warned.status, 200);
  EXPECT_EQ(warnings_of(warned), (std::vector<std::string>{R"(299 - "unknown field \"extra\"")"}));
  EXPECT_FALSE(store.get({"", "ConfigMap", "default", "p"})->doc.contains("extra"));
  auto strict = call(hostile_req("PATCH", kCmPath + "/p?fieldValidation=Strict", R"({"extra":1})",
                         "application/strategic-merge-patch+json"));
  EXPECT_EQ(strict.status, 422);
  EXPECT_EQ(strict.json()["details"]["causes"][0]["field"], "patch");
}

TEST_F(HostileInputTest, Int32FieldsOutOfRangeAreRefused) {
  Json d = {{"apiVersion", "apps/v1"},
            {"kind", "Deployment"},
            {"metadata", {{"name", "huge"}}},
            {"spec", {{"replicas", 4294967297ull}}}};
  auto r = call(hostile_req("POST", "/apis/apps/v1/namespaces/default/deployments", d.dump()));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json()["message"],
            "Deployment in version \"v1\" cannot be handled as a Deployment: json: cannot unmarshal number "
            "4294967297 into Go struct field DeploymentSpec.spec.replicas of type int32");
}

// ---- 3. what no patch may change ----

TEST_F(HostileInputTest, PatchesCannotChangeKindNameOrNamespace) {
  ASSERT_EQ(call(hostile_req("POST", kCmPath, config_map("fixed").dump())).status, 201);
  const std::string item = kCmPath + "/fixed";
  auto kind = call(hostile_req("PATCH", item, R"([{"op":"replace","path":"/kind","value":"Secret"}])",
                       "application/json-patch+json"));
  EXPECT_EQ(kind.status, 422);
  EXPECT_EQ(kind.json()["reason"], "Invalid");
  EXPECT_EQ(kind.json()["details"]["causes"][0]["field"], "patch");
  auto version = call(hostile_req("PATCH", item, R"({"apiVersion":"apps/v1"})", "application/merge-patch+json"));
  EXPECT_EQ(version.status, 422);
  auto name = call(hostile_req("PATCH", item, R"([{"op":"replace","path":"/metadata/name","value":"other"}])",
                       "application/json-patch+json"));
  EXPECT_EQ(name.status, 400);
  EXPECT_EQ(name.json()["message"], "the name of the object (other) does not match the name on the URL (fixed)");
  auto ns = call(hostile_req("PATCH", item, R"({"metadata":{"namespace":"kube-system"}})",
                     "application/strategic-merge-patch+json"));
  EXPECT_EQ(ns.status, 400);
  EXPECT_EQ(ns.json()["message"],
            "the namespace of the provided object does not match the namespace sent on the request");
  auto put = call(hostile_req("PUT", item, config_map("renamed").dump()));
  EXPECT_EQ(put.status, 400);
  EXPECT_EQ(put.json()["message"], "the name of the object (renamed) does not match the name on the URL (fixed)");
  auto stored = store.get({"", "ConfigMap", "default", "fixed"});
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->doc["kind"], "ConfigMap");
  EXPECT_FALSE(store.get({"", "ConfigMap", "kube-system", "fixed"}));
}

// ---- 4. the watch limit is one step ----

TEST_F(HostileInputTest, ConcurrentWatchesNeverPassTheLimit) {
  ApiServerOptions options;
  options.max_watches = 3;
  server = make_server(options);
  constexpr int kThreads = 24;
  std::atomic<int> ready{0};
  std::atomic<bool> go{false};
  std::vector<ApiResponse> answers(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i)
    threads.emplace_back([&, i] {
      ++ready;
      while (!go.load()) std::this_thread::yield();
      answers[static_cast<std::size_t>(i)] = call(hostile_req("GET", kCmPath + "?watch=true"));
    });
  while (ready.load() < kThreads) std::this_thread::yield();
  go = true;
  for (auto& t : threads) t.join();
  int accepted = 0;
  for (const auto& a : answers) {
    if (a.watch) ++accepted;
    else EXPECT_EQ(a.status, 429);
  }
  EXPECT_EQ(accepted, 3);
  EXPECT_EQ(server->open_watches(), 3u);
}

TEST_F(HostileInputTest, WatchParametersBeyond64BitsAreBadRequests) {
  auto rv = call(hostile_req("GET", kCmPath + "?watch=true&resourceVersion=99999999999999999999999999"));
  EXPECT_EQ(rv.status, 400);
  EXPECT_FALSE(rv.watch);
  EXPECT_EQ(server->open_watches(), 0u);
  auto timeout = call(hostile_req("GET", kCmPath + "?watch=true&timeoutSeconds=99999999999999999999999999"));
  EXPECT_EQ(timeout.status, 200);
  EXPECT_TRUE(timeout.watch);
}

// ---- 5. slow clients ----

// Opens a loopback connection and sends part of a request's headers, never the end.
int slow_connection(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  const std::string partial = "GET /api/v1/namespaces HTTP/1.1\r\nHost: x\r\n";
  (void)::send(fd, partial.data(), partial.size(), MSG_NOSIGNAL);
  return fd;
}

TEST_F(HostileInputTest, SlowConnectionsDoNotStarveTheOthers) {
  ApiServerOptions options;
  options.worker_threads = 8;
  server = make_server(options);
  auto port = server->start();
  ASSERT_TRUE(port.ok());
  std::vector<int> slow;
  for (int i = 0; i < 100; ++i) {
    const int fd = slow_connection(*port);
    if (fd >= 0) slow.push_back(fd);
  }
  ASSERT_GE(slow.size(), 90u);
  std::this_thread::sleep_for(200ms);  // every slow connection holds a thread by now
  httplib::Client client("127.0.0.1", *port);
  client.set_connection_timeout(5, 0);
  client.set_read_timeout(5, 0);
  const auto start = std::chrono::steady_clock::now();
  auto r = client.Get("/api/v1/namespaces");
  const auto took = std::chrono::steady_clock::now() - start;
  for (int fd : slow) ::close(fd);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_LT(took, 2s);
}

TEST_F(HostileInputTest, AStalledRequestIsClosedAfterTheReadTimeout) {
  ApiServerOptions options;
  options.read_timeout = 1s;
  options.keep_alive_timeout = 1s;
  server = make_server(options);
  auto port = server->start();
  ASSERT_TRUE(port.ok());
  const int fd = slow_connection(*port);
  ASSERT_GE(fd, 0);
  timeval tv{4, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  const auto start = std::chrono::steady_clock::now();
  // The server answers 400 after the read timeout, then closes the connection once the keep-alive
  // wait is over (recv 0): 2 s here, 7 s with cpp-httplib's defaults.
  char buf[256];
  ssize_t n = 0;
  while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) {
  }
  const auto took = std::chrono::steady_clock::now() - start;
  ::close(fd);
  EXPECT_EQ(n, 0);
  EXPECT_LT(took, 3s);
}

TEST_F(HostileInputTest, WatchesOutliveTheReadTimeout) {
  ApiServerOptions options;
  options.read_timeout = 1s;
  server = make_server(options);
  auto port = server->start();
  ASSERT_TRUE(port.ok());
  std::atomic<bool> stop{false};
  std::atomic<int> chunks{0};
  std::thread watcher([&] {
    httplib::Client c("127.0.0.1", *port);
    c.set_read_timeout(5, 0);
    c.Get((kCmPath + "?watch=true").c_str(), [&](const char*, std::size_t) {
      ++chunks;
      return !stop.load();
    });
  });
  std::this_thread::sleep_for(2500ms);
  EXPECT_EQ(server->open_watches(), 1u);  // still streaming past the 1 s read timeout
  EXPECT_GT(chunks.load(), 10);
  stop = true;
  watcher.join();
}

}  // namespace
}  // namespace gwsim::fakes
