#include "engine/datapath/proxy.h"

#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <future>
#include <limits>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <tuple>
#include <unordered_map>

#include "engine/datapath/asio.h"
#include "engine/datapath/client_hello.h"
#include "engine/datapath/fiber.h"
#include "engine/datapath/tls.h"
#include "engine/lb/load_balancer.h"
#include "engine/match/decide.h"

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

namespace gwsim::datapath {

namespace detail {

namespace {

using Clock = std::chrono::steady_clock;
using TablePtr = std::shared_ptr<const route::RouteTable>;

constexpr std::size_t kMaxHeaderBytes = 60 * 1024;  // Envoy's max_request_headers_kb default
constexpr std::size_t kMaxBodyBytes = 64 * 1024 * 1024;
constexpr std::uint64_t kMaxRequestsPerConnection = std::uint64_t{1} << 40;
constexpr std::size_t kMaxIdlePerUpstream = 256;
constexpr auto kConnectTimeout = std::chrono::seconds(10);  // Istio's default connectTimeout
constexpr auto kHandshakeTimeout = std::chrono::seconds(10);
constexpr int kMaxHelloPeeks = 5000;  // ~5 s for a ClientHello to arrive
constexpr model::Millis kNoLimit = std::numeric_limits<model::Millis>::max();

std::string endpoint_text(const tcp::endpoint& e) { return e.address().to_string() + ":" + std::to_string(e.port()); }
std::string endpoint_ref(const route::Endpoint& e) { return e.ip + ":" + std::to_string(e.port); }

bool is_loopback(const std::string& ip) { return ip.rfind("127.", 0) == 0; }

// Hop-by-hop headers never copied between connections (the codec writes its own).
bool hop_by_hop(std::string_view name) {
  static constexpr std::string_view kNames[] = {"connection", "keep-alive", "transfer-encoding", "content-length",
                                                "proxy-connection", "upgrade"};
  for (auto n : kNames)
    if (beast::iequals(name, n)) return true;
  return false;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');  // header names are ASCII
  return out;
}

bool has_flag(const std::string& flags, std::string_view flag) {
  std::string_view list = flags;
  while (!list.empty()) {
    auto comma = list.find(',');
    if (list.substr(0, comma) == flag) return true;
    if (comma == std::string_view::npos) break;
    list = list.substr(comma + 1);
  }
  return false;
}

Socket& lowest(Socket& s) { return s; }
template <class Next>
Socket& lowest(ssl::stream<Next>& s) {
  return s.next_layer();
}

// Closes a socket when a deadline passes first, so that the operation on it ends; armed only
// for a finite deadline. Disarm (or destroy) it before the socket goes away.
class Deadline {
 public:
  Deadline(Socket& socket, Clock::time_point deadline) {
    if (deadline == Clock::time_point::max()) return;
    state_ = std::make_shared<State>(socket.get_executor());
    state_->timer.expires_at(deadline);
    state_->timer.async_wait([state = state_, s = &socket](error_code ec) {
      if (ec || state->disarmed) return;
      state->fired = true;
      error_code ignored;
      s->close(ignored);
    });
  }
  ~Deadline() { disarm(); }
  Deadline(const Deadline&) = delete;
  Deadline& operator=(const Deadline&) = delete;
  void disarm() {
    if (!state_ || state_->disarmed) return;
    state_->disarmed = true;
    state_->timer.cancel();
  }
  bool fired() const { return state_ && state_->fired; }

 private:
  struct State {
    explicit State(const Executor& ex) : timer(ex) {}
    Timer timer;
    bool fired = false;
    bool disarmed = false;
  };
  std::shared_ptr<State> state_;
};

// HTTP/1.1 on the wire, written by hand: one buffer, one write (Beast's serializer costs more
// than the whole routing decision). Header text never carries CR/LF.
void append_clean(std::string& out, std::string_view text) {
  if (text.find('\r') == std::string_view::npos && text.find('\n') == std::string_view::npos) {
    out.append(text);
    return;
  }
  for (char c : text)
    if (c != '\r' && c != '\n') out += c;
}

void append_header(std::string& out, std::string_view name, std::string_view value) {
  append_clean(out, name);
  out += ": ";
  append_clean(out, value);
  out += "\r\n";
}

bool method_has_body(std::string_view method) { return method == "POST" || method == "PUT" || method == "PATCH"; }

void serialize_request(std::string& out, const match::UpstreamRequest& up, const std::string& body,
                       std::string_view authority) {
  out.clear();
  append_clean(out, up.method);
  out += ' ';
  append_clean(out, up.path);
  out += " HTTP/1.1\r\n";
  append_header(out, "host", authority);
  for (const auto& [k, v] : up.headers)
    if (!hop_by_hop(k)) append_header(out, k, v);
  if (!body.empty() || method_has_body(up.method)) append_header(out, "content-length", std::to_string(body.size()));
  out += "\r\n";
  out += body;
}

void serialize_response(std::string& out, const match::Response& r, unsigned version, bool keep_alive, bool head) {
  out.clear();
  out += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  out += std::to_string(r.status);
  out += ' ';
  std::string_view reason = http::obsolete_reason(static_cast<http::status>(r.status));
  out += reason.empty() || reason == "<unknown-status>" ? std::string_view("Unknown") : reason;
  out += "\r\n";
  for (const auto& [k, v] : r.headers)
    if (!hop_by_hop(k)) append_header(out, k, v);
  const bool no_body = r.status == 204 || r.status == 304 || (r.status >= 100 && r.status < 200);
  if (!no_body) append_header(out, "content-length", std::to_string(r.body.size()));
  if (!keep_alive)
    out += "connection: close\r\n";
  else if (version == 10)
    out += "connection: keep-alive\r\n";
  out += "\r\n";
  if (!head && !no_body) out += r.body;
}

// Parsers that fill gwsim's own types as they go: no Beast header container in between.
class RequestParser final : public http::basic_parser<true> {
 public:
  explicit RequestParser(match::Request& out) : out_(out) {}
  std::string body;
  http::verb method = http::verb::unknown;
  unsigned version = 11;

