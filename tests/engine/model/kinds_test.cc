// The one table of kinds: groups, served versions, and what the engine reads.
#include "engine/model/kinds.h"

#include <gtest/gtest.h>

namespace gwsim::model {
namespace {

TEST(Kinds, FindsAKindOnlyInItsGroup) {
  const KindInfo* gw = find_kind("networking.istio.io", "Gateway");
  ASSERT_NE(gw, nullptr);
  EXPECT_EQ(std::string(gw->versions.front()), "v1");
  EXPECT_EQ(gw->versions.size(), 3u);
  // The Gateway API has a Gateway of its own: a different kind, found only in its group.
  const KindInfo* k8s_gw = find_kind("gateway.networking.k8s.io", "Gateway");
  ASSERT_NE(k8s_gw, nullptr);
  EXPECT_NE(k8s_gw, gw);
  EXPECT_EQ(find_kind_named("Gateway"), gw);
  EXPECT_EQ(find_kind("gateway.networking.k8s.io", "VirtualService"), nullptr);
  EXPECT_EQ(find_kind("", "Deployment"), nullptr);
  EXPECT_NE(find_kind("apps", "Deployment"), nullptr);
}

TEST(Kinds, ApiVersionsAreGroupSlashVersionExceptForTheCoreGroup) {
  EXPECT_EQ(preferred_api_version(*find_kind_named("Service")), "v1");
  EXPECT_EQ(preferred_api_version(*find_kind_named("StatefulSet")), "apps/v1");
  EXPECT_EQ(preferred_api_version(*find_kind_named("VirtualService")), "networking.istio.io/v1");
  EXPECT_EQ(group_version(*find_kind_named("DestinationRule"), "v1alpha3"), "networking.istio.io/v1alpha3");
  EXPECT_EQ(find_kind_named("Widget"), nullptr);
}

TEST(Kinds, TheEngineReadsItsKindsAndStoresTheRest) {
  for (const char* k : {"Namespace", "Service", "Pod", "Endpoints", "Secret"}) EXPECT_TRUE(is_engine_kind("", k)) << k;
  for (const char* k : {"Gateway", "VirtualService", "DestinationRule", "ServiceEntry"})
    EXPECT_TRUE(is_engine_kind(kIstioNetworkingGroup, k)) << k;
  EXPECT_TRUE(is_engine_kind("", "ConfigMap"));  // those standing in for a jwksUri server
  EXPECT_FALSE(is_engine_kind("apps", "Deployment"));
  EXPECT_FALSE(is_engine_kind(kIstioNetworkingGroup, "Sidecar"));
  EXPECT_FALSE(find_kind(kIstioNetworkingGroup, "Sidecar")->simulated);
  EXPECT_TRUE(find_kind("apps", "DaemonSet")->simulated);
  // The Gateway API kinds Istio's kube gateway controller translates (engine/kube_gateway).
  for (const char* k : {"GatewayClass", "Gateway", "HTTPRoute", "GRPCRoute", "ReferenceGrant", "TLSRoute", "TCPRoute"}) {
    EXPECT_TRUE(is_engine_kind(kGatewayApiGroup, k)) << k;
    EXPECT_TRUE(find_kind(kGatewayApiGroup, k)->simulated) << k;
  }
  EXPECT_FALSE(find_kind(kGatewayApiGroup, "BackendTLSPolicy")->simulated);
  EXPECT_FALSE(find_kind(kGatewayApiGroup, "ListenerSet")->simulated);
}

}  // namespace
}  // namespace gwsim::model
