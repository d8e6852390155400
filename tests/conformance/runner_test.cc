#include "conformance/runner.h"

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include <gtest/gtest.h>

#include "tests/support/temp_dir.h"

#include "conformance/world.h"
#include "engine/model/crd_schema.h"

namespace gwsim::conformance {
namespace {

namespace fs = std::filesystem;

using gwsim::testing::TempDir;

// Two echo Deployments (v1: 2 pods, v2: 1 pod) behind one Service, a Gateway for
// echo.example.com and a VirtualService sending everything to subset-less `echo`.
const std::string kWorld = R"(
  resources:
    - apiVersion: apps/v1
      kind: Deployment
      metadata: {name: echo-v1, namespace: default}
      spec:
        replicas: 2
        selector: {matchLabels: {app: echo, version: v1}}
        template:
          metadata: {labels: {app: echo, version: v1}}
          spec: {containers: [{name: echo, image: echo, ports: [{containerPort: 8080}]}]}
    - apiVersion: apps/v1
      kind: Deployment
      metadata: {name: echo-v2, namespace: default}
      spec:
        replicas: 1
        selector: {matchLabels: {app: echo, version: v2}}
        template:
          metadata: {labels: {app: echo, version: v2}}
          spec: {containers: [{name: echo, image: echo, ports: [{containerPort: 8080}]}]}
    - apiVersion: v1
      kind: Service
      metadata: {name: echo, namespace: default}
      spec: {selector: {app: echo}, ports: [{name: http, port: 80, targetPort: 8080}]}
    - apiVersion: networking.istio.io/v1
      kind: Gateway
      metadata: {name: gw, namespace: default}
      spec:
        selector: {istio: ingressgateway}
        servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["echo.example.com"]}]
    - apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata: {name: vs, namespace: default}
      spec:
        hosts: [echo.example.com]
        gateways: [gw]
        http: [{name: main, route: [{destination: {host: echo}}]}]
)";

std::string scenario(const std::string& name, const std::string& steps, const std::string& extra_spec = "",
                     const std::string& extra_resources = "") {
  return "apiVersion: gwsim.io/v1alpha1\nkind: Scenario\nmetadata: {name: " + name + "}\nspec:\n" + extra_spec +
         kWorld + extra_resources + "  steps:\n" + steps;
}

ScenarioResult run_text(const std::string& text, std::uint64_t seed = 1) {
  TempDir dir;
  std::string file = dir.write("s.yaml", text);
  RunOptions options;
  options.seed = seed;
  return run_scenario_file(file, options);
}

std::string details(const ScenarioResult& r) {
  std::ostringstream out;
  RunOptions options;
  print_result(r, options, out);
  return out.str();
}

TEST(Runner, RoutesAndChecksEveryField) {
  auto r = run_text(scenario("routed", R"(
    - name: routed
      request: {host: echo.example.com, path: /hello, count: 30}
      expect:
        status: 200
        responseFlags: "-"
        route: {virtualService: default/vs, gateway: default/gw, name: main, index: 0, virtualHost: "echo.example.com:80", routeConfig: http.8080, listener: 0.0.0.0_8080}
        cluster: outbound|80||echo.default.svc.cluster.local
        backend: {service: default/echo, port: 80, pod: echo-v}
        bodyContains: "Hostname=echo-v"
        upstreamRequest: {host: echo.example.com, path: /hello}
        distribution: {by: version, expected: {v1: 0.67, v2: 0.33}, tolerance: 0.25, distinct: 2}
    - name: mixed case host with port
      request: {host: "ECHO.example.com:80"}
      expect: {status: 200}
    - name: other host
      request: {host: other.example.com}
      expect: {status: 404, responseFlags: NR}
)"));
  EXPECT_EQ(r.status, ScenarioStatus::kPassed) << details(r);
  ASSERT_EQ(r.steps.size(), 3u);
}

TEST(Runner, FailureShowsExpectedActualAndTrace) {
  auto r = run_text(scenario("failing", R"(
    - name: wrong status
      request: {host: echo.example.com}
      expect: {status: 503, route: {virtualService: default/nope}}
)"));
  EXPECT_EQ(r.status, ScenarioStatus::kFailed);
  std::string text = details(r);
  EXPECT_NE(text.find("FAIL failing/wrong status"), std::string::npos) << text;
  EXPECT_NE(text.find("status: expected 503, got 200"), std::string::npos) << text;
  EXPECT_NE(text.find("route.virtualService: expected \"default/nope\", got \"default/vs\""), std::string::npos) << text;
  EXPECT_NE(text.find("decision trace:"), std::string::npos) << text;
  EXPECT_NE(text.find("listener: 0.0.0.0_8080"), std::string::npos) << text;
}

TEST(Runner, KnownDeviation) {
  auto failing = run_text(scenario("known", R"(
    - request: {host: echo.example.com}
      expect: {status: 503}
)",
                                   "  knownDeviation: not modelled yet\n"));
  EXPECT_EQ(failing.status, ScenarioStatus::kKnownDeviation) << details(failing);
  EXPECT_NE(details(failing).find("XFAIL known/request #1"), std::string::npos) << details(failing);

  auto passing = run_text(scenario("known", R"(
    - request: {host: echo.example.com}
      expect: {status: 200}
)",
                                   "  knownDeviation: not modelled yet\n"));
  EXPECT_EQ(passing.status, ScenarioStatus::kUnexpectedPass);
  EXPECT_NE(details(passing).find("UNEXPECTED PASS: remove knownDeviation"), std::string::npos);
}

