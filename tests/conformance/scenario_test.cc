#include "conformance/scenario.h"

#include <filesystem>
#include <fstream>
#include <random>

#include <gtest/gtest.h>

#include "tests/support/temp_dir.h"

namespace gwsim::conformance {
namespace {

namespace fs = std::filesystem;

using gwsim::testing::TempDir;

std::string all_errors(const ScenarioLoad& load) {
  std::string out;
  for (const auto& e : load.errors) out += e.to_string() + "\n";
  return out;
}

constexpr const char* kHeader = R"(apiVersion: gwsim.io/v1alpha1
kind: Scenario
metadata:
  name: test-scenario
spec:
  steps:
)";

ScenarioLoad load_steps(const std::string& steps) { return load_scenario_text(kHeader + steps, "s.yaml"); }

TEST(ScenarioLoader, ParsesRequestWithDefaults) {
  auto load = load_steps(R"(    - name: ping
      request: {host: www.service1.io, path: /ping}
      expect: {status: 200, responseFlags: "-"}
)");
  ASSERT_TRUE(load.ok()) << all_errors(load);
  const Scenario& s = *load.scenario;
  EXPECT_EQ(s.name, "test-scenario");
  ASSERT_EQ(s.steps.size(), 1u);
  EXPECT_EQ(s.steps[0].name, "ping");
  const auto& r = std::get<RequestSpec>(s.steps[0].action);
  EXPECT_EQ(r.gateway, "istio-system/istio-ingressgateway");
  EXPECT_EQ(r.port, 80u);
  EXPECT_EQ(r.scheme, "http");
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.path, "/ping");
  EXPECT_EQ(r.count, 1);
  ASSERT_TRUE(s.steps[0].expect);
  EXPECT_EQ(s.steps[0].expect->status, std::vector<int>{200});
  EXPECT_EQ(s.steps[0].expect->response_flags, "-");
}

TEST(ScenarioLoader, HttpsDefaultsPortAndSni) {
  auto load = load_steps(R"(    - request: {scheme: https, host: "www.example.com:8443"}
      expect: {status: 200}
)");
  ASSERT_TRUE(load.ok()) << all_errors(load);
  const auto& r = std::get<RequestSpec>(load.scenario->steps[0].action);
  EXPECT_EQ(r.port, 443u);
  EXPECT_EQ(r.sni, "www.example.com");
  EXPECT_EQ(load.scenario->steps[0].name, "request #1");
}

TEST(ScenarioLoader, StatusList) {
  auto load = load_steps(R"(    - request: {host: a}
      expect: {status: [200, 503]}
)");
  ASSERT_TRUE(load.ok()) << all_errors(load);
  EXPECT_EQ(load.scenario->steps[0].expect->status, (std::vector<int>{200, 503}));
}

TEST(ScenarioLoader, UnknownFieldNamesLineColumnAndHint) {
  auto load = load_steps(R"(    - request: {host: a}
      expect:
        stauts: 200
)");
  ASSERT_FALSE(load.ok());
  ASSERT_EQ(load.errors.size(), 1u) << all_errors(load);
  EXPECT_EQ(load.errors[0].where, "s.yaml:9:9");
  EXPECT_NE(load.errors[0].message.find("unknown field \"stauts\""), std::string::npos);
  EXPECT_NE(load.errors[0].message.find("did you mean \"status\"?"), std::string::npos);
}

TEST(ScenarioLoader, UnknownFieldWithoutCloseNameListsAllowed) {
  auto load = load_steps(R"(    - request: {host: a, colour: blue}
)");
  ASSERT_FALSE(load.ok());
  EXPECT_NE(all_errors(load).find("unknown field \"colour\" (allowed: gateway, port"), std::string::npos)
      << all_errors(load);
}

