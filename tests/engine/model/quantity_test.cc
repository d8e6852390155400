// Tests of engine/model/quantity.h: the canonical forms kube-apiserver stores quantities in
// (k8s.io/apimachinery/pkg/api/resource quantity_test.go's canonical cases).
#include "engine/model/quantity.h"

#include <gtest/gtest.h>

namespace gwsim::model {
namespace {

TEST(Quantity, DecimalSiTakesTheLargestSuffixWithAnIntegralMantissa) {
  EXPECT_EQ(canonical_quantity("0.1"), "100m");
  EXPECT_EQ(canonical_quantity("100m"), "100m");
  EXPECT_EQ(canonical_quantity("1000m"), "1");
  EXPECT_EQ(canonical_quantity("1500m"), "1500m");
  EXPECT_EQ(canonical_quantity("1000"), "1k");
  EXPECT_EQ(canonical_quantity("1.5"), "1500m");
  EXPECT_EQ(canonical_quantity("0"), "0");
  EXPECT_EQ(canonical_quantity("10M"), "10M");
  EXPECT_EQ(canonical_quantity("0.0000000001"), "1n");  // under a nano: rounded up
}

TEST(Quantity, BinarySiStaysBinaryWhenItCan) {
  EXPECT_EQ(canonical_quantity("1024Mi"), "1Gi");
  EXPECT_EQ(canonical_quantity("100Mi"), "100Mi");
  EXPECT_EQ(canonical_quantity("1.5Gi"), "1536Mi");
  EXPECT_EQ(canonical_quantity("0.5Ki"), "512");  // under 1024: decimal SI
  EXPECT_EQ(canonical_quantity("1Ki"), "1Ki");
}

TEST(Quantity, WhatItDoesNotCanonicalizeIsLeftAlone) {
  EXPECT_EQ(canonical_quantity("1e3"), std::nullopt);
  EXPECT_EQ(canonical_quantity("-1"), std::nullopt);
  EXPECT_EQ(canonical_quantity("abc"), std::nullopt);
  EXPECT_EQ(canonical_quantity("12Qi"), std::nullopt);
}

}  // namespace
}  // namespace gwsim::model
