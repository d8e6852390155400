#include "runtime/config_warnings.h"

#include "engine/analysis/analyze.h"

namespace gwsim::runtime {

std::vector<analysis::Message> config_warnings(ControlPlane& cluster) {
  analysis::Input input;
  input.objects = cluster.store().all();
  // Everything stored was admitted on its way in: nothing to check again.
  input.admissions.resize(input.objects.size());
  cluster.read_snapshot([&](const model::ConfigSnapshot& snapshot) { input.snapshot = snapshot; });
  input.compiled = [&cluster](const std::string& gateway) -> std::shared_ptr<const route::RouteTable> {
    auto table = cluster.table(gateway);
    return table.ok() ? table.value() : nullptr;
  };
  std::vector<analysis::Message> out;
  for (auto& m : analysis::analyze(analysis::Context(std::move(input))))
    if (m.type->level >= analysis::Level::kWarning) out.push_back(std::move(m));
  return out;
}

std::vector<analysis::Message> about(const std::vector<analysis::Message>& messages, const std::string& origin) {
  std::vector<analysis::Message> out;
  for (const auto& m : messages)
    if (m.origin == origin) out.push_back(m);
  return out;
}

std::string warning_text(const analysis::Message& message) {
  std::string line = message.to_string();
  const std::string level = "Warning ";
  if (message.type->level == analysis::Level::kWarning && line.compare(0, level.size(), level) == 0)
    line.erase(0, level.size());
  return line;
}

}  // namespace gwsim::runtime
