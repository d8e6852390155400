// gwsim: the command line.
//   gwsim run [--seed N] [--quiet] PATH...      run scenario files / directories
//   gwsim route PATH... --host H --path P ...   the decision trace of one request
//   gwsim list --ctest-file OUT PATH...         a CTest include file, one test per scenario
//   gwsim serve PATH... [--listen A] [--state F] the manifests as a gateway on loopback (cli/serve.h)
//   gwsim report [--out DIR] PATH...            run and write the conformance report (cli/report.h)
//   gwsim replay LOG PATH...                    an access log through the manifests (cli/replay.h)
//   gwsim completion bash|zsh                   a shell completion script (cli/completion.h)
//   gwsim analyze PATH... [-o text|json|yaml]   istioctl analyze and route table checks (cli/analyze.h)
//   gwsim version
// Exit codes: 0 success (all passed), 1 some scenario failed (or, with --strict, an outcome an
// unsimulated object may change), 2 bad input / usage.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/exit_code.h"
#include "cli/completion.h"
#include "engine/text/closest_name.h"
#include "cli/replay.h"
#include "cli/diff.h"
#include "cli/proxy_config.h"
#include "cli/analyze.h"
#include "cli/report.h"
#include "cli/serve.h"
#include "conformance/runner.h"
#include "conformance/scenario.h"
#include "conformance/world.h"
#include "engine/http/request.h"
#include "engine/model/manifest.h"
#include "runtime/config_warnings.h"

#ifndef GWSIM_VERSION
#define GWSIM_VERSION "dev"
#endif

