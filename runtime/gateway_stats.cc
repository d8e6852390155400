#include "runtime/gateway_stats.h"

#include <initializer_list>
#include <sstream>
#include <utility>
#include <vector>

namespace gwsim::runtime {

namespace {

std::string label_or(const model::Labels& labels, std::initializer_list<const char*> keys,
                     const std::string& otherwise) {
  for (const char* k : keys)
    if (auto it = labels.find(k); it != labels.end() && !it->second.empty()) return it->second;
  return otherwise;
}

std::string code_class(int status) {
  std::string out = std::to_string(status / 100);
  out += "xx";
  return out;
}

// "name.ns.svc.cluster.local" -> {name, ns}; another host names itself, namespace unknown.
std::pair<std::string, std::string> service_name_namespace(const std::string& host) {
  const auto first = host.find('.');
  if (first == std::string::npos) return {host, "unknown"};
  const auto second = host.find('.', first + 1);
  if (second == std::string::npos || host.compare(second, std::string::npos, ".svc.cluster.local") != 0)
    return {host, "unknown"};
  return {host.substr(0, first), host.substr(first + 1, second - first - 1)};
}

// outbound|80|v1|reviews.default.svc.cluster.local -> reviews.default.svc.cluster.local
std::string cluster_host(const std::string& cluster) {
  const auto bar = cluster.rfind('|');
  return bar == std::string::npos ? cluster : cluster.substr(bar + 1);
}

class Series {
 public:
  Series(std::ostringstream& out, const char* name) : out_(out) { out_ << name; }
  Series& label(const char* name, const std::string& value) {
    out_ << (first_ ? "{" : ",") << name << "=\"" << prometheus_escape(value) << '"';
    first_ = false;
    return *this;
  }
  void value(std::uint64_t v) { out_ << (first_ ? "" : "}") << ' ' << v << '\n'; }

