// Where ported Gateway API tests count: the profiles and core/extended split of the upstream
// suite (v1.6.1 conformance/utils/suite/profiles.go and reports.go).
#include "conformance/report/gateway_api.h"

#include <gtest/gtest.h>

namespace gwsim::conformance::report::gateway_api {
namespace {

std::vector<std::string> placed(const std::vector<std::string>& features) {
  std::vector<std::string> out;
  for (const auto& p : place(features)) out.push_back(p.profile->name + (p.extended ? " extended" : " core"));
  return out;
}

TEST(GatewayApiProfiles, ThreeProfilesSortedByName) {
  std::vector<std::string> names;
  for (const auto& p : profiles()) names.push_back(p.name);
  EXPECT_EQ(names, (std::vector<std::string>{"GATEWAY-GRPC", "GATEWAY-HTTP", "GATEWAY-TLS"}));
}

TEST(GatewayApiProfiles, ExtendedFeatureSetsAsUpstream) {
  const auto& all = profiles();
  // Gateway (10) + HTTPRoute (26) extended features + BackendTLSPolicy core and extended (2).
  EXPECT_EQ(all[1].extended.size(), 38u);
  EXPECT_TRUE(all[1].extended.count("HTTPRouteQueryParamMatching"));
  EXPECT_TRUE(all[1].extended.count("BackendTLSPolicy"));
  // GRPC: the Gateway extended features only (GRPCRouteNamedRouteRule is in no profile).
  EXPECT_EQ(all[0].extended.size(), 10u);
  EXPECT_FALSE(all[0].extended.count("GRPCRouteNamedRouteRule"));
  EXPECT_EQ(all[2].extended.size(), 12u);
  EXPECT_TRUE(all[2].extended.count("TLSRouteModeTerminate"));
}

TEST(GatewayApiProfiles, CoreTestsCountInEveryProfileTheirFeaturesFit) {
  EXPECT_EQ(placed({"Gateway", "HTTPRoute"}), std::vector<std::string>{"GATEWAY-HTTP core"});
  // A Gateway-only test is core in all three, as Istio's report counts them.
  EXPECT_EQ(placed({"Gateway", "ReferenceGrant"}),
            (std::vector<std::string>{"GATEWAY-GRPC core", "GATEWAY-HTTP core", "GATEWAY-TLS core"}));
  EXPECT_EQ(placed({"Gateway", "GRPCRoute"}), std::vector<std::string>{"GATEWAY-GRPC core"});
}

TEST(GatewayApiProfiles, AnyNonCoreFeatureMakesTheTestExtended) {
  EXPECT_EQ(placed({"Gateway", "HTTPRoute", "HTTPRouteQueryParamMatching"}),
            std::vector<std::string>{"GATEWAY-HTTP extended"});
  EXPECT_EQ(placed({"Gateway", "GatewayPort8080"}),
            (std::vector<std::string>{"GATEWAY-GRPC extended", "GATEWAY-HTTP extended", "GATEWAY-TLS extended"}));
}

TEST(GatewayApiProfiles, TestsWhoseFeaturesFitNoProfileCountNowhere) {
  EXPECT_TRUE(placed({"Gateway", "HTTPRoute", "TLSRoute"}).empty());  // HTTPRouteDisallowedKind
  EXPECT_TRUE(placed({"Gateway", "GRPCRoute", "GRPCRouteNamedRouteRule"}).empty());
  EXPECT_TRUE(placed({"Gateway", "TCPRoute"}).empty());
  EXPECT_TRUE(placed({}).empty());
}

TEST(GatewayApiProfiles, GatewayApiTestsAreThoseListingAnUpstreamFeature) {
  EXPECT_TRUE(is_test({"Gateway", "HTTPRoute"}));
  EXPECT_TRUE(is_test({"TCPRoute"}));
  EXPECT_FALSE(is_test({"HostMatching", "Cors"}));  // gwsim's own features
  EXPECT_FALSE(is_test({}));
  EXPECT_TRUE(is_feature("GatewayHTTPSListenerDetectMisdirectedRequests"));
  EXPECT_FALSE(is_feature("gateway"));  // names are case-sensitive
}

TEST(GatewayApiProfiles, ProvisionalTests) {
  EXPECT_TRUE(is_provisional("HTTPRoute303Redirect"));
  EXPECT_TRUE(is_provisional("TLSRouteTerminateSimpleSameNamespace"));
  EXPECT_FALSE(is_provisional("HTTPRouteSimpleSameNamespace"));
}

}  // namespace
}  // namespace gwsim::conformance::report::gateway_api
