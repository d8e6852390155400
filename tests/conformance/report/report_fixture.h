// A small run for the report tests: six scenarios sharing one manifest file (so their routes
// are the same coverage targets), one of them skipped by name, and one bad input.
//
// VirtualService default/vs has five coverage targets:
//   http[0] "canary" (uri /canary)  -> subset v1 (weight 90), subset v2 (weight 10)
//   http[1] "api" match[0] (/api), match[1] (/v2/api)
//   http[2] "main" (catch-all)
// The scenarios reach all but http[1] match[1]: 4 of 5, 80%.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "conformance/report/report.h"
#include "conformance/runner.h"
#include "tests/support/temp_dir.h"

namespace gwsim::conformance::report::testing {

namespace fs = std::filesystem;

using TempDir = gwsim::testing::TempDir;

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

inline const char* kReportWorld = R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: echo-v1, namespace: default}
spec:
  replicas: 2
  selector: {matchLabels: {app: echo, version: v1}}
  template:
    metadata: {labels: {app: echo, version: v1}}
    spec: {containers: [{name: echo, image: echo, ports: [{containerPort: 8080}]}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: echo-v2, namespace: default}
spec:
  replicas: 1
  selector: {matchLabels: {app: echo, version: v2}}
  template:
    metadata: {labels: {app: echo, version: v2}}
    spec: {containers: [{name: echo, image: echo, ports: [{containerPort: 8080}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: echo, namespace: default}
spec: {selector: {app: echo}, ports: [{name: http, port: 80, targetPort: 8080}]}
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: default}
spec:
  selector: {istio: ingressgateway}
  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["echo.example.com"]}]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: echo, namespace: default}
spec:
  host: echo
  subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs, namespace: default}
spec:
  hosts: [echo.example.com]
  gateways: [gw]
  http:
    - name: canary
      match: [{uri: {prefix: /canary}}]
      route:
        - {destination: {host: echo, subset: v1}, weight: 90}
        - {destination: {host: echo, subset: v2}, weight: 10}
    - name: api
      match: [{uri: {prefix: /api}}, {uri: {prefix: /v2/api}}]
      route: [{destination: {host: echo, subset: v1}}]
    - name: main
      route: [{destination: {host: echo}}]
)";

inline std::string report_scenario(const std::string& name, const std::string& features, const std::string& steps,
                                   const std::string& extra_spec = "") {
  return "apiVersion: gwsim.io/v1alpha1\nkind: Scenario\nmetadata: {name: " + name +
         "}\nspec:\n  description: " + name + " <checks> & more\n  features: [" + features +
         "]\n  references: [https://istio.io/latest/docs/reference/config/networking/virtual-service/]\n" + extra_spec +
         "  manifests: [world.yaml]\n  steps:\n" + steps;
}

// Writes the scenario files into `dir` and returns the directory to run.
inline std::string write_report_scenarios(const TempDir& dir) {
  dir.write("run/world.yaml", kReportWorld);
  dir.write("run/a-canary.yaml", report_scenario("canary-split", "Subsets, LoadBalancing", R"(
    - name: 90/10 split
      request: {host: echo.example.com, path: /canary, count: 400}
      expect:
        status: 200
        distribution: {by: subset, expected: {v1: 0.9, v2: 0.1}, tolerance: 0.06}
    - name: catch-all
      request: {host: echo.example.com, path: /}
      expect: {status: 200, route: {name: main}}
)"));
  dir.write("run/b-api.yaml", report_scenario("api-route", "MatchConditions", R"(
    - name: api prefix
      request: {host: echo.example.com, path: /api/x}
      expect: {status: 200, route: {name: api}, backend: {subset: v1}}
)"));
  dir.write("run/c-failing.yaml", report_scenario("wrong-status", "MatchConditions", R"(
    - name: expects 503
      request: {host: echo.example.com, path: /}
      expect: {status: 503, cluster: "outbound|80|v9|echo.default.svc.cluster.local"}
)"));
  dir.write("run/d-known.yaml", report_scenario("known-but-passes", "HostMatching", R"(
    - request: {host: echo.example.com}
      expect: {status: 200}
)",
                                                "  knownDeviation: said to fail <today>\n"));
  dir.write("run/e-known-failing.yaml", report_scenario("known-and-failing", "HostMatching", R"(
    - name: other host
      request: {host: other.example.com}
      expect: {status: 200}
)",
                                                        "  knownDeviation: other hosts not modelled\n"));
  dir.write("run/f-skipped.yaml", report_scenario("skipped-one", "Cors", R"(
    - request: {host: echo.example.com}
      expect: {status: 200}
)"));
  dir.write("run/g-bad.yaml", "apiVersion: gwsim.io/v1alpha1\nkind: Scenario\nmetadata: {name: bad-one}\nspec:\n  stepz: []\n");
  return dir.path() + "/run";
}

// Runs the scenarios (skipping "skipped-one") and builds the report.
inline Report make_report(const TempDir& dir, bool timestamps = false, std::optional<double> min_coverage = {}) {
  std::string root = write_report_scenarios(dir);
  RunOptions options;
  options.quiet = true;
  options.skip = {"skipped-one"};
  std::vector<ScenarioResult> results;
  options.on_result = [&](const ScenarioResult& r) { results.push_back(r); };
  std::ostringstream text;
  run_paths({root}, options, text);
  ReportMeta meta;
  meta.gwsim_version = "test";
  meta.timestamps = timestamps;
  meta.date = timestamps ? "2025-01-02T03:04:05Z" : "";
  meta.paths = {root};
  meta.min_coverage = min_coverage;
  return build_report(std::move(meta), std::move(results));
}

}  // namespace gwsim::conformance::report::testing
