// Service ports: each is bound for the proxy's life and listens while the table has a listener
// for its targetPort (a bound, non-listening port refuses connections, as the real gateway's
// missing listener does). Plays the part of Envoy's listener manager and TLS inspector. The
// sockets themselves are engine/datapath/listen.h's: a taken port is never shared, the proxy
// moves to another one.
#include <future>

#include "engine/datapath/detail_proxy_core.h"
#include "engine/datapath/listen.h"

namespace gwsim::datapath::detail {

// A local port for a Service port, kept for the proxy's life: bound but not listening while
// the table has no listener for it, so connections are refused, as by the real gateway.
// Preferred (`gwsim serve`): the Service port itself, then targetPort + 10000, then any.
void ProxyCore::reserve(Port& port, bool prefer) {
  std::vector<PortCandidate> candidates;
  if (port.local_port) candidates.push_back({port.local_port, true});
  if (prefer) {
    candidates.push_back({port.service_port, false});
    if (port.listen_port + 10000 < 65536) candidates.push_back({port.listen_port + 10000, false});
  }
  candidates.push_back({0, false});
  error_code ec;
  auto address = asio::ip::make_address(options_.listen_address, ec);
  if (!ec) {
    if (auto acceptor = bind_port(loops_[0]->ctx, address, candidates, ec)) {
      port.acceptor = std::move(acceptor);
      port.local_port = port.acceptor->local_endpoint(ec).port();
      return;
    }
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
        listen_or_move(loops_[0]->ctx, p.acceptor, ec);  // moves when someone else listens there now
        if (!ec && p.acceptor) {
          error_code ignored;
          p.local_port = p.acceptor->local_endpoint(ignored).port();
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

}  // namespace gwsim::datapath::detail
