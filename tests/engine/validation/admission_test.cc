#include "engine/validation/admission.h"

#include <gtest/gtest.h>

#include "engine/model/crd_schema.h"
#include "engine/model/manifest.h"
#include "engine/model/snapshot.h"

namespace gwsim::validation {
namespace {

model::Object object_of(const std::string& yaml) {
  auto load = model::load_manifest_text(yaml, "a.yaml");
  EXPECT_FALSE(load.has_errors()) << yaml;
  EXPECT_EQ(load.objects.size(), 1u) << yaml;
  return load.objects.empty() ? model::Object{} : load.objects.front();
}

std::string istio(const std::string& kind, const std::string& spec, const std::string& name = "x") {
  return "apiVersion: networking.istio.io/v1\nkind: " + kind + "\nmetadata:\n  name: " + name +
         "\n  namespace: default\nspec:\n" + spec;
}

TEST(AdmissionTest, AValidObjectIsAdmittedWithTheWebhooksWarnings) {
  auto r = admit(object_of(istio("ServiceEntry", "  hosts: ['*foo.example.com']\n  ports: [{number: 80, name: http, protocol: HTTP}]\n")));
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.warnings, std::vector<std::string>{"partial wildcard \"*foo.example.com\" not allowed"});
}

TEST(AdmissionTest, AnUnknownFieldIsAStrictDecodingProblemWithItsPosition) {
  auto r = admit(object_of(istio("VirtualService", "  hosts: [a]\n  http:\n  - rout: [{destination: {host: a}}]\n")));
  ASSERT_EQ(r.problems.size(), 1u);
  const AdmissionProblem& p = r.problems[0];
  EXPECT_EQ(p.kind, ProblemKind::kStrictDecoding);
  EXPECT_EQ(p.field, "spec.http[0].rout");
  EXPECT_EQ(p.message, "spec.http[0].rout: unknown field \"rout\"");
  EXPECT_EQ(p.where, "a.yaml:9:5");  // the `rout:` key
  ASSERT_TRUE(p.schema.has_value());
  EXPECT_TRUE(r.has(ProblemKind::kStrictDecoding));
  EXPECT_FALSE(r.has(ProblemKind::kWebhookDenial));
}

TEST(AdmissionTest, SchemaViolationsAreSchemaProblems) {
  auto r = admit(object_of(istio("DestinationRule", "  subsets: [{name: v1}]\n", "dr")));
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].kind, ProblemKind::kSchema);
  EXPECT_EQ(r.problems[0].field, "spec.host");
  EXPECT_EQ(r.problems[0].message, "spec.host: Required value");
  EXPECT_EQ(r.schema_issues().size(), 1u);
  EXPECT_EQ(r.webhook_message(), "");
}

TEST(AdmissionTest, UnknownAndInvalidFieldsAreToldApart) {
  auto r = admit(object_of(istio("VirtualService", "  hosts: [a.example.com]\n  gateways: [gw]\n"
                                                   "  tls: [{match: [{sni_hosts: [a.example.com]}], route: [{destination: {host: a}}]}]\n")));
  ASSERT_EQ(r.problems.size(), 2u);
  EXPECT_EQ(r.problems[0].kind, ProblemKind::kStrictDecoding);
  EXPECT_EQ(r.problems[1].kind, ProblemKind::kSchema);
  EXPECT_EQ(r.problems[1].field, "spec.tls[0].match[0].sniHosts");
}

TEST(AdmissionTest, TheWebhookDeniesWhatTheSchemaLetsThrough) {
  auto r = admit(object_of(istio("VirtualService",
                                 "  hosts: [a]\n  http: [{route: [{destination: {host: a}, weight: -1}, {destination: {host: b}, weight: 1}]}]\n")));
  ASSERT_EQ(r.problems.size(), 2u);
  for (const auto& p : r.problems) {
    EXPECT_EQ(p.kind, ProblemKind::kWebhookDenial);
    EXPECT_EQ(p.field, "");
    EXPECT_EQ(p.where, "a.yaml:1:1");
    EXPECT_FALSE(p.schema.has_value());
  }
  EXPECT_EQ(r.problems[0].message, "weight -1 < 0");
  EXPECT_EQ(r.webhook_message(), "configuration is invalid: 2 errors occurred:\n\t* weight -1 < 0\n\t* total destination weight = 0");
}

TEST(AdmissionTest, ASchemaRefusalNeverReachesTheWebhook) {
  // Without a port name the webhook would also say "port name must be set"; the CRD speaks first.
  auto r = admit(object_of(istio("Gateway", "  servers:\n  - port: {number: 80, protocol: HTTP}\n    hosts: [a]\n", "gw")));
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].kind, ProblemKind::kSchema);
  EXPECT_FALSE(r.has(ProblemKind::kWebhookDenial));
}

TEST(AdmissionTest, OtherKindsPassUnchecked) {
  const std::size_t before = model::crd_schema_checks();
  EXPECT_TRUE(admit(object_of("apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {bogus: 1}\n")).ok());
  EXPECT_EQ(model::crd_schema_checks(), before);
}

