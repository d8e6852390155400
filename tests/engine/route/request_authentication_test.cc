#include "engine/route/request_authentication.h"

#include <gtest/gtest.h>

#include "engine/jwt/signing_key.h"
#include "engine/model/manifest.h"
#include "engine/model/snapshot.h"

namespace gwsim::route {
namespace {

model::ConfigSnapshot snapshot_of(const std::string& yaml) {
  auto load = model::load_manifest_text(yaml, "ra.yaml");
  EXPECT_FALSE(load.has_errors()) << yaml;
  auto built = model::build_snapshot(load.objects);
  for (const auto& p : built.problems) ADD_FAILURE() << p.object << ": " << p.message;
  return built.snapshot;
}

std::string ra(const std::string& ns, const std::string& name, const std::string& spec) {
  return "---\napiVersion: security.istio.io/v1\nkind: RequestAuthentication\nmetadata:\n  name: " + name +
         "\n  namespace: " + ns + "\nspec:\n" + spec;
}

GatewayProxy ingress(model::Labels labels = {{"istio", "ingressgateway"}, {"app", "istio-ingressgateway"}},
                     std::string ns = "istio-system") {
  GatewayProxy p;
  p.namespace_ = std::move(ns);
  p.labels = std::move(labels);
  return p;
}

std::vector<std::string> names(const std::vector<const model::RequestAuthentication*>& list) {
  std::vector<std::string> out;
  for (const auto* r : list) out.push_back(r->meta.namespace_ + "/" + r->meta.name);
  return out;
}

// pilot/pkg/model/authentication.go getConfigsForWorkload: the workload's namespace, then the
// root namespace; a selector must be a subset of the workload's labels.
TEST(RequestAuthenticationsFor, NamespaceRootAndSelector) {
  auto snap = snapshot_of(ra("istio-system", "root", "  jwtRules: [{issuer: a}]\n") +
                          ra("istio-system", "selected", "  selector: {matchLabels: {istio: ingressgateway}}\n") +
                          ra("istio-system", "other-workload", "  selector: {matchLabels: {app: httpbin}}\n") +
                          ra("default", "elsewhere", "  jwtRules: [{issuer: b}]\n") +
                          ra("gw", "gw-ns", "  jwtRules: [{issuer: c}]\n"));
  EXPECT_EQ(names(request_authentications_for(snap, ingress())),
            (std::vector<std::string>{"istio-system/root", "istio-system/selected"}));
  // A gateway in its own namespace gets its namespace's policies, then the root namespace's.
  EXPECT_EQ(names(request_authentications_for(snap, ingress({{"istio", "ingressgateway"}}, "gw"))),
            (std::vector<std::string>{"gw/gw-ns", "istio-system/root", "istio-system/selected"}));
}

// policyattachment.go ShouldAttachPolicy: targetRefs attach only to a Gateway API deployment
// (its gateway.networking.k8s.io/gateway-name label) in the policy's namespace.
TEST(RequestAuthenticationsFor, TargetRefs) {
  auto snap = snapshot_of(
      ra("default", "to-gw", "  targetRef: {group: gateway.networking.k8s.io, kind: Gateway, name: my-gw}\n") +
      ra("default", "to-other", "  targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: other}]\n") +
      ra("default", "selector", "  selector: {matchLabels: {app: x}}\n"));
  EXPECT_TRUE(request_authentications_for(snap, ingress({{"istio", "ingressgateway"}}, "default")).empty());
  auto gw = ingress({{"gateway.networking.k8s.io/gateway-name", "my-gw"}, {"app", "x"}}, "default");
  EXPECT_EQ(names(request_authentications_for(snap, gw)),
            (std::vector<std::string>{"default/selector", "default/to-gw"}));
}

TEST(BuildJwtAuthn, OneProviderPerRuleSortedByIssuerWithDefaultLocations) {
  auto key = jwt::SigningKey::from_seed("ES256", "k").key;
  const std::string jwks = key->jwks("k1");
  auto snap = snapshot_of(ra("istio-system", "a",
                             "  jwtRules:\n  - issuer: zeta\n    jwks: '" + jwks + "'\n  - issuer: alpha\n    jwks: '" +
                                 jwks + "'\n    fromHeaders: [{name: x-token, prefix: 'Bearer '}]\n"));
  std::vector<std::string> warnings;
  auto config = build_jwt_authn(snap, ingress(), warnings);
  ASSERT_NE(config, nullptr);
  ASSERT_EQ(config->providers.size(), 2u);
  EXPECT_EQ(config->providers[0].name, "origins-0");
  EXPECT_EQ(config->providers[0].rule.issuer, "alpha");
  EXPECT_EQ(config->providers[0].from_headers.size(), 1u);
  EXPECT_TRUE(config->providers[0].from_params.empty());
  EXPECT_EQ(config->providers[1].rule.issuer, "zeta");
  ASSERT_EQ(config->providers[1].from_headers.size(), 1u);
  EXPECT_EQ(config->providers[1].from_headers[0].name, "Authorization");
  EXPECT_EQ(config->providers[1].from_headers[0].prefix, "Bearer ");
  EXPECT_EQ(config->providers[1].from_params, std::vector<std::string>{"access_token"});
  EXPECT_EQ(config->providers[1].jwks->status(), jwt::Status::kOk);
  EXPECT_TRUE(warnings.empty());
}

TEST(BuildJwtAuthn, NoRulesNoFilter) {
  auto snap = snapshot_of(ra("istio-system", "a", "  selector: {matchLabels: {istio: ingressgateway}}\n"));
  std::vector<std::string> warnings;
  EXPECT_EQ(build_jwt_authn(snap, ingress(), warnings), nullptr);
}

// jwks_resolver.go BuildLocalJwks: gwsim answers a jwksUri from an annotated ConfigMap; one
// nobody answers gets Istio's fail-closed key and istiod's warning.
TEST(BuildJwtAuthn, JwksUriFromAConfigMapElseFailClosed) {
  auto key = jwt::SigningKey::from_seed("RS256", "k").key;
  auto snap =
      snapshot_of(ra("istio-system", "a",
                     "  jwtRules:\n  - issuer: known\n    jwksUri: https://idp.example.com/jwks.json\n"
                     "  - issuer: unknown\n    jwksUri: https://nowhere.example.com/jwks.json\n") +
                  "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: idp-jwks\n  namespace: istio-system\n"
                  "  annotations: {gwsim.io/jwks-uri: 'https://idp.example.com/jwks.json'}\ndata:\n  jwks: '" +
                  key->jwks("") + "'\n");
  ASSERT_EQ(snap.jwks_documents.size(), 1u);
  std::vector<std::string> warnings;
  auto config = build_jwt_authn(snap, ingress(), warnings);
  ASSERT_NE(config, nullptr);
  ASSERT_EQ(config->providers.size(), 2u);
  EXPECT_EQ(config->providers[0].jwks_source,
            "jwksUri https://idp.example.com/jwks.json (ConfigMap istio-system/idp-jwks)");
  EXPECT_EQ(config->providers[0].jwks->status(), jwt::Status::kOk);
  EXPECT_NE(config->providers[1].jwks_source.find("not resolved"), std::string::npos);
  EXPECT_EQ(config->providers[1].jwks->status(), jwt::Status::kOk);  // a real key nobody can sign for
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("JWT requests will be rejected"), std::string::npos);
}

}  // namespace
}  // namespace gwsim::route
