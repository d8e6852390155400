#include "conformance/world.h"

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

std::string format_ms(std::int64_t ms) {
  return ms % 1000 == 0 ? std::to_string(ms / 1000) + "s" : std::to_string(ms) + "ms";
}

// Whether a pod's labels contain every selector label.
bool selects(const std::map<std::string, std::string>& selector, const model::Json& labels) {
  for (const auto& [k, v] : selector) {
    auto it = labels.find(k);
    if (it == labels.end() || !it->is_string() || it->get<std::string>() != v) return false;
  }
  return true;
}

// The pod status with its Ready condition set, as the kubelet reports readiness.
model::Json with_readiness(model::Json status, bool ready) {
  if (!status.is_object()) status = model::Json::object();
  const char* value = ready ? "True" : "False";
  auto& conditions = status["conditions"];
  if (!conditions.is_array()) conditions = model::Json::array();
  bool found = false;
  for (auto& c : conditions) {
    if (c.is_object() && c.value("type", "") == "Ready") {
      c["status"] = value;
      found = true;
    }
  }
  if (!found) conditions.push_back({{"type", "Ready"}, {"status", value}});
  if (auto cs = status.find("containerStatuses"); cs != status.end() && cs->is_array())
    for (auto& c : *cs)
      if (c.is_object()) c["ready"] = ready;
  return status;
}

bool is_ready(const model::Json& status) {
  auto conditions = status.find("conditions");
  if (conditions == status.end() || !conditions->is_array()) return false;
  for (const auto& c : *conditions)
    if (c.is_object() && c.value("type", "") == "Ready") return c.value("status", "") == "True";
  return false;
}

}  // namespace

match::Request to_match_request(const RequestSpec& spec) {
  match::Request r;
  r.port = spec.port;
  r.scheme = spec.scheme;
  r.sni = spec.sni;
  r.method = spec.method;
  r.host = spec.host;
  r.path = spec.path;
  r.headers = spec.headers;
  return r;
}

World::World(std::uint64_t seed) : controllers_(store_), random_(seed) {}

ApplyResult World::apply(const std::vector<model::Object>& objects) {
  // Kubernetes timestamps have second resolution: one apply, one instant; the next is later.
  if (applies_++ > 0) store_.clock().advance(1);
  ApplyResult result;
  model::ConfigSnapshot scratch;
  for (const auto& object : objects) {
    validation::ValidationReport report = validation::validate(object);
    if (!report.ok()) {
      std::string where = object.source.to_string();
      result.rejected.push_back((where.empty() ? "" : where + ": ") + model::describe(object) + ": " +
                                report.denial_message());
      continue;
    }
    for (const auto& w : report.warnings) result.warnings.push_back(model::describe(object) + ": " + w);
    // The typed model's checks stand in for the API server's schema validation.
    if (auto added = model::add_to_snapshot(object, scratch); !added.ok()) {
      result.rejected.push_back(added.error().to_string());
      continue;
    }
    auto stored = store_.apply(object);
    if (!stored.ok()) {
      result.rejected.push_back(model::describe(object) + ": " + stored.error().to_string());
      continue;
    }
    ++result.stored;
  }
  reconcile();
  return result;
}

void World::install_default_gateway_if_missing() {
  if (fakes::has_ingress_gateway(store_)) return;
  for (auto& object : fakes::default_ingress_gateway_objects()) store_.apply(std::move(object));
  reconcile();
}

// Controllers until stable; readiness set by `pods` steps wins over what they report.
void World::reconcile() {
  for (int round = 0; round < 10; ++round) {
    controllers_.reconcile();
    bool changed = false;
    for (const auto& [key, ready] : ready_overrides_) {
      auto slash = key.find('/');
      fakes::ObjectKey pod{"", "Pod", key.substr(0, slash), key.substr(slash + 1)};
      auto object = store_.get(pod);
      if (!object) continue;
      model::Json status = object->doc.value("status", model::Json::object());
      if (is_ready(status) == ready) continue;
      if (store_.update_status(pod, with_readiness(status, ready)).ok()) changed = true;
    }
    if (!changed) return;
  }
}

Result<bool> World::remove(const DeleteTarget& target) {
  std::string group = group_of(target.api_version);
  bool cluster_scoped = fakes::is_cluster_scoped(group, target.kind);
  fakes::ObjectKey key{group, target.kind, cluster_scoped ? "" : target.namespace_, target.name};
  auto removed = store_.remove(key);
  if (!removed.ok()) return make_error("cannot delete " + key.to_string() + ": " + removed.error().message);
  reconcile();
  return true;
}

Result<bool> World::scale(const ScaleSpec& scale) {
  fakes::ObjectKey key{"apps", "Deployment", scale.namespace_, scale.deployment};
  auto object = store_.get(key);
  if (!object) return make_error("cannot scale: " + key.to_string() + " not found");
  object->doc["spec"]["replicas"] = scale.replicas;
  auto stored = store_.apply(*object);
  if (!stored.ok()) return make_error("cannot scale " + key.to_string() + ": " + stored.error().to_string());
  reconcile();
  return true;
}

