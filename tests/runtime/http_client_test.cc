// The blocking test client: answers, refusals, closes, and the address it came from.
#include "runtime/http_client.h"

#include <gtest/gtest.h>

#include <thread>

namespace gwsim::runtime {
namespace {

namespace asio = datapath::asio;
using datapath::error_code;
using datapath::tcp;

// Accepts one connection, reads one request head and answers `reply` (or closes when empty).
class OneShotServer {
 public:
  explicit OneShotServer(std::string reply) : acceptor_(io_, {asio::ip::make_address("127.0.0.1"), 0}) {
    thread_ = std::thread([this, reply = std::move(reply)] {
      tcp::socket s(io_);
      error_code ec;
      acceptor_.accept(s, ec);
      if (ec) return;
      peer_ = s.remote_endpoint(ec).address().to_string() + ":" + std::to_string(s.remote_endpoint(ec).port());
      asio::streambuf head;
      asio::read_until(s, head, "\r\n\r\n", ec);
      request_.assign(asio::buffers_begin(head.data()), asio::buffers_end(head.data()));
      if (!reply.empty()) asio::write(s, asio::buffer(reply), ec);
      s.close(ec);
    });
  }
  ~OneShotServer() { wait(); }
  std::string address() const { return "127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()); }
  // After the exchange: wait for the server thread before reading what it saw.
  const std::string& request() {
    wait();
    return request_;
  }
  const std::string& peer() {
    wait();
    return peer_;
  }
  void wait() {
    if (thread_.joinable()) thread_.join();
  }

 private:
  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::thread thread_;
  std::string request_, peer_;
};

TEST(Client, SendsTheRequestAndReadsTheAnswer) {
  std::string peer, request;
  ClientResponse got;
  {
    OneShotServer server("HTTP/1.1 201 Created\r\nX-Answer: yes\r\nContent-Length: 2\r\n\r\nok");
    ClientRequest r;
    r.address = server.address();
    r.host = "a.example.com";
    r.path = "/p?q=1";
    r.headers = {{"X-One", "1"}};
    got = send_request(r);
    peer = server.peer();
    request = server.request();
  }
  ASSERT_EQ(got.kind, ClientResponse::Kind::kResponse) << got.error;
  EXPECT_EQ(got.status, 201);
  EXPECT_EQ(got.body, "ok");
  ASSERT_NE(got.header("X-ANSWER"), nullptr);
  EXPECT_EQ(*got.header("x-answer"), "yes");
  EXPECT_EQ(got.local, peer);
  EXPECT_EQ(request.rfind("GET /p?q=1 HTTP/1.1\r\n", 0), 0u) << request;
  EXPECT_NE(request.find("Host: a.example.com\r\n"), std::string::npos);
  EXPECT_NE(request.find("X-One: 1\r\n"), std::string::npos);
  EXPECT_EQ(request.find("User-Agent"), std::string::npos) << "only the headers asked for";
}

TEST(Client, ClosedWithoutAnswer) {
  ClientResponse got;
  {
    OneShotServer server("");
    ClientRequest r;
    r.address = server.address();
    r.host = "a";
    got = send_request(r);
  }
  EXPECT_EQ(got.kind, ClientResponse::Kind::kClosed) << got.error;
  EXPECT_EQ(got.status, 0);
}

TEST(Client, RefusedWhenNothingListens) {
  // Bound but not listening: connections are refused, and the port is ours meanwhile.
  asio::io_context io;
  tcp::acceptor bound(io);
  error_code ec;
  bound.open(tcp::v4(), ec);
  bound.bind({asio::ip::make_address("127.0.0.1"), 0}, ec);
  ASSERT_FALSE(ec);
  ClientRequest r;
  r.address = "127.0.0.1:" + std::to_string(bound.local_endpoint().port());
  EXPECT_EQ(send_request(r).kind, ClientResponse::Kind::kRefused);
}

TEST(Client, BadAddressIsAnError) {
  ClientRequest r;
  r.address = "not-an-address";
  ClientResponse got = send_request(r);
  EXPECT_EQ(got.kind, ClientResponse::Kind::kError);
  EXPECT_FALSE(got.error.empty());
}

TEST(Client, SendsFromTheAskedLoopbackAddress) {
  std::string peer;
  {
    OneShotServer server("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    ClientRequest r;
    r.address = server.address();
    r.source_ip = "127.0.0.9";
    EXPECT_EQ(send_request(r).status, 200);
    peer = server.peer();
  }
  EXPECT_EQ(peer.rfind("127.0.0.9:", 0), 0u) << peer;
}

}  // namespace
}  // namespace gwsim::runtime
