// Listening sockets of gwsim, in one place: the gateway proxy's Service ports
// (engine/datapath/listeners.cc), the fake pods' ports (fakes/pods/pod_server.cc) and the fake
// API server (fakes/apiserver/routing.cc) all bind loopback addresses through here, so they
// all follow the project's rule: servers bind loopback only and a port already taken is never
// shared. Plays the part of Envoy's ListenSocketFactory (source/server/listener_impl.cc), which
// binds a listener's address without SO_REUSEPORT unless asked.
//
// A taken port is never shared:
//   - SO_REUSEPORT is never set (with it two processes listen on one port and the kernel
//     splits the connections between them);
//   - SO_REUSEADDR is set only to pass our own connections' TIME_WAIT, and is off while a
//     port is bound but not listening (a reserved port, e.g. a refusing pod's): Linux lets
//     two SO_REUSEADDR sockets share a port while neither listens.
// What happens then is the caller's policy: the proxy and the pods move to a free port (their
// AddressMap / PortBinding says where), the API server refuses to start.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "engine/datapath/asio.h"

namespace gwsim::datapath {

// Whether `ip` is a loopback address: IPv4 127.0.0.0/8 or IPv6 ::1 (text, no port, no brackets).
bool is_loopback(std::string_view ip);
bool is_loopback(const asio::ip::address& ip);
// IPv4 127.0.0.0/8 only: where an address is printed as ADDR:PORT, or reached from an IPv4
// socket (gwsim serve's --listen and --api, the fake pod network, a scenario's sourceIP).
bool is_ipv4_loopback(std::string_view ip);

struct PortCandidate {
  std::uint32_t port = 0;    // 0: a free port the kernel picks
  bool ours_before = false;  // we listened on it: our closed connections may be in TIME_WAIT
};

// An acceptor bound (not listening) on the first candidate port of `ip` that no other socket
// holds, ours alone until it listens. Null, with the last bind's error in `ec`, when none.
std::shared_ptr<Acceptor> bind_port(asio::io_context& ctx, const asio::ip::address& ip,
                                    std::span<const PortCandidate> candidates, error_code& ec);

// Starts listening on an acceptor from bind_port. When another socket listens on its port by
// now, moves it to a free port of the same address and listens there (the caller reads
// local_endpoint() for the port). `acceptor` is null afterwards when that failed too.
void listen_or_move(asio::io_context& ctx, std::shared_ptr<Acceptor>& acceptor, error_code& ec);

// For listening sockets another library opens (cpp-httplib sets SO_REUSEPORT by default): the
// same options bind_port's listening sockets get: SO_REUSEADDR on, SO_REUSEPORT off.
void set_listen_socket_options(int fd);

// Whether a bind failed because the address is in use.
bool is_port_taken(const error_code& ec);

// Why `ip:port` cannot be listened on, probed as a server setting SO_REUSEADDR binds: "the
// port is already in use by another process", or the system's reason. Empty when it can be.
std::string why_not_bindable(const std::string& ip, std::uint32_t port);

}  // namespace gwsim::datapath