TEST(Runner, ScaleDeleteAndPods) {
  auto r = run_text(scenario("world-changes", R"(
    - scale: {deployment: default/echo-v2, replicas: 0}
    - name: v1 only
      request: {host: echo.example.com, count: 10}
      expect: {status: 200, distribution: {by: version, expected: {v1: 1}}}
    - pods: {selector: {version: v1}, respond: {status: 418}}
    - name: teapots
      request: {host: echo.example.com}
      expect: {status: 418, backend: {pod: echo-v1-}}
    - pods: {selector: {app: echo}, reset: true}
    - name: plain again
      request: {host: echo.example.com}
      expect: {status: 200}
    - pods: {selector: {app: echo}, ready: false}
    - name: no endpoints
      request: {host: echo.example.com}
      expect: {status: 503, responseFlags: UH}
    - pods: {selector: {app: echo}, count: 1, ready: true}
    - name: one pod ready
      request: {host: echo.example.com, count: 5}
      expect: {status: 200, distribution: {by: pod, distinct: 1}}
    - delete: [{kind: VirtualService, name: vs}]
    - name: no route
      request: {host: echo.example.com}
      expect: {status: 404}
)"));
  EXPECT_EQ(r.status, ScenarioStatus::kPassed) << details(r);
}

TEST(Runner, ApplyStepsAndRejection) {
  auto r = run_text(scenario("applies", R"(
    - delete: [{kind: VirtualService, name: vs}]
    - name: no route
      request: {host: echo.example.com}
      expect: {status: 404}
    - name: add it back
      apply:
        resources:
          - apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: vs2, namespace: default}
            spec:
              hosts: [echo.example.com]
              gateways: [gw]
              http: [{route: [{destination: {host: echo}}]}]
    - name: routed again
      request: {host: echo.example.com}
      expect: {status: 200, route: {virtualService: default/vs2}}
    - name: refused
      apply:
        resources:
          - apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: bad, namespace: default}
            spec:
              hosts: [echo.example.com]
              gateways: [gw]
              http: [{route: [{destination: {host: echo}, weight: 0}, {destination: {host: echo2}, weight: 0}]}]
      expect: {rejected: "total destination weight = 0"}
    - name: the refused one was not stored
      request: {host: echo.example.com}
      expect: {status: 200, route: {virtualService: default/vs2}}
)"));
  EXPECT_EQ(r.status, ScenarioStatus::kPassed) << details(r);
}

TEST(Runner, SetupRefusalIsBadInput) {
  auto r = run_text(scenario("bad-setup", R"(
    - request: {host: echo.example.com}
      expect: {status: 200}
)",
                             "", R"(    - apiVersion: networking.istio.io/v1
      kind: Gateway
      metadata: {name: noservers, namespace: default}
      spec: {selector: {istio: ingressgateway}}
)"));
  EXPECT_EQ(r.status, ScenarioStatus::kBadInput) << details(r);
}