 private:
  void on_request_impl(http::verb m, std::string_view method_text, std::string_view target, int v,
                       error_code&) override {
    method = m;
    version = static_cast<unsigned>(v);
    out_.method.assign(method_text);
    out_.path.assign(target);
  }
  void on_response_impl(int, std::string_view, int, error_code&) override {}
  void on_field_impl(http::field f, std::string_view name, std::string_view value, error_code&) override {
    if (f == http::field::host) {
      out_.host.assign(value);
      return;
    }
    out_.headers.emplace_back(std::string(name), std::string(value));
  }
  void on_header_impl(error_code&) override {}
  void on_body_init_impl(const boost::optional<std::uint64_t>& length, error_code&) override {
    if (length && *length <= kMaxBodyBytes) body.reserve(static_cast<std::size_t>(*length));
  }
  std::size_t on_body_impl(std::string_view data, error_code&) override {
    body.append(data);
    return data.size();
  }
  void on_chunk_header_impl(std::uint64_t, std::string_view, error_code&) override {}
  std::size_t on_chunk_body_impl(std::uint64_t, std::string_view data, error_code&) override {
    body.append(data);
    return data.size();
  }
  void on_finish_impl(error_code&) override {}

  match::Request& out_;
};

class ResponseParser final : public http::basic_parser<false> {
 public:
  explicit ResponseParser(match::UpstreamResponse& out) : out_(out) {}

 private:
  void on_request_impl(http::verb, std::string_view, std::string_view, int, error_code&) override {}
  void on_response_impl(int code, std::string_view, int, error_code&) override { out_.status = code; }
  void on_field_impl(http::field, std::string_view name, std::string_view value, error_code&) override {
    if (!hop_by_hop(name)) out_.headers.emplace_back(lower(name), std::string(value));
  }
  void on_header_impl(error_code&) override {}
  void on_body_init_impl(const boost::optional<std::uint64_t>& length, error_code&) override {
    if (length && *length <= kMaxBodyBytes) out_.body.reserve(static_cast<std::size_t>(*length));
  }
  std::size_t on_body_impl(std::string_view data, error_code&) override {
    out_.body.append(data);
    return data.size();
  }
  void on_chunk_header_impl(std::uint64_t, std::string_view, error_code&) override {}
  std::size_t on_chunk_body_impl(std::uint64_t, std::string_view data, error_code&) override {
    out_.body.append(data);
    return data.size();
  }
  void on_finish_impl(error_code&) override {}

  match::UpstreamResponse& out_;
};

// Open `socket` and, when the gateway pod has a loopback IP, bind it there (as traffic leaves
// a gateway pod on a cluster); connect() still picks the port.
void open_from(Socket& socket, const asio::ip::address& to, const std::string& source_ip, error_code& ec) {
  socket.open(to.is_v6() ? tcp::v6() : tcp::v4(), ec);
  if (ec || !is_loopback(source_ip) || !to.is_v4()) return;
  int one = 1;
  ::setsockopt(socket.native_handle(), IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
  error_code bind_ec;
  auto source = asio::ip::make_address(source_ip, bind_ec);
  if (!bind_ec) socket.bind(tcp::endpoint(source, 0), bind_ec);
}

}  // namespace

// One upstream HTTP/1.1 connection, kept alive in a Pool between requests.
struct UpstreamConn {
  explicit UpstreamConn(const Executor& ex) : socket(ex) {}
  Socket socket;
  beast::flat_buffer buffer;
  std::string local;  // "ip:port"
};

// Idle keep-alive connections of one event loop, by actual upstream address.
class Pool {
 public:
  std::unique_ptr<UpstreamConn> take(const std::string& key) {
    auto it = idle_.find(key);
    if (it == idle_.end() || it->second.empty()) return nullptr;
    auto conn = std::move(it->second.back());
    it->second.pop_back();
    return conn;
  }
  void give(const std::string& key, std::unique_ptr<UpstreamConn> conn) {
    auto& list = idle_[key];
    if (list.size() < kMaxIdlePerUpstream) list.push_back(std::move(conn));
  }
  void clear() { idle_.clear(); }

 private:
  std::unordered_map<std::string, std::vector<std::unique_ptr<UpstreamConn>>> idle_;
};

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
  lb::Random scratch{0};  // for probes of route_request whose draws must not count
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

struct CallResult {
  enum class Kind { kResponse, kConnectFailure, kReset, kTimeout };
  Kind kind = Kind::kConnectFailure;
  match::UpstreamResponse response;
  std::int64_t elapsed_ms = 0;  // wall time of the attempt
  std::int64_t service_ms = 0;  // request sent -> response read
  std::string local;
};

// What the upstream callback of one request keeps between attempts.
struct AttemptState {
  bool probed = false;
  const route::Route* route = nullptr;  // the route exchange() will match (same table, same request)
  model::Millis per_try = 0;            // 0: none
  model::Millis route_timeout = 0;      // 0: none
  model::Millis elapsed = 0;            // exchange()'s own account of time spent in attempts
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
  std::shared_ptr<Acceptor> bind_acceptor(std::uint32_t port, bool reuse, error_code& ec);
  void reserve(Port& port, bool prefer);
  void publish_bindings();
  void warn(const std::string& message);
  Loop& next_loop() { return *loops_[next_loop_++ % loops_.size()]; }
  std::chrono::milliseconds real(model::Millis ms) const {
    double scaled = static_cast<double>(ms) * options_.time_scale;
    return std::chrono::milliseconds(static_cast<std::int64_t>(std::ceil(std::max(0.0, scaled))));
  }

