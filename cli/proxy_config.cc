#include "cli/proxy_config.h"
#include "cli/exit_code.h"

#include <ctime>
#include <iostream>

#include <yaml-cpp/yaml.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "conformance/compiled_config.h"
#include "engine/config_dump/envoy_config_dump.h"
#include "engine/config_dump/istioctl_tables.h"

namespace gwsim::cli {

namespace {

void emit_yaml(YAML::Emitter& out, const nlohmann::json& value) {
  if (value.is_object()) {
    out << YAML::BeginMap;
    for (const auto& [k, v] : value.items()) {
      out << YAML::Key << k << YAML::Value;
      emit_yaml(out, v);
    }
    out << YAML::EndMap;
  } else if (value.is_array()) {
    out << YAML::BeginSeq;
    for (const auto& v : value) emit_yaml(out, v);
    out << YAML::EndSeq;
  } else if (value.is_string()) {
    out << YAML::DoubleQuoted << value.get<std::string>();
  } else if (value.is_null()) {
    out << YAML::Null;
  } else {
    out << value.dump();  // numbers and booleans as JSON writes them
  }
}

}  // namespace

CLI::App* add_proxy_config_command(CLI::App& app, ProxyConfigOptions& options) {
  CLI::App* command = app.add_subcommand(
      "proxy-config", "The configuration gwsim built for a gateway, as istioctl proxy-config prints it");
  command->add_option("kind", options.kind, "listeners, routes, clusters, endpoints, secrets or all")
      ->required()
      ->check(CLI::IsMember({"listeners", "routes", "clusters", "endpoints", "secrets", "all"}));
  command->add_option("paths", options.paths, "Manifest files or directories")->required();
  command->add_option("--gateway", options.gateway,
                      "Gateway Service namespace/name (default: the ingress gateway, else the first)");
  command->add_option("-o,--output", options.output, "short (istioctl's tables), json or yaml (Envoy's config_dump)")
      ->check(CLI::IsMember({"short", "json", "yaml"}));
  return command;
}

int run_proxy_config(const ProxyConfigOptions& options) {
  conformance::CompiledConfig config = conformance::compile_manifests(options.paths);
  for (const auto& w : config.warnings) std::cerr << w << "\n";
  for (const auto& e : config.errors) std::cerr << e << "\n";
  if (!config.ok()) return kBadInput;
  if (config.gateway_order.empty()) {
    std::cerr << "gwsim proxy-config: the manifests make no gateway\n";
    return kBadInput;
  }
  std::string gateway = options.gateway.empty() ? config.gateway_order.front() : options.gateway;
  if (gateway.find('/') == std::string::npos) gateway = "default/" + gateway;
  auto it = config.tables.find(gateway);
  if (it == config.tables.end()) {
    std::string known;
    for (const auto& g : config.gateway_order) known += (known.empty() ? "" : ", ") + g;
    std::cerr << "gwsim proxy-config: no gateway " << gateway << " (gateways: " << known << ")\n";
    return kBadInput;
  }
  const route::RouteTable& table = *it->second;
  const std::string& kind = options.kind;

  if (options.output == "short") {
    const std::time_t now = std::time(nullptr);
    if (kind == "listeners")
      std::cout << config_dump::listeners_table(table);
    else if (kind == "routes")
      std::cout << config_dump::routes_table(table);
    else if (kind == "clusters")
      std::cout << config_dump::clusters_table(table);
    else if (kind == "endpoints")
      std::cout << config_dump::endpoints_table(table);
    else if (kind == "secrets")
      std::cout << config_dump::secrets_table(table, now);
    else
      std::cout << config_dump::all_tables(table, now);
    return 0;
  }
  nlohmann::json dump = kind == "listeners"   ? config_dump::listeners_dump(table)
                        : kind == "routes"    ? config_dump::routes_dump(table)
                        : kind == "clusters"  ? config_dump::clusters_dump(table)
                        : kind == "endpoints" ? config_dump::endpoints_dump(table)
                        : kind == "secrets"   ? config_dump::secrets_dump(table)
                                              : config_dump::config_dump(table);
  if (options.output == "json") {
    std::cout << dump.dump(2) << "\n";
  } else {
    YAML::Emitter out;
    emit_yaml(out, dump);
    std::cout << out.c_str() << "\n";
  }
  return 0;
}

}  // namespace gwsim::cli
