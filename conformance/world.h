// World: one scenario's simulated cluster. The fake API store and controllers hold the objects;
// a RequestSender sends each scenario request through the gateway and observes the answer. In
// decision mode (no sockets) the request is routed through the route table compiled for the
// gateway and the fake pods answer in-process (fakes/pods/pod_answer.h); in datapath mode it
// goes over real sockets (conformance/datapath_world.h).
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
#include "engine/match/explain.h"
#include "engine/model/result.h"
#include "engine/model/snapshot.h"
#include "engine/route/route_table.h"
#include "engine/router/router.h"
#include "runtime/control_plane.h"

namespace gwsim::conformance {

using runtime::ApplyResult;
using fakes::PodBehaviour;

// decision: fake pods answer in-process; datapath: every request goes over real sockets
// through the gateway proxy to fake pods on loopback (conformance/datapath_world.h).
enum class Mode { kDecision, kDatapath };

// Sends one scenario request through the gateway and says what was observed.
class RequestSender {
 public:
  virtual ~RequestSender() = default;
  // Error only when the gateway cannot be compiled (or the exchange could not be made).
  virtual Result<Observation> send(const RequestSpec& request) = 0;
  // After a change that republishes no table (pod behaviours): bring what serves along.
  virtual void sync() {}
  virtual Mode mode() const = 0;
};

// The sender over real sockets; defined by conformance/datapath_world.cc, so that neither this
// header nor world.cc depends on the data path.
std::unique_ptr<RequestSender> make_datapath_sender(runtime::ControlPlane& cluster, std::uint64_t seed,
                                                    double time_scale);

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
  // The same for objects admitted already (a scenario's): admission's answer is taken as it is.
  ApplyResult apply(const std::vector<runtime::AdmittedObject>& objects);

  // When no ingress gateway is defined, install the default one of an Istio install.
  void install_default_gateway_if_missing();

  Result<bool> remove(const DeleteTarget& target);
  Result<bool> scale(const ScaleSpec& scale);
  // Returns the pods changed ("ns/name"); an error when none matched.
  Result<std::vector<std::string>> change_pods(const PodsSpec& pods);
  // The object as stored now (after every apply and the controllers' reconcile); nullopt: none.
  std::optional<model::Json> read_object(const ObjectSpec& object);

  // The compiled table for a gateway Service "ns/name", cached until the store changes.
  Result<std::shared_ptr<const route::RouteTable>> table(const std::string& gateway);

  // Send one request through the gateway; error only when the gateway cannot be compiled.
  Result<Observation> send(const RequestSpec& request);

  // Why `observed` (what send() just returned for `request`, on the same table) went where it
  // went: the table's explanation (engine/match/explain.h) with the objects that came close
  // (near_miss.h) first. Error only when the gateway cannot be compiled.
  Result<match::Explanation> explain(const RequestSpec& request, const Observation& observed);

  // Problems building the typed snapshot (objects the engine skipped), for diagnostics.
  std::vector<std::string> snapshot_problems();

  Mode mode() const { return sender_->mode(); }
  runtime::ControlPlane& cluster() { return cluster_; }
  fakes::ApiStore& store() { return cluster_.store(); }
  lb::Random& random() { return random_; }

 private:
  runtime::ControlPlane cluster_;
  lb::Random random_;
  lb::LoadBalancerState lb_state_;
  std::unique_ptr<RequestSender> sender_;  // declared after what it uses
};

// The Request the engine sees for a scenario request.
http::Request to_match_request(const RequestSpec& spec);

// The protocol the gateway speaks to a backend of that Service ("ns/name") port: "HTTP/2" or
// "HTTP/1.1" (Istio's ClusterBuilder.setUpstreamProtocol).
std::string upstream_protocol(const model::ConfigSnapshot& snapshot, const std::string& service, std::uint32_t port);

// The server name a client sends for a scenario request: its sni, else for https its host
// without the port (as curl does).
std::string client_sni(const RequestSpec& spec);

}  // namespace gwsim::conformance
