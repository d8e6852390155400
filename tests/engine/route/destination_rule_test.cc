#include "engine/route/destination_rule.h"

#include <gtest/gtest.h>

#include "engine/route/compile.h"
#include "tests/engine/test_world.h"

namespace gwsim::route {
namespace {

using namespace gwsim::testing;

LoadBalancerSettings simple(std::string s) {
  LoadBalancerSettings lb;
  lb.simple = std::move(s);
  return lb;
}

TEST(DestinationRuleTest, ProxyNamespaceThenServiceNamespaceThenRoot) {
  WorldBuilder w;
  w.add_service("shop", "cart", {{"app", "cart"}}, {WorldBuilder::port("http", 80)}, {});
  w.add_dr("istio-system", "root", "cart.shop.svc.cluster.local", {});
  w.add_dr("shop", "service-ns", "cart", {});
  const Service& cart = w.snap.services.back();
  auto index = index_destination_rules(w.snap);
  // From the root namespace only rules private to it come first: here the service namespace wins.
  auto from_root = destination_rule_for(index, cart, "istio-system");
  ASSERT_TRUE(from_root.has_value());
  EXPECT_EQ(from_root->name, "shop/service-ns");
  w.add_dr("gw-ns", "proxy-ns", "*.svc.cluster.local", {});
  index = index_destination_rules(w.snap);
  auto from_gw = destination_rule_for(index, cart, "gw-ns");
  ASSERT_TRUE(from_gw.has_value());
  EXPECT_EQ(from_gw->name, "gw-ns/proxy-ns");
}

TEST(DestinationRuleTest, ExactHostBeatsWildcardAndRulesForOneHostMerge) {
  WorldBuilder w;
  w.add_service("shop", "cart", {{"app", "cart"}}, {WorldBuilder::port("http", 80)}, {});
  w.add_dr("shop", "wild", "*.shop.svc.cluster.local", {});
  w.add_dr("shop", "b-exact", "cart", {}).meta.creation_time = 2;
  w.add_dr("shop", "a-exact", "cart.shop.svc.cluster.local", {}).meta.creation_time = 1;
  auto rule = destination_rule_for(index_destination_rules(w.snap), w.snap.services.back(), "shop");
  ASSERT_TRUE(rule.has_value());
  ASSERT_EQ(rule->rules.size(), 2u);
  EXPECT_EQ(rule->name, "shop/a-exact");  // oldest first
  EXPECT_EQ(rule->rules[1]->meta.name, "b-exact");
}

TEST(DestinationRuleTest, LoadBalancerTranslation) {
  EXPECT_EQ(translate_load_balancer(simple("ROUND_ROBIN")).kind, LoadBalancerPolicy::Kind::kRoundRobin);
  EXPECT_EQ(translate_load_balancer(simple("RANDOM")).kind, LoadBalancerPolicy::Kind::kRandom);
  EXPECT_EQ(translate_load_balancer(simple("LEAST_CONN")).kind, LoadBalancerPolicy::Kind::kLeastRequest);
  LoadBalancerSettings hash;
  hash.consistent_hash = ConsistentHash{};
  EXPECT_EQ(translate_load_balancer(hash).kind, LoadBalancerPolicy::Kind::kRingHash);
}

TEST(DestinationRuleTest, PortLevelSettingsReplaceAndSubsetsOverride) {
  DestinationRule dr;
  dr.traffic_policy = TrafficPolicy{};
  dr.traffic_policy->load_balancer = simple("RANDOM");
  PortTrafficPolicy port_level;
  port_level.port = 9000;  // no loadBalancer: the default, not the rule's RANDOM
  dr.traffic_policy->port_level_settings.push_back(port_level);
  Subset subset{"v2", {}, TrafficPolicy{}};
  subset.traffic_policy->load_balancer = simple("ROUND_ROBIN");
  Subset plain{"v1", {}, std::nullopt};
  std::vector<const DestinationRule*> rules = {&dr};
  EXPECT_EQ(load_balancer_for(rules, 80, nullptr).kind, LoadBalancerPolicy::Kind::kRandom);
  EXPECT_EQ(load_balancer_for(rules, 9000, nullptr).kind, LoadBalancerPolicy::Kind::kLeastRequest);
  EXPECT_EQ(load_balancer_for(rules, 80, &plain).kind, LoadBalancerPolicy::Kind::kRandom);
  EXPECT_EQ(load_balancer_for(rules, 80, &subset).kind, LoadBalancerPolicy::Kind::kRoundRobin);
}

TEST(DestinationRuleTest, DestinationRuleInTheRootNamespaceAppliesWhenNoneCloser) {
  WorldBuilder w;
  w.add_service("default", "svc", {{"app", "svc"}}, {WorldBuilder::port("http", 80)},
                {{"p1", {{"app", "svc"}, {"version", "v1"}}}});
  w.add_dr("istio-system", "global", "svc.default.svc.cluster.local", {Subset{"v1", {{"version", "v1"}}, {}}});
  auto table = compile_gateway(w.snap, "istio-system/istio-ingressgateway");
  const auto* c = table->find_cluster("outbound|80|v1|svc.default.svc.cluster.local");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->destination_rule, "istio-system/global");
  // A rule in the service's namespace is preferred.
  w.add_dr("default", "local", "svc", {Subset{"v2", {{"version", "v2"}}, {}}});
  table = compile_gateway(w.snap, "istio-system/istio-ingressgateway");
  EXPECT_EQ(table->find_cluster("outbound|80|v1|svc.default.svc.cluster.local"), nullptr);
  ASSERT_NE(table->find_cluster("outbound|80|v2|svc.default.svc.cluster.local"), nullptr);
}

}  // namespace
}  // namespace gwsim::route
