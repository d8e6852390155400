// The schema tables of Istio's networking CRDs, field by field as crd-all.gen.yaml declares them
// (types, enums, required fields, bounds, oneOf groups, list-map keys and the CEL rules).
#include "engine/model/detail_crd_schema_tables.h"

#include <re2/re2.h>

#include <cmath>

#include "engine/model/detail_crd_schema_tables_gateway_api.h"

namespace gwsim::model::detail {

namespace {

NodePtr make(Type t) {
  auto n = std::make_shared<Node>();
  n->type = t;
  return n;
}
NodePtr str() { return make(Type::kString); }
NodePtr str_max(std::size_t len) {
  auto n = str();
  n->max_length = len;
  return n;
}
NodePtr boolean() { return make(Type::kBoolean); }
NodePtr number() { return make(Type::kNumber); }
NodePtr bytes() { return make(Type::kBytes); }
NodePtr i32() {
  auto n = make(Type::kInteger);
  n->int32 = true;
  return n;
}
NodePtr u32() {
  auto n = make(Type::kInteger);
  n->minimum = 0;
  n->maximum = 4294967295.0;
  return n;
}
NodePtr u64() {
  auto n = make(Type::kInteger);
  n->minimum = 0;
  return n;
}
// Durations as Istio's CRDs declare them: a string, mostly with the ">= 1ms" CEL rule.
NodePtr duration(bool rule = true) {
  auto n = make(Type::kDuration);
  n->duration_rule = rule;
  return n;
}
NodePtr enumeration(std::vector<std::string> values) {
  auto n = str();
  n->enum_values = std::move(values);
  return n;
}
NodePtr array(NodePtr items, std::size_t max_items = 0) {
  auto n = make(Type::kArray);
  n->items = std::move(items);
  n->max_items = max_items;
  return n;
}
NodePtr map_of(NodePtr values) {
  auto n = make(Type::kMap);
  n->items = std::move(values);
  return n;
}
NodePtr object(std::vector<std::pair<std::string, NodePtr>> fields, std::vector<std::string> required = {}) {
  auto n = make(Type::kObject);
  n->fields = std::move(fields);
  n->required = std::move(required);
  return n;
}
NodePtr one_of(NodePtr n, std::vector<std::string> group) {
  n->one_of.push_back(std::move(group));
  return n;
}
NodePtr with_rule(NodePtr n, Rule rule) {
  n->rules.push_back(std::move(rule));
  return n;
}

bool has(const Json& self, const char* key) {
  auto it = self.find(key);
  return it != self.end() && !it->is_null();
}

std::optional<std::string> port_rule(const Json& self) {
  if (self.is_number() && self.get<double>() > 0 && self.get<double>() <= 65535) return std::nullopt;
  return "port must be between 1-65535";
}

// ---- Istio networking schemas ----------------------------------------------------------------

NodePtr string_match() {
  return one_of(object({{"exact", str()}, {"prefix", str()}, {"regex", str()}}), {"exact", "prefix", "regex"});
}

NodePtr destination() {
  return object({{"host", str()}, {"port", object({{"number", u32()}})}, {"subset", str()}}, {"host"});
}

NodePtr headers() {
  auto ops = [] { return object({{"add", map_of(str())}, {"remove", array(str())}, {"set", map_of(str())}}); };
  return object({{"request", ops()}, {"response", ops()}});
}

NodePtr percent() { return object({{"value", number()}}); }

NodePtr virtual_service_spec() {
  auto match_request = object({
      {"authority", string_match()},
      {"gateways", array(str())},
      {"headers", map_of(string_match())},
      {"ignoreUriCase", boolean()},
      {"method", string_match()},
      {"name", str()},
      {"port", u32()},
      {"queryParams", map_of(string_match())},
      {"scheme", string_match()},
      {"sourceLabels", map_of(str())},
      {"sourceNamespace", str()},
      {"statPrefix", str()},
      {"uri", string_match()},
      {"withoutHeaders", map_of(string_match())},
  });
  auto http_route = object({
      {"corsPolicy", object({
                         {"allowCredentials", boolean()},
                         {"allowHeaders", array(str())},
                         {"allowMethods", array(str())},
                         {"allowOrigin", array(str())},
                         {"allowOrigins", array(string_match())},
                         {"exposeHeaders", array(str())},
                         {"maxAge", duration()},
                         {"unmatchedPreflights", enumeration({"UNSPECIFIED", "FORWARD", "IGNORE"})},
                     })},
      {"delegate", object({{"name", str()}, {"namespace", str()}})},
      {"directResponse",
       object({{"body", one_of(object({{"bytes", bytes()}, {"string", str()}}), {"string", "bytes"})}, {"status", u32()}},
              {"status"})},
      {"fault", object({
                    {"abort", one_of(object({{"grpcStatus", str()},
                                             {"http2Error", str()},
                                             {"httpStatus", i32()},
                                             {"percentage", percent()}}),
                                     {"httpStatus", "grpcStatus", "http2Error"})},
                    {"delay", one_of(object({{"exponentialDelay", duration()},
                                             {"fixedDelay", duration()},
                                             {"percent", i32()},
                                             {"percentage", percent()}}),
                                     {"fixedDelay", "exponentialDelay"})},
                })},
      {"headers", headers()},
      {"match", array(match_request)},
      {"mirror", destination()},
      {"mirror_percent", u32()},
      {"mirrorPercent", u32()},
      {"mirrorPercentage", percent()},
      {"mirrors", array(object({{"destination", destination()}, {"percentage", percent()}}, {"destination"}))},
      {"name", str()},
      {"redirect", one_of(object({
                              {"authority", str()},
                              {"derivePort", enumeration({"FROM_PROTOCOL_DEFAULT", "FROM_REQUEST_PORT"})},
                              {"port", u32()},
                              {"prefixRewrite", str()},
                              {"redirectCode", u32()},
                              {"scheme", str()},
                              {"uri", str()},
                          }),
                          {"port", "derivePort"})},
      {"retries", object({
                      {"attempts", i32()},
                      {"backoff", duration()},
                      {"perTryTimeout", duration()},
                      {"retryIgnorePreviousHosts", boolean()},
                      {"retryOn", str()},
                      {"retryRemoteLocalities", boolean()},
                  })},
      {"rewrite", object({{"authority", str()},
                          {"uri", str()},
                          {"uriRegexRewrite", object({{"match", str()}, {"rewrite", str()}})}})},
      {"route", array(object({{"destination", destination()}, {"headers", headers()}, {"weight", i32()}}, {"destination"}))},
      {"timeout", duration()},
  });
  auto route_destination = [] { return object({{"destination", destination()}, {"weight", i32()}}, {"destination"}); };
  auto tcp_route = object({
      {"match", array(object({
                    {"destinationSubnets", array(str())},
                    {"gateways", array(str())},
                    {"port", u32()},
                    {"sourceLabels", map_of(str())},
                    {"sourceNamespace", str()},
                    {"sourceSubnet", str()},
                }))},
      {"route", array(route_destination())},
  });
  auto tls_route = object({{"match", array(object({
                                          {"destinationSubnets", array(str())},
                                          {"gateways", array(str())},
                                          {"port", u32()},
                                          {"sniHosts", array(str())},
                                          {"sourceLabels", map_of(str())},
                                          {"sourceNamespace", str()},
                                      },
                                                  {"sniHosts"}))},
                           {"route", array(route_destination())}},
                          {"match"});
  return object({
      {"exportTo", array(str())},
      {"gateways", array(str())},
      {"hosts", array(str())},
      {"http", array(http_route)},
      {"tcp", array(tcp_route)},
      {"tls", array(tls_route)},
  });
}

NodePtr gateway_spec() {
  auto tls = object({
      {"caCertCredentialName", str()},
      {"caCertificates", str()},
      {"caCrl", str()},
      {"cipherSuites", array(str())},
      {"credentialName", str()},
      {"credentialNames", array(str(), 2)},
      {"httpsRedirect", boolean()},
      {"insecureSkipVerify", boolean()},
      {"maxProtocolVersion", enumeration({"TLS_AUTO", "TLSV1_0", "TLSV1_1", "TLSV1_2", "TLSV1_3"})},
      {"minProtocolVersion", enumeration({"TLS_AUTO", "TLSV1_0", "TLSV1_1", "TLSV1_2", "TLSV1_3"})},
      {"mode", enumeration({"PASSTHROUGH", "SIMPLE", "MUTUAL", "AUTO_PASSTHROUGH", "ISTIO_MUTUAL", "OPTIONAL_MUTUAL"})},
      {"privateKey", str()},
      {"serverCertificate", str()},
      {"subjectAltNames", array(str())},
      {"tlsCertificates", array(object({{"caCertificates", str()}, {"privateKey", str()}, {"serverCertificate", str()}}), 2)},
      {"verifyCertificateHash", array(str())},
      {"verifyCertificateSpki", array(str())},
  });
  // The CRD's three CEL rules on ServerTLSSettings, with their messages as written there.
  tls = with_rule(tls, [](const Json& s) -> std::optional<std::string> {
    if (has(s, "tlsCertificates") && has(s, "credentialNames")) return "only one of credentialNames or tlsCertificates can be set";
    return std::nullopt;
  });
  tls = with_rule(tls, [](const Json& s) -> std::optional<std::string> {
    if (has(s, "credentialName") && has(s, "credentialNames")) return "only one of credentialName or credentialNames can be set";
    return std::nullopt;
  });
  tls = with_rule(tls, [](const Json& s) -> std::optional<std::string> {
    if (has(s, "credentialNames") && has(s, "tlsCertificates")) return "only one of credentialName or tlsCertificates can be set";
    return std::nullopt;
  });
  auto server = object({
      {"bind", str()},
      {"defaultEndpoint", str()},
      {"hosts", array(str())},
      {"name", str()},
      {"port", object({{"name", str()}, {"number", u32()}, {"protocol", str()}, {"targetPort", u32()}},
                      {"number", "protocol", "name"})},
      {"tls", tls},
  },
                       {"port", "hosts"});
  return object({{"selector", map_of(str())}, {"servers", array(server)}});
}

NodePtr traffic_policy(bool port_level) {
  auto connection_pool = object({
      {"http", object({
                   {"h2UpgradePolicy", enumeration({"DEFAULT", "DO_NOT_UPGRADE", "UPGRADE"})},
                   {"http1MaxPendingRequests", i32()},
                   {"http2KeepAlive", object({{"interval", duration()}, {"timeout", duration()}})},
                   {"http2MaxRequests", i32()},
                   {"idleTimeout", duration()},
                   {"maxConcurrentStreams", i32()},
                   {"maxRequestsPerConnection", i32()},
                   {"maxRetries", i32()},
                   {"useClientProtocol", boolean()},
               })},
      {"tcp", object({
                  {"connectTimeout", duration()},
                  {"idleTimeout", duration(false)},
                  {"maxConnectionDuration", duration()},
                  {"maxConnections", i32()},
                  {"tcpKeepalive", object({{"interval", duration()}, {"probes", u32()}, {"time", duration()}})},
              })},
  });
  auto failover = [] { return array(object({{"from", str()}, {"to", str()}})); };
  auto consistent_hash = object({
      {"httpCookie", object({{"attributes", array(object({{"name", str()}, {"value", str()}}, {"name"}))},
                             {"name", str()},
                             {"path", str()},
                             {"ttl", duration(false)}},
                            {"name"})},
      {"httpHeaderName", str()},
      {"httpQueryParameterName", str()},
      {"maglev", object({{"tableSize", u64()}})},
      {"minimumRingSize", u64()},
      {"ringHash", object({{"minimumRingSize", u64()}})},
      {"useSourceIp", boolean()},
  });
  consistent_hash = one_of(consistent_hash, {"httpHeaderName", "httpCookie", "useSourceIp", "httpQueryParameterName"});
  consistent_hash = one_of(consistent_hash, {"ringHash", "maglev"});
  auto min_one = make(Type::kInteger);
  min_one->minimum = 1;
  auto aggression = number();
  aggression->minimum = 0;
  auto minimum_percent = number();
  minimum_percent->minimum = 0;
  minimum_percent->maximum = 100;
  auto load_balancer = one_of(
      object({
          {"consistentHash", consistent_hash},
          {"localityLbSetting", object({
                                    {"distribute", array(object({{"from", str()}, {"to", map_of(u32())}}))},
                                    {"enabled", boolean()},
                                    {"failover", failover()},
                                    {"failoverPriority", array(str())},
                                })},
          {"simple", enumeration({"UNSPECIFIED", "LEAST_CONN", "RANDOM", "PASSTHROUGH", "ROUND_ROBIN", "LEAST_REQUEST"})},
          {"warmup", object({{"aggression", aggression}, {"duration", duration()}, {"minimumPercent", minimum_percent}},
                            {"duration"})},
          {"warmupDurationSecs", duration()},
          {"zoneAwareLbSetting", object({
                                     {"enabled", boolean()},
                                     {"failover", failover()},
                                     {"failoverPriority", array(str())},
                                     {"minClusterSize", min_one},
                                 })},
      }),
      {"simple", "consistentHash"});
  auto http_code = make(Type::kInteger);
  http_code->minimum = 100;
  http_code->maximum = 599;
  auto outlier_detection = object({
      {"baseEjectionTime", duration()},
      {"consecutive5xxErrors", u32()},
      {"consecutiveErrors", i32()},
      {"consecutiveGatewayErrors", u32()},
      {"consecutiveLocalOriginFailures", u32()},
      {"interval", duration()},
      {"maxEjectionPercent", i32()},
      {"minHealthPercent", i32()},
      {"outlierDetectionHttpErrorCodes", array(http_code)},
      {"splitExternalLocalOriginErrors", boolean()},
  });
  auto tls = object({
      {"caCertificates", str()},
      {"caCrl", str()},
      {"clientCertificate", str()},
      {"credentialName", str()},
      {"insecureSkipVerify", boolean()},
      {"mode", enumeration({"DISABLE", "SIMPLE", "MUTUAL", "ISTIO_MUTUAL"})},
      {"privateKey", str()},
      {"sni", str()},
      {"subjectAltNames", array(str())},
  });
  std::vector<std::pair<std::string, NodePtr>> fields = {
      {"connectionPool", connection_pool},
      {"loadBalancer", load_balancer},
      {"outlierDetection", outlier_detection},
      {"tls", tls},
  };
  if (port_level) {
    fields.emplace_back("port", object({{"number", u32()}}));
  } else {
    auto retry_percent = number();
    retry_percent->minimum = 0;
    retry_percent->maximum = 100;
    fields.emplace_back("portLevelSettings", array(traffic_policy(true), 4096));
    fields.emplace_back("proxyProtocol", object({{"version", enumeration({"V1", "V2"})}}));
    fields.emplace_back("retryBudget", object({{"budgetInterval", duration(false)},
                                               {"minRetryConcurrency", u32()},
                                               {"percent", retry_percent}}));
    fields.emplace_back("tunnel", object({{"protocol", str()}, {"targetHost", str()}, {"targetPort", u32()}},
                                         {"targetHost", "targetPort"}));
  }
  return object(std::move(fields));
}

NodePtr destination_rule_spec() {
  auto label_value = with_rule(str_max(63), [](const Json& v) -> std::optional<std::string> {
    if (v.is_string() && v.get<std::string>().find('*') != std::string::npos) return "wildcard not allowed in label value match";
    return std::nullopt;
  });
  auto match_labels = map_of(label_value);
  match_labels = with_rule(match_labels, [](const Json& m) -> std::optional<std::string> {
    for (const auto& [k, v] : m.items()) {
      if (k.find('*') != std::string::npos) return "wildcard not allowed in label key match";
    }
    return std::nullopt;
  });
  match_labels = with_rule(match_labels, [](const Json& m) -> std::optional<std::string> {
    for (const auto& [k, v] : m.items()) {
      if (k.empty()) return "key must not be empty";
    }
    return std::nullopt;
  });
  return object({
      {"exportTo", array(str())},
      {"host", str()},
      {"subsets", array(object({{"labels", map_of(str())}, {"name", str()}, {"trafficPolicy", traffic_policy(false)}},
                               {"name"}))},
      {"trafficPolicy", traffic_policy(false)},
      {"workloadSelector", object({{"matchLabels", match_labels}})},
  },
                {"host"});
}

NodePtr service_entry_spec() {
  auto port_number = with_rule(u32(), port_rule);
  auto endpoint_ports = with_rule(map_of(with_rule(u32(), port_rule)), [](const Json& m) -> std::optional<std::string> {
    for (const auto& [k, v] : m.items()) {
      bool ok = !k.empty() && k.size() < 63 && std::isalnum(static_cast<unsigned char>(k.front())) &&
                std::isalnum(static_cast<unsigned char>(k.back()));
      for (char c : k) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '-');
      if (!ok) return "port name must be valid";
    }
    return std::nullopt;
  });
  auto address = with_rule(str_max(256), [](const Json& v) -> std::optional<std::string> {
    const std::string s = v.is_string() ? v.get<std::string>() : "";
    if (s.rfind("unix://", 0) == 0 && (s.size() < 8 || (s[7] != '/' && s[7] != '@'))) {
      return "UDS must be an absolute path or abstract socket";
    }
    return std::nullopt;
  });
  address = with_rule(address, [](const Json& v) -> std::optional<std::string> {
    const std::string s = v.is_string() ? v.get<std::string>() : "";
    if (s.rfind("unix://", 0) == 0 && !s.empty() && s.back() == '/') return "UDS may not be a dir";
    return std::nullopt;
  });
  auto endpoint = object({
      {"address", address},
      {"labels", map_of(str())},
      {"locality", str_max(2048)},
      {"network", str_max(2048)},
      {"ports", endpoint_ports},
      {"serviceAccount", str_max(253)},
      {"weight", u32()},
  });
  endpoint = with_rule(endpoint, [](const Json& e) -> std::optional<std::string> {
    if (has(e, "address") || has(e, "network")) return std::nullopt;
    return "Address is required";
  });
  endpoint = with_rule(endpoint, [](const Json& e) -> std::optional<std::string> {
    auto a = e.find("address");
    if (a != e.end() && a->is_string() && a->get<std::string>().rfind("unix://", 0) == 0 && has(e, "ports")) {
      return "UDS may not include ports";
    }
    return std::nullopt;
  });
  auto ports = array(object({{"name", str_max(256)},
                             {"number", port_number},
                             {"protocol", str_max(256)},
                             {"targetPort", with_rule(u32(), port_rule)}},
                            {"number", "name"}),
                     256);
  ports->list_map_key = "name";  // the CRD keys this list by port name
  ports = with_rule(ports, [](const Json& list) -> std::optional<std::string> {
    for (const auto& p : list) {
      if (!p.is_object() || !p.contains("number")) continue;
      int count = 0;
      for (const auto& q : list) {
        if (q.is_object() && q.contains("number") && q["number"] == p["number"]) ++count;
      }
      if (count != 1) return "port number cannot be duplicated";
    }
    return std::nullopt;
  });
  auto host = with_rule(str(), [](const Json& v) -> std::optional<std::string> {
    if (v.is_string() && v.get<std::string>() == "*") return "hostname cannot be wildcard";
    return std::nullopt;
  });
  auto selector_value = with_rule(str_max(63), [](const Json& v) -> std::optional<std::string> {
    if (v.is_string() && v.get<std::string>().find('*') != std::string::npos) return "wildcard is not supported in selector";
    return std::nullopt;
  });
  auto spec = object({
      {"addresses", array(str_max(64), 256)},
      {"endpoints", array(endpoint, 4096)},
      {"exportTo", array(str())},
      {"hosts", array(host, 256)},
      {"location", enumeration({"MESH_EXTERNAL", "MESH_INTERNAL"})},
      {"ports", ports},
      {"resolution", enumeration({"NONE", "STATIC", "DNS", "DNS_ROUND_ROBIN", "DYNAMIC_DNS"})},
      {"subjectAltNames", array(str())},
      {"workloadSelector", object({{"labels", map_of(selector_value)}})},
  },
                     {"hosts"});
  auto resolution = [](const Json& s, const char* unset) {
    auto it = s.find("resolution");
    return it != s.end() && it->is_string() ? it->get<std::string>() : std::string(unset);
  };
  spec = with_rule(spec, [](const Json& s) -> std::optional<std::string> {
    if (has(s, "workloadSelector") && has(s, "endpoints")) return "only one of WorkloadSelector or Endpoints can be set";
    return std::nullopt;
  });
  spec = with_rule(spec, [resolution](const Json& s) -> std::optional<std::string> {
    bool cidr = false;
    if (auto a = s.find("addresses"); a != s.end() && a->is_array()) {
      for (const auto& x : *a) cidr = cidr || (x.is_string() && x.get<std::string>().find('/') != std::string::npos);
    }
    std::string r = resolution(s, "NONE");
    if (cidr && r != "STATIC" && r != "NONE") return "CIDR addresses are allowed only for NONE/STATIC resolution types";
    return std::nullopt;
  });
  spec = with_rule(spec, [resolution](const Json& s) -> std::optional<std::string> {
    if (resolution(s, "NONE") == "NONE" && has(s, "endpoints")) return "NONE mode cannot set endpoints";
    return std::nullopt;
  });
  spec = with_rule(spec, [resolution](const Json& s) -> std::optional<std::string> {
    auto e = s.find("endpoints");
    if (resolution(s, "") == "DNS_ROUND_ROBIN" && e != s.end() && e->is_array() && e->size() > 1) {
      return "DNS_ROUND_ROBIN mode cannot have multiple endpoints";
    }
    return std::nullopt;
  });
  return spec;
}

// ObjectMeta as the API server decodes it: strict decoding flags unknown metadata fields too.
NodePtr object_meta() {
  auto ref = object({{"apiVersion", str()},
                     {"blockOwnerDeletion", boolean()},
                     {"controller", boolean()},
                     {"kind", str()},
                     {"name", str()},
                     {"uid", str()}});
  auto any = make(Type::kAny);
  return object({
      {"annotations", map_of(str())},
      {"creationTimestamp", any},
      {"deletionGracePeriodSeconds", make(Type::kInteger)},
      {"deletionTimestamp", any},
      {"finalizers", array(str())},
      {"generateName", str()},
      {"generation", make(Type::kInteger)},
      {"labels", map_of(str())},
      {"managedFields", any},
      {"name", str()},
      {"namespace", str()},
      {"ownerReferences", array(ref)},
      {"resourceVersion", str()},
      {"selfLink", str()},
      {"uid", str()},
  });
}

// ---- security.istio.io RequestAuthentication (crd-all.gen.yaml requestauthentications) ----------

NodePtr str_min(std::size_t min_length, std::size_t max_length = 0) {
  auto n = str_max(max_length);
  n->min_length = min_length;
  return n;
}
NodePtr str_pattern(NodePtr n, const char* pattern) {
  n->pattern = pattern;
  n->pattern_re = std::make_shared<const re2::RE2>(n->pattern);
  return n;
}

NodePtr policy_target_reference() {
  auto ns = with_rule(str(), [](const Json& v) -> std::optional<std::string> {
    if (v.is_string() && !v.get<std::string>().empty()) return "cross namespace referencing is not currently supported";
    return std::nullopt;
  });
  return object({{"group", str_pattern(str_max(253), R"(^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$)")},
                 {"kind", str_pattern(str_min(1, 63), "^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$")},
                 {"name", str_min(1, 253)},
                 {"namespace", ns}},
                {"kind", "name"});
}

NodePtr request_authentication_spec() {
  // url(self).getScheme() in ["http", "https"]
  auto uri = with_rule(str_min(1, 2048), [](const Json& v) -> std::optional<std::string> {
    const std::string s = v.is_string() ? v.get<std::string>() : std::string();
    if (s.rfind("http://", 0) == 0 || s.rfind("https://", 0) == 0) return std::nullopt;
    return "url must have scheme http:// or https://";
  });
  auto timeout = duration();
  auto space_delimited = array(str_min(1), 64);
  auto rule = object({
      {"audiences", array(str_min(1))},
      {"forwardOriginalToken", boolean()},
      {"fromCookies", array(str_min(1))},
      {"fromHeaders", array(object({{"name", str_min(1)}, {"prefix", str()}}, {"name"}))},
      {"fromParams", array(str_min(1))},
      {"issuer", str_min(1)},
      {"jwks", str()},
      {"jwks_uri", uri},
      {"jwksUri", uri},
      {"outputClaimToHeaders",
       array(object({{"claim", str_min(1)}, {"header", str_pattern(str_min(1), "^[-_A-Za-z0-9]+$")}}, {"header", "claim"}))},
      {"outputPayloadToHeader", str()},
      {"presence", enumeration({"OPTIONAL", "REQUIRED"})},
      {"spaceDelimitedClaims", space_delimited},
      {"timeout", timeout},
  });
  rule = with_rule(rule, [](const Json& self) -> std::optional<std::string> {
    if (has(self, "jwksUri") + has(self, "jwks_uri") + has(self, "jwks") <= 1) return std::nullopt;
    return "only one of jwks or jwksUri can be set";
  });
  auto label_value = with_rule(str_max(63), [](const Json& v) -> std::optional<std::string> {
    if (v.is_string() && v.get<std::string>().find('*') != std::string::npos) return "wildcard not allowed in label value match";
    return std::nullopt;
  });
  auto match_labels = map_of(label_value);
  match_labels->max_properties = 4096;
  match_labels = with_rule(match_labels, [](const Json& m) -> std::optional<std::string> {
    for (const auto& [k, v] : m.items())
      if (k.find('*') != std::string::npos) return "wildcard not allowed in label key match";
    return std::nullopt;
  });
  match_labels = with_rule(match_labels, [](const Json& m) -> std::optional<std::string> {
    for (const auto& [k, v] : m.items())
      if (k.empty()) return "key must not be empty";
    return std::nullopt;
  });
  auto spec = object({
      {"jwtRules", array(rule, 4096)},
      {"selector", object({{"matchLabels", match_labels}})},
      {"targetRef", policy_target_reference()},
      {"targetRefs", array(policy_target_reference(), 16)},
  });
  return with_rule(spec, [](const Json& self) -> std::optional<std::string> {
    if (has(self, "selector") + has(self, "targetRef") + has(self, "targetRefs") <= 1) return std::nullopt;
    return "only one of targetRefs or selector can be set";
  });
}

NodePtr document(NodePtr spec, bool spec_required = false) {
  return object({{"apiVersion", str()}, {"kind", str()}, {"metadata", object_meta()}, {"spec", std::move(spec)},
                 {"status", make(Type::kAny)}},
                spec_required ? std::vector<std::string>{"spec"} : std::vector<std::string>{});
}

// security.istio.io AuthorizationPolicy (v1 and v1beta1 share it): crd-all.gen.yaml's schema,
// with its CEL rules (selector labels without wildcards, no cross-namespace targetRef, one of
// selector / targetRef / targetRefs).
NodePtr authorization_policy_spec() {
  auto strings = [] { return array(str()); };
  auto label_value = with_rule(str_max(63), [](const Json& v) -> std::optional<std::string> {
    if (v.is_string() && v.get<std::string>().find('*') != std::string::npos) return "wildcard not allowed in label value match";
    return std::nullopt;
  });
  auto match_labels = map_of(label_value);
  match_labels->max_properties = 4096;
  match_labels = with_rule(match_labels, [](const Json& m) -> std::optional<std::string> {
    for (const auto& [k, v] : m.items()) {
      if (k.find('*') != std::string::npos) return "wildcard not allowed in label key match";
    }
    return std::nullopt;
  });
  match_labels = with_rule(match_labels, [](const Json& m) -> std::optional<std::string> {
    for (const auto& [k, v] : m.items()) {
      if (k.empty()) return "key must not be empty";
    }
    return std::nullopt;
  });
  auto target_ref = [] {
    auto group = str_max(253);
    group->pattern = "^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
    group->pattern_re = std::make_shared<const re2::RE2>(group->pattern);
    auto kind = str_max(63);
    kind->min_length = 1;
    kind->pattern = "^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$";
    kind->pattern_re = std::make_shared<const re2::RE2>(kind->pattern);
    auto name = str_max(253);
    name->min_length = 1;
    auto ns = with_rule(str(), [](const Json& v) -> std::optional<std::string> {
      if (v.is_string() && !v.get<std::string>().empty()) return "cross namespace referencing is not currently supported";
      return std::nullopt;
    });
    return object({{"group", group}, {"kind", kind}, {"name", name}, {"namespace", ns}}, {"kind", "name"});
  };
  auto service_accounts = [] { return array(str_max(320), 16); };
  auto source = object({
      {"ipBlocks", strings()},
      {"namespaces", strings()},
      {"notIpBlocks", strings()},
      {"notNamespaces", strings()},
      {"notPrincipals", strings()},
      {"notRemoteIpBlocks", strings()},
      {"notRequestPrincipals", strings()},
      {"notServiceAccounts", service_accounts()},
      {"notTrustDomains", strings()},
      {"principals", strings()},
      {"remoteIpBlocks", strings()},
      {"requestPrincipals", strings()},
      {"serviceAccounts", service_accounts()},
      {"trustDomains", strings()},
  });
  source = with_rule(source, [](const Json& s) -> std::optional<std::string> {
    if ((has(s, "serviceAccounts") || has(s, "notServiceAccounts")) &&
        (has(s, "principals") || has(s, "notPrincipals") || has(s, "namespaces") || has(s, "notNamespaces"))) {
      return "Cannot set serviceAccounts with namespaces or principals";
    }
    return std::nullopt;
  });
  auto operation = object({
      {"hosts", strings()},
      {"methods", strings()},
      {"notHosts", strings()},
      {"notMethods", strings()},
      {"notPaths", strings()},
      {"notPorts", strings()},
      {"paths", strings()},
      {"ports", strings()},
  });
  auto rule = object({
      {"from", array(object({{"source", source}}), 512)},
      {"to", array(object({{"operation", operation}}))},
      {"when", array(object({{"key", str()}, {"notValues", strings()}, {"values", strings()}}, {"key"}))},
  });
  auto spec = object({
      {"action", enumeration({"ALLOW", "DENY", "AUDIT", "CUSTOM"})},
      {"provider", object({{"name", str()}})},
      {"rules", array(rule, 512)},
      {"selector", object({{"matchLabels", match_labels}})},
      {"targetRef", target_ref()},
      {"targetRefs", array(target_ref(), 16)},
  });
  return with_rule(spec, [](const Json& s) -> std::optional<std::string> {
    if (has(s, "selector") + has(s, "targetRef") + has(s, "targetRefs") > 1) {
      return "only one of targetRefs or selector can be set";
    }
    return std::nullopt;
  });
}


// ---- networking.k8s.io/v1 Ingress and IngressClass -------------------------------------------
// Built-in kinds: no CRD, but the API server decodes them as strictly (unknown fields refused
// under kubectl's strict field validation) into k8s.io/api/networking/v1 types.go's structs,
// whose fields are these. Their validation is engine/validation/ingress.cc.

NodePtr ingress_backend() {
  auto i32_field = i32();
  return object({
      {"resource", object({{"apiGroup", str()}, {"kind", str()}, {"name", str()}})},
      {"service", object({{"name", str()}, {"port", object({{"name", str()}, {"number", i32_field}})}})},
  });
}

NodePtr ingress_spec() {
  return object({
      {"defaultBackend", ingress_backend()},
      {"ingressClassName", str()},
      {"rules", array(object({
                    {"host", str()},
                    {"http", object({{"paths", array(object({{"backend", ingress_backend()},
                                                              {"path", str()},
                                                              {"pathType", str()}}))}})},
                }))},
      {"tls", array(object({{"hosts", array(str())}, {"secretName", str()}}))},
  });
}

NodePtr ingress_class_spec() {
  return object({
      {"controller", str()},
      {"parameters", object({{"apiGroup", str()}, {"kind", str()}, {"name", str()}, {"namespace", str()}, {"scope", str()}})},
  });
}

// ---- Gateway API: nodes from the CRDs' generated JSON schemas --------------------------------

std::size_t size_of(const Json& s, const char* key) {
  auto it = s.find(key);
  return it != s.end() && it->is_number_unsigned() ? it->get<std::size_t>() : 0;
}

NodePtr from_openapi(const Json& s, bool top);

// One x-kubernetes-validations entry as a rule of the node (the CRD's message; a rule without a
// C++ form here is skipped and listed by unevaluated_crd_rules()).
void add_cel_rules(Node& node, const Json& s) {
  auto it = s.find("x-kubernetes-validations");
  if (it == s.end()) return;
  for (const auto& v : *it) {
    if (v.value("rule", "") == "self == oldSelf") {
      node.immutable_messages.push_back(v.value("message", ""));
      continue;
    }
    CelCheck check = gateway_api_cel_check(v.value("rule", ""));
    if (!check) continue;
    std::string message = v.value("message", "");
    node.rules.push_back([check, message](const Json& self) -> std::optional<std::string> {
      if (check(self)) return std::nullopt;
      return message;
    });
  }
}

NodePtr from_openapi(const Json& s, bool top) {
  const std::string type = s.value("type", "");
  NodePtr n;
  if (type == "string") {
    n = str();
    if (s.contains("enum")) n->enum_values = s["enum"].get<std::vector<std::string>>();
    n->max_length = size_of(s, "maxLength");
    n->min_length = size_of(s, "minLength");
    if (s.contains("pattern")) {
      n->pattern = s["pattern"].get<std::string>();
      n->pattern_re = std::make_shared<const re2::RE2>(n->pattern);
    }
  } else if (type == "integer" || type == "number") {
    n = make(type == "integer" ? Type::kInteger : Type::kNumber);
    n->int32 = s.value("format", "") == "int32";
    if (s.contains("minimum")) n->minimum = s["minimum"].get<double>();
    if (s.contains("maximum")) n->maximum = s["maximum"].get<double>();
  } else if (type == "boolean") {
    n = boolean();
  } else if (type == "array") {
    n = array(s.contains("items") ? from_openapi(s["items"], false) : make(Type::kAny), size_of(s, "maxItems"));
    n->min_items = size_of(s, "minItems");
    const std::string list_type = s.value("x-kubernetes-list-type", "");
    if (list_type == "set") n->list_set = true;
    if (list_type == "map" && s.contains("x-kubernetes-list-map-keys") && s["x-kubernetes-list-map-keys"].size() == 1) {
      n->list_map_key = s["x-kubernetes-list-map-keys"][0].get<std::string>();
    }
  } else if (type == "object" && s.contains("additionalProperties")) {
    n = map_of(from_openapi(s["additionalProperties"], false));
    n->max_properties = size_of(s, "maxProperties");
  } else if (type == "object" && s.contains("properties")) {
    std::vector<std::pair<std::string, NodePtr>> fields;
    for (const auto& [name, sub] : s["properties"].items()) {
      // ObjectMeta is the API server's own (the CRD only says "type: object").
      fields.emplace_back(name, top && name == "metadata" ? object_meta() : from_openapi(sub, false));
    }
    std::vector<std::string> required;
    if (s.contains("required")) required = s["required"].get<std::vector<std::string>>();
    n = object(std::move(fields), std::move(required));
  } else if (type == "object") {
    n = object({});  // no fields: nothing may be set (strict decoding)
  } else {
    n = make(Type::kAny);  // status (x-kubernetes-preserve-unknown-fields)
  }
  if (s.contains("default")) n->default_value = s["default"];
  add_cel_rules(*n, s);
  return n;
}

const Node* gateway_api_schema(const std::string& kind, const std::string& version) {
  struct Entry {
    const CrdSchemaSource* source;
    NodePtr node;
  };
  static const std::vector<Entry> entries = [] {
    std::vector<Entry> out;
    for (const auto& source : gateway_api_schema_sources()) {
      out.push_back({&source, from_openapi(Json::parse(source.schema), true)});
    }
    return out;
  }();
  for (const auto& e : entries) {
    if (kind != e.source->kind) continue;
    for (const char* v : e.source->versions) {
      if (version == v) return e.node.get();
    }
  }
  return nullptr;
}

}  // namespace

