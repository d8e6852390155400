// `gwsim diff` at scale: the article's world plus 10,000 VirtualServices (each its own host on a
// *.example.com Gateway, a 100/0 split between v1 and v2), against a copy in which 100 of them
// split 90/10. BM_DiffEndToEnd is what the command does: read both folders, compile both
// versions, diff the configuration, probe both versions' routes; its counters say where the
// time goes (seconds per phase). BM_ReadManifests is the YAML reading alone. Issue #13 asks for
// under 2 s end to end. Numbers: docs/performance.md.
#include <benchmark/benchmark.h>

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <stdexcept>
#include <string>

#include "bench/bench_folder.h"
#include "conformance/compiled_config.h"
#include "engine/config_diff/config_change.h"
#include "engine/config_diff/traffic_impact.h"
#include "engine/model/manifest.h"

namespace {

namespace fs = std::filesystem;
using namespace gwsim;

constexpr int kVirtualServices = 10000;
constexpr int kChanged = 100;


struct Folders {
  Folders() {
    root = fs::temp_directory_path() / ("gwsim-diff-bench-" + std::to_string(::getpid()));
    bench::write_bench_folder(root / "old", kVirtualServices, 0);
    bench::write_bench_folder(root / "new", kVirtualServices, kChanged);
  }
  ~Folders() {
    std::error_code ec;
    fs::remove_all(root, ec);
  }
  fs::path root;
};

const Folders& folders() {
  static Folders f;
  return f;
}

double since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void BM_DiffEndToEnd(benchmark::State& state) {
  const auto& f = folders();
  double read_compile = 0, config = 0, probes = 0, impact = 0;
  std::size_t changes = 0, moved = 0, probe_count = 0;
  for (auto _ : state) {
    auto t = std::chrono::steady_clock::now();
    auto compiling =
        std::async(std::launch::async, [&] { return conformance::compile_manifests({(f.root / "old").string()}); });
    auto after = conformance::compile_manifests({(f.root / "new").string()});
    auto before = compiling.get();
    if (!before.ok() || !after.ok()) throw std::runtime_error("cannot compile the bench manifests");
    read_compile += since(t);

    t = std::chrono::steady_clock::now();
    config_diff::ConfigChange change;
    for (const auto& [gateway, table] : after.tables) {
      auto b = before.tables.find(gateway);
      change = config_diff::diff_config(gateway, b == before.tables.end() ? nullptr : b->second.get(), table.get(),
                                        config_diff::index_sources(before.objects),
                                        config_diff::index_sources(after.objects));
    }
    config += since(t);

    t = std::chrono::steady_clock::now();
    const auto probe_list = config_diff::probes_for(before.tables, after.tables);
    probes += since(t);

    t = std::chrono::steady_clock::now();
    const auto traffic = config_diff::traffic_impact(probe_list, before.tables, after.tables);
    impact += since(t);
    changes = change.changes.size();
    moved = traffic.changes.size();
    probe_count = probe_list.size();
  }
  const double n = static_cast<double>(state.iterations());
  state.counters["read_compile_s"] = read_compile / n;
  state.counters["config_diff_s"] = config / n;
  state.counters["probes_s"] = probes / n;
  state.counters["traffic_s"] = impact / n;
  state.counters["changes"] = static_cast<double>(changes);
  state.counters["probes"] = static_cast<double>(probe_count);
  state.counters["moved_requests"] = static_cast<double>(moved);
}
BENCHMARK(BM_DiffEndToEnd)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_ReadManifests(benchmark::State& state) {
  const auto& f = folders();
  for (auto _ : state) {
    auto a = model::load_manifests({(f.root / "old").string()});
    auto b = model::load_manifests({(f.root / "new").string()});
    benchmark::DoNotOptimize(a.objects.size() + b.objects.size());
  }
}
BENCHMARK(BM_ReadManifests)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
