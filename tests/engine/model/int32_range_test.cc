// Tests of engine/model/int32_range.h: int32 fields out of range, as Kubernetes' decoder sees them.
#include "engine/model/int32_range.h"

#include <gtest/gtest.h>

namespace gwsim::model {
namespace {

Object make(Json doc) {
  Object o;
  o.doc = std::move(doc);
  return o;
}

TEST(Int32Range, InRangeIsFine) {
  EXPECT_TRUE(int32_out_of_range(make({{"apiVersion", "apps/v1"},
                                       {"kind", "Deployment"},
                                       {"spec", {{"replicas", 2147483647}}}}))
                  .empty());
  EXPECT_TRUE(int32_out_of_range(make({{"apiVersion", "v1"},
                                       {"kind", "Service"},
                                       {"spec", {{"ports", {{{"port", 80}, {"targetPort", "http"}}}}}}}))
                  .empty());
}

TEST(Int32Range, EachFieldOutOfRangeWithItsPointer) {
  auto problems = int32_out_of_range(make({{"apiVersion", "apps/v1"},
                                           {"kind", "StatefulSet"},
                                           {"spec", {{"replicas", 4294967297ull}, {"ordinals", {{"start", -2147483649ll}}}}}}));
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].pointer, "/spec/replicas");
  EXPECT_EQ(problems[0].message,
            "json: cannot unmarshal number 4294967297 into Go struct field StatefulSetSpec.spec.replicas of type int32");
  EXPECT_EQ(problems[1].pointer, "/spec/ordinals/start");
  auto pod = int32_out_of_range(make({{"apiVersion", "v1"},
                                      {"kind", "Pod"},
                                      {"spec", {{"containers", {{{"ports", {{{"containerPort", 80}},
                                                                           {{"containerPort", 2147483648ull}}}}}}}}}}));
  ASSERT_EQ(pod.size(), 1u);
  EXPECT_EQ(pod[0].pointer, "/spec/containers/0/ports/1/containerPort");
  EXPECT_EQ(pod[0].message, "json: cannot unmarshal number 2147483648 into Go struct field "
                            "ContainerPort.spec.containers.ports.containerPort of type int32");
}

}  // namespace
}  // namespace gwsim::model
