#include "conformance/world.h"

#include <algorithm>

#include "engine/http/request.h"
#include "engine/model/labels.h"
#include "engine/route/compile.h"
#include "engine/validation/validate.h"
#include "fakes/pods/pod_answer.h"
#include "fakes/pods/pod_server.h"

namespace gwsim::conformance {

namespace {

std::string pod_key(const std::string& namespace_, const std::string& name) { return namespace_ + "/" + name; }

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

std::string client_sni(const RequestSpec& spec) {
  if (!spec.sni.empty() || spec.scheme != "https") return spec.sni;
  return std::string(http::host_without_port(spec.host));
}

namespace {

// Decision mode: router::exchange() in process; the fake pods answer through the same model as
// on sockets (fakes/pods/pod_answer.h).
class DecisionSender final : public RequestSender {
 public:
  DecisionSender(runtime::ControlPlane& cluster, lb::Random& random, lb::LoadBalancerState& lb_state, std::uint64_t seed)
      : cluster_(cluster), random_(random), lb_state_(lb_state), pod_random_(seed) {}

  Mode mode() const override { return Mode::kDecision; }
  Result<Observation> send(const RequestSpec& spec) override;

 private:
  // Whether the pod serves TLS on that port (fakes::pod_specs, as the pods on sockets do): then
  // only the client's own TLS (PASSTHROUGH) reaches it, and the pod sees the client's SNI.
  bool serves_tls(const route::Endpoint& endpoint) {
    bool tls = false;
    cluster_.read_snapshot([&](const model::ConfigSnapshot& snapshot) {
      for (const auto& pod : fakes::pod_specs(snapshot)) {
        if (pod.name != endpoint.pod_name || pod.namespace_ != endpoint.pod_namespace) continue;
        for (const auto& port : pod.ports)
          if (port.port == endpoint.port) tls = port.tls;
      }
    });
    return tls;
  }

  runtime::ControlPlane& cluster_;
  lb::Random& random_;
  lb::LoadBalancerState& lb_state_;
  lb::Random pod_random_;  // the pods' ?codes= draws, seeded as the pod server's
};

Result<Observation> DecisionSender::send(const RequestSpec& spec) {
  auto compiled = cluster_.table(spec.gateway);
  if (!compiled.ok()) return make_error("gateway " + spec.gateway + ": " + compiled.error().to_string());
  std::shared_ptr<const route::RouteTable> table = compiled.value();

  router::UpstreamCall upstream = [&](const route::Endpoint& endpoint, const http::UpstreamRequest& request,
                                     const router::AttemptContext&) {
    fakes::EchoRequest echo;
    echo.method = request.method;
    echo.authority = request.authority;
    echo.path = request.path;
    echo.client_ip = request.client_ip;
    echo.headers = request.headers;
    if (spec.scheme == "https" && serves_tls(endpoint)) echo.sni = client_sni(spec);
    fakes::PodAnswer answer = fakes::pod_answer(
        fakes::echo_pod(endpoint.pod_namespace, endpoint.pod_name, endpoint.labels, endpoint.port),
        cluster_.pod_behaviour(endpoint.pod_namespace, endpoint.pod_name).value_or(fakes::PodBehaviour{}), echo,
        pod_random_);
    http::UpstreamResponse response;
    response.connected = answer.connected;
    response.status = answer.status;
    response.delay_ms = answer.delay_ms;
    response.headers = std::move(answer.headers);
    response.body = std::move(answer.body);
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

}  // namespace

World::World(std::uint64_t seed, Mode mode, double time_scale) : random_(seed) {
  if (mode == Mode::kDatapath)
    sender_ = make_datapath_sender(cluster_, seed, time_scale);
  else
    sender_ = std::make_unique<DecisionSender>(cluster_, random_, lb_state_, seed);
}

World::~World() = default;

ApplyResult World::apply(const std::vector<model::Object>& objects) { return cluster_.apply(objects); }
ApplyResult World::apply(const std::vector<runtime::AdmittedObject>& objects) { return cluster_.apply(objects); }

void World::install_default_gateway_if_missing() { cluster_.install_default_gateway_if_missing(); }

Result<bool> World::remove(const DeleteTarget& target) {
  std::string group = model::split_api_version(target.api_version).first;
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
    if (model::selects(spec.selector, labels)) matching.push_back(std::move(pod));
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
      PodBehaviour b = cluster_.pod_behaviour(ns, name).value_or(fakes::PodBehaviour{});
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
  sender_->sync();  // behaviours republish no table: bring the pods along
  return changed;
}

std::vector<std::string> World::snapshot_problems() { return cluster_.snapshot_problems(); }

Result<std::shared_ptr<const route::RouteTable>> World::table(const std::string& gateway) {
  return cluster_.table(gateway);
}

Result<Observation> World::send(const RequestSpec& spec) { return sender_->send(spec); }

}  // namespace gwsim::conformance
