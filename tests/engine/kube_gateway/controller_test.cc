// Istio's TestConvertResources (pilot/pkg/config/kube/gateway/conversion_test.go, Istio
// 86c9f01), ported: each case's input (testdata/<case>.yaml) is loaded with the manifest loader
// next to the test's cluster (testdata/cluster.yaml, and a Namespace for every namespace the input
// uses, labelled as the test labels them), translated by kube_gateway::convert with domain suffix
// "domain.suffix", and compared with Istio's goldens:
//   <case>.yaml.golden         the generated Gateways and VirtualServices: names, namespaces, the
//                              internal.istio.io annotations and every spec field the translation
//                              sets (as gwsim's typed model reads them, on both sides); Istio's
//                              generated DestinationRules (BackendTLSPolicy, not simulated) are
//                              not compared.
//   <case>.status.yaml.golden  the status of GatewayClasses, Gateways and routes, as JSON, without
//                              lastTransitionTime and observedGeneration (written by the status
//                              writer) and without Gateway status.addresses (Istio's test gives the
//                              gateway Service an external IP; gwsim's Services carry none).
// A case whose input holds a kind gwsim does not translate says so in testdata/README.md.
#include "engine/kube_gateway/controller.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "engine/model/manifest.h"

namespace gwsim::kube_gateway {
namespace {

using model::Json;

const std::string kTestdata = std::string(GWSIM_SOURCE_DIR) + "/tests/engine/kube_gateway/testdata/";

// ---- the typed Istio objects as JSON, in Istio's field names -------------------------------

Json string_match(const model::StringMatch& m) {
  switch (m.kind) {
    case model::StringMatch::Kind::kExact:
      return {{"exact", m.value}};
    case model::StringMatch::Kind::kPrefix:
      return {{"prefix", m.value}};
    case model::StringMatch::Kind::kRegex:
      return {{"regex", m.value}};
    default:
      return Json::object();
  }
}

Json string_matches(const std::map<std::string, model::StringMatch>& m) {
  Json out = Json::object();
  for (const auto& [k, v] : m) out[k] = string_match(v);
  return out;
}

Json destination(const model::Destination& d) {
  Json out = {{"host", d.host}};
  if (!d.subset.empty()) out["subset"] = d.subset;
  if (d.port) out["port"] = d.port->number;
  return out;
}

Json header_ops(const std::optional<model::HeaderOperations>& ops) {
  if (!ops) return nullptr;
  Json out = Json::object();
  for (const auto& [k, v] : ops->set) out["set"][k] = v;
  for (const auto& [k, v] : ops->add) out["add"][k] = v;
  if (!ops->remove.empty()) out["remove"] = ops->remove;
  return out;
}

Json headers(const std::optional<model::Headers>& h) {
  if (!h) return nullptr;
  return {{"request", header_ops(h->request)}, {"response", header_ops(h->response)}};
}

Json http_route(const model::HTTPRoute& r) {
  Json out = {{"name", r.name}};
  for (const auto& m : r.match) {
    Json j = Json::object();
    if (m.uri) j["uri"] = string_match(*m.uri);
    if (m.method) j["method"] = string_match(*m.method);
    if (!m.headers.empty()) j["headers"] = string_matches(m.headers);
    if (!m.query_params.empty()) j["queryParams"] = string_matches(m.query_params);
    if (m.port) j["port"] = m.port;
    out["match"].push_back(j);
  }
  for (const auto& d : r.route) {
    Json j = {{"destination", destination(d.destination)}, {"headers", headers(d.headers)}};
    if (d.weight) j["weight"] = *d.weight;
    out["route"].push_back(j);
  }
  if (r.redirect) {
    const auto& x = *r.redirect;
    out["redirect"] = {{"uri", x.uri},
                       {"authority", x.authority},
                       {"scheme", x.scheme},
                       {"code", x.redirect_code},
                       {"derivePort", x.derive_port},
                       {"prefixRewrite", x.prefix_rewrite}};
    if (x.port) out["redirect"]["port"] = *x.port;
  }
  if (r.rewrite) {
    out["rewrite"] = {{"uri", r.rewrite->uri}, {"authority", r.rewrite->authority}};
    if (r.rewrite->uri_regex_rewrite)
      out["rewrite"]["uriRegexRewrite"] = {r.rewrite->uri_regex_rewrite->match, r.rewrite->uri_regex_rewrite->rewrite};
  }
  if (r.direct_response) out["directResponse"] = r.direct_response->status;
  if (r.timeout) out["timeout"] = *r.timeout;
  if (r.retries) {
    out["retries"] = {{"attempts", r.retries->attempts}, {"retryOn", r.retries->retry_on}};
    if (r.retries->per_try_timeout) out["retries"]["perTryTimeout"] = *r.retries->per_try_timeout;
    if (r.retries->backoff) out["retries"]["backoff"] = *r.retries->backoff;
  }
  for (const auto& m : r.mirrors) {
    Json j = {{"destination", destination(m.destination)}};
    if (m.percentage) j["percentage"] = m.percentage->value;
    out["mirrors"].push_back(j);
  }
  if (r.cors_policy) {
    const auto& c = *r.cors_policy;
    Json j = {{"allowMethods", c.allow_methods},
              {"allowHeaders", c.allow_headers},
              {"exposeHeaders", c.expose_headers},
              {"unmatchedPreflights", c.unmatched_preflights}};
    for (const auto& o : c.allow_origins) j["allowOrigins"].push_back(string_match(o));
    if (c.max_age) j["maxAge"] = *c.max_age;
    if (c.allow_credentials) j["allowCredentials"] = *c.allow_credentials;
    out["corsPolicy"] = j;
  }
  out["headers"] = headers(r.headers);
  return out;
}

Json l4_routes(const std::vector<model::RouteDestination>& route) {
  Json out = Json::array();
  for (const auto& d : route) {
    Json j = {{"destination", destination(d.destination)}};
    if (d.weight) j["weight"] = *d.weight;
    out.push_back(j);
  }
  return out;
}

Json annotations(const model::Meta& meta) {
  Json out = Json::object();
  for (const auto& [k, v] : meta.annotations) {
    if (k.rfind("internal.istio.io/", 0) == 0) out[k] = v;
  }
  return out;
}

Json virtual_service(const model::VirtualService& vs) {
  Json out = {{"name", vs.meta.name},
              {"namespace", vs.meta.namespace_},
              {"annotations", annotations(vs.meta)},
              {"hosts", vs.hosts},
              {"gateways", vs.gateways}};
  for (const auto& r : vs.http) out["http"].push_back(http_route(r));
  for (const auto& r : vs.tls) {
    Json j = {{"route", l4_routes(r.route)}};
    for (const auto& m : r.match) j["match"].push_back({{"sniHosts", m.sni_hosts}, {"port", m.port}});
    out["tls"].push_back(j);
  }
  for (const auto& r : vs.tcp) {
    Json j = {{"route", l4_routes(r.route)}};
    for (const auto& m : r.match) j["match"].push_back({{"port", m.port}});
    out["tcp"].push_back(j);
  }
  return out;
}

Json gateway(const model::Gateway& g) {
  Json out = {{"name", g.meta.name}, {"namespace", g.meta.namespace_}, {"annotations", annotations(g.meta)}};
  for (const auto& s : g.servers) {
    Json j = {{"hosts", s.hosts}, {"port", {s.port.number, s.port.protocol, s.port.name}}};
    if (s.tls) {
      // An unset mode is PASSTHROUGH (the enum's zero value, which Istio's YAML leaves out).
      j["tls"] = {{"mode", s.tls->mode.empty() ? "PASSTHROUGH" : s.tls->mode},
                  {"credentialName", s.tls->credential_name},
                  {"credentialNames", s.tls->credential_names},
                  {"cipherSuites", s.tls->cipher_suites}};
    }
    out["servers"].push_back(j);
  }
  return out;
}

// ---- statuses ---------------------------------------------------------------------------------

void strip_status(Json& j) {
  if (j.is_object()) {
    j.erase("lastTransitionTime");
    j.erase("observedGeneration");
    for (auto& [k, v] : j.items()) strip_status(v);
  } else if (j.is_array()) {
    for (auto& v : j) strip_status(v);
  }
}

const std::set<std::string> kStatusKinds = {"GatewayClass", "Gateway",  "HTTPRoute",
                                            "GRPCRoute",    "TLSRoute", "TCPRoute"};

std::string status_key(const std::string& kind, const std::string& ns, const std::string& name) {
  return kind + " " + ns + "/" + name;
}

// ---- a case -----------------------------------------------------------------------------------

std::vector<model::Object> load_or_fail(const std::vector<std::string>& files) {
  auto load = model::load_manifests(files);
  for (const auto& d : load.diagnostics) {
    if (d.severity == model::ManifestDiagnostic::Severity::kError) ADD_FAILURE() << d.to_string();
  }
  return load.objects;
}

struct Case {
  std::vector<Json> gateways, virtual_services;
  std::map<std::string, Json> statuses;
};

Case run(const std::string& name) {
  auto objects = load_or_fail({kTestdata + name + ".yaml"});
  std::set<std::string> namespaces;
  for (const auto& o : objects) {
    if (!o.namespace_().empty()) namespaces.insert(o.namespace_());
  }
  for (const auto& o : load_or_fail({kTestdata + "cluster.yaml"})) objects.push_back(o);
  for (const auto& ns : namespaces) {
    Json doc = {{"apiVersion", "v1"},
                {"kind", "Namespace"},
                {"metadata", {{"name", ns}, {"labels", {{"istio.io/test-name-part", ns.substr(0, ns.find('-'))}}}}}};
    objects.push_back(model::object_from_json(doc, {}).value());
  }
  auto build = model::build_snapshot(objects);
  for (const auto& p : build.problems) ADD_FAILURE() << p.where << ": " << p.object << ": " << p.message;
  auto generated = convert(build.snapshot, Options{"domain.suffix"});
  Case out;
  for (const auto& g : generated.gateways) out.gateways.push_back(gateway(g));
  for (const auto& vs : generated.virtual_services) out.virtual_services.push_back(virtual_service(vs));
  for (const auto& s : generated.statuses) {
    Json status = s.status;
    strip_status(status);
    if (s.kind == "Gateway") status.erase("addresses");
    out.statuses[status_key(s.kind, s.namespace_, s.name)] = status;
  }
  return out;
}

Case golden(const std::string& name) {
  Case out;
  auto build = model::build_snapshot(load_or_fail({kTestdata + name + ".yaml.golden"}));
  for (const auto& p : build.problems) ADD_FAILURE() << "golden: " << p.where << ": " << p.message;
  for (const auto& g : build.snapshot.gateways) out.gateways.push_back(gateway(g));
  for (const auto& vs : build.snapshot.virtual_services) out.virtual_services.push_back(virtual_service(vs));
  for (const auto& o : load_or_fail({kTestdata + name + ".status.yaml.golden"})) {
    if (o.group() != "gateway.networking.k8s.io" || !kStatusKinds.count(o.kind())) continue;
    Json status = o.doc.value("status", Json::object());
    strip_status(status);
    if (o.kind() == "Gateway") status.erase("addresses");
    out.statuses[status_key(o.kind(), o.namespace_(), o.name())] = status;
  }
  return out;
}

// Objects a case translates differently, and why: kinds or fields gwsim does not simulate.
// Each is checked to still differ, so a difference that goes away must leave this list.
const std::string kInferencePool = "InferencePool backends (inference.networking.k8s.io) are not simulated";
const std::string kMesh =
    "Service and ServiceEntry parents (mesh routing) are not simulated: gwsim is an ingress gateway";
const std::string kFrontend =
    "Gateway spec.tls.frontend client certificate validation is not read (MUTUAL mode, CA references)";
const std::string kConfigMap = "ConfigMaps are not in gwsim's snapshot: a ConfigMap reference is taken as existing";

const std::map<std::string, std::map<std::string, std::string>> kKnownDifferences = {
    {"http",
     {{"VirtualService "
       "default/istio-system~gateway~istio-autogenerated-k8s-gateway~default~infpool-multi.domain.example",
       kInferencePool},
      {"VirtualService "
       "default/istio-system~gateway~istio-autogenerated-k8s-gateway~default~multi-infpool.domain.example",
       kInferencePool},
      {"status of HTTPRoute default/multi-route-infpool-1", kInferencePool},
      {"status of HTTPRoute default/multi-route-infpool-2", kInferencePool},
      {"status of HTTPRoute default/multiple-inferencepool-backend-refs", kInferencePool}}},
    {"tls",
     {{"Gateway istio-system/gateway~istio-autogenerated-k8s-gateway~terminate", kFrontend},
      {"Gateway istio-system/gateway~istio-autogenerated-k8s-gateway~terminate-mtls-frontendvalidation-configmap",
       kFrontend},
      {"Gateway istio-system/gateway~istio-autogenerated-k8s-gateway~terminate-mtls-frontendvalidation-secret",
       kFrontend},
      {"Gateway istio-system/gateway~istio-autogenerated-k8s-gateway~terminate-multi", kFrontend}}},
    {"invalid",
     {{"Gateway istio-system/invalid-frontendvalidation-malformed~istio-autogenerated-k8s-gateway~default", kFrontend},
      {"Gateway istio-system/invalid-frontendvalidation-missing-refgrant~istio-autogenerated-k8s-gateway~default",
       kFrontend},
      {"Gateway istio-system/invalid-frontendvalidation-nonexistent~istio-autogenerated-k8s-gateway~default",
       kFrontend},
      {"Gateway istio-system/invalid-frontendvalidation-unknown~istio-autogenerated-k8s-gateway~default", kFrontend},
      {"status of Gateway istio-system/invalid-frontendvalidation-malformed", kFrontend},
      {"status of Gateway istio-system/invalid-frontendvalidation-missing-refgrant", kFrontend},
      {"status of Gateway istio-system/invalid-frontendvalidation-nonexistent", kFrontend},
      {"status of Gateway istio-system/invalid-frontendvalidation-unknown", kFrontend},
      {"VirtualService default/default~httpbin.default.svc.domain.suffix", kMesh},
      {"VirtualService default/default~not-found.default.svc.domain.suffix", kMesh},
      {"status of HTTPRoute default/invalid-backendRef-hostname", kMesh},
      {"status of HTTPRoute default/invalid-backendRef-mirror", kMesh},
      {"status of HTTPRoute default/invalid-backendRef-serviceimport", kMesh},
      {"status of HTTPRoute default/invalid-parentRef-service", kMesh},
      {"status of HTTPRoute default/invalid-parentRef-service-entry", kMesh},
      {"status of HTTPRoute default/no-backend", kMesh}}},
    {"reference-policy-tls", {{"Gateway istio-system/gateway~istio-autogenerated-k8s-gateway~cross", kFrontend}}},
    {"route-precedence",
     {{"VirtualService allowed-1/allowed-1~a-example.allowed-1.svc.domain.suffix", kMesh},
      {"VirtualService allowed-1/allowed-1~b-example.allowed-1.svc.domain.suffix", kMesh},
      {"VirtualService allowed-2/allowed-2~a-example.allowed-2.svc.domain.suffix", kMesh},
      {"status of HTTPRoute allowed-1/http", kMesh},
      {"status of HTTPRoute allowed-2/http", kMesh}}},
    {"valid-invalid-parent-ref",
     {{"VirtualService default/default~google.com", kMesh},
      {"status of HTTPRoute default/mixed-parent-ref-validity", kMesh}}},
    {"serviceentry",
     {{"VirtualService default/default~*.egress.com", kMesh},
      {"VirtualService default/default~google.com", kMesh},
      {"VirtualService default/egress~tcp~0~istio-autogenerated-k8s-gateway", kMesh},
      {"VirtualService default/egress~tcp~1~istio-autogenerated-k8s-gateway", kMesh},
      {"VirtualService default/egress~tls~0~istio-autogenerated-k8s-gateway", kMesh},
      {"VirtualService default/egress~tls~1~istio-autogenerated-k8s-gateway", kMesh},
      {"status of HTTPRoute default/egress", kMesh},
      {"status of TCPRoute default/egress", kMesh},
      {"status of TLSRoute default/egress", kMesh}}},
    {"frontend-tls-invalid",
     {{"Gateway istio-system/invalid-frontend-ca-kind~istio-autogenerated-k8s-gateway~https", kFrontend},
      {"Gateway istio-system/invalid-frontend-ca-ref~istio-autogenerated-k8s-gateway~https", kFrontend},
      {"status of Gateway istio-system/invalid-frontend-ca-kind", kFrontend},
      {"status of Gateway istio-system/invalid-frontend-ca-ref", kFrontend}}},
    {"gateway-invalid-parameters-ref", {{"status of Gateway istio-system/missing-parameters-configmap", kConfigMap}}},
};

// Builds list positions by name: generated objects are compared by name, then in full.
std::map<std::string, Json> by_name(const std::vector<Json>& list) {
  std::map<std::string, Json> out;
  for (const auto& j : list) out[j["namespace"].get<std::string>() + "/" + j["name"].get<std::string>()] = j;
  return out;
}

// Compares by key; `known` differences must still differ (and are otherwise skipped).
void expect_same(const std::map<std::string, Json>& got, const std::map<std::string, Json>& want,
                 const std::string& what, const std::map<std::string, std::string>& known) {
  auto differs = [&](const std::string& k) {
    auto g = got.find(k);
    auto w = want.find(k);
    return g == got.end() || w == want.end() || !(g->second == w->second);
  };
  for (const auto& [k, w] : want) {
    const std::string key = what + " " + k;
    if (known.count(key)) {
      EXPECT_TRUE(differs(k)) << key << " now matches the golden: remove it from kKnownDifferences";
      continue;
    }
    auto it = got.find(k);
    if (it == got.end()) {
      ADD_FAILURE() << key << " missing; want " << w.dump(1);
      continue;
    }
    EXPECT_TRUE(it->second == w) << key << "\n got: " << it->second.dump() << "\nwant: " << w.dump();
  }
  for (const auto& [k, g] : got) {
    const std::string key = what + " " + k;
    if (want.count(k)) continue;
    if (known.count(key)) continue;
    ADD_FAILURE() << key << " not in the golden: " << g.dump(1);
  }
}

class GoldenTest : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenTest, MatchesIstio) {
  const Case got = run(GetParam());
  const Case want = golden(GetParam());
  const auto known_it = kKnownDifferences.find(GetParam());
  const std::map<std::string, std::string> known =
      known_it == kKnownDifferences.end() ? std::map<std::string, std::string>{} : known_it->second;
  expect_same(by_name(got.gateways), by_name(want.gateways), "Gateway", known);
  expect_same(by_name(got.virtual_services), by_name(want.virtual_services), "VirtualService", known);
  // The order Istio lists them in (by creation time, namespace, name).
  auto names = [&](const std::vector<Json>& list) {
    std::vector<std::string> out;
    for (const auto& vs : list) {
      const std::string k = vs["namespace"].get<std::string>() + "/" + vs["name"].get<std::string>();
      if (!known.count("VirtualService " + k)) out.push_back(k);
    }
    return out;
  };
  EXPECT_EQ(names(got.virtual_services), names(want.virtual_services));
  expect_same(got.statuses, want.statuses, "status of", known);
}

INSTANTIATE_TEST_SUITE_P(Istio, GoldenTest,
                         ::testing::Values("http", "tcp", "tls", "tls-terminate", "grpc", "mismatch", "weighted",
                                           "zero", "invalid", "multi-gateway", "route-binding", "reference-policy-tls",
                                           "reference-policy-service", "reference-policy-tcp", "route-precedence",
                                           "isolation", "empty-backend-refs", "redirect-only",
                                           "reference-grant-multiple-to", "http-grpc-same-host",
                                           "valid-invalid-parent-ref", "status", "serviceentry", "delegated", "mcs",
                                           "frontend-tls-invalid", "gateway-invalid-parameters-ref"),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (auto& c : n) c = c == '-' ? '_' : c;
                           return n;
                         });

}  // namespace
}  // namespace gwsim::kube_gateway

