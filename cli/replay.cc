#include "cli/replay.h"
#include "cli/exit_code.h"

#include <filesystem>
#include <fstream>
#include <iostream>

#include <CLI/CLI.hpp>

#include "conformance/replay.h"
#include "conformance/world.h"
#include "engine/model/manifest.h"

namespace gwsim::cli {


CLI::App* add_replay_command(CLI::App& app, ReplayOptions& options) {
  CLI::App* replay = app.add_subcommand(
      "replay", "Send every request of a gateway's access log through manifests and report where the outcome differs");
  replay->add_option("log", options.log, "The access log (Istio's default text format, or JSON); - for stdin")
      ->required();
  replay->add_option("paths", options.paths, "Manifest files or directories")->required();
  replay->add_option("--log-format", options.log_format, "istio-text (meshConfig accessLogEncoding TEXT) or envoy-json")
      ->check(CLI::IsMember({"istio-text", "envoy-json"}));
  replay->add_option("--gateway", options.gateway, "The gateway Service namespace/name that wrote the log")
      ->default_str(conformance::kDefaultGateway);
  replay->add_option("-o,--output", options.output, "text or json")->check(CLI::IsMember({"text", "json"}));
  replay->add_option("--examples", options.examples, "Examples kept per difference (default 3)");
  replay->add_option("--seed", options.seed, "Seed of the load balancers' randomness (default 1)");
  return replay;
}

int run_replay(const ReplayOptions& options) {
  for (const auto& p : options.paths) {
    std::error_code ec;
    if (!std::filesystem::exists(p, ec) && !ec) {
      std::cerr << p << ": error: no such file or directory\n";
      return kBadInput;
    }
  }
  std::ifstream file;
  std::istream* log = &std::cin;
  if (options.log != "-") {
    file.open(options.log, std::ios::binary);
    if (!file) {
      std::cerr << options.log << ": error: cannot read the access log (no such file, or not readable)\n";
      return kBadInput;
    }
    log = &file;
  }

  model::ManifestLoad loaded = model::load_manifests(options.paths);
  for (const auto& d : loaded.diagnostics) std::cerr << d.to_string() << "\n";
  if (loaded.has_errors()) return kBadInput;
  conformance::World world(options.seed);
  auto applied = world.apply(loaded.objects);
  world.install_default_gateway_if_missing();
  for (const auto& w : applied.warnings) std::cerr << "warning: " << w << "\n";
  if (!applied.ok()) {
    for (const auto& r : applied.rejected) std::cerr << "refused: " << r << "\n";
    return kBadInput;
  }

  conformance::ReplayOptions replay;
  if (!options.gateway.empty())
    replay.gateway = options.gateway.find('/') == std::string::npos ? "default/" + options.gateway : options.gateway;
  replay.format = options.log_format == "envoy-json" ? access_log::LogFormat::kEnvoyJson
                                                     : access_log::LogFormat::kIstioText;
  replay.examples = options.examples;
  const std::string source = options.log == "-" ? std::string("<stdin>") : options.log;
  auto summary = conformance::replay_access_log(world, *log, source, replay);
  if (!summary.ok()) {
    std::cerr << "gwsim replay: " << summary.error().to_string() << "\n";
    return kBadInput;
  }
  if (options.output == "json")
    std::cout << summary->to_json().dump(2) << "\n";
  else
    std::cout << summary->to_text(source);
  if (summary->lines > 0 && summary->unreadable == summary->lines) {
    std::cerr << "gwsim replay: " << source << ": no line is in the " << options.log_format
              << " format; for a JSON log use --log-format envoy-json\n";
    return kBadInput;
  }
  return summary->differing > 0 ? 1 : 0;
}

}  // namespace gwsim::cli
