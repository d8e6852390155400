// Tests of fakes/apiserver/api_server.h against hostile request bodies (tests/hostile/), sent over
// real HTTP: each gets the status kube-apiserver gives (400 BadRequest with a decode error, 415 for
// a content type it cannot decode) in well under a second, and the server keeps serving.
#include <httplib.h>
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <sstream>

#include "fakes/apiserver/api_server.h"

namespace gwsim::fakes {
namespace {

const std::string kConfigMaps = "/api/v1/namespaces/default/configmaps";

std::string hostile_file(const std::string& name) {
  std::ifstream in(std::string(GWSIM_SOURCE_DIR) + "/tests/hostile/" + name, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

struct Answer {
  int status = 0;
  Json body;
  std::chrono::steady_clock::duration took{};
};

class HostileBodyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ApiServer>(store_, nullptr);
    auto port = server_->start();
    ASSERT_TRUE(port.ok()) << port.error().message;
    client_ = std::make_unique<httplib::Client>("127.0.0.1", *port);
    client_->set_read_timeout(5, 0);
  }

  Answer send(const std::string& method, const std::string& path, const std::string& body,
              const std::string& content_type) {
    auto start = std::chrono::steady_clock::now();
    httplib::Result r = method == "POST" ? client_->Post(path.c_str(), body, content_type.c_str())
                                         : client_->Patch(path.c_str(), body, content_type.c_str());
    Answer a;
    a.took = std::chrono::steady_clock::now() - start;
    if (!r) return a;
    a.status = r->status;
    a.body = Json::parse(r->body, nullptr, false);
    return a;
  }

  // The server still answers after the hostile request.
  void expect_alive() {
    auto version = client_->Get("/version");
    ASSERT_TRUE(version);
    EXPECT_EQ(version->status, 200);
  }

  ApiStore store_;
  std::unique_ptr<ApiServer> server_;
  std::unique_ptr<httplib::Client> client_;
};

void expect_bad_request(const Answer& a, const std::string& message) {
  EXPECT_EQ(a.status, 400) << a.body.dump();
  EXPECT_EQ(a.body.value("reason", ""), "BadRequest");
  EXPECT_EQ(a.body.value("message", ""), message);
  EXPECT_LT(a.took, std::chrono::seconds(1));
}

TEST_F(HostileBodyTest, RecursiveAliasAsYamlIsABadRequest) {
  Answer a = send("POST", kConfigMaps, hostile_file("recursive-alias.yaml"), "application/yaml");
  expect_bad_request(a, "yaml: line 1, column 11: alias *r is inside the node it names (a recursive alias)");
  expect_alive();
}

TEST_F(HostileBodyTest, AliasBombAsYamlIsABadRequest) {
  Answer a = send("POST", kConfigMaps, hostile_file("alias-bomb.yaml"), "application/yaml");
  expect_bad_request(a,
                     "yaml: line 12, column 10: aliases expand to more than 10000 nodes (the limit; an alias bomb is "
                     "refused, never expanded)");
  expect_alive();
}

TEST_F(HostileBodyTest, YamlIsOnlyDecodedUnderAYamlContentType) {
  // Under application/json a YAML body is a JSON decode error, never parsed as YAML.
  Answer json = send("POST", kConfigMaps, hostile_file("alias-bomb.yaml"), "application/json");
  EXPECT_EQ(json.status, 400) << json.body.dump();
  EXPECT_EQ(json.body.value("message", "").rfind("json parse error: parse error at line ", 0), 0u)
      << json.body.dump();
  // A content type the server cannot decode: 415, as kube-apiserver answers.
  Answer text = send("POST", kConfigMaps, hostile_file("recursive-alias.yaml"), "text/plain");
  EXPECT_EQ(text.status, 415) << text.body.dump();
  EXPECT_EQ(text.body.value("reason", ""), "UnsupportedMediaType");
  // Ordinary YAML under application/yaml still creates the object.
  Answer created = send("POST", kConfigMaps,
                        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\ndata: &d {a: b}\n", "application/yaml");
  EXPECT_EQ(created.status, 201) << created.body.dump();
}

TEST_F(HostileBodyTest, DeepJsonObjectIsABadRequest) {
  Answer a = send("POST", kConfigMaps, hostile_file("deep-array.json"), "application/json");
  expect_bad_request(a, "json parse error: JSON nesting is deeper than 10000 levels (the limit)");
  expect_alive();
}

TEST_F(HostileBodyTest, DeepJsonPatchIsABadRequest) {
  ASSERT_EQ(send("POST", kConfigMaps, R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm"}})",
                 "application/json")
                .status,
            201);
  Answer a = send("PATCH", kConfigMaps + "/cm", hostile_file("deep-json-patch.json"), "application/json-patch+json");
  expect_bad_request(a, "error decoding patch: json parse error: JSON nesting is deeper than 10000 levels (the limit)");
  expect_alive();
}

}  // namespace
}  // namespace gwsim::fakes
