// Kubernetes Gateways -> Istio Gateways, one per listener, and the Gateway's status
// (pilot/pkg/config/kube/gateway/gateway_collection.go GatewayCollection; conversion.go
// buildListener, buildTLS, buildHostnameMatch, extractGatewayServices, reportGatewayStatus;
// gatewaycommon/context.go ResolveGatewayInstances).
#include <algorithm>
#include <cctype>
#include <set>

#include "engine/host/host_name.h"
#include "engine/kube_gateway/detail_conversion.h"

namespace gwsim::kube_gateway::detail {

namespace {

using model::Json;

const GroupKind kGatewayKind{kGatewayGroup, "Gateway"};

std::string opt_or_empty(const std::optional<std::string>& s) { return s.value_or(""); }

// gatewaycommon.IsManaged: no address, or one IP address, means Istio deploys the gateway.
bool is_managed(const gwapi::Gateway& gw) {
  if (gw.addresses.empty()) return true;
  if (gw.addresses.size() > 1) return false;
  const auto& t = gw.addresses[0].type;
  return !t || *t == "IPAddress";
}

// gatewaycommon.GetDefaultName: "<name>-<class>" (the istio class keeps the suffix).
std::string default_name(const gwapi::Gateway& gw) { return gw.meta.name + "-" + gw.gateway_class_name; }

// extractGatewayServices: the Service hostnames the gateway's pods are reached through.
std::vector<std::string> extract_gateway_services(const Context& ctx, const gwapi::Gateway& gw,
                                                  std::optional<ConfigError>& error) {
  if (is_managed(gw)) {
    auto it = gw.meta.annotations.find("gateway.istio.io/name-override");
    const std::string name = it != gw.meta.annotations.end() && !it->second.empty() ? it->second : default_name(gw);
    return {name + "." + gw.meta.namespace_ + ".svc." + ctx.domain_suffix};
  }
  std::vector<std::string> services;
  std::vector<std::string> skipped;
  for (const auto& a : gw.addresses) {
    if (a.type && *a.type != "Hostname") {
      skipped.push_back(a.value);
      continue;
    }
    std::string fqdn = a.value;
    if (fqdn.find('.') == std::string::npos) fqdn += "." + gw.meta.namespace_ + ".svc." + ctx.domain_suffix;
    services.push_back(fqdn);
  }
  if (!skipped.empty()) {
    std::string list;
    for (const auto& s : skipped) list += (list.empty() ? "" : " ") + s;
    error = ConfigError{"UnsupportedAddress", "only Hostname is supported, ignoring [" + list + "]"};
  } else if (gw.meta.annotations.count("networking.istio.io/service-type")) {
    error =
        ConfigError{"DeprecatedField",
                    "annotation networking.istio.io/service-type is deprecated, use Spec.Infrastructure.Routeability"};
  }
  return services;
}

// validateParametersRef: only a ConfigMap may parameterise the deployment. gwsim does not keep
// ConfigMaps in its snapshot, so a ConfigMap reference is taken as existing.
std::optional<ConfigError> validate_parameters_ref(const gwapi::Gateway& gw) {
  if (!gw.infrastructure.is_object()) return std::nullopt;
  auto it = gw.infrastructure.find("parametersRef");
  if (it == gw.infrastructure.end() || !it->is_object()) return std::nullopt;
  const std::string group = it->value("group", "");
  const std::string kind = it->value("kind", "");
  if (kind != "ConfigMap" || !group.empty()) {
    return ConfigError{"InvalidParameters",
                       "Unsupported parametersRef group/kind " + group + "/" + kind + ", only ConfigMap is supported"};
  }
  return std::nullopt;
}

std::string secret_reference_string(const gwapi::SecretObjectReference& ref) {
  return opt_or_empty(ref.group) + "/" + opt_or_empty(ref.kind) + "/" + ref.name + "." + opt_or_empty(ref.namespace_);
}

bool has_pem(const std::string& data, const char* label) {
  return data.find(std::string("-----BEGIN ") + label) != std::string::npos;
}

// buildSecretReference: the Secret must exist and hold a certificate and key
// (kubecreds.ExtractCertInfo; tls.X509KeyPair is approximated by looking for PEM blocks).
std::optional<ConfigError> check_secret(const Context& ctx, const gwapi::SecretObjectReference& ref,
                                        const std::string& gateway_namespace, std::string& credential) {
  if (normalize_reference(ref.group, ref.kind, GroupKind{"", "Secret"}) != GroupKind{"", "Secret"}) {
    return ConfigError{"InvalidCertificateRef",
                       "invalid certificate reference " + secret_reference_string(ref) + ", only secret is allowed"};
  }
  const std::string ns = ref.namespace_.value_or(gateway_namespace);
  const model::Secret* secret = nullptr;
  for (const auto& s : ctx.snapshot.secrets) {
    if (s.meta.namespace_ == ns && s.meta.name == ref.name) secret = &s;
  }
  if (!secret) {
    return ConfigError{"InvalidCertificateRef", "invalid certificate reference " + secret_reference_string(ref) +
                                                    ", secret " + ns + "/" + ref.name + " not found"};
  }
  auto get = [&](const char* key) {
    auto it = secret->data.find(key);
    return it == secret->data.end() ? std::string() : it->second;
  };
  std::string cert = get("tls.crt"), key = get("tls.key");
  if (cert.empty() && key.empty()) cert = get("cert"), key = get("key");
  if (cert.empty() || key.empty()) {
    std::vector<std::string> found;
    for (const auto& [k, v] : secret->data) found.push_back(k);
    std::string list;
    for (const auto& f : found) list += (list.empty() ? "" : ", ") + f;
    return ConfigError{
        "InvalidCertificateRef",
        "invalid certificate reference " + secret_reference_string(ref) +
            ", found secret, but didn't have expected keys (cert and key) or (tls.crt and tls.key); found: " + list};
  }
  if (!has_pem(cert, "CERTIFICATE")) {
    return ConfigError{"InvalidCertificateRef", "invalid certificate reference " + secret_reference_string(ref) +
                                                    ", the certificate is malformed: tls: failed to find any PEM data "
                                                    "in certificate input"};
  }
  if (!has_pem(key, "")) {
    return ConfigError{"InvalidCertificateRef", "invalid certificate reference " + secret_reference_string(ref) +
                                                    ", the certificate is malformed: tls: failed to find any PEM data "
                                                    "in key input"};
  }
  credential = "kubernetes-gateway://" + ns + "/" + ref.name;  // creds.ToKubernetesGatewayResource
  return std::nullopt;
}

// security.IsValidCipherSuite: the ciphers Envoy's BoringSSL offers (ValidCipherSuites), and
// expressions starting with an operator, which are passed through.
bool valid_cipher_suite(const std::string& cs) {
  static const std::set<std::string> kValid = {"ECDHE-ECDSA-AES128-GCM-SHA256",
                                               "ECDHE-RSA-AES128-GCM-SHA256",
                                               "ECDHE-ECDSA-AES256-GCM-SHA384",
                                               "ECDHE-RSA-AES256-GCM-SHA384",
                                               "ECDHE-ECDSA-CHACHA20-POLY1305",
                                               "ECDHE-RSA-CHACHA20-POLY1305",
                                               "ECDHE-ECDSA-AES128-SHA",
                                               "ECDHE-RSA-AES128-SHA",
                                               "ECDHE-ECDSA-AES256-SHA",
                                               "ECDHE-RSA-AES256-SHA",
                                               "AES128-GCM-SHA256",
                                               "AES256-GCM-SHA384",
                                               "AES128-SHA",
                                               "AES256-SHA",
                                               "DES-CBC3-SHA"};
  if (cs.empty() || cs == "ALL") return true;
  if (!std::isalnum(static_cast<unsigned char>(cs[0]))) return true;
  return kValid.count(cs) > 0;
}

std::optional<ConfigError> join_errors(std::optional<ConfigError> a, const ConfigError& b) {
  if (!a) return b;
  a->message += "; " + b.message;
  return a;
}

// buildTLS: a listener's TLS block as Istio server TLS settings. Frontend validation
// (spec.tls.frontend) is not read; gwsim does not simulate client certificates from it.
std::optional<model::ServerTLSSettings> build_tls(const Context& ctx, const gwapi::Listener& l,
                                                  const gwapi::Gateway& gw, std::optional<ConfigError>& error) {
  if (!l.tls) return std::nullopt;
  const auto& tls = *l.tls;
  model::ServerTLSSettings out;
  out.mode_set = true;
  const std::string mode = tls.mode.value_or("Terminate");
  const std::string& ns = gw.meta.namespace_;
  if (mode == "Terminate") {
    out.mode = "SIMPLE";
    auto opt = tls.options.find("gateway.istio.io/tls-terminate-mode");
    if (opt != tls.options.end()) {
      if (opt->second == "MUTUAL")
        out.mode = "MUTUAL";
      else if (opt->second == "OPTIONAL_MUTUAL")
        out.mode = "OPTIONAL_MUTUAL";
      else if (opt->second == "ISTIO_SIMPLE") {
        out.credential_name = "builtin://";
        return out;
      } else if (opt->second == "ISTIO_MUTUAL") {
        out.mode = "ISTIO_MUTUAL";
        return out;
      }
    }
    if (tls.certificate_refs.size() > 2) {
      error = ConfigError{"InvalidCertificateRef", "TLS mode can only support up to 2 server certificates"};
      return out;
    }
    std::vector<std::string> names;
    std::optional<ConfigError> combined;
    for (const auto& ref : tls.certificate_refs) {
      const std::string cred_ns = ref.namespace_.value_or(ns);
      // Cross-namespace references are authorised before the Secret is looked at.
      if (cred_ns != ns && !ctx.grants.secret_allowed(kGatewayKind, cred_ns, ref.name, ns)) {
        combined =
            join_errors(combined, ConfigError{"RefNotPermitted", "certificateRef " + ref.name + "/" + cred_ns +
                                                                     " not accessible to a Gateway in namespace \"" +
                                                                     ns + "\" (missing a ReferenceGrant?)"});
        continue;
      }
      std::string credential;
      if (auto e = check_secret(ctx, ref, ns, credential)) {
        combined = join_errors(combined, *e);
        continue;
      }
      names.push_back(credential);
    }
    if (names.empty()) {
      error = combined;
      return out;
    }
    if (names.size() == 1)
      out.credential_name = names[0];
    else
      out.credential_names = names;
  } else if (mode == "Passthrough") {
    out.mode = "PASSTHROUGH";
    // kube.IsAutoPassthrough (pilot/pkg/serviceregistry/kube/conversion.go): the listener option
    // gateway.istio.io/listener-protocol: auto-passthrough, or a multi-network gateway
    // (topology.istio.io/network label) listening on its gateway port (15443 by default).
    auto opt = tls.options.find("gateway.istio.io/listener-protocol");
    bool auto_passthrough = opt != tls.options.end() && opt->second == "auto-passthrough";
    if (!auto_passthrough && gw.meta.labels.count("topology.istio.io/network")) {
      auto port = gw.meta.labels.find("networking.istio.io/gatewayPort");
      auto_passthrough = std::to_string(l.port) == (port != gw.meta.labels.end() ? port->second : "15443");
    }
    if (auto_passthrough) out.mode = "AUTO_PASSTHROUGH";
  }
  auto ciphers = tls.options.find("gateway.istio.io/tls-cipher-suites");
  if (ciphers != tls.options.end() && !ciphers->second.empty()) {
    std::string item;
    for (size_t i = 0; i <= ciphers->second.size(); ++i) {
      if (i == ciphers->second.size() || ciphers->second[i] == ',') {
        item.erase(0, item.find_first_not_of(' '));
        item.erase(item.find_last_not_of(' ') + 1);
        if (valid_cipher_suite(item) &&
            std::find(out.cipher_suites.begin(), out.cipher_suites.end(), item) == out.cipher_suites.end())
          out.cipher_suites.push_back(item);
        item.clear();
      } else {
        item += ciphers->second[i];
      }
    }
  }
  return out;
}

bool selector_matches(const gwapi::LabelSelector& s, model::Labels labels, const std::string& ns_name) {
  labels.emplace("kubernetes.io/metadata.name", ns_name);  // toNamespaceSet
  for (const auto& [k, v] : s.match_labels) {
    auto it = labels.find(k);
    if (it == labels.end() || it->second != v) return false;
  }
  for (const auto& e : s.match_expressions) {
    auto it = labels.find(e.key);
    const bool has = it != labels.end();
    const bool in = has && std::find(e.values.begin(), e.values.end(), it->second) != e.values.end();
    if (e.op == "In" && !in) return false;
    if (e.op == "NotIn" && in) return false;
    if (e.op == "Exists" && !has) return false;
    if (e.op == "DoesNotExist" && has) return false;
  }
  return true;
}

// namespacesFromSelector.
std::vector<std::string> namespaces_from_selector(const Context& ctx, const std::string& local,
                                                  const std::optional<gwapi::AllowedRoutes>& allowed) {
  if (!allowed || !allowed->from || *allowed->from == "Same") return {local};
  if (*allowed->from == "All") return {"*"};
  if (!allowed->selector) return {"*"};
  std::vector<std::string> out;
  for (const auto& ns : ctx.snapshot.namespaces) {
    if (selector_matches(*allowed->selector, ns.meta.labels, ns.meta.name)) out.push_back(ns.meta.name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// buildHostnameMatch: "ns/hostname" per allowed namespace; "~/hostname" (matches nothing) when none.
std::vector<std::string> build_hostname_match(const Context& ctx, const std::string& local, const gwapi::Listener& l) {
  const std::string hostname = l.hostname.value_or("*");
  std::vector<std::string> out;
  for (const auto& ns : namespaces_from_selector(ctx, local, l.allowed_routes)) {
    if (!ns.empty()) out.push_back(ns + "/" + hostname);
  }
  if (out.empty()) return {"~/" + hostname};
  return out;
}

// listenerProtocolToIstio.
std::optional<std::string> listener_protocol(const std::string& p, std::string& error) {
  if (p == "HTTP" || p == "HTTPS" || p == "TLS" || p == "TCP") return p;
  if (p == "HBONE") {
    error = "protocol \"HBONE\" is only supported for waypoint proxies";
    return std::nullopt;
  }
  std::string up = p;
  for (auto& c : up) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (up == "HTTP" || up == "HTTPS" || up == "TLS" || up == "TCP" || up == "HBONE") {
    error = "protocol \"" + p + "\" is unsupported. hint: \"" + up + "\" (uppercase) may be supported";
  } else {
    error = "protocol \"" + p + "\" is unsupported";
  }
  return std::nullopt;
}

}  // namespace

// gatewaycommon.GenerateGatewaySupportedKinds: the route kinds a listener's protocol carries,
// narrowed by allowedRoutes.kinds; false when allowedRoutes names a kind that is not supported.
std::pair<std::vector<gwapi::RouteGroupKind>, bool> supported_kinds(const gwapi::Listener& l) {
  std::vector<gwapi::RouteGroupKind> supported;
  auto kind = [](const char* k) { return gwapi::RouteGroupKind{std::string(kGatewayGroup), k}; };
  if (l.protocol == "HTTP" || l.protocol == "HTTPS") {
    supported = {kind("HTTPRoute"), kind("GRPCRoute")};
  } else if (l.protocol == "TCP") {
    supported = {kind("TCPRoute")};
  } else if (l.protocol == "TLS") {
    supported = {kind("TLSRoute")};
    if (l.tls && l.tls->mode.value_or("") == "Terminate") supported.push_back(kind("TCPRoute"));
  }
  if (l.allowed_routes && !l.allowed_routes->kinds.empty()) {
    std::vector<gwapi::RouteGroupKind> intersection;
    for (const auto& s : supported) {
      for (const auto& k : l.allowed_routes->kinds) {
        if (k.kind == s.kind && k.group.value_or(kGatewayGroup) == *s.group) {
          intersection.push_back(s);
          break;
        }
      }
    }
    const bool valid = intersection.size() == l.allowed_routes->kinds.size();
    return {intersection, valid};
  }
  return {supported, true};
}

namespace {

Json kinds_json(const std::vector<gwapi::RouteGroupKind>& kinds) {
  Json out = Json::array();
  for (const auto& k : kinds) out.push_back({{"group", k.group.value_or(kGatewayGroup)}, {"kind", k.kind}});
  return out;
}

// buildListener: one listener as an Istio server, with its status entry.
std::optional<model::Server> build_listener(const Context& ctx, const gwapi::Gateway& gw, const gwapi::Listener& l,
                                            size_t index, Json& listeners, bool& programmed) {
  Conditions conditions = {
      {"Accepted", {"Accepted", "No errors found", "", std::nullopt}},
      {"Programmed", {"Programmed", "No errors found", "", std::nullopt}},
      {"Conflicted", {"NoConflicts", "No errors found", "False", std::nullopt}},
      {"ResolvedRefs", {"ResolvedRefs", "No errors found", "", std::nullopt}},
  };
  bool ok = true;
  std::optional<ConfigError> tls_error;
  auto tls = build_tls(ctx, l, gw, tls_error);
  if (tls_error) {
    conditions["ResolvedRefs"].error = tls_error;
    conditions["Programmed"].error = ConfigError{"Invalid", "Bad TLS configuration"};
    if (tls_error->reason == "InvalidCACertificateRef" || tls_error->reason == "InvalidCACertificateKind" ||
        tls_error->reason == "RefNotPermitted") {
      conditions["Accepted"].error = ConfigError{"NoValidCACertificate", tls_error->message};
    }
    ok = false;
  }
  auto hostnames = build_hostname_match(ctx, gw.meta.namespace_, l);
  std::string protocol_error;
  auto protocol = listener_protocol(l.protocol, protocol_error);
  if (!protocol) {
    conditions["Accepted"].error = ConfigError{"UnsupportedProtocol", protocol_error};
    ok = false;
  }
  std::optional<model::Server> server = model::Server{};
  server->port.name = "default";  // one server per Istio Gateway, so one name for all
  server->port.number = static_cast<std::uint32_t>(l.port);
  server->port.protocol = protocol.value_or("");
  server->hosts = hostnames;
  server->tls = tls;
  server->source = gw.meta.source;
  // An HTTPS or TLS listener without a TLS block is a placeholder (for ListenerSets): no server.
  if (!tls && (l.protocol == "HTTPS" || l.protocol == "TLS")) server.reset();

  // gatewaycommon.ReportListenerCondition.
  while (listeners.size() <= index) listeners.push_back(Json::object());
  auto [kinds, valid_kinds] = supported_kinds(l);
  if (!valid_kinds)
    conditions["ResolvedRefs"] = Condition{"InvalidRouteKinds", "Invalid route kinds", "False", std::nullopt};
  Json existing = listeners[index].is_object() && listeners[index].contains("conditions")
                      ? listeners[index]["conditions"]
                      : Json::array();
  listeners[index] = Json{{"name", l.name},
                          {"attachedRoutes", 0},
                          {"supportedKinds", kinds_json(kinds)},
                          {"conditions", set_conditions(gw.generation, existing, conditions)}};
  programmed = ok;
  return server;
}

// gatewaycommon/listener_conflict.go ComputeGatewayListenerConflicts, for one Gateway's own
// listeners (ListenerSets are not simulated): a listener that is not distinct from an earlier,
// accepted one conflicts with it.
std::map<std::string, std::string> listener_conflicts(const gwapi::Gateway& gw) {
  auto hostname = [](const gwapi::Listener& l) { return l.hostname && !l.hostname->empty() ? *l.hostname : "*"; };
  auto tcp_udp = [](const std::string& p) { return p == "TCP" || p == "UDP"; };
  auto http_like = [](const std::string& p) { return p == "HTTP" || p == "HTTPS" || p == "TLS"; };
  auto distinct = [&](const gwapi::Listener& a, const gwapi::Listener& b) {
    if (a.port != b.port) return true;
    if ((tcp_udp(a.protocol) && http_like(b.protocol)) || (http_like(a.protocol) && tcp_udp(b.protocol))) return false;
    if (tcp_udp(a.protocol) && tcp_udp(b.protocol)) return false;
    if (http_like(a.protocol) && http_like(b.protocol)) return hostname(a) != hostname(b);
    return a.protocol != b.protocol;
  };
  std::map<std::string, std::string> conflicts;
  std::vector<const gwapi::Listener*> accepted;
  for (const auto& l : gw.listeners) {
    const gwapi::Listener* prior = nullptr;
    for (const auto* a : accepted) {
      if (!distinct(l, *a)) {
        prior = a;
        break;
      }
    }
    if (!prior) {
      accepted.push_back(&l);
      continue;
    }
    const bool protocol = (tcp_udp(l.protocol) && tcp_udp(prior->protocol)) || l.protocol != prior->protocol;
    conflicts[l.name] = protocol ? "ProtocolConflict" : "HostnameConflict";
  }
  return conflicts;
}

// gatewaycommon.ReportListenerConflict.
void report_listener_conflict(const gwapi::Gateway& gw, const gwapi::Listener& l, size_t index, Json& listeners,
                              const std::string& reason) {
  const std::string msg = "Listener has a conflict with another listener attached to the same Gateway";
  Conditions conditions = {
      {"Accepted", {"", "", "", ConfigError{reason, msg}}},
      {"Programmed", {"", "", "", ConfigError{reason, msg}}},
      {"Conflicted", {reason, msg, "True", std::nullopt}},
  };
  while (listeners.size() <= index) listeners.push_back(Json::object());
  auto [kinds, valid_kinds] = supported_kinds(l);
  if (!valid_kinds)
    conditions["ResolvedRefs"] = Condition{"InvalidRouteKinds", "Invalid route kinds", "False", std::nullopt};
  Json existing = listeners[index].is_object() && listeners[index].contains("conditions")
                      ? listeners[index]["conditions"]
                      : Json::array();
  listeners[index] = Json{{"name", l.name},
                          {"attachedRoutes", 0},
                          {"supportedKinds", kinds_json(kinds)},
                          {"conditions", set_conditions(gw.generation, existing, conditions)}};
}

std::string human_join(const std::vector<std::string>& items) {
  if (items.empty()) return "";
  if (items.size() == 1) return items[0];
  if (items.size() == 2) return items[0] + " and " + items[1];
  std::string out;
  for (size_t i = 0; i + 1 < items.size(); ++i) out += items[i] + ", ";
  return out + "and " + items.back();
}

std::string join(const std::vector<std::string>& items, const std::string& sep) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : sep) + i;
  return out;
}

struct Instances {
  std::vector<std::string> internal;  // "host:port"
  std::vector<std::string> external;  // the Services' load balancer and external IPs (ClusterExternalAddresses)
  std::vector<std::string> pending;   // LoadBalancer Services still without an address
  std::vector<std::string> warnings;
  bool all_usable = true;
};

// The Service ports whose endpoints listen on `port` (the workload port a listener named by
// mistake), in sets.SortedList order.
std::vector<std::string> service_ports_targeting(const Context& ctx, const model::Service& svc, std::uint32_t port) {
  std::set<std::string> out;
  for (const auto& e : ctx.snapshot.endpoints) {
    if (e.meta.namespace_ != svc.meta.namespace_ || e.meta.name != svc.meta.name) continue;
    for (const auto& subset : e.subsets) {
      if (subset.addresses.empty()) continue;
      for (const auto& ep : subset.ports) {
        if (static_cast<std::uint32_t>(ep.port) != port) continue;
        for (const auto& sp : svc.ports) {
          if (sp.name == ep.name) out.insert(std::to_string(sp.port));
        }
      }
    }
  }
  return {out.begin(), out.end()};
}

// GatewayContext.ResolveGatewayInstances: which of the gateway Services serve the servers'
// ports. A port has instances when the Service declares it and its Endpoints hold an address.
Instances resolve_gateway_instances(const Context& ctx, const std::string& ns, const std::vector<std::string>& services,
                                    const std::vector<model::Server>& servers) {
  Instances out;
  std::set<std::uint32_t> ports;
  for (const auto& s : servers) ports.insert(s.port.number);
  std::set<std::string> internal, external, pending;
  for (const auto& g : services) {
    const model::Service* svc = nullptr;
    std::vector<std::string> other_namespaces;
    for (const auto& s : ctx.snapshot.services) {
      if (s.meta.name + "." + s.meta.namespace_ + ".svc." + ctx.domain_suffix != g) continue;
      if (s.meta.namespace_ == ns)
        svc = &s;
      else
        other_namespaces.push_back("\"" + s.meta.namespace_ + "\"");
    }
    if (!svc) {
      // A ServiceEntry host in the namespace: its declared ports are served.
      const model::ServiceEntry* entry = nullptr;
      for (const auto& se : ctx.snapshot.service_entries) {
        if (se.meta.namespace_ == ns && std::find(se.hosts.begin(), se.hosts.end(), g) != se.hosts.end()) entry = &se;
      }
      if (entry) {
        for (std::uint32_t port : ports) {
          bool declared = false;
          for (const auto& p : entry->ports) declared = declared || p.number == port;
          if (declared) {
            internal.insert(g + ":" + std::to_string(port));
          } else {
            out.warnings.push_back("port " + std::to_string(port) + " not found for hostname \"" + g + "\"");
            out.all_usable = false;
          }
        }
        continue;
      }
      if (!other_namespaces.empty()) {
        std::sort(other_namespaces.begin(), other_namespaces.end());
        out.warnings.push_back("hostname \"" + g + "\" not found in namespace \"" + ns +
                               "\", but it was found in namespace(s) " + join(other_namespaces, ", "));
      } else {
        out.warnings.push_back("hostname \"" + g + "\" not found");
      }
      out.all_usable = false;
      continue;
    }
    bool has_endpoints = false;
    for (const auto& e : ctx.snapshot.endpoints) {
      if (e.meta.namespace_ != svc->meta.namespace_ || e.meta.name != svc->meta.name) continue;
      for (const auto& subset : e.subsets) has_endpoints = has_endpoints || !subset.addresses.empty();
    }
    for (std::uint32_t port : ports) {
      bool declared = false;
      for (const auto& p : svc->ports) declared = declared || static_cast<std::uint32_t>(p.port) == port;
      if (declared && has_endpoints) {
        internal.insert(g + ":" + std::to_string(port));
        // serviceregistry/kube/conversion.go: status.loadBalancer.ingress, then spec.externalIPs.
        if (!svc->load_balancer_ingress.empty() || !svc->external_ips.empty()) {
          external.insert(svc->load_balancer_ingress.begin(), svc->load_balancer_ingress.end());
          external.insert(svc->external_ips.begin(), svc->external_ips.end());
        } else if (svc->type == "LoadBalancer" && pending.insert(g).second) {
          out.warnings.push_back("address pending for hostname \"" + g + "\"");
        }
      } else if (!has_endpoints) {
        out.warnings.push_back("no instances found for hostname \"" + g + "\"");
      } else if (auto hint = service_ports_targeting(ctx, *svc, port); !hint.empty()) {
        out.warnings.push_back("port " + std::to_string(port) + " not found for hostname \"" + g +
                               "\" (hint: the service port should be specified, not the workload port. Did you mean "
                               "one of these ports: [" +
                               join(hint, " ") + "]?)");
        out.all_usable = false;
      } else {
        // Not a managed Service with the port declared (those only wait for endpoints).
        const bool managed = svc->meta.labels.count("gateway.istio.io/managed") > 0;
        if (!managed || !declared) {
          out.warnings.push_back("port " + std::to_string(port) + " not found for hostname \"" + g + "\"");
          out.all_usable = false;
        }
      }
    }
  }
  std::sort(out.warnings.begin(), out.warnings.end());
  out.internal.assign(internal.begin(), internal.end());
  out.external.assign(external.begin(), external.end());
  out.pending.assign(pending.begin(), pending.end());
  return out;
}

// reportGatewayStatus.
void report_gateway_status(const Context& ctx, const gwapi::Gateway& gw, Json& status,
                           const std::vector<std::string>& services, const std::vector<model::Server>& servers,
                           const std::optional<ConfigError>& gateway_error, size_t valid_listeners) {
  const Instances instances = resolve_gateway_instances(ctx, gw.meta.namespace_, services, servers);
  Conditions conditions = {
      {"Accepted", {"Accepted", "Resource accepted", "", std::nullopt}},
      {"Programmed", {"Programmed", "Resource programmed", "", std::nullopt}},
      {"ResolvedRefs", {"ResolvedRefs", "All references resolved", "", std::nullopt}},
  };
  if (gateway_error) {
    conditions["Accepted"].error = gateway_error;
  } else if (!gw.listeners.empty() && valid_listeners < gw.listeners.size()) {
    if (valid_listeners == 0) {
      conditions["Accepted"].error = ConfigError{"ListenersNotValid", "None of the Gateway's listeners are valid"};
    } else {
      conditions["Accepted"].reason = "ListenersNotValid";
      conditions["Accepted"].message = "One or more of the Gateway's listeners are invalid";
    }
  }
  // gatewaycommon.SetProgrammedCondition.
  auto& programmed = conditions["Programmed"];
  if (!instances.internal.empty()) {
    programmed.message = "Resource programmed, assigned to service(s) " + human_join(instances.internal);
  }
  if (services.empty()) {
    programmed.error = ConfigError{"UnsupportedAddress", "Failed to assign to any requested addresses"};
  } else if (!instances.warnings.empty()) {
    std::string msg = instances.internal.empty()
                          ? "Failed to assign to any requested addresses: " + join(instances.warnings, "; ")
                          : "Assigned to service(s) " + human_join(instances.internal) +
                                ", but failed to assign to all requested addresses: " + join(instances.warnings, "; ");
    programmed.error = ConfigError{instances.all_usable ? "AddressNotAssigned" : "AddressNotUsable", msg};
  }
  // Addresses (conversion.go, after setProgrammedCondition): the Services' external addresses;
  // without any, the istio class (AddressType Hostname) reports the internal hostnames that are
  // not waiting for a load balancer address.
  std::vector<std::string> addresses = instances.external;
  if (addresses.empty()) {
    for (const auto& hostport : instances.internal) {
      const std::string host = hostport.substr(0, hostport.rfind(':'));
      const bool pending = std::find(instances.pending.begin(), instances.pending.end(), host) != instances.pending.end();
      if (!pending && std::find(addresses.begin(), addresses.end(), host) == addresses.end()) addresses.push_back(host);
    }
  }
  if (!addresses.empty()) {
    Json list = Json::array();
    for (const auto& a : addresses)
      list.push_back({{"type", host::is_ip_address(a) ? "IPAddress" : "Hostname"}, {"value", a}});
    status["addresses"] = list;
  }
  // Prune listeners that are no longer in the spec.
  std::set<std::string> have;
  for (const auto& l : gw.listeners) have.insert(l.name);
  Json kept = Json::array();
  if (status.contains("listeners") && status["listeners"].is_array()) {
    for (const auto& l : status["listeners"]) {
      const std::string name = l.is_object() ? l.value("name", "") : "";
      if (have.erase(name)) kept.push_back(l);
    }
  }
  if (kept.empty())
    status.erase("listeners");  // omitempty
  else
    status["listeners"] = kept;
  status["conditions"] = set_conditions(gw.generation, status.value("conditions", Json::array()), conditions);
}

}  // namespace

GatewayBuild build_gateways(const Context& ctx) {
  GatewayBuild out;
  for (const auto& gw : ctx.snapshot.kubernetes_gateways) {
    if (gateway_controller(ctx, gw.gateway_class_name) != gwapi::kIstioController) continue;
    Json status = gw.status.is_object() ? gw.status : Json::object();
    std::optional<ConfigError> error;
    auto services = extract_gateway_services(ctx, gw, error);
    std::vector<model::Server> servers;
    if (services.empty() && error) {  // a hard failure: nothing else is looked at
      report_gateway_status(ctx, gw, status, services, servers, error, 0);
      out.statuses[{gw.meta.namespace_, gw.meta.name}] = status;
      continue;
    }
    if (!error) error = validate_parameters_ref(gw);
    const std::string name = "Gateway " + gw.meta.namespace_ + "/" + gw.meta.name;
    if (gw.tls.is_object() && !gw.tls.empty()) {
      out.warnings.push_back(name +
                             ": spec.tls (frontend client certificate validation, backend client certificate) "
                             "is not simulated; listeners terminate TLS without it");
    }
    std::string service_account;
    if (is_managed(gw)) {
      auto it = gw.meta.annotations.find("gateway.istio.io/service-account");
      service_account = it != gw.meta.annotations.end() && !it->second.empty() ? it->second : default_name(gw);
    }
    size_t valid_listeners = 0;
    Json listeners =
        status.contains("listeners") && status["listeners"].is_array() ? status["listeners"] : Json::array();
    const auto conflicts = listener_conflicts(gw);
    for (size_t i = 0; i < gw.listeners.size(); ++i) {
      const auto& l = gw.listeners[i];
      if (auto c = conflicts.find(l.name); c != conflicts.end()) {
        report_listener_conflict(gw, l, i, listeners, c->second);
        continue;
      }
      bool programmed = false;
      auto server = build_listener(ctx, gw, l, i, listeners, programmed);
      if (programmed) ++valid_listeners;
      if (!server) continue;
      servers.push_back(*server);
      ListenerGateway lg;
      lg.config.meta.name = gw.meta.name + "~" + kAutogenerated + "~" + l.name;  // kube.InternalGatewayName
      lg.config.meta.namespace_ = gw.meta.namespace_;
      lg.config.meta.creation_time = gw.meta.creation_time;
      lg.config.meta.source = gw.meta.source;
      lg.config.meta.annotations = {
          {"internal.istio.io/parents", "Gateway/" + gw.meta.name + "/" + l.name + "." + gw.meta.namespace_},
          {"internal.istio.io/gateway-semantics", "gateway"},
          {"internal.istio.io/gateway-service", join(services, ",")},
          {"internal.istio.io/service-account-name", service_account},
      };
      lg.config.servers = {*server};
      lg.parent = ParentKey{kGatewayKind, gw.meta.name, gw.meta.namespace_};
      lg.info.internal_name = gw.meta.namespace_ + "/" + lg.config.meta.name;
      lg.info.allowed_kinds = supported_kinds(l).first;
      lg.info.hostnames = server->hosts;
      lg.info.original_hostname = l.hostname.value_or("");
      lg.info.section_name = l.name;
      lg.info.port = l.port;
      lg.info.protocol = l.protocol;
      lg.valid = programmed;
      out.listeners.push_back(std::move(lg));
    }
    status["listeners"] = listeners;
    report_gateway_status(ctx, gw, status, services, servers, error, valid_listeners);
    out.statuses[{gw.meta.namespace_, gw.meta.name}] = status;
  }
  return out;
}

}  // namespace gwsim::kube_gateway::detail
