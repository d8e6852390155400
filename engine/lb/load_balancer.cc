#include "engine/lb/load_balancer.h"

#include <algorithm>

#include "engine/http/query.h"
#include "engine/http/request.h"

namespace gwsim::lb {

namespace {

std::uint64_t fnv1a(std::string_view s) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  // splitmix64 finaliser: FNV alone leaves similar keys close together on the ring.
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebULL;
  h ^= h >> 31;
  return h;
}

std::string endpoint_key(const route::Endpoint& e) { return e.ip + ":" + std::to_string(e.port); }

std::optional<std::string> cookie_value(const std::string* header, std::string_view name) {
  if (!header) return std::nullopt;
  std::string_view rest = *header;
  while (!rest.empty()) {
    auto semi = rest.find(';');
    std::string_view pair = rest.substr(0, semi);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    auto eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) return std::string(pair.substr(eq + 1));
    if (semi == std::string_view::npos) break;
    rest = rest.substr(semi + 1);
  }
  return std::nullopt;
}

// A consistent-hash ring over the endpoints (as Envoy's ring hash: each host at many points,
// the first point at or after the key's hash wins), so a key sticks to one endpoint and only
// the keys of removed endpoints move.
const route::Endpoint* ring_pick(const std::vector<const route::Endpoint*>& hosts, std::uint64_t key_hash) {
  constexpr int kPointsPerHost = 64;
  const route::Endpoint* best = nullptr;
  std::uint64_t best_point = 0;
  const route::Endpoint* lowest = nullptr;
  std::uint64_t lowest_point = ~0ULL;
  for (const auto* h : hosts) {
    const std::string base = endpoint_key(*h) + "_";
    for (int i = 0; i < kPointsPerHost; ++i) {
      std::uint64_t point = fnv1a(base + std::to_string(i));
      if (point >= key_hash && (!best || point < best_point)) {
        best = h;
        best_point = point;
      }
      if (point < lowest_point) {
        lowest = h;
        lowest_point = point;
      }
    }
  }
  return best ? best : lowest;
}

}  // namespace

std::uint64_t& LoadBalancerState::rr_index(const std::string& cluster, Random& rng) {
  auto it = rr_.find(cluster);
  if (it == rr_.end()) it = rr_.emplace(cluster, rng.next()).first;  // Envoy starts at a random offset
  return it->second;
}

std::string hash_key(const model::ConsistentHash& policy, const http::Request& request) {
  if (!policy.http_header_name.empty()) {
    const std::string* v = request.header(policy.http_header_name);
    return v ? *v : "";
  }
  if (policy.http_cookie) {
    return cookie_value(request.header("cookie"), policy.http_cookie->name).value_or("");
  }
  if (!policy.http_query_parameter_name.empty()) {
    return std::string(http::raw_query_value(request.path, policy.http_query_parameter_name).value_or(""));
  }
  if (policy.use_source_ip) return request.source_ip;
  return "";
}

const route::Endpoint* choose_endpoint(const route::Cluster& cluster, const http::Request& request, Random& rng,
                                       LoadBalancerState& state, const std::set<std::string>& excluded) {
  std::vector<const route::Endpoint*> hosts;
  for (const auto& e : cluster.endpoints) {
    if (e.healthy && !excluded.count(endpoint_key(e))) hosts.push_back(&e);
  }
  if (hosts.empty()) {
    for (const auto& e : cluster.endpoints) {
      if (e.healthy) hosts.push_back(&e);  // every host was tried: Envoy may pick one again
    }
  }
  if (hosts.empty()) return nullptr;
  using Kind = route::LoadBalancerPolicy::Kind;
  switch (cluster.lb.kind) {
    case Kind::kRoundRobin: {
      auto& index = state.rr_index(cluster.name, rng);
      return hosts[index++ % hosts.size()];
    }
    case Kind::kRandom:
      return hosts[rng.below(hosts.size())];
    case Kind::kRingHash: {
      std::string key = cluster.lb.hash ? hash_key(*cluster.lb.hash, request) : "";
      if (key.empty()) return hosts[rng.below(hosts.size())];  // no hash: Envoy picks at random
      return ring_pick(hosts, fnv1a(key));
    }
    case Kind::kLeastRequest: {
      // Envoy's default least-request: power of two choices, fewer active requests wins.
      const auto* a = hosts[rng.below(hosts.size())];
      const auto* b = hosts[rng.below(hosts.size())];
      auto& active = state.active_requests();
      return active[endpoint_key(*b)] < active[endpoint_key(*a)] ? b : a;
    }
  }
  return hosts.front();
}

}  // namespace gwsim::lb
