// Endpoint choice per cluster, as Envoy's load balancers do, with injected randomness so a
// seeded run is reproducible.
#pragma once

#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "engine/http/request.h"
#include "engine/route/route_table.h"

namespace gwsim::lb {

// The only source of randomness on the decision path.
class Random {
 public:
  explicit Random(std::uint64_t seed = 1) : engine_(seed) {}
  std::uint64_t next() { return engine_(); }
  // Uniform in [0, bound).
  std::uint64_t below(std::uint64_t bound) { return bound == 0 ? 0 : engine_() % bound; }
  double unit() { return std::uniform_real_distribution<double>(0.0, 1.0)(engine_); }

 private:
  std::mt19937_64 engine_;
};

// Mutable per-cluster state that outlives one table (round-robin position, active requests).
class LoadBalancerState {
 public:
  std::uint64_t& rr_index(const std::string& cluster, Random& rng);
  std::map<std::string, std::uint32_t>& active_requests() { return active_; }

 private:
  std::map<std::string, std::uint64_t> rr_;
  std::map<std::string, std::uint32_t> active_;  // by endpoint "ip:port"
};

// Pick one healthy endpoint of `cluster`, skipping the `excluded` ones (Envoy's
// previous_hosts retry predicate) when another choice exists. nullptr: no healthy endpoint.
const route::Endpoint* choose_endpoint(const route::Cluster& cluster, const http::Request& request,
                                       Random& rng, LoadBalancerState& state,
                                       const std::set<std::string>& excluded = {});

// The key a consistentHash policy hashes for this request, or "" when it has none (Envoy then
// picks at random).
std::string hash_key(const model::ConsistentHash& policy, const http::Request& request);

}  // namespace gwsim::lb
