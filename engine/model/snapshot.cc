#include "engine/model/snapshot.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <tuple>

#include "engine/model/detail_convert.h"
#include "engine/model/crd_schema.h"
#include "engine/model/int32_range.h"

namespace gwsim::model {

std::string Service::hostname() const {
  return !fqdn.empty() ? fqdn : meta.name + "." + meta.namespace_ + ".svc.cluster.local";
}

namespace {

// ---- JSON access ----------------------------------------------------------------------------
// Istio objects are schema-checked before they are read, so these only need to cope with absent
// fields; core objects are read tolerantly (a wrong type reads as absent, scalars as text).

const Json* field(const Json& o, const char* key) {
  if (!o.is_object()) return nullptr;
  auto it = o.find(key);
  return it == o.end() || it->is_null() ? nullptr : &*it;
}

std::string text_of(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number_integer()) return v.dump();
  if (v.is_number()) return v.dump();
  return {};
}

std::string str(const Json& o, const char* key) {
  const Json* v = field(o, key);
  return v ? text_of(*v) : std::string();
}

std::optional<std::int64_t> integer(const Json& o, const char* key) {
  const Json* v = field(o, key);
  if (!v) return std::nullopt;
  // Saturated at the int64 range, never wrapped or thrown: the int32 checks below refuse it.
  constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
  if (v->is_number_unsigned()) return static_cast<std::int64_t>(std::min<std::uint64_t>(v->get<std::uint64_t>(), kMax));
  if (v->is_number_integer()) return v->get<std::int64_t>();
  if (v->is_number()) {
    const double d = v->get<double>();
    if (!(d > -9.2e18)) return std::numeric_limits<std::int64_t>::min();
    if (!(d < 9.2e18)) return kMax;
    return static_cast<std::int64_t>(std::llround(d));
  }
  if (v->is_string()) {  // tolerated for core kinds: port: "80"
    const std::string s = v->get<std::string>();
    if (!s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
      std::int64_t n = 0;
      const auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), n);
      return error == std::errc() && end == s.data() + s.size() ? n : kMax;
    }
  }
  return std::nullopt;
}

std::uint32_t u32(const Json& o, const char* key) {
  auto v = integer(o, key);
  return v && *v > 0 ? static_cast<std::uint32_t>(*v) : 0;
}

std::optional<std::uint32_t> opt_u32(const Json& o, const char* key) {
  auto v = integer(o, key);
  if (!v) return std::nullopt;
  return static_cast<std::uint32_t>(*v < 0 ? 0 : *v);
}

std::optional<std::int32_t> opt_i32(const Json& o, const char* key) {
  auto v = integer(o, key);
  if (!v) return std::nullopt;
  return static_cast<std::int32_t>(*v);
}

std::optional<bool> opt_bool(const Json& o, const char* key) {
  const Json* v = field(o, key);
  if (!v || !v->is_boolean()) return std::nullopt;
  return v->get<bool>();
}

bool boolean(const Json& o, const char* key) { return opt_bool(o, key).value_or(false); }

std::vector<std::string> strings(const Json& o, const char* key) {
  std::vector<std::string> out;
  const Json* v = field(o, key);
  if (!v || !v->is_array()) return out;
  for (const auto& item : *v) {
    if (!item.is_null()) out.push_back(text_of(item));
  }
  return out;
}

std::map<std::string, std::string> string_map(const Json& o, const char* key) {
  std::map<std::string, std::string> out;
  const Json* v = field(o, key);
  if (!v || !v->is_object()) return out;
  for (const auto& [k, item] : v->items()) {
    if (!item.is_null()) out[k] = text_of(item);
  }
  return out;
}

const Json& list(const Json& o, const char* key) {
  static const Json empty = Json::array();
  const Json* v = field(o, key);
  return v && v->is_array() ? *v : empty;
}

std::optional<Millis> duration(const Json& o, const char* key) {
  const Json* v = field(o, key);
  if (!v || !v->is_string()) return std::nullopt;
  auto ns = detail::parse_go_duration_ns(v->get<std::string>());
  if (!ns) return std::nullopt;
  return *ns / 1000000;
}

// An absent or null spec reads as an empty one (Istio validation reports what is missing).
const Json& spec_of(const Json& doc) {
  static const Json empty = Json::object();
  const Json* spec = field(doc, "spec");
  return spec && spec->is_object() ? *spec : empty;
}

Json kept(const Json& o, const char* key) {
  const Json* v = field(o, key);
  return v ? *v : Json();
}

