// `gwsim analyze` at scale (issue #13: under 2 s on 10,000 VirtualServices). The article's
// world (scenarios/seed/manifests) plus N VirtualServices generated in memory, each bound to a
// Gateway for *.example.com, analyzed as the CLI does it (cli/analyze.cc): admission of every
// object, the ControlPlane applying them (Deployments get pods, the default ingress gateway),
// the snapshot, compiling the gateway's table, and every analyzer, Istio's and gwsim's.
//   BM_Analyze/N:        N hosts, one route each (N virtual hosts)
//   BM_AnalyzeOneHost/N: one host, N routes of N VirtualServices in one virtual host, so the
//                        unreachable-route check (GWS0001) sees N routes in one list
//   BM_AnalyzeEndToEnd:  what `gwsim analyze FOLDER` does on a folder holding the seed's manifests
//                        and the 10,000 VirtualServices of BM_Analyze as YAML (4.2 MB): read the
//                        files, admit and apply, compile, analyze; counters give seconds per phase
// Numbers: docs/performance.md, "gwsim analyze".
#include <benchmark/benchmark.h>

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "bench/bench_folder.h"
#include "engine/analysis/analyze.h"
#include "engine/model/manifest.h"
#include "runtime/analysis_input.h"

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
  analysis::Context context(runtime::analysis_input(objects));
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

namespace fs = std::filesystem;

using bench::seed_dir;

// The seed's manifests and bench.yaml: BM_Analyze's Gateway and VirtualServices, as YAML.
struct Folder {
  explicit Folder(int n) {
    root = fs::temp_directory_path() / ("gwsim-analyze-bench-" + std::to_string(::getpid()));
    bench::write_bench_folder(root, n, n);
  }
  ~Folder() {
    std::error_code ec;
    fs::remove_all(root, ec);
  }
  fs::path root;
};

double since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void BM_AnalyzeEndToEnd(benchmark::State& state) {
  static const Folder folder(10000);
  double read = 0, input = 0, context = 0, analyzers = 0;
  std::size_t messages = 0;
  for (auto _ : state) {
    auto t = std::chrono::steady_clock::now();
    model::ManifestLoad loaded = model::load_manifests({folder.root.string()});
    if (loaded.has_errors()) throw std::runtime_error("the bench folder does not load");
    read += since(t);
    t = std::chrono::steady_clock::now();
    analysis::Input world = runtime::analysis_input(std::move(loaded.objects));
    input += since(t);
    t = std::chrono::steady_clock::now();
    analysis::Context ctx(std::move(world));
    context += since(t);
    t = std::chrono::steady_clock::now();
    messages = analysis::analyze(ctx).size();
    analyzers += since(t);
    benchmark::DoNotOptimize(messages);
  }
  const double n = static_cast<double>(state.iterations());
  state.counters["read_s"] = read / n;
  state.counters["admit_apply_s"] = input / n;
  state.counters["compile_s"] = context / n;
  state.counters["analyzers_s"] = analyzers / n;
  state.counters["messages"] = static_cast<double>(messages);
}

BENCHMARK(BM_Analyze)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_AnalyzeOneHost)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_AnalyzeEndToEnd)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