// A scenario's objects are admitted once: when the file is read (so that a bad one is reported
// with its position), and the apply takes that answer instead of asking again. So each Istio
// object's CRD schema is checked once: the setup's Gateway and VirtualService, an apply step's
// VirtualService, and one the step expects to be refused (by Istio's webhook, after its schema).
TEST(Runner, EachObjectIsAdmittedOnce) {
  const std::size_t before = model::crd_schema_checks();
  auto r = run_text(scenario("admitted-once", R"(
    - name: another route
      apply:
        resources:
          - apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: vs2, namespace: default}
            spec: {hosts: [two.example.com], gateways: [gw], http: [{route: [{destination: {host: echo}}]}]}
    - name: refused
      apply:
        resources:
          - apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: bad, namespace: default}
            spec:
              hosts: [echo.example.com]
              gateways: [gw]
              http: [{route: [{destination: {host: echo}, weight: 0}, {destination: {host: echo2}, weight: 0}]}]
      expect: {rejected: "total destination weight = 0"}
)"));
  EXPECT_EQ(r.status, ScenarioStatus::kPassed) << details(r);
  EXPECT_EQ(model::crd_schema_checks() - before, 4u);
}

TEST(Runner, MissingStepTargetsFail) {
  auto r = run_text(scenario("missing", R"(
    - scale: {deployment: default/nope, replicas: 1}
    - pods: {selector: {app: nope}, ready: false}
    - delete: [{kind: Service, name: nope}]
)"));
  EXPECT_EQ(r.status, ScenarioStatus::kFailed);
  for (const auto& step : r.steps) EXPECT_FALSE(step.passed) << step.name;
}

TEST(Runner, SeedReproducesPodSequence) {
  auto pods = [](std::uint64_t seed) {
    World world(seed);
    auto load = load_scenario_text(scenario("seeded", "    - request: {host: echo.example.com}\n"), "s.yaml");
    EXPECT_TRUE(load.ok());
    world.apply(load.scenario->setup.objects);
    world.install_default_gateway_if_missing();
    RequestSpec request;
    request.host = "echo.example.com";
    std::string sequence;
    for (int i = 0; i < 20; ++i) {
      auto o = world.send(request);
      EXPECT_TRUE(o.ok());
      if (o.ok()) sequence += o->trace.pod + ",";
    }
    return sequence;
  };
  EXPECT_EQ(pods(7), pods(7));
}

TEST(Runner, RunPathsExitCodesAndSummary) {
  TempDir dir;
  dir.write("pass/a.yaml", scenario("a", "    - request: {host: echo.example.com}\n      expect: {status: 200}\n"));
  dir.write("fail/b.yaml", scenario("b", "    - request: {host: echo.example.com}\n      expect: {status: 500}\n"));
  dir.write("bad/c.yaml", "apiVersion: gwsim.io/v1alpha1\nkind: Scenario\nmetadata: {name: c}\nspec: {steps: []}\n");
  dir.write("pass/manifests/ignored.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: x}\n");
  RunOptions quiet;
  quiet.quiet = true;

  std::ostringstream out;
  EXPECT_EQ(run_paths({dir.path() + "/pass"}, RunOptions{}, out).exit_code(), 0);
  EXPECT_NE(out.str().find("PASS a/request #1"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("\n1 passed, 0 failed\n"), std::string::npos) << out.str();

  std::ostringstream out2;
  EXPECT_EQ(run_paths({dir.path() + "/pass", dir.path() + "/fail"}, quiet, out2).exit_code(), 1);
  EXPECT_EQ(out2.str().find("PASS"), std::string::npos) << out2.str();
  EXPECT_NE(out2.str().find("1 passed, 1 failed"), std::string::npos) << out2.str();

  std::ostringstream out3;
  auto summary = run_paths({dir.path()}, quiet, out3);
  EXPECT_EQ(summary.exit_code(), 2);
  EXPECT_EQ(summary.passed, 1);
  EXPECT_EQ(summary.failed, 2);
  EXPECT_NE(out3.str().find("ERROR " + dir.path() + "/bad/c.yaml"), std::string::npos) << out3.str();

  // The same name twice in one run is bad input.
  dir.write("dup/a.yaml", scenario("a", "    - request: {host: echo.example.com}\n"));
  std::ostringstream out4;
  EXPECT_EQ(run_paths({dir.path() + "/pass", dir.path() + "/dup"}, quiet, out4).exit_code(), 2);
  EXPECT_NE(out4.str().find("duplicate scenario name a"), std::string::npos) << out4.str();
}

}  // namespace
}  // namespace gwsim::conformance