Result<std::vector<std::string>> World::change_pods(const PodsSpec& spec) {
  std::vector<model::Object> matching;
  for (auto& pod : store_.list("", "Pod", spec.namespace_)) {
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
    std::string key = pod_key(pod.namespace_(), pod.name());
    if (spec.reset) behaviours_.erase(key);
    if (spec.respond || spec.refuse) {
      PodBehaviour& b = behaviours_[key];
      if (spec.respond) {
        if (spec.respond->status) b.status = spec.respond->status;
        if (spec.respond->delay_ms) b.delay_ms = spec.respond->delay_ms;
      }
      if (spec.refuse) b.refuse = *spec.refuse;
    }
    if (spec.ready) ready_overrides_[key] = *spec.ready;
    changed.push_back(key);
  }
  if (spec.ready) reconcile();
  return changed;
}

void World::refresh_snapshot() {
  if (cached_version_ == store_.resource_version() && snapshot_) return;
  snapshot_ = model::build_snapshot(store_.all());
  tables_.clear();
  cached_version_ = store_.resource_version();
}

std::vector<std::string> World::snapshot_problems() {
  refresh_snapshot();
  std::vector<std::string> out;
  for (const auto& p : snapshot_->problems)
    out.push_back((p.where.empty() ? "" : p.where + ": ") + p.object + ": " + p.message);
  return out;
}

Result<std::shared_ptr<const route::RouteTable>> World::table(const std::string& gateway) {
  refresh_snapshot();
  auto it = tables_.find(gateway);
  if (it == tables_.end()) {
    auto compiled = route::compile_gateway(snapshot_->snapshot, gateway);
    Result<std::shared_ptr<const route::RouteTable>> entry =
        compiled.ok() ? Result<std::shared_ptr<const route::RouteTable>>(
                            std::make_shared<const route::RouteTable>(std::move(compiled.value())))
                      : Result<std::shared_ptr<const route::RouteTable>>(compiled.error());
    it = tables_.emplace(gateway, std::move(entry)).first;
  }
  return it->second;
}

// A delay changes the outcome only against a timeout, which decision mode does not simulate
// yet: say so rather than guess.
std::string World::check_delay(const route::RouteTable& table, const match::DecisionTrace& trace,
                               std::int64_t delay_ms) const {
  auto rc = table.route_configs.find(trace.route_config);
  if (rc == table.route_configs.end()) return {};
  for (const auto& vh : rc->second.virtual_hosts) {
    if (vh.name != trace.virtual_host) continue;
    if (trace.route_index < 0 || trace.route_index >= static_cast<int>(vh.routes.size())) return {};
    const route::Route& r = vh.routes[trace.route_index];
    std::optional<model::Millis> limit = r.route.timeout;
    if (r.route.retry && r.route.retry->per_try_timeout &&
        (!limit || *limit == 0 || *r.route.retry->per_try_timeout < *limit))
      limit = r.route.retry->per_try_timeout;
    if (limit && *limit > 0 && delay_ms >= *limit)
      return "pod response delay " + format_ms(delay_ms) + " against route timeout " + format_ms(*limit) +
             " (timeouts are not simulated in decision mode)";
  }
  return {};
}

Result<Observation> World::send(const RequestSpec& spec) {
  auto compiled = table(spec.gateway);
  if (!compiled.ok()) return make_error("gateway " + spec.gateway + ": " + compiled.error().to_string());
  std::shared_ptr<const route::RouteTable> table = compiled.value();

  std::int64_t max_delay = 0;
  match::UpstreamCall upstream = [&](const route::Endpoint& endpoint, const match::UpstreamRequest& request) {
    match::UpstreamResponse response;
    const PodBehaviour* behaviour = nullptr;
    if (auto it = behaviours_.find(pod_key(endpoint.pod_namespace, endpoint.pod_name)); it != behaviours_.end())
      behaviour = &it->second;
    if (behaviour && behaviour->refuse) {
      response.connected = false;
      response.status = 0;
      return response;
    }
    if (behaviour && behaviour->delay_ms) max_delay = std::max(max_delay, *behaviour->delay_ms);
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

  match::Exchange exchange = match::exchange(*table, to_match_request(spec), random_, lb_state_, upstream);
  Observation o;
  o.trace = std::move(exchange.trace);
  o.response = std::move(exchange.response);
  o.upstream_request = std::move(exchange.upstream_request);
  if (exchange.endpoint) o.pod_labels = exchange.endpoint->labels;
  if (o.trace.outcome == match::Outcome::kUnsupported)
    o.unsupported = o.trace.detail.empty() ? "this route's configuration" : o.trace.detail;
  else if (max_delay > 0)
    o.unsupported = check_delay(*table, o.trace, max_delay);
  return o;
}

}  // namespace gwsim::conformance
