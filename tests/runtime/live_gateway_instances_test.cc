// Two LiveGateways on one machine (two `gwsim serve`, or a serve and a datapath run): both
// clusters give their pods the same 127.x IPs, so the clash is at the port level. A taken pod
// port is never shared: the second instance's pods move to free ports of the same IP, found
// through its own AddressMap, and each gateway answers from its own pods, also while one
// instance's pods refuse connections (their ports stay reserved, ours alone).
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "engine/datapath/asio.h"
#include "engine/model/manifest.h"
#include "runtime/gateway_services.h"
#include "runtime/http_client.h"
#include "runtime/live_gateway.h"
#include "tests/support/manifests.h"

namespace gwsim::runtime {
namespace {

const std::string kWorld = gwsim::testing::echo_behind_gateway("*.example.com", 2) + R"(---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: a}
spec:
  hosts: [a.example.com]
  gateways: [gw]
  http: [{route: [{destination: {host: echo}}]}]
)";

void apply(ControlPlane& cluster) {
  model::ManifestLoad load = model::load_manifest_text(kWorld, "test.yaml");
  ASSERT_FALSE(load.has_errors());
  auto result = cluster.apply(load.objects);
  for (const auto& r : result.rejected) ADD_FAILURE() << r;
  cluster.install_default_gateway_if_missing();
}

ClientResponse get(LiveGateway& live, const std::string& path) {
  ClientRequest r;
  r.address = live.proxy(kDefaultIngressGateway)->address_of(80);
  r.host = "a.example.com";
  r.path = path;
  return send_request(r);
}

bool received(LiveGateway& live, const std::string& path) {
  for (const auto& r : live.pods().received())
    if (r.path == path) return true;
  return false;
}

void set_refusing(ControlPlane& cluster, LiveGateway& live, bool refuse) {
  for (const auto& s : pod_specs(cluster)) {
    if (s.namespace_ != "default") continue;
    fakes::PodBehaviour b;
    b.refuse = refuse;
    cluster.set_pod_behaviour(s.namespace_, s.name, b);
  }
  live.sync();
}

// Whether another process could bind ip:port the way most servers do (SO_REUSEADDR).
bool bindable_by_another_server(const std::string& ip, std::uint32_t port) {
  datapath::asio::io_context ctx(1);
  datapath::Acceptor other(ctx);
  datapath::error_code ec;
  other.open(datapath::tcp::v4(), ec);
  other.set_option(datapath::asio::socket_base::reuse_address(true), ec);
  other.bind(datapath::tcp::endpoint(datapath::asio::ip::make_address(ip), static_cast<unsigned short>(port)), ec);
  return !ec;
}

TEST(TwoLiveGateways, SamePodIpsEachAnswersFromItsOwnPods) {
  ControlPlane first_cluster, second_cluster;
  apply(first_cluster);
  apply(second_cluster);
  LiveGateway first(first_cluster, LiveGatewayOptions{});
  LiveGateway second(second_cluster, LiveGatewayOptions{});
  first.add_all_gateways();
  second.add_all_gateways();

  std::map<std::string, std::string> first_ips;  // pod -> IP
  std::set<std::pair<std::string, std::uint32_t>> first_addresses;
  for (const auto& s : first.pods().served()) {
    first_ips[s.pod] = s.ip;
    first_addresses.insert({s.ip, s.actual_port});
  }
  ASSERT_EQ(first_ips.size(), 2u);
  for (const auto& s : second.pods().served()) {
    EXPECT_EQ(first_ips[s.pod], s.ip) << "the same pod IPs in both clusters";
    EXPECT_NE(s.actual_port, 0u);
    EXPECT_TRUE(s.listening);
    EXPECT_FALSE(first_addresses.count({s.ip, s.actual_port})) << s.ip << ":" << s.actual_port << " shared";
  }

  EXPECT_EQ(get(first, "/to-first").status, 200);
  EXPECT_EQ(get(second, "/to-second").status, 200);
  EXPECT_TRUE(received(first, "/to-first"));
  EXPECT_FALSE(received(second, "/to-first"));
  EXPECT_TRUE(received(second, "/to-second"));
  EXPECT_FALSE(received(first, "/to-second"));

  // The first's pods crash: their ports stay reserved, refusing, and no one else's; the second
  // answers from its own pods all along.
  set_refusing(first_cluster, first, true);
  for (const auto& s : first.pods().served()) {
    EXPECT_FALSE(s.listening);
    ASSERT_NE(s.actual_port, 0u);
    EXPECT_FALSE(bindable_by_another_server(s.ip, s.actual_port)) << s.ip << ":" << s.actual_port;
  }
  EXPECT_EQ(get(first, "/first-refusing").status, 503);
  EXPECT_FALSE(received(second, "/first-refusing"));
  EXPECT_EQ(get(second, "/second-while-first-refuses").status, 200);

  // Back up: each on its own pods again.
  set_refusing(first_cluster, first, false);
  EXPECT_EQ(get(first, "/first-again").status, 200);
  EXPECT_TRUE(received(first, "/first-again"));
  EXPECT_FALSE(received(second, "/first-again"));
  first.stop();
  EXPECT_EQ(get(second, "/second-alone").status, 200);
  EXPECT_TRUE(received(second, "/second-alone"));
  second.stop();
}

}  // namespace
}  // namespace gwsim::runtime
