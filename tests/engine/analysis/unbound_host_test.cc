// GWS0002 (engine/analysis/unbound_host.cc): a VirtualService host no compiled gateway routes.
#include <gtest/gtest.h>

#include "tests/engine/analysis/analysis_test_support.h"

namespace gwsim::analysis::testing {
namespace {

TEST(UnboundHostTest, HostOutsideTheServerHostsIsNamed) {
  Context context = context_of_yaml(gateway_and_echo_world() + R"(
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: shop, namespace: default}
spec:
  hosts: [shop.example.com, shop.example.org]
  gateways: [gw]
  http: [{route: [{destination: {host: echo}}]}]
)", "shop.yaml");
  auto messages = run_analyzer(context, "gwsim.UnboundHostAnalyzer");
  ASSERT_EQ(messages.size(), 1u) << listing(messages);
  EXPECT_EQ(messages[0].to_string(),
            "Warning [GWS0002] (VirtualService default/shop shop.yaml:43) Host \"shop.example.org\" of this "
            "VirtualService is bound to no gateway server: no virtual host of gateway gw routes it.");
  // Istio's IST0132 is silent here: one of the hosts is in the Gateway.
  EXPECT_TRUE(run_analyzer(context, "virtualservice.GatewayAnalyzer").empty());
}

TEST(UnboundHostTest, AGatewayWithoutWorkloadBindsNothing) {
  Context context = context_of_yaml(gateway_and_echo_world() + R"(
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: other, namespace: default}
spec:
  selector: {istio: egressgateway}
  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: shop, namespace: default}
spec:
  hosts: [shop.example.net]
  gateways: [other]
  http: [{route: [{destination: {host: echo}}]}]
)");
  auto messages = run_analyzer(context, "gwsim.UnboundHostAnalyzer");
  ASSERT_EQ(messages.size(), 1u) << listing(messages);
  EXPECT_EQ(messages[0].origin, "VirtualService default/shop");
}

TEST(UnboundHostTest, BoundHostsAndMeshOnlyAreQuiet) {
  Context context = context_of_yaml(gateway_and_echo_world() + R"(
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: shop, namespace: default}
spec:
  hosts: [shop.example.com]
  gateways: [gw]
  http: [{route: [{destination: {host: echo}}]}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: internal, namespace: default}
spec:
  hosts: [echo]
  http: [{route: [{destination: {host: echo}}]}]
)");
  EXPECT_TRUE(run_analyzer(context, "gwsim.UnboundHostAnalyzer").empty());
}

}  // namespace
}  // namespace gwsim::analysis::testing
