// Runs one analyzer over manifests, as Istio's analyzers_test.go runs one per case: its
// testdata files (copied into testdata/ here) or inline YAML, and compares the messages' types
// and origins as a multiset (Istio's ConsistOf).
//
// Origins: Istio's test loads objects without a namespace as having none ("Gateway
// httpbin-gateway"); istioctl analyze, like kubectl, puts them in "default", and so does gwsim,
// so the expected origins here say "Gateway default/httpbin-gateway".
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "engine/analysis/analyze.h"
#include "engine/model/manifest.h"

namespace gwsim::analysis::testing {

using Expected = std::vector<std::pair<std::string, std::string>>;  // {message type name, origin}

inline std::string testdata(const std::string& file) {
  return std::string(GWSIM_SOURCE_DIR) + "/tests/engine/analysis/testdata/" + file;
}

inline Context context_of_files(const std::vector<std::string>& files, const std::string& mesh_file = "") {
  std::vector<std::string> paths;
  for (const auto& f : files) paths.push_back(testdata(f));
  model::ManifestLoad loaded = model::load_manifests(paths);
  for (const auto& d : loaded.diagnostics)
    EXPECT_NE(d.severity, model::ManifestDiagnostic::Severity::kError) << d.to_string();
  Input input;
  input.objects = std::move(loaded.objects);
  if (!mesh_file.empty()) {
    auto mesh = read_mesh_config(testdata(mesh_file));
    EXPECT_TRUE(mesh.ok()) << mesh.error().to_string();
    if (mesh.ok()) input.mesh = mesh.value();
  }
  return Context(std::move(input));
}

inline Context context_of_yaml(const std::string& yaml, const std::string& file = "inline.yaml") {
  model::ManifestLoad loaded = model::load_manifest_text(yaml, file);
  for (const auto& d : loaded.diagnostics)
    EXPECT_NE(d.severity, model::ManifestDiagnostic::Severity::kError) << d.to_string();
  Input input;
  input.objects = std::move(loaded.objects);
  return Context(std::move(input));
}

inline std::vector<Message> run_analyzer(const Context& context, const std::string& analyzer) {
  const Analyzer* a = find_analyzer(analyzer);
  EXPECT_NE(a, nullptr) << analyzer;
  return a ? analyze(context, *a) : std::vector<Message>{};
}

inline std::string listing(const std::vector<Message>& messages) {
  std::string out;
  for (const auto& m : messages) out += "  " + m.to_string() + "\n";
  return out;
}

inline void expect_messages(const std::vector<Message>& messages, Expected expected) {
  Expected got;
  for (const auto& m : messages) got.emplace_back(std::string(m.type->name), m.origin);
  std::sort(got.begin(), got.end());
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(got, expected) << "messages:\n" << listing(messages);
}

// One case of Istio's table.
struct IstioCase {
  std::string name;
  std::vector<std::string> files;
  std::string analyzer;
  Expected expected;
  std::string mesh_file;
};

inline void expect_case(const IstioCase& c) {
  SCOPED_TRACE(c.name);
  Context context = context_of_files(c.files, c.mesh_file);
  expect_messages(run_analyzer(context, c.analyzer), c.expected);
}

// A gateway workload and an echo backend written out as the controllers would leave them (pods
// ready with IPs, Endpoints), so the route tables compile from files alone.
inline std::string gateway_and_echo_world() {
  return R"(
apiVersion: v1
kind: Pod
metadata: {name: ingressgateway-1, namespace: istio-system, labels: {istio: ingressgateway, app: istio-ingressgateway}}
spec: {containers: [{name: istio-proxy, image: proxyv2, ports: [{containerPort: 8080}]}]}
status: {podIP: 10.0.0.1, conditions: [{type: Ready, status: "True"}]}
---
apiVersion: v1
kind: Service
metadata: {name: istio-ingressgateway, namespace: istio-system, labels: {istio: ingressgateway}}
spec: {selector: {istio: ingressgateway}, ports: [{name: http2, port: 80, targetPort: 8080}]}
---
apiVersion: v1
kind: Pod
metadata: {name: echo-v1, namespace: default, labels: {app: echo, version: v1}}
spec: {containers: [{name: echo, image: echo, ports: [{containerPort: 8080}]}]}
status: {podIP: 10.0.1.1, conditions: [{type: Ready, status: "True"}]}
---
apiVersion: v1
kind: Service
metadata: {name: echo, namespace: default}
spec: {selector: {app: echo}, ports: [{name: http, port: 80, targetPort: 8080}]}
---
apiVersion: v1
kind: Endpoints
metadata: {name: echo, namespace: default}
subsets:
- addresses: [{ip: 10.0.1.1, targetRef: {kind: Pod, name: echo-v1, namespace: default}}]
  ports: [{name: http, port: 8080}]
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: default}
spec:
  selector: {istio: ingressgateway}
  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*.example.com"]}]
)";
}

}  // namespace gwsim::analysis::testing