const Node* crd_schema_for(const std::string& group, const std::string& kind, const std::string& version) {
  static const NodePtr gateway = document(gateway_spec());
  static const NodePtr virtual_service = document(virtual_service_spec());
  static const NodePtr destination_rule = document(destination_rule_spec());
  static const NodePtr service_entry = document(service_entry_spec(), true);
  if (group == "security.istio.io") {
    static const NodePtr authorization_policy = document(authorization_policy_spec());
    static const NodePtr request_authentication = document(request_authentication_spec());
    if (version != "v1" && version != "v1beta1") return nullptr;
    if (kind == "AuthorizationPolicy") return authorization_policy.get();
    if (kind == "RequestAuthentication") return request_authentication.get();
    return nullptr;
  }
  if (group == "gateway.networking.k8s.io") return gateway_api_schema(kind, version);
  if (group == "networking.k8s.io") {
    static const NodePtr ingress = document(ingress_spec());
    static const NodePtr ingress_class = document(ingress_class_spec());
    if (version != "v1") return nullptr;
    if (kind == "Ingress") return ingress.get();
    if (kind == "IngressClass") return ingress_class.get();
    return nullptr;
  }
  if (group != "networking.istio.io") return nullptr;
  if (kind == "Gateway") return gateway.get();
  if (kind == "VirtualService") return virtual_service.get();
  if (kind == "DestinationRule") return destination_rule.get();
  if (kind == "ServiceEntry") return service_entry.get();
  return nullptr;
}

std::vector<std::pair<std::string, std::string>> unevaluated_crd_rules() {
  std::vector<std::pair<std::string, std::string>> out = unevaluated_gateway_api_rules();
  // Any rule of the generated schemas without a C++ form (a CRD update not yet followed).
  for (const auto& source : gateway_api_schema_sources()) {
    std::vector<const Json*> stack;
    Json schema = Json::parse(source.schema);
    stack.push_back(&schema);
    while (!stack.empty()) {
      const Json* s = stack.back();
      stack.pop_back();
      if (s->is_object()) {
        if (auto it = s->find("x-kubernetes-validations"); it != s->end()) {
          for (const auto& v : *it) {
            const std::string rule = v.value("rule", "");
            bool listed = false;
            for (const auto& [r, why] : out) listed = listed || r == rule;
            if (!gateway_api_cel_check(rule) && !listed) out.emplace_back(rule, "no C++ form");
          }
        }
        for (const auto& [k, sub] : s->items()) {
          if (k != "x-kubernetes-validations" && k != "default") stack.push_back(&sub);
        }
      } else if (s->is_array()) {
        for (const auto& sub : *s) stack.push_back(&sub);
      }
    }
  }
  return out;
}

}  // namespace gwsim::model::detail
