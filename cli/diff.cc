#include "cli/diff.h"
#include "cli/exit_code.h"

#include <cstdio>
#include <future>
#include <iostream>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "conformance/compiled_config.h"
#include "conformance/request_list.h"
#include "conformance/world.h"
#include "engine/config_diff/config_change.h"
#include "engine/config_diff/traffic_impact.h"

namespace gwsim::cli {

namespace {

using config_diff::ConfigChange;
using config_diff::ProbeAnswer;
using config_diff::TrafficImpact;

const char* change_word(config_diff::Change c) {
  switch (c) {
    case config_diff::Change::kAdded:
      return "added";
    case config_diff::Change::kRemoved:
      return "removed";
    case config_diff::Change::kChanged:
      return "changed";
  }
  return "?";
}

std::string percent(double share) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4g%%", share * 100.0);
  return buffer;
}

std::string clusters_text(const ProbeAnswer& a) {
  if (a.clusters.empty()) return "none";
  std::string out;
  for (const auto& [name, share] : a.clusters)
    out += (out.empty() ? "" : ", ") + name + (a.clusters.size() > 1 ? " " + percent(share) : "");
  return out;
}

std::string status_text(const ProbeAnswer& a) {
  return (a.status ? std::to_string(a.status) : std::string("no response")) + " " + a.outcome;
}

nlohmann::json answer_json(const ProbeAnswer& a) {
  nlohmann::json clusters = nlohmann::json::array();
  for (const auto& [name, share] : a.clusters) clusters.push_back({{"name", name}, {"share", share}});
  return {{"listener", a.listener}, {"virtualHost", a.virtual_host}, {"route", a.route}, {"outcome", a.outcome},
          {"status", a.status},     {"clusters", clusters}};
}

void print_text(const DiffOptions& options, const ConfigChange& config, const TrafficImpact& traffic,
                bool several_gateways) {
  std::cout << "configuration: " << (config.empty() ? "unchanged" : std::to_string(config.changes.size()) + " changes")
            << "\n";
  std::string gateway;
  for (const auto& c : config.changes) {
    if (several_gateways && c.gateway != gateway) std::cout << " gateway " << (gateway = c.gateway) << "\n";
    std::cout << "  " << config_diff::change_mark(c.change) << " " << config_diff::config_object_name(c.kind) << " "
              << c.name;
    if (!c.detail.empty()) std::cout << ": " << c.detail;
    if (!c.origin.empty() || c.source.known()) {
      std::cout << "  (" << c.origin;
      if (c.source.known()) std::cout << (c.origin.empty() ? "" : " ") << c.source.to_string();
      std::cout << ")";
    }
    std::cout << "\n";
  }
  std::cout << "traffic: " << traffic.changes.size() << " of " << traffic.probes << " requests change\n";
  for (const auto& t : traffic.changes) {
    std::cout << "  " << config_diff::describe_probe(t.probe);
    if (several_gateways) std::cout << " to " << t.probe.gateway;
    std::cout << "  (" << t.probe.origin << ")\n";
    for (const auto& what : t.changed) {
      if (what == "listener") {
        std::cout << "    listener: " << (t.before.listener.empty() ? "none" : t.before.listener) << " -> "
                  << (t.after.listener.empty() ? "none" : t.after.listener) << "\n";
      } else if (what == "route") {
        auto route = [](const ProbeAnswer& a) {
          return a.virtual_host.empty() ? std::string("none") : a.virtual_host + (a.route.empty() ? "" : " " + a.route);
        };
        std::cout << "    route: " << route(t.before) << " -> " << route(t.after) << "\n";
      } else if (what == "cluster") {
        std::cout << "    cluster: " << clusters_text(t.before) << " -> " << clusters_text(t.after) << "; "
                  << percent(t.moved_share) << " of its traffic moves\n";
      } else if (what == "status") {
        std::cout << "    status: " << status_text(t.before) << " -> " << status_text(t.after) << "\n";
      }
    }
  }
  (void)options;
}

void print_json(const DiffOptions& options, const ConfigChange& config, const TrafficImpact& traffic) {
  nlohmann::json changes = nlohmann::json::array();
  for (const auto& c : config.changes) {
    changes.push_back({{"gateway", c.gateway},
                       {"object", config_diff::config_object_name(c.kind)},
                       {"change", change_word(c.change)},
                       {"name", c.name},
                       {"detail", c.detail},
                       {"origin", c.origin},
                       {"source", c.source.to_string()}});
  }
  nlohmann::json requests = nlohmann::json::array();
  for (const auto& t : traffic.changes) {
    const auto& r = t.probe.request;
    nlohmann::json headers = nlohmann::json::object();
    for (const auto& [k, v] : r.headers) headers[k] = v;
    requests.push_back({{"request",
                         {{"gateway", t.probe.gateway},
                          {"method", r.method},
                          {"scheme", r.scheme},
                          {"host", r.host},
                          {"port", r.port},
                          {"path", r.path},
                          {"sni", r.sni},
                          {"headers", headers}}},
                        {"origin", t.probe.origin},
                        {"changed", t.changed},
                        {"movedShare", t.moved_share},
                        {"before", answer_json(t.before)},
                        {"after", answer_json(t.after)}});
  }
  nlohmann::json out = {{"old", options.old_path},
                        {"new", options.new_path},
                        {"changed", !config.empty() || !traffic.changes.empty()},
                        {"configuration", changes},
                        {"traffic", {{"requests", traffic.probes}, {"changes", requests}}}};
  std::cout << out.dump(2) << "\n";
}

}  // namespace

