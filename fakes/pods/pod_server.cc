#include "fakes/pods/pod_server.h"

#include <algorithm>
#include <deque>
#include <future>
#include <mutex>
#include <thread>

#include "engine/datapath/asio.h"
#include "engine/text/ascii.h"
#include "engine/datapath/listen.h"
#include "engine/datapath/tls.h"
#include "engine/model/snapshot.h"
#include "fakes/pods/echo.h"
#include "fakes/pods/pod_answer.h"

namespace gwsim::fakes {

namespace detail {

namespace {

using namespace gwsim::datapath;  // asio, beast, http, ssl, tcp, error_code
namespace http = boost::beast::http;  // not gwsim::http (the gateway's request noun)

constexpr std::size_t kMaxHeaderBytes = 60 * 1024;
constexpr std::size_t kMaxBodyBytes = 64 * 1024 * 1024;
constexpr std::uint64_t kMaxRequestsPerConnection = std::uint64_t{1} << 40;
constexpr auto kHandshakeTimeout = std::chrono::seconds(10);

std::string pod_key(const std::string& ns, const std::string& name) { return ns + "/" + name; }

}  // namespace

struct PodState;

struct PortState {
  PodPort declared;
  std::uint32_t actual = 0;
  bool listening = false;
  std::shared_ptr<Acceptor> acceptor;  // bound; listening when `listening`
};

struct PodState {
  PodSpec spec;
  EchoPod echo;  // the pod's echo identity; the port is the one asked (echo_for)
  EchoPod echo_for(std::uint32_t port) const {
    EchoPod out = echo;
    out.port = port;
    return out;
  }
  std::map<std::uint32_t, PortState> ports;  // by declared port
  std::set<Socket*> connections;        // open connections (closed on refuse / removal)
  bool removed = false;
};

class PodServerCore {
 public:
  explicit PodServerCore(PodServerOptions options);
  ~PodServerCore() { stop(); }

  void update(std::vector<PodSpec> pods);
  std::shared_ptr<AddressMap> addresses() const { return options_.addresses; }
  std::vector<ServedPort> served() const {
    std::lock_guard lock(mu_);
    return served_;
  }
  std::optional<ReceivedRequest> received_from(const std::string& peer) const {
    std::lock_guard lock(mu_);
    auto it = log_.find(peer);
    if (it == log_.end()) return std::nullopt;
    return it->second;
  }
  std::vector<ReceivedRequest> received() const {
    std::lock_guard lock(mu_);
    std::vector<ReceivedRequest> out;
    for (const auto& peer : log_order_)
      if (auto it = log_.find(peer); it != log_.end()) out.push_back(it->second);
    return out;
  }
  void stop();

 private:
  void apply(std::vector<PodSpec> pods);  // on the loop
  void open_port(const std::shared_ptr<PodState>& pod, PortState& port);
  void start_listening(const std::shared_ptr<PodState>& pod, PortState& port);
  void stop_listening(PortState& port);
  void close_connections(PodState& pod);
  void publish();
  void record(ReceivedRequest request);

  Task<void> accept_loop(std::shared_ptr<PodState> pod, std::shared_ptr<Acceptor> acceptor, PodPort port);
  Task<void> connection(std::shared_ptr<PodState> pod, Socket socket, PodPort port);
  template <class DownStream>
  Task<void> http_loop(DownStream& stream, std::shared_ptr<PodState> pod, PodPort port, std::string peer,
                            std::string sni, bool tls);

  PodServerOptions options_;
  asio::io_context ctx_{1};
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> guard_;
  std::thread thread_;
  std::shared_ptr<ssl::context> tls_;
  lb::Random random_;  // ?codes= draws
  std::map<std::string, std::shared_ptr<PodState>> pods_;  // loop only

