#include "engine/route/unsimulated.h"

#include <gtest/gtest.h>

namespace gwsim::route {
namespace {

model::UnsimulatedObject object(const std::string& kind, const std::string& ns, const std::string& name,
                                std::optional<model::Labels> selector = std::nullopt,
                                std::vector<model::PolicyTargetRef> refs = {}) {
  model::UnsimulatedObject o;
  o.kind = kind;
  o.meta.namespace_ = ns;
  o.meta.name = name;
  o.selector = std::move(selector);
  o.target_refs = std::move(refs);
  return o;
}

GatewayProxy istio_gateway() {
  GatewayProxy p;
  p.namespace_ = "istio-system";
  p.labels = {{"istio", "ingressgateway"}, {"app", "istio-ingressgateway"}};
  return p;
}

GatewayProxy gateway_api_gateway() {  // deployed for Gateway default/gw
  GatewayProxy p;
  p.namespace_ = "default";
  p.labels = {{"gateway.networking.k8s.io/gateway-name", "gw"}, {"app", "gw-istio"}};
  return p;
}

const model::PolicyTargetRef kToGw{"gateway.networking.k8s.io", "Gateway", "gw", ""};

TEST(UnsimulatedApplies, RootAndOwnNamespaceWithoutSelectorApply) {
  EXPECT_TRUE(applies_to_gateway(object("EnvoyFilter", "istio-system", "a"), istio_gateway()));
  EXPECT_TRUE(applies_to_gateway(object("EnvoyFilter", "istio-system", "a"), gateway_api_gateway()));  // root
  EXPECT_TRUE(applies_to_gateway(object("EnvoyFilter", "default", "a"), gateway_api_gateway()));       // own
  EXPECT_FALSE(applies_to_gateway(object("EnvoyFilter", "default", "a"), istio_gateway()));            // other
}

TEST(UnsimulatedApplies, SelectorsMustBeASubsetOfThePodsLabels) {
  EXPECT_TRUE(applies_to_gateway(object("WasmPlugin", "istio-system", "w", model::Labels{{"istio", "ingressgateway"}}),
                                 istio_gateway()));
  EXPECT_FALSE(applies_to_gateway(object("WasmPlugin", "istio-system", "w", model::Labels{{"app", "reviews"}}),
                                  istio_gateway()));
  EXPECT_TRUE(applies_to_gateway(object("WasmPlugin", "istio-system", "w", model::Labels{}), istio_gateway()));
}

TEST(UnsimulatedApplies, TargetRefsAttachOnlyToTheGatewayApiGatewayTheyName) {
  // A gateway not deployed for a Gateway API Gateway ignores policies with targetRefs.
  EXPECT_FALSE(applies_to_gateway(object("EnvoyFilter", "istio-system", "t", std::nullopt, {kToGw}), istio_gateway()));
  EXPECT_TRUE(applies_to_gateway(object("EnvoyFilter", "default", "t", std::nullopt, {kToGw}), gateway_api_gateway()));
  // The policy must be in the Gateway's namespace; the root namespace does not reach it.
  EXPECT_FALSE(
      applies_to_gateway(object("EnvoyFilter", "istio-system", "t", std::nullopt, {kToGw}), gateway_api_gateway()));
  model::PolicyTargetRef other = kToGw;
  other.name = "other";
  EXPECT_FALSE(applies_to_gateway(object("EnvoyFilter", "default", "t", std::nullopt, {other}), gateway_api_gateway()));
  model::PolicyTargetRef elsewhere = kToGw;
  elsewhere.namespace_ = "x";
  EXPECT_FALSE(
      applies_to_gateway(object("EnvoyFilter", "default", "t", std::nullopt, {elsewhere}), gateway_api_gateway()));
  model::PolicyTargetRef service{"", "Service", "gw", ""};
  EXPECT_FALSE(
      applies_to_gateway(object("EnvoyFilter", "default", "t", std::nullopt, {service}), gateway_api_gateway()));
}

TEST(UnsimulatedApplies, AddKeepsWhatOtherStepsNamedAndSorts) {
  model::ConfigSnapshot snapshot;
  snapshot.unsimulated = {object("EnvoyFilter", "istio-system", "b"), object("EnvoyFilter", "default", "skip"),
                          object("WasmPlugin", "istio-system", "a")};
  std::vector<UnsimulatedRef> out = {{"AuthorizationPolicy", "istio-system", "ext-authz", "CUSTOM"}};
  add_unsimulated(snapshot, istio_gateway(), out);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].kind, "AuthorizationPolicy");
  EXPECT_EQ(out[1].name, "b");
  EXPECT_EQ(out[2].kind, "WasmPlugin");
  EXPECT_FALSE(out[1].why.empty());
  add_unsimulated(snapshot, istio_gateway(), out);  // twice: no duplicates
  EXPECT_EQ(out.size(), 3u);
}

}  // namespace
}  // namespace gwsim::route
