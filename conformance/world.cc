#include "conformance/world.h"

#include <algorithm>

#include "conformance/near_miss.h"
#include "engine/http/request.h"
#include "engine/model/labels.h"
#include "engine/text/ascii.h"
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
  r.version = spec.protocol == "HTTP/1.0" ? 10 : spec.protocol == "HTTP/2" ? 20 : 11;
  r.client_certificate = spec.client_certificate;
  r.source_ip = spec.source_ip;
  return r;
}

namespace {

// Istio's protocol of a port name or appProtocol (pkg/config/kube/conversion.go,
// ConvertProtocol, and pkg/config/protocol Parse): whether it carries HTTP/2 (IsHTTP2).
bool names_http2(std::string name, bool app_protocol) {
  if (app_protocol && name == "kubernetes.io/h2c") return true;
  name = text::to_lower(name);
  if (name.rfind("grpc-web", 0) == 0) return true;
  if (auto dash = name.find('-'); dash != std::string::npos) name.resize(dash);
  return name == "grpc" || name == "http2";
}

}  // namespace

std::string upstream_protocol(const model::ConfigSnapshot& snapshot, const std::string& service, std::uint32_t port) {
  // Istio's ClusterBuilder.setUpstreamProtocol (pilot/pkg/networking/core/cluster_builder.go):
  // HTTP/2 to the backend when the Service port's protocol is HTTP/2 (grpc, grpc-web, http2);
  // otherwise HTTP/1.1 (a gateway never uses the downstream protocol).
  for (const auto& s : snapshot.services) {
    if (s.meta.namespace_ + "/" + s.meta.name != service) continue;
    for (const auto& p : s.ports) {
      if (static_cast<std::uint32_t>(p.port) != port) continue;
      bool h2 = p.app_protocol ? names_http2(*p.app_protocol, true) : names_http2(p.name, false);
      return h2 ? "HTTP/2" : "HTTP/1.1";
    }
  }
  for (const auto& se : snapshot.service_entries) {
    if (se.meta.namespace_ + "/" + se.meta.name != service) continue;
    for (const auto& p : se.ports)
      if (p.number == port) return names_http2(p.protocol, false) ? "HTTP/2" : "HTTP/1.1";
  }
  return "HTTP/1.1";
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

  bool upstream_tls = false;
  std::string upstream_sni;
  bool upstream_h2 = false;
  router::UpstreamCall upstream = [&](const route::Endpoint& endpoint, const http::UpstreamRequest& request,
                                     const router::AttemptContext&) {
    // The cluster holding this endpoint names the Service port (its protocol: HTTP/1.1 or 2).
    upstream_h2 = false;
    for (const auto& [name, cluster] : table->clusters) {
      bool holds = std::any_of(cluster.endpoints.begin(), cluster.endpoints.end(), [&](const route::Endpoint& e) {
        return e.pod_name == endpoint.pod_name && e.pod_namespace == endpoint.pod_namespace && e.port == endpoint.port;
      });
      if (!holds) continue;
      cluster_.read_snapshot([&](const model::ConfigSnapshot& snapshot) {
        upstream_h2 = upstream_protocol(snapshot, cluster.service, cluster.port) == "HTTP/2";
      });
      break;
    }
    fakes::EchoRequest echo;
    echo.method = request.method;
    echo.authority = request.authority;
    echo.path = request.path;
    echo.client_ip = request.client_ip;
    echo.headers = request.headers;
    const bool pod_tls = spec.scheme == "https" && serves_tls(endpoint);
    if (pod_tls) echo.sni = client_sni(spec);
    if (upstream_h2) echo.proto = "HTTP/2.0";  // Go's Request.Proto for HTTP/2
    if (!spec.upgrade.empty()) echo.headers.emplace_back("connection", "upgrade");
    upstream_tls = pod_tls;
    upstream_sni = echo.sni;
    fakes::PodAnswer answer = fakes::pod_answer(
        fakes::echo_pod(endpoint.pod_namespace, endpoint.pod_name, endpoint.labels, endpoint.port),
        cluster_.pod_behaviour(endpoint.pod_namespace, endpoint.pod_name).value_or(fakes::PodBehaviour{}), echo,
        pod_random_);
    http::UpstreamResponse response;
    response.connected = answer.connected;
    response.terminated = answer.terminated;
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
  if (o.upstream_request) {
    o.upstream_tls = upstream_tls;
    o.upstream_sni = upstream_sni;
    o.upstream_protocol = upstream_h2 ? "HTTP/2" : "HTTP/1.1";
    // Envoy keeps Connection and Upgrade on an upgrade request (ConnectionManagerUtility::
    // mutateRequestHeaders, source/common/http/conn_manager_utility.cc), and Istio's gateways
    // allow websocket upgrades (the HTTP connection manager's upgrade_configs).
    if (!spec.upgrade.empty()) o.upstream_request->headers.emplace_back("connection", "upgrade");
  }
  if (exchange.endpoint) o.pod_labels = exchange.endpoint->labels;
  o.routed_request = std::move(exchange.routed_request);
  o.claims = std::move(exchange.claims);
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

std::optional<model::Json> World::read_object(const ObjectSpec& spec) {
  std::string group = model::split_api_version(spec.api_version).first;
  bool cluster_scoped = fakes::is_cluster_scoped(group, spec.kind);
  auto object = cluster_.store().get(fakes::ObjectKey{group, spec.kind, cluster_scoped ? "" : spec.namespace_, spec.name});
  if (!object) return std::nullopt;
  return std::move(object->doc);
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

Result<Observation> World::send(const RequestSpec& spec) {
  auto sent = sender_->send(spec);
  // Every outcome names the objects gwsim does not simulate that apply to the gateway giving it.
  if (sent.ok() && sent.value().not_runnable.empty()) {
    if (auto t = cluster_.table(spec.gateway); t.ok()) sent.value().unsimulated = t.value()->unsimulated;
  }
  return sent;
}

Result<match::Explanation> World::explain(const RequestSpec& spec, const Observation& observed) {
  auto compiled = cluster_.table(spec.gateway);
  if (!compiled.ok()) return make_error("gateway " + spec.gateway + ": " + compiled.error().to_string());
  const route::RouteTable& table = *compiled.value();
  // What the route stage saw: after jwt_authn when it ran (decision mode keeps it).
  const http::Request request = observed.routed_request ? *observed.routed_request : to_match_request(spec);
  match::Explanation e = match::explain(table, request, observed.trace, observed.claims);
  std::vector<match::NearMiss> objects;
  cluster_.read_snapshot([&](const model::ConfigSnapshot& snapshot) {
    objects = config_near_misses(snapshot, table, request, e, observed.trace);
  });
  // A route miss names the nearest route first; otherwise the objects say more than the table.
  const bool route_first = e.stopped_at == "route" && e.total_routes > 0;
  e.near_misses.insert(route_first ? e.near_misses.end() : e.near_misses.begin(), objects.begin(), objects.end());
  if (!e.stopped_at.empty() && !e.near_misses.empty() && e.summary.find("; nearest: ") == std::string::npos)
    e.summary += "; nearest: " + e.near_misses.front().object + ": " + e.near_misses.front().reason;
  return e;
}

}  // namespace gwsim::conformance
