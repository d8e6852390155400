#include "engine/datapath/detail_upstream_pool.h"

#include <netinet/in.h>
#include <sys/socket.h>

#include <tuple>

#include "engine/datapath/detail_http_codec.h"
#include "engine/datapath/listen.h"

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

namespace gwsim::datapath::detail {

std::string endpoint_text(const tcp::endpoint& e) { return e.address().to_string() + ":" + std::to_string(e.port()); }

void open_from(Socket& socket, const asio::ip::address& to, const std::string& source_ip, error_code& ec) {
  socket.open(to.is_v6() ? tcp::v6() : tcp::v4(), ec);
  if (ec || !to.is_v4() || source_ip.empty()) return;
  error_code bind_ec;
  auto source = asio::ip::make_address(source_ip, bind_ec);
  if (bind_ec || !source.is_v4() || !is_loopback(source)) return;
  int one = 1;
  ::setsockopt(socket.native_handle(), IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
  socket.bind(tcp::endpoint(source, 0), bind_ec);
}

CallResult call_upstream(Fiber& fiber, asio::io_context& ctx, Pool& pool, const SocketAddress& to,
                         const std::string& source_ip, const std::string& request, Clock::time_point deadline,
                         bool head) {
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
    std::unique_ptr<UpstreamConn> conn = round == 0 ? pool.take(key) : nullptr;
    const bool reused = conn != nullptr;
    if (!conn) {
      conn = std::make_unique<UpstreamConn>(ctx.get_executor());
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
    out.response = gwsim::http::UpstreamResponse{};
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
    if (parser.keep_alive()) pool.give(key, std::move(conn));
    return out;
  }
  out.kind = CallResult::Kind::kReset;
  return out;
}

}  // namespace gwsim::datapath::detail
