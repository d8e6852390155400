// Datapath mode: the same scenarios over real sockets, and the same observations as decision
// mode (the proxy runs the decision path itself).
#include "conformance/datapath_world.h"

#include <gtest/gtest.h>

#include <set>

#include "conformance/runner.h"
#include "conformance/world.h"
#include "engine/model/manifest.h"

namespace gwsim::conformance {
namespace {

std::vector<model::Object> seed_manifests() {
  model::ManifestLoad load = model::load_manifests({std::string(GWSIM_SOURCE_DIR) + "/scenarios/seed/manifests"});
  EXPECT_FALSE(load.has_errors());
  return load.objects;
}

RequestSpec ping() {
  RequestSpec r;
  r.host = "www.service1.io";
  r.path = "/ping";
  return r;
}

TEST(DatapathWorld, SameObservationAsDecisionMode) {
  World decision(3);
  World datapath(3, Mode::kDatapath);
  EXPECT_EQ(datapath.mode(), Mode::kDatapath);
  for (World* w : {&decision, &datapath}) {
    ASSERT_TRUE(w->apply(seed_manifests()).ok());
    w->install_default_gateway_if_missing();
  }
  for (int i = 0; i < 5; ++i) {
    auto a = decision.send(ping());
    auto b = datapath.send(ping());
    ASSERT_TRUE(a.ok() && b.ok()) << (b.ok() ? "" : b.error().to_string());
    EXPECT_EQ(b->response.status, 200);
    EXPECT_EQ(b->trace.to_json(), a->trace.to_json());
    EXPECT_EQ(b->pod_labels, a->pod_labels);
    // Same seed, same draws: even x-request-id matches, so the echo bodies are equal.
    EXPECT_EQ(b->response.body, a->response.body);
    ASSERT_TRUE(b->upstream_request.has_value());
    EXPECT_EQ(b->upstream_request->path, "/ping");
    EXPECT_EQ(b->upstream_request->authority, "www.service1.io");
  }
}

TEST(DatapathWorld, RefusedWhenNoServerListens) {
  World w(1, Mode::kDatapath);
  ASSERT_TRUE(w.apply(seed_manifests()).ok());
  w.install_default_gateway_if_missing();
  RequestSpec r = ping();
  r.port = 443;
  auto got = w.send(r);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->trace.outcome, match::Outcome::kNoListener);
  EXPECT_EQ(got->response.status, 0);
}

TEST(DatapathWorld, NonLoopbackSourceSaysWhy) {
  World w(1, Mode::kDatapath);
  ASSERT_TRUE(w.apply(seed_manifests()).ok());
  w.install_default_gateway_if_missing();
  RequestSpec r = ping();
  r.source_ip = "10.1.2.3";
  auto got = w.send(r);
  ASSERT_TRUE(got.ok());
  EXPECT_NE(got->unsupported.find("loopback"), std::string::npos) << got->unsupported;
}

TEST(DatapathWorld, SeedScenariosPass) {
  RunOptions options;
  options.mode = Mode::kDatapath;
  for (const char* file : {"01-ping-reaches-v1-only.yaml", "03-without-subset-both-versions-answer.yaml"}) {
    ScenarioResult result = run_scenario_file(std::string(GWSIM_SOURCE_DIR) + "/scenarios/seed/" + file, options);
    EXPECT_EQ(result.status, ScenarioStatus::kPassed) << file;
    for (const auto& step : result.steps)
      for (const auto& line : step.details) ADD_FAILURE() << file << ": " << line;
  }
}

// The echo app's ?codes= acts in both modes, drawn from generators seeded alike.
TEST(DatapathWorld, EchoCodesDrawTheSameInBothModes) {
  World decision(9);
  World datapath(9, Mode::kDatapath);
  for (World* w : {&decision, &datapath}) {
    ASSERT_TRUE(w->apply(seed_manifests()).ok());
    w->install_default_gateway_if_missing();
  }
  RequestSpec r = ping();
  r.path = "/ping?codes=418:1,200:1";
  std::set<int> seen;
  for (int i = 0; i < 8; ++i) {
    auto a = decision.send(r);
    auto b = datapath.send(r);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(b->response.status, a->response.status) << i;
    seen.insert(a->response.status);
  }
  EXPECT_EQ(seen, (std::set<int>{200, 418}));
}

TEST(DatapathWorld, PodBehavioursReachTheFakePods) {
  World w(1, Mode::kDatapath);
  ASSERT_TRUE(w.apply(seed_manifests()).ok());
  w.install_default_gateway_if_missing();
  PodsSpec refuse;
  refuse.selector = {{"app", "k8s-combat-service-v1"}};
  refuse.respond = PodRespond{};
  refuse.respond->status = 503;
  ASSERT_TRUE(w.change_pods(refuse).ok());
  auto got = w.send(ping());
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->response.status, 503);
  EXPECT_EQ(got->trace.status, 503);
}

}  // namespace
}  // namespace gwsim::conformance