  mutable std::mutex mu_;
  std::vector<ServedPort> served_;
  std::map<std::string, ReceivedRequest> log_;
  std::deque<std::string> log_order_;
  bool stopped_ = false;
};

PodServerCore::PodServerCore(PodServerOptions options) : options_(std::move(options)), random_(options_.seed) {
  if (!options_.addresses) options_.addresses = std::make_shared<AddressMap>();
  if (!(options_.time_scale > 0)) options_.time_scale = 1.0;
  // One certificate for every TLS port, made at start as the echo app's TLS ports use one.
  CertificateRequest request;
  request.common_name = "echo.gwsim.local";
  request.dns_names = {"*.svc.cluster.local", "*.gwsim.local", "localhost"};
  if (auto ctx = make_generated_server_context(request); ctx.ok()) tls_ = ctx.value();
  guard_.emplace(asio::make_work_guard(ctx_));
  thread_ = std::thread([this] {
    for (int i = 0; i < 1000; ++i) {
      try {
        ctx_.run();
      } catch (...) {
        // A handler threw (allocation failure): keep serving.
      }
      if (ctx_.stopped()) return;
    }
  });
}

void PodServerCore::stop() {
  {
    std::lock_guard lock(mu_);
    if (stopped_) return;
    stopped_ = true;
  }
  std::promise<void> closed;
  asio::post(ctx_, [this, &closed] {
    for (auto& [key, pod] : pods_) {
      pod->removed = true;
      for (auto& [n, port] : pod->ports) {
        error_code ec;
        if (port.acceptor) port.acceptor->close(ec);
      }
      close_connections(*pod);
    }
    pods_.clear();
    closed.set_value();
  });
  closed.get_future().wait();
  guard_.reset();
  ctx_.stop();
  if (thread_.joinable()) thread_.join();
}

void PodServerCore::update(std::vector<PodSpec> pods) {
  {
    std::lock_guard lock(mu_);
    if (stopped_) return;
  }
  std::promise<void> done;
  asio::post(ctx_, [this, &done, pods = std::move(pods)]() mutable {
    apply(std::move(pods));
    done.set_value();
  });
  done.get_future().wait();
}

void PodServerCore::close_connections(PodState& pod) {
  auto connections = pod.connections;  // closing may not erase synchronously, but be safe
  for (Socket* s : connections) {
    error_code ec;
    s->shutdown(tcp::socket::shutdown_both, ec);
    s->close(ec);
  }
}

// The declared port (or the one we had), else a free port of the pod's IP: another gwsim on
// this machine gives its pods the same IPs, and a taken port is never shared (listen.h), so
// each instance's proxy reaches its own pods through its AddressMap.
void PodServerCore::open_port(const std::shared_ptr<PodState>& pod, PortState& port) {
  error_code ec;
  auto address = asio::ip::make_address(pod->spec.ip, ec);
  if (ec) return;
  const std::uint32_t wanted = port.actual ? port.actual : port.declared.port;
  const PortCandidate candidates[] = {{wanted, true}, {0, false}};
  port.acceptor = bind_port(ctx_, address, candidates, ec);
  if (port.acceptor) port.actual = port.acceptor->local_endpoint(ec).port();
}

void PodServerCore::start_listening(const std::shared_ptr<PodState>& pod, PortState& port) {
  if (port.listening) return;
  if (!port.acceptor) open_port(pod, port);
  if (!port.acceptor) return;
  error_code ec;
  listen_or_move(ctx_, port.acceptor, ec);  // moves when someone else listens there now
  if (ec || !port.acceptor) {
    port.acceptor.reset();
    port.actual = 0;
    return;
  }
  port.actual = port.acceptor->local_endpoint(ec).port();
  port.listening = true;
  asio::co_spawn(ctx_, accept_loop(pod, port.acceptor, port.declared), asio::detached);
}

// Refusing: the port stays bound (reserved) but does not listen, so connects get a reset.
void PodServerCore::stop_listening(PortState& port) {
  if (!port.listening) return;
  error_code ec;
  port.acceptor->close(ec);
  port.acceptor.reset();
  port.listening = false;
}

void PodServerCore::apply(std::vector<PodSpec> pods) {
  std::map<std::string, PodSpec> desired;
  for (auto& p : pods) desired[pod_key(p.namespace_, p.name)] = std::move(p);

  for (auto it = pods_.begin(); it != pods_.end();) {
    auto want = desired.find(it->first);
    if (want != desired.end() && want->second.ip == it->second->spec.ip) {
      ++it;
      continue;
    }
    PodState& gone = *it->second;
    gone.removed = true;
    for (auto& [n, port] : gone.ports) {
      error_code ec;
      if (port.acceptor) port.acceptor->close(ec);
    }
    close_connections(gone);
    it = pods_.erase(it);
  }

  for (auto& [key, spec] : desired) {
    auto& slot = pods_[key];
    if (!slot) slot = std::make_shared<PodState>();
    std::shared_ptr<PodState> pod = slot;
    const bool was_refusing = pod->spec.behaviour.refuse;
    const bool is_new = pod->spec.name.empty();
    pod->spec = std::move(spec);
    pod->echo = echo_pod(pod->spec.namespace_, pod->spec.name, pod->spec.labels, 0);

    std::set<std::uint32_t> wanted;
    for (const auto& declared : pod->spec.ports) {
      wanted.insert(declared.port);
      PortState& port = pod->ports[declared.port];
      if (port.declared.port && port.declared.tls != declared.tls) {
        stop_listening(port);  // TLS-ness changed: new connections speak the new protocol
      }
      port.declared = declared;
      if (pod->spec.behaviour.refuse) {
        stop_listening(port);
        if (!port.acceptor) open_port(pod, port);  // keep the port reserved
      } else {
        if (port.acceptor && !port.listening) {
          // A reserved port from a refusing period: listen on it again.
          error_code ec;
          port.acceptor->close(ec);
          port.acceptor.reset();
        }
        start_listening(pod, port);
      }
    }
    for (auto it = pod->ports.begin(); it != pod->ports.end();) {
      if (wanted.count(it->first)) {
        ++it;
        continue;
      }
      error_code ec;
      if (it->second.acceptor) it->second.acceptor->close(ec);
      it = pod->ports.erase(it);
    }
    if (pod->spec.behaviour.refuse && (!was_refusing || is_new)) close_connections(*pod);
  }
  publish();
}

void PodServerCore::publish() {
  AddressMap::Map map;
  std::vector<ServedPort> served;
  for (const auto& [key, pod] : pods_) {
    for (const auto& [n, port] : pod->ports) {
      ServedPort s;
      s.pod = key;
      s.ip = pod->spec.ip;
      s.declared = port.declared;
      s.actual_port = port.acceptor ? port.actual : 0;
      s.listening = port.listening;
      served.push_back(s);
      if (s.actual_port) map[SocketAddress{pod->spec.ip, port.declared.port}] = SocketAddress{pod->spec.ip, s.actual_port};
    }
  }
  options_.addresses->publish(std::move(map));
  std::lock_guard lock(mu_);
  served_ = std::move(served);
}

void PodServerCore::record(ReceivedRequest request) {
  std::lock_guard lock(mu_);
  std::string peer = request.peer;
  auto [it, inserted] = log_.insert_or_assign(peer, std::move(request));
  if (inserted) log_order_.push_back(peer);
  while (log_order_.size() > std::max<std::size_t>(1, options_.log_capacity)) {
    log_.erase(log_order_.front());
    log_order_.pop_front();
  }
}

Task<void> PodServerCore::accept_loop(std::shared_ptr<PodState> pod, std::shared_ptr<Acceptor> acceptor,
                                           PodPort port) {
  while (acceptor->is_open() && !pod->removed) {  // ends when the acceptor closes
    Socket socket(ctx_);
    error_code ec;
    co_await acceptor->async_accept(socket, asio::redirect_error(kAwait, ec));
    if (ec == asio::error::operation_aborted || !acceptor->is_open()) co_return;
    if (ec) {
      Timer pause(ctx_, std::chrono::milliseconds(10));
      co_await pause.async_wait(asio::redirect_error(kAwait, ec));
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    asio::co_spawn(ctx_, connection(pod, std::move(socket), port), asio::detached);
  }
}

Task<void> PodServerCore::connection(std::shared_ptr<PodState> pod, Socket socket, PodPort port) {
  error_code ec;
  auto remote = socket.remote_endpoint(ec);
  if (ec) co_return;
  std::string peer = remote.address().to_string() + ":" + std::to_string(remote.port());
  Stream stream(std::move(socket));
  Socket* raw = &stream.socket();
  pod->connections.insert(raw);
  struct Unregister {
    PodState& pod;
    Socket* s;
    ~Unregister() { pod.connections.erase(s); }
  } unregister{*pod, raw};

  if (!port.tls) {
    co_await http_loop(stream, pod, port, std::move(peer), "", false);
    co_return;
  }
  if (!tls_) co_return;
  beast::ssl_stream<Stream> secure(std::move(stream), *tls_);
  // The stream moved: track the socket inside the TLS stream instead.
  pod->connections.erase(raw);
  raw = &beast::get_lowest_layer(secure).socket();
  pod->connections.insert(raw);
  unregister.s = raw;
  beast::get_lowest_layer(secure).expires_after(kHandshakeTimeout);
  co_await secure.async_handshake(ssl::stream_base::server, asio::redirect_error(kAwait, ec));
  beast::get_lowest_layer(secure).expires_never();
  if (ec) co_return;
  const char* name = SSL_get_servername(secure.native_handle(), TLSEXT_NAMETYPE_host_name);
  co_await http_loop(secure, pod, port, std::move(peer), name ? name : "", true);
}

template <class DownStream>
Task<void> PodServerCore::http_loop(DownStream& stream, std::shared_ptr<PodState> pod, PodPort port,
                                         std::string peer, std::string sni, bool tls) {
  beast::flat_buffer buffer;
  for (std::uint64_t served = 0; served < kMaxRequestsPerConnection && !pod->removed; ++served) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(kMaxHeaderBytes);
    parser.body_limit(kMaxBodyBytes);
    error_code ec;
    co_await http::async_read(stream, buffer, parser, asio::redirect_error(kAwait, ec));
    if (ec) break;
    http::request<http::string_body>& req = parser.get();
    const std::string target(req.target());

    EchoRequest echo;
    echo.method = std::string(req.method_string());
    echo.authority = std::string(req[http::field::host]);
    echo.path = target;
    echo.proto = req.version() == 10 ? "HTTP/1.0" : "HTTP/1.1";
    echo.client_ip = peer;
    echo.sni = sni;
    ReceivedRequest seen;
    seen.pod = pod_key(pod->spec.namespace_, pod->spec.name);
    seen.port = port.port;
    seen.peer = peer;
    seen.method = echo.method;
    seen.authority = echo.authority;
    seen.path = target;
    seen.tls = tls;
    seen.sni = sni;
    seen.protocol = echo.proto;
    for (const auto& field : req) {
      echo.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
      if (field.name() == http::field::host) continue;
      seen.headers.emplace_back(text::to_lower(field.name_string()), std::string(field.value()));
    }

    // What the pod answers: the one model both modes share (pod_answer.h).
    PodAnswer answer = pod_answer(pod->echo_for(port.port), pod->spec.behaviour, echo, random_);
    seen.status = answer.status;
    record(std::move(seen));
    http::response<http::string_body> res;
    res.version(req.version());
    res.result(static_cast<unsigned>(answer.status));
    for (const auto& [k, v] : answer.headers) res.insert(k, v);
    res.body() = std::move(answer.body);
    res.content_length(res.body().size());
    res.keep_alive(req.keep_alive());
    const std::int64_t delay_ms = answer.delay_ms;

    if (delay_ms > 0) {
      const double scaled = static_cast<double>(delay_ms) * options_.time_scale;
      Timer pause(ctx_, std::chrono::milliseconds(static_cast<std::int64_t>(scaled)));
      co_await pause.async_wait(asio::redirect_error(kAwait, ec));
      if (pod->removed) break;
    }
    if (!answer.connected) break;  // the app failed mid-request: closed unanswered
    co_await http::async_write(stream, res, asio::redirect_error(kAwait, ec));
    if (ec || !res.keep_alive()) break;
  }
  error_code ignored;
  beast::get_lowest_layer(stream).socket().shutdown(tcp::socket::shutdown_send, ignored);
}

}  // namespace detail

PodServer::PodServer(PodServerOptions options) : core_(std::make_unique<detail::PodServerCore>(std::move(options))) {}
PodServer::~PodServer() = default;
void PodServer::update(std::vector<PodSpec> pods) { core_->update(std::move(pods)); }
std::shared_ptr<datapath::AddressMap> PodServer::addresses() const { return core_->addresses(); }
std::vector<ServedPort> PodServer::served() const { return core_->served(); }
std::optional<ReceivedRequest> PodServer::received_from(const std::string& peer) const {
  return core_->received_from(peer);
}
std::vector<ReceivedRequest> PodServer::received() const { return core_->received(); }
void PodServer::stop() { core_->stop(); }

bool is_tls_service_port(const model::ServicePort& port) {
  auto is = [](std::string_view given) {
    const std::string name = text::to_lower(given);
    return name == "https" || name == "tls" || name.rfind("https-", 0) == 0 || name.rfind("tls-", 0) == 0;
  };
  if (port.app_protocol) return is(*port.app_protocol);
  return is(port.name);
}

std::vector<PodSpec> pod_specs(const model::ConfigSnapshot& snap, const std::set<std::string>& skip) {
  std::map<std::string, std::map<std::string, bool>> tls_by_port_name;  // Service "ns/name" -> port name -> tls
  for (const auto& s : snap.services)
    for (const auto& p : s.ports) tls_by_port_name[detail::pod_key(s.meta.namespace_, s.meta.name)][p.name] =
        is_tls_service_port(p);
  std::map<std::string, std::map<std::uint32_t, bool>> ports;  // pod -> port -> tls
  for (const auto& ep : snap.endpoints) {
    const auto& names = tls_by_port_name[detail::pod_key(ep.meta.namespace_, ep.meta.name)];
    for (const auto& subset : ep.subsets) {
      for (const auto& address : subset.addresses) {
        if (address.pod_name.empty()) continue;
        const std::string key =
            detail::pod_key(address.pod_namespace.empty() ? ep.meta.namespace_ : address.pod_namespace, address.pod_name);
        for (const auto& p : subset.ports) {
          if (p.port <= 0) continue;
          auto tls = names.find(p.name);
          ports[key][static_cast<std::uint32_t>(p.port)] |= tls != names.end() && tls->second;
        }
      }
    }
  }
  std::vector<PodSpec> out;
  for (const auto& pod : snap.pods) {
    if (pod.ip.empty()) continue;
    const std::string key = detail::pod_key(pod.meta.namespace_, pod.meta.name);
    if (skip.count(key)) continue;
    auto& mine = ports[key];
    for (const auto& cp : pod.ports)
      if (cp.container_port > 0 && cp.protocol == "TCP") mine.emplace(static_cast<std::uint32_t>(cp.container_port), false);
    PodSpec spec;
    spec.namespace_ = pod.meta.namespace_;
    spec.name = pod.meta.name;
    spec.ip = pod.ip;
    spec.labels = pod.meta.labels;
    for (const auto& [port, tls] : mine) spec.ports.push_back(PodPort{port, tls});
    out.push_back(std::move(spec));
  }
  return out;
}

}  // namespace gwsim::fakes
