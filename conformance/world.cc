#include "conformance/world.h"

#include "conformance/datapath_world.h"

#include <algorithm>

#include "engine/route/compile.h"
#include "engine/validation/validate.h"
#include "fakes/pods/echo.h"

namespace gwsim::conformance {

namespace {

std::string pod_key(const std::string& namespace_, const std::string& name) { return namespace_ + "/" + name; }

std::string group_of(const std::string& api_version) {
  auto slash = api_version.find('/');
  return slash == std::string::npos ? std::string() : api_version.substr(0, slash);
}

// Whether a pod's labels contain every selector label.
bool selects(const std::map<std::string, std::string>& selector, const model::Json& labels) {
  for (const auto& [k, v] : selector) {
    auto it = labels.find(k);
    if (it == labels.end() || !it->is_string() || it->get<std::string>() != v) return false;
  }
  return true;
}

}  // namespace

http::Request to_match_request(const RequestSpec& spec) {
  http::Request r;
  r.port = spec.port;
  r.scheme = spec.scheme;
  r.sni = spec.sni;
  r.method = spec.method;
  r.host = spec.host;
  r.path = spec.path;
  r.headers = spec.headers;
  r.client_certificate = spec.client_certificate;
  r.source_ip = spec.source_ip;
  return r;
}

World::World(std::uint64_t seed, Mode mode, double time_scale) : random_(seed) {
  if (mode == Mode::kDatapath) datapath_ = std::make_unique<DatapathSender>(cluster_, DatapathOptions{seed, time_scale});
}

World::~World() = default;

ApplyResult World::apply(const std::vector<model::Object>& objects) { return cluster_.apply(objects); }

void World::install_default_gateway_if_missing() { cluster_.install_default_gateway_if_missing(); }

Result<bool> World::remove(const DeleteTarget& target) {
  std::string group = group_of(target.api_version);
  bool cluster_scoped = fakes::is_cluster_scoped(group, target.kind);
  return cluster_.remove(fakes::ObjectKey{group, target.kind, cluster_scoped ? "" : target.namespace_, target.name});
}

Result<bool> World::scale(const ScaleSpec& scale) {
  return cluster_.scale(scale.namespace_, scale.deployment, scale.replicas);
}

Result<std::vector<std::string>> World::change_pods(const PodsSpec& spec) {
  std::vector<model::Object> matching;
  for (auto& pod : cluster_.store().list("", "Pod", spec.namespace_)) {
    if (!spec.name.empty()) {
      if (pod.name() == spec.name) matching.push_back(std::move(pod));
      continue;
    }
    const model::Json& metadata = pod.doc["metadata"];
    model::Json labels = metadata.value("labels", model::Json::object());
    if (selects(spec.selector, labels)) matching.push_back(std::move(pod));
  }
  if (matching.empty()) {
    std::string what = spec.name.empty() ? "the selector" : "name " + spec.name;
    return make_error("no pod in namespace " + spec.namespace_ + " matches " + what);
  }
  std::sort(matching.begin(), matching.end(),
            [](const model::Object& a, const model::Object& b) { return a.name() < b.name(); });
  if (spec.count && static_cast<std::size_t>(*spec.count) < matching.size()) matching.resize(*spec.count);

  std::vector<std::string> changed;
  for (const auto& pod : matching) {
    const std::string ns = pod.namespace_(), name = pod.name();
    if (spec.reset) cluster_.reset_pod_behaviour(ns, name);
    if (spec.respond || spec.refuse) {
      PodBehaviour b = cluster_.pod_behaviour(ns, name).value_or(PodBehaviour{});
      if (spec.respond) {
        if (spec.respond->status) b.status = spec.respond->status;
        if (spec.respond->delay_ms) b.delay_ms = spec.respond->delay_ms;
      }
      if (spec.refuse) b.refuse = *spec.refuse;
      cluster_.set_pod_behaviour(ns, name, b);
    }
    if (spec.ready) cluster_.set_pod_ready(ns, name, *spec.ready);
    changed.push_back(pod_key(ns, name));
  }
  if (datapath_) datapath_->sync();  // behaviours republish no table: bring the pods along
  return changed;
}

std::vector<std::string> World::snapshot_problems() { return cluster_.snapshot_problems(); }

Result<std::shared_ptr<const route::RouteTable>> World::table(const std::string& gateway) {
  return cluster_.table(gateway);
}

Result<Observation> World::send(const RequestSpec& spec) {
  if (datapath_) return datapath_->send(spec);
  auto compiled = table(spec.gateway);
  if (!compiled.ok()) return make_error("gateway " + spec.gateway + ": " + compiled.error().to_string());
  std::shared_ptr<const route::RouteTable> table = compiled.value();

  router::UpstreamCall upstream = [&](const route::Endpoint& endpoint, const http::UpstreamRequest& request,
                                     const router::AttemptContext&) {
    http::UpstreamResponse response;
    std::optional<PodBehaviour> stored = cluster_.pod_behaviour(endpoint.pod_namespace, endpoint.pod_name);
    const PodBehaviour* behaviour = stored ? &*stored : nullptr;
    if (behaviour && behaviour->refuse) {
      response.connected = false;
      response.status = 0;
      return response;
    }
    if (behaviour && behaviour->delay_ms) response.delay_ms = *behaviour->delay_ms;
    response.status = behaviour && behaviour->status ? *behaviour->status : 200;
    fakes::EchoPod pod;
    pod.name = endpoint.pod_name;
    pod.namespace_ = endpoint.pod_namespace;
    if (auto v = endpoint.labels.find("version"); v != endpoint.labels.end()) pod.version = v->second;
    pod.port = endpoint.port;
    fakes::EchoRequest echo;
    echo.method = request.method;
    echo.authority = request.authority;
    echo.path = request.path;
    echo.client_ip = request.client_ip;
    echo.headers = request.headers;
    response.body = fakes::echo_body(pod, echo, response.status);
    return response;
  };

  router::Exchange exchange = router::exchange(*table, to_match_request(spec), random_, lb_state_, upstream);
  Observation o;
  o.trace = std::move(exchange.trace);
  o.response = std::move(exchange.response);
  o.upstream_request = std::move(exchange.upstream_request);
  if (exchange.endpoint) o.pod_labels = exchange.endpoint->labels;
  if (o.trace.outcome == match::Outcome::kUnsupported)
    o.unsupported = o.trace.detail.empty() ? "this route's configuration" : o.trace.detail;
  return o;
}

}  // namespace gwsim::conformance