// ---- behaviours beyond Istio's goldens -------------------------------------------------------

namespace gwsim::kube_gateway {
namespace {

model::GeneratedConfig convert_yaml(const std::string& yaml, const Options& options = {}) {
  auto load = model::load_manifest_text(yaml, "t.yaml");
  EXPECT_FALSE(load.has_errors());
  auto build = model::build_snapshot(load.objects);
  for (const auto& p : build.problems) ADD_FAILURE() << p.where << ": " << p.message;
  return convert(build.snapshot, options);
}

const model::ObjectStatus* status_of(const model::GeneratedConfig& c, const std::string& kind,
                                     const std::string& name) {
  for (const auto& s : c.statuses) {
    if (s.kind == kind && s.name == name) return &s;
  }
  return nullptr;
}

Json condition(const Json& conditions, const std::string& type) {
  for (const auto& c : conditions) {
    if (c["type"] == type) return c;
  }
  return nullptr;
}

const char* kGateway = R"yaml(apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: infra}
spec:
  gatewayClassName: istio
  listeners:
  - {name: http, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}
  - {name: other, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}
  - {name: tcp, port: 80, protocol: TCP}
---
apiVersion: v1
kind: Service
metadata: {name: backend, namespace: apps}
spec:
  ports: [{name: http, port: 8080}]
)yaml";

TEST(KubeGatewayTest, ListenersOfOnePortAndHostnameConflict) {
  auto c = convert_yaml(kGateway);
  // Only the first listener of port 80 and hostname "*" is programmed.
  ASSERT_EQ(c.gateways.size(), 1u);
  EXPECT_EQ(c.gateways[0].meta.name, "gw~istio-autogenerated-k8s-gateway~http");
  const auto* s = status_of(c, "Gateway", "gw");
  ASSERT_NE(s, nullptr);
  const Json& listeners = s->status["listeners"];
  ASSERT_EQ(listeners.size(), 3u);
  EXPECT_EQ(condition(listeners[1]["conditions"], "Conflicted")["reason"], "HostnameConflict");
  EXPECT_EQ(condition(listeners[1]["conditions"], "Conflicted")["status"], "True");
  EXPECT_EQ(condition(listeners[1]["conditions"], "Accepted")["status"], "False");
  EXPECT_EQ(condition(listeners[2]["conditions"], "Conflicted")["reason"], "ProtocolConflict");
  EXPECT_EQ(condition(s->status["conditions"], "Accepted")["reason"], "ListenersNotValid");
  EXPECT_EQ(condition(s->status["conditions"], "Accepted")["status"], "True");  // one listener is valid
}

TEST(KubeGatewayTest, ManagedGatewayServiceUsesTheDomainSuffix) {
  auto c = convert_yaml(kGateway);
  ASSERT_EQ(c.gateways.size(), 1u);
  // No address: Istio deploys <name>-<class> in the Gateway's namespace.
  EXPECT_EQ(c.gateways[0].meta.annotations.at("internal.istio.io/gateway-service"), "gw-istio.infra.svc.cluster.local");
  EXPECT_EQ(c.gateways[0].meta.annotations.at("internal.istio.io/service-account-name"), "gw-istio");
  auto d = convert_yaml(kGateway, Options{"example.internal"});
  EXPECT_EQ(d.gateways[0].meta.annotations.at("internal.istio.io/gateway-service"),
            "gw-istio.infra.svc.example.internal");
  // The Service does not exist (yet): not programmed, and said why.
  const Json programmed = condition(status_of(c, "Gateway", "gw")->status["conditions"], "Programmed");
  EXPECT_EQ(programmed["status"], "False");
  EXPECT_EQ(programmed["message"],
            "Failed to assign to any requested addresses: hostname \"gw-istio.infra.svc.cluster.local\" not found");
}

TEST(KubeGatewayTest, ExtensionRefFilterRejectsTheRouteAndCountsItAttached) {
  auto c = convert_yaml(std::string(kGateway) + R"yaml(---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: ext, namespace: apps}
spec:
  parentRefs: [{name: gw, namespace: infra, sectionName: http}]
  rules:
  - filters: [{type: ExtensionRef, extensionRef: {group: example.com, kind: Filter, name: f}}]
    backendRefs: [{name: backend, port: 8080}]
)yaml");
  // No VirtualService: the rule could not be translated.
  EXPECT_TRUE(c.virtual_services.empty());
  const auto* s = status_of(c, "HTTPRoute", "ext");
  ASSERT_NE(s, nullptr);
  const Json& parent = s->status["parents"][0];
  EXPECT_EQ(parent["controllerName"], "istio.io/gateway-controller");
  EXPECT_EQ(condition(parent["conditions"], "Accepted")["status"], "True");
  const Json resolved = condition(parent["conditions"], "ResolvedRefs");
  EXPECT_EQ(resolved["status"], "False");
  EXPECT_EQ(resolved["reason"], "InvalidFilter");
  EXPECT_EQ(resolved["message"], "unsupported filter type \"ExtensionRef\"");
  // Still attached to the listener it was accepted by.
  EXPECT_EQ(status_of(c, "Gateway", "gw")->status["listeners"][0]["attachedRoutes"], 1);
}

TEST(KubeGatewayTest, MissingBackendIsA500AndBackendNotFound) {
  auto c = convert_yaml(std::string(kGateway) + R"yaml(---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r, namespace: apps}
spec:
  parentRefs: [{name: gw, namespace: infra}]
  hostnames: [a.example.com]
  rules:
  - backendRefs: [{name: missing, port: 80}]
  - matches: [{path: {type: PathPrefix, value: /zero}}]
    backendRefs: [{name: backend, port: 8080, weight: 0}]
)yaml");
  ASSERT_EQ(c.virtual_services.size(), 1u);
  const auto& vs = c.virtual_services[0];
  EXPECT_EQ(vs.meta.name, "infra~gw~istio-autogenerated-k8s-gateway~http~a.example.com");
  EXPECT_EQ(vs.meta.namespace_, "apps");
  EXPECT_EQ(vs.gateways, std::vector<std::string>{"infra/gw~istio-autogenerated-k8s-gateway~http"});
  ASSERT_EQ(vs.http.size(), 2u);
  // Sorted: the prefix match first; the rule without a match last.
  EXPECT_EQ(vs.http[0].name, "apps.r.1");
  ASSERT_TRUE(vs.http[0].direct_response.has_value());  // no backend with weight > 0
  EXPECT_EQ(vs.http[0].direct_response->status, 500u);
  // A missing Service keeps its destination in the VirtualService; status reports it.
  EXPECT_EQ(vs.http[1].route[0].destination.host, "missing.apps.svc.cluster.local");
  const Json resolved = condition(status_of(c, "HTTPRoute", "r")->status["parents"][0]["conditions"], "ResolvedRefs");
  EXPECT_EQ(resolved["reason"], "BackendNotFound");
  EXPECT_EQ(resolved["message"], "backend(missing.apps.svc.cluster.local) not found");
}

TEST(KubeGatewayTest, WhatIsNotSimulatedIsNamed) {
  auto c = convert_yaml(std::string(kGateway) + R"yaml(---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: mesh, namespace: apps}
spec:
  parentRefs: [{group: "", kind: Service, name: backend}]
  rules: [{backendRefs: [{name: backend, port: 8080}]}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: mtls, namespace: infra}
spec:
  gatewayClassName: istio
  tls: {frontend: {default: {validation: {caCertificateRefs: [{group: "", kind: ConfigMap, name: ca}]}}}}
  listeners: [{name: http, port: 8080, protocol: HTTP}]
)yaml");
  EXPECT_TRUE(c.virtual_services.empty());
  const auto* s = status_of(c, "HTTPRoute", "mesh");
  ASSERT_NE(s, nullptr);
  EXPECT_TRUE(s->status["parents"].empty());
  ASSERT_EQ(c.warnings.size(), 2u);
  EXPECT_EQ(c.warnings[0],
            "Gateway infra/mtls: spec.tls (frontend client certificate validation, backend client certificate) is not "
            "simulated; listeners terminate TLS without it");
  EXPECT_EQ(c.warnings[1],
            "HTTPRoute apps/mesh: spec.parentRefs[0] (Service backend) is not simulated: mesh routing (Service and "
            "ServiceEntry parents) is not simulated, gwsim is an ingress gateway; no status is written for it");
}

}  // namespace
}  // namespace gwsim::kube_gateway

