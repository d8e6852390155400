// Which DestinationRule applies to a Service, and the load balancer it gives each cluster.
// Paraphrases Istio's pilot/pkg/model/push_context.go destinationRule (namespace lookup order,
// most specific host) and mergeDestinationRule (several rules for one host consolidate), and
// pilot/pkg/networking/util MergeSubsetTrafficPolicy / GetPortLevelTrafficPolicy with
// core/cluster_traffic_policy.go applyLoadBalancer for the load balancer.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/model/snapshot.h"
#include "engine/route/route_table.h"

namespace gwsim::route {

// The snapshot's DestinationRules by namespace, each list oldest first.
struct DestinationRuleIndex {
  std::map<std::string, std::vector<const model::DestinationRule*>> by_namespace;
};

DestinationRuleIndex index_destination_rules(const model::ConfigSnapshot& snapshot);

// The rules that apply to one host: merged, oldest first; `name` ("ns/name") is the first's.
struct EffectiveRule {
  std::vector<const model::DestinationRule*> rules;
  std::string name;
};

// destinationRule(): in the proxy's namespace (unless it is the root namespace, where only
// rules private to it count), then the service's namespace, then the root namespace; within
// a namespace the exact host wins over the most specific wildcard.
std::optional<EffectiveRule> destination_rule_for(const DestinationRuleIndex& index, const model::Service& service,
                                                  const std::string& proxy_namespace);

// applyLoadBalancer: consistentHash -> ring hash; ROUND_ROBIN, RANDOM; else least request.
LoadBalancerPolicy translate_load_balancer(const model::LoadBalancerSettings& settings);

// The load balancer a cluster gets: the rule's policy, where port-level settings for the port
// replace it wholesale (an omitted loadBalancer falls back to the default, it is not
// inherited); then the subset's policy, treated the same way, overrides the load balancer when
// it sets one or has port-level settings for the port. `subset` null: the service's cluster.
LoadBalancerPolicy load_balancer_for(const std::vector<const model::DestinationRule*>& rules, std::uint32_t port,
                                     const model::Subset* subset);

}  // namespace gwsim::route
