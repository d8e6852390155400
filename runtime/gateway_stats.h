// GatewayStats: the request counters one gateway proxy of `gwsim serve` exports on its admin
// port's /stats/prometheus, counted from its access log entries (datapath::AccessLogEntry), with
// the names and labels a real Istio gateway exports them under:
//   istio_requests_total{reporter="source",source_workload=...,destination_service=...,
//     response_code=...,response_flags=...}   Istio's standard metric (the stats filter of
//     istio/proxy; a gateway reports as the source of the request, reporter="source")
//   envoy_cluster_upstream_rq{response_code="200",cluster_name="outbound|80||..."} and
//   envoy_cluster_upstream_rq{response_code_class="2xx",...}, envoy_cluster_upstream_rq_total
//     Envoy's cluster stats "cluster.<name>.upstream_rq_200", with the tags Istio's bootstrap
//     (stats_config.stats_tags: cluster_name, response_code, response_code_class) extracts; one
//     per upstream attempt, retries included
//   gwsim_route_requests_total{virtual_host,route,virtual_service,response_code}  by route: a
//     real gateway has no such counter (Istio sets no route stat_prefix), hence gwsim's own name
// and /clusters' per-host rq_total, rq_success and rq_error (Envoy's HostStats). TCP
// connections are not counted. record() is called on the proxy's event-loop threads.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

#include "engine/datapath/proxy_options.h"
#include "engine/model/k8s.h"

namespace gwsim::runtime {

struct HostCounters {
  std::uint64_t rq_total = 0;
  std::uint64_t rq_success = 0;  // answered with a status below 500 (Envoy's rq_success)
  std::uint64_t rq_error = 0;    // 5xx or no answer (connection failure, timeout)
};

class GatewayStats {
 public:
  // `gateway`: the gateway Service "ns/name", whose workload is the source of every request.
  explicit GatewayStats(std::string gateway);

  void record(const datapath::AccessLogEntry& entry);

  // The Prometheus text exposition format (version 0.0.4) of every counter, families in a fixed
  // order, series sorted within each.
  std::string prometheus() const;

  // Per endpoint "ip:port" of `cluster`: what it answered (zeros when nothing went to it).
  HostCounters host(const std::string& cluster, const std::string& endpoint) const;

 private:
  struct Destination {  // what istio_requests_total says of the upstream
    std::string cluster;
    std::string pod;  // "ns/name"; "" when no endpoint was chosen
    int status = 0;
    std::string response_flags;
    auto tie() const { return std::tie(cluster, pod, status, response_flags); }
    bool operator<(const Destination& o) const { return tie() < o.tie(); }
  };
  struct RouteKey {
    std::string virtual_host, route, virtual_service;
    int status = 0;
    auto tie() const { return std::tie(virtual_host, route, virtual_service, status); }
    bool operator<(const RouteKey& o) const { return tie() < o.tie(); }
  };

  const std::string gateway_;
  mutable std::mutex mu_;
  std::map<Destination, std::uint64_t> requests_;
  std::map<std::string, model::Labels> pod_labels_;                   // of each pod that answered
  std::map<std::pair<std::string, int>, std::uint64_t> upstream_rq_;  // (cluster, status)
  std::map<RouteKey, std::uint64_t> routes_;
  std::map<std::pair<std::string, std::string>, HostCounters> hosts_;  // (cluster, endpoint)
};

// The workload a pod belongs to as Istio names it (pkg/kube GetDeployMetaFromPod): a pod of a
// Deployment's ReplicaSet ("<deployment>-<pod-template-hash>-<suffix>", with the
// pod-template-hash label) belongs to the Deployment; any other pod is its own workload.
std::string workload_name(const std::string& pod_name, const model::Labels& labels);

// A Prometheus label value escaped (backslash, double quote, newline).
std::string prometheus_escape(const std::string& value);

}  // namespace gwsim::runtime
