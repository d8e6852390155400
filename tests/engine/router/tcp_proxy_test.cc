#include "engine/router/tcp_proxy.h"

#include <gtest/gtest.h>

#include "engine/router/router.h"

namespace gwsim::router {
namespace {

// A gateway whose port 31400 is a TCP proxy to tcp-echo (two pods).
route::RouteTable tcp_table(bool cluster_exists = true) {
  route::RouteTable t;
  t.proxy.service = "istio-system/istio-ingressgateway";
  t.proxy.pod_ip = "127.0.0.9";
  t.proxy.service_ports = {{31400, 31400}};
  route::Listener l;
  l.name = "0.0.0.0_31400";
  l.port = 31400;
  route::FilterChain c;
  c.name = "tcp";
  c.http = false;
  c.virtual_service = "default/tcp";
  route::WeightedCluster wc;
  wc.cluster = "outbound|9000||tcp-echo.default.svc.cluster.local";
  c.tcp_clusters = {wc};
  l.filter_chains = {c};
  t.listeners = {l};
  if (cluster_exists) {
    route::Cluster cl;
    cl.name = wc.cluster;
    cl.service = "default/tcp-echo";
    cl.port = 9000;
    cl.endpoints = {{"127.1.0.5", 9000, "tcp-echo-1", "default", {}, true}};
    t.clusters[cl.name] = cl;
  }
  return t;
}

Exchange run(const route::RouteTable& table, const UpstreamCall& upstream, int* calls = nullptr) {
  http::Request r;
  r.port = 31400;
  r.headers = {{"X-Anything", "as is"}};
  lb::Random rng(1);
  lb::LoadBalancerState lb;
  return exchange(table, r, rng, lb, [&](const route::Endpoint& e, const http::UpstreamRequest& up,
                                         const AttemptContext& attempt) {
    if (calls) ++*calls;
    EXPECT_EQ(attempt.route, nullptr);  // no HTTP route: one connect
    return upstream(e, up, attempt);
  });
}

TEST(TcpProxy, OneConnectAndTheBytesAsTheyAre) {
  auto table = tcp_table();
  int calls = 0;
  auto ex = run(table, [](const route::Endpoint&, const http::UpstreamRequest& up, const AttemptContext&) {
    http::UpstreamResponse r;
    r.status = 200;
    r.headers = {{"X-Echo", "1"}};
    EXPECT_EQ(up.headers, (http::Headers{{"x-anything", "as is"}}));  // no headers added
    return r;
  }, &calls);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(ex.trace.outcome, match::Outcome::kRouted);
  EXPECT_EQ(ex.trace.pod, "default/tcp-echo-1");
  EXPECT_EQ(ex.trace.virtual_service, "default/tcp");
  EXPECT_EQ(ex.response.status, 200);
  EXPECT_EQ(ex.upstream_request->client_ip, "127.0.0.9");
}

TEST(TcpProxy, AFailedConnectClosesWithoutRetry) {
  auto table = tcp_table();
  int calls = 0;
  auto ex = run(table, [](const route::Endpoint&, const http::UpstreamRequest&, const AttemptContext&) {
    http::UpstreamResponse r;
    r.connected = false;
    return r;
  }, &calls);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(ex.trace.outcome, match::Outcome::kUpstreamFailure);
  EXPECT_EQ(ex.trace.response_flags, "UF");
  EXPECT_EQ(ex.response.status, 0);
}

TEST(TcpProxy, AMissingClusterClosesTheConnection) {
  auto table = tcp_table(false);
  auto ex = run(table, [](const route::Endpoint&, const http::UpstreamRequest&, const AttemptContext&) {
    ADD_FAILURE() << "no upstream call";
    return http::UpstreamResponse{};
  });
  EXPECT_EQ(ex.trace.outcome, match::Outcome::kClusterNotFound);
  EXPECT_EQ(ex.trace.status, 0);
  EXPECT_EQ(ex.response.status, 0);
}

}  // namespace
}  // namespace gwsim::router