// ---- problems --------------------------------------------------------------------------------

struct Reader {
  const Object& object;
  std::vector<SnapshotProblem>& problems;

  void problem(const std::string& pointer, std::string message) {
    problems.push_back({object.where(pointer), reference(), std::move(message)});
  }

  // "Kind namespace/name", with the namespace the object lands in when it has none.
  std::string reference() const {
    if (object.kind() == "Namespace") return "Namespace " + object.name();
    std::string ns = object.namespace_().empty() ? "default" : object.namespace_();
    return object.kind() + " " + ns + "/" + object.name();
  }
};

Meta read_meta(Reader& r, bool namespaced) {
  const Json& doc = r.object.doc;
  static const Json empty = Json::object();
  const Json* m = field(doc, "metadata");
  const Json& meta_json = m ? *m : empty;
  Meta meta;
  meta.name = str(meta_json, "name");
  meta.namespace_ = namespaced ? str(meta_json, "namespace") : std::string();
  if (namespaced && meta.namespace_.empty()) meta.namespace_ = "default";
  meta.labels = string_map(meta_json, "labels");
  meta.annotations = string_map(meta_json, "annotations");
  meta.uid = str(meta_json, "uid");
  meta.resource_version = str(meta_json, "resourceVersion");
  meta.source = r.object.source;
  if (const Json* ts = field(meta_json, "creationTimestamp")) {
    auto seconds = ts->is_string() ? detail::parse_rfc3339(ts->get<std::string>()) : std::nullopt;
    if (seconds) {
      meta.creation_time = *seconds;
    } else {
      r.problem("/metadata/creationTimestamp",
                "metadata.creationTimestamp: expected an RFC 3339 time such as \"2026-01-01T00:00:00Z\", got " + ts->dump());
    }
  }
  return meta;
}

