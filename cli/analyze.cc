#include "cli/analyze.h"
#include "cli/exit_code.h"

#include <filesystem>
#include <iostream>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "engine/analysis/analyze.h"
#include "engine/model/manifest.h"
#include "runtime/analysis_input.h"

namespace gwsim::cli {

namespace {

bool valid_level(const std::string& text) { return analysis::parse_level(text).has_value(); }

std::string to_yaml(const std::vector<analysis::Message>& messages) {
  YAML::Emitter out;
  out << YAML::BeginSeq;
  for (const auto& m : messages) {
    out << YAML::BeginMap;
    const nlohmann::json j = analysis::message_json(m);
    for (auto it = j.begin(); it != j.end(); ++it) out << YAML::Key << it.key() << YAML::Value << it->get<std::string>();
    out << YAML::EndMap;
  }
  out << YAML::EndSeq;
  return messages.empty() ? "[]" : out.c_str();
}

}  // namespace

CLI::App* add_analyze_command(CLI::App& app, AnalyzeOptions& options) {
  CLI::App* cmd = app.add_subcommand(
      "analyze", "Istio's configuration analysis (istioctl analyze) and gwsim's route table checks over manifests");
  cmd->add_option("paths", options.paths, "Manifest files or directories")->required();
  cmd->add_option("-o,--output", options.output, "text, json or yaml")->check(CLI::IsMember({"text", "json", "yaml"}));
  auto level = CLI::Validator([](std::string& s) { return valid_level(s) ? "" : "expected Error, Warning or Info"; },
                              "Error|Warning|Info");
  cmd->add_option("--failure-threshold", options.failure_threshold,
                  "Exit 1 when a message is at this level or above (default Error)")
      ->check(level);
  cmd->add_option("--output-threshold", options.output_threshold, "Print messages at this level or above (default Info)")
      ->check(level);
  cmd->add_option("--meshConfigFile", options.mesh_config_file, "Istio MeshConfig YAML (rootNamespace, proxy metadata)");
  cmd->add_flag("-A,--all-namespaces", options.all_namespaces, "Analyze every namespace (always on: the files are the cluster)");
  return cmd;
}

int run_analyze(const AnalyzeOptions& options) {
  for (const auto& p : options.paths) {
    std::error_code ec;
    if (!std::filesystem::exists(p, ec) && !ec) {
      std::cerr << p << ": error: no such file or directory\n";
      return kBadInput;
    }
  }
  analysis::Input input;
  if (!options.mesh_config_file.empty()) {
    auto mesh = analysis::read_mesh_config(options.mesh_config_file);
    if (!mesh.ok()) {
      std::cerr << "gwsim analyze: --meshConfigFile " << options.mesh_config_file << ": " << mesh.error().to_string()
                << "\n";
      return kBadInput;
    }
    input.mesh = mesh.value();
  }
  model::ManifestLoad loaded = model::load_manifests(options.paths);
  for (const auto& d : loaded.diagnostics) std::cerr << d.to_string() << "\n";
  if (loaded.has_errors()) return kBadInput;

  // Refused objects are read into the analysis all the same (runtime/analysis_input.h).
  analysis::Input world = runtime::analysis_input(std::move(loaded.objects));
  world.mesh = std::move(input.mesh);
  input = std::move(world);

  analysis::Context context(std::move(input));
  std::vector<analysis::Message> messages = analysis::analyze(context);

  analysis::Level failure = *analysis::parse_level(options.failure_threshold);
  analysis::Level shown = *analysis::parse_level(options.output_threshold);
  bool failed = false;
  std::vector<analysis::Message> printed;
  for (auto& m : messages) {
    if (m.type->level >= failure) failed = true;
    if (m.type->level >= shown) printed.push_back(std::move(m));
  }
  if (options.output == "json") {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& m : printed) out.push_back(analysis::message_json(m));
    std::cout << out.dump(1, '\t') << "\n";
  } else if (options.output == "yaml") {
    std::cout << to_yaml(printed) << "\n";
  } else {
    for (const auto& m : printed) std::cout << m.to_string() << "\n";
    if (printed.empty()) std::cerr << "\u2714 No validation issues found when analyzing all namespaces.\n";
  }
  return failed ? 1 : 0;
}

}  // namespace gwsim::cli