  Task<void> accept_loop(std::shared_ptr<Acceptor> acceptor, std::uint32_t service_port);
  Task<ClientHello> peek_hello(Socket& socket);
  // A connection: the ClientHello is peeked in a coroutine, then everything else runs on one
  // fiber per connection, where I/O looks synchronous and match::exchange() runs as it is.
  Task<void> connection(Socket socket, std::uint32_t service_port, Loop& loop);
  void serve(Fiber& fiber, Socket& socket, ClientHello hello, ConnInfo info, Loop& loop);
  template <class DownStream>
  void http_loop(Fiber& fiber, DownStream& stream, ConnInfo info, Loop& loop);
  template <class DownStream>
  void tcp_proxy(Fiber& fiber, DownStream& down, const TablePtr& table, const match::Request& request,
                 const ConnInfo& info, Loop& loop);
  match::UpstreamResponse http_upstream(Fiber& fiber, Loop& loop, const TablePtr& table, const match::Request& request,
                                        AttemptState& state, const route::Endpoint& endpoint,
                                        const match::UpstreamRequest& up, const std::string& body, bool head);
  CallResult call_upstream(Fiber& fiber, Loop& loop, const SocketAddress& to, const std::string& source_ip,
                           const std::string& request, Clock::time_point deadline, bool head);
  void probe_route(Loop& loop, const TablePtr& table, const match::Request& request, AttemptState& state);
  void mirror(Loop& loop, const TablePtr& table, const match::Request& request, const match::Exchange& ex,
              const std::string& body);
  std::shared_ptr<ssl::context> context_for(const route::FilterChain& chain);
  void log(const match::DecisionTrace& trace, const route::Endpoint* endpoint, const ConnInfo& info,
           const match::Request& request, int status, const std::string& upstream_local,
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

ProxyCore::ProxyCore(std::string gateway, ProxyOptions options)
    : gateway_(std::move(gateway)), options_(std::move(options)) {
  if (!options_.addresses) options_.addresses = std::make_shared<const AddressMap>();
  if (!(options_.time_scale > 0)) options_.time_scale = 1.0;
  const int threads = std::max(1, options_.threads);
  for (int i = 0; i < threads; ++i) {
    loops_.push_back(std::make_unique<Loop>(options_.seed + static_cast<std::uint64_t>(i)));
    guards_.push_back(asio::make_work_guard(loops_.back()->ctx));
  }
  for (auto& loop : loops_) {
    Loop* l = loop.get();
    l->thread = std::thread([l] {
      for (int i = 0; i < 1000; ++i) {  // run() returns only when stopped; bounded anyway
        try {
          l->ctx.run();
        } catch (...) {
          // A handler threw (allocation failure): keep serving the other connections.
        }
        if (l->ctx.stopped()) return;
      }
    });
  }
}

void ProxyCore::stop() {
  if (stopped_.exchange(true)) return;
  std::promise<void> closed;
  asio::post(loops_[0]->ctx, [this, &closed] {
    for (auto& [port, p] : ports_) {
      error_code ec;
      if (p.acceptor) p.acceptor->close(ec);
    }
    closed.set_value();
  });
  closed.get_future().wait();
  guards_.clear();
  for (auto& loop : loops_) loop->ctx.stop();
  for (auto& loop : loops_) {
    if (loop->thread.joinable()) loop->thread.join();
  }
  ports_.clear();
  for (auto& loop : loops_) loop->pool.clear();
  // Loop 0 first: its pending accepts hold sockets of the other loops.
  for (auto& loop : loops_) loop.reset();
  loops_.clear();
}

void ProxyCore::warn(const std::string& message) {
  {
    std::lock_guard lock(tls_mu_);
    if (!warned_.insert(message).second) return;
  }
  if (options_.warn) options_.warn(message);
}

void ProxyCore::set_table(TablePtr table) {
  if (stopped_) return;
  table_.store(std::move(table));
  std::promise<void> done;
  asio::post(loops_[0]->ctx, [this, &done] {
    reconcile();
    done.set_value();
  });
  done.get_future().wait();
}

// Without SO_REUSEADDR a bound, non-listening socket is ours alone: another process cannot
// bind (and then listen on) the port we keep refusing on. With it, a port with connections in
// TIME_WAIT can be bound again.
std::shared_ptr<Acceptor> ProxyCore::bind_acceptor(std::uint32_t port, bool reuse, error_code& ec) {
  auto acceptor = std::make_shared<Acceptor>(loops_[0]->ctx);
  auto address = asio::ip::make_address(options_.listen_address, ec);
  if (ec) return nullptr;
  acceptor->open(address.is_v6() ? tcp::v6() : tcp::v4(), ec);
  if (ec) return nullptr;
  if (reuse) acceptor->set_option(asio::socket_base::reuse_address(true), ec);
  acceptor->bind(tcp::endpoint(address, static_cast<unsigned short>(port)), ec);
  if (ec) return nullptr;
  return acceptor;
}

// A local port for a Service port, kept for the proxy's life: bound but not listening while
// the table has no listener for it, so connections are refused, as by the real gateway.
void ProxyCore::reserve(Port& port, bool prefer) {
  std::vector<std::uint32_t> candidates;
  if (port.local_port) candidates.push_back(port.local_port);
  if (prefer) {
    candidates.push_back(port.service_port);
    if (port.listen_port + 10000 < 65536) candidates.push_back(port.listen_port + 10000);
  }
  candidates.push_back(0);
  for (auto candidate : candidates) {
    error_code ec;
    auto acceptor = bind_acceptor(candidate, false, ec);
    if (!acceptor && candidate != 0 && candidate == port.local_port) acceptor = bind_acceptor(candidate, true, ec);
    if (!acceptor) continue;
    port.acceptor = std::move(acceptor);
    port.local_port = port.acceptor->local_endpoint(ec).port();
    return;
  }
  warn("gateway " + gateway_ + ": cannot bind a local port for Service port " + std::to_string(port.service_port));
}

void ProxyCore::reconcile() {
  TablePtr table = table_.load();
  std::set<std::uint32_t> seen;
  auto stop_listening = [this](Port& p) {
    if (!p.listening) return;
    error_code ec;
    p.acceptor->close(ec);
    p.acceptor.reset();
    p.listening = false;
    reserve(p, false);
  };
  if (table) {
    for (const auto& [service_port, listen_port] : table->proxy.service_ports) {
      seen.insert(service_port);
      Port& p = ports_[service_port];
      p.service_port = service_port;
      p.listen_port = listen_port;
      if (!p.acceptor) reserve(p, options_.prefer_service_ports);
      const route::Listener* listener = table->find_listener(listen_port);
      p.listener = listener ? listener->name : "";
      p.tls = false;
      if (listener) {
        for (const auto& c : listener->filter_chains)
          if (!c.tls_mode.empty()) p.tls = true;
      }
      if (listener && !p.listening && p.acceptor) {
        error_code ec;
        p.acceptor->listen(asio::socket_base::max_listen_connections, ec);
        if (ec) {
          // Someone else listens there now: move to a free port.
          p.acceptor.reset();
          p.local_port = 0;
          reserve(p, false);
          if (p.acceptor) p.acceptor->listen(asio::socket_base::max_listen_connections, ec);
        }
        if (!ec && p.acceptor) {
          p.listening = true;
          asio::co_spawn(loops_[0]->ctx, accept_loop(p.acceptor, service_port), asio::detached);
        } else {
          warn("gateway " + gateway_ + ": cannot listen for Service port " + std::to_string(service_port) + ": " +
               ec.message());
        }
      }
      if (!listener) stop_listening(p);
    }
  }
  for (auto& [service_port, p] : ports_) {
    if (seen.count(service_port)) continue;
    stop_listening(p);
    p.listener.clear();
  }
  publish_bindings();
}

void ProxyCore::publish_bindings() {
  std::vector<PortBinding> out;
  TablePtr table = table_.load();
  for (const auto& [service_port, p] : ports_) {
    if (table && !table->proxy.service_ports.count(service_port)) continue;  // no longer a Service port
    PortBinding b;
    b.service_port = service_port;
    b.listen_port = p.listen_port;
    b.listener = p.listener;
    b.local_port = p.local_port;
    b.address = options_.listen_address + ":" + std::to_string(p.local_port);
    b.listening = p.listening;
    b.tls = p.tls;
    out.push_back(std::move(b));
  }
  std::lock_guard lock(bindings_mu_);
  bindings_ = std::move(out);
}

Task<void> ProxyCore::accept_loop(std::shared_ptr<Acceptor> acceptor, std::uint32_t service_port) {
  // Ends when the acceptor is closed (listener removed, or stop()).
  while (acceptor->is_open()) {
    Loop& loop = next_loop();
    Socket socket(loop.ctx);
    error_code ec;
    co_await acceptor->async_accept(socket, asio::redirect_error(kAwait, ec));
    if (ec == asio::error::operation_aborted || !acceptor->is_open()) co_return;
    if (ec) {
      // e.g. out of file descriptors: wait a little rather than spin.
      Timer pause(co_await asio::this_coro::executor, std::chrono::milliseconds(10));
      co_await pause.async_wait(asio::redirect_error(kAwait, ec));
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    asio::co_spawn(loop.ctx, connection(std::move(socket), service_port, loop), asio::detached);
  }
}

// Envoy's TLS inspector: wait for the ClientHello (or for the first bytes to show plaintext)
// without consuming anything, so the same bytes reach the TLS server or the upstream.
Task<ClientHello> ProxyCore::peek_hello(Socket& socket) {
  std::vector<char> buffer(4096);
  std::size_t last = 0;
  error_code ec;
  socket.non_blocking(true, ec);
  for (int i = 0; i < kMaxHelloPeeks; ++i) {
    co_await socket.async_wait(tcp::socket::wait_read, asio::redirect_error(kAwait, ec));
    if (ec) co_return ClientHello{};
    std::size_t n = socket.receive(asio::buffer(buffer), tcp::socket::message_peek, ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) continue;
    if (ec || n == 0) co_return ClientHello{};  // closed before saying anything
    ClientHello hello = parse_client_hello(std::string_view(buffer.data(), n));
    if (hello.status != ClientHello::Status::kNeedMore) co_return hello;
    if (n == buffer.size() && buffer.size() < kMaxClientHello + 5) {
      buffer.resize(std::min(buffer.size() * 4, kMaxClientHello + 5));
      continue;
    }
    if (n == last) {
      // Part of the hello is here, the rest is on its way: do not spin on readable data.
      Timer pause(socket.get_executor(), std::chrono::milliseconds(1));
      co_await pause.async_wait(asio::redirect_error(kAwait, ec));
    }
    last = n;
  }
  co_return ClientHello{};
}

std::shared_ptr<ssl::context> ProxyCore::context_for(const route::FilterChain& chain) {
  const route::TlsCredential& credential = *chain.credential;
  const bool mutual = chain.tls_mode == "MUTUAL" || chain.tls_mode == "OPTIONAL_MUTUAL";
  std::string key = chain.tls_mode + '\n' + credential.certificate_chain + '\n' + credential.private_key + '\n' +
                    (mutual ? credential.ca_certificates : std::string());
  {
    std::lock_guard lock(tls_mu_);
    if (auto it = tls_contexts_.find(key); it != tls_contexts_.end()) return it->second;
  }
  std::string ca = mutual ? credential.ca_certificates : std::string();
  if (mutual && !options_.extra_client_ca.empty())
    ca += (ca.empty() || ca.back() == '\n' ? "" : "\n") + options_.extra_client_ca;
  auto made = make_server_context(credential.certificate_chain, credential.private_key, ca, chain.tls_mode == "MUTUAL");
  std::shared_ptr<ssl::context> ctx;
  if (made.ok()) {
    ctx = made.value();
  } else {
    // Decision mode takes a present credential as usable; do the same with a certificate of
    // our own for the server's hosts, and say so.
    warn("gateway " + gateway_ + ": Secret " + credential.secret + ": " + made.error().message +
         "; serving a generated certificate instead");
    CertificateRequest request;
    request.common_name = chain.server_names.empty() ? "gwsim" : chain.server_names.front();
    for (const auto& n : chain.server_names)
      if (n != "*") request.dns_names.push_back(n);
    auto generated = make_certificate(request);
    if (generated.ok()) {
      auto fallback = make_server_context(generated->certificate, generated->private_key,
                                          mutual ? options_.extra_client_ca : std::string(), chain.tls_mode == "MUTUAL");
      if (fallback.ok()) ctx = fallback.value();
    }
  }
  std::lock_guard lock(tls_mu_);
  tls_contexts_[key] = ctx;
  return ctx;
}

void ProxyCore::log(const match::DecisionTrace& trace, const route::Endpoint* endpoint, const ConnInfo& info,
                    const match::Request& request, int status, const std::string& upstream_local,
                    const std::string& upstream_remote, Clock::time_point start) {
  if (!options_.access_log) return;
  AccessLogEntry entry;
  entry.gateway = gateway_;
  entry.downstream_remote = info.remote;
  entry.service_port = info.service_port;
  entry.trace = trace;
  if (endpoint) entry.endpoint_labels = endpoint->labels;
  entry.upstream_local = upstream_local;
  entry.upstream_remote = upstream_remote;
  entry.status = status;
  entry.method = request.method;
  entry.authority = request.host;
  entry.path = request.path;
  entry.duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
  options_.access_log(entry);
}

void ProxyCore::probe_route(Loop& loop, const TablePtr& table, const match::Request& request, AttemptState& state) {
  if (state.probed) return;
  state.probed = true;
  // The route does not depend on the random source (only the cluster pick and faults do), so
  // a scratch generator finds the same route exchange() matched.
  match::RoutingResult probe = match::route_request(*table, request, loop.scratch);
  state.route = probe.route;
  if (!state.route) return;
  const route::RouteAction& action = state.route->route;
  state.per_try = action.retry ? action.retry->per_try_timeout.value_or(0) : 0;
  state.route_timeout = action.timeout.value_or(0);
}

// One upstream attempt of an HTTP route, called by exchange() on the connection's fiber.
match::UpstreamResponse ProxyCore::http_upstream(Fiber& fiber, Loop& loop, const TablePtr& table,
                                                 const match::Request& request, AttemptState& state,
                                                 const route::Endpoint& endpoint, const match::UpstreamRequest& up,
                                                 const std::string& body, bool head) {
  probe_route(loop, table, request, state);
  match::UpstreamResponse out;
  std::optional<SocketAddress> to = options_.addresses->resolve(endpoint.ip, endpoint.port);
  if (!to) {
    out.connected = false;  // no fake pod serves it: nothing would answer
    return out;
  }
  // The attempt's budget, in the configuration's time: the per-try timeout, within what is
  // left of the route timeout.
  model::Millis budget = state.per_try > 0 ? state.per_try : kNoLimit;
  if (state.route_timeout > 0) budget = std::min(budget, std::max<model::Millis>(0, state.route_timeout - state.elapsed));
  const Clock::time_point deadline = budget == kNoLimit ? Clock::time_point::max() : Clock::now() + real(budget);

  std::string local_wire;
  std::string& wire = state.wire ? *state.wire : local_wire;
  serialize_request(wire, up, body, up.authority);
  const std::string ref = endpoint_ref(endpoint);
  ++loop.lb.active_requests()[ref];  // least-request sees requests in flight
  CallResult result = call_upstream(fiber, loop, *to, up.client_ip, wire, deadline, head);
  --loop.lb.active_requests()[ref];

  state.upstream_local = result.local;
  state.upstream_remote = to->to_string();
  switch (result.kind) {
    case CallResult::Kind::kResponse: {
      out = std::move(result.response);
      model::Millis took = static_cast<model::Millis>(static_cast<double>(result.elapsed_ms) / options_.time_scale);
      // It answered before the deadline: in the configuration's time, too.
      if (budget != kNoLimit) took = std::min(took, budget - 1);
      out.delay_ms = std::max<model::Millis>(0, took);
      state.service_ms = result.service_ms;
      break;
    }
    case CallResult::Kind::kTimeout:
      // Still waiting when the budget ran out: exchange() sees an answer that takes exactly
      // the budget, which is what its timeouts compare against.
      out.connected = true;
      out.status = 504;
      out.delay_ms = budget == kNoLimit ? 0 : budget;
      break;
    case CallResult::Kind::kConnectFailure:
    case CallResult::Kind::kReset: out.connected = false; break;
  }
  // Keep exchange()'s account of time: a timed-out attempt counts as the per-try timeout.
  if (out.connected) {
    const bool timed_out = state.per_try > 0 && out.delay_ms >= state.per_try;
    state.elapsed += timed_out ? state.per_try : out.delay_ms;
  }
  return out;
}

CallResult ProxyCore::call_upstream(Fiber& fiber, Loop& loop, const SocketAddress& to, const std::string& source_ip,
                                    const std::string& request, Clock::time_point deadline, bool head) {
  CallResult out;
  const auto started = Clock::now();
  auto elapsed = [&] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count();
  };
  const std::string key = to.to_string();
  error_code ec;
  auto address = asio::ip::make_address(to.ip, ec);
  if (ec) return out;
  for (int round = 0; round < 2; ++round) {
    std::unique_ptr<UpstreamConn> conn = round == 0 ? loop.pool.take(key) : nullptr;
    const bool reused = conn != nullptr;
    if (!conn) {
      conn = std::make_unique<UpstreamConn>(loop.ctx.get_executor());
      open_from(conn->socket, address, source_ip, ec);
      if (ec) return out;
      const auto connect_deadline = std::min(deadline, Clock::now() + kConnectTimeout);
      Deadline guard(conn->socket, connect_deadline);
      std::tie(ec) = await_on<error_code>(fiber, [&](auto handler) {
        conn->socket.async_connect(tcp::endpoint(address, static_cast<unsigned short>(to.port)), std::move(handler));
      });
      guard.disarm();
      if (ec || guard.fired()) {
        out.kind = guard.fired() && connect_deadline == deadline ? CallResult::Kind::kTimeout
                                                                 : CallResult::Kind::kConnectFailure;
        out.elapsed_ms = elapsed();
        return out;
      }
      conn->socket.set_option(tcp::no_delay(true), ec);
      conn->local = endpoint_text(conn->socket.local_endpoint(ec));
    }
    out.local = conn->local;
    Deadline guard(conn->socket, deadline);
    const auto sent = Clock::now();
    std::tie(ec, std::ignore) = await_on<error_code, std::size_t>(
        fiber, [&](auto handler) { asio::async_write(conn->socket, asio::buffer(request), std::move(handler)); });
    if (ec) {
      if (guard.fired()) {
        out.kind = CallResult::Kind::kTimeout;
        return out;
      }
      if (reused) continue;  // the pooled connection was closed while idle: use a fresh one
      out.kind = CallResult::Kind::kReset;
      return out;
    }
    out.response = match::UpstreamResponse{};
    ResponseParser parser(out.response);
    parser.header_limit(kMaxHeaderBytes);
    parser.body_limit(kMaxBodyBytes);
    if (head) parser.skip(true);
    std::tie(ec, std::ignore) = await_on<error_code, std::size_t>(
        fiber, [&](auto handler) { http::async_read(conn->socket, conn->buffer, parser, std::move(handler)); });
    guard.disarm();
    if (ec || guard.fired()) {
      if (guard.fired()) {
        out.kind = CallResult::Kind::kTimeout;
        return out;
      }
      if (reused && !parser.got_some()) continue;
      out.kind = CallResult::Kind::kReset;
      return out;
    }
    out.service_ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - sent).count();
    out.elapsed_ms = elapsed();
    out.kind = CallResult::Kind::kResponse;
    out.response.connected = true;
    if (parser.keep_alive()) loop.pool.give(key, std::move(conn));
    return out;
  }
  out.kind = CallResult::Kind::kReset;
  return out;
}

// Fire and forget: a copy of the request to each mirror cluster exchange() chose, on a fiber of
// its own; the answer is dropped.
void ProxyCore::mirror(Loop& loop, const TablePtr& table, const match::Request& request, const match::Exchange& ex,
                       const std::string& body) {
  if (ex.trace.mirrors.empty() || !ex.upstream_request) return;
  struct MirrorTask {
    SocketAddress to;
    std::string source;
    std::string wire;
    std::unique_ptr<Fiber> fiber;
  };
  for (const auto& name : ex.trace.mirrors) {
    const route::Cluster* cluster = table->find_cluster(name);
    const route::Endpoint* e = cluster ? lb::choose_endpoint(*cluster, request, loop.mirror_rng, loop.mirror_lb) : nullptr;
    if (!e) continue;
    std::optional<SocketAddress> to = options_.addresses->resolve(e->ip, e->port);
    if (!to) continue;
    const match::UpstreamRequest& up = *ex.upstream_request;
    // Envoy marks shadow traffic by suffixing the host.
    std::string authority = up.authority;
    auto colon = authority.rfind(':');
    if (colon != std::string::npos && authority.find(']') == std::string::npos && authority.find(':') == colon)
      authority = authority.substr(0, colon) + "-shadow" + authority.substr(colon);
    else
      authority += "-shadow";
    auto* task = new MirrorTask{*to, up.client_ip, {}, nullptr};
    serialize_request(task->wire, up, body, authority);
    task->fiber = std::make_unique<Fiber>(loop.stacks, [this, task, &loop] {
      call_upstream(*task->fiber, loop, task->to, task->source, task->wire, Clock::now() + std::chrono::seconds(30),
                    false);
      asio::post(loop.ctx, [task] { delete task; });  // after the fiber has left its stack
    });
    if (!task->fiber->valid()) {
      delete task;
      continue;
    }
    asio::post(loop.ctx, [task] { task->fiber->resume(); });
  }
}

Task<void> ProxyCore::connection(Socket socket, std::uint32_t service_port, Loop& loop) {
  error_code ec;
  auto remote = socket.remote_endpoint(ec);
  if (ec) co_return;
  ConnInfo info;
  info.service_port = service_port;
  info.remote_ip = remote.address().to_string();
  info.remote = endpoint_text(remote);

  ClientHello hello = co_await peek_hello(socket);
  if (hello.status == ClientHello::Status::kNeedMore) co_return;  // closed (or silent) before a request

  // The rest on a fiber; this frame (and the socket) lives until the fiber is done.
  Timer done(loop.ctx, Clock::time_point::max());
  bool finished = false;
  Fiber* self = nullptr;
  Fiber fiber(loop.stacks, [&] {
    serve(*self, socket, hello, info, loop);
    finished = true;
    done.cancel();
  });
  self = &fiber;
  if (!fiber.valid()) co_return;  // no memory for a stack: drop the connection
  fiber.resume();
  for (int i = 0; i < 1024 && !finished; ++i) {  // one wake-up: when the fiber is done
    co_await done.async_wait(asio::redirect_error(kAwait, ec));
  }
}

void ProxyCore::serve(Fiber& fiber, Socket& socket, ClientHello hello, ConnInfo info, Loop& loop) {
  const auto start = Clock::now();
  TablePtr table = table_.load();
  if (!table) return;
  const bool tls = hello.status != ClientHello::Status::kNotTls;
  info.scheme = tls ? "https" : "http";
  info.sni = hello.sni;

  // The request as the decision path sees a connection before any HTTP.
  auto connection_request = [&](bool client_certificate) {
    match::Request r;
    r.port = info.service_port;
    r.scheme = info.scheme;
    r.sni = info.sni;
    r.host = info.sni;
    r.source_ip = info.remote_ip;
    r.client_certificate = client_certificate;
    return r;
  };
  // Which chain takes the connection: route_request's choice, probed with a scratch generator.
  // A client certificate is assumed so that a MUTUAL chain is found; the handshake checks it.
  match::RoutingResult probe = match::route_request(*table, connection_request(true), loop.scratch);
  const route::FilterChain* chain = probe.filter_chain;

  if (!tls) {
    if (chain && chain->tls_mode.empty() && !chain->http) {
      tcp_proxy(fiber, socket, table, connection_request(false), info, loop);  // a plaintext TCP server
      return;
    }
    http_loop(fiber, socket, std::move(info), loop);
    return;
  }

  const bool terminate = chain && chain->credential && probe.trace.outcome != match::Outcome::kTlsError &&
                         probe.trace.outcome != match::Outcome::kNoFilterChain && !chain->tls_mode.empty() &&
                         chain->tls_mode != "PASSTHROUGH" && chain->tls_mode != "AUTO_PASSTHROUGH";
  if (!terminate) {
    // PASSTHROUGH, or a connection Envoy closes (no chain, TLS to a plaintext server, no
    // certificate, ISTIO_MUTUAL): exchange() decides, with the real generator.
    tcp_proxy(fiber, socket, table, connection_request(false), info, loop);
    return;
  }

  std::shared_ptr<ssl::context> ctx = context_for(*chain);
  if (!ctx) {
    match::Request r = connection_request(false);
    log(probe.trace, nullptr, info, r, 0, "", "", start);
    return;
  }
  ssl::stream<Socket&> secure(socket, *ctx);
  error_code ec;
  {
    Deadline guard(socket, Clock::now() + kHandshakeTimeout);
    std::tie(ec) = await_on<error_code>(
        fiber, [&](auto handler) { secure.async_handshake(ssl::stream_base::server, std::move(handler)); });
  }
  if (ec) {
    // MUTUAL without (or with an untrusted) client certificate, or a failed handshake.
    match::Request r = connection_request(false);
    match::RoutingResult failed = match::route_request(*table, r, loop.scratch);
    if (failed.trace.outcome != match::Outcome::kTlsError) {
      failed.trace.outcome = match::Outcome::kTlsError;
      failed.trace.status = 0;
      failed.trace.detail = "TLS handshake failed: " + ec.message();
    }
    log(failed.trace, nullptr, info, r, 0, "", "", start);
    return;
  }
  info.client_certificate = SSL_get0_peer_certificate(secure.native_handle()) != nullptr;
  if (!chain->http) {
    tcp_proxy(fiber, secure, table, connection_request(info.client_certificate), info, loop);
    return;
  }
  http_loop(fiber, secure, std::move(info), loop);
}

template <class DownStream>
void ProxyCore::http_loop(Fiber& fiber, DownStream& stream, ConnInfo info, Loop& loop) {
  beast::flat_buffer buffer;
  std::string wire;           // the response on the wire, reused
  std::string upstream_wire;  // the upstream request on the wire, reused
  error_code ec;
  for (std::uint64_t served = 0; served < kMaxRequestsPerConnection; ++served) {
    match::Request mr;
    RequestParser parser(mr);
    parser.header_limit(kMaxHeaderBytes);
    parser.body_limit(kMaxBodyBytes);
    std::tie(ec, std::ignore) = await_on<error_code, std::size_t>(
        fiber, [&](auto handler) { http::async_read(stream, buffer, parser, std::move(handler)); });
    if (ec) {
      if (ec.category() == http::make_error_code(http::error::bad_method).category() &&
          ec != http::error::end_of_stream && ec != http::error::partial_message) {
        // Envoy's answer to a request its codec cannot read.
        match::Response bad;
        bad.status = 400;
        bad.headers = {{"content-type", "text/plain"}, {"server", "istio-envoy"}};
        bad.body = "Bad Request";
        serialize_response(wire, bad, 11, false, false);
        await_on<error_code, std::size_t>(
            fiber, [&](auto handler) { asio::async_write(stream, asio::buffer(wire), std::move(handler)); });
      }
      break;
    }
    const auto start = Clock::now();
    mr.port = info.service_port;
    mr.scheme = info.scheme;
    mr.sni = info.sni;
    mr.client_certificate = info.client_certificate;
    mr.source_ip = info.remote_ip;
    const bool head = parser.method == http::verb::head;
    const bool keep_alive = parser.keep_alive();
    const unsigned version = parser.version;
    const std::string& body = parser.body;

    TablePtr table = table_.load();
    if (!table) break;
    AttemptState state;
    state.wire = &upstream_wire;
    // One pointer captured: the callback fits std::function's inline storage (no allocation).
    struct Call {
      ProxyCore* self;
      Fiber& fiber;
      Loop& loop;
      const TablePtr& table;
      const match::Request& request;
      AttemptState& state;
      const std::string& body;
      bool head;
    } call{this, fiber, loop, table, mr, state, body, head};
    match::Exchange ex = match::exchange(*table, mr, loop.rng, loop.lb,
                                         [c = &call](const route::Endpoint& e, const match::UpstreamRequest& up) {
                                           return c->self->http_upstream(c->fiber, c->loop, c->table, c->request,
                                                                         c->state, e, up, c->body, c->head);
                                         });
    match::DecisionTrace& t = ex.trace;

    if (t.outcome == match::Outcome::kUnsupported) {
      ex.response = match::Response{};
      ex.response.status = 501;
      ex.response.body = "gwsim does not simulate this configuration yet: " + t.detail + "\n";
      ex.response.headers = {{"content-type", "text/plain"}, {"server", "istio-envoy"}, {"x-gwsim-unsupported", "true"}};
    }
    if (ex.response.status == 0) {
      // No HTTP answer (plaintext to a TLS server, no chain, a TCP chain): Envoy closes.
      log(t, ex.endpoint, info, mr, 0, state.upstream_local, state.upstream_remote, start);
      return;
    }
    if (has_flag(t.response_flags, "DI")) {
      // The fault filter's delay (decided by exchange()); Envoy holds the request this long.
      probe_route(loop, table, mr, state);
      if (state.route && state.route->fault && state.route->fault->delay) {
        Timer pause(loop.ctx, real(*state.route->fault->delay));
        await_on<error_code>(fiber, [&](auto handler) { pause.async_wait(std::move(handler)); });
      }
    }
    mirror(loop, table, mr, ex, body);
    if (!t.attempts.empty()) {
      for (auto& [k, v] : ex.response.headers)
        if (k == "x-envoy-upstream-service-time") v = std::to_string(state.service_ms);
    }

    serialize_response(wire, ex.response, version, keep_alive, head);
    log(t, ex.endpoint, info, mr, ex.response.status, state.upstream_local, state.upstream_remote, start);
    std::tie(ec, std::ignore) = await_on<error_code, std::size_t>(
        fiber, [&](auto handler) { asio::async_write(stream, asio::buffer(wire), std::move(handler)); });
    if (ec || !keep_alive) break;
  }
  lowest(stream).shutdown(tcp::socket::shutdown_send, ec);
}

namespace {

// Copies bytes from one stream to another until either side ends, then half-closes the
// destination; `done` runs once at the end.
template <class From, class To>
struct Pump : std::enable_shared_from_this<Pump<From, To>> {
  Pump(From& f, To& t, std::function<void()> d) : from(f), to(t), done(std::move(d)) {}
  From& from;
  To& to;
  std::function<void()> done;
  std::array<char, 16384> buffer;

