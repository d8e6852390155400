// GWS0003 and GWS0004 (engine/analysis/empty_subset.cc): a routed subset without pods, a routed
// cluster the gateway does not have.
#include <gtest/gtest.h>

#include "tests/engine/analysis/analysis_test_support.h"

namespace gwsim::analysis::testing {
namespace {

TEST(EmptySubsetTest, SubsetWithoutPodsAndUndefinedSubset) {
  Context context = context_of_yaml(gateway_and_echo_world() + R"(
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: echo, namespace: default}
spec:
  host: echo
  subsets:
  - {name: v1, labels: {version: v1}}
  - {name: v2, labels: {version: v2}}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: shop, namespace: default}
spec:
  hosts: [shop.example.com]
  gateways: [gw]
  http:
  - match: [{uri: {prefix: /v1}}]
    route: [{destination: {host: echo, subset: v1}}]
  - match: [{uri: {prefix: /v2}}]
    route: [{destination: {host: echo, subset: v2}}]
  - route: [{destination: {host: echo, subset: v3}}]
)", "shop.yaml");
  auto messages = run_analyzer(context, "gwsim.EmptySubsetAnalyzer");
  ASSERT_EQ(messages.size(), 2u) << listing(messages);
  EXPECT_EQ(messages[0].to_string(),
            "Warning [GWS0003] (VirtualService default/shop shop.yaml:57) Subset \"v2\" of host "
            "echo.default.svc.cluster.local selects no pods: requests routed to cluster "
            "outbound|80|v2|echo.default.svc.cluster.local get 503 no healthy upstream.");
  EXPECT_EQ(messages[1].type->code, "GWS0004");
  EXPECT_EQ(messages[1].text,
            "Route #2 (VirtualService default/shop http[2]) of virtual host shop.example.com:80 sends traffic to "
            "cluster outbound|80|v3|echo.default.svc.cluster.local, which the gateway does not have (503 cluster not "
            "found).");
}

}  // namespace
}  // namespace gwsim::analysis::testing
