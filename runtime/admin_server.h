// AdminServer: what a real gateway pod serves besides its traffic ports, for one gateway proxy
// of `gwsim serve`: Envoy's admin port (15000 in an Istio pod, loopback only) and pilot-agent's
// status port (15021):
//   admin  GET /config_dump        the table as Envoy's v3 ConfigDump (engine/config_dump, what
//                                  `gwsim proxy-config -o json` prints)
//          GET /clusters           Envoy's text: per cluster and host, its stats and health
//          GET /ready              200 "LIVE" once the gateway has its configuration, else 503
//                                  "PRE_INITIALIZING" (Envoy's server state)
//          GET /stats/prometheus   the request counters (runtime/gateway_stats.h)
//   status GET /healthz/ready      200 once ready, else 503 with pilot-agent's reason
//                                  (pilot/cmd/pilot-agent/status/ready/probe.go)
// Both listen on loopback only; port 0 picks a free port, a taken port is refused (never shared,
// see datapath/listen.h). Each port is served by a small fixed pool of threads, with read and
// keep-alive timeouts, so no client holds the server for long.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "engine/model/result.h"
#include "engine/route/route_table.h"
#include "runtime/gateway_stats.h"

namespace httplib {
class Server;
}

namespace gwsim::runtime {

struct AdminResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=UTF-8";
  std::string body;
};

struct AdminServerOptions {
  std::string host = "127.0.0.1";  // loopback only: the admin port has no authentication
  int admin_port = 0;              // 0: a free port
  int status_port = 0;             // 0: a free port
  int threads = 2;                 // per port
};

class AdminServer {
 public:
  // `table` returns the gateway's table now (nullptr: none yet); `stats` may be null (no counters).
  AdminServer(std::string gateway, std::function<std::shared_ptr<const route::RouteTable>()> table,
              std::shared_ptr<const GatewayStats> stats, AdminServerOptions options = {});
  ~AdminServer();
  AdminServer(const AdminServer&) = delete;
  AdminServer& operator=(const AdminServer&) = delete;

  // Binds both ports and serves them. An error names the port and why (e.g. already in use).
  Result<bool> start();
  void stop();  // idempotent

  int admin_port() const { return admin_port_; }
  int status_port() const { return status_port_; }
  std::string admin_url() const;   // "http://127.0.0.1:PORT"
  std::string status_url() const;  // "http://127.0.0.1:PORT"

  // The answers, without sockets (unit tests call these directly).
  AdminResponse admin(const std::string& path, const std::string& query = "") const;
  AdminResponse status(const std::string& path) const;

 private:
  bool ready() const;

  const std::string gateway_;
  const std::function<std::shared_ptr<const route::RouteTable>()> table_;
  const std::shared_ptr<const GatewayStats> stats_;
  const AdminServerOptions options_;
  mutable std::atomic<bool> ever_ready_{false};  // Envoy stays LIVE once initialized
  std::unique_ptr<httplib::Server> admin_http_, status_http_;
  std::thread admin_thread_, status_thread_;
  int admin_port_ = 0, status_port_ = 0;
};

// Envoy's /clusters text for a table (per cluster its settings, per host its address, stats,
// health and weight), host stats from `stats` (zeros when null).
std::string clusters_text(const route::RouteTable& table, const GatewayStats* stats);

}  // namespace gwsim::runtime