TEST(ScenarioLoader, UnknownTopLevelAndNestedFields) {
  auto load = load_scenario_text(R"(apiVersion: gwsim.io/v1alpha1
kind: Scenario
metadata: {name: x}
spec:
  manifest: [a.yaml]
  steps:
    - request: {host: a}
      expect:
        route: {virtualservice: default/vs}
        backend: {pods: x}
)",
                                 "s.yaml");
  std::string errors = all_errors(load);
  EXPECT_NE(errors.find("s.yaml:5:3: spec: unknown field \"manifest\"; did you mean \"manifests\"?"),
            std::string::npos)
      << errors;
  EXPECT_NE(errors.find("did you mean \"virtualService\"?"), std::string::npos) << errors;
  EXPECT_NE(errors.find("did you mean \"pod\"?"), std::string::npos) << errors;
}

TEST(ScenarioLoader, MissingName) {
  auto load = load_scenario_text(R"(apiVersion: gwsim.io/v1alpha1
kind: Scenario
metadata: {}
spec:
  steps:
    - request: {host: a}
)",
                                 "s.yaml");
  ASSERT_FALSE(load.ok());
  EXPECT_NE(all_errors(load).find("metadata.name is required"), std::string::npos) << all_errors(load);
}

TEST(ScenarioLoader, WrongKindAndApiVersion) {
  auto load = load_scenario_text("apiVersion: v1\nkind: Service\nmetadata: {name: x}\nspec: {steps: [{request: {host: a}}]}\n",
                                 "s.yaml");
  std::string errors = all_errors(load);
  EXPECT_EQ(load.errors.size(), 1u) << errors;
  EXPECT_NE(errors.find("not a scenario: kind is \"Service\", expected Scenario"), std::string::npos) << errors;
}

TEST(ScenarioLoader, EmptyExpectIsAnError) {
  auto load = load_steps(R"(    - request: {host: a}
      expect: {}
)");
  ASSERT_FALSE(load.ok());
  EXPECT_NE(all_errors(load).find("must assert something"), std::string::npos) << all_errors(load);
  EXPECT_EQ(load.errors[0].where, "s.yaml:8:15");
}

TEST(ScenarioLoader, TwoActionsInOneStep) {
  auto load = load_steps(R"(    - request: {host: a}
      scale: {deployment: default/x, replicas: 0}
)");
  ASSERT_FALSE(load.ok());
  EXPECT_NE(all_errors(load).find("2 actions (request, scale); each step has exactly one"), std::string::npos)
      << all_errors(load);
}

TEST(ScenarioLoader, StepWithoutAction) {
  auto load = load_steps("    - name: nothing\n      expect: {status: 200}\n");
  ASSERT_FALSE(load.ok());
  EXPECT_NE(all_errors(load).find("no action"), std::string::npos) << all_errors(load);
}

TEST(ScenarioLoader, NoSteps) {
  auto load = load_scenario_text("apiVersion: gwsim.io/v1alpha1\nkind: Scenario\nmetadata: {name: x}\nspec: {}\n", "s.yaml");
  ASSERT_FALSE(load.ok());
  EXPECT_NE(all_errors(load).find("spec.steps is required"), std::string::npos) << all_errors(load);
}

TEST(ScenarioLoader, YamlSyntaxErrorHasPosition) {
  auto load = load_scenario_text("apiVersion: gwsim.io/v1alpha1\nkind: [Scenario\n", "bad.yaml");
  ASSERT_FALSE(load.ok());
  ASSERT_EQ(load.errors.size(), 1u);
  EXPECT_EQ(load.errors[0].where.rfind("bad.yaml:", 0), 0u) << load.errors[0].to_string();
  EXPECT_NE(load.errors[0].message.find("YAML error"), std::string::npos);
}

