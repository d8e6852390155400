#include "engine/match/remote_address.h"

#include <gtest/gtest.h>

namespace gwsim::match {
namespace {

http::Request with_xff(const char* xff, const char* peer = "10.0.0.9") {
  http::Request r;
  r.source_ip = peer;
  if (xff) r.headers = {{"X-Forwarded-For", xff}};
  return r;
}

route::RouteTable trusting(std::uint32_t hops) {
  route::RouteTable table;
  table.proxy.num_trusted_proxies = hops;
  return table;
}

TEST(RemoteAddress, XffEntriesAreCountedFromTheRightAndTrimmed) {
  EXPECT_EQ(address_from_xff("56.5.6.7, 72.9.5.6, 98.1.2.3", 0), "98.1.2.3");
  EXPECT_EQ(address_from_xff("56.5.6.7, 72.9.5.6, 98.1.2.3", 1), "72.9.5.6");
  EXPECT_EQ(address_from_xff("56.5.6.7, 72.9.5.6, 98.1.2.3", 2), "56.5.6.7");
  EXPECT_EQ(address_from_xff("56.5.6.7, 72.9.5.6, 98.1.2.3", 3), std::nullopt);  // too short
  EXPECT_EQ(address_from_xff("2001:db8::1", 0), "2001:db8::1");
  EXPECT_EQ(address_from_xff("unknown, 1.2.3.4", 1), std::nullopt);  // not an address
}

TEST(RemoteAddress, WithoutTrustedProxiesThePeerIsTheClient) {
  EXPECT_EQ(remote_address(trusting(0), with_xff("1.2.3.4")), "10.0.0.9");
  EXPECT_EQ(remote_address(trusting(2), with_xff(nullptr)), "10.0.0.9");
}

TEST(RemoteAddress, TrustedProxiesNameTheClientInXff) {
  // Istio's XFFGatewayCase: numTrustedProxies 2 trusts the last XFF entry's proxy.
  EXPECT_EQ(remote_address(trusting(2), with_xff("56.5.6.7, 72.9.5.6, 98.1.2.3")), "72.9.5.6");
  EXPECT_EQ(remote_address(trusting(1), with_xff("56.5.6.7, 72.9.5.6, 98.1.2.3")), "98.1.2.3");
  // Fewer entries than trusted hops, or garbage: the peer.
  EXPECT_EQ(remote_address(trusting(5), with_xff("56.5.6.7")), "10.0.0.9");
  EXPECT_EQ(remote_address(trusting(1), with_xff("not-an-ip")), "10.0.0.9");
}

TEST(RemoteAddress, DetectFillsTheRoutingResult) {
  RoutingResult out;
  detect_remote_address(trusting(2), with_xff("56.5.6.7, 72.9.5.6, 98.1.2.3"), out);
  EXPECT_EQ(out.remote_address, "72.9.5.6");
}

TEST(RemoteAddress, InternalNeedsNoXffAndAnAddressInTheInternalCidrs) {
  const std::vector<std::string> rfc1918 = {"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"};
  EXPECT_TRUE(is_internal_request(with_xff(nullptr), "10.0.0.9", rfc1918));
  EXPECT_FALSE(is_internal_request(with_xff("10.1.1.1"), "10.1.1.1", rfc1918));  // XFF never trusted for it
  EXPECT_FALSE(is_internal_request(with_xff(nullptr), "8.8.8.8", rfc1918));
  EXPECT_FALSE(is_internal_request(with_xff(nullptr), "10.0.0.9", {}));  // Istio's gateways: none
}

TEST(RemoteAddress, CidrsMatchByPrefix) {
  EXPECT_TRUE(in_cidrs("172.31.255.1", {"172.16.0.0/12"}));
  EXPECT_FALSE(in_cidrs("172.32.0.1", {"172.16.0.0/12"}));
  EXPECT_TRUE(in_cidrs("1.2.3.4", {"1.2.3.4"}));
  EXPECT_TRUE(in_cidrs("1.2.3.4", {"0.0.0.0/0"}));
  EXPECT_FALSE(in_cidrs("1.2.3.4", {"1.2.3.0/33", "bad/8"}));
  EXPECT_FALSE(in_cidrs("::1", {"0.0.0.0/0"}));
}

}  // namespace
}  // namespace gwsim::match
