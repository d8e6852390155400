#include "engine/route/virtual_host_table.h"

#include <gtest/gtest.h>

namespace gwsim::route {
namespace {

VirtualHostTable make_table() {
  VirtualHostTable t;
  t.add("www.example.com", 0);
  t.add("*.example.com", 1);
  t.add("*.b.example.com", 2);
  t.add("api.*", 3);
  t.add("*", 4);
  return t;
}

TEST(VirtualHostTableTest, EnvoyLookupOrder) {
  auto t = make_table();
  EXPECT_EQ(t.find("www.example.com"), 0);        // exact
  EXPECT_EQ(t.find("x.example.com"), 1);          // suffix wildcard
  EXPECT_EQ(t.find("x.b.example.com"), 2);        // the longest suffix wins
  EXPECT_EQ(t.find("b.example.com"), 1);          // "*.b.example.com" needs more than the suffix
  EXPECT_EQ(t.find("example.com"), 4);            // "*.example.com" never matches the bare suffix
  EXPECT_EQ(t.find("api.other.org"), 3);          // prefix wildcard after suffix wildcards
  EXPECT_EQ(t.find("unknown.org"), 4);            // the "*" virtual host last
}

TEST(VirtualHostTableTest, HostIsCaseInsensitiveAndPortIsIgnored) {
  auto t = make_table();
  EXPECT_EQ(t.find("WWW.Example.COM"), 0);
  EXPECT_EQ(t.find("www.example.com:80"), 0);
  EXPECT_EQ(t.find("www.example.com:12345"), 0);
  EXPECT_EQ(t.find("X.EXAMPLE.com:8080"), 1);
}

TEST(VirtualHostTableTest, NoDefaultMeansNoMatch) {
  VirtualHostTable t;
  t.add("a.com", 0);
  EXPECT_EQ(t.find("b.com"), VirtualHostTable::kNone);
  EXPECT_EQ(t.find(""), VirtualHostTable::kNone);
}

TEST(VirtualHostTableTest, Ipv6HostsKeepTheirBrackets) {
  VirtualHostTable t;
  t.add("[::1]", 0);
  EXPECT_EQ(t.find("[::1]:80"), 0);
  EXPECT_EQ(t.find("[::1]"), 0);
}

TEST(VirtualHostTableTest, LongHostsStillMatch) {
  VirtualHostTable t;
  std::string host(300, 'a');
  host += ".example.com";
  t.add("*.example.com", 7);
  EXPECT_EQ(t.find(host), 7);
}

}  // namespace
}  // namespace gwsim::route
