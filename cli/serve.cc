#include "cli/serve.h"
#include "cli/exit_code.h"

#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <set>

#include <CLI/CLI.hpp>

#include "engine/datapath/listen.h"
#include "engine/model/manifest.h"
#include "engine/route/table_diff.h"
#include "fakes/apiserver/api_server.h"
#include "runtime/admin_server.h"
#include "runtime/config_warnings.h"
#include "runtime/control_plane.h"
#include "runtime/gateway_services.h"
#include "runtime/live_gateway.h"

namespace gwsim::cli {

namespace {

// "VirtualService default/foo configured", from the API's answer: the object written, or for a
// delete the object or Status it returned; the method and path when neither names it.
std::string describe_write(const fakes::ApiRequest& request, const fakes::ApiResponse& response) {
  const std::string verb = request.method == "POST" ? "created" : request.method == "DELETE" ? "deleted" : "configured";
  const model::Json body = response.json();
  std::string kind, ns, name;
  if (body.is_object()) {
    const model::Json none = model::Json::object();
    if (body.value("kind", "") == "Status") {
      const model::Json details = body.value("details", none);
      kind = details.value("kind", "");
      name = details.value("name", "");
    } else {
      kind = body.value("kind", "");
      const model::Json meta = body.value("metadata", none);
      ns = meta.value("namespace", "");
      name = meta.value("name", "");
    }
  }
  if (kind.empty() || name.empty()) return verb + " " + request.method + " " + request.path;
  // kubectl scale writes the scale subresource, whose answer is a Scale of the Deployment.
  if (kind == "Scale" && request.path.find("/deployments/") != std::string::npos) return "Deployment " + ns + "/" + name + " scaled";
  return kind + " " + (ns.empty() ? "" : ns + "/") + name + " " + verb;
}

// The analysis's name of the object an API answer carries ("VirtualService default/x"), "" for
// none (a Status).
std::string origin_of(const fakes::ApiResponse& response) {
  const model::Json body = response.json();
  if (!body.is_object() || body.value("kind", "") == "Status") return "";
  const model::Json none = model::Json::object();
  const model::Json meta = body.value("metadata", none);
  const std::string ns = meta.value("namespace", "");
  return body.value("kind", "") + " " + (ns.empty() ? "" : ns + "/") + meta.value("name", "");
}

std::string line_for(const std::string& gateway, const datapath::PortBinding& b) {
  std::string scheme = b.tls ? "https" : "http";
  std::string line = "gateway " + gateway + " " + scheme + "://" + b.address + " (port " + std::to_string(b.service_port);
  if (!b.listening) line += ", not listening: no Gateway server on this port";
  return line + ")";
}

// Write `text` to `path` atomically (a reader never sees half a file).
bool write_file(const std::string& path, const std::string& text) {
  std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) return false;
  }
  std::error_code ec;
  std::filesystem::rename(temporary, path, ec);
  return !ec;
}

}  // namespace

CLI::App* add_serve_command(CLI::App& app, ServeOptions& options) {
  CLI::App* serve = app.add_subcommand("serve", "Run the manifests as a gateway proxy and fake pods on loopback");
  serve->add_option("paths", options.paths, "Manifest files or directories (none: start empty, apply with kubectl)");
  serve->add_option("--listen", options.listen, "Loopback address for the gateway's ports (default 127.0.0.1)");
  serve->add_option("--state", options.state_file, "Write (and keep current) a JSON description of what runs");
  serve->add_option("--seed", options.seed, "Seed of the load balancers' randomness (default 1)");
  serve->add_option("--threads", options.threads, "Gateway proxy event loops (default 1)")->check(CLI::Range(1, 64));
  serve->add_flag("--access-log", options.access_log, "Print one line per request on stderr");
  serve->add_option("--api", options.api, "Serve the fake Kubernetes API on ADDR:PORT (default 127.0.0.1:0, a free port)");
  serve->add_option("--kubeconfig", options.kubeconfig, "Write a kubeconfig for the API server here (default: build/kubeconfig)");
  serve->add_option("--admin-port", options.admin_port,
                    "Envoy admin port of the first gateway, the next ones get the ports after it (default 0: free ports)")
      ->check(CLI::Range(0, 65535));
  serve->add_option("--status-port", options.status_port,
                    "Status port (/healthz/ready) of the first gateway, as --admin-port (default 0: free ports)")
      ->check(CLI::Range(0, 65535));
  serve->add_flag("--no-analysis", options.no_analysis,
                  "Do not analyze each write (no Warning headers, no findings per change): for large configurations");
  return serve;
}

