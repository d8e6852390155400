// ControlPlane: istiod's part over a tiny cluster in one process. The Kubernetes fakes (API
// store, controllers) hold the objects; writes go through Istio's validation as through its
// webhook (pkg/webhooks/validation/server); fake pods' behaviour is kept here; and for every
// gateway Service someone asked about, the compiled route table is kept current, as istiod's
// DiscoveryServer pushes on every config change (pilot/pkg/xds/discovery.go ConfigUpdate):
// every change to the store recompiles it and publishes the new table atomically, so the data
// path never sees a half-built table. The scenario runner, `gwsim serve` and the API server
// all change the world through this one path.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/model/generated_config.h"
#include "engine/model/result.h"
#include "engine/model/snapshot.h"
#include "engine/route/compile.h"
#include "engine/route/route_table.h"
#include "engine/validation/admission.h"
#include "fakes/controllers/controllers.h"
#include "fakes/pods/pod_behaviour.h"
#include "fakes/store/api_store.h"
#include "runtime/generated_versions.h"

namespace gwsim::runtime {

struct ApplyResult {
  int stored = 0;                     // objects created or updated
  std::vector<std::string> rejected;  // one message per refused object
  std::vector<std::string> warnings;  // accepted, but Istio would warn
  bool ok() const { return rejected.empty(); }
};

// An object with the answer admission (validation::admit) gave it. A scenario's objects are
// admitted when the file is read, so that a bad one is reported with its position; its apply
// takes that answer instead of checking the object a second time.
struct AdmittedObject {
  model::Object object;
  validation::AdmissionResult admission;
};

using TablePtr = std::shared_ptr<const route::RouteTable>;

// One of Istio's Kubernetes controllers that derive Istio config from other kinds: the
// snapshot in, the generated Gateways and VirtualServices and the status to write out.
using Converter = std::function<model::GeneratedConfig(const model::ConfigSnapshot&)>;

// The controllers istiod runs: the Gateway API's (pilot/pkg/config/kube/gateway) and
// Ingress's (pilot/pkg/config/kube/ingress). Default: the real ones (kube_gateway::convert,
// kube_ingress::convert); tests may pass others.
struct Converters {
  Converter gateway_api;
  Converter ingress;
  static Converters istio();
};

// Whether a change to objects of this kind can change what the converters produce: the Gateway
// API kinds, Ingress and IngressClass, and the Services, ServiceEntries, Namespaces, Secrets and
// ConfigMaps they read. Changes to other kinds (VirtualServices, Pods, ...) do not run them.
bool is_converter_input(const std::string& group, const std::string& kind);

// Called after a gateway's table was recompiled: the gateway Service and the new table (or
// the error that prevented compiling it).
using TableListener = std::function<void(const std::string& gateway, const Result<TablePtr>& table)>;

class ControlPlane {
 public:
  explicit ControlPlane(Converters converters = Converters::istio());
  ~ControlPlane();
  ControlPlane(const ControlPlane&) = delete;
  ControlPlane& operator=(const ControlPlane&) = delete;

  // One apply: every object shares one creationTimestamp; each apply after the first is one
  // simulated second later. Istio objects go through Istio's validation and every engine kind
  // through the typed model's schema check; a refused object is not stored, the others are.
  // Runs the controllers afterwards. With dry_run nothing is stored.
  ApplyResult apply(const std::vector<model::Object>& objects, bool dry_run = false);
  // The same for objects admitted already: their admission's answer is taken as it is.
  ApplyResult apply(const std::vector<AdmittedObject>& objects, bool dry_run = false);

  // When no ingress gateway is defined, install the default one of an Istio install.
  void install_default_gateway_if_missing();

  Result<bool> remove(const fakes::ObjectKey& key);
  Result<bool> scale(const std::string& namespace_, const std::string& deployment, int replicas);
  // Readiness as the kubelet would report it; kept across controller runs.
  void set_pod_ready(const std::string& namespace_, const std::string& pod, bool ready);
  void set_pod_behaviour(const std::string& namespace_, const std::string& pod, fakes::PodBehaviour behaviour);
  void reset_pod_behaviour(const std::string& namespace_, const std::string& pod);
  std::optional<fakes::PodBehaviour> pod_behaviour(const std::string& namespace_, const std::string& pod) const;

