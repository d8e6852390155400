#include "conformance/compiled_config.h"

#include <filesystem>

#include "conformance/world.h"
#include "engine/model/manifest.h"
#include "runtime/gateway_services.h"

namespace gwsim::conformance {

CompiledConfig compile_manifests(const std::vector<std::string>& paths) {
  CompiledConfig out;
  for (const auto& p : paths) {
    std::error_code ec;
    if (!std::filesystem::exists(p, ec) && !ec) out.errors.push_back(p + ": error: no such file or directory");
  }
  if (!out.ok()) return out;
  model::ManifestLoad loaded = model::load_manifests(paths);
  for (const auto& d : loaded.diagnostics)
    (d.severity == model::ManifestDiagnostic::Severity::kError ? out.errors : out.warnings).push_back(d.to_string());
  if (loaded.has_errors()) return out;

  World world(1);
  ApplyResult applied = world.apply(loaded.objects);
  world.install_default_gateway_if_missing();
  for (const auto& w : applied.warnings) out.warnings.push_back("warning: " + w);
  for (const auto& r : applied.rejected) out.errors.push_back("refused: " + r);
  if (!out.ok()) return out;
  for (const auto& p : world.snapshot_problems()) out.warnings.push_back("warning: skipped: " + p);
  for (const auto& gateway : runtime::gateway_services(world.cluster())) {
    auto table = world.table(gateway);
    if (!table.ok()) {
      out.warnings.push_back("warning: gateway " + gateway + ": " + table.error().to_string());
      continue;
    }
    out.tables.emplace(gateway, table.value());
    out.gateway_order.push_back(gateway);
  }
  out.objects = std::move(loaded.objects);
  return out;
}

}  // namespace gwsim::conformance