namespace {

namespace fs = std::filesystem;
using namespace gwsim;
using namespace gwsim::conformance;

using gwsim::cli::kBadInput;

// ---- gwsim route ---------------------------------------------------------------------

struct RouteOptions {
  std::vector<std::string> paths;
  std::string host;
  std::string path = "/";
  std::uint32_t port = 0;  // 0: 80, or 443 for https
  std::string scheme = "http";
  std::string sni;
  std::string method = "GET";
  std::vector<std::string> headers;  // K=V
  std::string gateway = kDefaultGateway;
  std::uint64_t seed = 1;
  std::string output = "text";
  bool strict = false;  // exit 1 when an unsimulated object may change the outcome
  bool explain = false;  // add what was considered and why it did not match
};

int run_route(const RouteOptions& options) {
  RequestSpec request;
  request.gateway = options.gateway.find('/') == std::string::npos ? "default/" + options.gateway : options.gateway;
  request.scheme = options.scheme;
  request.port = options.port ? options.port : (options.scheme == "https" ? 443 : 80);
  request.host = options.host;
  request.sni = options.sni.empty() && options.scheme == "https" ? std::string(http::host_without_port(options.host))
                                                                 : options.sni;
  request.method = options.method;
  request.path = options.path;
  for (const auto& h : options.headers) {
    // curl's "Name: value", or NAME=VALUE: whichever separator comes first.
    auto colon = h.find(':');
    auto eq = h.find('=');
    auto separator = std::min(colon, eq);
    if (separator == std::string::npos || separator == 0) {
      std::cerr << "gwsim route: --header " << h << ": expected \"Name: value\" or NAME=VALUE\n";
      return kBadInput;
    }
    std::string value = h.substr(separator + 1);
    if (separator == colon) value.erase(0, value.find_first_not_of(' '));
    request.headers.emplace_back(h.substr(0, separator), value);
  }

  for (const auto& p : options.paths) {
    std::error_code ec;
    if (!fs::exists(p, ec) && !ec) {  // other errors (a symlink loop) are the loader's to name
      std::cerr << p << ": error: no such file or directory\n";
      return kBadInput;
    }
  }
  model::ManifestLoad loaded = model::load_manifests(options.paths);
  for (const auto& d : loaded.diagnostics) std::cerr << d.to_string() << "\n";
  if (loaded.has_errors()) return kBadInput;

  World world(options.seed);
  ApplyResult applied = world.apply(loaded.objects);
  world.install_default_gateway_if_missing();
  for (const auto& w : applied.warnings) std::cerr << "warning: " << w << "\n";
  if (!applied.ok()) {
    for (const auto& r : applied.rejected) std::cerr << "refused: " << r << "\n";
    return kBadInput;
  }
  for (const auto& p : world.snapshot_problems()) std::cerr << "warning: skipped: " << p << "\n";
  // What `gwsim analyze` finds in these manifests: on stderr, or in the JSON (issue #13 item 1).
  const std::vector<analysis::Message> findings = runtime::config_warnings(world.cluster());
  if (options.output != "json")
    for (const auto& m : findings) std::cerr << m.to_string() << "\n";

  auto observed = world.send(request);
  if (!observed.ok()) {
    std::cerr << "gwsim route: " << observed.error().to_string() << "\n";
    return kBadInput;
  }
  const Observation& o = observed.value();
  std::optional<match::Explanation> explanation;
  if (options.explain) {
    auto explained = world.explain(request, o);
    if (!explained.ok()) {
      std::cerr << "gwsim route: " << explained.error().to_string() << "\n";
      return kBadInput;
    }
    explanation = std::move(explained.value());
  }
  if (options.output == "json") {
    nlohmann::json j = o.trace.to_json();
    nlohmann::json headers = nlohmann::json::object();
    for (const auto& [k, v] : request.headers) headers[k] = v;
    j["request"] = {{"gateway", request.gateway}, {"port", request.port}, {"scheme", request.scheme},
                    {"host", request.host},       {"sni", request.sni},   {"method", request.method},
                    {"path", request.path},       {"headers", headers}};
    nlohmann::json response_headers = nlohmann::json::object();
    for (const auto& [k, v] : o.response.headers) response_headers[k] = v;
    j["response"] = {{"status", o.response.status}, {"headers", response_headers}, {"body", o.response.body}};
    if (!o.pod_labels.empty()) j["podLabels"] = o.pod_labels;
    if (!o.unsupported.empty()) j["unsupported"] = o.unsupported;
    nlohmann::json unsimulated = nlohmann::json::array();
    for (const auto& u : o.unsimulated)
      unsimulated.push_back({{"kind", u.kind}, {"namespace", u.namespace_}, {"name", u.name}});
    j["unsimulated"] = std::move(unsimulated);
    if (explanation) j["explanation"] = explanation->to_json();
    nlohmann::json warnings = nlohmann::json::array();
    for (const auto& m : findings) warnings.push_back(analysis::message_json(m));
    j["warnings"] = std::move(warnings);
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << "request: " << request.method << " " << request.scheme << "://" << request.host << request.path
              << " to " << request.gateway << " port " << request.port << "\n";
    std::cout << o.trace.to_text();
    if (!o.unsupported.empty()) std::cout << "  not yet supported: " << o.unsupported << "\n";
    // Never silently ignored: what gwsim read but does not simulate, beside the outcome.
    for (const auto& u : o.unsimulated)
      std::cout << "  unsimulated: " << u.kind << " " << u.namespace_ << "/" << u.name << " may change this outcome ("
                << u.why << ")\n";
    if (explanation) std::cout << "explanation:\n" << explanation->to_text();
  }
  if (options.strict && !o.unsimulated.empty()) {
    std::cerr << "gwsim route: --strict: " << o.unsimulated.size()
              << " object(s) gwsim does not simulate may change this outcome\n";
    return 1;
  }
  return 0;
}

// ---- gwsim list ----------------------------------------------------------------------

// CMake bracket argument: [==[text]==], with enough "=" that the text cannot close it.
std::string bracket(const std::string& text) {
  std::string equals = "==";
  while (text.find("]" + equals + "]") != std::string::npos) equals += "=";
  return "[" + equals + "[" + text + "]" + equals + "]";
}

std::string self_path() {
  std::error_code ec;
  fs::path p = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string("gwsim") : p.string();
}

int run_list(const std::string& output, const std::vector<std::string>& paths, const std::string& gwsim_binary) {
  std::string binary = gwsim_binary.empty() ? self_path() : gwsim_binary;
  ScenarioFiles files = find_scenario_files(paths);
  std::ostringstream out;
  out << "# Generated by `gwsim list`: one CTest test per scenario file. Do not edit.\n";
  std::map<std::string, std::string> names;  // test name -> file
  auto add = [&](const std::string& name, const std::vector<std::string>& args) {
    out << "add_test(" << bracket(name) << " " << bracket(binary) << " run";
    for (const auto& a : args) out << " " << bracket(a);
    out << ")\n";
    out << "set_tests_properties(" << bracket(name) << " PROPERTIES LABELS scenario)\n";
  };
  // A missing path still becomes a test, so that the failure shows up in ctest.
  for (const auto& e : files.errors) {
    std::cerr << "gwsim list: " << e.to_string() << "\n";
    add(e.where, {e.where});
  }
  for (const auto& file : files.files) {
    ScenarioLoad load = load_scenario(file);
    std::string name = load.name.empty() ? file : load.name;
    auto [it, inserted] = names.emplace(name, file);
    if (!inserted) {
      // Same name twice: running both files together reports the duplicate as bad input.
      std::cerr << "gwsim list: duplicate scenario name " << name << " in " << file << " and " << it->second << "\n";
      add(file, {it->second, file});
      continue;
    }
    add(name, {file});
  }
  std::string text = out.str();

  // Rewrite only on change, so ctest's view of the tests is stable between builds.
  std::ifstream existing(output, std::ios::binary);
  if (existing) {
    std::ostringstream current;
    current << existing.rdbuf();
    if (current.str() == text) return 0;
  }
  std::string temporary = output + ".tmp";
  {
    std::ofstream file(temporary, std::ios::binary | std::ios::trunc);
    file << text;
    if (!file) {
      std::cerr << "gwsim list: cannot write " << temporary << "\n";
      return kBadInput;
    }
  }
  std::error_code ec;
  fs::rename(temporary, output, ec);
  if (ec) {
    std::cerr << "gwsim list: cannot write " << output << ": " << ec.message() << "\n";
    return kBadInput;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"gwsim: a simulator of the Istio ingress gateway"};
  app.require_subcommand(1);

  RunOptions run_options;
  std::vector<std::string> run_paths_arg;
  CLI::App* run = app.add_subcommand("run", "Run scenario files or directories (recursively, *.yaml with kind: Scenario)");
  run->add_option("paths", run_paths_arg, "Scenario files or directories")->required();
  run->add_option("--seed", run_options.seed, "Seed of the load balancers' randomness (default 1)");
  run->add_flag("-q,--quiet", run_options.quiet, "Print only failures, errors and the summary");
  run->add_option("--mode", run_options.mode, "decision (in-process) or datapath (real sockets on loopback)")
      ->transform(CLI::CheckedTransformer(
          std::map<std::string, Mode>{{"decision", Mode::kDecision}, {"datapath", Mode::kDatapath}}));
  run->add_flag("--strict", run_options.strict,
                "Fail a step whose outcome an object gwsim does not simulate may change (EnvoyFilter, ...), unless "
                "the step expects them (`unsimulated:`)");
  run->add_option("--time-scale", run_options.time_scale,
                  "Datapath mode: multiply every delay and timeout on the wire by this (default 1)")
      ->check(CLI::Range(0.001, 1000.0));
  gwsim::cli::ReportOptions run_report;
  gwsim::cli::add_run_report_options(*run, run_options, run_report);

  RouteOptions route_options;
  CLI::App* route = app.add_subcommand("route", "Print the gateway's decision for one request against manifests");
  route->add_option("paths", route_options.paths, "Manifest files or directories")->required();
  route->add_option("--host", route_options.host, "Host / :authority (may carry :port)")->required();
  route->add_option("--path", route_options.path, "Path and query (default /)");
  route->add_option("--port", route_options.port, "Gateway Service port (default 80, or 443 for https)");
  route->add_option("--scheme", route_options.scheme, "http or https")->check(CLI::IsMember({"http", "https"}));
  route->add_option("--sni", route_options.sni, "TLS server name (default: the host without port, for https)");
  route->add_option("--method", route_options.method, "HTTP method (default GET)");
  route->add_option("-H,--header", route_options.headers, "Request header \"Name: value\" or NAME=VALUE (repeatable)")
      ->allow_extra_args(false);
  route->add_option("--gateway", route_options.gateway, "Gateway Service namespace/name")
      ->default_str(kDefaultGateway);
  route->add_option("--seed", route_options.seed, "Seed of the load balancers' randomness (default 1)");
  route->add_option("-o,--output", route_options.output, "text or json")->check(CLI::IsMember({"text", "json"}));
  route->add_flag("--strict", route_options.strict,
                  "Exit 1 when an object gwsim does not simulate (EnvoyFilter, ...) may change the outcome");
  route->add_flag("--explain", route_options.explain,
                  "Also say what was considered at each stage and why it did not match (the near misses)");

  std::string ctest_file;
  std::string gwsim_binary;
  std::vector<std::string> list_paths;
  CLI::App* list = app.add_subcommand("list", "Write a CTest include file with one test per scenario file");
  list->add_option("--ctest-file", ctest_file, "The file to write")->required();
  list->add_option("--gwsim", gwsim_binary, "The gwsim binary the tests run (default: this one)");
  list->add_option("paths", list_paths, "Scenario files or directories")->required();

  gwsim::cli::ServeOptions serve_options;
  CLI::App* serve = gwsim::cli::add_serve_command(app, serve_options);

  gwsim::cli::ReportCommand report_command;
  CLI::App* report = gwsim::cli::add_report_command(app, report_command);

  gwsim::cli::ReplayOptions replay_options;
  CLI::App* replay = gwsim::cli::add_replay_command(app, replay_options);
  gwsim::cli::DiffOptions diff_options;
  CLI::App* diff = gwsim::cli::add_diff_command(app, diff_options);
  gwsim::cli::ProxyConfigOptions proxy_config_options;
  CLI::App* proxy_config = gwsim::cli::add_proxy_config_command(app, proxy_config_options);
  gwsim::cli::AnalyzeOptions analyze_options;
  CLI::App* analyze = gwsim::cli::add_analyze_command(app, analyze_options);

  CLI::App* version = app.add_subcommand("version", "Print the version");
  app.set_version_flag("--version", std::string("gwsim ") + GWSIM_VERSION);

  std::string completion_shell;
  CLI::App* completion =
      app.add_subcommand("completion", "Print a shell completion script: source <(gwsim completion bash)");
  completion->add_option("shell", completion_shell, "bash or zsh")->required()->check(CLI::IsMember({"bash", "zsh"}));

  // A mistyped command is named with the closest one, as git and kubectl do.
  if (argc > 1 && argv[1][0] != '-') {
    auto names = gwsim::cli::subcommand_names(app);
    if (std::find(names.begin(), names.end(), argv[1]) == names.end()) {
      std::cerr << "gwsim: unknown command \"" << argv[1] << "\"";
      if (auto near = gwsim::text::closest_name(argv[1], names); !near.empty())
        std::cerr << "; did you mean \"" << near << "\"?";
      std::cerr << "\nRun 'gwsim --help' for the commands.\n";
      return kBadInput;
    }
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : kBadInput;
  }

  if (*run) return gwsim::cli::run_and_report(run_paths_arg, run_options, run_report);
  if (*report) return gwsim::cli::run_report(report_command);
  if (*route) return run_route(route_options);
  if (*analyze) return gwsim::cli::run_analyze(analyze_options);
  if (*list) return run_list(ctest_file, list_paths, gwsim_binary);
  if (*serve) return gwsim::cli::run_serve(serve_options);
  if (*replay) return gwsim::cli::run_replay(replay_options);
  if (*completion) {
    std::cout << gwsim::cli::completion_script(app, completion_shell);
    return 0;
  }
  if (*diff) return gwsim::cli::run_diff(diff_options);
  if (*proxy_config) return gwsim::cli::run_proxy_config(proxy_config_options);
  if (*version) {
    std::cout << "gwsim " << GWSIM_VERSION << "\n";
    return 0;
  }
  return kBadInput;
}
