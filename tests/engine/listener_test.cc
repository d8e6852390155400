#include "engine/route/listener.h"

#include <gtest/gtest.h>

namespace gwsim::route {
namespace {

FilterChain chain(std::string gateway, std::vector<std::string> server_names, std::string tls_mode) {
  FilterChain c;
  c.gateway = std::move(gateway);
  c.server_names = std::move(server_names);
  c.tls_mode = std::move(tls_mode);
  return c;
}

TEST(ListenerTest, SniHostsDropNamespacesDeduplicateAndSort) {
  model::Server s;
  s.hosts = {"ns/b.example.com", "a.example.com", "other/b.example.com"};
  EXPECT_EQ(sni_hosts_for_server(s), (std::vector<std::string>{"a.example.com", "b.example.com"}));
  s.hosts.push_back("*/*");
  s.hosts.push_back("*");
  EXPECT_TRUE(sni_hosts_for_server(s).empty());  // "*": no SNI criterion
}

TEST(ListenerTest, ChainsWithTheSameServerNamesClash) {
  Listener l;
  l.filter_chains = {chain("a/gw", {"x.example.com", "y.example.com"}, "SIMPLE"),
                     chain("b/gw", {"y.example.com", "x.example.com"}, "SIMPLE")};
  auto clash = duplicate_chain_match(l);
  ASSERT_TRUE(clash.has_value());
  EXPECT_EQ(*clash, "server names x.example.com,y.example.com, from gateways a/gw and b/gw");
}

TEST(ListenerTest, DifferentTransportOrNamesDoNotClash) {
  Listener l;
  l.filter_chains = {chain("a/gw", {}, ""), chain("b/gw", {}, "PASSTHROUGH"), chain("c/gw", {"z.example.com"}, "SIMPLE")};
  EXPECT_FALSE(duplicate_chain_match(l).has_value());
  l.filter_chains.push_back(chain("d/gw", {}, "SIMPLE"));
  auto clash = duplicate_chain_match(l);
  ASSERT_TRUE(clash.has_value());
  EXPECT_EQ(*clash, "server names any, from gateways b/gw and d/gw");
}

}  // namespace
}  // namespace gwsim::route
