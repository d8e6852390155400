#include "runtime/admin_server.h"

#include <httplib.h>

#include <algorithm>
#include <sstream>

#include "engine/config_dump/envoy_config_dump.h"
#include "engine/datapath/listen.h"

namespace gwsim::runtime {

namespace {

// Envoy's admin answers a path it does not know with 404 and its list of endpoints; these are
// the ones gwsim serves.
constexpr const char* kAdminHelp =
    "admin commands are:\n"
    "  /clusters: upstream cluster status\n"
    "  /config_dump: dump current Envoy configs\n"
    "  /ready: print server state, return 200 if LIVE, otherwise return 503\n"
    "  /stats/prometheus: print server stats in prometheus format\n";

}  // namespace

std::string clusters_text(const route::RouteTable& table, const GatewayStats* stats) {
  // Envoy's ClustersHandler::writeClustersAsText, for what gwsim simulates: circuit breakers,
  // outlier detection and localities are left out rather than guessed.
  std::ostringstream out;
  for (const auto& [name, cluster] : table.clusters) {
    out << name << "::observability_name::" << name << '\n';
    out << name << "::added_via_api::true\n";
    out << name << "::eds_service_name::" << name << '\n';
    for (const auto& e : cluster.endpoints) {
      const std::string host = e.ip + ":" + std::to_string(e.port);
      const HostCounters c = stats ? stats->host(name, host) : HostCounters{};
      const std::string prefix = name + "::" + host + "::";
      // Envoy prints a host's counters and gauges sorted by name.
      out << prefix << "rq_error::" << c.rq_error << '\n';
      out << prefix << "rq_success::" << c.rq_success << '\n';
      out << prefix << "rq_total::" << c.rq_total << '\n';
      out << prefix << "hostname::\n";
      out << prefix << "health_flags::" << (e.healthy ? "healthy" : "/failed_eds_health") << '\n';
      out << prefix << "weight::1\n";
      out << prefix << "priority::0\n";
    }
  }
  return out.str();
}

AdminServer::AdminServer(std::string gateway, std::function<std::shared_ptr<const route::RouteTable>()> table,
                         std::shared_ptr<const GatewayStats> stats, AdminServerOptions options)
    : gateway_(std::move(gateway)), table_(std::move(table)), stats_(std::move(stats)), options_(std::move(options)) {}

AdminServer::~AdminServer() { stop(); }

bool AdminServer::ready() const {
  if (ever_ready_) return true;
  if (table_ && table_()) ever_ready_ = true;
  return ever_ready_;
}

AdminResponse AdminServer::admin(const std::string& path, const std::string& query) const {
  AdminResponse r;
  if (path == "/ready") {
    const bool live = ready();
    r.status = live ? 200 : 503;
    r.body = live ? "LIVE\n" : "PRE_INITIALIZING\n";
    return r;
  }
  if (path == "/stats/prometheus") {
    r.content_type = "text/plain; version=0.0.4";
    r.body = stats_ ? stats_->prometheus() : std::string();
    return r;
  }
  if (path == "/config_dump" || path == "/clusters") {
    auto table = table_ ? table_() : nullptr;
    if (path == "/config_dump") {
      r.content_type = "application/json";
      r.body =
          (table ? config_dump::config_dump(*table) : nlohmann::json{{"configs", nlohmann::json::array()}}).dump(1) +
          "\n";
    } else if (query.find("format=json") != std::string::npos) {
      r.status = 400;
      r.body = "gwsim serves /clusters as text only\n";
    } else {
      r.body = table ? clusters_text(*table, stats_.get()) : std::string();
    }
    return r;
  }
  r.status = 404;
  r.body = "invalid path: " + path + "\n" + kAdminHelp;
  return r;
}

AdminResponse AdminServer::status(const std::string& path) const {
  AdminResponse r;
  if (path != "/healthz/ready") {
    r.status = 404;
    r.body = "404 page not found\n";
    return r;
  }
  if (ready()) return r;  // pilot-agent answers 200 with no body
  r.status = 503;
  // pilot-agent's reason when Envoy has no configuration yet (ready/probe.go checkConfigStatus).
  r.body =
      "config not received from XDS server (is Istiod running?): cds updates: 0 successful, 0 rejected; "
      "lds updates: 0 successful, 0 rejected\n";
  return r;
}

std::string AdminServer::admin_url() const { return "http://" + options_.host + ":" + std::to_string(admin_port_); }
std::string AdminServer::status_url() const { return "http://" + options_.host + ":" + std::to_string(status_port_); }

Result<bool> AdminServer::start() {
  if (admin_http_) return true;
  const std::string& host = options_.host;
  if (!datapath::is_ipv4_loopback(host))
    return make_error("refusing to listen on " + host + ": the admin port has no authentication; use 127.0.0.1");
  auto make = [this](bool is_admin) {
    auto http = std::make_unique<httplib::Server>();
    const int threads = std::max(options_.threads, 1);
    http->new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
    // Bounded: a stalled request is dropped after 5 s, an idle connection after 2 s, and a
    // connection serves at most 100 requests; no request has a body worth reading.
    http->set_read_timeout(5, 0);
    http->set_write_timeout(5, 0);
    http->set_keep_alive_timeout(2);
    http->set_keep_alive_max_count(100);
    http->set_payload_max_length(64 * 1024);
    http->set_socket_options(datapath::set_listen_socket_options);
    http->Get(".*", [this, is_admin](const httplib::Request& req, httplib::Response& res) {
      std::string query;
      for (const auto& [k, v] : req.params) query += (query.empty() ? "" : "&") + k + "=" + v;
      AdminResponse a = is_admin ? admin(req.path, query) : status(req.path);
      res.status = a.status;
      res.set_content(a.body, a.content_type);
    });
    return http;
  };
  auto bind = [&host](httplib::Server& http, int wanted, const char* what) -> Result<int> {
    const int port = wanted == 0 ? http.bind_to_any_port(host) : (http.bind_to_port(host, wanted) ? wanted : -1);
    if (port > 0) return port;
    std::string why = datapath::why_not_bindable(host, static_cast<std::uint32_t>(wanted));
    return make_error(std::string("cannot listen on ") + host + ":" + std::to_string(wanted) + " for the " + what +
                      (why.empty() ? "" : ": " + why));
  };
  auto admin_http = make(true);
  auto status_http = make(false);
  auto admin_port = bind(*admin_http, options_.admin_port, "admin port");
  if (!admin_port.ok()) return admin_port.error();
  auto status_port = bind(*status_http, options_.status_port, "status port");
  if (!status_port.ok()) return status_port.error();
  admin_port_ = admin_port.value();
  status_port_ = status_port.value();
  admin_http_ = std::move(admin_http);
  status_http_ = std::move(status_http);
  admin_thread_ = std::thread([this] { admin_http_->listen_after_bind(); });
  status_thread_ = std::thread([this] { status_http_->listen_after_bind(); });
  return true;
}

void AdminServer::stop() {
  for (auto* http : {admin_http_.get(), status_http_.get()})
    if (http) http->stop();
  if (admin_thread_.joinable()) admin_thread_.join();
  if (status_thread_.joinable()) status_thread_.join();
  admin_http_.reset();
  status_http_.reset();
}

}  // namespace gwsim::runtime
