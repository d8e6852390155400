// compile_manifests: manifests as every gateway's table, for `gwsim diff` and `proxy-config`.
#include "conformance/compiled_config.h"

#include <gtest/gtest.h>

namespace gwsim::conformance {
namespace {

TEST(CompiledConfig, TheSeedMakesTheDefaultIngressGatewayFirst) {
  const auto config = compile_manifests({GWSIM_SOURCE_DIR "/scenarios/seed/manifests"});
  ASSERT_TRUE(config.ok()) << config.errors[0];
  ASSERT_FALSE(config.gateway_order.empty());
  EXPECT_EQ(config.gateway_order.front(), "istio-system/istio-ingressgateway");
  const auto& table = *config.tables.at("istio-system/istio-ingressgateway");
  EXPECT_TRUE(table.route_configs.count("http.8080"));
  EXPECT_FALSE(config.objects.empty());
}

TEST(CompiledConfig, AMissingPathIsAnError) {
  const auto config = compile_manifests({"/no/such/manifests"});
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.errors[0], "/no/such/manifests: error: no such file or directory");
  EXPECT_TRUE(config.tables.empty());
}

}  // namespace
}  // namespace gwsim::conformance
