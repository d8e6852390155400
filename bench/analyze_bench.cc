// `gwsim analyze` at scale (issue #13: under 2 s on 10,000 VirtualServices). The article's
// world (scenarios/seed/manifests) plus N VirtualServices generated in memory, each bound to a
// Gateway for *.example.com, analyzed as the CLI does it (cli/analyze.cc): admission of every
// object, the ControlPlane applying them (Deployments get pods, the default ingress gateway),
// the snapshot, compiling the gateway's table, and every analyzer, Istio's and gwsim's.
//   BM_Analyze/N:        N hosts, one route each (N virtual hosts)
//   BM_AnalyzeOneHost/N: one host, N routes of N VirtualServices in one virtual host, so the
//                        unreachable-route check (GWS0001) sees N routes in one list
// Numbers: docs/performance.md, "gwsim analyze".
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <stdexcept>
#include <string>

#include "engine/analysis/analyze.h"
#include "engine/model/manifest.h"
#include "runtime/control_plane.h"

namespace {

using namespace gwsim;

model::Object object_of(model::Json doc) {
  auto object = model::object_from_json(std::move(doc), model::SourcePos{"bench.yaml", 1, 1});
  if (!object.ok()) throw std::runtime_error(object.error().to_string());
  return object.value();
}

model::Object virtual_service(int i, bool one_host) {
  std::string host = one_host ? "shop.example.com" : "host-" + std::to_string(i) + ".example.com";
  return object_of({{"apiVersion", "networking.istio.io/v1"},
                    {"kind", "VirtualService"},
                    {"metadata", {{"name", "vs-" + std::to_string(i)}, {"namespace", "default"}}},
                    {"spec",
                     {{"hosts", {host}},
                      {"gateways", {"bench-gw"}},
                      {"http",
                       {{{"match", {{{"uri", {{"prefix", "/r" + std::to_string(i)}}}}}},
                         {"route",
                          {{{"destination", {{"host", "k8s-combat-service-istio-mesh"}, {"subset", "v1"}}},
                            {"weight", 90}},
                           {{"destination", {{"host", "k8s-combat-service-istio-mesh"}, {"subset", "v2"}}},
                            {"weight", 10}}}}}}}}}});
}

std::vector<model::Object> world(int n, bool one_host) {
  const char* env = std::getenv("GWSIM_SEED_DIR");
  model::ManifestLoad seed = model::load_manifests({env ? env : GWSIM_SOURCE_DIR "/scenarios/seed/manifests"});
  if (seed.has_errors()) throw std::runtime_error("seed manifests do not load");
  std::vector<model::Object> objects = std::move(seed.objects);
  objects.push_back(object_of(
      {{"apiVersion", "networking.istio.io/v1"},
       {"kind", "Gateway"},
       {"metadata", {{"name", "bench-gw"}, {"namespace", "default"}}},
       {"spec",
        {{"selector", {{"istio", "ingressgateway"}}},
         {"servers",
          {{{"port", {{"number", 80}, {"name", "http"}, {"protocol", "HTTP"}}}, {"hosts", {"*.example.com"}}}}}}}}));
  for (int i = 0; i < n; ++i) objects.push_back(virtual_service(i, one_host));
  return objects;
}

// What cli/analyze.cc does after reading the files.
std::size_t analyze_like_the_cli(const std::vector<model::Object>& objects) {
  analysis::Input input;
  std::vector<runtime::AdmittedObject> admitted;
  for (const auto& object : objects) {
    input.admissions.push_back(validation::admit(object));
    if (input.admissions.back().ok()) admitted.push_back({object, input.admissions.back()});
  }
  runtime::ControlPlane cluster;
  cluster.apply(admitted);
  cluster.install_default_gateway_if_missing();
  cluster.read_snapshot([&](const model::ConfigSnapshot& snapshot) { input.snapshot = snapshot; });
  input.objects = objects;
  analysis::Context context(std::move(input));
  return analysis::analyze(context).size();
}

void run(benchmark::State& state, bool one_host) {
  auto objects = world(static_cast<int>(state.range(0)), one_host);
  std::size_t messages = 0;
  for (auto _ : state) {
    messages = analyze_like_the_cli(objects);
    benchmark::DoNotOptimize(messages);
  }
  state.counters["messages"] = static_cast<double>(messages);
}

void BM_Analyze(benchmark::State& state) { run(state, false); }
void BM_AnalyzeOneHost(benchmark::State& state) { run(state, true); }

BENCHMARK(BM_Analyze)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_AnalyzeOneHost)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
