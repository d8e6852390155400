// crd_schema.h on the Gateway API kinds (gateway-api v1.6.1 standard CRDs): valid objects pass,
// each CEL rule refuses an object with the CRD's own message at the rule's path, unknown fields
// and wrong types are refused with the field's file:line, and the API server's defaults and
// ordering (rules only after a clean schema) hold.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "engine/model/crd_schema.h"
#include "engine/model/detail_crd_schema_tables_gateway_api.h"
#include "engine/model/manifest.h"

namespace gwsim::model {
namespace {

using Strings = std::vector<std::string>;

Object gateway_api_object_of(const std::string& yaml) {
  auto load = load_manifest_text(yaml, "route.yaml");
  EXPECT_FALSE(load.has_errors()) << yaml;
  EXPECT_EQ(load.objects.size(), 1u) << yaml;
  return load.objects.empty() ? Object{} : load.objects.front();
}

std::string gwapi(const std::string& kind, const std::string& spec, const std::string& version = "v1") {
  return "apiVersion: gateway.networking.k8s.io/" + version + "\nkind: " + kind +
         "\nmetadata:\n  name: x\n  namespace: default\nspec:\n" + spec;
}

// "path: detail" of each failed CEL rule; "path: message()" of anything else.
Strings issues(const std::string& kind, const std::string& spec, const std::string& version = "v1") {
  Strings out;
  for (const auto& i : check_crd_schema(gateway_api_object_of(gwapi(kind, spec, version)))) {
    out.push_back(i.kind == SchemaIssue::Kind::kRule ? i.path + ": " + i.detail : i.message());
  }
  return out;
}

const char* kParent = "  parentRefs: [{name: gw}]\n";
// The API server's note when a blocking schema error kept it from running the CEL rules.
const char* kNotChecked =
    "<nil>: some validation rules were not checked because the object was invalid; correct the existing errors to "
    "complete validation";

std::string route_rule(const std::string& rule) { return std::string(kParent) + "  rules:\n  - " + rule + "\n"; }
std::string filter(const std::string& f) { return route_rule("filters: [" + f + "]"); }

TEST(CrdSchemaGatewayApiTest, KindsAndServedVersionsHaveSchemas) {
  for (const char* kind :
       {"GatewayClass", "Gateway", "HTTPRoute", "GRPCRoute", "ReferenceGrant", "TLSRoute", "TCPRoute"}) {
    EXPECT_TRUE(has_crd_schema("gateway.networking.k8s.io", kind)) << kind;
  }
  EXPECT_FALSE(has_crd_schema("gateway.networking.k8s.io", "UDPRoute"));
  // Every version the CRDs serve is checked (TLSRoute v1alpha2 by the experimental channel's CRD).
  EXPECT_EQ(issues("HTTPRoute", "  hostnames: [1]\n", "v1beta1"),
            (Strings{"spec.hostnames[0]: expected a string, got 1", kNotChecked}));
  EXPECT_EQ(issues("TLSRoute", "  hostnames: [a.com]\n  rules: [{backendRefs: [{name: s, port: 443}]}]\n", "v1alpha2"),
            Strings{});
}

TEST(CrdSchemaGatewayApiTest, ValidObjectsPass) {
  struct Case {
    const char* kind;
    std::string spec;
  };
  const std::vector<Case> valid = {
      {"GatewayClass", "  controllerName: istio.io/gateway-controller\n"},
      {"Gateway",
       "  gatewayClassName: istio\n"
       "  addresses: [{value: 10.0.0.1}, {type: Hostname, value: gw.example.com}]\n"
       "  infrastructure: {labels: {app: gw, example.com/team: a}, annotations: {note: x}}\n"
       "  listeners:\n"
       "  - {name: http, port: 80, protocol: HTTP, hostname: '*.example.com',\n"
       "     allowedRoutes: {namespaces: {from: Selector, selector: {matchLabels: {a: b}}}, kinds: [{kind: "
       "HTTPRoute}]}}\n"
       "  - {name: https, port: 443, protocol: HTTPS, tls: {certificateRefs: [{name: cert}]}}\n"
       "  - {name: tls, port: 8443, protocol: TLS, tls: {mode: Passthrough}}\n"
       "  - {name: tcp, port: 9000, protocol: TCP}\n"},
      {"HTTPRoute",
       std::string(kParent) +
           "  hostnames: [example.com, '*.example.com']\n"
           "  rules:\n"
           "  - name: first\n"
           "    matches:\n"
           "    - path: {type: PathPrefix, value: /api}\n"
           "      headers: [{name: x-a, value: b}]\n"
           "      queryParams: [{type: RegularExpression, name: q, value: '^a.*'}]\n"
           "      method: GET\n"
           "    filters:\n"
           "    - type: URLRewrite\n"
           "      urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /v2}, hostname: b.example.com}\n"
           "    - type: RequestHeaderModifier\n"
           "      requestHeaderModifier: {set: [{name: a, value: b}], add: [{name: c, value: d}], remove: [x]}\n"
           "    backendRefs:\n"
           "    - {name: svc, port: 8080, weight: 90}\n"
           "    - {name: other, port: 8080, weight: 10, filters: [{type: RequestMirror, requestMirror: "
           "{backendRef: {name: m, port: 80}, percent: 5}}]}\n"
           "    timeouts: {request: 10s, backendRequest: 2s}\n"
           "  - filters: [{type: RequestRedirect, requestRedirect: {scheme: https, statusCode: 301}}]\n"},
      {"GRPCRoute",
       std::string(kParent) +
           "  hostnames: [grpc.example.com]\n"
           "  rules:\n"
           "  - matches: [{method: {service: helloworld.Greeter, method: SayHello}, headers: [{name: a, value: b}]}]\n"
           "    backendRefs: [{name: grpc, port: 50051}]\n"},
      {"ReferenceGrant",
       "  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: other}]\n"
       "  to: [{group: '', kind: Service}]\n"},
      {"TLSRoute",
       std::string(kParent) + "  hostnames: [a.example.com]\n  rules: [{backendRefs: [{name: s, port: 443}]}]\n"},
      {"TCPRoute", std::string(kParent) + "  rules: [{backendRefs: [{name: s, port: 9000}]}]\n"},
  };
  for (const auto& c : valid) EXPECT_EQ(issues(c.kind, c.spec), Strings{}) << c.kind << "\n" << c.spec;
}

TEST(CrdSchemaGatewayApiTest, UnknownFieldsAndWrongTypesNameTheFieldAndItsLine) {
  auto object = gateway_api_object_of(gwapi("HTTPRoute",
                                "  parentRefs: [{name: gw}]\n"
                                "  rules:\n"
                                "  - matches:\n"
                                "    - path: {type: PathPrefix, valeu: /a}\n"
                                "    backendRefs: [{name: s, port: eighty}]\n"));
  auto found = check_crd_schema(object);
  // Fields in the document's key order; no rules run (strict decoding refuses first).
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].kind, SchemaIssue::Kind::kType);
  EXPECT_EQ(found[0].message(), "spec.rules[0].backendRefs[0].port: expected an integer, got \"eighty\"");
  EXPECT_EQ(object.where(found[0].pointer), "route.yaml:11:29");
  EXPECT_TRUE(found[0].structural());
  EXPECT_EQ(found[1].kind, SchemaIssue::Kind::kUnknownField);
  EXPECT_EQ(found[1].message(), "spec.rules[0].matches[0].path.valeu: unknown field \"valeu\"");
  EXPECT_EQ(object.where(found[1].pointer), "route.yaml:10:32");
  // An unknown top-level spec field of a Gateway, and of metadata (strict decoding covers both).
  EXPECT_EQ(issues("Gateway",
                   "  gatewayClassName: istio\n  listener: []\n  listeners: [{name: a, port: 80, protocol: HTTP}]\n"),
            (Strings{"spec.listener: unknown field \"listener\""}));
}