// ---- Translator: each route translated again only when it or what it read changed ----------

namespace gwsim::kube_gateway {
namespace {

// The snapshot of `yaml`, every object with a resourceVersion (as the store gives them).
model::ConfigSnapshot versioned(const std::string& yaml, const std::string& version) {
  auto load = model::load_manifest_text(yaml, "t.yaml");
  EXPECT_FALSE(load.has_errors());
  auto snapshot = model::build_snapshot(load.objects).snapshot;
  auto stamp = [&](auto& list) {
    for (auto& o : list) {
      if (o.meta.resource_version.empty()) o.meta.resource_version = version;
      o.meta.uid = "uid-" + o.meta.name;
    }
  };
  stamp(snapshot.http_routes);
  stamp(snapshot.services);
  stamp(snapshot.kubernetes_gateways);
  stamp(snapshot.reference_grants);
  return snapshot;
}

std::map<std::string, std::string> by_name(const std::vector<model::VirtualService>& list) {
  std::map<std::string, std::string> out;
  for (const auto& vs : list) {
    std::string routes;
    for (const auto& r : vs.http)
      for (const auto& d : r.route) routes += d.destination.host + "=" + std::to_string(d.weight.value_or(0)) + ";";
    out[vs.meta.namespace_ + "/" + vs.meta.name] = routes;
  }
  return out;
}

const char* kWorld = R"yaml(apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: default}
spec:
  gatewayClassName: istio
  listeners: [{name: http, port: 80, protocol: HTTP}]
---
apiVersion: v1
kind: Service
metadata: {name: a, namespace: default}
spec: {ports: [{port: 80}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: one, namespace: default}
spec:
  parentRefs: [{name: gw}]
  hostnames: [one.example.com]
  rules: [{backendRefs: [{name: a, port: 80}]}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: two, namespace: default}
spec:
  parentRefs: [{name: gw}]
  hostnames: [two.example.com]
  rules: [{backendRefs: [{name: b, port: 80}]}]
)yaml";

TEST(KubeGatewayTranslator, AnswersOnlyWhatChangedAndAgreesWithAFreshConversion) {
  Translator translator;
  auto first_snapshot = versioned(kWorld, "1");
  auto first = translator.update(first_snapshot);
  EXPECT_FALSE(first.incremental);
  EXPECT_EQ(by_name(first.virtual_services), by_name(convert(first_snapshot).virtual_services));
  ASSERT_EQ(first.virtual_services.size(), 2u);

  // Nothing changed: nothing to say but the Gateways, their status and the classes'.
  auto same = translator.update(first_snapshot);
  EXPECT_TRUE(same.incremental);
  EXPECT_TRUE(same.virtual_services.empty());
  EXPECT_TRUE(same.removed_virtual_services.empty());
  for (const auto& s : same.statuses) EXPECT_NE(s.kind, "HTTPRoute") << s.name;
  EXPECT_EQ(same.gateways.size(), first.gateways.size());

  // Service b appears: only route "two", which looked it up, is translated again (its status
  // no longer says BackendNotFound); "one" is not.
  std::string with_b = std::string(kWorld) + R"yaml(---
apiVersion: v1
kind: Service
metadata: {name: b, namespace: default}
spec: {ports: [{port: 80}]}
)yaml";
  auto second_snapshot = versioned(with_b, "2");
  for (auto& s : second_snapshot.services) s.meta.resource_version = s.meta.name == "a" ? "1" : "2";
  for (auto& r : second_snapshot.http_routes) r.meta.resource_version = "1";
  for (auto& g : second_snapshot.kubernetes_gateways) g.meta.resource_version = "1";
  auto second = translator.update(second_snapshot);
  ASSERT_TRUE(second.incremental);
  std::vector<std::string> routes_with_status;
  for (const auto& s : second.statuses)
    if (s.kind == "HTTPRoute") routes_with_status.push_back(s.name);
  EXPECT_EQ(routes_with_status, std::vector<std::string>{"two"});
  const auto* two = status_of(second, "HTTPRoute", "two");
  ASSERT_NE(two, nullptr);
  EXPECT_EQ(condition(two->status["parents"][0]["conditions"], "ResolvedRefs")["status"], "True");

