// The proxy's internals, shared by the files that implement it:
//   proxy.cc         the core's life (event loops, tables, stop), a connection's first steps
//                    (TLS inspector, filter chain, handshake) and the access log
//   listeners.cc     Service ports: bind, listen, accept, refuse
//   http_session.cc  an HTTP connection: requests through router::exchange, upstream attempts
//   tcp_session.cc   a TCP proxy connection: one connect, then bytes both ways
#pragma once

#include <atomic>
#include <chrono>
#include <cmath>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "engine/datapath/asio.h"
#include "engine/datapath/client_hello.h"
#include "engine/datapath/detail_upstream_pool.h"
#include "engine/datapath/fiber.h"
#include "engine/datapath/proxy_options.h"
#include "engine/http/request.h"
#include "engine/lb/load_balancer.h"
#include "engine/router/router.h"

namespace gwsim::datapath::detail {

using TablePtr = std::shared_ptr<const route::RouteTable>;

inline constexpr std::uint64_t kMaxRequestsPerConnection = std::uint64_t{1} << 40;
inline constexpr auto kHandshakeTimeout = std::chrono::seconds(10);
inline constexpr int kMaxHelloPeeks = 5000;  // ~5 s for a ClientHello to arrive

inline Socket& lowest(Socket& s) { return s; }
template <class Next>
Socket& lowest(ssl::stream<Next>& s) {
  return s.next_layer();
}

// One event loop. Declaration order is destruction order in reverse: the io_context goes
// before the stacks (suspended fibers in its coroutine frames give theirs back) and after the
// pool (whose sockets belong to it).
struct Loop {
  explicit Loop(std::uint64_t seed) : rng(seed), mirror_rng(seed ^ 0x9e3779b97f4a7c15ULL) {}
  StackPool stacks;
  lb::Random rng;  // the decision path's randomness (per loop, as Envoy's per-worker LBs)
  lb::LoadBalancerState lb;
  lb::Random mirror_rng;  // mirrors draw apart, so they never shift the decisions
  lb::LoadBalancerState mirror_lb;
  // One thread per loop, and each socket is used from its own loop only: no per-socket locks.
  asio::io_context ctx{1};
  Pool pool;
  std::thread thread;
};

struct ConnInfo {
  std::uint32_t service_port = 0;
  std::string remote_ip;
  std::string remote;  // "ip:port"
  std::string scheme = "http";
  std::string sni;
  bool client_certificate = false;
};

// What the upstream callback of one request reports back for the access log.
struct AttemptState {
  std::string upstream_local, upstream_remote;
  std::int64_t service_ms = 0;
  std::string* wire = nullptr;  // the connection's reusable buffer for the upstream request
};

class ProxyCore {
 public:
  ProxyCore(std::string gateway, ProxyOptions options);
  ~ProxyCore() { stop(); }

  void set_table(TablePtr table);
  TablePtr table() const { return table_.load(); }
  std::vector<PortBinding> bindings() const {
    std::lock_guard lock(bindings_mu_);
    return bindings_;
  }
  const std::string& gateway() const { return gateway_; }
  void stop();

 private:
  struct Port {
    std::uint32_t service_port = 0;
    std::uint32_t listen_port = 0;
    std::uint32_t local_port = 0;
    std::string listener;
    bool tls = false;
    bool listening = false;
    std::shared_ptr<Acceptor> acceptor;  // bound; listening when `listening`
  };

  void reconcile();  // on loop 0
  void reserve(Port& port, bool prefer);
  void publish_bindings();
  void warn(const std::string& message);
  Loop& next_loop() { return *loops_[next_loop_++ % loops_.size()]; }
  std::chrono::milliseconds real(model::Millis ms) const {
    // Saturating: a scaled time beyond what the clock counts is "never" (deadline_after).
    const double scaled = std::ceil(std::max(0.0, static_cast<double>(ms) * options_.time_scale));
    if (scaled >= 9.0e18) return std::chrono::milliseconds::max();
    return std::chrono::milliseconds(static_cast<std::int64_t>(scaled));
  }

  Task<void> accept_loop(std::shared_ptr<Acceptor> acceptor, std::uint32_t service_port);
  Task<ClientHello> peek_hello(Socket& socket);
  // A connection: the ClientHello is peeked in a coroutine, then everything else runs on one
  // fiber per connection, where I/O looks synchronous and router::exchange() runs as it is.
  Task<void> connection(Socket socket, std::uint32_t service_port, Loop& loop);
  void serve(Fiber& fiber, Socket& socket, ClientHello hello, ConnInfo info, Loop& loop);
  template <class DownStream>
  void http_loop(Fiber& fiber, DownStream& stream, ConnInfo info, const TablePtr& table,
                 const match::RoutingResult& connection, Loop& loop);
  template <class DownStream>
  void tcp_proxy(Fiber& fiber, DownStream& down, const TablePtr& table, const gwsim::http::Request& request,
                 const match::RoutingResult& connection, const ConnInfo& info, Loop& loop);
  gwsim::http::UpstreamResponse http_upstream(Fiber& fiber, Loop& loop, AttemptState& state,
                                              const route::Endpoint& endpoint, const gwsim::http::UpstreamRequest& up,
                                              const router::AttemptContext& attempt, const std::string& body,
                                              bool head);
  void mirror(Loop& loop, const TablePtr& table, const gwsim::http::Request& request, const router::Exchange& ex,
              const std::string& body);
  std::shared_ptr<ssl::context> context_for(const route::FilterChain& chain);
  void log(const match::DecisionTrace& trace, const route::Endpoint* endpoint, const ConnInfo& info,
           const gwsim::http::Request& request, int status, const std::string& upstream_local,
           const std::string& upstream_remote, Clock::time_point start);

  std::string gateway_;
  ProxyOptions options_;
  std::atomic<TablePtr> table_;
  std::vector<std::unique_ptr<Loop>> loops_;
  std::atomic<std::size_t> next_loop_{0};
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards_;
  std::map<std::uint32_t, Port> ports_;  // loop 0 only
  mutable std::mutex bindings_mu_;
  std::vector<PortBinding> bindings_;

  std::mutex tls_mu_;
  std::map<std::string, std::shared_ptr<ssl::context>> tls_contexts_;
  std::set<std::string> warned_;
  std::atomic<bool> stopped_{false};
};

}  // namespace gwsim::datapath::detail
