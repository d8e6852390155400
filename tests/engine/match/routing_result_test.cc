// What the route lookup's stages carry: nothing is found until a stage finds it.
#include "engine/match/routing_result.h"

#include <gtest/gtest.h>

#include "engine/match/listener.h"

namespace gwsim::match {
namespace {

TEST(RoutingResult, StartsWithNothingFound) {
  RoutingResult r;
  EXPECT_EQ(r.listener, nullptr);
  EXPECT_EQ(r.filter_chain, nullptr);
  EXPECT_EQ(r.virtual_host, nullptr);
  EXPECT_EQ(r.route, nullptr);
  EXPECT_EQ(r.destination, nullptr);
  EXPECT_EQ(r.cluster, nullptr);
}

TEST(RoutingResult, AStageThatFindsNothingSaysWhyInTheTrace) {
  route::RouteTable empty;
  http::Request request;
  request.port = 80;
  RoutingResult r;
  EXPECT_FALSE(match_listener(empty, request, r));
  EXPECT_EQ(r.listener, nullptr);
  EXPECT_EQ(r.trace.outcome, Outcome::kNoListener);
}

}  // namespace
}  // namespace gwsim::match
