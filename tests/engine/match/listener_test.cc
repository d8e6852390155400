#include "engine/match/listener.h"

#include <gtest/gtest.h>

#include "tests/engine/stage_world.h"

namespace gwsim::match {
namespace {

using namespace gwsim::testing;

TEST(ListenerStage, ServicePortFindsTheListenerOnItsTargetPort) {
  auto table = stage_table();
  RoutingResult out;
  ASSERT_TRUE(match_listener(table, stage_request(), out));
  EXPECT_EQ(out.listener->name, "0.0.0.0_8080");
  EXPECT_EQ(out.trace.listener, "0.0.0.0_8080");
  EXPECT_EQ(out.trace.gateway_service, "istio-system/istio-ingressgateway");
  EXPECT_EQ(out.trace.service_port, 80u);
}

TEST(ListenerStage, AnUnknownServicePortIsRefused) {
  auto table = stage_table();
  auto request = stage_request();
  request.port = 81;
  RoutingResult out;
  EXPECT_FALSE(match_listener(table, request, out));
  EXPECT_EQ(out.trace.outcome, Outcome::kNoListener);
  EXPECT_EQ(out.trace.detail, "the gateway Service has no port 81");
}

TEST(ListenerStage, AServicePortWithoutAServerIsRefusedAtItsTargetPort) {
  auto table = stage_table();  // the Gateway has no server on 443
  auto request = stage_request();
  request.port = 443;
  RoutingResult out;
  EXPECT_FALSE(match_listener(table, request, out));
  EXPECT_EQ(out.trace.detail, "no listener on the gateway pod's port 8443");
}

}  // namespace
}  // namespace gwsim::match
