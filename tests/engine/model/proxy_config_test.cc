#include "engine/model/proxy_config.h"

#include <gtest/gtest.h>

namespace gwsim::model {
namespace {

TEST(ProxyConfigTest, ReadsGatewayTopologyNumTrustedProxies) {
  auto config = parse_proxy_config("gatewayTopology:\n  numTrustedProxies: 2\n");
  ASSERT_TRUE(config.ok()) << config.error().to_string();
  ASSERT_TRUE(config->gateway_topology.has_value());
  EXPECT_EQ(config->gateway_topology->num_trusted_proxies, 2u);
}

TEST(ProxyConfigTest, OtherFieldsAndEmptyTextGiveNoTopology) {
  auto other = parse_proxy_config("concurrency: 2\n");
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other->gateway_topology.has_value());
  auto empty = parse_proxy_config("");
  ASSERT_TRUE(empty.ok());
  EXPECT_FALSE(empty->gateway_topology.has_value());
}

TEST(ProxyConfigTest, TopologyWithoutNumTrustedProxiesLeavesItUnset) {
  auto config = parse_proxy_config("gatewayTopology:\n  forwardClientCertDetails: SANITIZE\n");
  ASSERT_TRUE(config.ok());
  ASSERT_TRUE(config->gateway_topology.has_value());
  EXPECT_FALSE(config->gateway_topology->num_trusted_proxies.has_value());
}

TEST(ProxyConfigTest, BadInputIsAnErrorValue) {
  EXPECT_FALSE(parse_proxy_config("gatewayTopology: [unclosed").ok());
  EXPECT_FALSE(parse_proxy_config("gatewayTopology:\n  numTrustedProxies: many\n").ok());
  EXPECT_FALSE(parse_proxy_config("gatewayTopology:\n  numTrustedProxies: -1\n").ok());
  auto error = parse_proxy_config("gatewayTopology:\n  numTrustedProxies: many\n");
  EXPECT_NE(error.error().message.find("proxy.istio.io/config"), std::string::npos);
}

TEST(ProxyConfigTest, PodWithoutTheAnnotationHasAnEmptyConfig) {
  Pod pod;
  auto none = proxy_config_of(pod);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->gateway_topology.has_value());
  pod.meta.annotations[kProxyConfigAnnotation] = "gatewayTopology: {numTrustedProxies: 1}";
  auto one = proxy_config_of(pod);
  ASSERT_TRUE(one.ok());
  ASSERT_TRUE(one->gateway_topology.has_value());
  EXPECT_EQ(one->gateway_topology->num_trusted_proxies, 1u);
}

}  // namespace
}  // namespace gwsim::model