 private:
  std::ostringstream& out_;
  bool first_ = true;
};

}  // namespace

std::string prometheus_escape(const std::string& value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

std::string workload_name(const std::string& pod_name, const model::Labels& labels) {
  auto hash = labels.find("pod-template-hash");
  if (hash == labels.end() || hash->second.empty()) return pod_name;
  const std::string infix = "-" + hash->second + "-";
  const auto at = pod_name.rfind(infix);
  if (at == std::string::npos || at == 0) return pod_name;
  return pod_name.substr(0, at);
}

GatewayStats::GatewayStats(std::string gateway) : gateway_(std::move(gateway)) {}

void GatewayStats::record(const datapath::AccessLogEntry& entry) {
  if (entry.method.empty()) return;  // a TCP connection, not an HTTP request
  const auto& t = entry.trace;
  std::lock_guard lock(mu_);
  ++requests_[Destination{t.cluster, t.pod, entry.status, t.response_flags}];
  if (!t.pod.empty() && !pod_labels_.count(t.pod)) pod_labels_[t.pod] = entry.endpoint_labels;
  if (!t.virtual_host.empty())
    ++routes_[RouteKey{t.virtual_host,
                       t.route_name.empty() ? std::string(1, '#').append(std::to_string(t.route_index)) : t.route_name,
                       t.virtual_service, entry.status}];
  auto count_attempt = [&](const std::string& endpoint, int status) {
    if (status > 0) ++upstream_rq_[{t.cluster, status}];
    HostCounters& h = hosts_[{t.cluster, endpoint}];
    ++h.rq_total;
    ++(status > 0 && status < 500 ? h.rq_success : h.rq_error);
  };
  if (!t.attempts.empty()) {
    for (const auto& a : t.attempts) count_attempt(a.endpoint, a.status);
  } else if (!t.endpoint.empty()) {
    count_attempt(t.endpoint, entry.status);
  }
}

HostCounters GatewayStats::host(const std::string& cluster, const std::string& endpoint) const {
  std::lock_guard lock(mu_);
  auto it = hosts_.find({cluster, endpoint});
  return it == hosts_.end() ? HostCounters{} : it->second;
}

std::string GatewayStats::prometheus() const {
  const auto slash = gateway_.find('/');
  const std::string gateway_ns = slash == std::string::npos ? "" : gateway_.substr(0, slash);
  const std::string gateway_name = slash == std::string::npos ? gateway_ : gateway_.substr(slash + 1);
  std::ostringstream out;
  std::lock_guard lock(mu_);

  out << "# TYPE envoy_cluster_upstream_rq counter\n";
  std::map<std::pair<std::string, std::string>, std::uint64_t> by_class;
  std::map<std::string, std::uint64_t> totals;
  for (const auto& [key, n] : upstream_rq_) {
    by_class[{key.first, code_class(key.second)}] += n;
    totals[key.first] += n;
  }
  for (const auto& [key, n] : by_class)
    Series(out, "envoy_cluster_upstream_rq")
        .label("response_code_class", key.second)
        .label("cluster_name", key.first)
        .value(n);
  for (const auto& [key, n] : upstream_rq_)
    Series(out, "envoy_cluster_upstream_rq")
        .label("response_code", std::to_string(key.second))
        .label("cluster_name", key.first)
        .value(n);
  out << "# TYPE envoy_cluster_upstream_rq_total counter\n";
  for (const auto& [cluster, n] : totals)
    Series(out, "envoy_cluster_upstream_rq_total").label("cluster_name", cluster).value(n);

  // Labels in the order istio/proxy's stats filter emits them.
  out << "# TYPE istio_requests_total counter\n";
  for (const auto& [d, n] : requests_) {
    static const model::Labels kNone;
    auto labels_it = pod_labels_.find(d.pod);
    const model::Labels& labels = labels_it == pod_labels_.end() ? kNone : labels_it->second;
    std::string workload = "unknown", workload_ns = "unknown";
    if (auto s = d.pod.find('/'); s != std::string::npos) {
      workload_ns = d.pod.substr(0, s);
      workload = workload_name(d.pod.substr(s + 1), labels);
    }
    const std::string host = d.cluster.empty() ? "unknown" : cluster_host(d.cluster);
    auto [service_name, service_ns] =
        d.cluster.empty() ? std::pair<std::string, std::string>{"unknown", "unknown"} : service_name_namespace(host);
    const bool has_pod = !d.pod.empty();
    Series(out, "istio_requests_total")
        .label("reporter", "source")
        .label("source_workload", gateway_name)
        .label("source_canonical_service", gateway_name)
        .label("source_canonical_revision", "latest")
        .label("source_workload_namespace", gateway_ns)
        .label("source_principal", "unknown")
        .label("source_app", gateway_name)
        .label("source_version", "unknown")
        .label("source_cluster", "Kubernetes")
        .label("destination_workload", workload)
        .label("destination_workload_namespace", workload_ns)
        .label("destination_principal", "unknown")
        .label("destination_app", label_or(labels, {"app"}, "unknown"))
        .label("destination_version", label_or(labels, {"version"}, "unknown"))
        .label("destination_service", host)
        .label("destination_canonical_service",
               has_pod
                   ? label_or(labels, {"service.istio.io/canonical-name", "app.kubernetes.io/name", "app"}, workload)
                   : "unknown")
        .label("destination_canonical_revision",
               has_pod
                   ? label_or(labels, {"service.istio.io/canonical-revision", "app.kubernetes.io/version", "version"},
                              "latest")
                   : "unknown")
        .label("destination_service_name", service_name)
        .label("destination_service_namespace", service_ns)
        .label("destination_cluster", has_pod ? "Kubernetes" : "unknown")
        .label("request_protocol", "http")
        .label("response_flags", d.response_flags.empty() ? "-" : d.response_flags)
        .label("connection_security_policy", "unknown")
        .label("response_code", std::to_string(d.status))
        .label("grpc_response_status", "")
        .value(n);
  }

  out << "# TYPE gwsim_route_requests_total counter\n";
  for (const auto& [r, n] : routes_)
    Series(out, "gwsim_route_requests_total")
        .label("virtual_host", r.virtual_host)
        .label("route", r.route)
        .label("virtual_service", r.virtual_service)
        .label("response_code", std::to_string(r.status))
        .value(n);
  return out.str();
}

}  // namespace gwsim::runtime
