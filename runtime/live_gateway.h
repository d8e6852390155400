// LiveGateway: the control plane's world on real sockets, as a cluster runs it. The fake pods
// run in a fakes::PodServer and each gateway Service gets a datapath::Proxy (the Envoy of an
// istio-ingressgateway pod); both follow the control plane: every republished route table
// (ControlPlane::subscribe, istiod's push) updates the pods first (so new endpoints listen
// before the proxy routes to them), then swaps the proxy's table, as Envoy applies an xDS
// update. `gwsim serve` and the datapath runner (World in datapath mode) both use it.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/datapath/proxy.h"
#include "fakes/pods/pod_server.h"
#include "runtime/control_plane.h"
#include "runtime/gateway_stats.h"

namespace gwsim::runtime {

struct LiveGatewayOptions {
  std::string listen_address = "127.0.0.1";
  bool prefer_service_ports = false;  // see datapath::ProxyOptions
  int proxy_threads = 1;
  std::uint64_t seed = 1;
  std::string extra_client_ca;  // see datapath::ProxyOptions
  double time_scale = 1.0;      // see datapath::ProxyOptions; applies to the pods' delays too
  std::function<void(const datapath::AccessLogEntry&)> access_log;
  std::function<void(const std::string&)> warn;
  // Called (on the thread that changed the cluster) after a table was applied to a proxy.
  std::function<void(const std::string& gateway)> changed;
  // Count every gateway's requests (runtime/gateway_stats.h) for its admin port: see stats().
  bool stats = false;
};

class LiveGateway {
 public:
  LiveGateway(ControlPlane& control_plane, LiveGatewayOptions options);
  ~LiveGateway();
  LiveGateway(const LiveGateway&) = delete;
  LiveGateway& operator=(const LiveGateway&) = delete;

  // Serve a gateway Service "ns/name" (idempotent): its table is compiled and kept current.
  void add_gateway(const std::string& gateway);
  // Serve every gateway Service the cluster has now (runtime/gateway_services.h).
  void add_all_gateways();
  // Bring pods and proxies in line with the cluster, also after changes that republish no
  // table (pod behaviours).
  void sync();

  datapath::Proxy* proxy(const std::string& gateway);
  // The gateway's request counters (null unless options.stats, or before add_gateway).
  std::shared_ptr<const GatewayStats> stats(const std::string& gateway) const;
  fakes::PodServer& pods() { return *pods_; }
  std::vector<std::string> gateways() const;

  // Everything running, for `gwsim serve --state`: gateways with their Service ports and
  // local addresses, pods with IP, labels and ports.
  nlohmann::json state() const;

  void stop();

 private:
  void on_table(const std::string& gateway, const Result<TablePtr>& table);
  // Read from the control plane without holding mu_ (lock order: its lock, then mu_).
  struct PodsUpdate {
    std::uint64_t version = 0;
    std::vector<fakes::PodSpec> specs;
  };
  PodsUpdate read_pods();
  void apply_pods(PodsUpdate update, bool force);  // under mu_
  void apply_table(const std::string& gateway, std::uint64_t version, TablePtr table);  // under mu_

  ControlPlane& control_plane_;
  LiveGatewayOptions options_;
  std::unique_ptr<fakes::PodServer> pods_;
  mutable std::recursive_mutex mu_;
  std::map<std::string, std::unique_ptr<datapath::Proxy>> proxies_;
  std::map<std::string, std::shared_ptr<GatewayStats>> stats_;
  std::uint64_t pods_version_ = 0;
  bool pods_applied_ = false;
  std::map<std::string, std::uint64_t> table_versions_;  // store version of each applied table
  int subscription_ = 0;
  bool stopped_ = false;
};

// The pods of the control plane's cluster as the pod server runs them (fakes::pod_specs),
// each with the behaviour set for it (ControlPlane::set_pod_behaviour).
std::vector<fakes::PodSpec> pod_specs(ControlPlane& control_plane, const std::set<std::string>& skip = {});
// The same from a snapshot the caller already reads (ControlPlane::read_snapshot).
std::vector<fakes::PodSpec> pod_specs(ControlPlane& control_plane, const model::ConfigSnapshot& snapshot,
                                      const std::set<std::string>& skip);

}  // namespace gwsim::runtime