int run_serve(const ServeOptions& options) {
  if (!datapath::is_ipv4_loopback(options.listen)) {
    std::cerr << "gwsim serve: --listen " << options.listen << ": only loopback addresses (127.0.0.0/8) are served\n";
    return kBadInput;
  }
  for (const auto& p : options.paths) {
    std::error_code ec;
    if (!std::filesystem::exists(p, ec)) {
      std::cerr << p << ": error: no such file or directory\n";
      return kBadInput;
    }
  }
  model::ManifestLoad loaded = model::load_manifests(options.paths);
  for (const auto& d : loaded.diagnostics) std::cerr << d.to_string() << "\n";
  if (loaded.has_errors()) return kBadInput;

  // Signals go to the main thread only: block them before any thread starts.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  runtime::ControlPlane cluster;
  runtime::ApplyResult applied = cluster.apply(loaded.objects);
  cluster.install_default_gateway_if_missing();
  for (const auto& w : applied.warnings) std::cerr << "warning: " << w << "\n";
  if (!applied.ok()) {
    for (const auto& r : applied.rejected) std::cerr << "refused: " << r << "\n";
    return kBadInput;
  }
  for (const auto& p : cluster.snapshot_problems()) std::cerr << "warning: skipped: " << p << "\n";
  // What `gwsim analyze` finds (issue #13 item 1): all of it now, then what each change adds or
  // resolves, on its line.
  std::vector<std::string> findings;  // istioctl's lines, as printed last (guarded by print_mu)
  if (!options.no_analysis)
    for (const auto& m : runtime::config_warnings(cluster)) findings.push_back(m.to_string());
  std::mutex analysis_mu;
  std::vector<analysis::Message> analyzed;  // the latest analysis (guarded by analysis_mu)

  std::atomic<bool> dirty{true};  // something changed: print and write the state again
  std::mutex print_mu;
  // Per gateway, what it reads but does not simulate ("EnvoyFilter ns/name, ..."): named on the
  // gateway's lines and beside every access log line it may change (issue #12 item 6).
  std::map<std::string, std::string> unsimulated;  // guarded by print_mu

  runtime::LiveGatewayOptions live_options;
  live_options.listen_address = options.listen;
  live_options.prefer_service_ports = true;
  live_options.proxy_threads = options.threads;
  live_options.seed = options.seed;
  live_options.warn = [&print_mu](const std::string& message) {
    std::lock_guard lock(print_mu);
    std::cerr << "warning: " << message << "\n";
  };
  live_options.changed = [&dirty](const std::string&) { dirty = true; };
  live_options.stats = true;  // the admin ports' /stats/prometheus
  if (options.access_log) {
    live_options.access_log = [&print_mu, &unsimulated](const datapath::AccessLogEntry& e) {
      std::lock_guard lock(print_mu);
      const auto& t = e.trace;
      std::cerr << "[access] " << e.downstream_remote << " \"" << (e.method.empty() ? "-" : e.method) << " "
                << (e.authority.empty() ? "-" : e.authority) << (e.path.empty() ? "" : e.path) << "\" "
                << (e.status ? std::to_string(e.status) : std::string("-")) << " " << t.response_flags << " "
                << match::outcome_name(t.outcome) << " " << (t.cluster.empty() ? "-" : t.cluster) << " "
                << (t.pod.empty() ? "-" : t.pod) << " " << e.duration_ms << "ms";
      if (auto u = unsimulated.find(e.gateway); u != unsimulated.end() && !u->second.empty())
        std::cerr << " unsimulated: " << u->second;
      std::cerr << "\n";
    };
  }
  runtime::LiveGateway live(cluster, live_options);

  // ---- API server (--api) ----------------------------------------------------------------
  // The fake Kubernetes API server runs over the same store: its writes run the controllers and
  // republish the route tables (ControlPlane::reconcile), which the proxies swap in atomically.
  fakes::ApiServerOptions api_options;
  {
    const auto colon = options.api.rfind(':');
    api_options.host = colon == std::string::npos ? options.api : options.api.substr(0, colon);
    if (api_options.host.empty()) api_options.host = "127.0.0.1";
    if (!datapath::is_ipv4_loopback(api_options.host)) {
      std::cerr << "gwsim serve: --api " << options.api << ": only loopback addresses (127.0.0.0/8) are served\n";
      return kBadInput;
    }
    try {
      api_options.port = colon == std::string::npos ? 0 : std::stoi(options.api.substr(colon + 1));
    } catch (const std::exception&) {
      std::cerr << "gwsim serve: --api " << options.api << ": expected ADDR:PORT, e.g. 127.0.0.1:0\n";
      return kBadInput;
    }
  }
  // One line per change made through the API: the object, what was done to it, and what that
  // changed in each gateway's route table (route::diff_tables against the table printed last).
  std::map<std::string, runtime::TablePtr> shown;  // guarded by print_mu
  auto changes = [&cluster, &shown]() {
    std::string out;
    const auto gateways = runtime::gateway_services(cluster);
    for (const auto& gateway : gateways) {
      auto table = cluster.table(gateway);
      if (!table.ok()) continue;
      auto& last = shown[gateway];
      std::string summary = route::diff_tables(last.get(), *table.value()).summary();
      last = table.value();
      out += (out.empty() ? "" : "; ") + (gateways.size() > 1 ? gateway + " " : std::string()) + summary;
    }
    return out.empty() ? std::string("no gateway") : out;
  };
  {
    std::lock_guard lock(print_mu);
    changes();  // the tables the PATH manifests made: later lines say what changed since
  }
  // Every write is analyzed once: the findings about the object written go back to kubectl as
  // Warning headers, and the change's line says which findings it added or resolved.
  if (!options.no_analysis)
    api_options.write_warnings = [&](const fakes::ApiRequest&, const fakes::ApiResponse& response) {
      std::vector<analysis::Message> messages = runtime::config_warnings(cluster);
      std::vector<std::string> warnings;
      if (const std::string origin = origin_of(response); !origin.empty())
        for (const auto& m : runtime::about(messages, origin)) warnings.push_back(runtime::warning_text(m));
      std::lock_guard lock(analysis_mu);
      analyzed = std::move(messages);
      return warnings;
    };
  api_options.on_request = [&](const fakes::ApiRequest& request, const fakes::ApiResponse& response) {
    if (request.method == "GET" || response.status >= 300 || request.has_param("dryRun")) return;
    std::vector<std::string> now;
    {
      std::lock_guard lock(analysis_mu);
      for (const auto& m : analyzed) now.push_back(m.to_string());
    }
    std::lock_guard lock(print_mu);
    std::cout << describe_write(request, response) << ": " << changes() << "\n";
    const std::set<std::string> before(findings.begin(), findings.end()), after(now.begin(), now.end());
    for (const auto& line : now)
      if (!before.count(line)) std::cout << "  + " << line << "\n";
    for (const auto& line : findings)
      if (!after.count(line)) std::cout << "  - " << line << "\n";
    findings = std::move(now);
    std::cout.flush();
    dirty = true;
  };
  fakes::ApiServer api(cluster.store(), [&cluster, &live] {
    cluster.reconcile();
    live.sync();
  }, api_options);
  auto api_port = api.start();
  if (!api_port.ok()) {
    // A taken port is refused, never shared: two fake clusters on one port would split
    // kubectl's connections between them.
    std::cerr << "gwsim serve: --api " << options.api << ": cannot start the API server: "
              << api_port.error().to_string() << "; use --api " << api_options.host
              << ":0 for a free port (printed at start), or another port\n";
    return kBadInput;
  }
  std::string kubeconfig = options.kubeconfig;
  if (kubeconfig.empty()) {
    // Next to the build: build/kubeconfig for build/bin/gwsim.
    std::error_code ec;
    auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    kubeconfig = ec ? "kubeconfig" : (exe.parent_path().parent_path() / "kubeconfig").string();
  }
  if (auto written = fakes::write_kubeconfig(kubeconfig, api.url()); !written.ok()) {
    std::cerr << "warning: cannot write " << kubeconfig << ": " << written.error().to_string() << "\n";
  }
  {
    std::lock_guard lock(print_mu);
    std::cout << "api " << api.url() << " (kubeconfig " << kubeconfig << ")\n";
    std::cout.flush();
    for (const auto& line : findings) std::cerr << line << "\n";  // once serving: a refused start says only why
  }

  live.add_all_gateways();
  {
    auto pods = live.pods().served();
    std::set<std::string> names;
    for (const auto& p : pods) names.insert(p.pod);
    std::lock_guard lock(print_mu);
    std::cout << "pods: " << names.size() << " fake pod" << (names.size() == 1 ? "" : "s") << " on loopback"
              << (options.state_file.empty() ? "" : " (addresses in " + options.state_file + ")") << "\n";
  }

  std::map<std::string, std::string> printed;  // "gateway port" -> line
  // Each gateway's admin and status ports, as a real gateway pod has them (runtime/admin_server.h).
  std::map<std::string, std::unique_ptr<runtime::AdminServer>> admins;
  auto start_admin = [&](const std::string& gateway) -> Result<runtime::AdminServer*> {
    runtime::AdminServerOptions admin_options;
    admin_options.host = options.listen;
    const int index = static_cast<int>(admins.size());
    // A fixed port serves the first gateway; each later one gets the next port.
    admin_options.admin_port = options.admin_port == 0 ? 0 : options.admin_port + index;
    admin_options.status_port = options.status_port == 0 ? 0 : options.status_port + index;
    auto admin = std::make_unique<runtime::AdminServer>(
        gateway,
        [&live, gateway]() -> std::shared_ptr<const route::RouteTable> {
          datapath::Proxy* proxy = live.proxy(gateway);
          return proxy ? proxy->table() : nullptr;
        },
        live.stats(gateway), admin_options);
    if (auto started = admin->start(); !started.ok()) return started.error();
    return (admins[gateway] = std::move(admin)).get();
  };
  bool first_round = true;
  std::string last_state;
  int signal_number = 0;
  while (signal_number == 0) {  // until Ctrl-C / SIGTERM
    if (dirty.exchange(false)) {
      live.add_all_gateways();  // a change may have made a new gateway Service
      std::lock_guard lock(print_mu);
      for (const auto& g : live.gateways()) {
        datapath::Proxy* proxy = live.proxy(g);
        if (!proxy) continue;
        if (!admins.count(g)) {
          auto admin = start_admin(g);
          if (!admin.ok()) {
            const std::string which = "gwsim serve: gateway " + g + ": " + admin.error().to_string() +
                                      "; use --admin-port 0 and --status-port 0 for free ports (printed at start)";
            if (first_round) {  // at start: refuse, as for --api
              std::cerr << which << "\n";
              return kBadInput;
            }
            admins[g] = nullptr;  // said once; the gateway serves traffic without them
            std::cerr << "warning: " << which << "\n";
          } else {
            std::cout << "gateway " << g << " admin " << admin.value()->admin_url() << " status "
                      << admin.value()->status_url() << "/healthz/ready\n";
          }
        }
        for (const auto& b : proxy->bindings()) {
          std::string key = g + " " + std::to_string(b.service_port);
          std::string line = line_for(g, b);
          if (printed[key] == line) continue;
          printed[key] = line;
          std::cout << line << "\n";
        }
        // What may change this gateway's answers without gwsim knowing: said when it changes.
        std::string names, lines;
        if (auto table = cluster.table(g); table.ok()) {
          for (const auto& u : table.value()->unsimulated) {
            const std::string object = u.kind + " " + u.namespace_ + "/" + u.name;
            names += (names.empty() ? "" : ", ") + object;
            lines += "gateway " + g + ": unsimulated: " + object + " may change its answers (" + u.why + ")\n";
          }
        }
        if (names != unsimulated[g]) {
          std::cout << (lines.empty() ? "gateway " + g + ": nothing unsimulated applies any more\n" : lines);
          unsimulated[g] = names;
        }
      }
      std::cout.flush();
      first_round = false;
      if (!options.state_file.empty()) {
        nlohmann::json described = live.state();
        for (auto& gateway : described["gateways"]) {
          auto admin = admins.find(gateway.value("service", ""));
          if (admin == admins.end() || !admin->second) continue;
          gateway["admin"] = admin->second->admin_url();
          gateway["status"] = admin->second->status_url();
        }
        std::string state = described.dump(2) + "\n";
        if (state != last_state) {
          if (!write_file(options.state_file, state))
            std::cerr << "warning: cannot write " << options.state_file << "\n";
          last_state = std::move(state);
        }
      }
    }
    timespec wait{0, 200 * 1000 * 1000};
    int got = sigtimedwait(&signals, nullptr, &wait);
    if (got > 0) signal_number = got;
  }
  {
    std::lock_guard lock(print_mu);
    std::cout << "stopping (" << (signal_number == SIGINT ? "interrupt" : "terminate") << ")\n";
    std::cout.flush();
  }
  for (auto& [g, admin] : admins)
    if (admin) admin->stop();
  live.stop();
  if (!options.state_file.empty()) {
    std::error_code ec;
    std::filesystem::remove(options.state_file, ec);
  }
  return 0;
}

}  // namespace gwsim::cli
