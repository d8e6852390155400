#include "engine/router/local_reply.h"

#include <gtest/gtest.h>

namespace gwsim::router {
namespace {

using match::Outcome;

http::Response reply(Outcome outcome, match::RoutingResult routing = {}, int trace_status = 0) {
  http::Request request;
  request.host = "a.example.com:80";
  request.path = "/p";
  routing.trace.outcome = outcome;
  routing.trace.status = trace_status;
  http::Response out;
  send_local_reply(routing, request, routing.trace, out);
  EXPECT_EQ(routing.trace.status, out.status) << outcome_name(outcome);
  return out;
}

TEST(LocalReply, EveryOutcomeHasItsRow) {
  for (Outcome o : match::kAllOutcomes) EXPECT_EQ(local_reply_row(o).outcome, o) << outcome_name(o);
}

TEST(LocalReply, StatusAndBodyPerOutcome) {
  EXPECT_EQ(reply(Outcome::kNoListener).status, 0);
  EXPECT_EQ(reply(Outcome::kNoFilterChain).status, 0);
  EXPECT_EQ(reply(Outcome::kTlsError).status, 0);
  EXPECT_EQ(reply(Outcome::kNoRoute).status, 404);
  EXPECT_EQ(reply(Outcome::kNoRoute).body, "");
  // The route's cluster_not_found_response_code, which cluster_pick puts in the trace.
  EXPECT_EQ(reply(Outcome::kClusterNotFound, {}, 503).status, 503);
  EXPECT_EQ(reply(Outcome::kClusterNotFound, {}, 500).status, 500);
  EXPECT_EQ(reply(Outcome::kClusterNotFound, {}, 500).body, "");
  auto uh = reply(Outcome::kNoHealthyUpstream);
  EXPECT_EQ(uh.status, 503);
  EXPECT_EQ(uh.body, "no healthy upstream");
  EXPECT_EQ(*uh.header("content-length"), "19");
  EXPECT_EQ(*uh.header("content-type"), "text/plain");
  EXPECT_EQ(*uh.header("server"), "istio-envoy");
  EXPECT_EQ(reply(Outcome::kUpstreamTimeout).body, "upstream request timeout");
  EXPECT_EQ(reply(Outcome::kUpstreamFailure).status, 503);
  EXPECT_EQ(reply(Outcome::kUpstreamFailure).body,
            "upstream connect error or disconnect/reset before headers. reset reason: connection failure");
  // The codec's refusals carry the status text; the connection manager's have no body.
  EXPECT_EQ(reply(Outcome::kRequestRejected, {}, 426).status, 426);
  EXPECT_EQ(reply(Outcome::kRequestRejected, {}, 426).body, "");
  EXPECT_EQ(reply(Outcome::kFaultAbort, {}, 418).status, 418);
  EXPECT_EQ(reply(Outcome::kFaultAbort, {}, 418).body, "fault filter abort");
  EXPECT_EQ(reply(Outcome::kCorsPreflight).status, 200);
  auto redirect = reply(Outcome::kTlsRedirect);
  EXPECT_EQ(redirect.status, 301);
  EXPECT_EQ(*redirect.header("location"), "https://a.example.com:80/p");
}

TEST(LocalReply, UnsupportedIs501SayingWhatIsNotSimulated) {
  match::RoutingResult routing;
  routing.trace.detail = "redirect code 305";
  auto r = reply(Outcome::kUnsupported, routing);
  EXPECT_EQ(r.status, 501);
  EXPECT_EQ(r.body, "gwsim does not simulate this configuration yet: redirect code 305\n");
  EXPECT_EQ(*r.header("x-gwsim-unsupported"), "true");
  EXPECT_EQ(*r.header("content-type"), "text/plain");
}

TEST(LocalReply, TheRoutesResponseHeaderOperationsApply) {
  route::Route route;
  route.direct_response.status = 418;
  route.direct_response.body = "teapot";
  route.response_headers.set = {{"x-route", "yes"}};
  match::RoutingResult routing;
  routing.route = &route;
  auto r = reply(Outcome::kDirectResponse, routing, 418);
  EXPECT_EQ(r.status, 418);
  EXPECT_EQ(r.body, "teapot");
  EXPECT_EQ(*r.header("x-route"), "yes");
}

}  // namespace
}  // namespace gwsim::router