// The snapshot reader takes admission's word for the schema; objects from elsewhere it checks.
TEST(AdmissionTest, AdmittedObjectsAreReadWithoutASecondSchemaCheck) {
  const model::Object vs = object_of(istio("VirtualService", "  hosts: [a]\n  http: [{route: [{destination: {host: a}}]}]\n"));
  model::ConfigSnapshot snapshot;
  std::size_t before = model::crd_schema_checks();
  ASSERT_TRUE(admit(vs).ok());
  ASSERT_TRUE(model::add_to_snapshot(vs, snapshot, model::Admitted::kYes).ok());
  EXPECT_EQ(model::crd_schema_checks() - before, 1u);
  EXPECT_EQ(snapshot.virtual_services.size(), 1u);
  before = model::crd_schema_checks();
  ASSERT_TRUE(model::add_to_snapshot(vs, snapshot).ok());
  EXPECT_EQ(model::crd_schema_checks() - before, 1u);
}

TEST(AdmissionTest, EachObjectIsSchemaCheckedOnce) {
  const model::Object good = object_of(istio("Gateway", "  servers:\n  - port: {number: 80, name: http, protocol: HTTP}\n    hosts: ['*']\n", "gw"));
  const model::Object denied =
      object_of(istio("VirtualService", "  hosts: [a]\n  http: [{route: [{destination: {host: a}}, {destination: {host: b}}]}]\n"));
  const model::Object refused = object_of(istio("DestinationRule", "  subsets: [{name: v1}]\n", "dr"));
  for (const auto* object : {&good, &denied, &refused}) {
    const std::size_t before = model::crd_schema_checks();
    admit(*object);
    EXPECT_EQ(model::crd_schema_checks() - before, 1u) << object->kind();
  }
}

}  // namespace
}  // namespace gwsim::validation

namespace gwsim::validation {
namespace {

std::string gateway_api(const std::string& kind, const std::string& spec) {
  return "apiVersion: gateway.networking.k8s.io/v1\nkind: " + kind + "\nmetadata:\n  name: x\n  namespace: default\nspec:\n" +
         spec;
}

TEST(AdmissionGatewayApiTest, TheCrdSchemaAndItsRulesRefuseWithPositions) {
  // A CEL rule: a schema problem carrying the CRD's message, at the rule's node.
  auto r = admit(object_of(gateway_api("HTTPRoute", "  parentRefs: [{name: gw}]\n  rules:\n  - backendRefs: [{name: s}]\n")));
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].kind, ProblemKind::kSchema);
  EXPECT_EQ(r.problems[0].field, "spec.rules[0].backendRefs[0]");
  EXPECT_EQ(r.problems[0].message, "spec.rules[0].backendRefs[0]: Invalid value: \"object\": Must have port for Service reference");
  EXPECT_EQ(r.problems[0].where, "a.yaml:9:19");
  ASSERT_TRUE(r.problems[0].schema.has_value());
  EXPECT_EQ(r.problems[0].schema->kind, model::SchemaIssue::Kind::kRule);
  // An unknown field: strict decoding, nothing else.
  r = admit(object_of(gateway_api("Gateway", "  gatewayClassName: istio\n  listeners: [{name: a, port: 80, protocol: HTTP, tsl: {}}]\n")));
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].kind, ProblemKind::kStrictDecoding);
  EXPECT_EQ(r.problems[0].message, "spec.listeners[0].tsl: unknown field \"tsl\"");
  EXPECT_EQ(r.problems[0].where, "a.yaml:8:51");
  // A valid object is admitted; Istio's webhook is not asked about Gateway API kinds.
  r = admit(object_of(gateway_api("GatewayClass", "  controllerName: istio.io/gateway-controller\n")));
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(r.warnings.empty());
}

}  // namespace
}  // namespace gwsim::validation

namespace gwsim::validation {
namespace {

TEST(AdmissionGatewayApiTest, AnUpdateRunsTheTransitionRules) {
  auto old_class = object_of(
      "apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: {name: istio}\n"
      "spec: {controllerName: istio.io/gateway-controller}\n");
  auto renamed = object_of(
      "apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: {name: istio}\n"
      "spec: {controllerName: example.com/other, description: x}\n");
  auto described = object_of(
      "apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: {name: istio}\n"
      "spec: {controllerName: istio.io/gateway-controller, description: x}\n");
  // On create the transition rule does not run.
  EXPECT_TRUE(admit(renamed).ok());
  auto r = admit_update(renamed, old_class);
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].kind, ProblemKind::kSchema);
  EXPECT_EQ(r.problems[0].message, "spec.controllerName: Invalid value: \"string\": Value is immutable");
  EXPECT_TRUE(admit_update(described, old_class).ok());
  // Other kinds: as admit().
  EXPECT_TRUE(admit_update(object_of(gateway_api("GatewayClass", "  controllerName: a.io/b\n")),
                           object_of(gateway_api("GatewayClass", "  controllerName: a.io/b\n")))
                  .ok());
}

}  // namespace
}  // namespace gwsim::validation
