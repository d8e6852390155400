// A TCP proxy connection of the proxy: router::exchange() decides (a TCP chain's cluster and
// endpoint, or the close of a connection the gateway cannot take); its one upstream call
// connects for real, and the bytes then flow both ways untouched. Plays the part of Envoy's
// source/common/tcp_proxy/tcp_proxy.cc on sockets.
#include <array>
#include <functional>
#include <optional>
#include <tuple>

#include "engine/datapath/detail_proxy_core.h"

namespace gwsim::datapath::detail {

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
void ProxyCore::tcp_proxy(Fiber& fiber, DownStream& down, const TablePtr& table, const gwsim::http::Request& request,
                          const match::RoutingResult& connection, const ConnInfo& info, Loop& loop) {
  const auto start = Clock::now();
  Socket up(loop.ctx);
  bool connected = false;
  std::string local, remote;
  router::Exchange ex = router::exchange(
      *table, request, connection, loop.rng, loop.lb,
      [&](const route::Endpoint& e, const gwsim::http::UpstreamRequest& sent, const router::AttemptContext&) {
        gwsim::http::UpstreamResponse r;
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

template void ProxyCore::tcp_proxy<Socket>(Fiber&, Socket&, const TablePtr&, const gwsim::http::Request&,
                                           const match::RoutingResult&, const ConnInfo&, Loop&);
template void ProxyCore::tcp_proxy<ssl::stream<Socket&>>(Fiber&, ssl::stream<Socket&>&, const TablePtr&,
                                                         const gwsim::http::Request&, const match::RoutingResult&,
                                                         const ConnInfo&, Loop&);

}  // namespace gwsim::datapath::detail
