#include "engine/lb/load_balancer.h"

#include <gtest/gtest.h>

#include "engine/http/request.h"

namespace gwsim::lb {
namespace {

route::Cluster cluster_of(int n, route::LoadBalancerPolicy::Kind kind) {
  route::Cluster c;
  c.name = "outbound|80||svc.default.svc.cluster.local";
  c.lb.kind = kind;
  for (int i = 0; i < n; ++i) {
    route::Endpoint e;
    e.ip = "127.1.0." + std::to_string(i + 1);
    e.port = 8080;
    e.pod_name = "pod-" + std::to_string(i);
    c.endpoints.push_back(e);
  }
  return c;
}

TEST(LoadBalancerTest, RoundRobinVisitsEveryHostInTurn) {
  auto c = cluster_of(3, route::LoadBalancerPolicy::Kind::kRoundRobin);
  Random rng(1);
  LoadBalancerState state;
  http::Request r;
  std::map<std::string, int> seen;
  for (int i = 0; i < 30; ++i) ++seen[choose_endpoint(c, r, rng, state)->pod_name];
  EXPECT_EQ(seen, (std::map<std::string, int>{{"pod-0", 10}, {"pod-1", 10}, {"pod-2", 10}}));
}

TEST(LoadBalancerTest, ConsistentHashOnHeaderSticks) {
  auto c = cluster_of(5, route::LoadBalancerPolicy::Kind::kRingHash);
  model::ConsistentHash h;
  h.http_header_name = "x-user";
  c.lb.hash = h;
  Random rng(1);
  LoadBalancerState state;
  http::Request alice;
  alice.headers = {{"X-User", "alice"}};
  const auto* first = choose_endpoint(c, alice, rng, state);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(choose_endpoint(c, alice, rng, state), first);
  // Different keys spread over several hosts.
  std::set<std::string> hosts;
  for (int i = 0; i < 50; ++i) {
    http::Request r;
    r.headers = {{"x-user", "user-" + std::to_string(i)}};
    hosts.insert(choose_endpoint(c, r, rng, state)->pod_name);
  }
  EXPECT_GE(hosts.size(), 3u);
}

TEST(LoadBalancerTest, HashKeysFromCookieQueryAndSourceIp) {
  model::ConsistentHash cookie;
  cookie.http_cookie = model::ConsistentHash::Cookie{"session", "", std::nullopt};
  http::Request r;
  r.headers = {{"Cookie", "a=1; session=abc; b=2"}};
  EXPECT_EQ(hash_key(cookie, r), "abc");
  model::ConsistentHash query;
  query.http_query_parameter_name = "user";
  r.path = "/x?z=1&user=bob";
  EXPECT_EQ(hash_key(query, r), "bob");
  model::ConsistentHash ip;
  ip.use_source_ip = true;
  r.source_ip = "127.0.0.9";
  EXPECT_EQ(hash_key(ip, r), "127.0.0.9");
}

TEST(LoadBalancerTest, ExcludedHostsAreAvoidedWhileOthersRemain) {
  auto c = cluster_of(2, route::LoadBalancerPolicy::Kind::kRandom);
  Random rng(3);
  LoadBalancerState state;
  http::Request r;
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(choose_endpoint(c, r, rng, state, {"127.1.0.1:8080"})->pod_name, "pod-1");
  }
}

TEST(LoadBalancerTest, NoHealthyHostGivesNull) {
  auto c = cluster_of(0, route::LoadBalancerPolicy::Kind::kLeastRequest);
  Random rng(1);
  LoadBalancerState state;
  http::Request r;
  EXPECT_EQ(choose_endpoint(c, r, rng, state), nullptr);
}

}  // namespace
}  // namespace gwsim::lb