TEST(ScenarioLoader, ExpectOnApplyOnlyRejected) {
  auto load = load_steps(R"(    - apply: {resources: []}
      expect: {status: 200}
)");
  ASSERT_FALSE(load.ok());
  EXPECT_NE(all_errors(load).find("an apply step can only check `rejected`"), std::string::npos) << all_errors(load);

  auto rejected_on_request = load_steps(R"(    - request: {host: a}
      expect: {rejected: weights}
)");
  ASSERT_FALSE(rejected_on_request.ok());
  EXPECT_NE(all_errors(rejected_on_request).find("only apply steps can be rejected"), std::string::npos);
}

TEST(ScenarioLoader, ExpectOnOtherActionsIsAnError) {
  auto load = load_steps(R"(    - scale: {deployment: default/x, replicas: 1}
      expect: {status: 200}
)");
  ASSERT_FALSE(load.ok());
  EXPECT_NE(all_errors(load).find("a scale step cannot have expectations"), std::string::npos) << all_errors(load);
}

TEST(ScenarioLoader, DistributionChecks) {
  auto ok = load_steps(R"(    - request: {host: a, count: 100}
      expect:
        distribution: {by: label:app, expected: {a: 0.5, b: 0.5}, tolerance: 0.1, distinct: 2}
)");
  ASSERT_TRUE(ok.ok()) << all_errors(ok);
  const auto& d = *ok.scenario->steps[0].expect->distribution;
  EXPECT_EQ(d.by, "label:app");
  EXPECT_DOUBLE_EQ(d.expected.at("a"), 0.5);
  EXPECT_DOUBLE_EQ(d.tolerance, 0.1);
  EXPECT_EQ(d.distinct, 2);

  auto bad = load_steps(R"(    - request: {host: a, count: 100}
      expect:
        distribution: {by: subsets, expected: {v1: 0.5, v2: 0.4}}
)");
  std::string errors = all_errors(bad);
  EXPECT_NE(errors.find("did you mean \"subset\"?"), std::string::npos) << errors;
  EXPECT_NE(errors.find("add up to 0.9, not 1"), std::string::npos) << errors;

  auto single = load_steps(R"(    - request: {host: a}
      expect: {distribution: {by: pod, distinct: 1}}
)");
  EXPECT_NE(all_errors(single).find("needs request.count > 1"), std::string::npos) << all_errors(single);
}

TEST(ScenarioLoader, WorldChangingSteps) {
  auto load = load_steps(R"(    - delete: [{kind: VirtualService, namespace: default, name: extra}, {kind: Deployment, name: d}]
    - scale: {deployment: default/k8s-combat-service-v2, replicas: 0}
    - pods:
        selector: {version: v1}
        count: 1
        respond: {status: 503, delay: 2s}
        refuse: true
        ready: false
    - pods: {name: p-1, reset: true}
)");
  ASSERT_TRUE(load.ok()) << all_errors(load);
  const auto& steps = load.scenario->steps;
  ASSERT_EQ(steps.size(), 4u);
  const auto& del = std::get<std::vector<DeleteTarget>>(steps[0].action);
  ASSERT_EQ(del.size(), 2u);
  EXPECT_EQ(del[0].api_version, "networking.istio.io/v1");
  EXPECT_EQ(del[1].api_version, "apps/v1");
  EXPECT_EQ(del[1].namespace_, "default");
  const auto& scale = std::get<ScaleSpec>(steps[1].action);
  EXPECT_EQ(scale.namespace_, "default");
  EXPECT_EQ(scale.deployment, "k8s-combat-service-v2");
  EXPECT_EQ(scale.replicas, 0);
  const auto& pods = std::get<PodsSpec>(steps[2].action);
  EXPECT_EQ(pods.selector.at("version"), "v1");
  EXPECT_EQ(pods.count, 1);
  EXPECT_EQ(pods.respond->status, 503);
  EXPECT_EQ(pods.respond->delay_ms, 2000);
  EXPECT_EQ(pods.refuse, true);
  EXPECT_EQ(pods.ready, false);
  EXPECT_TRUE(std::get<PodsSpec>(steps[3].action).reset);
  EXPECT_EQ(steps[3].name, "pods #4");
}

