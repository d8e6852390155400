// Reading Gateway API objects into the snapshot (engine/model/gateway_api.h).
#include "engine/model/gateway_api.h"

#include <gtest/gtest.h>

#include "engine/model/manifest.h"
#include "engine/model/snapshot.h"

namespace gwsim::model {
namespace {

SnapshotBuild build(const std::string& yaml) {
  auto l = load_manifest_text(yaml, "g.yaml");
  EXPECT_FALSE(l.has_errors());
  return build_snapshot(l.objects);
}

TEST(GatewayApiTest, GatewayAndClassAreTyped) {
  auto b = build(R"yaml(apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: istio}
spec: {controllerName: istio.io/gateway-controller}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: infra, generation: 3}
spec:
  gatewayClassName: istio
  addresses: [{type: Hostname, value: ingress}]
  listeners:
  - name: https
    hostname: "*.example.com"
    port: 443
    protocol: HTTPS
    tls:
      certificateRefs: [{name: cert, namespace: certs}]
      options: {gateway.istio.io/tls-terminate-mode: MUTUAL}
    allowedRoutes:
      namespaces:
        from: Selector
        selector: {matchLabels: {team: a}, matchExpressions: [{key: env, operator: In, values: [prod]}]}
      kinds: [{kind: HTTPRoute}]
)yaml");
  ASSERT_TRUE(b.problems.empty()) << b.problems[0].message;
  ASSERT_EQ(b.snapshot.gateway_classes.size(), 1u);
  EXPECT_EQ(b.snapshot.gateway_classes[0].meta.namespace_, "");  // cluster-scoped
  EXPECT_EQ(b.snapshot.gateway_classes[0].controller_name, "istio.io/gateway-controller");
  // The Gateway API's Gateway is not Istio's.
  EXPECT_TRUE(b.snapshot.gateways.empty());
  ASSERT_EQ(b.snapshot.kubernetes_gateways.size(), 1u);
  const auto& gw = b.snapshot.kubernetes_gateways[0];
  EXPECT_EQ(gw.generation, 3);
  EXPECT_EQ(gw.gateway_class_name, "istio");
  ASSERT_EQ(gw.addresses.size(), 1u);
  EXPECT_EQ(gw.addresses[0].type, "Hostname");
  ASSERT_EQ(gw.listeners.size(), 1u);
  const auto& l = gw.listeners[0];
  EXPECT_EQ(l.hostname, "*.example.com");
  EXPECT_EQ(l.port, 443);
  ASSERT_TRUE(l.tls.has_value());
  EXPECT_FALSE(l.tls->mode.has_value());  // unset: Terminate, decided by the controller
  ASSERT_EQ(l.tls->certificate_refs.size(), 1u);
  EXPECT_EQ(l.tls->certificate_refs[0].namespace_, "certs");
  EXPECT_EQ(l.tls->options.at("gateway.istio.io/tls-terminate-mode"), "MUTUAL");
  ASSERT_TRUE(l.allowed_routes.has_value());
  EXPECT_EQ(l.allowed_routes->from, "Selector");
  EXPECT_EQ(l.allowed_routes->selector->match_labels.at("team"), "a");
  EXPECT_EQ(l.allowed_routes->selector->match_expressions[0].op, "In");
  EXPECT_FALSE(l.allowed_routes->kinds[0].group.has_value());
}

TEST(GatewayApiTest, HTTPRouteKeepsUnsetFieldsUnset) {
  auto b = build(R"yaml(apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r, namespace: default}
spec:
  parentRefs: [{name: gw, namespace: infra, sectionName: http}]
  hostnames: [a.example.com]
  rules:
  - name: first
    matches:
    - path: {type: Exact, value: /x}
      headers: [{name: h, value: v}]
      queryParams: [{type: RegularExpression, name: q, value: "a.*"}]
      method: GET
    filters:
    - type: RequestMirror
      requestMirror: {backendRef: {name: m, port: 80}, fraction: {numerator: 1}}
    backendRefs:
    - {name: a, port: 80, weight: 0}
    - name: b
      port: 8080
      filters: [{type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: x, value: y}]}}]
    timeouts: {request: 1s}
    retry: {codes: [503], attempts: 3}
)yaml");
  ASSERT_TRUE(b.problems.empty()) << b.problems[0].message;
  ASSERT_EQ(b.snapshot.http_routes.size(), 1u);
  const auto& r = b.snapshot.http_routes[0];
  ASSERT_EQ(r.parent_refs.size(), 1u);
  EXPECT_EQ(r.parent_refs[0].section_name, "http");
  EXPECT_FALSE(r.parent_refs[0].port.has_value());
  EXPECT_EQ(r.parent_refs[0].raw, (Json{{"name", "gw"}, {"namespace", "infra"}, {"sectionName", "http"}}));
  const auto& rule = r.rules[0];
  EXPECT_EQ(rule.name, "first");
  EXPECT_EQ(rule.matches[0].path.type, "Exact");
  EXPECT_FALSE(rule.matches[0].headers[0].type.has_value());
  EXPECT_EQ(rule.matches[0].query_params[0].type, "RegularExpression");
  EXPECT_EQ(rule.matches[0].method, "GET");
  EXPECT_EQ(rule.filters[0].request_mirror->fraction->numerator, 1);
  EXPECT_FALSE(rule.filters[0].request_mirror->fraction->denominator.has_value());
  EXPECT_EQ(rule.backend_refs[0].weight, 0);
  EXPECT_FALSE(rule.backend_refs[1].weight.has_value());
  EXPECT_EQ(rule.backend_refs[1].filters[0].request_header_modifier->set[0].name, "x");
  EXPECT_EQ(rule.timeouts->request, "1s");
  EXPECT_EQ(rule.retry->codes, std::vector<std::int32_t>{503});
}

