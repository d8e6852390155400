// The typed form of a scenario: what a step does, and the defaults a request gets.
#include "conformance/scenario_spec.h"

#include <gtest/gtest.h>

namespace gwsim::conformance {
namespace {

TEST(ScenarioSpec, AStepNamesItsAction) {
  Step step;
  step.action = RequestSpec{};
  EXPECT_STREQ(step.action_name(), "request");
  step.action = ApplySpec{};
  EXPECT_STREQ(step.action_name(), "apply");
  step.action = std::vector<DeleteTarget>{};
  EXPECT_STREQ(step.action_name(), "delete");
  step.action = ScaleSpec{};
  EXPECT_STREQ(step.action_name(), "scale");
  step.action = PodsSpec{};
  EXPECT_STREQ(step.action_name(), "pods");
}

TEST(ScenarioSpec, ARequestGoesToTheDefaultGatewayOnPort80) {
  RequestSpec request;
  EXPECT_EQ(request.gateway, "istio-system/istio-ingressgateway");
  EXPECT_EQ(request.port, 80u);
  EXPECT_EQ(request.scheme, "http");
  ScenarioLoad load;
  EXPECT_FALSE(load.ok());  // no scenario yet
}

}  // namespace
}  // namespace gwsim::conformance
