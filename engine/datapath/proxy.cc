#include "engine/datapath/proxy.h"

#include <future>
#include <tuple>

#include "engine/datapath/detail_proxy_core.h"
#include "engine/datapath/tls.h"
#include "engine/match/decide.h"
#include "engine/match/filter_chain.h"

namespace gwsim::datapath {

namespace detail {

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
    auto fallback = make_generated_server_context(request, mutual ? options_.extra_client_ca : std::string(),
                                                  chain.tls_mode == "MUTUAL");
    if (fallback.ok()) ctx = fallback.value();
  }
  std::lock_guard lock(tls_mu_);
  tls_contexts_[key] = ctx;
  return ctx;
}

void ProxyCore::log(const match::DecisionTrace& trace, const route::Endpoint* endpoint, const ConnInfo& info,
                    const gwsim::http::Request& request, int status, const std::string& upstream_local,
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
    gwsim::http::Request r;
    r.port = info.service_port;
    r.scheme = info.scheme;
    r.sni = info.sni;
    r.host = info.sni;
    r.source_ip = info.remote_ip;
    r.client_certificate = client_certificate;
    return r;
  };
  // Which chain takes the connection: the listener and filter chain stages, once per
  // connection. A client certificate is assumed so that a MUTUAL chain accepts; the handshake
  // checks it.
  match::RoutingResult connection;
  const gwsim::http::Request hello_request = connection_request(true);
  const bool accepted = match::match_connection(*table, hello_request, connection);
  const route::FilterChain* chain = connection.filter_chain;

  if (!tls) {
    if (chain && chain->tls_mode.empty() && !chain->http) {
      tcp_proxy(fiber, socket, table, connection_request(false), connection, info, loop);  // plaintext TCP
      return;
    }
    http_loop(fiber, socket, std::move(info), table, connection, loop);
    return;
  }

  const bool terminate = accepted && chain->credential && !chain->tls_mode.empty() &&
                         chain->tls_mode != "PASSTHROUGH" && chain->tls_mode != "AUTO_PASSTHROUGH";
  if (!terminate) {
    // PASSTHROUGH, or a connection Envoy closes (no chain, TLS to a plaintext server, no
    // certificate, ISTIO_MUTUAL): the pipeline decides on this connection's chain.
    tcp_proxy(fiber, socket, table, connection_request(false), connection, info, loop);
    return;
  }

  std::shared_ptr<ssl::context> ctx = context_for(*chain);
  if (!ctx) {
    match::tls_handshake_failed(connection, "no usable certificate for the server");
    log(connection.trace, nullptr, info, connection_request(false), 0, "", "", start);
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
    match::tls_handshake_failed(connection, ec.message());
    log(connection.trace, nullptr, info, connection_request(false), 0, "", "", start);
    return;
  }
  info.client_certificate = SSL_get0_peer_certificate(secure.native_handle()) != nullptr;
  if (!chain->http) {
    tcp_proxy(fiber, secure, table, connection_request(info.client_certificate), connection, info, loop);
    return;
  }
  http_loop(fiber, secure, std::move(info), table, connection, loop);
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
