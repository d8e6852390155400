#include "engine/route/authorization.h"

#include <gtest/gtest.h>

#include "engine/model/manifest.h"
#include "engine/router/rbac.h"

namespace gwsim::route {
namespace {

model::ConfigSnapshot snapshot_of(const std::string& yaml) {
  auto load = model::load_manifest_text(yaml, "ap.yaml");
  EXPECT_FALSE(load.has_errors()) << yaml;
  auto built = model::build_snapshot(load.objects);
  EXPECT_TRUE(built.problems.empty()) << (built.problems.empty() ? "" : built.problems.front().message);
  return built.snapshot;
}

std::string policy(const std::string& ns, const std::string& name, const std::string& spec,
                   const std::string& annotations = "") {
  return "---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: " + name +
         "\n  namespace: " + ns + "\n" + annotations + "spec:\n" + spec;
}

GatewayProxy ingress() {
  GatewayProxy p;
  p.service = "istio-system/istio-ingressgateway";
  p.namespace_ = "istio-system";
  p.pod_ip = "10.0.0.5";
  p.labels = {{"app", "istio-ingressgateway"}, {"istio", "ingressgateway"}};
  return p;
}

GatewayProxy gateway_api_gateway() {
  GatewayProxy p;
  p.service = "apps/gw-istio";
  p.namespace_ = "apps";
  p.labels = {{"gateway.networking.k8s.io/gateway-name", "gw"}, {"istio.io/gateway-name", "gw"}};
  return p;
}

struct Compiled {
  std::shared_ptr<const AuthorizationConfig> config;
  std::vector<UnsimulatedRef> unsimulated;
};

Compiled compile(const std::string& yaml, const GatewayProxy& proxy = ingress()) {
  Compiled c;
  c.config = build_authorization(snapshot_of(yaml), proxy, c.unsimulated);
  return c;
}

std::vector<std::string> names(const std::vector<RbacPolicy>& policies) {
  std::vector<std::string> out;
  for (const auto& p : policies) out.push_back(p.name);
  return out;
}

// ---- which policies apply (ListAuthorizationPolicies, ShouldAttachPolicy) --------------------

TEST(AuthorizationApplies, RootAndGatewayNamespaceWithoutOrWithAMatchingSelector) {
  auto c = compile(
      policy("istio-system", "mesh-wide", "  rules: [{}]\n") +
      policy("istio-system", "selects-gateway", "  selector: {matchLabels: {istio: ingressgateway}}\n  rules: [{}]\n") +
      policy("istio-system", "selects-other", "  selector: {matchLabels: {app: other}}\n  rules: [{}]\n") +
      policy("default", "other-namespace", "  rules: [{}]\n") +
      policy("istio-system", "target-ref",
             "  targetRefs: [{kind: Service, group: '', name: istio-ingressgateway}]\n  rules: [{}]\n"));
  ASSERT_TRUE(c.config && c.config->allow);
  EXPECT_EQ(names(c.config->allow->policies),
            (std::vector<std::string>{"ns[istio-system]-policy[mesh-wide]-rule[0]",
                                      "ns[istio-system]-policy[selects-gateway]-rule[0]"}));
}

TEST(AuthorizationApplies, AGatewayApiGatewayTakesTargetRefsToItsGatewayAndSelectors) {
  const std::string yaml =
      policy("apps", "to-gw",
             "  targetRefs: [{kind: Gateway, group: gateway.networking.k8s.io, name: gw}]\n  rules: [{}]\n") +
      policy("apps", "to-other-gw",
             "  targetRef: {kind: Gateway, group: gateway.networking.k8s.io, name: other}\n  rules: [{}]\n") +
      policy("istio-system", "root-to-gw",
             "  targetRefs: [{kind: Gateway, group: gateway.networking.k8s.io, name: gw}]\n  rules: [{}]\n") +
      policy("apps", "by-selector", "  selector: {matchLabels: {istio.io/gateway-name: gw}}\n  rules: [{}]\n") +
      policy("apps", "to-service", "  targetRefs: [{kind: Service, group: '', name: gw-istio}]\n  rules: [{}]\n");
  auto c = compile(yaml, gateway_api_gateway());
  ASSERT_TRUE(c.config && c.config->allow);
  EXPECT_EQ(names(c.config->allow->policies),
            (std::vector<std::string>{"ns[apps]-policy[by-selector]-rule[0]", "ns[apps]-policy[to-gw]-rule[0]"}));
}

TEST(AuthorizationCompile, NoPolicyNoFilters) {
  EXPECT_EQ(compile(policy("default", "elsewhere", "  rules: [{}]\n")).config, nullptr);
}

// ---- Builder.build ---------------------------------------------------------------------------

TEST(AuthorizationCompile, ActionsSplitIntoFiltersAndCustomIsNamedAsUnsimulated) {
  auto c =
      compile(policy("istio-system", "a", "  action: AUDIT\n  rules: [{}]\n") +
              policy("istio-system", "d", "  action: DENY\n  rules: [{}, {to: [{operation: {methods: [GET]}}]}]\n") +
              policy("istio-system", "x", "  action: CUSTOM\n  provider: {name: ext}\n  rules: [{}]\n"));
  ASSERT_TRUE(c.config);
  ASSERT_TRUE(c.config->audit && c.config->deny);
  EXPECT_FALSE(c.config->allow);  // no ALLOW policy: no ALLOW filter, everything not denied passes
  EXPECT_EQ(c.config->audit->action, RbacConfig::Action::kLog);
  EXPECT_EQ(names(c.config->deny->policies),
            (std::vector<std::string>{"ns[istio-system]-policy[d]-rule[0]", "ns[istio-system]-policy[d]-rule[1]"}));
  ASSERT_EQ(c.unsimulated.size(), 1u);
  EXPECT_EQ(c.unsimulated[0], (UnsimulatedRef{"AuthorizationPolicy", "istio-system", "x",
                                              "CUSTOM action: an external authorizer decides"}));
}

TEST(AuthorizationCompile, APolicyWithoutRulesMatchesNothing) {
  auto c = compile(policy("istio-system", "allow-nothing", "  {}\n"));
  ASSERT_TRUE(c.config && c.config->allow);
  ASSERT_EQ(c.config->allow->policies.size(), 1u);
  const RbacPolicy& p = c.config->allow->policies[0];
  EXPECT_EQ(p.name, "ns[istio-system]-policy[allow-nothing]-rule[0]");
  EXPECT_EQ(p.rule, -1);
  http::Request r;
  http::AuthnResult authn;
  router::RbacInput in{r, authn};
  EXPECT_EQ(router::rbac_first_match(c.config->allow->policies, in), nullptr);
}

TEST(AuthorizationCompile, DryRunPoliciesAreShadowRulesOnly) {
  auto c = compile(policy("istio-system", "dry", "  rules: [{}]\n", "  annotations: {istio.io/dry-run: \"true\"}\n"));
  ASSERT_TRUE(c.config && c.config->allow);
  EXPECT_FALSE(c.config->allow->enforced);
  EXPECT_TRUE(c.config->allow->policies.empty());
  EXPECT_EQ(c.config->allow->shadow_policies.size(), 1u);
}

// model.go checkError: a value that cannot be generated drops the whole ALLOW rule (the ALLOW
// filter stays and denies), but for DENY only that value is ignored.
TEST(AuthorizationCompile, UngeneratableValuesDropAllowRulesButOnlyTheValueOfDenyRules) {
  // Read without the webhook (build_snapshot checks the schema only), as a policy admitted by an
  // older Istio would be.
  auto allow = compile(policy("istio-system", "allow", "  rules: [{from: [{source: {ipBlocks: [not-an-ip]}}]}]\n"));
  ASSERT_TRUE(allow.config && allow.config->allow);
  EXPECT_TRUE(allow.config->allow->enforced);
  EXPECT_TRUE(allow.config->allow->policies.empty());
  EXPECT_FALSE(allow.config->notes.empty());

  auto deny = compile(policy("istio-system", "deny",
                             "  action: DENY\n  rules: [{from: [{source: {ipBlocks: [not-an-ip, 10.0.0.0/8]}}]}]\n"));
  ASSERT_TRUE(deny.config && deny.config->deny);
  ASSERT_EQ(deny.config->deny->policies.size(), 1u);
  http::Request r;
  http::AuthnResult authn;
  r.source_ip = "10.1.2.3";
  router::RbacInput in{r, authn};
  EXPECT_NE(router::rbac_first_match(deny.config->deny->policies, in), nullptr);
  r.source_ip = "192.168.0.1";
  EXPECT_EQ(router::rbac_first_match(deny.config->deny->policies, in), nullptr);
}

TEST(AuthorizationCompile, AnUnknownWhenKeySkipsTheRule) {
  auto c =
      compile(policy("istio-system", "deny", "  action: DENY\n  rules: [{when: [{key: foo.bar, values: [x]}]}, {}]\n"));
  ASSERT_TRUE(c.config && c.config->deny);
  EXPECT_EQ(names(c.config->deny->policies), std::vector<std::string>{"ns[istio-system]-policy[deny]-rule[1]"});
  ASSERT_FALSE(c.config->notes.empty());
  EXPECT_NE(c.config->notes[0].find("unknown attribute foo.bar"), std::string::npos);
}

TEST(AuthorizationCompile, EnvoyMetadataConditionsAreNamedAsUnsimulated) {
  auto c = compile(policy("istio-system", "meta",
                          "  rules: [{when: [{key: 'experimental.envoy.filters.network.mysql_proxy[db.table]', values: "
                          "['[update]']}]}]\n"));
  ASSERT_EQ(c.unsimulated.size(), 1u);
  EXPECT_EQ(c.unsimulated[0].name, "meta");
}

TEST(AuthorizationCompile, TheTableGetsTheFiltersAndTheNotes) {
  auto snapshot = snapshot_of(policy("istio-system", "allow", "  rules: [{from: [{source: {ipBlocks: [bad]}}]}]\n") +
                              policy("istio-system", "audit", "  action: AUDIT\n  rules: [{}]\n"));
  RouteTable http_only;
  http_only.proxy = ingress();
  http_only.listeners.push_back(Listener{"0.0.0.0_8080", "0.0.0.0", 8080, {FilterChain{}}});
  build_authorization(snapshot, http_only);
  ASSERT_TRUE(http_only.authorization);
  EXPECT_TRUE(http_only.unsimulated.empty());
  ASSERT_EQ(http_only.warnings.size(), 1u);  // the skipped ALLOW rule, as Istio logs it
  EXPECT_NE(http_only.warnings[0].find("ns[istio-system]-policy[allow]-rule[0]"), std::string::npos);

  // TCP filter chains get the network rbac filters (BuildTCP), simulated: nothing is named.
  RouteTable with_tcp = http_only;
  with_tcp.warnings.clear();
  with_tcp.listeners[0].filter_chains[0].http = false;
  build_authorization(snapshot, with_tcp);
  EXPECT_TRUE(with_tcp.unsimulated.empty());
  ASSERT_TRUE(with_tcp.authorization->tcp);
  EXPECT_EQ(with_tcp.warnings.size(), 1u);  // what is skipped on TCP chains Istio logs at debug level only
}

// builder_test.go TestGenerator_GenerateTCP, testdata/tcp/allow-both-http-tcp-{in,out}.yaml: on a
// TCP filter chain an ALLOW rule with any HTTP-only field is skipped whole; only rule[3] (namespaces
// and ports) is left.
TEST(AuthorizationCompile, TcpAllowSkipsEveryRuleWithAnHttpField) {
  auto c = compile(policy("istio-system", "httpbin-deny", R"(  action: ALLOW
  rules:
  - from: [{source: {requestPrincipals: ["id-1"]}}]
    to: [{operation: {methods: ["GET"]}}]
  - from: [{source: {namespaces: ["ns-1"]}}]
    to: [{operation: {ports: ["8080"], methods: ["GET"]}}]
  - from: [{source: {namespaces: ["ns-2"], requestPrincipals: ["id-2"]}}]
    to: [{operation: {ports: ["9090"]}}]
  - from: [{source: {namespaces: ["ns-1"]}}]
    to: [{operation: {ports: ["80"]}}]
)"));
  ASSERT_TRUE(c.config && c.config->tcp && c.config->tcp->allow);
  EXPECT_EQ(names(c.config->tcp->allow->policies),
            std::vector<std::string>{"ns[istio-system]-policy[httpbin-deny]-rule[3]"});
  EXPECT_EQ(c.config->allow->policies.size(), 4u);  // the HTTP filter keeps all four
  EXPECT_TRUE(c.config->notes.empty());              // nothing skipped on HTTP chains
}

// testdata/tcp/deny-both-http-tcp-{in,out}.yaml: a DENY rule keeps its TCP fields and drops the
// HTTP ones; a rule left with nothing matches every connection (rule[0]: any, any).
TEST(AuthorizationCompile, TcpDenyDropsHttpFieldsAndKeepsTheRule) {
  auto c = compile(policy("istio-system", "httpbin-deny", R"(  action: DENY
  rules:
  - from: [{source: {requestPrincipals: ["id-1"]}}]
    to: [{operation: {methods: ["GET"]}}]
  - from: [{source: {requestPrincipals: ["id-1"]}}]
    to: [{operation: {ports: ["80"]}}]
  - when: [{key: "request.headers[:method]", values: ["GET"]}]
)"));
  ASSERT_TRUE(c.config && c.config->tcp && c.config->tcp->deny);
  const auto& tcp = c.config->tcp->deny->policies;
  ASSERT_EQ(tcp.size(), 3u);
  http::Request on_80;
  on_80.source_ip = "1.2.3.4";
  on_80.method = "POST";
  http::AuthnResult none;
  router::RbacInput in{on_80, none, "1.2.3.4", 80, "10.0.0.5"};
  router::RbacInput other_port{on_80, none, "1.2.3.4", 443, "10.0.0.5"};
  // rule[0] and rule[2] deny every connection; rule[1] connections to port 80.
  EXPECT_TRUE(router::rbac_matches(tcp[0].permissions[0], other_port) && router::rbac_matches(tcp[0].principals[0], other_port));
  EXPECT_TRUE(router::rbac_matches(tcp[1].permissions[0], in));
  EXPECT_FALSE(router::rbac_matches(tcp[1].permissions[0], other_port));
  EXPECT_TRUE(router::rbac_matches(tcp[2].permissions[0], other_port) && router::rbac_matches(tcp[2].principals[0], other_port));
  // On the HTTP chain the same rules need the method and the principal.
  EXPECT_FALSE(router::rbac_first_match(c.config->deny->policies, other_port));
}

// ---- the generated matchers (generator.go, matcher/) ----------------------------------------

TEST(AuthorizationMatchers, StringForms) {
  auto c = compile(policy("istio-system", "p",
                          "  rules: [{to: [{operation: {paths: [/exact, '/prefix/*', '*/suffix', '/path/template/{*}', "
                          "'/{**}/path/template']}}]}]\n"));
  ASSERT_TRUE(c.config && c.config->allow);
  http::Request r;
  http::AuthnResult authn;
  router::RbacInput in{r, authn};
  auto allowed = [&](const std::string& path) {
    r.path = path;
    return router::rbac_first_match(c.config->allow->policies, in) != nullptr;
  };
  EXPECT_TRUE(allowed("/exact"));
  EXPECT_TRUE(allowed("/exact?q=1"));
  EXPECT_FALSE(allowed("/exactly"));
  EXPECT_TRUE(allowed("/prefix/a/b"));
  EXPECT_TRUE(allowed("/a/b/suffix"));
  EXPECT_TRUE(allowed("/path/template/x"));
  EXPECT_FALSE(allowed("/path/template/x/y"));
  EXPECT_FALSE(allowed("/path/template/"));
  EXPECT_TRUE(allowed("/a/b/path/template"));
  EXPECT_FALSE(allowed("/other"));
}

TEST(AuthorizationMatchers, CidrRanges) {
  auto v4 = CidrRange::parse("10.0.0.0/8");
  ASSERT_TRUE(v4);
  EXPECT_TRUE(v4->contains("10.200.1.1"));
  EXPECT_FALSE(v4->contains("11.0.0.1"));
  EXPECT_FALSE(v4->contains("::1"));
  auto single = CidrRange::parse("1.2.3.4");
  ASSERT_TRUE(single);
  EXPECT_EQ(single->prefix_len, 32u);
  EXPECT_FALSE(single->contains("1.2.3.5"));
  auto v6 = CidrRange::parse("fd00::/8");
  ASSERT_TRUE(v6);
  EXPECT_TRUE(v6->contains("fd12::1"));
  EXPECT_FALSE(CidrRange::parse("10.0.0.0/33"));
  EXPECT_FALSE(CidrRange::parse("bad"));
}

}  // namespace
}  // namespace gwsim::route