  // Route "one" deleted: its VirtualService is named as removed, the rest agrees with convert().
  auto third_snapshot = second_snapshot;
  std::erase_if(third_snapshot.http_routes, [](const auto& r) { return r.meta.name == "one"; });
  auto third = translator.update(third_snapshot);
  ASSERT_TRUE(third.incremental);
  EXPECT_TRUE(third.virtual_services.empty());
  ASSERT_EQ(third.removed_virtual_services.size(), 1u);
  EXPECT_NE(third.removed_virtual_services[0].second.find("one.example.com"), std::string::npos);
  auto fresh = convert(third_snapshot);
  ASSERT_EQ(fresh.virtual_services.size(), 1u);
  EXPECT_NE(fresh.virtual_services[0].meta.name.find("two.example.com"), std::string::npos);
  const auto* gw = status_of(third, "Gateway", "gw");
  ASSERT_NE(gw, nullptr);
  EXPECT_EQ(gw->status["listeners"][0]["attachedRoutes"], 1);

  // A changed route (new resourceVersion, new spec) is translated again.
  auto fourth_snapshot = third_snapshot;
  fourth_snapshot.http_routes[0].meta.resource_version = "4";
  fourth_snapshot.http_routes[0].generation = 2;
  fourth_snapshot.http_routes[0].rules[0].backend_refs[0].weight = 7;
  auto fourth = translator.update(fourth_snapshot);
  ASSERT_EQ(fourth.virtual_services.size(), 1u);
  EXPECT_EQ(by_name(fourth.virtual_services), by_name(convert(fourth_snapshot).virtual_services));
}

}  // namespace
}  // namespace gwsim::kube_gateway
