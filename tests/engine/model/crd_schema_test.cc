#include "engine/model/crd_schema.h"

#include <gtest/gtest.h>

#include "engine/model/manifest.h"

namespace gwsim::model {
namespace {

using Strings = std::vector<std::string>;

Object object_of(const std::string& yaml) {
  auto load = load_manifest_text(yaml, "s.yaml");
  EXPECT_FALSE(load.has_errors()) << yaml;
  EXPECT_EQ(load.objects.size(), 1u) << yaml;
  return load.objects.empty() ? Object{} : load.objects.front();
}

std::string istio(const std::string& kind, const std::string& spec, const std::string& name = "x") {
  return "apiVersion: networking.istio.io/v1\nkind: " + kind + "\nmetadata:\n  name: " + name +
         "\n  namespace: default\nspec:\n" + spec;
}

// The short form of each issue, in the schema's order.
Strings messages(const std::string& kind, const std::string& spec) {
  Strings out;
  for (const auto& issue : check_crd_schema(object_of(istio(kind, spec)))) out.push_back(issue.message());
  return out;
}

TEST(CrdSchemaTest, UnknownFieldIsNamedWithItsPath) {
  auto issues = check_crd_schema(object_of(istio("VirtualService", "  hosts: [a]\n  http:\n  - rout: [{destination: {host: a}}]\n")));
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].kind, SchemaIssue::Kind::kUnknownField);
  EXPECT_EQ(issues[0].path, "spec.http[0].rout");
  EXPECT_EQ(issues[0].pointer, "/spec/http/0/rout");
  EXPECT_EQ(issues[0].message(), "spec.http[0].rout: unknown field \"rout\"");
  EXPECT_TRUE(issues[0].structural());
}

TEST(CrdSchemaTest, TypesEnumsRequiredAndLimits) {
  EXPECT_EQ(messages("Gateway",
                     "  servers:\n"
                     "  - port: {number: eighty, protocol: HTTP}\n"
                     "    hosts: ['*']\n"
                     "    tls: {mode: SIMPEL, credentialNames: [a, b, c]}\n"),
            (Strings{"spec.servers[0].port.number: expected an integer, got \"eighty\"",
                     "spec.servers[0].port.name: Required value",
                     "spec.servers[0].tls.credentialNames: Too many: 3: must have at most 2 items",
                     "spec.servers[0].tls.mode: unsupported value \"SIMPEL\" (supported: PASSTHROUGH, SIMPLE, MUTUAL, "
                     "AUTO_PASSTHROUGH, ISTIO_MUTUAL, OPTIONAL_MUTUAL)"}));
}

TEST(CrdSchemaTest, RequiredFieldsAreNotStructural) {
  auto issues = check_crd_schema(object_of(istio("DestinationRule", "  subsets: [{name: v1}]\n")));
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].kind, SchemaIssue::Kind::kRequired);
  EXPECT_EQ(issues[0].message(), "spec.host: Required value");
  EXPECT_FALSE(issues[0].structural());
}

TEST(CrdSchemaTest, CelRules) {
  EXPECT_EQ(messages("ServiceEntry", "  hosts: ['*']\n  ports: [{number: 0, name: http}]\n"),
            (Strings{"spec.hosts[0]: Invalid value: \"string\": hostname cannot be wildcard",
                     "spec.ports[0].number: Invalid value: \"integer\": port must be between 1-65535"}));
  EXPECT_EQ(messages("VirtualService", "  hosts: [a]\n  http: [{route: [{destination: {host: a}}], timeout: 0s}]\n"),
            Strings{"spec.http[0].timeout: Invalid value: \"string\": must be a valid duration greater than 1ms"});
}

TEST(CrdSchemaTest, OneOfGroups) {
  EXPECT_EQ(messages("VirtualService",
                     "  hosts: [a]\n  http: [{match: [{uri: {exact: /a, prefix: /a}}], route: [{destination: {host: a}}]}]\n"),
            Strings{"spec.http[0].match[0].uri: only one of exact, prefix, regex may be set"});
}

TEST(CrdSchemaTest, UnknownTopLevelField) {
  auto issues =
      check_crd_schema(object_of("apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: gw}\nspec: {}\nsepc: {}\n"));
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].message(), "sepc: unknown field \"sepc\"");
}

TEST(CrdSchemaTest, SnakeCaseFieldNamesAreUnknown) {
  // protobuf's JSON reader would take sni_hosts, but the CRD schema only knows sniHosts.
  EXPECT_EQ(messages("VirtualService", "  hosts: [a.example.com]\n  gateways: [gw]\n"
                                       "  tls: [{match: [{sni_hosts: [a.example.com]}], route: [{destination: {host: a}}]}]\n"),
            (Strings{"spec.tls[0].match[0].sni_hosts: unknown field \"sni_hosts\"",
                     "spec.tls[0].match[0].sniHosts: Required value"}));
}

TEST(CrdSchemaTest, ServiceEntryPortsAreAListMapKeyedByName) {
  EXPECT_EQ(messages("ServiceEntry",
                     "  hosts: [a.example.com]\n  ports: [{number: 80, name: http, protocol: HTTP}, {number: 81, name: http}]\n"),
            Strings{"spec.ports[1]: duplicate entry with name \"http\""});
}

TEST(CrdSchemaTest, OnlyIstioNetworkingKindsHaveASchema) {
  EXPECT_TRUE(has_crd_schema("networking.istio.io", "Gateway"));
  EXPECT_FALSE(has_crd_schema("networking.istio.io", "Sidecar"));
  EXPECT_FALSE(has_crd_schema("", "Service"));
  EXPECT_TRUE(check_crd_schema(object_of("apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {bogus: 1}\n")).empty());
}

TEST(CrdSchemaTest, CountsTheObjectsItChecks) {
  const Object gateway = object_of(istio("Gateway", "  servers: []\n"));
  const Object service = object_of("apiVersion: v1\nkind: Service\nmetadata: {name: s}\n");
  const std::size_t before = crd_schema_checks();
  check_crd_schema(gateway);
  check_crd_schema(service);  // no schema: not counted
  EXPECT_EQ(crd_schema_checks() - before, 1u);
}

TEST(CrdSchemaTest, GoValueTextPrintsFloatsShortest) {
  EXPECT_EQ(go_value_text(Json(150.5)), "150.5");
  EXPECT_EQ(go_value_text(Json(1e-05)), "1e-05");
  EXPECT_EQ(go_value_text(Json("a")), "\"a\"");
  EXPECT_EQ(json_type_name(Json(3)), "integer");
  EXPECT_EQ(json_type_name(Json::object()), "object");
}

}  // namespace
}  // namespace gwsim::model
