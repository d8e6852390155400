// Equality label selectors: a Service's selector, a Gateway's selector, a subset's labels.
#include "engine/model/labels.h"

#include <gtest/gtest.h>

namespace gwsim::model {
namespace {

TEST(Labels, ASelectorSelectsLabelsHoldingEveryOneOfItsPairs) {
  const Labels pod = {{"app", "web"}, {"version", "v1"}, {"istio", "ingressgateway"}};
  EXPECT_TRUE(selects(Labels{{"app", "web"}}, pod));
  EXPECT_TRUE(selects(Labels{{"app", "web"}, {"version", "v1"}}, pod));
  EXPECT_FALSE(selects(Labels{{"app", "web"}, {"version", "v2"}}, pod));
  EXPECT_FALSE(selects(Labels{{"tier", "front"}}, pod));
}

TEST(Labels, AnEmptySelectorSelectsEverything) {
  EXPECT_TRUE(selects(Labels{}, Labels{}));
  EXPECT_TRUE(selects(Labels{}, Labels{{"app", "web"}}));
  EXPECT_TRUE(selects(Labels{}, Json(nullptr)));
}

TEST(Labels, JsonLabelsMatchOnlyStringValues) {
  const Json labels = {{"app", "web"}, {"replicas", 3}};
  EXPECT_TRUE(selects(Labels{{"app", "web"}}, labels));
  EXPECT_FALSE(selects(Labels{{"replicas", "3"}}, labels));  // a number is not the string "3"
  EXPECT_FALSE(selects(Labels{{"app", "web"}}, Json(nullptr)));
  EXPECT_FALSE(selects(Labels{{"app", "web"}}, Json::array({"app"})));
}

}  // namespace
}  // namespace gwsim::model