TEST(ScenarioLoader, PodsNeedsSelectorOrName) {
  auto load = load_steps("    - pods: {ready: false}\n");
  EXPECT_NE(all_errors(load).find("exactly one of `selector` (labels) or `name`"), std::string::npos)
      << all_errors(load);
}

TEST(ScenarioLoader, DuplicateStepNamesAndKeys) {
  auto load = load_steps(R"(    - name: a
      request: {host: a, host: b}
    - name: a
      request: {host: a}
)");
  std::string errors = all_errors(load);
  EXPECT_NE(errors.find("duplicate field"), std::string::npos) << errors;
  EXPECT_NE(errors.find("step name \"a\" is used twice"), std::string::npos) << errors;
}

TEST(ScenarioLoader, BadScalars) {
  auto load = load_steps(R"(    - request: {host: a, port: eighty, count: 0}
      expect: {refused: maybe, status: 42}
)");
  std::string errors = all_errors(load);
  EXPECT_NE(errors.find("port: expected an integer, got \"eighty\""), std::string::npos) << errors;
  EXPECT_NE(errors.find("count: 0 is out of range"), std::string::npos) << errors;
  EXPECT_NE(errors.find("refused: expected true or false"), std::string::npos) << errors;
  EXPECT_NE(errors.find("status: 42 is out of range"), std::string::npos) << errors;
}

TEST(ScenarioLoader, MissingManifestIsAnError) {
  TempDir dir;
  std::string file = dir.write("s.yaml", std::string(R"(apiVersion: gwsim.io/v1alpha1
kind: Scenario
metadata: {name: x}
spec:
  manifests: [missing/]
  steps:
    - request: {host: a}
)"));
  auto load = load_scenario(file);
  ASSERT_FALSE(load.ok());
  EXPECT_NE(all_errors(load).find("manifest not found"), std::string::npos) << all_errors(load);
  EXPECT_EQ(load.name, "x");
}

TEST(ScenarioLoader, MultipleDocumentsAreAnError) {
  auto load = load_scenario_text(std::string(kHeader) + "    - request: {host: a}\n---\nkind: Scenario\n", "s.yaml");
  ASSERT_FALSE(load.ok());
  EXPECT_NE(all_errors(load).find("one Scenario per file"), std::string::npos) << all_errors(load);
}

TEST(ScenarioFiles, LooksLikeScenario) {
  EXPECT_TRUE(looks_like_scenario("apiVersion: gwsim.io/v1alpha1\nkind: Scenario\n"));
  EXPECT_TRUE(looks_like_scenario("kind: \"Scenario\"  # comment\n"));
  EXPECT_FALSE(looks_like_scenario("kind: Service\n"));
  EXPECT_FALSE(looks_like_scenario("  kind: Scenario\n"));  // nested, not top level
}

TEST(ScenarioFiles, FindsScenariosRecursivelySkippingManifests) {
  TempDir dir;
  dir.write("b/two.yaml", "kind: Scenario\n");
  dir.write("a/one.yml", "kind: Scenario\n");
  dir.write("a/manifests/deploy.yaml", "kind: Deployment\n");
  dir.write("a/notes.txt", "kind: Scenario\n");
  auto found = find_scenario_files({dir.path(), dir.path() + "/nope"});
  ASSERT_EQ(found.files.size(), 2u);
  EXPECT_EQ(found.files[0], dir.path() + "/a/one.yml");
  EXPECT_EQ(found.files[1], dir.path() + "/b/two.yaml");
  ASSERT_EQ(found.errors.size(), 1u);
  EXPECT_EQ(found.errors[0].where, dir.path() + "/nope");
}

}  // namespace
}  // namespace gwsim::conformance