TEST(CrdSchemaGatewayApiTest, BoundsPatternsAndListsAreWordedAsTheApiServerDoes) {
  auto found = check_crd_schema(gateway_api_object_of(gwapi("Gateway",
                                                "  gatewayClassName: ''\n"
                                                "  listeners:\n"
                                                "  - {name: Bad_Name, port: 0, protocol: HTTP}\n")));
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0].path, "spec.gatewayClassName");
  EXPECT_EQ(found[0].kind, SchemaIssue::Kind::kRange);
  EXPECT_EQ(found[0].detail, "should be at least 1 chars long");
  EXPECT_FALSE(found[0].structural());
  EXPECT_EQ(found[1].path, "spec.listeners[0].name");
  EXPECT_EQ(found[1].detail, "should match '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$'");
  EXPECT_EQ(found[2].path, "spec.listeners[0].port");
  EXPECT_EQ(found[2].detail, "should be greater than or equal to 1");
  EXPECT_TRUE(found[2].structural());

  EXPECT_EQ(issues("HTTPRoute", filter("{type: RequestHeaderModifier, requestHeaderModifier: {remove: [a, b, a]}}")),
            (Strings{"spec.rules[0].filters[0].requestHeaderModifier.remove[2]: duplicate entry \"a\""}));
  EXPECT_EQ(issues("Gateway", "  gatewayClassName: istio\n  listeners: []\n"),
            (Strings{"spec.listeners: invalid value a list: should have at least 1 items"}));
  EXPECT_EQ(issues("HTTPRoute", std::string(kParent) + "  rules: [{matches: [{path: {type: Prefix, value: /}}]}]\n"),
            (Strings{"spec.rules[0].matches[0].path.type: unsupported value \"Prefix\" (supported: Exact, PathPrefix, "
                     "RegularExpression)",
                     kNotChecked}));
}

