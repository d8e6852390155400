#include "engine/route/internal_annotations.h"

#include <gtest/gtest.h>

namespace gwsim::route {
namespace {

model::Meta with(std::map<std::string, std::string> annotations) {
  model::Meta m;
  m.annotations = std::move(annotations);
  return m;
}

TEST(InternalAnnotations, RouteSemanticsAreGatewayOrIngress) {
  EXPECT_TRUE(uses_gateway_semantics(with({{"internal.istio.io/route-semantics", "gateway"}})));
  EXPECT_FALSE(uses_ingress_semantics(with({{"internal.istio.io/route-semantics", "gateway"}})));
  EXPECT_TRUE(uses_ingress_semantics(with({{"internal.istio.io/route-semantics", "ingress"}})));
  EXPECT_FALSE(uses_gateway_semantics(with({})));
  EXPECT_FALSE(uses_gateway_semantics(with({{"internal.istio.io/route-semantics", "Gateway"}})));
}

// push_context.go mergeGateways splits the annotation at commas, as written.
TEST(InternalAnnotations, GatewayServiceIsACommaSeparatedList) {
  auto meta = with({{"internal.istio.io/gateway-service", "a.ns.svc.cluster.local,b.ns.svc.cluster.local"}});
  EXPECT_TRUE(has_gateway_service(meta));
  EXPECT_EQ(gateway_service_hostnames(meta),
            (std::vector<std::string>{"a.ns.svc.cluster.local", "b.ns.svc.cluster.local"}));
  // Present but empty: no Service, so the Gateway binds nowhere (its selector is not used).
  auto empty = with({{"internal.istio.io/gateway-service", ""}});
  EXPECT_TRUE(has_gateway_service(empty));
  EXPECT_TRUE(gateway_service_hostnames(empty).empty());
  EXPECT_FALSE(has_gateway_service(with({})));
}

TEST(InternalAnnotations, GatewayApiGatewaysCarryGatewaySemantics) {
  EXPECT_TRUE(is_gateway_api_gateway(with({{"internal.istio.io/gateway-semantics", "gateway"}})));
  EXPECT_FALSE(is_gateway_api_gateway(with({{"internal.istio.io/gateway-service", "a.ns.svc.cluster.local"}})));
}

}  // namespace
}  // namespace gwsim::route