namespace gwsim::conformance {
namespace {

TEST(ScenarioLoader, WrongApiVersion) {
  auto load = load_scenario_text(
      "apiVersion: gwsim.io/v1\nkind: Scenario\nmetadata: {name: x}\nspec: {steps: [{request: {host: a}}]}\n", "s.yaml");
  ASSERT_EQ(load.errors.size(), 1u);
  EXPECT_EQ(load.errors[0].to_string(), "s.yaml:1:13: apiVersion: expected gwsim.io/v1alpha1, got \"gwsim.io/v1\"");
}

TEST(ScenarioLoader, InlineResourcesKeepTheirPositions) {
  auto load = load_scenario_text(R"(apiVersion: gwsim.io/v1alpha1
kind: Scenario
metadata: {name: x}
spec:
  resources:
    - apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata: {name: vs}
      spec: {hosts: [a.example.com], http: [{route: [{destination: {host: a}}]}]}
    - apiVersion: example.com/v1
      kind: Widget
      metadata: {name: w}
  steps:
    - request: {host: a.example.com}
)",
                                 "s.yaml");
  ASSERT_TRUE(load.ok()) << all_errors(load);
  ASSERT_EQ(load.scenario->setup.objects.size(), 1u);  // the unknown kind is skipped
  EXPECT_EQ(load.scenario->setup.objects[0].object.kind(), "VirtualService");
  EXPECT_EQ(load.scenario->setup.objects[0].object.source.to_string(), "s.yaml:6:7");
  ASSERT_EQ(load.warnings.size(), 1u);
  EXPECT_NE(load.warnings[0].find("unknown kind Widget"), std::string::npos);
}

// ---- the fields of SCENARIO_SPEC: repeated headers, grpc / upgrade / protocol, upstream
// method / tls / sni / protocol, object steps ----------------------------------------

TEST(ScenarioFormatFields, AListHeaderValueIsSentOncePerValueInOrder) {
  auto load = load_steps(R"(    - request: {host: a, headers: {X-Echo: [a, b], X-One: c}}
)");
  ASSERT_TRUE(load.ok()) << all_errors(load);
  const auto& r = std::get<RequestSpec>(load.scenario->steps[0].action);
  EXPECT_EQ(r.headers, (HeaderList{{"X-Echo", "a"}, {"X-Echo", "b"}, {"X-One", "c"}}));
}

TEST(ScenarioFormatFields, AnEmptyHeaderListIsRefused) {
  auto load = load_steps(R"(    - request: {host: a, headers: {X-Echo: []}}
)");
  EXPECT_FALSE(load.ok());
  EXPECT_NE(all_errors(load).find("s.yaml:7:"), std::string::npos) << all_errors(load);
  EXPECT_NE(all_errors(load).find("expected at least one value"), std::string::npos) << all_errors(load);
}

TEST(ScenarioFormatFields, AGrpcCallIsAnHttp2PostToServiceAndMethod) {
  auto load = load_steps(R"(    - request: {host: a, grpc: {service: pkg.Echo, method: Say}}
)");
  ASSERT_TRUE(load.ok()) << all_errors(load);
  const auto& r = std::get<RequestSpec>(load.scenario->steps[0].action);
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.path, "/pkg.Echo/Say");
  EXPECT_EQ(r.protocol, "HTTP/2");
  ASSERT_TRUE(r.grpc);
  EXPECT_EQ(r.grpc->first, "pkg.Echo");
  EXPECT_EQ(r.headers, (HeaderList{{"content-type", "application/grpc"}, {"te", "trailers"}}));
}