  void read() {
    from.async_read_some(asio::buffer(buffer), [self = this->shared_from_this()](error_code ec, std::size_t n) {
      if (n == 0) return self->finish();
      asio::async_write(self->to, asio::buffer(self->buffer.data(), n),
                        [self, read_failed = static_cast<bool>(ec)](error_code wec, std::size_t) {
                          if (wec || read_failed) return self->finish();
                          self->read();  // bounded by the connection's life
                        });
    });
  }
  void finish() {
    error_code ignored;
    lowest(to).shutdown(tcp::socket::shutdown_send, ignored);
    if (done) std::exchange(done, nullptr)();
  }
};

}  // namespace

// A TCP proxy chain (PASSTHROUGH, TCP, or TLS terminated then TCP), or a connection the
// decision path closes: exchange() decides; its one upstream call connects for real, and the
// bytes then flow both ways untouched.
template <class DownStream>
void ProxyCore::tcp_proxy(Fiber& fiber, DownStream& down, const TablePtr& table, const match::Request& request,
                          const ConnInfo& info, Loop& loop) {
  const auto start = Clock::now();
  Socket up(loop.ctx);
  bool connected = false;
  std::string local, remote;
  match::Exchange ex = match::exchange(
      *table, request, loop.rng, loop.lb, [&](const route::Endpoint& e, const match::UpstreamRequest& sent) {
        match::UpstreamResponse r;
        r.connected = false;
        r.status = 0;
        std::optional<SocketAddress> to = options_.addresses->resolve(e.ip, e.port);
        if (!to) return r;
        remote = to->to_string();
        error_code ec;
        auto address = asio::ip::make_address(to->ip, ec);
        if (ec) return r;
        open_from(up, address, sent.client_ip, ec);
        if (ec) return r;
        Deadline guard(up, Clock::now() + kConnectTimeout);
        std::tie(ec) = await_on<error_code>(fiber, [&](auto handler) {
          up.async_connect(tcp::endpoint(address, static_cast<unsigned short>(to->port)), std::move(handler));
        });
        guard.disarm();
        if (ec || guard.fired()) return r;
        up.set_option(tcp::no_delay(true), ec);
        local = endpoint_text(up.local_endpoint(ec));
        connected = true;
        r.connected = true;
        return r;
      });
  log(ex.trace, ex.endpoint, info, request, 0, local, remote, start);
  if (!connected) return;

  // Both directions at once; the fiber waits for both to end.
  int running = 2;
  auto one_done = [&running, &fiber] {
    if (--running == 0 && !fiber.running()) fiber.resume();
  };
  std::make_shared<Pump<Socket, DownStream>>(up, down, one_done)->read();
  std::make_shared<Pump<DownStream, Socket>>(down, up, one_done)->read();
  for (int i = 0; i < 1024 && running > 0; ++i) fiber.suspend();
}

}  // namespace detail

Proxy::Proxy(std::string gateway, ProxyOptions options)
    : core_(std::make_unique<detail::ProxyCore>(std::move(gateway), std::move(options))) {}
Proxy::~Proxy() = default;
void Proxy::set_table(std::shared_ptr<const route::RouteTable> table) { core_->set_table(std::move(table)); }
std::shared_ptr<const route::RouteTable> Proxy::table() const { return core_->table(); }
std::vector<PortBinding> Proxy::bindings() const { return core_->bindings(); }
std::string Proxy::address_of(std::uint32_t service_port) const {
  for (const auto& b : core_->bindings())
    if (b.service_port == service_port) return b.address;
  return {};
}
const std::string& Proxy::gateway() const { return core_->gateway(); }
void Proxy::stop() { core_->stop(); }

}  // namespace gwsim::datapath
