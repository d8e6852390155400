// Input folders for the benchmarks that read YAML as the commands do (analyze_bench, diff_bench),
// and the seed's manifests every benchmark starts from.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace gwsim::bench {

// The article's manifests; GWSIM_SEED_DIR points elsewhere.
inline std::string seed_dir() {
  const char* env = std::getenv("GWSIM_SEED_DIR");
  return env ? env : GWSIM_SOURCE_DIR "/scenarios/seed/manifests";
}

// `dir` with the seed's manifests and bench.yaml: a `*.example.com` Gateway and `n`
// VirtualServices vs-<i> for host-<i>.example.com, each routing /r<i> to the article's Service,
// 90/10 between v1 and v2 for the first `split` of them and all to v1 for the rest.
inline void write_bench_folder(const std::filesystem::path& dir, int n, int split) {
  namespace fs = std::filesystem;
  fs::create_directories(dir);
  for (const auto& entry : fs::directory_iterator(seed_dir()))
    if (entry.path().extension() == ".yaml") fs::copy_file(entry.path(), dir / entry.path().filename());
  std::ofstream out(dir / "bench.yaml");
  out << "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: bench-gw, namespace: default}\n"
         "spec:\n  selector: {istio: ingressgateway}\n  servers:\n"
         "    - port: {number: 80, name: http, protocol: HTTP}\n      hosts: ['*.example.com']\n";
  for (int i = 0; i < n; ++i) {
    const int v1 = i < split ? 90 : 100;
    out << "---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: vs-" << i
        << ", namespace: default}\nspec:\n  hosts: [host-" << i << ".example.com]\n  gateways: [bench-gw]\n  http:\n"
        << "    - match: [{uri: {prefix: /r" << i << "}}]\n      route:\n"
        << "        - destination: {host: k8s-combat-service-istio-mesh, subset: v1}\n          weight: " << v1 << "\n"
        << "        - destination: {host: k8s-combat-service-istio-mesh, subset: v2}\n          weight: " << 100 - v1
        << "\n";
  }
}

}  // namespace gwsim::bench