TEST(CrdSchemaGatewayApiTest, DefaultsAreAppliedBeforeTheRules) {
  auto object =
      gateway_api_object_of(gwapi("HTTPRoute", std::string(kParent) + "  rules: [{backendRefs: [{name: s, port: 80}]}]\n"));
  Json doc = with_crd_defaults(object);
  EXPECT_EQ(doc["spec"]["rules"][0]["matches"], Json::parse(R"([{"path":{"type":"PathPrefix","value":"/"}}])"));
  EXPECT_EQ(doc["spec"]["parentRefs"][0]["group"], "gateway.networking.k8s.io");
  EXPECT_EQ(doc["spec"]["parentRefs"][0]["kind"], "Gateway");
  EXPECT_EQ(doc["spec"]["rules"][0]["backendRefs"][0]["weight"], 1);
  EXPECT_EQ(doc["spec"]["rules"][0]["backendRefs"][0]["kind"], "Service");
  // The defaulted backendRef kind "Service" makes a port required.
  EXPECT_EQ(issues("HTTPRoute", std::string(kParent) + "  rules: [{backendRefs: [{name: s}]}]\n"),
            (Strings{"spec.rules[0].backendRefs[0]: Must have port for Service reference"}));
  EXPECT_EQ(issues("HTTPRoute",
                   std::string(kParent) + "  rules: [{backendRefs: [{name: s, kind: Backend, group: example.com}]}]\n"),
            Strings{});
}

TEST(CrdSchemaGatewayApiTest, ARulesParentIsCheckedBeforeItsChildren) {
  // The API server's CEL validator: a node's rules, then its children's (list invariants after the
  // schema, before any rule).
  EXPECT_EQ(issues("Gateway",
                   "  gatewayClassName: istio\n"
                   "  listeners:\n"
                   "  - {name: a, port: 443, protocol: HTTPS, tls: {}}\n"
                   "  - {name: a, port: 80, protocol: HTTP}\n"),
            (Strings{"spec.listeners[1]: duplicate entry with name \"a\"",
                     "spec.listeners: Listener name must be unique within the Gateway",
                     "spec.listeners[0].tls: certificateRefs or options must be specified when mode is Terminate"}));
}

TEST(CrdSchemaGatewayApiTest, AListFarOverItsBoundIsRefusedWithoutRunningTheRules) {
  // 2,000 listeners of one name (maxItems 64): a blocking error, so the quadratic uniqueness rules never run
  // (the API server's hasBlockingErr: no "Listener name must be unique") and the check stays fast.
  std::string listeners = "  gatewayClassName: istio\n  listeners:\n";
  for (int i = 0; i < 2000; ++i) listeners += "  - {name: l, port: 80, protocol: HTTP}\n";
  auto found = check_crd_schema(gateway_api_object_of(gwapi("Gateway", listeners)));
  ASSERT_FALSE(found.empty());
  EXPECT_EQ(found.front().message(), "spec.listeners: Too many: 2000: must have at most 64 items");
  EXPECT_EQ(found.back().path, "<nil>");
  for (const auto& issue : found) EXPECT_NE(issue.kind == SchemaIssue::Kind::kRule && issue.path != "<nil>", true);
}

// One failing object per CEL rule of the CRDs, with the CRD's message at the rule's path.
struct RuleCase {
  const char* kind;
  std::string spec;
  std::string expected;  // "path: message"
  // What else the API server reports on the same object (a pattern or list key the same value
  // also breaks, a second rule it cannot help breaking), in order around `expected`.
  Strings before = {}, after = {};
  const char* version = "v1";
};

class CrdSchemaGatewayApiRuleTest : public ::testing::TestWithParam<RuleCase> {};

TEST_P(CrdSchemaGatewayApiRuleTest, RefusesWithTheCrdMessage) {
  const auto& c = GetParam();
  Strings expected = c.before;
  expected.push_back(c.expected);
  expected.insert(expected.end(), c.after.begin(), c.after.end());
  EXPECT_EQ(issues(c.kind, c.spec, c.version), expected) << c.spec;
}

std::string gateway(const std::string& listeners, const std::string& extra = "") {
  return "  gatewayClassName: istio\n" + extra + "  listeners: [" + listeners + "]\n";
}
const char* kHttp = "{name: http, port: 80, protocol: HTTP}";

