#include "engine/datapath/address_map.h"

#include <gtest/gtest.h>

namespace gwsim::datapath {
namespace {

TEST(AddressMap, ResolvesOnlyWhatWasPublished) {
  AddressMap map;
  EXPECT_FALSE(map.resolve("127.1.0.1", 8080).has_value());
  map.publish({{SocketAddress{"127.1.0.1", 8080}, SocketAddress{"127.1.0.1", 41234}}});
  auto actual = map.resolve("127.1.0.1", 8080);
  ASSERT_TRUE(actual.has_value());
  EXPECT_EQ(actual->to_string(), "127.1.0.1:41234");
  EXPECT_FALSE(map.resolve("127.1.0.1", 8081).has_value());
}

TEST(AddressMap, SnapshotsStayValidAcrossPublishes) {
  AddressMap map;
  map.publish({{SocketAddress{"127.1.0.1", 80}, SocketAddress{"127.1.0.1", 80}}});
  auto before = map.snapshot();
  map.publish({});
  EXPECT_EQ(before->size(), 1u);
  EXPECT_TRUE(map.snapshot()->empty());
}

}  // namespace
}  // namespace gwsim::datapath
