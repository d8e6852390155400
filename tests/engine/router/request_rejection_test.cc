// What the gateway answers before routing (the HTTP/1 codec and the connection manager, see
// engine/http/http1_codec.h and connection_manager.h), through router::exchange(): the pipeline
// both modes run.
#include <gtest/gtest.h>

#include "engine/router/router.h"
#include "tests/engine/stage_world.h"

namespace gwsim::router {
namespace {

using namespace gwsim::testing;

struct Upstream {
  std::vector<http::UpstreamRequest> seen;
  UpstreamCall call() {
    return [this](const route::Endpoint&, const http::UpstreamRequest& up, const AttemptContext&) {
      seen.push_back(up);
      return http::UpstreamResponse{};
    };
  }
};

Exchange send(const route::RouteTable& table, const http::Request& request, Upstream& upstream) {
  lb::Random rng(1);
  lb::LoadBalancerState lb;
  return exchange(table, request, rng, lb, upstream.call());
}

// Istio's default normalize_path: "/public/../admin" takes the /admin route, and the pod
// receives the normalised path.
TEST(RequestRejection, TheNormalisedPathIsRoutedAndSentUpstream) {
  HTTPRoute admin = route_to("mesh", "v2", 8081, "admin");
  admin.match = {uri(StringMatch::Kind::kPrefix, "/admin")};
  HTTPRoute rest = route_to("mesh", "v1", 8081, "rest");
  auto table = stage_table({admin, rest});
  Upstream upstream;
  Exchange ex = send(table, stage_request("www.service1.io", "/public/../admin?x=/../"), upstream);
  EXPECT_EQ(ex.trace.outcome, match::Outcome::kRouted);
  EXPECT_EQ(ex.trace.route_name, "admin");
  ASSERT_EQ(upstream.seen.size(), 1u);
  EXPECT_EQ(upstream.seen[0].path, "/admin?x=/../");

  send(table, stage_request("www.service1.io", "/../ping"), upstream);
  ASSERT_EQ(upstream.seen.size(), 2u);
  EXPECT_EQ(upstream.seen[1].path, "/ping");
}

TEST(RequestRejection, APathThatCannotBeNormalisedIs400WithoutBody) {
  auto table = stage_table();
  Upstream upstream;
  Exchange ex = send(table, stage_request("www.service1.io", "/a%00"), upstream);
  EXPECT_EQ(ex.trace.outcome, match::Outcome::kRequestRejected);
  EXPECT_EQ(ex.response.status, 400);
  EXPECT_EQ(ex.response.body, "");
  EXPECT_EQ(ex.trace.detail, "path_normalization_failed");
  EXPECT_EQ(ex.trace.response_flags, "-");  // the connection manager's refusals set no flag
  EXPECT_TRUE(upstream.seen.empty());
}

TEST(RequestRejection, Http10Is426) {
  auto table = stage_table();
  Upstream upstream;
  http::Request r = stage_request();
  r.version = 10;
  Exchange ex = send(table, r, upstream);
  EXPECT_EQ(ex.trace.outcome, match::Outcome::kRequestRejected);
  EXPECT_EQ(ex.response.status, 426);
  EXPECT_EQ(ex.response.body, "");
  EXPECT_EQ(*ex.response.header("server"), "istio-envoy");
  EXPECT_TRUE(upstream.seen.empty());
}

TEST(RequestRejection, TheCodecsRefusalsCarryTheirStatusTextAndDpe) {
  auto table = stage_table();
  Upstream upstream;
  http::Request r = stage_request();
  r.method = "POST";
  r.headers = {{"transfer-encoding", "xchunked"}};
  Exchange ex = send(table, r, upstream);
  EXPECT_EQ(ex.response.status, 501);
  EXPECT_EQ(ex.response.body, "Not Implemented");
  EXPECT_EQ(ex.trace.response_flags, "DPE");

  http::Request many = stage_request();
  for (int i = 0; i < 100; ++i) many.headers.emplace_back("x-h" + std::to_string(i), "v");
  ex = send(table, many, upstream);
  EXPECT_EQ(ex.response.status, 431);
  EXPECT_EQ(ex.response.body, "Request Header Fields Too Large");
  EXPECT_TRUE(upstream.seen.empty());
}

// Two Host lines: one authority "a,b" (Envoy's header map), which no virtual host names.
TEST(RequestRejection, TwoHostHeadersRouteByNeither) {
  auto table = stage_table();
  Upstream upstream;
  http::Request r = stage_request("");
  r.headers = {{"Host", "www.service1.io"}, {"Host", "other.example.com"}};
  Exchange ex = send(table, r, upstream);
  EXPECT_EQ(ex.trace.outcome, match::Outcome::kNoVirtualHost);
  EXPECT_EQ(ex.response.status, 404);
}

TEST(RequestRejection, AnAbsoluteFormTargetsAuthorityIsTheHost) {
  auto table = stage_table();
  Upstream upstream;
  Exchange ex = send(table, stage_request("other.example.com", "http://www.service1.io/x/../y"), upstream);
  EXPECT_EQ(ex.trace.outcome, match::Outcome::kRouted);
  ASSERT_EQ(upstream.seen.size(), 1u);
  EXPECT_EQ(upstream.seen[0].authority, "www.service1.io");
  EXPECT_EQ(upstream.seen[0].path, "/y");
}

}  // namespace
}  // namespace gwsim::router
