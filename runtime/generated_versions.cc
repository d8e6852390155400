#include "runtime/generated_versions.h"

#include <optional>
#include <type_traits>
#include <utility>

namespace gwsim::runtime {

namespace {

// Appends values unambiguously: every string length-prefixed, every list counted, every
// optional marked, so that different objects never give the same text.
class Writer {
 public:
  std::string take() { return std::move(out_); }

  void put(const std::string& s) { out_.append(std::to_string(s.size())).append(":").append(s); }
  void put(const char* s) { put(std::string(s)); }
  void put(bool b) { out_.push_back(b ? 'T' : 'F'); }
  template <typename N>
  requires std::is_arithmetic_v<N>
  void put(N n) { out_.append(std::to_string(n)).push_back(';'); }
  template <typename T>
  void put(const std::optional<T>& o) {
    put(o.has_value());
    if (o) put(*o);
  }
  template <typename T>
  void put(const std::vector<T>& list) {
    out_.append("[").append(std::to_string(list.size())).append("]");
    for (const auto& item : list) put(item);
  }
  template <typename K, typename V>
  void put(const std::map<K, V>& map) {
    out_.append("{").append(std::to_string(map.size())).append("}");
    for (const auto& [k, v] : map) {
      put(k);
      put(v);
    }
  }
  template <typename A, typename B>
  void put(const std::pair<A, B>& p) {
    put(p.first);
    put(p.second);
  }
  void put(const model::Json& j) { put(j.dump()); }

  void put(const model::Meta& m) { all(m.name, m.namespace_, m.labels, m.annotations, m.creation_time); }
  void put(const model::StringMatch& m) { all(static_cast<int>(m.kind), m.value); }
  void put(const model::PortSelector& p) { put(p.number); }
  void put(const model::Destination& d) { all(d.host, d.subset, d.port); }
  void put(const model::HeaderOperations& h) { all(h.set, h.add, h.remove); }
  void put(const model::Headers& h) { all(h.request, h.response); }
  void put(const model::Percent& p) { put(p.value); }
  void put(const model::HTTPMatchRequest& m) {
    all(m.name, m.uri, m.scheme, m.method, m.authority, m.headers, m.without_headers, m.query_params, m.port,
        m.source_labels, m.gateways, m.ignore_uri_case, m.source_namespace, m.stat_prefix);
  }
  void put(const model::HTTPRouteDestination& d) { all(d.destination, d.weight, d.headers); }
  void put(const model::HTTPRedirect& r) {
    all(r.uri, r.authority, r.port, r.derive_port, r.scheme, r.redirect_code, r.prefix_rewrite);
  }
  void put(const model::RegexRewrite& r) { all(r.match, r.rewrite); }
  void put(const model::HTTPRewrite& r) { all(r.uri, r.authority, r.uri_regex_rewrite); }
  void put(const model::HTTPDirectResponse& r) { all(r.status, r.body); }
  void put(const model::Delegate& d) { all(d.name, d.namespace_); }
  void put(const model::HTTPRetry& r) {
    all(r.attempts, r.per_try_timeout, r.retry_on, r.retry_remote_localities, r.retry_ignore_previous_hosts, r.backoff);
  }
  void put(const model::FaultDelay& d) { all(d.fixed_delay, d.percentage, d.percent); }
  void put(const model::FaultAbort& a) { all(a.http_status, a.grpc_status, a.percentage); }
  void put(const model::HTTPFaultInjection& f) { all(f.delay, f.abort); }
  void put(const model::HTTPMirrorPolicy& m) { all(m.destination, m.percentage); }
  void put(const model::CorsPolicy& c) {
    all(c.allow_origins, c.allow_methods, c.allow_headers, c.expose_headers, c.max_age, c.allow_credentials,
        c.unmatched_preflights);
  }
  void put(const model::HTTPRoute& r) {
    all(r.name, r.match, r.route, r.redirect, r.direct_response, r.delegate, r.rewrite, r.timeout, r.retries, r.fault,
        r.mirror, r.mirror_percentage, r.mirrors, r.cors_policy, r.headers);
  }
  void put(const model::RouteDestination& d) { all(d.destination, d.weight); }
  void put(const model::TLSMatchAttributes& m) {
    all(m.sni_hosts, m.destination_subnets, m.port, m.source_labels, m.gateways, m.source_namespace);
  }
  void put(const model::TLSRoute& r) { all(r.match, r.route); }
  void put(const model::L4MatchAttributes& m) {
    all(m.destination_subnets, m.port, m.source_subnet, m.source_labels, m.gateways, m.source_namespace);
  }
  void put(const model::TCPRoute& r) { all(r.match, r.route); }
  void put(const model::ServerTLSSettings& t) {
    all(t.https_redirect, t.mode, t.server_certificate, t.private_key, t.ca_certificates, t.credential_name,
        t.credential_names, t.subject_alt_names, t.min_protocol_version, t.max_protocol_version, t.cipher_suites,
        t.mode_set);
  }
  void put(const model::GatewayPort& p) { all(p.number, p.protocol, p.name, p.target_port); }
  void put(const model::Server& s) { all(s.port, s.bind, s.hosts, s.tls, s.default_endpoint, s.name); }

  template <typename... T>
  void all(const T&... values) {
    (put(values), ...);
  }

 private:
  std::string out_;
};

}  // namespace

std::string content_fingerprint(const model::Gateway& g) {
  Writer w;
  w.all(g.meta, g.servers, g.selector);
  return w.take();
}

std::string content_fingerprint(const model::VirtualService& vs) {
  Writer w;
  w.all(vs.meta, vs.hosts, vs.gateways, vs.http, vs.tls, vs.tcp, vs.export_to);
  return w.take();
}

template <typename T>
void GeneratedVersions::stamp_list(std::vector<T>& objects, std::map<std::string, Known>& known, bool whole) {
  std::map<std::string, Known> stamped;
  for (auto& object : objects) {
    const std::string key = object.meta.namespace_ + "/" + object.meta.name;
    std::string fingerprint = content_fingerprint(object);
    auto it = known.find(key);
    if (it == known.end() || it->second.fingerprint != fingerprint) {
      object.meta.resource_version = "generated-" + std::to_string(++next_);
    } else {
      object.meta.resource_version = it->second.resource_version;
    }
    stamped[key] = Known{std::move(fingerprint), object.meta.resource_version};
  }
  if (whole) {
    known = std::move(stamped);
    return;
  }
  for (auto& [key, k] : stamped) known[key] = std::move(k);
}

void GeneratedVersions::stamp(std::vector<model::Gateway>& gateways,
                              std::vector<model::VirtualService>& virtual_services) {
  stamp_list(gateways, gateways_, true);
  stamp_list(virtual_services, virtual_services_, true);
}

void GeneratedVersions::stamp(std::vector<model::Gateway>& gateways) { stamp_list(gateways, gateways_, true); }

void GeneratedVersions::stamp_some(std::vector<model::VirtualService>& changed, const std::vector<std::string>& removed) {
  for (const auto& key : removed) virtual_services_.erase(key);
  stamp_list(changed, virtual_services_, false);
}

}  // namespace gwsim::runtime
