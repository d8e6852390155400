// Controllers: what kube-controller-manager does for the kinds gwsim simulates.
//   Deployment -> ReplicaSet-style pod names "<deployment>-<pod-template-hash>-<suffix>"
//   ReplicaSet -> "<replicaset>-<suffix>";  StatefulSet -> "<statefulset>-<ordinal>"
//   Service    -> Endpoints of the ready pods it selects (targetPort by number or by name);
//                 type LoadBalancer -> a load balancer address (service_addresses.h)
// and istiod's Gateway API controllers: the built-in GatewayClasses (gateway_class.h) and a
// Deployment and Service per Gateway of class istio (gateway_deployment.h).
// Pods get the template's labels, a deterministic loopback IP (127.0.0.0/8) and Ready status.
// As in Kubernetes, a Deployment owns one ReplicaSet per pod template ("<deployment>-<hash>",
// older ones kept at 0 replicas) and that ReplicaSet owns the pods; a DaemonSet gets one pod
// (one node). Deleting an owner deletes what it owns (a dependent with plain owner references
// once all its owners are gone); workload status counts ready pods.
// All names and IPs are a deterministic function of the input, so runs are reproducible.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "fakes/store/api_store.h"

namespace gwsim::fakes {

// Runs the controllers over the store until nothing changes: creates, updates and deletes
// pods for every Deployment/ReplicaSet/StatefulSet, and Endpoints for every Service.
// Idempotent. Call after each apply (the scenario runner and the API server do).
// The most pods one workload (ReplicaSet, StatefulSet) gets: a simulator runs a handful, and
// `replicas: 2147483647` must not fill memory under the API server's write lock. Beyond it the
// controller creates this many and records a Warning Event (reason FailedCreate) naming the limit.
inline constexpr int kDefaultMaxPodsPerWorkload = 1000;

struct ControllerOptions {
  int max_pods_per_workload = kDefaultMaxPodsPerWorkload;
  // istiod's controllers for the Gateway API: the built-in GatewayClasses and their status
  // (gateway_class.h), and the Deployment and Service of each Gateway (gateway_deployment.h).
  bool istio_gateway_controllers = true;
  // The cloud's load balancer: status.loadBalancer.ingress of LoadBalancer Services
  // (service_addresses.h).
  bool load_balancers = true;
};

class ControllerSet {
 public:
  explicit ControllerSet(ApiStore& store, ControllerOptions options = {}) : store_(store), options_(options) {}

  // One full reconcile of every controller. Returns the number of objects written.
  int reconcile();

  // Pod name helpers (exposed for tests).
  static std::string pod_template_hash(const Json& pod_template);
  static std::string name_suffix(const std::string& owner, int index);
  // The n-th (0-based) loopback address handed to pods: 127.1.0.1, 127.1.0.2, ...
  static std::string pod_ip(std::uint32_t n);

 private:
  int reconcile_workloads();
  int reconcile_endpoints();
  std::string allocate_ip(const std::string& pod_key);

  int collect_garbage();
  int reconcile_deployment(const Object& deployment);
  int reconcile_replicaset(const Object& replicaset);
  int reconcile_statefulset(const Object& statefulset);
  int reconcile_daemonset(const Object& daemonset);
  int ensure_pod_status(const Object& pod);
  int update_workload_statuses();
  // Pods and ReplicaSets by the uid of their controlling owner, read once per pass: each
  // controller only touches its own dependents, so the index stays right while it runs.
  void index_dependents();
  const std::map<std::string, Object>& owned(const Object& owner) const;
  // Creates one pod of `owner` from its template (plus extra labels and spec fields).
  int create_pod(const Object& owner, const std::string& name, const Json& pod_template,
                 const Json& extra_labels, const Json& extra_spec);

  // spec.replicas capped at options_.max_pods_per_workload; over it, a Warning Event (once).
  int capped_replicas(const Object& workload, int replicas, int& written);

  ApiStore& store_;
  ControllerOptions options_;
  std::map<std::string, std::string> ips_;  // "ns/pod" -> ip
  std::uint32_t next_ip_ = 0;
  std::set<std::string> used_ips_;  // pod IPs in the store, refreshed per reconcile pass
  std::map<std::string, std::map<std::string, Object>> dependents_;  // owner uid -> name -> object
  // reconcile() may be called from the runner and the API front at once; a pointer keeps
  // ControllerSet movable.
  std::unique_ptr<std::mutex> mu_ = std::make_unique<std::mutex>();
};

}  // namespace gwsim::fakes
