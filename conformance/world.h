// World: one scenario's simulated cluster in decision mode (no sockets). The fake API store
// and controllers hold the objects; a request is routed through the route table compiled for
// the gateway, and fake pods answer in-process with the echo app's body.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "conformance/expectations.h"
#include "conformance/scenario.h"
#include "engine/lb/load_balancer.h"
#include "engine/model/result.h"
#include "engine/model/snapshot.h"
#include "engine/route/route_table.h"
#include "engine/router/router.h"
#include "fakes/cluster/fake_cluster.h"

namespace gwsim::conformance {

using fakes::ApplyResult;
using fakes::PodBehaviour;

// decision: fake pods answer in-process; datapath: every request goes over real sockets
// through the gateway proxy to fake pods on loopback (conformance/datapath_world.h).
enum class Mode { kDecision, kDatapath };

class DatapathSender;

class World {
 public:
  // time_scale (datapath mode): multiplies every real delay and timeout on the wire.
  explicit World(std::uint64_t seed = 1, Mode mode = Mode::kDecision, double time_scale = 1.0);
  ~World();
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  // One apply: every object shares one creationTimestamp; each apply after the first is one
  // simulated second later. Istio objects go through Istio's validation and every object
  // through the typed model's schema check; a refused object is not stored, the others are.
  // Runs the controllers afterwards.
  ApplyResult apply(const std::vector<model::Object>& objects);

  // When no ingress gateway is defined, install the default one of an Istio install.
  void install_default_gateway_if_missing();

  Result<bool> remove(const DeleteTarget& target);
  Result<bool> scale(const ScaleSpec& scale);
  // Returns the pods changed ("ns/name"); an error when none matched.
  Result<std::vector<std::string>> change_pods(const PodsSpec& pods);

  // The compiled table for a gateway Service "ns/name", cached until the store changes.
  Result<std::shared_ptr<const route::RouteTable>> table(const std::string& gateway);

  // Send one request through the gateway; error only when the gateway cannot be compiled.
  Result<Observation> send(const RequestSpec& request);

  // Problems building the typed snapshot (objects the engine skipped), for diagnostics.
  std::vector<std::string> snapshot_problems();

  Mode mode() const { return datapath_ ? Mode::kDatapath : Mode::kDecision; }
  fakes::FakeCluster& cluster() { return cluster_; }
  fakes::ApiStore& store() { return cluster_.store(); }
  lb::Random& random() { return random_; }

 private:
  fakes::FakeCluster cluster_;
  lb::Random random_;
  lb::LoadBalancerState lb_state_;
  std::unique_ptr<DatapathSender> datapath_;  // datapath mode; declared after cluster_ (uses it)
};

// The Request the engine sees for a scenario request.
http::Request to_match_request(const RequestSpec& spec);

}  // namespace gwsim::conformance
