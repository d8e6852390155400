// engine/datapath/listen.h: loopback addresses, and a taken port that is refused, never shared.
#include "engine/datapath/listen.h"

#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

namespace gwsim::datapath {
namespace {

const asio::ip::address kLoopback = asio::ip::make_address("127.0.0.1");

std::uint32_t port_of(const std::shared_ptr<Acceptor>& acceptor) {
  error_code ec;
  return acceptor->local_endpoint(ec).port();
}

// What another process does when it wants the port: bind with SO_REUSEADDR, as most servers
// (and cpp-httplib) do.
error_code bind_like_another_server(asio::io_context& ctx, std::uint32_t port) {
  Acceptor other(ctx);
  error_code ec;
  other.open(tcp::v4(), ec);
  other.set_option(asio::socket_base::reuse_address(true), ec);
  other.bind(tcp::endpoint(kLoopback, static_cast<unsigned short>(port)), ec);
  return ec;
}

TEST(IsLoopback, Ipv4LoopbackNetAndIpv6LoopbackOnly) {
  EXPECT_TRUE(is_loopback("127.0.0.1"));
  EXPECT_TRUE(is_loopback("127.1.0.7"));
  EXPECT_TRUE(is_loopback("127.255.255.254"));
  EXPECT_TRUE(is_loopback("::1"));
  EXPECT_FALSE(is_loopback("128.0.0.1"));
  EXPECT_FALSE(is_loopback("0.0.0.0"));
  EXPECT_FALSE(is_loopback("10.0.0.1"));
  EXPECT_FALSE(is_loopback("::"));
  EXPECT_FALSE(is_loopback("localhost"));
  EXPECT_FALSE(is_loopback(""));
  EXPECT_FALSE(is_loopback("127.0.0.1:80")) << "an address, not an address and port";
  EXPECT_FALSE(is_loopback("127.example.com")) << "a name that starts like one is not one";
  EXPECT_FALSE(is_loopback("127.0.0.256"));
  EXPECT_TRUE(is_loopback(asio::ip::make_address("127.3.2.1")));
  EXPECT_FALSE(is_loopback(asio::ip::make_address("192.168.1.1")));
}

TEST(IsLoopback, Ipv4OnlyVariantRefusesIpv6) {
  EXPECT_TRUE(is_ipv4_loopback("127.1.0.7"));
  EXPECT_FALSE(is_ipv4_loopback("::1"));
  EXPECT_FALSE(is_ipv4_loopback("8.8.8.8"));
}

TEST(BindPort, ASecondBindOfATakenPortIsRefused) {
  asio::io_context ctx(1);
  error_code ec;
  const PortCandidate any[] = {{0, false}};
  auto first = bind_port(ctx, kLoopback, any, ec);
  ASSERT_TRUE(first) << ec.message();
  const std::uint32_t port = port_of(first);
  ASSERT_NE(port, 0u);

  // Bound but not listening (a reserved port): ours alone, even for SO_REUSEADDR binders.
  const PortCandidate same[] = {{port, true}};
  EXPECT_FALSE(bind_port(ctx, kLoopback, same, ec));
  EXPECT_TRUE(is_port_taken(ec)) << ec.message();
  EXPECT_TRUE(is_port_taken(bind_like_another_server(ctx, port)));

  // Listening: the same.
  listen_or_move(ctx, first, ec);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(port_of(first), port);
  EXPECT_FALSE(bind_port(ctx, kLoopback, same, ec));
  EXPECT_TRUE(is_port_taken(ec));
  EXPECT_TRUE(is_port_taken(bind_like_another_server(ctx, port)));
  EXPECT_EQ(why_not_bindable("127.0.0.1", port), "the port is already in use by another process");

  first->close(ec);
  EXPECT_EQ(why_not_bindable("127.0.0.1", port), "") << "free again once closed";
}

TEST(BindPort, TakesTheFirstFreeCandidate) {
  asio::io_context ctx(1);
  error_code ec;
  const PortCandidate any[] = {{0, false}};
  auto taken = bind_port(ctx, kLoopback, any, ec);
  ASSERT_TRUE(taken);
  const PortCandidate candidates[] = {{port_of(taken), false}, {0, false}};
  auto next = bind_port(ctx, kLoopback, candidates, ec);
  ASSERT_TRUE(next) << ec.message();
  EXPECT_NE(port_of(next), port_of(taken));
  EXPECT_NE(port_of(next), 0u);
}

// A server that closes its connections first keeps them in TIME_WAIT on its port. Binding it
// again works only for the port's owner (ours_before), and the port is then ours alone again.
TEST(BindPort, OurOwnTimeWaitDoesNotLoseThePortAndDoesNotShareIt) {
  asio::io_context ctx(1);
  error_code ec;
  const PortCandidate any[] = {{0, false}};
  auto server = bind_port(ctx, kLoopback, any, ec);
  ASSERT_TRUE(server);
  listen_or_move(ctx, server, ec);
  ASSERT_FALSE(ec);
  const std::uint32_t port = port_of(server);
  Socket client(ctx);
  client.connect(tcp::endpoint(kLoopback, static_cast<unsigned short>(port)), ec);
  ASSERT_FALSE(ec) << ec.message();
  Socket accepted(ctx);
  server->accept(accepted, ec);
  ASSERT_FALSE(ec);
  accepted.close(ec);  // the server closes first: TIME_WAIT on its side
  char byte;
  client.read_some(asio::buffer(&byte, 1), ec);  // end of stream
  client.close(ec);
  server->close(ec);

  const PortCandidate fresh[] = {{port, false}};
  EXPECT_FALSE(bind_port(ctx, kLoopback, fresh, ec)) << "TIME_WAIT holds the port for strangers";
  const PortCandidate ours[] = {{port, true}};
  auto again = bind_port(ctx, kLoopback, ours, ec);
  ASSERT_TRUE(again) << ec.message();
  EXPECT_EQ(port_of(again), port);
  EXPECT_TRUE(is_port_taken(bind_like_another_server(ctx, port))) << "reserved again: not shared";
  listen_or_move(ctx, again, ec);
  EXPECT_FALSE(ec) << ec.message();
  EXPECT_EQ(port_of(again), port) << "listens on the same port despite the TIME_WAIT";
}

TEST(ListenOrMove, MovesToAFreePortWhenAnotherListensThere) {
  asio::io_context ctx(1);
  error_code ec;
  // Two SO_REUSEADDR sockets bound to one port while neither listens: what bind_port never
  // leaves behind, but another program can.
  auto ours = std::make_shared<Acceptor>(ctx);
  ours->open(tcp::v4());
  ours->set_option(asio::socket_base::reuse_address(true));
  ours->bind(tcp::endpoint(kLoopback, 0));
  const std::uint32_t port = port_of(ours);
  Acceptor theirs(ctx);
  theirs.open(tcp::v4());
  theirs.set_option(asio::socket_base::reuse_address(true));
  theirs.bind(tcp::endpoint(kLoopback, static_cast<unsigned short>(port)));
  theirs.listen();

  listen_or_move(ctx, ours, ec);
  ASSERT_FALSE(ec) << ec.message();
  ASSERT_TRUE(ours);
  EXPECT_NE(port_of(ours), port);
  Socket client(ctx);
  client.connect(tcp::endpoint(kLoopback, static_cast<unsigned short>(port_of(ours))), ec);
  EXPECT_FALSE(ec) << "listening on the new port";
}

TEST(SetListenSocketOptions, ReuseAddressButNeverReusePort) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  int reuse_port = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &reuse_port, sizeof reuse_port);  // as a library may
  set_listen_socket_options(fd);
  int value = -1;
  socklen_t size = sizeof value;
  ASSERT_EQ(::getsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &value, &size), 0);
  EXPECT_NE(value, 0);
  value = -1;
  ASSERT_EQ(::getsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &value, &size), 0);
  EXPECT_EQ(value, 0);
  ::close(fd);
}

}  // namespace
}  // namespace gwsim::datapath
