#include "runtime/live_gateway.h"

#include <algorithm>
#include <set>

#include "engine/model/labels.h"
#include "engine/model/snapshot.h"
#include "runtime/gateway_services.h"

namespace gwsim::runtime {

namespace {

std::string key(const std::string& ns, const std::string& name) { return ns + "/" + name; }

// Pods selected by the given Services: the gateways' own pods, which the proxy stands for.
std::set<std::string> gateway_pods(const model::ConfigSnapshot& snap, const std::vector<std::string>& gateways) {
  std::set<std::string> out;
  for (const auto& s : snap.services) {
    if (s.meta.namespace_.empty() || s.selector.empty()) continue;
    if (std::find(gateways.begin(), gateways.end(), key(s.meta.namespace_, s.meta.name)) == gateways.end()) continue;
    for (const auto& p : snap.pods)
      if (p.meta.namespace_ == s.meta.namespace_ && model::selects(s.selector, p.meta.labels))
        out.insert(key(p.meta.namespace_, p.meta.name));
  }
  return out;
}

}  // namespace

std::vector<fakes::PodSpec> pod_specs(ControlPlane& control_plane, const std::set<std::string>& skip) {
  std::vector<fakes::PodSpec> out;
  control_plane.read_snapshot(
      [&](const model::ConfigSnapshot& snap) { out = pod_specs(control_plane, snap, skip); });
  return out;
}

std::vector<fakes::PodSpec> pod_specs(ControlPlane& control_plane, const model::ConfigSnapshot& snapshot,
                                      const std::set<std::string>& skip) {
  std::vector<fakes::PodSpec> out = fakes::pod_specs(snapshot, skip);
  for (auto& spec : out)
    spec.behaviour = control_plane.pod_behaviour(spec.namespace_, spec.name).value_or(fakes::PodBehaviour{});
  return out;
}

LiveGateway::LiveGateway(ControlPlane& control_plane, LiveGatewayOptions options)
    : control_plane_(control_plane), options_(std::move(options)) {
  fakes::PodServerOptions pod_options;
  pod_options.seed = options_.seed;
  pod_options.time_scale = options_.time_scale;
  pods_ = std::make_unique<fakes::PodServer>(pod_options);
  subscription_ = control_plane_.subscribe(
      [this](const std::string& gateway, const Result<TablePtr>& table) { on_table(gateway, table); });
}

LiveGateway::~LiveGateway() { stop(); }

void LiveGateway::stop() {
  {
    std::lock_guard lock(mu_);
    if (stopped_) return;
    stopped_ = true;
  }
  control_plane_.unsubscribe(subscription_);
  std::lock_guard lock(mu_);
  for (auto& [g, proxy] : proxies_) proxy->stop();
  pods_->stop();
}

// Runs on the thread that changed the control plane, under its lock. Lock order is always
// the control plane's, then mu_: nothing holding mu_ calls into it, and the pod server and
// the proxies never call back, so waiting for them here cannot deadlock.
void LiveGateway::on_table(const std::string& gateway, const Result<TablePtr>& table) {
  {
    std::lock_guard lock(mu_);
    if (stopped_ || !proxies_.count(gateway)) return;
  }
  PodsUpdate pods = read_pods();
  const std::uint64_t version = pods.version;
  {
    std::lock_guard lock(mu_);
    if (stopped_) return;
    apply_pods(std::move(pods), false);
    apply_table(gateway, version, table.ok() ? table.value() : nullptr);
  }
  if (options_.changed) options_.changed(gateway);
}

LiveGateway::PodsUpdate LiveGateway::read_pods() {
  PodsUpdate update;
  update.version = control_plane_.store().resource_version();
  std::vector<std::string> gateways = this->gateways();
  control_plane_.read_snapshot([&](const model::ConfigSnapshot& snap) {
    update.specs = pod_specs(control_plane_, snap, gateway_pods(snap, gateways));
  });
  return update;
}

void LiveGateway::apply_pods(PodsUpdate update, bool force) {
  // Skip what is older than what runs (a concurrent writer got there first).
  if (pods_applied_ && (update.version < pods_version_ || (!force && update.version == pods_version_))) return;
  pods_version_ = update.version;
  pods_applied_ = true;
  pods_->update(std::move(update.specs));
}

void LiveGateway::apply_table(const std::string& gateway, std::uint64_t version, TablePtr table) {
  auto it = proxies_.find(gateway);
  if (it == proxies_.end()) return;
  auto applied = table_versions_.find(gateway);
  if (applied != table_versions_.end() && version < applied->second) return;
  table_versions_[gateway] = version;
  it->second->set_table(std::move(table));
}

void LiveGateway::add_gateway(const std::string& gateway) {
  {
    std::lock_guard lock(mu_);
    if (stopped_ || proxies_.count(gateway)) return;
    datapath::ProxyOptions po;
    po.listen_address = options_.listen_address;
    po.prefer_service_ports = options_.prefer_service_ports;
    po.threads = options_.proxy_threads;
    po.seed = options_.seed;
    po.addresses = pods_->addresses();
    std::shared_ptr<GatewayStats> stats;
    if (options_.stats) stats_[gateway] = stats = std::make_shared<GatewayStats>(gateway);
    if (stats) {
      po.access_log = [stats, log = options_.access_log](const datapath::AccessLogEntry& e) {
        stats->record(e);
        if (log) log(e);
      };
    } else {
      po.access_log = options_.access_log;
    }
    po.warn = options_.warn;
    po.extra_client_ca = options_.extra_client_ca;
    po.time_scale = options_.time_scale;
    proxies_[gateway] = std::make_unique<datapath::Proxy>(gateway, std::move(po));
  }
  const std::uint64_t version = control_plane_.store().resource_version();
  auto table = control_plane_.table(gateway);  // tracked from now on; may republish other gateways
  PodsUpdate pods = read_pods();          // the gateway's own pods are no longer fake pods
  {
    std::lock_guard lock(mu_);
    if (stopped_) return;
    apply_pods(std::move(pods), true);
    apply_table(gateway, version, table.ok() ? table.value() : nullptr);
  }
  if (options_.changed) options_.changed(gateway);
}

void LiveGateway::add_all_gateways() {
  for (const auto& g : gateway_services(control_plane_)) add_gateway(g);
}

void LiveGateway::sync() {
  const std::uint64_t version = control_plane_.store().resource_version();
  std::map<std::string, TablePtr> tables;
  for (const auto& g : gateways()) {
    auto table = control_plane_.table(g);
    tables[g] = table.ok() ? table.value() : nullptr;
  }
  PodsUpdate pods = read_pods();
  std::lock_guard lock(mu_);
  if (stopped_) return;
  apply_pods(std::move(pods), true);
  for (auto& [g, table] : tables) apply_table(g, version, std::move(table));
}

datapath::Proxy* LiveGateway::proxy(const std::string& gateway) {
  std::lock_guard lock(mu_);
  auto it = proxies_.find(gateway);
  return it == proxies_.end() ? nullptr : it->second.get();
}

std::shared_ptr<const GatewayStats> LiveGateway::stats(const std::string& gateway) const {
  std::lock_guard lock(mu_);
  auto it = stats_.find(gateway);
  return it == stats_.end() ? nullptr : it->second;
}

std::vector<std::string> LiveGateway::gateways() const {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  for (const auto& [g, proxy] : proxies_) out.push_back(g);
  return out;
}

nlohmann::json LiveGateway::state() const {
  // The control plane first, before mu_ (the lock order above): reading its snapshot while
  // holding mu_ deadlocked against a write, whose republish holds the control plane's lock and
  // waits for mu_ in on_table (issue #15: found by tests/stress under concurrent writes).
  std::map<std::string, std::pair<model::Labels, bool>> by_key;  // labels, ready
  control_plane_.read_snapshot([&by_key](const model::ConfigSnapshot& snap) {
    for (const auto& p : snap.pods) by_key[key(p.meta.namespace_, p.meta.name)] = {p.meta.labels, p.ready};
  });
  std::lock_guard lock(mu_);
  nlohmann::json gateways = nlohmann::json::array();
  for (const auto& [g, proxy] : proxies_) {
    nlohmann::json ports = nlohmann::json::array();
    for (const auto& b : proxy->bindings()) {
      std::string scheme = b.tls ? "https" : "http";
      ports.push_back({{"port", b.service_port},
                       {"targetPort", b.listen_port},
                       {"listener", b.listener},
                       {"address", b.address},
                       {"url", scheme + "://" + b.address},
                       {"listening", b.listening},
                       {"tls", b.tls}});
    }
    // Each cluster's endpoints with where they really listen (see datapath::AddressMap), so
    // scripts and benchmarks can talk to the same pods the gateway routes to.
    nlohmann::json clusters = nlohmann::json::object();
    if (auto table = proxy->table()) {
      for (const auto& [name, cluster] : table->clusters) {
        nlohmann::json endpoints = nlohmann::json::array();
        for (const auto& e : cluster.endpoints) {
          auto actual = pods_->addresses()->resolve(e.ip, e.port);
          endpoints.push_back({{"pod", e.pod_namespace + "/" + e.pod_name},
                               {"endpoint", e.ip + ":" + std::to_string(e.port)},
                               {"address", actual ? actual->to_string() : std::string()},
                               {"healthy", e.healthy}});
        }
        clusters[name] = std::move(endpoints);
      }
    }
    gateways.push_back({{"service", g}, {"ports", ports}, {"clusters", clusters}});
  }
  std::map<std::string, nlohmann::json> pods;
  for (const auto& s : pods_->served()) {
    auto& pod = pods[s.pod];
    if (pod.is_null()) {
      auto slash = s.pod.find('/');
      pod = {{"namespace", s.pod.substr(0, slash)}, {"name", s.pod.substr(slash + 1)}, {"ip", s.ip},
             {"labels", nlohmann::json::object()}, {"ready", false}, {"ports", nlohmann::json::array()}};
      if (auto it = by_key.find(s.pod); it != by_key.end()) {
        pod["labels"] = it->second.first;
        pod["ready"] = it->second.second;
      }
    }
    pod["ports"].push_back({{"port", s.declared.port},
                            {"tls", s.declared.tls},
                            {"address", s.ip + ":" + std::to_string(s.actual_port)},
                            {"listening", s.listening}});
  }
  nlohmann::json pod_list = nlohmann::json::array();
  for (auto& [k, v] : pods) pod_list.push_back(std::move(v));
  return {{"gateways", gateways}, {"pods", pod_list}};
}

}  // namespace gwsim::runtime