std::vector<std::string> comma_list(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    if (!item.empty()) out.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

// ---- core kinds -------------------------------------------------------------------------------

Service read_service(Reader& r) {
  Service s;
  s.meta = read_meta(r, true);
  const Json* spec = field(r.object.doc, "spec");
  static const Json empty = Json::object();
  const Json& sp = spec ? *spec : empty;
  std::string type = str(sp, "type");
  if (!type.empty()) s.type = type;
  s.selector = string_map(sp, "selector");
  for (const auto& p : list(sp, "ports")) {
    ServicePort port;
    port.name = str(p, "name");
    port.port = static_cast<std::int32_t>(integer(p, "port").value_or(0));
    std::string protocol = str(p, "protocol");
    if (!protocol.empty()) port.protocol = protocol;
    if (const Json* app = field(p, "appProtocol")) port.app_protocol = text_of(*app);
    if (const Json* target = field(p, "targetPort")) {
      if (auto n = integer(p, "targetPort")) port.target_port_number = static_cast<std::int32_t>(*n);
      else port.target_port_name = text_of(*target);
    }
    s.ports.push_back(std::move(port));
  }
  auto it = s.meta.annotations.find("networking.istio.io/exportTo");
  if (it != s.meta.annotations.end()) s.export_to = comma_list(it->second);
  s.external_name = str(sp, "externalName");
  s.external_ips = strings(sp, "externalIPs");
  if (const Json* status = field(r.object.doc, "status")) {
    if (const Json* lb = field(*status, "loadBalancer")) {
      for (const auto& ingress : list(*lb, "ingress")) {
        std::string ip = str(ingress, "ip");
        s.load_balancer_ingress.push_back(ip.empty() ? str(ingress, "hostname") : ip);
      }
    }
  }
  return s;
}

Pod read_pod(Reader& r) {
  Pod pod;
  pod.meta = read_meta(r, true);
  static const Json empty = Json::object();
  const Json* spec = field(r.object.doc, "spec");
  const Json& sp = spec ? *spec : empty;
  for (const auto& c : list(sp, "containers")) {
    for (const auto& p : list(c, "ports")) {
      ContainerPort port;
      port.name = str(p, "name");
      port.container_port = static_cast<std::int32_t>(integer(p, "containerPort").value_or(0));
      std::string protocol = str(p, "protocol");
      if (!protocol.empty()) port.protocol = protocol;
      pod.ports.push_back(std::move(port));
    }
  }
  pod.service_account = str(sp, "serviceAccountName");
  if (pod.service_account.empty()) pod.service_account = str(sp, "serviceAccount");
  const Json* status = field(r.object.doc, "status");
  if (status) {
    pod.ip = str(*status, "podIP");
    for (const auto& c : list(*status, "conditions")) {
      if (str(c, "type") == "Ready") pod.ready = str(c, "status") == "True";
    }
  }
  return pod;
}

Endpoints read_endpoints(Reader& r) {
  Endpoints e;
  e.meta = read_meta(r, true);
  for (const auto& subset : list(r.object.doc, "subsets")) {
    EndpointSubset out;
    auto add = [&](const char* key, bool ready) {
      for (const auto& a : list(subset, key)) {
        EndpointAddress address;
        address.ip = str(a, "ip");
        address.ready = ready;
        if (const Json* ref = field(a, "targetRef")) {
          std::string kind = str(*ref, "kind");
          if (kind.empty() || kind == "Pod") {
            address.pod_name = str(*ref, "name");
            address.pod_namespace = str(*ref, "namespace");
            if (address.pod_namespace.empty()) address.pod_namespace = e.meta.namespace_;
          }
        }
        out.addresses.push_back(std::move(address));
      }
    };
    add("addresses", true);
    add("notReadyAddresses", false);
    for (const auto& p : list(subset, "ports")) {
      out.ports.push_back({str(p, "name"), static_cast<std::int32_t>(integer(p, "port").value_or(0))});
    }
    e.subsets.push_back(std::move(out));
  }
  return e;
}

std::optional<Secret> read_secret(Reader& r) {
  Secret s;
  s.meta = read_meta(r, true);
  s.type = str(r.object.doc, "type");
  bool ok = true;
  if (const Json* data = field(r.object.doc, "data"); data && data->is_object()) {
    for (const auto& [key, value] : data->items()) {
      if (value.is_null()) continue;
      auto decoded = value.is_string() ? detail::base64_decode(value.get<std::string>()) : std::nullopt;
      if (!decoded) {
        r.problem(json_pointer({"data", key}), "data." + key + ": expected base64 data");
        ok = false;
        continue;
      }
      s.data[key] = *decoded;
    }
  }
  for (const auto& [key, value] : string_map(r.object.doc, "stringData")) s.data[key] = value;  // wins, as on write
  if (!ok) return std::nullopt;
  return s;
}

// ---- Istio kinds -------------------------------------------------------------------------------

StringMatch read_string_match(const Json& j) {
  StringMatch m;
  if (const Json* v = field(j, "exact")) {
    m.kind = StringMatch::Kind::kExact;
    m.value = text_of(*v);
  } else if (const Json* v = field(j, "prefix")) {
    m.kind = StringMatch::Kind::kPrefix;
    m.value = text_of(*v);
  } else if (const Json* v = field(j, "regex")) {
    m.kind = StringMatch::Kind::kRegex;
    m.value = text_of(*v);
  }
  return m;
}

std::optional<StringMatch> opt_string_match(const Json& o, const char* key) {
  const Json* v = field(o, key);
  if (!v) return std::nullopt;
  return read_string_match(*v);
}

std::map<std::string, StringMatch> string_match_map(const Json& o, const char* key) {
  std::map<std::string, StringMatch> out;
  const Json* v = field(o, key);
  if (!v || !v->is_object()) return out;
  for (const auto& [name, m] : v->items()) {
    if (!m.is_null()) out[name] = read_string_match(m);
  }
  return out;
}

Destination read_destination(const Json& j) {
  Destination d;
  d.host = str(j, "host");
  d.subset = str(j, "subset");
  if (const Json* port = field(j, "port")) d.port = PortSelector{u32(*port, "number")};
  return d;
}

std::optional<Percent> opt_percent(const Json& o, const char* key) {
  const Json* v = field(o, key);
  if (!v) return std::nullopt;
  const Json* value = field(*v, "value");
  return Percent{value && value->is_number() ? value->get<double>() : 0.0};
}

std::optional<HeaderOperations> opt_header_ops(const Json& o, const char* key) {
  const Json* v = field(o, key);
  if (!v) return std::nullopt;
  HeaderOperations ops;
  for (const auto& [name, value] : string_map(*v, "set")) ops.set.emplace_back(name, value);
  for (const auto& [name, value] : string_map(*v, "add")) ops.add.emplace_back(name, value);
  ops.remove = strings(*v, "remove");
  return ops;
}

std::optional<Headers> opt_headers(const Json& o, const char* key) {
  const Json* v = field(o, key);
  if (!v) return std::nullopt;
  return Headers{opt_header_ops(*v, "request"), opt_header_ops(*v, "response")};
}

HTTPMatchRequest read_http_match(const Json& j) {
  HTTPMatchRequest m;
  m.name = str(j, "name");
  m.uri = opt_string_match(j, "uri");
  m.scheme = opt_string_match(j, "scheme");
  m.method = opt_string_match(j, "method");
  m.authority = opt_string_match(j, "authority");
  m.headers = string_match_map(j, "headers");
  m.without_headers = string_match_map(j, "withoutHeaders");
  m.query_params = string_match_map(j, "queryParams");
  m.port = u32(j, "port");
  m.source_labels = string_map(j, "sourceLabels");
  m.gateways = strings(j, "gateways");
  m.ignore_uri_case = boolean(j, "ignoreUriCase");
  m.source_namespace = str(j, "sourceNamespace");
  m.stat_prefix = str(j, "statPrefix");
  return m;
}

HTTPRoute read_http_route(Reader& r, const Json& j, size_t index) {
  HTTPRoute h;
  h.name = str(j, "name");
  h.source = r.object.position_of(json_pointer({"spec", "http", index}));
  for (const auto& m : list(j, "match")) h.match.push_back(read_http_match(m));
  for (const auto& d : list(j, "route")) {
    HTTPRouteDestination dest;
    if (const Json* v = field(d, "destination")) dest.destination = read_destination(*v);
    dest.weight = opt_i32(d, "weight");
    dest.headers = opt_headers(d, "headers");
    h.route.push_back(std::move(dest));
  }
  if (const Json* v = field(j, "redirect")) {
    HTTPRedirect redirect;
    redirect.uri = str(*v, "uri");
    redirect.authority = str(*v, "authority");
    redirect.port = opt_u32(*v, "port");
    redirect.derive_port = str(*v, "derivePort");
    redirect.scheme = str(*v, "scheme");
    redirect.redirect_code = u32(*v, "redirectCode");
    redirect.prefix_rewrite = str(*v, "prefixRewrite");
    h.redirect = redirect;
  }
  if (const Json* v = field(j, "directResponse")) {
    HTTPDirectResponse response;
    response.status = u32(*v, "status");
    if (const Json* body = field(*v, "body")) {
      if (const Json* s = field(*body, "string")) response.body = text_of(*s);
      else if (const Json* b = field(*body, "bytes")) response.body = detail::base64_decode(text_of(*b)).value_or("");
    }
    h.direct_response = response;
  }
  if (const Json* v = field(j, "delegate")) h.delegate = Delegate{str(*v, "name"), str(*v, "namespace")};
  if (const Json* v = field(j, "rewrite")) {
    HTTPRewrite rewrite;
    rewrite.uri = str(*v, "uri");
    rewrite.authority = str(*v, "authority");
    if (const Json* re = field(*v, "uriRegexRewrite")) rewrite.uri_regex_rewrite = RegexRewrite{str(*re, "match"), str(*re, "rewrite")};
    h.rewrite = rewrite;
  }
  h.timeout = duration(j, "timeout");
  if (const Json* v = field(j, "retries")) {
    HTTPRetry retry;
    retry.attempts = opt_i32(*v, "attempts").value_or(0);
    retry.per_try_timeout = duration(*v, "perTryTimeout");
    retry.retry_on = str(*v, "retryOn");
    retry.retry_remote_localities = opt_bool(*v, "retryRemoteLocalities");
    retry.retry_ignore_previous_hosts = opt_bool(*v, "retryIgnorePreviousHosts");
    retry.backoff = duration(*v, "backoff");
    h.retries = retry;
  }
  if (const Json* v = field(j, "fault")) {
    HTTPFaultInjection fault;
    if (const Json* d = field(*v, "delay")) {
      FaultDelay delay;
      delay.fixed_delay = duration(*d, "fixedDelay");
      delay.percentage = opt_percent(*d, "percentage");
      delay.percent = opt_i32(*d, "percent");
      fault.delay = delay;
    }
    if (const Json* a = field(*v, "abort")) {
      FaultAbort abort;
      abort.http_status = opt_i32(*a, "httpStatus");
      abort.grpc_status = str(*a, "grpcStatus");
      abort.percentage = opt_percent(*a, "percentage");
      fault.abort = abort;
    }
    h.fault = fault;
  }
  if (const Json* v = field(j, "mirror")) h.mirror = read_destination(*v);
  h.mirror_percentage = opt_percent(j, "mirrorPercentage");
  if (!h.mirror_percentage) {
    // Deprecated integer forms; Istio reads them only when mirrorPercentage is absent.
    auto legacy = opt_u32(j, "mirrorPercent");
    if (!legacy) legacy = opt_u32(j, "mirror_percent");
    if (legacy) h.mirror_percentage = Percent{static_cast<double>(*legacy)};
  }
  for (const auto& m : list(j, "mirrors")) {
    HTTPMirrorPolicy policy;
    if (const Json* d = field(m, "destination")) policy.destination = read_destination(*d);
    policy.percentage = opt_percent(m, "percentage");
    h.mirrors.push_back(std::move(policy));
  }
  if (const Json* v = field(j, "corsPolicy")) {
    CorsPolicy cors;
    for (const auto& o : list(*v, "allowOrigins")) cors.allow_origins.push_back(read_string_match(o));
    if (cors.allow_origins.empty()) {  // deprecated allowOrigin: exact matches
      for (const auto& o : strings(*v, "allowOrigin")) cors.allow_origins.push_back({StringMatch::Kind::kExact, o});
    }
    cors.allow_methods = strings(*v, "allowMethods");
    cors.allow_headers = strings(*v, "allowHeaders");
    cors.expose_headers = strings(*v, "exposeHeaders");
    cors.max_age = duration(*v, "maxAge");
    cors.allow_credentials = opt_bool(*v, "allowCredentials");
    cors.unmatched_preflights = str(*v, "unmatchedPreflights");
    h.cors_policy = cors;
  }
  h.headers = opt_headers(j, "headers");
  return h;
}

std::vector<RouteDestination> read_route_destinations(const Json& j) {
  std::vector<RouteDestination> out;
  for (const auto& d : list(j, "route")) {
    RouteDestination dest;
    if (const Json* v = field(d, "destination")) dest.destination = read_destination(*v);
    dest.weight = opt_i32(d, "weight");
    out.push_back(std::move(dest));
  }
  return out;
}

VirtualService read_virtual_service(Reader& r) {
  VirtualService vs;
  vs.meta = read_meta(r, true);
  const Json& spec = spec_of(r.object.doc);
  vs.hosts = strings(spec, "hosts");
  vs.gateways = strings(spec, "gateways");
  vs.export_to = strings(spec, "exportTo");
  const Json& http = list(spec, "http");
  for (size_t i = 0; i < http.size(); ++i) vs.http.push_back(read_http_route(r, http[i], i));
  const Json& tls = list(spec, "tls");
  for (size_t i = 0; i < tls.size(); ++i) {
    const Json& t = tls[i];
    TLSRoute route;
    route.source = r.object.position_of(json_pointer({"spec", "tls", i}));
    for (const auto& m : list(t, "match")) {
      TLSMatchAttributes match;
      match.sni_hosts = strings(m, "sniHosts");
      match.destination_subnets = strings(m, "destinationSubnets");
      match.port = u32(m, "port");
      match.source_labels = string_map(m, "sourceLabels");
      match.gateways = strings(m, "gateways");
      match.source_namespace = str(m, "sourceNamespace");
      route.match.push_back(std::move(match));
    }
    route.route = read_route_destinations(t);
    vs.tls.push_back(std::move(route));
  }
  const Json& tcp = list(spec, "tcp");
  for (size_t i = 0; i < tcp.size(); ++i) {
    const Json& t = tcp[i];
    TCPRoute route;
    route.source = r.object.position_of(json_pointer({"spec", "tcp", i}));
    for (const auto& m : list(t, "match")) {
      L4MatchAttributes match;
      match.destination_subnets = strings(m, "destinationSubnets");
      match.port = u32(m, "port");
      match.source_subnet = str(m, "sourceSubnet");
      match.source_labels = string_map(m, "sourceLabels");
      match.gateways = strings(m, "gateways");
      match.source_namespace = str(m, "sourceNamespace");
      route.match.push_back(std::move(match));
    }
    route.route = read_route_destinations(t);
    vs.tcp.push_back(std::move(route));
  }
  return vs;
}

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

Gateway read_gateway(Reader& r) {
  Gateway g;
  g.meta = read_meta(r, true);
  const Json& spec = spec_of(r.object.doc);
  g.selector = string_map(spec, "selector");
  const Json& servers = list(spec, "servers");
  for (size_t i = 0; i < servers.size(); ++i) {
    const Json& s = servers[i];
    Server server;
    server.source = r.object.position_of(json_pointer({"spec", "servers", i}));
    if (const Json* p = field(s, "port")) {
      server.port.number = u32(*p, "number");
      server.port.protocol = upper(str(*p, "protocol"));
      server.port.name = str(*p, "name");
      server.port.target_port = u32(*p, "targetPort");
    }
    server.bind = str(s, "bind");
    server.hosts = strings(s, "hosts");
    server.default_endpoint = str(s, "defaultEndpoint");
    server.name = str(s, "name");
    if (const Json* t = field(s, "tls")) {
      ServerTLSSettings tls;
      tls.https_redirect = boolean(*t, "httpsRedirect");
      tls.mode_set = field(*t, "mode") != nullptr;
      tls.mode = str(*t, "mode");
      tls.server_certificate = str(*t, "serverCertificate");
      tls.private_key = str(*t, "privateKey");
      tls.ca_certificates = str(*t, "caCertificates");
      tls.credential_name = str(*t, "credentialName");
      tls.credential_names = strings(*t, "credentialNames");
      tls.subject_alt_names = strings(*t, "subjectAltNames");
      tls.min_protocol_version = str(*t, "minProtocolVersion");
      tls.max_protocol_version = str(*t, "maxProtocolVersion");
      tls.cipher_suites = strings(*t, "cipherSuites");
      server.tls = tls;
    }
    g.servers.push_back(std::move(server));
  }
  return g;
}

std::optional<LoadBalancerSettings> opt_load_balancer(const Json& o) {
  const Json* v = field(o, "loadBalancer");
  if (!v) return std::nullopt;
  LoadBalancerSettings lb;
  lb.simple = str(*v, "simple");
  if (const Json* c = field(*v, "consistentHash")) {
    ConsistentHash hash;
    hash.http_header_name = str(*c, "httpHeaderName");
    if (const Json* cookie = field(*c, "httpCookie")) {
      hash.http_cookie = ConsistentHash::Cookie{str(*cookie, "name"), str(*cookie, "path"), duration(*cookie, "ttl")};
    }
    hash.use_source_ip = boolean(*c, "useSourceIp");
    hash.http_query_parameter_name = str(*c, "httpQueryParameterName");
    auto ring = integer(*c, "minimumRingSize");
    if (const Json* rh = field(*c, "ringHash"); rh && !ring) ring = integer(*rh, "minimumRingSize");
    hash.minimum_ring_size = ring && *ring > 0 ? static_cast<std::uint64_t>(*ring) : 0;
    lb.consistent_hash = hash;
  }
  return lb;
}

TrafficPolicy read_traffic_policy(const Json& j) {
  TrafficPolicy tp;
  tp.load_balancer = opt_load_balancer(j);
  tp.connection_pool = kept(j, "connectionPool");
  tp.outlier_detection = kept(j, "outlierDetection");
  tp.tls = kept(j, "tls");
  for (const auto& p : list(j, "portLevelSettings")) {
    PortTrafficPolicy port;
    if (const Json* sel = field(p, "port")) port.port = u32(*sel, "number");
    port.load_balancer = opt_load_balancer(p);
    port.connection_pool = kept(p, "connectionPool");
    port.outlier_detection = kept(p, "outlierDetection");
    port.tls = kept(p, "tls");
    tp.port_level_settings.push_back(std::move(port));
  }
  return tp;
}

DestinationRule read_destination_rule(Reader& r) {
  DestinationRule dr;
  dr.meta = read_meta(r, true);
  const Json& spec = spec_of(r.object.doc);
  dr.host = str(spec, "host");
  if (const Json* tp = field(spec, "trafficPolicy")) dr.traffic_policy = read_traffic_policy(*tp);
  for (const auto& s : list(spec, "subsets")) {
    Subset subset;
    subset.name = str(s, "name");
    subset.labels = string_map(s, "labels");
    if (const Json* tp = field(s, "trafficPolicy")) subset.traffic_policy = read_traffic_policy(*tp);
    dr.subsets.push_back(std::move(subset));
  }
  dr.export_to = strings(spec, "exportTo");
  if (const Json* ws = field(spec, "workloadSelector")) dr.workload_selector = string_map(*ws, "matchLabels");
  return dr;
}

ServiceEntry read_service_entry(Reader& r) {
  ServiceEntry se;
  se.meta = read_meta(r, true);
  const Json& spec = spec_of(r.object.doc);
  se.hosts = strings(spec, "hosts");
  se.addresses = strings(spec, "addresses");
  for (const auto& p : list(spec, "ports")) {
    se.ports.push_back({u32(p, "number"), str(p, "protocol"), str(p, "name"), u32(p, "targetPort")});
  }
  se.location = str(spec, "location");
  if (se.location.empty()) se.location = "MESH_EXTERNAL";
  se.resolution = str(spec, "resolution");
  if (se.resolution.empty()) se.resolution = "NONE";
  for (const auto& e : list(spec, "endpoints")) {
    WorkloadEntry we;
    we.address = str(e, "address");
    if (const Json* ports = field(e, "ports"); ports && ports->is_object()) {
      for (const auto& [name, number] : ports->items()) {
        if (number.is_number()) we.ports[name] = static_cast<std::uint32_t>(number.get<double>());
      }
    }
    we.labels = string_map(e, "labels");
    we.network = str(e, "network");
    we.locality = str(e, "locality");
    we.weight = u32(e, "weight");
    se.endpoints.push_back(std::move(we));
  }
  if (const Json* ws = field(spec, "workloadSelector")) se.workload_selector = string_map(*ws, "labels");
  se.export_to = strings(spec, "exportTo");
  return se;
}

// Reads one object into the snapshot; problems are appended. Returns whether it was added.
bool read_object(const Object& object, ConfigSnapshot& snapshot, std::vector<SnapshotProblem>& problems,
                 Admitted admitted) {
  const std::string group = object.group();
  const std::string kind = object.kind();
  // Kubernetes' decoder refuses an int32 out of range (apps workloads too: the controllers read them).
  Reader r{object, problems};
  const auto out_of_range = int32_out_of_range(object);
  for (const auto& p : out_of_range) r.problem(p.pointer, p.message);
  if (!out_of_range.empty() || !is_engine_kind(group, kind)) return false;
  const size_t before = problems.size();
  auto clean = [&] { return problems.size() == before; };
  if (is_unsimulated_kind(group, kind)) {
    // Not simulated: only which workloads it selects is read (engine/model/unsimulated.h).
    Meta meta = read_meta(r, true);
    if (!clean()) return false;
    std::vector<UnsimulatedProblem> found;
    UnsimulatedObject u = read_unsimulated(object, std::move(meta), found);
    for (auto& p : found) r.problem(p.pointer, p.message);
    if (!clean()) return false;
    auto at = std::upper_bound(snapshot.unsimulated.begin(), snapshot.unsimulated.end(), u,
                               [](const UnsimulatedObject& a, const UnsimulatedObject& b) {
                                 return std::tie(a.kind, a.meta.namespace_, a.meta.name) <
                                        std::tie(b.kind, b.meta.namespace_, b.meta.name);
                               });
    snapshot.unsimulated.insert(at, std::move(u));
    return true;
  }
  if (group == kGatewayApiGroup) {
    // Read by engine/model/gateway_api.cc; translated later by engine/kube_gateway.
    Meta meta = read_meta(r, kind != "GatewayClass");
    if (!clean()) return false;
    std::vector<gateway_api::ReadProblem> found;
    auto add = [&](auto typed, auto& list) {
      for (auto& p : found) r.problem(p.pointer, p.message);
      if (clean()) list.push_back(std::move(typed));
    };
    if (kind == "GatewayClass") add(gateway_api::read_gateway_class(object, std::move(meta), found), snapshot.gateway_classes);
    else if (kind == "Gateway") add(gateway_api::read_gateway(object, std::move(meta), found), snapshot.kubernetes_gateways);
    else if (kind == "HTTPRoute") add(gateway_api::read_http_route(object, std::move(meta), found), snapshot.http_routes);
    else if (kind == "GRPCRoute") add(gateway_api::read_grpc_route(object, std::move(meta), found), snapshot.grpc_routes);
    else if (kind == "TLSRoute") add(gateway_api::read_tls_route(object, std::move(meta), found), snapshot.tls_routes);
    else if (kind == "TCPRoute") add(gateway_api::read_tcp_route(object, std::move(meta), found), snapshot.tcp_routes);
    else if (kind == "ReferenceGrant")
      add(gateway_api::read_reference_grant(object, std::move(meta), found), snapshot.reference_grants);
    return clean();
  }
  if (group == kIstioNetworkingGroup) {
    // Admission checked the schema of what it let in; anything else is checked here.
    if (admitted == Admitted::kNo) {
      for (const auto& issue : check_crd_schema(object)) {
        if (issue.structural()) r.problem(issue.pointer, issue.message());
      }
    }
    if (!clean()) return false;
    if (kind == "Gateway") {
      auto g = read_gateway(r);
      if (!clean()) return false;
      snapshot.gateways.push_back(std::move(g));
    } else if (kind == "VirtualService") {
      auto vs = read_virtual_service(r);
      if (!clean()) return false;
      snapshot.virtual_services.push_back(std::move(vs));
    } else if (kind == "DestinationRule") {
      auto dr = read_destination_rule(r);
      if (!clean()) return false;
      snapshot.destination_rules.push_back(std::move(dr));
    } else {
      auto se = read_service_entry(r);
      if (!clean()) return false;
      snapshot.service_entries.push_back(std::move(se));
    }
    return true;
  }
  if (group == kIstioSecurityGroup) {  // engine/model/authorization_policy.h, request_authentication.h
    if (admitted == Admitted::kNo) {
      for (const auto& issue : check_crd_schema(object)) {
        if (issue.structural()) r.problem(issue.pointer, issue.message());
      }
    }
    Meta meta = read_meta(r, true);
    if (!clean()) return false;
    if (kind == "AuthorizationPolicy") {
      std::vector<AuthorizationReadProblem> found;
      auto policy = read_authorization_policy(object, std::move(meta), found);
      for (const auto& p : found) r.problem(p.pointer, p.message);
      if (!clean()) return false;
      snapshot.authorization_policies.push_back(std::move(policy));
      return true;
    }
    std::vector<RequestAuthenticationProblem> found;
    auto ra = read_request_authentication(object, std::move(meta), found);
    for (const auto& p : found) r.problem(p.pointer, p.message);
    if (!clean()) return false;
    snapshot.request_authentications.push_back(std::move(ra));
    return true;
  }
  if (group.empty() && kind == "ConfigMap") {
    auto doc = read_jwks_document(object, read_meta(r, true));
    if (!doc || !clean()) return false;
    snapshot.jwks_documents.push_back(std::move(*doc));
    return true;
  }
  if (group == kKubernetesNetworkingGroup) {  // Ingress, IngressClass (engine/model/ingress.h)
    std::vector<IngressFieldProblem> field_problems;
    if (kind == "Ingress") {
      auto ingress = read_ingress(object, read_meta(r, true), field_problems);
      for (const auto& p : field_problems) r.problem(p.pointer, p.message);
      if (!clean()) return false;
      snapshot.ingresses.push_back(std::move(ingress));
    } else {
      auto ingress_class = read_ingress_class(object, read_meta(r, false), field_problems);
      for (const auto& p : field_problems) r.problem(p.pointer, p.message);
      if (!clean()) return false;
      snapshot.ingress_classes.push_back(std::move(ingress_class));
    }
    return true;
  }
  if (kind == "Namespace") {
    Namespace ns{read_meta(r, false)};
    if (!clean()) return false;
    snapshot.namespaces.push_back(std::move(ns));
  } else if (kind == "Service") {
    auto s = read_service(r);
    if (!clean()) return false;
    snapshot.services.push_back(std::move(s));
  } else if (kind == "Pod") {
    auto p = read_pod(r);
    if (!clean()) return false;
    snapshot.pods.push_back(std::move(p));
  } else if (kind == "Endpoints") {
    auto e = read_endpoints(r);
    if (!clean()) return false;
    snapshot.endpoints.push_back(std::move(e));
  } else if (kind == "Secret") {
    auto s = read_secret(r);
    if (!s || !clean()) return false;
    snapshot.secrets.push_back(std::move(*s));
  }
  return true;
}

}  // namespace

Result<bool> add_to_snapshot(const Object& object, ConfigSnapshot& snapshot, Admitted admitted) {
  std::vector<SnapshotProblem> problems;
  bool added = read_object(object, snapshot, problems, admitted);
  if (!problems.empty()) return make_error(problems.front().message, problems.front().where);
  return added;
}

SnapshotBuild build_snapshot(const std::vector<Object>& objects, Admitted admitted) {
  SnapshotBuild out;
  for (const auto& object : objects) read_object(object, out.snapshot, out.problems, admitted);
  return out;
}

Result<Millis> parse_duration(const std::string& text) {
  auto ns = detail::parse_go_duration_ns(text);
  if (!ns) return make_error("invalid duration \"" + text + "\" (write it like 1s, 1.5s, 100ms, 1m or 1h)");
  return *ns / 1000000;
}

}  // namespace gwsim::model
