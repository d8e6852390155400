#include "engine/validation/authorization_policy.h"

#include <gtest/gtest.h>

#include "engine/model/manifest.h"
#include "engine/validation/admission.h"
#include "engine/validation/validate.h"

namespace gwsim::validation {
namespace {

using Strings = std::vector<std::string>;

model::Object policy(const std::string& spec, const std::string& metadata_extra = "") {
  const std::string yaml =
      "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: p\n"
      "  namespace: foo\n" +
      metadata_extra + "spec:\n" + spec;
  auto load = model::load_manifest_text(yaml, "p.yaml");
  EXPECT_FALSE(load.has_errors()) << yaml;
  return load.objects.empty() ? model::Object{} : load.objects.front();
}

Strings errors_of(const std::string& spec, const std::string& metadata_extra = "") {
  return validate(policy(spec, metadata_extra)).errors;
}

const std::string kPrefix = "invalid policy p.foo: ";

// Cases ported from Istio's pkg/config/validation/validation_test.go TestValidateAuthorizationPolicy
// (gateway-relevant ones), with the messages ValidateAuthorizationPolicy gives.
struct Case {
  const char* name;
  const char* spec;
  Strings errors;
};

TEST(ValidateAuthorizationPolicy, IstioCases) {
  const Case cases[] = {
      {"good",
       "  selector: {matchLabels: {app: httpbin}}\n  rules:\n  - from: [{source: {principals: [sa1], "
       "requestPrincipals: [rp1], namespaces: [ns1], ipBlocks: [1.2.3.4, 10.0.0.0/8]}}]\n    to: [{operation: "
       "{methods: [GET], paths: [/p], ports: ['8080'], hosts: [h]}}]\n    when: [{key: source.ip, values: [1.2.3.4]}, "
       "{key: 'request.headers[X-Foo]', values: [a]}]\n",
       {}},
      {"allow-rules-nil", "  action: ALLOW\n", {}},
      {"custom-good", "  action: CUSTOM\n  provider: {name: my-custom}\n  rules: [{}]\n", {}},
      {"custom-empty-provider",
       "  action: CUSTOM\n  provider: {name: ''}\n  rules: [{}]\n",
       {kPrefix + "`provider.name` must not be empty"}},
      {"custom-nil-provider", "  action: CUSTOM\n  rules: [{}]\n", {kPrefix + "`provider.name` must not be empty"}},
      {"custom-rules-nil",
       "  action: CUSTOM\n  provider: {name: a}\n",
       {kPrefix +
        "CUSTOM action without `rules` is meaningless as it will never be triggered, add an empty rule `{}` if "
        "you want it be triggered for every request"}},
      {"custom-invalid-rule",
       "  action: CUSTOM\n  provider: {name: a}\n  rules:\n  - from: [{source: {namespaces: [ns], requestPrincipals: "
       "[rp]}}]\n    when: [{key: 'request.auth.claims[a]', values: [v]}]\n",
       {kPrefix + "From.Namespaces is currently not supported with CUSTOM action",
        kPrefix + "From.RequestPrincipals is currently not supported with CUSTOM action",
        kPrefix + "request.auth.claims[a] is currently not supported with CUSTOM action"}},
      {"provider-wrong-action",
       "  action: ALLOW\n  provider: {name: a}\n  rules: [{}]\n",
       {kPrefix + "`provider` must not be with non CUSTOM action, found ALLOW"}},
      {"deny-rules-nil",
       "  action: DENY\n",
       {kPrefix + "DENY action without `rules` is meaningless as it will never be triggered, add an empty rule `{}` if "
                  "you want it be triggered for every request"}},
      {"target-ref-wrong-kind",
       "  targetRef: {group: gateway.networking.k8s.io, kind: HTTPRoute, name: r}\n",
       {kPrefix + "targetRef must be to one of [core/v1/Service networking.istio.io/v1/ServiceEntry "
                  "gateway.networking.k8s.io/v1/Gateway gateway.networking.k8s.io/v1/GatewayClass] but was "
                  "gateway.networking.k8s.io/HTTPRoute"}},
      {"target-refs-good-service", "  targetRefs: [{kind: Service, group: '', name: foo}]\n", {}},
      {"from-empty", "  rules: [{from: []}]\n", {kPrefix + "`from` must not be empty, found at rule 0"}},
      {"source-nil", "  rules: [{from: [{}]}]\n", {kPrefix + "`from.source` must not be nil, found at rule 0"}},
      {"source-empty",
       "  rules: [{from: [{source: {}}]}]\n",
       {kPrefix + "`from.source` must not be empty, found at rule 0"}},
      {"to-empty", "  rules: [{to: []}]\n", {kPrefix + "`to` must not be empty, found at rule 0"}},
      {"operation-nil", "  rules: [{to: [{}]}]\n", {kPrefix + "`to.operation` must not be nil, found at rule 0"}},
      {"operation-empty",
       "  rules: [{to: [{operation: {}}]}]\n",
       {kPrefix + "`to.operation` must not be empty, found at rule 0"}},
      {"Principals-empty",
       "  rules: [{from: [{source: {principals: ['']}}]}]\n",
       {kPrefix + "empty value not allowed, found in Principals"}},
      {"Paths-empty",
       "  rules: [{to: [{operation: {paths: ['']}}]}]\n",
       {kPrefix + "empty value not allowed, found in Paths"}},
      {"invalid ip and port in ipBlocks",
       "  rules:\n  - from: [{source: {ipBlocks: [1.2.3.4, ip1], notIpBlocks: [5.6.7.8, ip2]}}]\n    to: [{operation: "
       "{ports: ['80', port1], notPorts: ['90', port2]}}]\n",
       {kPrefix + "bad IP address (ip1)", kPrefix + "bad IP address (ip2)",
        kPrefix + "bad port (port1): strconv.ParseUint: parsing \"port1\": invalid syntax",
        kPrefix + "bad port (port2): strconv.ParseUint: parsing \"port2\": invalid syntax"}},
      {"invalid CIDR",
       "  rules: [{from: [{source: {remoteIpBlocks: [10.0.0.0/33]}}]}]\n",
       {kPrefix + "bad CIDR range (10.0.0.0/33): netip.ParsePrefix(\"10.0.0.0/33\"): prefix length out of range"}},
      {"port out of range",
       "  rules: [{to: [{operation: {ports: ['70000']}}]}]\n",
       {kPrefix + "bad port (70000): <nil>"}},
      {"condition-key-empty", "  rules: [{when: [{key: '', values: [v1]}]}]\n", {kPrefix + "`key` must not be empty"}},
      {"condition-value-missing",
       "  rules: [{when: [{key: source.principal}]}]\n",
       {kPrefix + "at least one of `values` or `notValues` must be set for key source.principal"}},
      {"condition-value-invalid",
       "  rules: [{when: [{key: source.ip, values: [a.b.c.d]}]}]\n",
       {kPrefix + "invalid `value` for `key` source.ip: 1 error occurred:\n\t* bad IP address (a.b.c.d)\n\n"}},
      {"condition-notValue-invalid",
       "  rules: [{when: [{key: remote.ip, notValues: [a.b.c.d]}]}]\n",
       {kPrefix + "invalid `notValue` for `key` remote.ip: 1 error occurred:\n\t* bad IP address (a.b.c.d)\n\n"}},
      {"condition-unknown",
       "  rules: [{when: [{key: key1, values: [v1]}]}]\n",
       // ValidateAttribute runs on the (empty) notValues too: the key is refused twice, as Istio does.
       {kPrefix + "invalid `value` for `key` key1: unknown attribute: key1",
        kPrefix + "invalid `notValue` for `key` key1: unknown attribute: key1"}},
      {"condition bad header key",
       "  rules: [{when: [{key: 'request.headers[]', values: [v1]}]}]\n",
       {kPrefix + "invalid `value` for `key` request.headers[]: bad key (request.headers[]): should have format a[b]",
        kPrefix +
            "invalid `notValue` for `key` request.headers[]: bad key (request.headers[]): should have format a[b]"}},
      {"condition destination.labels",
       "  rules: [{when: [{key: 'destination.labels[app]', values: [v1]}]}]\n",
       {kPrefix + "invalid `value` for `key` destination.labels[app]: attribute destination.labels[app] is replaced by "
                  "the workload selector",
        kPrefix + "invalid `notValue` for `key` destination.labels[app]: attribute destination.labels[app] is "
                  "replaced by the workload selector"}},
      {"path template not last",
       "  rules: [{to: [{operation: {paths: ['/a/{**}/b/{*}']}}]}]\n",
       {kPrefix + "invalid or unsupported path a/{**}/b/{*}, found in Paths. {**} is not the last operator"}},
      {"path template with brace",
       "  rules: [{to: [{operation: {notPaths: ['/a/{x}']}}]}]\n",
       {kPrefix +
        "invalid or unsupported path a/{x}, found in NotPaths. Contains '{' or '}' beyond a supported path template"}},
      {"path template with bad literal",
       "  rules: [{to: [{operation: {paths: ['/a*/{*}']}}]}]\n",
       {kPrefix +
        "invalid or unsupported path a*/{*}, found in Paths. Contains segment a* with invalid string literal"}},
      {"path templates good", "  rules: [{to: [{operation: {paths: ['/a/{*}/b/{**}', '/c*', '*.png']}}]}]\n", {}},
  };
  for (const auto& c : cases) EXPECT_EQ(errors_of(c.spec), c.errors) << c.name;
}

TEST(ValidateAuthorizationPolicy, DenyWithOnlyHttpAttributesWarnsAboutTcpPorts) {
  auto report = validate(policy("  action: DENY\n  rules: [{to: [{operation: {methods: [GET]}}]}]\n"));
  EXPECT_TRUE(report.errors.empty());
  ASSERT_EQ(report.warnings.size(), 1u);
  EXPECT_NE(report.warnings[0].find("deny all traffic to TCP ports"), std::string::npos);
  EXPECT_TRUE(validate(policy("  action: DENY\n  rules: [{to: [{operation: {ports: ['80']}}]}]\n")).warnings.empty());
}

TEST(ValidateAuthorizationPolicy, DryRunAnnotationOnlyOnAllowAndDenyWithABool) {
  const std::string dry = "  annotations: {istio.io/dry-run: \"true\"}\n";
  EXPECT_TRUE(errors_of("  action: ALLOW\n", dry).empty());
  EXPECT_TRUE(errors_of("  action: DENY\n  rules: [{}]\n", dry).empty());
  EXPECT_EQ(errors_of("  action: DENY\n  rules: [{}]\n", "  annotations: {istio.io/dry-run: maybe}\n"),
            Strings{"foo/p has annotation istio.io/dry-run with invalid value (maybe): strconv.ParseBool: parsing "
                    "\"maybe\": invalid syntax"});
  EXPECT_EQ(errors_of("  action: AUDIT\n  rules: [{}]\n", dry),
            Strings{"the annotation istio.io/dry-run currently only supports action ALLOW/DENY, found action AUDIT in "
                    "foo/p"});
}

TEST(ValidateAuthorizationPolicy, AdmissionRefusesWithTheWebhookMessageAndTheFile) {
  auto result = admit(policy("  rules: [{from: [{source: {ipBlocks: [300.1.1.1]}}]}]\n"));
  ASSERT_TRUE(result.has(ProblemKind::kWebhookDenial));
  EXPECT_EQ(result.webhook_message(),
            "configuration is invalid: 1 error occurred:\n\t* invalid policy p.foo: bad IP address (300.1.1.1)");
  EXPECT_EQ(result.problems.front().where.rfind("p.yaml:", 0), 0u);
}

TEST(ValidateAuthorizationPolicy, SchemaRefusesUnknownFieldsAndBadEnums) {
  auto unknown = admit(policy("  rules: [{to: [{operation: {path: [/a]}}]}]\n"));
  EXPECT_TRUE(unknown.has(ProblemKind::kStrictDecoding));
  auto action = admit(policy("  action: REJECT\n"));
  EXPECT_TRUE(action.has(ProblemKind::kSchema));
  auto both =
      admit(policy("  selector: {matchLabels: {a: b}}\n  targetRefs: [{kind: Gateway, group: "
                   "gateway.networking.k8s.io, name: g}]\n"));
  EXPECT_TRUE(both.has(ProblemKind::kSchema));
}

TEST(SecurityHelpers, PortsIpsAndAttributes) {
  EXPECT_TRUE(detail::validate_ports({"0", "65535"}).errors.empty());
  EXPECT_EQ(detail::validate_ports({"-1"}).errors,
            Strings{"bad port (-1): strconv.ParseUint: parsing \"-1\": invalid syntax"});
  EXPECT_TRUE(detail::validate_ips({"::1", "fd00::/8", "10.1.2.3"}).errors.empty());
  EXPECT_EQ(detail::validate_ips({"10.0.0.0/x"}).errors,
            Strings{"bad CIDR range (10.0.0.0/x): netip.ParsePrefix(\"10.0.0.0/x\"): bad bits after slash: \"x\""});
  EXPECT_EQ(detail::validate_attribute("request.auth.claims[iss]", {"a"}), std::nullopt);
  EXPECT_EQ(detail::validate_attribute("connection.sni", {""}), "empty value not allowed, found in connection.sni");
  EXPECT_EQ(detail::validate_attribute("destination.name", {"a"}),
            "deprecated attribute destination.name: only supported in v1alpha1");
}

}  // namespace
}  // namespace gwsim::validation
