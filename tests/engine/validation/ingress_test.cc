// ingress.h: networking.k8s.io/v1 Ingress and IngressClass as kube-apiserver validates them on
// create (pkg/apis/networking/validation), each error in the API server's words.
#include "engine/validation/ingress.h"

#include <gtest/gtest.h>

#include "engine/model/manifest.h"
#include "engine/validation/admission.h"

namespace gwsim::validation {
namespace {

using Strings = std::vector<std::string>;

model::Object ingress_object_of(const std::string& yaml) {
  auto load = model::load_manifest_text(yaml, "ing.yaml");
  EXPECT_FALSE(load.has_errors()) << yaml;
  EXPECT_EQ(load.objects.size(), 1u) << yaml;
  return load.objects.empty() ? model::Object{} : load.objects.front();
}

std::string doc(const std::string& kind, const std::string& spec, const std::string& name = "web") {
  return "apiVersion: networking.k8s.io/v1\nkind: " + kind + "\nmetadata:\n  name: " + name + "\n" +
         (kind == "Ingress" ? "  namespace: default\n" : "") + "spec:\n" + spec;
}

Strings errors(const std::string& kind, const std::string& spec, const std::string& name = "web") {
  Strings out;
  for (const auto& e : validate_builtin(ingress_object_of(doc(kind, spec, name)))) out.push_back(e.message());
  return out;
}

const std::string kBackend = "backend: {service: {name: web, port: {number: 80}}}";
std::string rule(const std::string& host, const std::string& path) {
  return "  rules:\n  - host: " + host + "\n    http:\n      paths:\n      - " + path + "\n";
}
const std::string kSubdomainRegex =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start "
    "and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

TEST(IngressValidationTest, ValidObjectsPass) {
  EXPECT_EQ(errors("Ingress", "  ingressClassName: istio\n" +
                                  rule("a.example.com", "{path: /, pathType: Prefix, " + kBackend + "}") +
                                  "  tls: [{hosts: ['*.example.com'], secretName: cert}]\n"),
            Strings{});
  EXPECT_EQ(errors("Ingress", "  defaultBackend: {service: {name: web, port: {name: http}}}\n"), Strings{});
  EXPECT_EQ(errors("Ingress", rule("'*.example.com'",
                                   "{pathType: ImplementationSpecific, backend: {resource: {apiGroup: "
                                   "k8s.example.com, kind: StorageBucket, name: assets}}}")),
            Strings{});
  EXPECT_EQ(errors("IngressClass", "  controller: istio.io/ingress-controller\n"), Strings{});
  EXPECT_EQ(errors("IngressClass",
                   "  controller: example.com/c\n  parameters: {kind: P, name: p, scope: Namespace, namespace: ns}\n"),
            Strings{});
}

struct IngressCase {
  const char* kind;
  std::string spec;
  Strings expected;
  std::string name = "web";
};

class IngressValidationCaseTest : public ::testing::TestWithParam<IngressCase> {};

TEST_P(IngressValidationCaseTest, RefusesAsTheApiServerDoes) {
  const auto& c = GetParam();
  EXPECT_EQ(errors(c.kind, c.spec, c.name), c.expected) << c.spec;
}

std::vector<IngressCase> cases() {
  const std::string p0 = "spec.rules[0].http.paths[0]";
  return {
      // ValidateIngressSpec
      {"Ingress",
       "  tls: []\n",
       {"spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified"}},
      {"Ingress",
       "  rules: []\n",
       {"spec: Invalid value: []networking.IngressRule{}: either `defaultBackend` or `rules` must be specified"}},
      {"Ingress",
       "  ingressClassName: Istio\n  defaultBackend: {service: {name: web, port: {number: 80}}}\n",
       {"spec.ingressClassName: Invalid value: \"Istio\": " + kSubdomainRegex}},
      // validateIngressRules
      {"Ingress",
       rule("10.0.0.1", "{path: /, pathType: Prefix, " + kBackend + "}"),
       {"spec.rules[0].host: Invalid value: \"10.0.0.1\": must be a DNS name, not an IP address"}},
      {"Ingress",
       rule("A.example.com", "{path: /, pathType: Prefix, " + kBackend + "}"),
       {"spec.rules[0].host: Invalid value: \"A.example.com\": " + kSubdomainRegex}},
      {"Ingress",
       rule("'a.*.com'", "{path: /, pathType: Prefix, " + kBackend + "}"),
       {"spec.rules[0].host: Invalid value: \"a.*.com\": a wildcard DNS-1123 subdomain must start with '*.', followed "
        "by "
        "a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an "
        "alphanumeric character (e.g. '*.example.com', regex used for validation is "
        "'\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"}},
      {"Ingress", "  rules:\n  - host: a.com\n    http: {paths: []}\n", {"spec.rules[0].http.paths: Required value"}},
      // validateHTTPIngressPath
      {"Ingress",
       rule("a.com", "{path: /, " + kBackend + "}"),
       {p0 + ".pathType: Required value: pathType must be specified"}},
      {"Ingress",
       rule("a.com", "{path: /, pathType: Regex, " + kBackend + "}"),
       {p0 + ".pathType: Unsupported value: \"Regex\": supported values: \"Exact\", \"ImplementationSpecific\", "
             "\"Prefix\""}},
      {"Ingress",
       rule("a.com", "{path: a, pathType: Exact, " + kBackend + "}"),
       {p0 + ".path: Invalid value: \"a\": must be an absolute path"}},
      {"Ingress",
       rule("a.com", "{path: '/a//b/../c%2f', pathType: Prefix, " + kBackend + "}"),
       {p0 + ".path: Invalid value: \"/a//b/../c%2f\": must not contain '//'",
        p0 + ".path: Invalid value: \"/a//b/../c%2f\": must not contain '/../'",
        p0 + ".path: Invalid value: \"/a//b/../c%2f\": must not contain '%2f'"}},
      {"Ingress",
       rule("a.com", "{path: /a/.., pathType: Prefix, " + kBackend + "}"),
       {p0 + ".path: Invalid value: \"/a/..\": cannot end with '/..'"}},
      {"Ingress",
       rule("a.com", "{path: a, pathType: ImplementationSpecific, " + kBackend + "}"),
       {p0 + ".path: Invalid value: \"a\": must be an absolute path"}},
      // validateIngressBackend
      {"Ingress",
       rule("a.com", "{path: /, pathType: Prefix, backend: {}}"),
       {p0 + ".backend: Invalid value: \"\": resource or service backend is required"}},
      {"Ingress",
       rule("a.com",
            "{path: /, pathType: Prefix, backend: {service: {name: w, port: {number: 1}}, resource: {kind: K, name: "
            "n}}}"),
       {p0 + ".backend: Invalid value: \"\": cannot set both resource and service backends"}},
      {"Ingress",
       rule("a.com", "{path: /, pathType: Prefix, backend: {service: {name: 1web, port: {name: http, number: 80}}}}"),
       {p0 + ".backend.service.name: Invalid value: \"1web\": a DNS-1035 label must consist of lower case alphanumeric "
             "characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. "
             "'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
        p0 + ".backend: Invalid value: \"\": cannot set both port name & port number"}},
      {"Ingress",
       rule("a.com", "{path: /, pathType: Prefix, backend: {service: {port: {number: 70000}}}}"),
       {p0 + ".backend.service.name: Required value",
        p0 + ".backend.service.port.number: Invalid value: 70000: must be between 1 and 65535, inclusive"}},
      {"Ingress",
       rule("a.com", "{path: /, pathType: Prefix, backend: {service: {name: web, port: {name: -Http--}}}}"),
       {p0 + ".backend.service.port.name: Invalid value: \"-Http--\": must contain only alpha-numeric characters (a-z, "
             "0-9), and hyphens (-)",
        p0 + ".backend.service.port.name: Invalid value: \"-Http--\": must not contain consecutive hyphens",
        p0 + ".backend.service.port.name: Invalid value: \"-Http--\": must not begin or end with a hyphen"}},
      {"Ingress",
       rule("a.com", "{path: /, pathType: Prefix, backend: {service: {name: web}}}"),
       {p0 + ".backend: Required value: port name or number is required"}},
      {"Ingress",
       rule("a.com", "{path: /, pathType: Prefix, backend: {resource: {apiGroup: A, kind: a/b}}}"),
       {p0 + ".backend.resource.apiGroup: Invalid value: \"A\": " + kSubdomainRegex,
        p0 + ".backend.resource.kind: Invalid value: \"a/b\": may not contain '/'",
        p0 + ".backend.resource.name: Required value: name is required"}},
      // validateIngressTLS
      {"Ingress",
       "  defaultBackend: {service: {name: web, port: {number: 80}}}\n  tls: [{hosts: [A.com], secretName: Bad}]\n",
       {"spec.tls[0].hosts[0]: Invalid value: \"A.com\": " + kSubdomainRegex,
        "spec.tls[0].secretName: Invalid value: \"Bad\": " + kSubdomainRegex}},
      // ValidateObjectMeta's name
      {"Ingress",
       "  defaultBackend: {service: {name: web, port: {number: 80}}}\n",
       {"metadata.name: Invalid value: \"Web\": " + kSubdomainRegex},
       "Web"},
      // IngressClass: validateIngressClassSpec, validateIngressClassParametersReference
      {"IngressClass", "  controller: ''\n", {"spec.controller: Required value"}},
      {"IngressClass",
       "  controller: istio\n",
       {"spec.controller: Invalid value: \"istio\": must be a domain-prefixed path (such as \"acme.io/foo\")"}},
      {"IngressClass",
       "  controller: Istio.io/a b\n",
       {"spec.controller: Invalid value: \"Istio.io\": " + kSubdomainRegex,
        "spec.controller: Invalid value: \"a b\": Invalid path (regex used for validation is "
        "'[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+')"}},
      {"IngressClass",
       "  controller: a.io/" + std::string(250, 'x') + "\n",
       {"spec.controller: Too long: may not be more than 250 bytes"}},
      {"IngressClass",
       "  controller: a.io/c\n  parameters: {kind: P, name: p}\n",
       {"spec.parameters.scope: Required value"}},
      {"IngressClass",
       "  controller: a.io/c\n  parameters: {kind: P, name: p, scope: Global}\n",
       {"spec.parameters.scope: Unsupported value: \"Global\": supported values: \"Cluster\", \"Namespace\""}},
      {"IngressClass",
       "  controller: a.io/c\n  parameters: {kind: P, name: p, scope: Namespace}\n",
       {"spec.parameters.namespace: Required value: `parameters.scope` is set to 'Namespace'"}},
      {"IngressClass",
       "  controller: a.io/c\n  parameters: {kind: P, name: p, scope: Cluster, namespace: ns}\n",
       {"spec.parameters.namespace: Forbidden: `parameters.scope` is set to 'Cluster'"}},
      {"IngressClass",
       "  controller: a.io/c\n  parameters: {kind: P, name: p, scope: Namespace, namespace: Ns}\n",
       {"spec.parameters.namespace: Invalid value: \"Ns\": a lowercase RFC 1123 label must consist of lower case "
        "alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or "
        "'123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"}},
  };
}

INSTANTIATE_TEST_SUITE_P(Cases, IngressValidationCaseTest, ::testing::ValuesIn(cases()));

TEST(IngressValidationTest, TheClassAnnotationMustMatchTheClassName) {
  auto object = ingress_object_of(
      "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n  annotations: "
      "{kubernetes.io/ingress.class: "
      "nginx}\nspec:\n  ingressClassName: istio\n  defaultBackend: {service: {name: web, port: {number: 80}}}\n");
  auto found = validate_builtin(object);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(
      found[0].message(),
      "annotations.kubernetes.io/ingress.class: Invalid value: \"nginx\": must match `ingressClassName` when both "
      "are specified");
}

TEST(IngressValidationTest, AdmissionChecksStructureFirstThenValidationWithPositions) {
  // An unknown field is a strict decoding problem; validation does not run.
  auto r = admit(ingress_object_of(doc("Ingress", "  rule: []\n")));
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].kind, ProblemKind::kStrictDecoding);
  EXPECT_EQ(r.problems[0].message, "spec.rule: unknown field \"rule\"");
  EXPECT_EQ(r.problems[0].where, "ing.yaml:7:3");
  // A wrong type is a schema problem, with its line.
  r = admit(ingress_object_of(doc("Ingress", "  defaultBackend: {service: {name: web, port: {number: eighty}}}\n")));
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].kind, ProblemKind::kSchema);
  EXPECT_EQ(r.problems[0].field, "spec.defaultBackend.service.port.number");
  // A validation error: kInvalid, with the cause's reason and the field's position.
  r = admit(ingress_object_of(doc("Ingress", rule("10.0.0.1", "{path: /, pathType: Prefix, " + kBackend + "}"))));
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].kind, ProblemKind::kInvalid);
  EXPECT_EQ(r.problems[0].reason, "FieldValueInvalid");
  EXPECT_EQ(r.problems[0].field, "spec.rules[0].host");
  EXPECT_EQ(r.problems[0].message,
            "spec.rules[0].host: Invalid value: \"10.0.0.1\": must be a DNS name, not an IP address");
  EXPECT_EQ(r.problems[0].where, "ing.yaml:8:5");
  EXPECT_TRUE(admit(ingress_object_of(doc("IngressClass", "  controller: istio.io/ingress-controller\n"))).ok());
}

}  // namespace
}  // namespace gwsim::validation