std::vector<RuleCase> rule_cases() {
  const std::string path_rule = "spec.rules[0].matches[0].path: ";
  const std::string f0 = "spec.rules[0].filters[0]: ";
  std::vector<RuleCase> cases = {
      // HTTPRoute spec.rules[].matches[].path (HTTPPathMatch)
      {"HTTPRoute", route_rule("matches: [{path: {type: Exact, value: a}}]"),
       path_rule + "value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']"},
      {"HTTPRoute", route_rule("matches: [{path: {value: /a//b}}]"),
       path_rule + "must not contain '//' when type one of ['Exact', 'PathPrefix']"},
      {"HTTPRoute", route_rule("matches: [{path: {value: /a/./b}}]"),
       path_rule + "must not contain '/./' when type one of ['Exact', 'PathPrefix']"},
      {"HTTPRoute", route_rule("matches: [{path: {value: /a/../b}}]"),
       path_rule + "must not contain '/../' when type one of ['Exact', 'PathPrefix']"},
      {"HTTPRoute", route_rule("matches: [{path: {value: /a%2fb}}]"),
       path_rule + "must not contain '%2f' when type one of ['Exact', 'PathPrefix']"},
      {"HTTPRoute", route_rule("matches: [{path: {value: /a%2Fb}}]"),
       path_rule + "must not contain '%2F' when type one of ['Exact', 'PathPrefix']"},
      {"HTTPRoute",
       route_rule("matches: [{path: {value: '/a#b'}}]"),
       path_rule + "must not contain '#' when type one of ['Exact', 'PathPrefix']",
       {},
       {path_rule +
        "must only contain valid characters (matching ^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$) "
        "for types ['Exact', 'PathPrefix']"}},
      {"HTTPRoute", route_rule("matches: [{path: {value: /a/..}}]"),
       path_rule + "must not end with '/..' when type one of ['Exact', 'PathPrefix']"},
      {"HTTPRoute", route_rule("matches: [{path: {value: /a/.}}]"),
       path_rule + "must not end with '/.' when type one of ['Exact', 'PathPrefix']"},
      {"HTTPRoute", route_rule("matches: [{path: {value: '/a b'}}]"),
       path_rule +
           "must only contain valid characters (matching ^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$) "
           "for types ['Exact', 'PathPrefix']"},
      // spec.rules: the total of matches
      {"HTTPRoute",
       [] {
         std::string s = std::string(kParent) + "  rules:\n";
         std::string matches;
         for (int i = 0; i < 43; ++i)
           matches += std::string(i ? ", " : "") + "{path: {value: /m" + std::to_string(i) + "}}";
         for (int r = 0; r < 3; ++r) s += "  - matches: [" + matches + "]\n";
         return s;
       }(),
       "spec.rules: While 16 rules and 64 matches per rule are allowed, the total number of matches across all rules "
       "in a "
       "route must be less than 128"},
      // spec.rules[] (HTTPRouteRule)
      {"HTTPRoute",
       route_rule("filters: [{type: RequestRedirect, requestRedirect: {scheme: https}}]\n    backendRefs: [{name: s, "
                  "port: 80}]"),
       "spec.rules[0]: RequestRedirect filter must not be used together with backendRefs"},
      {"HTTPRoute",
       route_rule("matches: [{path: {type: Exact, value: /a}}]\n    filters: [{type: RequestRedirect, requestRedirect: "
                  "{path: {type: ReplacePrefixMatch, replacePrefixMatch: /b}}}]"),
       "spec.rules[0]: When using RequestRedirect filter with path.replacePrefixMatch, exactly one PathPrefix match "
       "must be "
       "specified"},
      {"HTTPRoute",
       route_rule("matches: [{path: {value: /a}}, {path: {value: /c}}]\n    filters: [{type: URLRewrite, urlRewrite: "
                  "{path: {type: ReplacePrefixMatch, replacePrefixMatch: /b}}}]"),
       "spec.rules[0]: When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be "
       "specified"},
      {"HTTPRoute",
       route_rule(
           "matches: [{path: {type: Exact, value: /a}}]\n    backendRefs: [{name: s, port: 80, filters: "
           "[{type: RequestRedirect, requestRedirect: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /b}}}]}]"),
       "spec.rules[0]: Within backendRefs, when using RequestRedirect filter with path.replacePrefixMatch, exactly one "
       "PathPrefix match must be specified"},
      {"HTTPRoute",
       route_rule("matches: [{path: {type: Exact, value: /a}}]\n    backendRefs: [{name: s, port: 80, filters: "
                  "[{type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /b}}}]}]"),
       "spec.rules[0]: Within backendRefs, When using URLRewrite filter with path.replacePrefixMatch, exactly one "
       "PathPrefix match must be specified"},
      {"HTTPRoute", route_rule("backendRefs: [{name: s}]"),
       "spec.rules[0].backendRefs[0]: Must have port for Service reference"},
      {"HTTPRoute", route_rule("timeouts: {request: 1s, backendRequest: 2s}"),
       "spec.rules[0].timeouts: backendRequest timeout cannot be longer than request timeout"},
      // spec.rules[].filters (the list)
      {"HTTPRoute",
       filter(
           "{type: RequestRedirect, requestRedirect: {scheme: https}}, {type: URLRewrite, urlRewrite: {hostname: a}}"),
       "spec.rules[0].filters: May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but "
       "not "
       "both"},
      {"HTTPRoute", filter("{type: CORS, cors: {allowOrigins: ['*']}}, {type: CORS, cors: {allowOrigins: ['*']}}"),
       "spec.rules[0].filters: CORS filter cannot be repeated"},
      {"HTTPRoute",
       filter("{type: RequestHeaderModifier, requestHeaderModifier: {remove: [a]}}, {type: RequestHeaderModifier, "
              "requestHeaderModifier: {remove: [b]}}"),
       "spec.rules[0].filters: RequestHeaderModifier filter cannot be repeated"},
      {"HTTPRoute",
       filter("{type: ResponseHeaderModifier, responseHeaderModifier: {remove: [a]}}, {type: ResponseHeaderModifier, "
              "responseHeaderModifier: {remove: [b]}}"),
       "spec.rules[0].filters: ResponseHeaderModifier filter cannot be repeated"},
      {"HTTPRoute",
       filter("{type: RequestRedirect, requestRedirect: {scheme: https}}, {type: RequestRedirect, requestRedirect: "
              "{port: 8443}}"),
       "spec.rules[0].filters: RequestRedirect filter cannot be repeated"},
      {"HTTPRoute",
       filter("{type: URLRewrite, urlRewrite: {hostname: a}}, {type: URLRewrite, urlRewrite: {hostname: b}}"),
       "spec.rules[0].filters: URLRewrite filter cannot be repeated"},
      // spec.rules[].filters[] (HTTPRouteFilter)
      {"HTTPRoute", filter("{type: CORS}"), f0 + "filter.cors must be specified for CORS filter.type"},
      {"HTTPRoute", filter("{type: ExtensionRef}"),
       f0 + "filter.extensionRef must be specified for ExtensionRef filter.type"},
      {"HTTPRoute", filter("{type: RequestHeaderModifier}"),
       f0 + "filter.requestHeaderModifier must be specified for RequestHeaderModifier filter.type"},
      {"HTTPRoute", filter("{type: RequestMirror}"),
       f0 + "filter.requestMirror must be specified for RequestMirror filter.type"},
      {"HTTPRoute", filter("{type: RequestRedirect}"),
       f0 + "filter.requestRedirect must be specified for RequestRedirect filter.type"},
      {"HTTPRoute", filter("{type: ResponseHeaderModifier}"),
       f0 + "filter.responseHeaderModifier must be specified for ResponseHeaderModifier filter.type"},
      {"HTTPRoute", filter("{type: URLRewrite}"),
       f0 + "filter.urlRewrite must be specified for URLRewrite filter.type"},
      {"HTTPRoute", filter("{type: URLRewrite, urlRewrite: {}, cors: {}}"),
       f0 + "filter.cors must be nil if the filter.type is not CORS"},
      {"HTTPRoute", filter("{type: URLRewrite, urlRewrite: {}, extensionRef: {group: g, kind: K, name: n}}"),
       f0 + "filter.extensionRef must be nil if the filter.type is not ExtensionRef"},
      {"HTTPRoute", filter("{type: URLRewrite, urlRewrite: {}, requestHeaderModifier: {}}"),
       f0 + "filter.requestHeaderModifier must be nil if the filter.type is not RequestHeaderModifier"},
      {"HTTPRoute", filter("{type: URLRewrite, urlRewrite: {}, requestMirror: {backendRef: {name: m, port: 80}}}"),
       f0 + "filter.requestMirror must be nil if the filter.type is not RequestMirror"},
      {"HTTPRoute", filter("{type: URLRewrite, urlRewrite: {}, requestRedirect: {}}"),
       f0 + "filter.requestRedirect must be nil if the filter.type is not RequestRedirect"},
      {"HTTPRoute", filter("{type: URLRewrite, urlRewrite: {}, responseHeaderModifier: {}}"),
       f0 + "filter.responseHeaderModifier must be nil if the filter.type is not ResponseHeaderModifier"},
      {"HTTPRoute", filter("{type: CORS, cors: {}, urlRewrite: {}}"),
       f0 + "filter.urlRewrite must be nil if the filter.type is not URLRewrite"},
      // filter configurations
      {"HTTPRoute", filter("{type: CORS, cors: {allowOrigins: ['*', 'https://a.com']}}"),
       "spec.rules[0].filters[0].cors.allowOrigins: AllowOrigins cannot contain '*' alongside other origins"},
      {"HTTPRoute", filter("{type: CORS, cors: {allowMethods: ['*', GET]}}"),
       "spec.rules[0].filters[0].cors.allowMethods: AllowMethods cannot contain '*' alongside other methods"},
      {"HTTPRoute", filter("{type: CORS, cors: {allowHeaders: ['*', x-a]}}"),
       "spec.rules[0].filters[0].cors.allowHeaders: AllowHeaders cannot contain '*' alongside other methods"},
      {"HTTPRoute",
       filter("{type: RequestMirror, requestMirror: {backendRef: {name: m, port: 80}, percent: 5, fraction: "
              "{numerator: 1}}}"),
       "spec.rules[0].filters[0].requestMirror: Only one of percent or fraction may be specified in "
       "HTTPRequestMirrorFilter"},
      {"HTTPRoute", filter("{type: RequestMirror, requestMirror: {backendRef: {name: m}}}"),
       "spec.rules[0].filters[0].requestMirror.backendRef: Must have port for Service reference"},
      {"HTTPRoute",
       filter("{type: RequestMirror, requestMirror: {backendRef: {name: m, port: 80}, fraction: {numerator: 3, "
              "denominator: 2}}}"),
       "spec.rules[0].filters[0].requestMirror.fraction: numerator must be less than or equal to denominator"},
      {"HTTPRoute", filter("{type: URLRewrite, urlRewrite: {path: {type: ReplaceFullPath}}}"),
       "spec.rules[0].filters[0].urlRewrite.path: replaceFullPath must be specified when type is set to "
       "'ReplaceFullPath'"},
      {"HTTPRoute",
       filter("{type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replaceFullPath: /a}}}"),
       "spec.rules[0].filters[0].urlRewrite.path: type must be 'ReplaceFullPath' when replaceFullPath is set",
       {},
       {"spec.rules[0].filters[0].urlRewrite.path: replacePrefixMatch must be specified when type is set to "
        "'ReplacePrefixMatch'"}},
      {"HTTPRoute", filter("{type: RequestRedirect, requestRedirect: {path: {type: ReplacePrefixMatch}}}"),
       "spec.rules[0].filters[0].requestRedirect.path: replacePrefixMatch must be specified when type is set to "
       "'ReplacePrefixMatch'"},
      {"HTTPRoute",
       filter("{type: RequestRedirect, requestRedirect: {path: {type: ReplaceFullPath, replacePrefixMatch: /a}}}"),
       "spec.rules[0].filters[0].requestRedirect.path: type must be 'ReplacePrefixMatch' when replacePrefixMatch is "
       "set",
       {"spec.rules[0].filters[0].requestRedirect.path: replaceFullPath must be specified when type is set to "
        "'ReplaceFullPath'"}},
      // The same filter rules inside a backendRef.
      {"HTTPRoute", route_rule("backendRefs: [{name: s, port: 80, filters: [{type: RequestMirror}]}]"),
       "spec.rules[0].backendRefs[0].filters[0]: filter.requestMirror must be specified for RequestMirror filter.type"},
      // parentRefs (CommonRouteSpec)
      {"HTTPRoute", "  parentRefs: [{name: gw}, {name: gw, sectionName: http}]\n",
       "spec.parentRefs: sectionName must be specified when parentRefs includes 2 or more references to the same "
       "parent"},
      {"HTTPRoute", "  parentRefs: [{name: gw, sectionName: http}, {name: gw, sectionName: http}]\n",
       "spec.parentRefs: sectionName must be unique when parentRefs includes 2 or more references to the same parent"},
      // TLSRoute v1alpha2 (the experimental channel's CRD)
      {"TLSRoute",
       std::string(kParent) +
           "  rules: [{name: a, backendRefs: [{name: s, port: 1}]}, {name: a, backendRefs: [{name: s, port: 1}]}]\n",
       "spec.rules: Rule name must be unique within the route",
       {},
       {},
       "v1alpha2"},
      {"TLSRoute",
       "  parentRefs: [{name: gw, port: 443}, {name: gw}]\n  rules: [{backendRefs: [{name: s, port: 1}]}]\n",
       "spec.parentRefs: sectionName or port must be specified when parentRefs includes 2 or more references to the "
       "same "
       "parent",
       {},
       {},
       "v1alpha2"},
      {"TLSRoute",
       "  parentRefs: [{name: gw, port: 443}, {name: gw, port: 443}]\n  rules: [{backendRefs: [{name: s, port: 1}]}]\n",
       "spec.parentRefs: sectionName or port must be unique when parentRefs includes 2 or more references to the same "
       "parent",
       {},
       {},
       "v1alpha2"},
      // GRPCRoute
      {"GRPCRoute", std::string(kParent) + "  rules: [{matches: [{method: {type: Exact}}]}]\n",
       "spec.rules[0].matches[0].method: One or both of 'service' or 'method' must be specified"},
      {"GRPCRoute", std::string(kParent) + "  rules: [{matches: [{method: {service: 'a-b'}}]}]\n",
       "spec.rules[0].matches[0].method: service must only contain valid characters (matching "
       "^(?i)\\.?[a-z_][a-z_0-9]*(\\.[a-z_][a-z_0-9]*)*$)"},
      {"GRPCRoute", std::string(kParent) + "  rules: [{matches: [{method: {method: '9x'}}]}]\n",
       "spec.rules[0].matches[0].method: method must only contain valid characters (matching "
       "^[A-Za-z_][A-Za-z_0-9]*$)"},
      {"GRPCRoute", std::string(kParent) + "  rules: [{backendRefs: [{name: s}]}]\n",
       "spec.rules[0].backendRefs[0]: Must have port for Service reference"},
      {"GRPCRoute", std::string(kParent) + "  rules: [{filters: [{type: RequestMirror}]}]\n",
       "spec.rules[0].filters[0]: filter.requestMirror must be specified for RequestMirror filter.type"},
      // TLSRoute spec.hostnames
      {"TLSRoute", std::string(kParent) + "  hostnames: [10.0.0.1]\n  rules: [{backendRefs: [{name: s, port: 443}]}]\n",
       "spec.hostnames: Hostnames cannot contain an IP"},
      {"TLSRoute",
       std::string(kParent) + "  hostnames: [a.*.com]\n  rules: [{backendRefs: [{name: s, port: 443}]}]\n",
       "spec.hostnames: Wildcards on hostnames must be the first label, and the rest of hostname must be valid based "
       "on "
       "RFC-1123",
       {"spec.hostnames[0]: invalid value \"a.*.com\": should match "
        "'^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$'"}},
      {"TLSRoute",
       std::string(kParent) + "  hostnames: [a..com]\n  rules: [{backendRefs: [{name: s, port: 443}]}]\n",
       "spec.hostnames: Hostnames must be valid based on RFC-1123",
       {"spec.hostnames[0]: invalid value \"a..com\": should match "
        "'^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$'"}},
      {"TLSRoute", std::string(kParent) + "  hostnames: [a.com]\n  rules: [{backendRefs: [{name: s}]}]\n",
       "spec.rules[0].backendRefs[0]: Must have port for Service reference"},
      // TCPRoute
      {"TCPRoute", std::string(kParent) + "  rules: [{backendRefs: [{name: s}]}]\n",
       "spec.rules[0].backendRefs[0]: Must have port for Service reference"},
      {"TCPRoute",
       "  parentRefs: [{name: gw, sectionName: a}, {name: gw}]\n  rules: [{backendRefs: [{name: s, port: 1}]}]\n",
       "spec.parentRefs: sectionName must be specified when parentRefs includes 2 or more references to the same "
       "parent"},
      // Gateway
      {"Gateway", gateway("{name: a, port: 80, protocol: HTTP, tls: {mode: Terminate, certificateRefs: [{name: c}]}}"),
       "spec.listeners: tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']"},
      {"Gateway", gateway("{name: a, port: 443, protocol: HTTPS, tls: {mode: Passthrough}}"),
       "spec.listeners: tls mode must be Terminate for protocol HTTPS"},
      {"Gateway", gateway("{name: a, port: 443, protocol: TLS}"),
       "spec.listeners: tls mode must be set for protocol TLS"},
      {"Gateway", gateway("{name: a, port: 9000, protocol: TCP, hostname: a.com}"),
       "spec.listeners: hostname must not be specified for protocols ['TCP', 'UDP']"},
      {"Gateway",
       gateway(std::string(kHttp) + ", {name: http, port: 81, protocol: HTTP}"),
       "spec.listeners: Listener name must be unique within the Gateway",
       {"spec.listeners[1]: duplicate entry with name \"http\""}},
      {"Gateway", gateway(std::string(kHttp) + ", {name: b, port: 80, protocol: HTTP}"),
       "spec.listeners: Combination of port, protocol and hostname must be unique for each listener"},
      {"Gateway", gateway("{name: a, port: 443, protocol: HTTPS, tls: {}}"),
       "spec.listeners[0].tls: certificateRefs or options must be specified when mode is Terminate"},
      {"Gateway", gateway(kHttp, "  addresses: [{value: 10.0.0.1}, {type: IPAddress, value: 10.0.0.1}]\n"),
       "spec.addresses: IPAddress values must be unique"},
      {"Gateway", gateway(kHttp, "  addresses: [{type: Hostname, value: a.com}, {type: Hostname, value: a.com}]\n"),
       "spec.addresses: Hostname values must be unique"},
      {"Gateway", gateway(kHttp, "  addresses: [{type: Hostname, value: A_B}]\n"),
       "spec.addresses[0]: Hostname value must be empty or contain only valid characters (matching "
       "^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$)"},
      {"Gateway", gateway(kHttp, "  infrastructure: {labels: {'-a': b}}\n"),
       "spec.infrastructure.labels: Label keys must be in the form of an optional DNS subdomain prefix followed by a "
       "required name segment of up to 63 characters."},
      {"Gateway", gateway(kHttp, "  infrastructure: {annotations: {'a/': b}}\n"),
       "spec.infrastructure.annotations: Annotation keys must be in the form of an optional DNS subdomain prefix "
       "followed "
       "by a required name segment of up to 63 characters."},
      {"Gateway", gateway(kHttp, "  infrastructure: {labels: {'" + std::string(253, 'a') + "/b': c}}\n"),
       "spec.infrastructure.labels: If specified, the label key's prefix must be a DNS subdomain not longer than 253 "
       "characters in total."},
      {"Gateway", gateway(kHttp, "  infrastructure: {annotations: {'" + std::string(253, 'a') + "/b': c}}\n"),
       "spec.infrastructure.annotations: If specified, the annotation key's prefix must be a DNS subdomain not longer "
       "than 253 characters in total."},
      {"Gateway",
       gateway(
           kHttp,
           "  tls: {frontend: {default: {validation: {caCertificateRefs: [{name: a, group: '', kind: ConfigMap}]}},"
           " perPort: [{port: 443, tls: {validation: {caCertificateRefs: [{name: a, group: '', kind: ConfigMap}]}}},"
           " {port: 443, tls: {validation: {caCertificateRefs: [{name: b, group: '', kind: ConfigMap}]}}}]}}\n"),
       "spec.tls.frontend.perPort: Port for TLS configuration must be unique within the Gateway",
       {"spec.tls.frontend.perPort[1]: duplicate entry with port 443"}},
  };
  return cases;
}

