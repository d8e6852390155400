// Fake pods (fakes/pods/pod_server.h) on real sockets (127.0.0.0/8): echo bodies, the echo app's
// controls, behaviours, TLS ports and the fallback port. Here, not in fakes_tests, because the
// client is the runtime's (runtime/http_client.h); which Service ports speak TLS is tested with
// the fakes (tests/fakes/pods/pod_server_test.cc).
#include "fakes/pods/pod_server.h"

#include <gtest/gtest.h>

#include "engine/datapath/tls.h"
#include "runtime/http_client.h"

namespace gwsim::fakes {
namespace {

using runtime::ClientRequest;
using runtime::ClientResponse;

PodSpec pod(const std::string& name, const std::string& ip, std::vector<PodPort> ports) {
  PodSpec p;
  p.namespace_ = "default";
  p.name = name;
  p.ip = ip;
  p.labels = {{"app", "echo"}, {"version", "v1"}};
  p.ports = std::move(ports);
  return p;
}

std::string address_of(PodServer& server, const std::string& ip, std::uint32_t port) {
  auto actual = server.addresses()->resolve(ip, port);
  return actual ? actual->to_string() : std::string();
}

ClientResponse get(const std::string& address, const std::string& path = "/", std::string host = "echo.local") {
  ClientRequest r;
  r.address = address;
  r.host = std::move(host);
  r.path = path;
  r.headers = {{"x-test", "1"}};
  return runtime::send_request(r);
}

// Pod IPs far from the controllers' 127.1.x.x, so parallel tests rarely meet.
constexpr const char* kIp = "127.77.0.1";

TEST(PodServer, AnswersWithTheEchoBody) {
  PodServer server;
  server.update({pod("echo-1", kIp, {{8080, false}})});
  ClientResponse got = get(address_of(server, kIp, 8080), "/ping?x=1");
  ASSERT_EQ(got.kind, ClientResponse::Kind::kResponse) << got.error;
  EXPECT_EQ(got.status, 200);
  EXPECT_NE(got.body.find("ServiceVersion=v1\nServicePort=8080\nHost=echo.local\nURL=/ping?x=1\n"), std::string::npos)
      << got.body;
  EXPECT_NE(got.body.find("RequestHeader=X-Test:1\n"), std::string::npos);
  EXPECT_NE(got.body.find("IP=127.0.0.1\n"), std::string::npos);
  EXPECT_NE(got.body.find("Hostname=echo-1\n"), std::string::npos);
  ASSERT_NE(got.header("content-type"), nullptr);
  EXPECT_EQ(*got.header("content-type"), "application/text");  // as the echo app sets it
}

TEST(PodServer, KeepsWhatEachPodReceivedByPeer) {
  PodServer server;
  server.update({pod("echo-1", kIp, {{8080, false}})});
  ClientResponse got = get(address_of(server, kIp, 8080), "/seen");
  ASSERT_EQ(got.kind, ClientResponse::Kind::kResponse) << got.error;
  auto seen = server.received_from(got.local);
  ASSERT_TRUE(seen.has_value());
  EXPECT_EQ(seen->pod, "default/echo-1");
  EXPECT_EQ(seen->port, 8080u);
  EXPECT_EQ(seen->path, "/seen");
  EXPECT_EQ(seen->authority, "echo.local");
  EXPECT_EQ(seen->status, 200);
  ASSERT_EQ(seen->headers.size(), 1u);
  EXPECT_EQ(seen->headers[0], (std::pair<std::string, std::string>{"x-test", "1"}));
}

TEST(PodServer, EchoControlsCodesHeadersDelay) {
  PodServerOptions options;
  options.time_scale = 0.01;  // ?delay=1s waits 10 ms
  PodServer server(options);
  server.update({pod("echo-1", kIp, {{8080, false}})});
  const std::string address = address_of(server, kIp, 8080);
  EXPECT_EQ(get(address, "/?codes=503:1").status, 503);
  ClientResponse with_headers = get(address, "/?headers=X-A:1,X-B:two");
  ASSERT_NE(with_headers.header("x-a"), nullptr);
  EXPECT_EQ(*with_headers.header("x-a"), "1");
  EXPECT_EQ(*with_headers.header("x-b"), "two");
  EXPECT_EQ(get(address, "/?delay=1s").status, 200);
}

TEST(PodServer, BehavioursStatusRefuseAndBack) {
  PodServer server;
  PodSpec p = pod("echo-1", kIp, {{8080, false}});
  p.behaviour.status = 503;
  server.update({p});
  const std::string address = address_of(server, kIp, 8080);
  EXPECT_EQ(get(address).status, 503);

  p.behaviour = {};
  p.behaviour.refuse = true;
  server.update({p});
  EXPECT_EQ(address_of(server, kIp, 8080), address) << "the port stays reserved while refusing";
  EXPECT_EQ(get(address).kind, ClientResponse::Kind::kRefused);

  p.behaviour = {};
  server.update({p});
  EXPECT_EQ(get(address).status, 200);
}

TEST(PodServer, RemovedPodsStopServing) {
  PodServer server;
  server.update({pod("echo-1", kIp, {{8080, false}})});
  const std::string address = address_of(server, kIp, 8080);
  server.update({});
  EXPECT_FALSE(server.addresses()->resolve(kIp, 8080).has_value());
  EXPECT_NE(get(address).kind, ClientResponse::Kind::kResponse);
}

TEST(PodServer, TakenPortFallsBackToAFreeOne) {
  // Someone else listens on the declared address.
  datapath::asio::io_context io;
  datapath::tcp::acceptor squatter(io);
  datapath::error_code ec;
  squatter.open(datapath::tcp::v4(), ec);
  squatter.bind({datapath::asio::ip::make_address("127.77.0.2"), 0}, ec);
  ASSERT_FALSE(ec) << ec.message();
  squatter.listen(8, ec);
  const std::uint32_t taken = squatter.local_endpoint().port();

  PodServer server;
  server.update({pod("echo-1", "127.77.0.2", {{taken, false}})});
  auto actual = server.addresses()->resolve("127.77.0.2", taken);
  ASSERT_TRUE(actual.has_value());
  EXPECT_NE(actual->port, taken);
  ClientResponse got = get(actual->to_string());
  EXPECT_NE(got.body.find("ServicePort=" + std::to_string(taken) + "\n"), std::string::npos) << got.body;
}

TEST(PodServer, TlsPortsServeTlsAndReportSni) {
  PodServer server;
  server.update({pod("echo-1", kIp, {{8443, true}})});
  auto ctx = datapath::make_client_context();
  ASSERT_TRUE(ctx.ok());
  ClientRequest r;
  r.address = address_of(server, kIp, 8443);
  r.tls = true;
  r.sni = "secure.example.com";
  r.tls_context = ctx.value();
  r.host = "secure.example.com";
  ClientResponse got = runtime::send_request(r);
  ASSERT_EQ(got.kind, ClientResponse::Kind::kResponse) << got.error;
  EXPECT_NE(got.body.find("Sni=secure.example.com\n"), std::string::npos) << got.body;
  auto seen = server.received_from(got.local);
  ASSERT_TRUE(seen.has_value());
  EXPECT_TRUE(seen->tls);
}

}  // namespace
}  // namespace gwsim::fakes
