#include "engine/match/virtual_host.h"

#include <gtest/gtest.h>

#include "engine/match/filter_chain.h"
#include "engine/match/listener.h"
#include "tests/engine/stage_world.h"

namespace gwsim::match {
namespace {

using namespace gwsim::testing;

RoutingResult through_chain(const route::RouteTable& table, const http::Request& r) {
  RoutingResult out;
  EXPECT_TRUE(match_listener(table, r, out) && match_filter_chain(r, out));
  return out;
}

TEST(VirtualHostStage, HostHeaderFindsTheVirtualHostIgnoringCaseAndPort) {
  auto table = stage_table();
  for (const char* host : {"www.service1.io", "WWW.Service1.IO:80"}) {
    auto r = stage_request(host);
    auto out = through_chain(table, r);
    ASSERT_TRUE(match_virtual_host(table, r, out)) << host;
    EXPECT_EQ(out.trace.route_config, "http.8080");
    EXPECT_EQ(out.trace.virtual_host, "www.service1.io:80");
    EXPECT_EQ(out.virtual_host->name, "www.service1.io:80");
  }
}

TEST(VirtualHostStage, AnUnknownHostIs404NoRoute) {
  auto table = stage_table();
  auto r = stage_request("nowhere.io");
  auto out = through_chain(table, r);
  EXPECT_FALSE(match_virtual_host(table, r, out));
  EXPECT_EQ(out.trace.outcome, Outcome::kNoVirtualHost);
  EXPECT_EQ(out.trace.status, 404);
  EXPECT_EQ(out.trace.response_flags, "NR");
  EXPECT_EQ(out.virtual_host, nullptr);
}

TEST(VirtualHostStage, ForwardedProtoIsTheConnectionsUnlessTheHopIsTrusted) {
  auto table = stage_table();
  auto r = stage_request();
  r.headers = {{"X-Forwarded-Proto", "https"}};
  EXPECT_EQ(forwarded_proto(table, r), "http");
  table.proxy.num_trusted_proxies = 1;
  EXPECT_EQ(forwarded_proto(table, r), "https");
}

}  // namespace
}  // namespace gwsim::match