TEST(GatewayApiTest, RouteKindsAndGrantsAreRead) {
  auto b = build(R"yaml(apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {name: g, namespace: default}
spec:
  rules:
  - matches: [{method: {service: svc.Echo}}]
    backendRefs: [{name: grpc, port: 9000}]
---
apiVersion: gateway.networking.k8s.io/v1alpha2
kind: TCPRoute
metadata: {name: t, namespace: default}
spec:
  rules: [{backendRefs: [{name: tcp, port: 9000}]}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: TLSRoute
metadata: {name: s, namespace: default}
spec:
  hostnames: [s.example.com]
  rules: [{backendRefs: [{name: tls, port: 443}]}]
---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {name: allow, namespace: backends}
spec:
  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: default}]
  to: [{group: "", kind: Service}]
)yaml");
  ASSERT_TRUE(b.problems.empty()) << b.problems[0].message;
  ASSERT_EQ(b.snapshot.grpc_routes.size(), 1u);
  EXPECT_EQ(b.snapshot.grpc_routes[0].rules[0].matches[0].method->service, "svc.Echo");
  EXPECT_FALSE(b.snapshot.grpc_routes[0].rules[0].matches[0].method->method.has_value());
  ASSERT_EQ(b.snapshot.tcp_routes.size(), 1u);
  EXPECT_EQ(b.snapshot.tcp_routes[0].rules[0].backend_refs[0].ref.port, 9000);
  ASSERT_EQ(b.snapshot.tls_routes.size(), 1u);
  EXPECT_EQ(b.snapshot.tls_routes[0].hostnames, std::vector<std::string>{"s.example.com"});
  ASSERT_EQ(b.snapshot.reference_grants.size(), 1u);
  EXPECT_EQ(b.snapshot.reference_grants[0].from[0].namespace_, "default");
  EXPECT_EQ(b.snapshot.reference_grants[0].to[0].group, "");
  EXPECT_FALSE(b.snapshot.reference_grants[0].to[0].name.has_value());
}

TEST(GatewayApiTest, WrongTypesAndMissingFieldsNameThePath) {
  auto b = build(R"yaml(apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r, namespace: default}
spec:
  parentRefs: [{namespace: infra}]
  rules:
  - backendRefs: [{name: a, port: "eighty"}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: default}
spec:
  gatewayClassName: istio
  listeners: [{name: http, protocol: HTTP}]
)yaml");
  ASSERT_EQ(b.problems.size(), 3u);
  EXPECT_EQ(b.problems[0].object, "HTTPRoute default/r");
  EXPECT_EQ(b.problems[0].message, "spec.parentRefs[0].name: required field is missing");
  EXPECT_EQ(b.problems[1].message, "spec.rules[0].backendRefs[0].port: expected a 32-bit integer, got \"eighty\"");
  EXPECT_NE(b.problems[1].where.find("g.yaml:"), std::string::npos);
  EXPECT_EQ(b.problems[2].message, "spec.listeners[0].port: required field is missing");
  // A bad object is left out; the others are still read.
  EXPECT_TRUE(b.snapshot.http_routes.empty());
  EXPECT_TRUE(b.snapshot.kubernetes_gateways.empty());
}

TEST(GatewayApiTest, RequestRedirectStatusCodeTakesTheCrdDefault) {
  // HTTPRequestRedirectFilter.statusCode: +kubebuilder:default=302, as the API server stores it.
  auto b = build(R"yaml(apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r, namespace: default}
spec:
  rules:
  - filters: [{type: RequestRedirect, requestRedirect: {hostname: example.org}}]
  - filters: [{type: RequestRedirect, requestRedirect: {hostname: example.org, statusCode: 301}}]
)yaml");
  ASSERT_TRUE(b.problems.empty()) << b.problems[0].message;
  ASSERT_EQ(b.snapshot.http_routes.size(), 1u);
  const auto& rules = b.snapshot.http_routes[0].rules;
  ASSERT_EQ(rules.size(), 2u);
  EXPECT_EQ(rules[0].filters[0].request_redirect->status_code, 302);
  EXPECT_EQ(rules[1].filters[0].request_redirect->status_code, 301);
}

}  // namespace
}  // namespace gwsim::model