CLI::App* add_diff_command(CLI::App& app, DiffOptions& options) {
  CLI::App* diff = app.add_subcommand(
      "diff",
      "What changes between two versions of the manifests: the compiled configuration and the traffic it moves");
  diff->add_option("old", options.old_path, "The manifests before: a file or folder")->required();
  diff->add_option("new", options.new_path, "The manifests after: a file or folder")->required();
  diff->add_option("--requests", options.requests,
                   "YAML file of requests to send through both versions too (`requests:` list of scenario requests)");
  diff->add_option("-o,--output", options.output, "text or json")->check(CLI::IsMember({"text", "json"}));
  diff->add_flag("--fail-on-change", options.fail_on_change,
                 "Exit 1 when the configuration or a request's answer changes (a CI gate)");
  return diff;
}

int run_diff(const DiffOptions& options) {
  std::vector<conformance::ListedRequest> listed;
  if (!options.requests.empty()) {
    conformance::RequestListLoad load = conformance::load_request_list(options.requests);
    for (const auto& e : load.errors) std::cerr << e.to_string() << "\n";
    if (!load.errors.empty()) return kBadInput;
    listed = std::move(load.requests);
  }
  // The two versions are independent worlds: compiled side by side (reading YAML takes most of it).
  auto compiling_before =
      std::async(std::launch::async, [&] { return conformance::compile_manifests({options.old_path}); });
  conformance::CompiledConfig after = conformance::compile_manifests({options.new_path});
  conformance::CompiledConfig before = compiling_before.get();
  bool bad = false;
  for (const auto* version : {&before, &after}) {
    for (const auto& w : version->warnings) std::cerr << w << "\n";
    for (const auto& e : version->errors) std::cerr << e << "\n";
    bad = bad || !version->ok();
  }
  if (bad) return kBadInput;

  // The configuration: every gateway of either version, the default one first.
  const auto before_sources = config_diff::index_sources(before.objects);
  const auto after_sources = config_diff::index_sources(after.objects);
  std::vector<std::string> gateways = before.gateway_order;
  for (const auto& g : after.gateway_order)
    if (!before.tables.count(g)) gateways.push_back(g);
  ConfigChange config;
  for (const auto& g : gateways) {
    auto b = before.tables.find(g);
    auto a = after.tables.find(g);
    ConfigChange one =
        config_diff::diff_config(g, b == before.tables.end() ? nullptr : b->second.get(),
                                 a == after.tables.end() ? nullptr : a->second.get(), before_sources, after_sources);
    for (auto& c : one.changes) config.changes.push_back(std::move(c));
  }

  // The traffic: the routes' probes, then the user's requests.
  std::vector<config_diff::Probe> probes = config_diff::probes_for(before.tables, after.tables);
  std::vector<config_diff::Probe> given;
  for (const auto& l : listed)
    given.push_back({l.request.gateway, conformance::to_match_request(l.request), l.source.to_string()});
  config_diff::merge_probes(probes, std::move(given));
  const TrafficImpact traffic = config_diff::traffic_impact(probes, before.tables, after.tables);

  if (options.output == "json")
    print_json(options, config, traffic);
  else
    print_text(options, config, traffic, gateways.size() > 1);
  const bool changed = !config.empty() || !traffic.changes.empty();
  return changed && options.fail_on_change ? 1 : 0;
}

}  // namespace gwsim::cli