INSTANTIATE_TEST_SUITE_P(AllRules, CrdSchemaGatewayApiRuleTest, ::testing::ValuesIn(rule_cases()));

TEST(CrdSchemaGatewayApiTest, EveryRuleIsEvaluatedButTheTransitionRule) {
  // A rule text of the generated schemas without a C++ form shows here (a CRD update to follow).
  auto unevaluated = unevaluated_crd_rules();
  ASSERT_EQ(unevaluated.size(), 1u);
  EXPECT_EQ(unevaluated[0].first, "self == oldSelf");  // check_crd_update runs it
}

TEST(CrdSchemaGatewayApiTest, EveryRuleMessageOfTheCrdsHasAFailingCase) {
  // The messages of every x-kubernetes-validations rule in the generated schemas (all kinds and
  // versions), each of which some case above must produce.
  std::set<std::string> messages;
  for (const auto& source : detail::gateway_api_schema_sources()) {
    std::vector<Json> stack{Json::parse(source.schema)};
    while (!stack.empty()) {
      Json s = std::move(stack.back());
      stack.pop_back();
      if (s.is_object()) {
        if (s.contains("x-kubernetes-validations")) {
          for (const auto& v : s["x-kubernetes-validations"]) {
            // Not the transition rule; nor HTTPPathMatch's type rule, which the type's enum of the
            // same three values always refuses first (a blocking error: the rules do not run).
            if (v["rule"] != "self == oldSelf" &&
                v["message"] != "type must be one of ['Exact', 'PathPrefix', 'RegularExpression']") {
              messages.insert(v["message"].get<std::string>());
            }
          }
        }
        for (auto& [k, sub] : s.items()) {
          if (k != "x-kubernetes-validations") stack.push_back(sub);
        }
      } else if (s.is_array()) {
        for (auto& sub : s) stack.push_back(sub);
      }
    }
  }
  EXPECT_GE(messages.size(), 60u);
  const auto cases = rule_cases();
  for (const auto& message : messages) {
    bool covered = std::any_of(cases.begin(), cases.end(), [&](const RuleCase& c) {
      auto ends = [&](const std::string& e) {
        return e.size() >= message.size() && e.compare(e.size() - message.size(), message.size(), message) == 0;
      };
      return ends(c.expected) || std::any_of(c.before.begin(), c.before.end(), ends) ||
             std::any_of(c.after.begin(), c.after.end(), ends);
    });
    EXPECT_TRUE(covered) << message;
  }
}

}  // namespace
}  // namespace gwsim::model
