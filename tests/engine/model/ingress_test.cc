#include "engine/model/ingress.h"

#include <gtest/gtest.h>

#include "engine/model/manifest.h"
#include "engine/model/snapshot.h"

namespace gwsim::model {
namespace {

SnapshotBuild build_ingress(const std::string& yaml) {
  auto load = load_manifest_text(yaml, "i.yaml");
  EXPECT_FALSE(load.has_errors());
  return build_snapshot(load.objects);
}

std::vector<std::string> problem_texts(const SnapshotBuild& b) {
  std::vector<std::string> out;
  for (const auto& p : b.problems) out.push_back(p.where + ": " + p.object + ": " + p.message);
  return out;
}

TEST(IngressModel, IngressIsTyped) {
  auto b = build_ingress(R"(apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  annotations: {kubernetes.io/ingress.class: istio}
spec:
  ingressClassName: istio
  defaultBackend: {service: {name: fallback, port: {number: 8080}}}
  tls:
  - hosts: [a.example.com]
    secretName: a-cert
  rules:
  - host: a.example.com
    http:
      paths:
      - path: /api
        pathType: Prefix
        backend: {service: {name: api, port: {name: http}}}
      - path: /legacy.*
        backend: {resource: {apiGroup: k8s.example.com, kind: Bucket, name: b}}
  - host: nohttp.example.com
)");
  ASSERT_TRUE(b.problems.empty()) << ::testing::PrintToString(problem_texts(b));
  ASSERT_EQ(b.snapshot.ingresses.size(), 1u);
  const Ingress& i = b.snapshot.ingresses[0];
  EXPECT_EQ(i.meta.namespace_, "default");
  EXPECT_EQ(i.meta.annotations.at("kubernetes.io/ingress.class"), "istio");
  EXPECT_EQ(i.ingress_class_name, std::optional<std::string>("istio"));
  ASSERT_TRUE(i.default_backend && i.default_backend->service);
  EXPECT_EQ(i.default_backend->service->port.number, 8080);
  ASSERT_EQ(i.tls.size(), 1u);
  EXPECT_EQ(i.tls[0].secret_name, "a-cert");
  ASSERT_EQ(i.rules.size(), 2u);
  ASSERT_TRUE(i.rules[0].http_paths);
  const auto& paths = *i.rules[0].http_paths;
  ASSERT_EQ(paths.size(), 2u);
  EXPECT_EQ(paths[0].path_type, std::optional<std::string>("Prefix"));
  EXPECT_EQ(paths[0].backend.service->name, "api");
  EXPECT_EQ(paths[0].backend.service->port.name, "http");
  EXPECT_EQ(paths[0].source.to_string(), "i.yaml:16:9");
  EXPECT_FALSE(paths[1].path_type);
  EXPECT_FALSE(paths[1].backend.service);
  EXPECT_EQ(paths[1].backend.resource->kind, "Bucket");
  EXPECT_FALSE(i.rules[1].http_paths);  // no `http`: Istio skips the rule
}

TEST(IngressModel, IngressClassIsClusterScoped) {
  auto b = build_ingress(R"(apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: istio}
spec: {controller: istio.io/ingress-controller}
)");
  ASSERT_TRUE(b.problems.empty()) << ::testing::PrintToString(problem_texts(b));
  ASSERT_EQ(b.snapshot.ingress_classes.size(), 1u);
  EXPECT_EQ(b.snapshot.ingress_classes[0].meta.namespace_, "");
  EXPECT_EQ(b.snapshot.ingress_classes[0].controller, "istio.io/ingress-controller");
}

TEST(IngressModel, RefusedFieldsAreNamedAndTheIngressSkipped) {
  auto b = build_ingress(R"(apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: bad}
spec:
  rules:
  - host: a.example.com
    http:
      paths:
      - path: /x
        pathType: Regex
        backend: {service: {name: s, port: {number: 80, name: http}}}
      - path: 7
        backend: {service: {name: s, port: {number: "80"}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: good}
spec: {rules: "not a list"}
)");
  EXPECT_TRUE(b.snapshot.ingresses.empty());
  EXPECT_EQ(problem_texts(b),
            (std::vector<std::string>{
                "i.yaml:10:9: Ingress default/bad: spec.rules[0].http.paths[0].pathType: Unsupported value: \"Regex\": "
                "supported values: \"Exact\", \"ImplementationSpecific\", \"Prefix\"",
                "i.yaml:11:38: Ingress default/bad: spec.rules[0].http.paths[0].backend.service.port: cannot set both "
                "port name & port number",
                "i.yaml:12:9: Ingress default/bad: spec.rules[0].http.paths[1].path: expected a string, got 7",
                "i.yaml:13:45: Ingress default/bad: spec.rules[0].http.paths[1].backend.service.port.number: expected "
                "an int32, got \"80\"",
                "i.yaml:18:8: Ingress default/good: spec.rules: expected a list, got \"not a list\"",
            }));
}

TEST(IngressModel, ServiceAddressesForIngressStatus) {
  auto b = build_ingress(R"(apiVersion: v1
kind: Service
metadata: {name: istio-ingressgateway, namespace: istio-system}
spec: {type: LoadBalancer, externalIPs: [10.0.0.9], ports: [{port: 80}]}
status: {loadBalancer: {ingress: [{ip: 1.2.3.4}, {hostname: lb.example.com}]}}
)");
  ASSERT_EQ(b.snapshot.services.size(), 1u);
  EXPECT_EQ(b.snapshot.services[0].load_balancer_ingress, (std::vector<std::string>{"1.2.3.4", "lb.example.com"}));
  EXPECT_EQ(b.snapshot.services[0].external_ips, std::vector<std::string>{"10.0.0.9"});
}

}  // namespace
}  // namespace gwsim::model