TEST(ScenarioFormatFields, AGrpcCallRefusesPathMethodUpgradeAndHttp11) {
  auto load = load_steps(R"(    - request: {host: a, path: /x, method: GET, grpc: {service: s}}
    - request: {host: a, protocol: HTTP/1.1, grpc: {service: s, method: m}}
)");
  EXPECT_FALSE(load.ok());
  std::string errors = all_errors(load);
  EXPECT_NE(errors.find("steps[0].request.grpc.method is required"), std::string::npos) << errors;
  EXPECT_NE(errors.find("steps[0].request.path: not with grpc"), std::string::npos) << errors;
  EXPECT_NE(errors.find("steps[0].request.method: not with grpc"), std::string::npos) << errors;
  EXPECT_NE(errors.find("steps[1].request.protocol: gRPC runs over HTTP/2"), std::string::npos) << errors;
}

TEST(ScenarioFormatFields, AWebsocketUpgradeSendsTheHandshakeHeaders) {
  auto load = load_steps(R"(    - request: {host: a, upgrade: websocket}
)");
  ASSERT_TRUE(load.ok()) << all_errors(load);
  const auto& r = std::get<RequestSpec>(load.scenario->steps[0].action);
  EXPECT_EQ(r.upgrade, "websocket");
  EXPECT_EQ(r.protocol, "HTTP/1.1");
  auto has = [&](const std::string& name, const std::string& value) {
    for (const auto& [k, v] : r.headers)
      if (k == name && v == value) return true;
    return false;
  };
  EXPECT_TRUE(has("Connection", "Upgrade"));
  EXPECT_TRUE(has("Upgrade", "websocket"));
  EXPECT_TRUE(has("Sec-WebSocket-Version", "13"));
  EXPECT_TRUE(has("testwebsocket", "enabled"));
}

TEST(ScenarioFormatFields, BadUpgradeAndProtocolValuesAreNamed) {
  auto load = load_steps(R"(    - request: {host: a, upgrade: h2c}
    - request: {host: a, protocol: HTTP/3}
    - request: {host: a, protocol: HTTP/2, upgrade: websocket}
)");
  EXPECT_FALSE(load.ok());
  std::string errors = all_errors(load);
  EXPECT_NE(errors.find("s.yaml:7:"), std::string::npos) << errors;
  EXPECT_NE(errors.find("upgrade: expected websocket, got \"h2c\""), std::string::npos) << errors;
  EXPECT_NE(errors.find("protocol: expected HTTP/1.0, HTTP/1.1 or HTTP/2, got \"HTTP/3\""), std::string::npos) << errors;
  EXPECT_NE(errors.find("a websocket upgrade is an HTTP/1.1 request"), std::string::npos) << errors;
}

TEST(ScenarioFormatFields, UpstreamRequestMethodTlsSniProtocol) {
  auto load = load_steps(R"(    - request: {host: a}
      expect:
        upstreamRequest: {method: POST, tls: true, sni: b.example, protocol: HTTP/2}
    - request: {host: a}
      expect:
        upstreamRequest: {protocl: HTTP/2}
)");
  EXPECT_FALSE(load.ok());
  std::string errors = all_errors(load);
  EXPECT_NE(errors.find("s.yaml:12:27: steps[1].expect.upstreamRequest: unknown field \"protocl\"; did you mean "
                        "\"protocol\"?"),
            std::string::npos)
      << errors;

  auto good = load_steps(R"(    - request: {host: a}
      expect:
        upstreamRequest: {method: POST, tls: true, sni: b.example, protocol: HTTP/2}
)");
  ASSERT_TRUE(good.ok()) << all_errors(good);
  const UpstreamRequestExpectation& u = *good.scenario->steps[0].expect->upstream_request;
  EXPECT_EQ(u.method, "POST");
  EXPECT_EQ(u.tls, true);
  EXPECT_EQ(u.sni, "b.example");
  EXPECT_EQ(u.protocol, "HTTP/2");
}

