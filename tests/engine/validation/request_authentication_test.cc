// Ported from Istio's pkg/config/validation/validation_test.go TestValidateRequestAuthentication,
// run through admission (the CRD schema first, then the webhook) as the API server would.
#include "engine/validation/request_authentication.h"

#include <gtest/gtest.h>

#include "engine/model/manifest.h"
#include "engine/validation/admission.h"

namespace gwsim::validation {
namespace {

model::Object request_authentication_of(const std::string& yaml) {
  auto load = model::load_manifest_text(yaml, "ra.yaml");
  EXPECT_FALSE(load.has_errors()) << yaml;
  EXPECT_EQ(load.objects.size(), 1u) << yaml;
  return load.objects.empty() ? model::Object{} : load.objects.front();
}

AdmissionResult admit_ra(const std::string& spec, const std::string& annotations = "") {
  return admit(
      request_authentication_of("apiVersion: security.istio.io/v1\nkind: RequestAuthentication\nmetadata:\n  name: foo\n"
                "  namespace: default\n" +
                annotations + "spec:\n" + spec));
}

struct RequestAuthenticationCase {
  const char* name;
  const char* spec;
  bool valid;
};

TEST(ValidateRequestAuthentication, IstiosCases) {
  const RequestAuthenticationCase cases[] = {
      {"empty spec", "  {}\n", true},
      {"another empty spec", "  selector: {}\n", true},
      {"default name with non empty selector", "  selector: {matchLabels: {app: httpbin}}\n", true},
      {"empty jwt rule", "  jwtRules: [{}]\n", false},
      {"empty issuer and jwksUri", "  jwtRules: [{issuer: ''}]\n", false},
      {"empty issuer and set jwksUri", "  jwtRules: [{jwksUri: 'https://foo.com/cert'}]\n", true},
      {"bad JwksUri - no protocol", "  jwtRules: [{issuer: foo.com, jwksUri: foo.com}]\n", false},
      {"bad JwksUri - invalid port", "  jwtRules: [{issuer: foo.com, jwksUri: 'https://foo.com:not-a-number'}]\n",
       false},
      {"empty value",
       "  selector: {matchLabels: {app: httpbin, version: ''}}\n"
       "  jwtRules: [{issuer: foo.com, jwksUri: 'https://foo.com/cert'}]\n",
       true},
      {"bad workload selector - empty key",
       "  selector: {matchLabels: {'': httpbin}}\n"
       "  jwtRules: [{issuer: foo.com, jwksUri: 'https://foo.com/cert'}]\n",
       false},
      {"good targetRef",
       "  targetRef: {group: gateway.networking.k8s.io, kind: Gateway, name: foo}\n"
       "  jwtRules: [{issuer: foo.com, jwksUri: 'https://foo.com/cert'}]\n",
       true},
      {"bad targetRef - wrong kind", "  targetRef: {group: gateway.networking.k8s.io, kind: HTTPRoute, name: foo}\n",
       false},
      {"targetRef and selector",
       "  targetRef: {group: gateway.networking.k8s.io, kind: Gateway, name: foo}\n"
       "  selector: {matchLabels: {app: x}}\n",
       false},
      {"good",
       "  jwtRules: [{issuer: foo.com, jwksUri: 'https://foo.com', audiences: [a, b], "
       "fromHeaders: [{name: x-foo, prefix: 'Bearer '}], fromParams: [x_foo], fromCookies: [c], "
       "outputClaimToHeaders: [{header: x-sub, claim: sub}]}]\n",
       true},
      {"jwks and jwksUri", "  jwtRules: [{issuer: foo.com, jwksUri: 'https://foo.com', jwks: '{}'}]\n", false},
      {"bad jwks", "  jwtRules: [{issuer: foo.com, jwks: 'not json'}]\n", false},
      {"bad outputClaimToHeaders header",
       "  jwtRules: [{issuer: foo.com, outputClaimToHeaders: [{header: 'x:y', "
       "claim: sub}]}]\n",
       false},
      {"empty fromHeaders name", "  jwtRules: [{issuer: foo.com, fromHeaders: [{name: ''}]}]\n", false},
      {"empty audience", "  jwtRules: [{issuer: foo.com, audiences: ['']}]\n", false},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(admit_ra(c.spec).ok(), c.valid) << c.name;
  }
}

TEST(ValidateRequestAuthentication, WebhookMessagesAreIstios) {
  EXPECT_EQ(admit_ra("  jwtRules: [{}]\n").webhook_message(),
            "configuration is invalid: 1 error occurred:\n\t* issuer or jwksUri must be non-empty string");
  EXPECT_EQ(admit_ra("  jwtRules: [{issuer: foo.com, jwksUri: 'https://foo.com:not-a-number'}]\n").webhook_message(),
            "configuration is invalid: 1 error occurred:\n\t* parse \"https://foo.com:not-a-number\": invalid port "
            "\":not-a-number\" after host");
  EXPECT_EQ(
      admit_ra("  targetRef: {group: gateway.networking.k8s.io, kind: HTTPRoute, name: foo}\n").webhook_message(),
      "configuration is invalid: targetRef must be to one of [core/v1/Service networking.istio.io/v1/ServiceEntry "
      "gateway.networking.k8s.io/v1/Gateway gateway.networking.k8s.io/v1/GatewayClass] but was "
      "gateway.networking.k8s.io/HTTPRoute");
  EXPECT_EQ(admit_ra("  {}\n", "  annotations: {istio.io/dry-run: 'true'}\n").webhook_message(),
            "configuration is invalid: default/foo has unsupported annotation istio.io/dry-run, please remove the "
            "annotation");
}

TEST(ValidateRequestAuthentication, TheSchemaComesFirst) {
  auto r = admit_ra("  jwtRules: [{issuer: foo.com, jwksUri: 'ftp://foo.com'}]\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.problems[0].kind, ProblemKind::kSchema);
  EXPECT_NE(r.problems[0].message.find("url must have scheme http:// or https://"), std::string::npos)
      << r.problems[0].message;
  auto unknown = admit_ra("  jwtRule: []\n");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.problems[0].kind, ProblemKind::kStrictDecoding);
}

TEST(ValidateRequestAuthentication, WarnsAboutASelectorWithoutLabelsAndPrivateKeys) {
  auto r = admit_ra("  selector: {}\n");
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.warnings, std::vector<std::string>{"workload selector specified without labels"});
  auto priv = admit_ra(
      R"(  jwtRules: [{issuer: foo.com, jwks: '{"keys":[{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","d":"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"}]}'}])"
      "\n");
  EXPECT_TRUE(priv.ok()) << priv.webhook_message();
  EXPECT_EQ(priv.warnings,
            std::vector<std::string>{"jwks key at index 0 contains private key material; only public keys are used for "
                                     "verification"});
}

}  // namespace
}  // namespace gwsim::validation
