#include "engine/kube_ingress/controller.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "engine/model/manifest.h"

namespace gwsim::kube_ingress {
namespace {

using model::Json;

// The generated objects as Istio prints them (crd.ConvertConfig, then YAML): only the fields
// the ingress controller sets.
Json string_match(const model::StringMatch& m) {
  return {{m.kind == model::StringMatch::Kind::kExact ? "exact" : "prefix", m.value}};
}

Json to_json(const model::Gateway& g) {
  Json servers = Json::array();
  for (const auto& s : g.servers) {
    Json server = {{"hosts", s.hosts},
                   {"port", {{"name", s.port.name}, {"number", s.port.number}, {"protocol", s.port.protocol}}}};
    if (s.tls) server["tls"] = {{"credentialName", s.tls->credential_name}, {"mode", s.tls->mode}};
    servers.push_back(server);
  }
  return {{"apiVersion", "networking.istio.io/v1"},
          {"kind", "Gateway"},
          {"metadata", {{"name", g.meta.name}, {"namespace", g.meta.namespace_}}},
          {"spec", {{"selector", g.selector}, {"servers", servers}}}};
}

Json to_json(const model::VirtualService& vs) {
  Json http = Json::array();
  for (const auto& h : vs.http) {
    Json route = Json::object();
    if (!h.match.empty()) route["match"] = Json::array({{{"uri", string_match(*h.match[0].uri)}}});
    Json destinations = Json::array();
    for (const auto& d : h.route) {
      destinations.push_back(
          {{"destination", {{"host", d.destination.host}, {"port", {{"number", d.destination.port->number}}}}},
           {"weight", *d.weight}});
    }
    route["route"] = destinations;
    http.push_back(route);
  }
  return {
      {"apiVersion", "networking.istio.io/v1"},
      {"kind", "VirtualService"},
      {"metadata", {{"annotations", vs.meta.annotations}, {"name", vs.meta.name}, {"namespace", vs.meta.namespace_}}},
      {"spec", {{"gateways", vs.gateways}, {"hosts", vs.hosts}, {"http", http}}}};
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string testdata(const std::string& name) {
  return std::string(GWSIM_SOURCE_DIR) + "/tests/engine/kube_ingress/testdata/" + name;
}

model::ConfigSnapshot snapshot_of(const std::string& yaml) {
  auto load = model::load_manifest_text(yaml, "input.yaml");
  EXPECT_FALSE(load.has_errors());
  auto built = model::build_snapshot(load.objects);
  for (const auto& p : built.problems) ADD_FAILURE() << p.where << ": " << p.message;
  return built.snapshot;
}

// The mesh config of Istio's conversion tests (controller_test.go setupController).
MeshIngressConfig golden_mesh() {
  MeshIngressConfig mesh;
  mesh.ingress_controller_mode = MeshIngressConfig::Mode::kDefault;
  mesh.ingress_service = "";
  mesh.domain_suffix = "mydomain";
  return mesh;
}

class GoldenConversion : public ::testing::TestWithParam<const char*> {};

// conversion_test.go TestGoldenConversion.
TEST_P(GoldenConversion, MatchesIstiosGolden) {
  const std::string name = GetParam();
  auto generated = convert(snapshot_of(read_file(testdata(name + ".yaml"))), golden_mesh());
  std::vector<Json> out;
  for (const auto& vs : generated.virtual_services) out.push_back(to_json(vs));
  for (const auto& g : generated.gateways) out.push_back(to_json(g));
  std::stable_sort(out.begin(), out.end(), [](const Json& a, const Json& b) {
    return a["metadata"]["name"].get<std::string>() < b["metadata"]["name"].get<std::string>();
  });
  auto golden = model::load_manifest_text(read_file(testdata(name + ".yaml.golden")), name + ".yaml.golden");
  ASSERT_FALSE(golden.has_errors());
  ASSERT_EQ(out.size(), golden.objects.size());
  for (size_t i = 0; i < out.size(); ++i) EXPECT_EQ(out[i], golden.objects[i].doc) << "object " << i;
}

INSTANTIATE_TEST_SUITE_P(Istio, GoldenConversion, ::testing::Values("simple", "tls", "overlay", "tls-no-secret"),
                         [](const auto& info) {
                           std::string n = info.param;
                           std::replace(n.begin(), n.end(), '-', '_');
                           return n;
                         });

const model::VirtualService* find_host(const model::GeneratedConfig& g, const std::string& host) {
  for (const auto& vs : g.virtual_services)
    if (vs.hosts == std::vector<std::string>{host}) return &vs;
  return nullptr;
}

// conversion_test.go TestConversion: one VirtualService per host across Ingresses; the routes
// of my.host.com ordered by match length, exact first; "/*" matches everything.
TEST(KubeIngressConvert, OneVirtualServicePerHostAcrossIngresses) {
  auto generated = convert(snapshot_of(R"(
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: mock1, namespace: mock}
spec:
  rules:
  - host: my.host.com
    http:
      paths:
      - {path: /test, backend: {service: {name: foo, port: {number: 8000}}}}
      - {path: /test/foo, pathType: Prefix, backend: {service: {name: foo, port: {number: 8000}}}}
  - host: my2.host.com
    http: {paths: [{path: /test1.*, backend: {service: {name: bar, port: {number: 8000}}}}]}
  - host: my3.host.com
    http: {paths: [{path: /test/*, backend: {service: {name: bar, port: {number: 8000}}}}]}
  - host: my4.host.com
    http: {paths: [{path: /*, backend: {service: {name: bar, port: {number: 8000}}}}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: mock2, namespace: mock}
spec:
  rules:
  - host: my.host.com
    http:
      paths:
      - {path: /test2, backend: {service: {name: foo, port: {number: 8000}}}}
      - {path: /test/foo/bar, pathType: Prefix, backend: {service: {name: foo, port: {number: 8000}}}}
      - {path: /test/foo/bar, pathType: Exact, backend: {service: {name: foo, port: {number: 8000}}}}
)"),
                           golden_mesh());
  ASSERT_EQ(generated.virtual_services.size(), 4u);
  const auto* my = find_host(generated, "my.host.com");
  ASSERT_NE(my, nullptr);
  ASSERT_EQ(my->http.size(), 5u);
  const std::vector<std::pair<size_t, bool>> expected = {{13, true}, {13, false}, {9, false}, {6, true}, {5, true}};
  for (size_t i = 0; i < expected.size(); ++i) {
    const auto& uri = *my->http[i].match.at(0).uri;
    EXPECT_EQ(uri.value.size(), expected[i].first) << i;
    EXPECT_EQ(uri.kind == model::StringMatch::Kind::kExact, expected[i].second) << i;
  }
  // Bound to the Gateway of the first Ingress only (same creation time: by name).
  EXPECT_EQ(my->gateways, std::vector<std::string>{"istio-system/mock1-istio-autogenerated-k8s-ingress-mock"});
  EXPECT_EQ(my->meta.name, "my-host-com-mock1-istio-autogenerated-k8s-ingress");
  const auto* my4 = find_host(generated, "my4.host.com");
  ASSERT_NE(my4, nullptr);
  ASSERT_EQ(my4->http.size(), 1u);
  EXPECT_TRUE(my4->http[0].match.empty());
  EXPECT_EQ(generated.gateways.size(), 2u);
}

// The oldest Ingress names and binds the shared host's VirtualService (sortRulesByCreationTimestamp).
TEST(KubeIngressConvert, OldestIngressOwnsASharedHost) {
  auto generated = convert(snapshot_of(R"(
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: alpha, namespace: default, creationTimestamp: "2020-01-01T00:00:00Z", annotations: {kubernetes.io/ingress.class: istio}}
spec:
  rules: [{host: example.com, http: {paths: [{path: /alpha, pathType: Prefix, backend: {service: {name: alpha, port: {number: 80}}}}]}}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: beta, namespace: default, creationTimestamp: "2010-01-01T00:00:00Z", annotations: {kubernetes.io/ingress.class: istio}}
spec:
  rules: [{host: example.com, http: {paths: [{path: /beta, pathType: Prefix, backend: {service: {name: beta, port: {number: 80}}}}]}}]
)"));
  ASSERT_EQ(generated.virtual_services.size(), 1u);
  const auto& vs = generated.virtual_services[0];
  EXPECT_EQ(vs.meta.name, "example-com-beta-istio-autogenerated-k8s-ingress");
  EXPECT_EQ(vs.gateways, std::vector<std::string>{"istio-system/beta-istio-autogenerated-k8s-ingress-default"});
  ASSERT_EQ(vs.http.size(), 2u);
  EXPECT_EQ(vs.http[0].route[0].destination.host, "alpha.default.svc.cluster.local");  // longer path first
  EXPECT_EQ(vs.meta.annotations.at("internal.istio.io/route-semantics"), "ingress");
  // Generated Gateways carry no creation time, as Istio's.
  for (const auto& g : generated.gateways) EXPECT_EQ(g.meta.creation_time, 0);
}

// conversion_test.go TestNamedPortIngressConversion; an unknown port name drops the path.
TEST(KubeIngressConvert, NamedPortsResolveAgainstTheService) {
  auto generated = convert(snapshot_of(R"(
apiVersion: v1
kind: Service
metadata: {name: foo, namespace: mock}
spec:
  selector: {app: test-app}
  ports: [{name: test-svc-port, protocol: TCP, port: 8888, targetPort: test-port}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: named, namespace: mock}
spec:
  rules:
  - host: host.com
    http:
      paths:
      - {path: /test/*, backend: {service: {name: foo, port: {name: test-svc-port}}}}
      - {path: /other, backend: {service: {name: foo, port: {name: no-such-port}}}}
      - {path: /missing, backend: {service: {name: missing, port: {name: http}}}}
      - {path: /resource, backend: {resource: {apiGroup: k8s.example.com, kind: StorageBucket, name: b}}}
)"),
                           golden_mesh());
  const auto* vs = find_host(generated, "host.com");
  ASSERT_NE(vs, nullptr);
  ASSERT_EQ(vs->http.size(), 1u);
  EXPECT_EQ(vs->http[0].route[0].destination.port->number, 8888u);
  EXPECT_EQ(vs->http[0].route[0].destination.host, "foo.mock.svc.mydomain");
  ASSERT_EQ(generated.warnings.size(), 4u);
  EXPECT_NE(generated.warnings[3].find("from node addresses (meshConfig.ingressService unset) is not simulated"),
            std::string::npos);
  EXPECT_NE(generated.warnings[0].find("failed to resolve named port \"no-such-port\""), std::string::npos);
  EXPECT_NE(generated.warnings[1].find("Service mock/missing"), std::string::npos);
  EXPECT_NE(generated.warnings[2].find("backend service must be specified"), std::string::npos);
}

// Rules without host serve "*"; rules without http, the default backend and TLS without a
// secret are named as ignored; TLS without hosts serves "*".
TEST(KubeIngressConvert, IgnoredPartsAreNamed) {
  auto generated = convert(snapshot_of(R"(
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop, annotations: {kubernetes.io/ingress.class: istio}}
spec:
  defaultBackend: {service: {name: fallback, port: {number: 80}}}
  tls:
  - {hosts: [a.example.com]}
  - {secretName: wildcard-cert}
  rules:
  - http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
  - host: nohttp.example.com
)"));
  ASSERT_EQ(generated.gateways.size(), 1u);
  const auto& g = generated.gateways[0];
  EXPECT_EQ(g.meta.name, "web-istio-autogenerated-k8s-ingress-shop");
  EXPECT_EQ(g.meta.namespace_, "istio-system");
  ASSERT_EQ(g.servers.size(), 2u);
  EXPECT_EQ(g.servers[0].port.name, "https-443-ingress-web-shop-1");  // the index counts the skipped entry
  EXPECT_EQ(g.servers[0].hosts, std::vector<std::string>{"*"});
  EXPECT_EQ(g.servers[0].tls->credential_name, "wildcard-cert");
  EXPECT_EQ(g.servers[1].port.number, 80u);
  ASSERT_EQ(generated.virtual_services.size(), 1u);
  EXPECT_EQ(generated.virtual_services[0].hosts, std::vector<std::string>{"*"});
  EXPECT_EQ(generated.virtual_services[0].meta.name, "*-web-istio-autogenerated-k8s-ingress");
  ASSERT_EQ(generated.warnings.size(), 3u);
  EXPECT_NE(generated.warnings[0].find("has no secretName"), std::string::npos);
  EXPECT_NE(generated.warnings[1].find("spec.defaultBackend is ignored"), std::string::npos);
  EXPECT_NE(generated.warnings[2].find("nohttp.example.com\" has no paths defined"), std::string::npos);
}

// Nothing is generated for Ingresses of another class (STRICT mode by default).
TEST(KubeIngressConvert, OtherClassesGenerateNothing) {
  auto generated = convert(snapshot_of(R"(
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: plain, namespace: default}
spec:
  rules: [{host: a.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: a, port: {number: 80}}}}]}}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: nginx, namespace: default, annotations: {kubernetes.io/ingress.class: nginx}}
spec:
  rules: [{host: b.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: b, port: {number: 80}}}}]}}]
)"));
  EXPECT_TRUE(generated.gateways.empty());
  EXPECT_TRUE(generated.virtual_services.empty());
  EXPECT_TRUE(generated.statuses.empty());
}

// status.go / ingress.go: each supported Ingress gets the ingress Service's addresses.
TEST(KubeIngressConvert, StatusOfSupportedIngresses) {
  auto generated = convert(snapshot_of(R"(
apiVersion: v1
kind: Service
metadata: {name: istio-ingressgateway, namespace: istio-system}
spec: {type: LoadBalancer, ports: [{name: http2, port: 80}]}
status: {loadBalancer: {ingress: [{ip: 1.2.3.4}]}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: ingress, namespace: default, annotations: {kubernetes.io/ingress.class: istio}}
spec: {}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: other, namespace: default}
spec: {}
)"));
  ASSERT_EQ(generated.statuses.size(), 1u);
  const auto& s = generated.statuses[0];
  EXPECT_EQ(s.group, "networking.k8s.io");
  EXPECT_EQ(s.kind, "Ingress");
  EXPECT_EQ(s.namespace_, "default");
  EXPECT_EQ(s.name, "ingress");
  EXPECT_EQ(s.status, Json::parse(R"({"loadBalancer": {"ingress": [{"ip": "1.2.3.4"}]}})"));
}

}  // namespace
}  // namespace gwsim::kube_ingress
