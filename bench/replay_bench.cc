// `gwsim replay` (issue #16 item 5): a generated access log of the seed's shape (a Gateway, a
// VirtualService with 20 prefix routes over two subsets, and 404s for unknown hosts) replayed
// through conformance::replay_access_log, streaming from a file as the command does. Goal: one
// million lines in 10 s or less on one core, memory flat (rss_growth_MiB: the process's peak
// resident set after the run minus before it). Numbers: docs/performance.md.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "conformance/replay.h"
#include "engine/model/manifest.h"

namespace {

using namespace gwsim;

constexpr int kRoutes = 20;

std::string manifests() {
  std::string yaml = R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: echo-v1}
spec:
  replicas: 2
  selector: {matchLabels: {app: echo, version: v1}}
  template:
    metadata: {labels: {app: echo, version: v1}}
    spec: {containers: [{name: echo, image: istio/echo, ports: [{containerPort: 8080}]}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: echo-v2}
spec:
  replicas: 2
  selector: {matchLabels: {app: echo, version: v2}}
  template:
    metadata: {labels: {app: echo, version: v2}}
    spec: {containers: [{name: echo, image: istio/echo, ports: [{containerPort: 8080}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: echo}
spec: {selector: {app: echo}, ports: [{name: http, port: 80, targetPort: 8080}]}
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw}
spec:
  selector: {istio: ingressgateway}
  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["shop.example.com"]}]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: echo}
spec:
  host: echo
  subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: shop}
spec:
  hosts: [shop.example.com]
  gateways: [gw]
  http:
)";
  for (int i = 0; i < kRoutes; ++i)
    yaml += "  - name: r" + std::to_string(i) + "\n    match: [{uri: {prefix: /api/" + std::to_string(i) +
            "/}}]\n    route: [{destination: {host: echo, subset: v" + std::to_string(1 + i % 2) + "}}]\n";
  return yaml;
}

std::string cluster(int route) {
  return "outbound|80|v" + std::to_string(1 + route % 2) + "|echo.default.svc.cluster.local";
}

// n lines: nine in ten to a route (one in a hundred of those logged at the other subset, a
// difference), one in ten to an unknown host (404 NR).
std::string write_log(std::size_t n) {
  std::string path = (std::filesystem::temp_directory_path() / ("gwsim-replay-bench-" + std::to_string(n) + ".log")).string();
  if (std::filesystem::exists(path)) return path;
  std::ofstream out(path + ".tmp", std::ios::binary);
  for (std::size_t i = 0; i < n; ++i) {
    int route = static_cast<int>(i % kRoutes);
    bool unknown = i % 10 == 9;
    bool moved = i % 100 == 7;
    out << "[2026-12-01T10:00:00.000Z] \"GET " << (unknown ? "/" : "/api/" + std::to_string(route) + "/item/" + std::to_string(i))
        << " HTTP/1.1\" " << (unknown ? "404 NR route_not_found" : "200 - via_upstream")
        << " - \"-\" 0 120 2 1 \"203.0.113." << i % 250 << "\" \"curl/8.0\" \"req-" << i << "\" \""
        << (unknown ? "unknown.example.com" : "shop.example.com") << "\" \"10.0.0.7:8080\" "
        << (unknown ? std::string("-") : cluster(moved ? route + 1 : route))
        << " 10.0.0.2:40000 10.0.0.2:8080 10.9.9.9:50000 - " << (unknown ? "-" : "r") << (unknown ? std::string() : std::to_string(route)) << "\n";
  }
  out.close();
  std::filesystem::rename(path + ".tmp", path);
  return path;
}

long peak_rss_kib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

void BM_ReplayLog(benchmark::State& state) {
  const auto lines = static_cast<std::size_t>(state.range(0));
  const std::string path = write_log(lines);
  auto loaded = model::load_manifest_text(manifests(), "replay_bench.yaml");
  if (loaded.has_errors()) throw std::runtime_error(loaded.diagnostics.front().to_string());
  conformance::World world;
  if (!world.apply(loaded.objects).ok()) throw std::runtime_error("manifests refused");
  world.install_default_gateway_if_missing();
  const long rss_before = peak_rss_kib();
  std::uint64_t differing = 0;
  for (auto _ : state) {
    std::ifstream log(path, std::ios::binary);
    auto summary = conformance::replay_access_log(world, log, path, conformance::ReplayOptions{});
    if (!summary.ok()) throw std::runtime_error(summary.error().to_string());
    if (summary->replayed != lines) throw std::runtime_error("not every line was replayed");
    differing = summary->differing;
  }
  state.counters["lines_per_s"] =
      benchmark::Counter(static_cast<double>(lines) * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["differing"] = static_cast<double>(differing);
  state.counters["rss_growth_MiB"] = static_cast<double>(peak_rss_kib() - rss_before) / 1024.0;
}
BENCHMARK(BM_ReplayLog)->Arg(100'000)->Arg(1'000'000)->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();

}  // namespace