namespace gwsim::conformance {
namespace {

TEST(Runner, TimeoutsAreSimulatedAndUnsupportedConfigIsAClearFailure) {
  auto r = run_text(scenario("unsupported", R"(
    - apply:
        resources:
          - apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: vs, namespace: default}
            spec:
              hosts: [echo.example.com]
              gateways: [gw]
              http:
                - name: slow
                  timeout: 1s
                  route: [{destination: {host: echo}}]
    - pods: {selector: {app: echo}, respond: {delay: 2s}}
    - name: delayed past the timeout
      request: {host: echo.example.com}
      expect: {status: 504}
    - pods: {selector: {app: echo}, reset: true, respond: {delay: 500ms}}
    - name: delayed within the timeout
      request: {host: echo.example.com}
      expect: {status: 200}
    - name: redirect code Istio cannot translate
      apply:
        resources:
          - apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: vs, namespace: default}
            spec:
              hosts: [echo.example.com]
              gateways: [gw]
              http: [{redirect: {uri: /x, redirectCode: 305}}]
    - name: redirected request
      request: {host: echo.example.com}
      expect: {status: 200}
)"));
  EXPECT_EQ(r.status, ScenarioStatus::kFailed);
  ASSERT_EQ(r.steps.size(), 7u);
  std::string text = details(r);
  EXPECT_TRUE(r.steps[2].passed) << text;  // 504 after the 1s route timeout
  EXPECT_TRUE(r.steps[4].passed) << text;
  EXPECT_TRUE(r.steps[5].passed) << text;
  EXPECT_FALSE(r.steps[6].passed);
  EXPECT_NE(text.find("not yet supported: redirect code 305"), std::string::npos) << text;
}

// A step the mode cannot carry (datapath: gRPC, HTTP/2, upgrades) is never passed: the
// scenario is skipped with the reason when every other step passed, and fails when one failed.
TEST(Runner, AStepTheModeCannotCarryIsNotRunnableNeverPassed) {
  TempDir dir;
  const std::string steps = R"(
    - request: {host: echo.example.com}
      expect: {status: 200}
    - name: grpc
      request: {host: echo.example.com, grpc: {service: pkg.Echo, method: Say}}
      expect: {status: 200, upstreamRequest: {method: POST, protocol: HTTP/1.1}}
)";
  std::string file = dir.write("s.yaml", scenario("mode-limited", steps));
  RunOptions options;
  EXPECT_EQ(run_scenario_file(file, options).status, ScenarioStatus::kPassed);

  options.mode = Mode::kDatapath;
  ScenarioResult r = run_scenario_file(file, options);
  EXPECT_EQ(r.status, ScenarioStatus::kSkipped) << details(r);
  EXPECT_NE(r.not_runnable.find("grpc: a gRPC call (HTTP/2)"), std::string::npos) << r.not_runnable;
  ASSERT_EQ(r.steps.size(), 2u);
  EXPECT_TRUE(r.steps[0].passed);
  EXPECT_FALSE(r.steps[1].passed);
  std::ostringstream out;
  options.quiet = true;
  print_result(r, options, out);
  EXPECT_NE(out.str().find("SKIP mode-limited (" + file + "): not runnable in datapath mode: grpc: "),
            std::string::npos)
      << out.str();

  std::string failing = dir.write("f.yaml", scenario("mode-limited-failing", steps + R"(
    - request: {host: echo.example.com}
      expect: {status: 503}
)"));
  EXPECT_EQ(run_scenario_file(failing, options).status, ScenarioStatus::kFailed);
}

// An object step reads the stored object after the steps before it.
TEST(Runner, ObjectStepsReadTheCluster) {
  auto r = run_text(scenario("objects", R"(
    - object: {kind: Deployment, name: echo-v1}
      expect: {fields: {status.readyReplicas: 2}}
    - delete: [{kind: VirtualService, name: vs}]
    - name: gone
      object: {kind: VirtualService, name: vs}
      expect: {exists: true}
)"));
  EXPECT_EQ(r.status, ScenarioStatus::kFailed);
  ASSERT_EQ(r.steps.size(), 3u);
  EXPECT_TRUE(r.steps[0].passed) << details(r);
  EXPECT_EQ(r.steps[0].action, "object");
  EXPECT_NE(details(r).find("exists: expected true, got false (no such object)"), std::string::npos) << details(r);
}

}  // namespace
}  // namespace gwsim::conformance
