#include "engine/datapath/listen.h"

#include <sys/socket.h>

#include <cerrno>

namespace gwsim::datapath {

bool is_loopback(std::string_view ip) {
  error_code ec;
  const auto address = asio::ip::make_address(std::string(ip), ec);
  return !ec && is_loopback(address);
}

bool is_ipv4_loopback(std::string_view ip) {
  error_code ec;
  const auto address = asio::ip::make_address(std::string(ip), ec);
  return !ec && address.is_v4() && is_loopback(address);
}

bool is_loopback(const asio::ip::address& ip) {
  if (ip.is_v4()) return ip.to_v4().is_loopback();  // 127.0.0.0/8
  return ip.to_v6().is_loopback();                  // ::1
}

std::shared_ptr<Acceptor> bind_port(asio::io_context& ctx, const asio::ip::address& ip,
                                    std::span<const PortCandidate> candidates, error_code& ec) {
  ec = asio::error::invalid_argument;
  for (const PortCandidate& candidate : candidates) {
    // Without SO_REUSEADDR first: it fails on any socket holding the port. With it only for a
    // port of ours, to pass our own connections in TIME_WAIT.
    for (const bool reuse : {false, true}) {
      if (reuse && !(candidate.ours_before && candidate.port != 0)) break;
      auto acceptor = std::make_shared<Acceptor>(ctx);
      acceptor->open(ip.is_v6() ? tcp::v6() : tcp::v4(), ec);
      if (ec) return nullptr;
      if (reuse) acceptor->set_option(asio::socket_base::reuse_address(true), ec);
      acceptor->bind(tcp::endpoint(ip, static_cast<unsigned short>(candidate.port)), ec);
      if (ec) continue;
      // Off again while bound and not listening: another SO_REUSEADDR socket could share it.
      error_code ignored;
      acceptor->set_option(asio::socket_base::reuse_address(false), ignored);
      return acceptor;
    }
  }
  return nullptr;
}

void listen_or_move(asio::io_context& ctx, std::shared_ptr<Acceptor>& acceptor, error_code& ec) {
  if (!acceptor) {
    ec = asio::error::bad_descriptor;
    return;
  }
  // SO_REUSEADDR on for listen: it re-checks the port, and our TIME_WAIT would fail it; a
  // listening socket is never shared anyway. Accepted connections inherit it, so the port
  // can be bound again while they linger (bind_port's ours_before).
  error_code ignored;
  acceptor->set_option(asio::socket_base::reuse_address(true), ignored);
  acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (!ec) return;
  // Someone else listens on that port now: a free port of the same address instead.
  const auto address = acceptor->local_endpoint(ignored).address();
  acceptor->close(ignored);
  const PortCandidate any[] = {{0, false}};
  acceptor = bind_port(ctx, address, any, ec);
  if (!acceptor) return;
  acceptor->set_option(asio::socket_base::reuse_address(true), ignored);
  acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) acceptor.reset();
}

void set_listen_socket_options(int fd) {
  int yes = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  int no = 0;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &no, sizeof no);
}

bool is_port_taken(const error_code& ec) { return ec == asio::error::address_in_use; }

std::string why_not_bindable(const std::string& ip, std::uint32_t port) {
  error_code ec;
  const auto address = asio::ip::make_address(ip, ec);
  if (ec) return ip + ": not an IP address";
  asio::io_context ctx(1);
  const PortCandidate wanted[] = {{port, true}};  // as a server that sets SO_REUSEADDR binds
  auto acceptor = bind_port(ctx, address, wanted, ec);
  if (acceptor) {
    acceptor->set_option(asio::socket_base::reuse_address(true), ec);
    acceptor->listen(1, ec);
    error_code ignored;
    acceptor->close(ignored);
    if (!ec) return "";
  }
  if (is_port_taken(ec)) return "the port is already in use by another process";
  return ec.message();
}

}  // namespace gwsim::datapath