  // After writes made directly to the store (the API server does so): run the controllers and
  // republish the tables.
  void reconcile();

  // The current table for a gateway Service "ns/name", compiled on first use and kept current
  // from then on. Cheap: returns the published table.
  Result<TablePtr> table(const std::string& gateway);

  // Listen for republished tables. Returns an id for unsubscribe.
  int subscribe(TableListener listener);
  void unsubscribe(int id);

  // Read the typed world as the engine sees it (current, kept in place: no copy, no parse).
  // The reader runs under the cluster's lock and may call this ControlPlane's methods.
  void read_snapshot(const std::function<void(const model::ConfigSnapshot&)>& reader);

  // Objects the engine skipped while building the snapshot, and what the converters could not
  // translate, as messages.
  std::vector<std::string> snapshot_problems();

  fakes::ApiStore& store() { return store_; }
  const fakes::ApiStore& store() const { return store_; }

 private:
  // One apply over either kind of item: an object (admitted here) or an AdmittedObject.
  template <typename Item>
  ApplyResult apply_items(const std::vector<Item>& items, bool dry_run);
  void run_controllers();
  void republish();  // recompile every tracked gateway when the store changed
  // Run the converters over the snapshot: their Gateways and VirtualServices replace the ones
  // generated before, their status is written where it differs from the stored one.
  void convert();
  void write_statuses(const std::vector<model::ObjectStatus>& statuses);
  void place_generated_virtual_services(std::map<std::string, std::string>& owned, model::GeneratedConfig part);

  fakes::ApiStore store_;
  fakes::ControllerSet controllers_;
  int applies_ = 0;

  mutable std::recursive_mutex mu_;  // serialises writers and recompiles
  std::map<std::string, fakes::PodBehaviour> behaviours_;  // "ns/pod"
  std::map<std::string, bool> ready_overrides_;     // "ns/pod"
  std::uint64_t compiled_version_ = ~std::uint64_t{0};
  // The typed world, patched in place: each change re-reads only the objects it touched
  // (each kind's list kept in (namespace, name) order, as the store lists them).
  model::ConfigSnapshot snapshot_;
  std::map<fakes::ObjectKey, std::vector<model::SnapshotProblem>> problems_;  // objects the engine skipped
  Converters converters_;
  bool converted_ = false;  // whether convert() ran once
  // The generated objects now in snapshot_: a conversion that gives the same leaves the
  // snapshot alone. Gateways: "ns/name@resourceVersion" in list order (all converters);
  // VirtualServices: "ns/name" -> resourceVersion, per converter (gateway_api, ingress).
  std::vector<std::string> generated_gateways_;
  std::map<std::string, std::string> generated_virtual_services_[2];
  GeneratedVersions generated_versions_;
  std::vector<std::string> conversion_warnings_;
  // The resourceVersion each status write of ours gave its object: a change event at that
  // version is our own write, which changes no converter input.
  std::map<fakes::ObjectKey, std::string> own_status_writes_;
  // The status each object had after our last write or check, while nobody else changed it.
  std::map<fakes::ObjectKey, model::Json> written_statuses_;
  std::mutex dirty_mu_;  // only for dirty_: the watch callback may run on another writer's thread
  std::set<fakes::ObjectKey> dirty_;
  int watch_id_ = 0;
  struct GatewayTable {
    Result<TablePtr> table = make_error("not compiled yet");
    std::unique_ptr<route::CompileCache> cache = std::make_unique<route::CompileCache>();
  };
  void compile(const std::string& gateway, GatewayTable& entry);
  std::map<std::string, GatewayTable> tables_;  // tracked gateways
  std::map<int, TableListener> listeners_;
  int next_listener_ = 1;
};

}  // namespace gwsim::runtime