TEST(ScenarioFormatFields, AnObjectStepResolvesItsKind) {
  auto load = load_steps(R"(    - object: {kind: Gateway, namespace: infra, name: gw}
    - object: {kind: HTTPRoute, name: r}
      expect: {exists: false}
    - object: {apiVersion: gateway.networking.k8s.io/v1, kind: Gateway, name: gw}
      expect:
        conditions: [{type: Programmed, status: "True", messageContains: ok}]
        listeners: [{name: http, attachedRoutes: 1, supportedKinds: [HTTPRoute], conditions: [{type: Accepted}]}]
        parents: [{parentRef: {name: gw, sectionName: http}, controllerName: istio.io/gateway-controller}]
        addresses: [10.0.0.1]
        fields: {spec.gatewayClassName: istio, metadata.generation: 1}
)");
  ASSERT_TRUE(load.ok()) << all_errors(load);
  const auto& steps = load.scenario->steps;
  EXPECT_STREQ(steps[0].action_name(), "object");
  const auto& istio = std::get<ObjectSpec>(steps[0].action);
  EXPECT_EQ(istio.api_version, "networking.istio.io/v1");  // Gateway alone is Istio's
  EXPECT_EQ(istio.namespace_, "infra");
  ASSERT_TRUE(steps[0].expect && steps[0].expect->object);
  EXPECT_TRUE(steps[0].expect->object->exists);  // no expect: the object must exist
  EXPECT_EQ(std::get<ObjectSpec>(steps[1].action).api_version, "gateway.networking.k8s.io/v1");
  EXPECT_FALSE(steps[1].expect->object->exists);
  const ObjectExpectation& e = *steps[2].expect->object;
  ASSERT_EQ(e.conditions.size(), 1u);
  EXPECT_EQ(e.conditions[0].message_contains, "ok");
  ASSERT_EQ(e.listeners.size(), 1u);
  EXPECT_EQ(e.listeners[0].attached_routes, 1);
  ASSERT_EQ(e.parents.size(), 1u);
  EXPECT_EQ(e.parents[0].parent_ref.section_name, "http");
  EXPECT_FALSE(e.parents[0].parent_ref.namespace_);
  EXPECT_EQ(e.addresses, std::vector<std::string>{"10.0.0.1"});
  ASSERT_EQ(e.fields.size(), 2u);
  EXPECT_EQ(e.fields[1].second, model::Json(1));
}

TEST(ScenarioFormatFields, ObjectStepErrorsHavePositionsAndHints) {
  auto load = load_steps(R"(    - object: {kind: Deploymnet, name: x}
    - object: {kind: Service, name: x}
      expect: {exist: false}
    - object: {kind: Service, name: x}
      expect: {exists: false, fields: {spec.type: ClusterIP}}
    - object: {apiVersion: apps/v1, kind: Service, name: x}
    - object: {kind: Service, name: x}
      expect: {conditions: [{type: Ready, status: yes}, {type: Ready}]}
    - object: {kind: Service, name: x}
      expect: {status: 200}
)");
  EXPECT_FALSE(load.ok());
  std::string errors = all_errors(load);
  EXPECT_NE(errors.find("s.yaml:7:22: steps[0].object.kind: unknown kind \"Deploymnet\"; did you mean \"Deployment\"?"),
            std::string::npos)
      << errors;
  EXPECT_NE(errors.find("s.yaml:9:16: steps[1].expect: unknown field \"exist\"; did you mean \"exists\"?"),
            std::string::npos)
      << errors;
  EXPECT_NE(errors.find("exists: false checks that the object is gone"), std::string::npos) << errors;
  EXPECT_NE(errors.find("steps[3].object.apiVersion: no kind Service in \"apps/v1\""), std::string::npos) << errors;
  EXPECT_NE(errors.find("status: expected \"True\", \"False\" or \"Unknown\", got \"yes\""), std::string::npos)
      << errors;
  EXPECT_NE(errors.find("condition Ready is listed twice"), std::string::npos) << errors;
  EXPECT_NE(errors.find("steps[5].expect: unknown field \"status\""), std::string::npos) << errors;
}

}  // namespace
}  // namespace gwsim::conformance
