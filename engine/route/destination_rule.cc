// Paraphrases Istio's push_context.go destinationRule / mergeDestinationRule and
// util.MergeSubsetTrafficPolicy; see destination_rule.h.
#include "engine/route/destination_rule.h"

#include <algorithm>
#include <functional>
#include <utility>

#include "engine/host/host_name.h"
#include "engine/route/detail_config.h"

namespace gwsim::route {

namespace {

// Istio's DestinationRule host match within one namespace: exact host first, then the most
// specific wildcard; several rules for the same host merge (consolidated rules).
std::optional<EffectiveRule> rules_in_namespace(const DestinationRuleIndex& index, const std::string& ns,
                                                const std::string& hostname,
                                                const std::function<bool(const model::DestinationRule&)>& eligible) {
  auto it = index.by_namespace.find(ns);
  if (it == index.by_namespace.end()) return std::nullopt;
  std::vector<std::string> hosts;
  std::vector<const model::DestinationRule*> rules;
  for (const auto* dr : it->second) {
    if (!eligible(*dr)) continue;
    hosts.push_back(host::resolve_short_name(dr->host, dr->meta.namespace_));
    rules.push_back(dr);
  }
  int best = host::most_specific_match(hostname, hosts);
  if (best < 0) return std::nullopt;
  EffectiveRule out;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    if (hosts[i] == hosts[best]) out.rules.push_back(rules[i]);
  }
  out.name = out.rules.front()->meta.namespace_ + "/" + out.rules.front()->meta.name;
  return out;
}

}  // namespace

DestinationRuleIndex index_destination_rules(const model::ConfigSnapshot& snapshot) {
  DestinationRuleIndex index;
  for (const auto& dr : snapshot.destination_rules) index.by_namespace[dr.meta.namespace_].push_back(&dr);
  for (auto& [ns, list] : index.by_namespace) {
    std::stable_sort(list.begin(), list.end(), [](const model::DestinationRule* a, const model::DestinationRule* b) {
      return detail::older(*a, *b);
    });
  }
  return index;
}

std::optional<EffectiveRule> destination_rule_for(const DestinationRuleIndex& index, const model::Service& svc,
                                                  const std::string& proxy_ns) {
  using detail::kRootNamespace;
  const std::string hostname = svc.hostname();
  auto exported = [&proxy_ns](const model::DestinationRule& dr) {
    return detail::visible_from(dr.export_to, dr.meta.namespace_, proxy_ns);
  };
  if (proxy_ns != kRootNamespace) {
    if (auto r = rules_in_namespace(index, proxy_ns, hostname, [](const model::DestinationRule&) { return true; })) return r;
  } else {
    // Root-namespace rules private to it ("."), meant for this proxy.
    auto root_local = [](const model::DestinationRule& dr) {
      return !dr.export_to.empty() && std::all_of(dr.export_to.begin(), dr.export_to.end(), [&dr](const std::string& e) {
               return e == "." || e == dr.meta.namespace_;
             });
    };
    if (auto r = rules_in_namespace(index, kRootNamespace, hostname, root_local)) return r;
  }
  if (auto r = rules_in_namespace(index, svc.meta.namespace_, hostname, exported)) return r;
  return rules_in_namespace(index, kRootNamespace, hostname, exported);
}

LoadBalancerPolicy translate_load_balancer(const model::LoadBalancerSettings& s) {
  LoadBalancerPolicy p;
  if (s.consistent_hash) {
    p.kind = LoadBalancerPolicy::Kind::kRingHash;
    p.hash = s.consistent_hash;
  } else if (s.simple == "ROUND_ROBIN") {
    p.kind = LoadBalancerPolicy::Kind::kRoundRobin;
  } else if (s.simple == "RANDOM") {
    p.kind = LoadBalancerPolicy::Kind::kRandom;
  } else {
    p.kind = LoadBalancerPolicy::Kind::kLeastRequest;  // UNSPECIFIED, LEAST_REQUEST, LEAST_CONN
  }
  return p;
}

LoadBalancerPolicy load_balancer_for(const std::vector<const model::DestinationRule*>& rules, std::uint32_t port,
                                     const model::Subset* subset) {
  using LB = std::optional<model::LoadBalancerSettings>;
  // GetPortLevelTrafficPolicy: the policy's load balancer for `port`, and whether port-level
  // settings for the port exist.
  auto for_port = [port](const model::TrafficPolicy& tp) -> std::pair<LB, bool> {
    for (const auto& pl : tp.port_level_settings) {
      if (pl.port == port) return {pl.load_balancer, true};
    }
    return {tp.load_balancer, false};
  };
  const model::TrafficPolicy* top = nullptr;
  for (const auto* dr : rules) {
    if (dr->traffic_policy) {
      top = &*dr->traffic_policy;  // the first rule with a top-level policy wins (consolidation)
      break;
    }
  }
  LB chosen = top ? for_port(*top).first : LB{};
  if (subset && subset->traffic_policy) {
    auto [subset_lb, has_port_level] = for_port(*subset->traffic_policy);
    if (!top || subset_lb || has_port_level) chosen = subset_lb;
  }
  return chosen ? translate_load_balancer(*chosen) : LoadBalancerPolicy{};
}

}  // namespace gwsim::route
