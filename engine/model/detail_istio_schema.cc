#include "engine/model/detail_istio_schema.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <algorithm>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <utility>

#include "engine/model/detail_convert.h"

namespace gwsim::model::detail {

namespace {

// ---- schema nodes ----------------------------------------------------------------------------

enum class Type { kString, kInteger, kNumber, kBoolean, kDuration, kBytes, kObject, kArray, kMap, kAny };

// A CEL rule of the CRD: returns the rule's message when `self` violates it.
using Rule = std::function<std::optional<std::string>(const Json& self)>;

struct Node;
using NodePtr = std::shared_ptr<Node>;

struct Node {
  Type type = Type::kAny;
  std::vector<std::pair<std::string, NodePtr>> fields;  // kObject
  NodePtr items;                                         // kArray items, kMap values
  std::vector<std::string> required;
  std::vector<std::vector<std::string>> one_of;  // at most one field of each group
  std::vector<std::string> enum_values;
  std::optional<double> minimum, maximum;
  bool int32 = false;        // format int32: the value must fit
  bool duration_rule = false;  // CEL: duration(self) >= duration('1ms')
  std::size_t max_items = 0;   // 0 = unbounded
  std::size_t max_length = 0;  // 0 = unbounded
  std::string list_map_key;   // x-kubernetes-list-type: map, keyed by this field
  std::vector<Rule> rules;

  const Node* field(const std::string& name) const {
    for (const auto& [n, node] : fields) {
      if (n == name) return node.get();
    }
    return nullptr;
  }
};

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

NodePtr document(NodePtr spec, bool spec_required = false) {
  return object({{"apiVersion", str()}, {"kind", str()}, {"metadata", object_meta()}, {"spec", std::move(spec)},
                 {"status", make(Type::kAny)}},
                spec_required ? std::vector<std::string>{"spec"} : std::vector<std::string>{});
}

const Node* schema_for(const std::string& kind) {
  static const NodePtr gateway = document(gateway_spec());
  static const NodePtr virtual_service = document(virtual_service_spec());
  static const NodePtr destination_rule = document(destination_rule_spec());
  static const NodePtr service_entry = document(service_entry_spec(), true);
  if (kind == "Gateway") return gateway.get();
  if (kind == "VirtualService") return virtual_service.get();
  if (kind == "DestinationRule") return destination_rule.get();
  if (kind == "ServiceEntry") return service_entry.get();
  return nullptr;
}

// ---- checking ---------------------------------------------------------------------------------

std::string escape_token(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

class Checker {
 public:
  explicit Checker(std::vector<SchemaIssue>& out) : out_(out) {}

  void check(const Node& node, const Json& v, const std::string& path, const std::string& pointer) {
    switch (node.type) {
      case Type::kAny:
        return;
      case Type::kString:
        if (!v.is_string()) return type_issue(path, pointer, "string", v);
        if (!node.enum_values.empty()) {
          bool found = false;
          for (const auto& e : node.enum_values) found = found || e == v.get<std::string>();
          if (!found) {
            SchemaIssue i = base(SchemaIssue::Kind::kEnum, path, pointer, v);
            i.allowed = node.enum_values;
            out_.push_back(std::move(i));
            return;
          }
        }
        if (node.max_length && v.get<std::string>().size() > node.max_length) {
          SchemaIssue i = base(SchemaIssue::Kind::kTooLong, path, pointer, v);
          i.limit = node.max_length;
          out_.push_back(std::move(i));
        }
        break;
      case Type::kBoolean:
        if (!v.is_boolean()) return type_issue(path, pointer, "boolean", v);
        break;
      case Type::kNumber:
        if (!v.is_number()) return type_issue(path, pointer, "number", v);
        if (!range_ok(node, v, path, pointer)) return;
        break;
      case Type::kInteger: {
        // Integral floats (80.0) are integers to the API server's JSON schema check too.
        bool integral = v.is_number_integer() || (v.is_number_float() && std::isfinite(v.get<double>()) &&
                                                  std::floor(v.get<double>()) == v.get<double>());
        if (!integral) return type_issue(path, pointer, "integer", v);
        if (!range_ok(node, v, path, pointer)) return;
        if (node.int32) {
          double d = v.get<double>();
          if (d < -2147483648.0 || d > 2147483647.0) {
            SchemaIssue i = base(SchemaIssue::Kind::kRange, path, pointer, v);
            i.detail = "must fit in a 32-bit signed integer";
            out_.push_back(std::move(i));
            return;
          }
        }
        break;
      }
      case Type::kDuration: {
        if (!v.is_string()) return type_issue(path, pointer, "string", v);
        auto ns = parse_go_duration_ns(v.get<std::string>());
        if (!ns) {
          SchemaIssue i = base(SchemaIssue::Kind::kFormat, path, pointer, v);
          i.expected = "duration";
          if (node.duration_rule) i.detail = "must be a valid duration greater than 1ms";
          out_.push_back(std::move(i));
          return;
        }
        if (node.duration_rule && *ns < 1000000) {
          SchemaIssue i = base(SchemaIssue::Kind::kRule, path, pointer, v);
          i.detail = "must be a valid duration greater than 1ms";
          out_.push_back(std::move(i));
        }
        break;
      }
      case Type::kBytes:
        if (!v.is_string()) return type_issue(path, pointer, "string", v);
        if (!base64_decode(v.get<std::string>())) {
          SchemaIssue i = base(SchemaIssue::Kind::kFormat, path, pointer, v);
          i.expected = "byte";
          out_.push_back(std::move(i));
          return;
        }
        break;
      case Type::kArray: {
        if (!v.is_array()) return type_issue(path, pointer, "array", v);
        if (node.max_items && v.size() > node.max_items) {
          SchemaIssue i = base(SchemaIssue::Kind::kTooMany, path, pointer, v);
          i.limit = node.max_items;
          out_.push_back(std::move(i));
        }
        for (std::size_t k = 0; k < v.size(); ++k) {
          std::string p = path + "[" + std::to_string(k) + "]";
          std::string ptr = pointer + "/" + std::to_string(k);
          if (v[k].is_null()) {
            type_issue(p, ptr, type_name(*node.items), v[k]);
            continue;
          }
          check(*node.items, v[k], p, ptr);
        }
        if (!node.list_map_key.empty()) {
          std::vector<Json> keys;
          for (std::size_t k = 0; k < v.size(); ++k) {
            if (!v[k].is_object() || !v[k].contains(node.list_map_key)) continue;
            const Json& key = v[k][node.list_map_key];
            if (std::find(keys.begin(), keys.end(), key) != keys.end()) {
              SchemaIssue i = base(SchemaIssue::Kind::kDuplicate, path + "[" + std::to_string(k) + "]",
                                   pointer + "/" + std::to_string(k), key);
              i.field = node.list_map_key;
              out_.push_back(std::move(i));
            }
            keys.push_back(key);
          }
        }
        break;
      }
      case Type::kMap:
        if (!v.is_object()) return type_issue(path, pointer, "object", v);
        for (const auto& [key, value] : v.items()) {
          if (value.is_null()) continue;
          check(*node.items, value, path + "." + key, pointer + "/" + escape_token(key));
        }
        break;
      case Type::kObject: {
        if (!v.is_object()) return type_issue(path, pointer, "object", v);
        for (const auto& [key, value] : v.items()) {
          std::string p = path.empty() ? key : path + "." + key;
          std::string ptr = pointer + "/" + escape_token(key);
          const Node* field = node.field(key);
          if (!field) {
            SchemaIssue i = base(SchemaIssue::Kind::kUnknownField, p, ptr, value);
            i.field = key;
            out_.push_back(std::move(i));
            continue;
          }
          if (value.is_null()) continue;  // the API server drops null fields
          check(*field, value, p, ptr);
        }
        for (const auto& name : node.required) {
          if (!has(v, name.c_str())) {
            std::string p = path.empty() ? name : path + "." + name;
            SchemaIssue i = base(SchemaIssue::Kind::kRequired, p, pointer, nullptr);
            i.field = name;
            out_.push_back(std::move(i));
          }
        }
        for (const auto& group : node.one_of) {
          std::vector<std::string> set;
          for (const auto& name : group) {
            if (has(v, name.c_str())) set.push_back(name);
          }
          if (set.size() > 1) {
            SchemaIssue i = base(SchemaIssue::Kind::kOneOf, path, pointer, v);
            i.allowed = group;
            out_.push_back(std::move(i));
          }
        }
        break;
      }
    }
    for (const auto& rule : node.rules) {
      if (auto message = rule(v)) {
        SchemaIssue i = base(SchemaIssue::Kind::kRule, path, pointer, v);
        i.detail = *message;
        out_.push_back(std::move(i));
      }
    }
  }

 private:
  static std::string type_name(const Node& n) {
    switch (n.type) {
      case Type::kString:
      case Type::kDuration:
      case Type::kBytes:
        return "string";
      case Type::kInteger:
        return "integer";
      case Type::kNumber:
        return "number";
      case Type::kBoolean:
        return "boolean";
      case Type::kObject:
      case Type::kMap:
        return "object";
      case Type::kArray:
        return "array";
      case Type::kAny:
        break;
    }
    return "object";
  }

  static SchemaIssue base(SchemaIssue::Kind kind, const std::string& path, const std::string& pointer, const Json& v) {
    SchemaIssue i;
    i.kind = kind;
    i.path = path;
    i.pointer = pointer;
    i.value = v;
    return i;
  }

  void type_issue(const std::string& path, const std::string& pointer, const std::string& expected, const Json& v) {
    SchemaIssue i = base(SchemaIssue::Kind::kType, path, pointer, v);
    i.expected = expected;
    out_.push_back(std::move(i));
  }

  bool range_ok(const Node& node, const Json& v, const std::string& path, const std::string& pointer) {
    double d = v.get<double>();
    auto bound = [](double b) {
      Json j = b == std::floor(b) && std::fabs(b) < 1e18 ? Json(static_cast<long long>(b)) : Json(b);
      return j.dump();
    };
    if (node.minimum && d < *node.minimum) {
      SchemaIssue i = base(SchemaIssue::Kind::kRange, path, pointer, v);
      i.detail = "should be greater than or equal to " + bound(*node.minimum);
      out_.push_back(std::move(i));
      return false;
    }
    if (node.maximum && d > *node.maximum) {
      SchemaIssue i = base(SchemaIssue::Kind::kRange, path, pointer, v);
      i.detail = "should be less than or equal to " + bound(*node.maximum);
      out_.push_back(std::move(i));
      return false;
    }
    return true;
  }

  std::vector<SchemaIssue>& out_;
};

// JSON type name of a value, as Kubernetes quotes it in "Invalid value" errors.
std::string kube_type(const Json& v) {
  if (v.is_string()) return "string";
  if (v.is_boolean()) return "boolean";
  if (v.is_number_integer()) return "integer";
  if (v.is_number()) return "number";
  if (v.is_array()) return "array";
  if (v.is_object()) return "object";
  return "null";
}

// A value as Go prints it in API server messages: strings quoted, floats shortest ("150", "0.5").
std::string kube_value(const Json& v) {
  if (!v.is_number_float()) return v.dump();
  double d = v.get<double>();
  char buf[64];
  const bool exponent = d != 0 && (std::fabs(d) < 1e-4 || std::fabs(d) >= 1e21);
  for (int precision = 0; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, exponent ? "%.*e" : "%.*f", precision, d);
    if (std::strtod(buf, nullptr) == d) break;
  }
  return buf;
}

std::string go_string(const std::string& s) { return Json(s).dump(); }

std::string describe_value(const Json& v) {
  if (v.is_object()) return "a mapping";
  if (v.is_array()) return "a list";
  if (v.is_null()) return "null";
  return v.dump();
}

std::string article(const std::string& type) {
  if (type == "integer") return "an integer";
  if (type == "object") return "a mapping";
  if (type == "array") return "a list";
  return "a " + type;
}

std::string join(const std::vector<std::string>& items, const std::string& sep, bool quote) {
  std::string out;
  for (const auto& s : items) {
    if (!out.empty()) out += sep;
    out += quote ? "\"" + s + "\"" : s;
  }
  return out;
}

}  // namespace

bool SchemaIssue::structural() const {
  switch (kind) {
    case Kind::kUnknownField:
    case Kind::kType:
    case Kind::kFormat:
    case Kind::kEnum:
    case Kind::kRange:
      return true;
    default:
      return false;
  }
}

std::string SchemaIssue::message() const {
  switch (kind) {
    case Kind::kUnknownField:
      return path + ": unknown field \"" + field + "\"";
    case Kind::kType:
      return path + ": expected " + article(expected) + ", got " + describe_value(value);
    case Kind::kFormat:
      if (expected == "duration") {
        return path + ": invalid duration " + value.dump() + " (write it like 1s, 1.5s, 100ms, 1m or 1h)";
      }
      return path + ": invalid base64 data";
    case Kind::kEnum:
      return path + ": unsupported value " + value.dump() + " (supported: " + join(allowed, ", ", false) + ")";
    case Kind::kRange:
      return path + ": " + kube_value(value) + " is out of range: " + detail;
    case Kind::kOneOf:
      return path + ": only one of " + join(allowed, ", ", false) + " may be set";
    case Kind::kDuplicate:
      return path + ": duplicate entry with " + field + " " + value.dump();
    default:
      return kube_message();
  }
}

std::string SchemaIssue::kube_message() const {
  switch (kind) {
    case Kind::kUnknownField:
      return "unknown field \"" + path + "\"";
    case Kind::kType:
      return path + ": Invalid value: \"" + kube_type(value) + "\": " + path + " in body must be of type " + expected +
             ": \"" + kube_type(value) + "\"";
    case Kind::kFormat:
      if (expected == "duration") {
        if (!detail.empty()) return path + ": Invalid value: \"string\": " + detail;
        return path + ": Invalid value: " + kube_value(value) + ": time: invalid duration " + kube_value(value);
      }
      return path + ": Invalid value: " + kube_value(value) + ": " + path + " in body must be of type byte: " + kube_value(value);
    case Kind::kEnum:
      return path + ": Unsupported value: " + kube_value(value) + ": supported values: " + join(allowed, ", ", true);
    case Kind::kRange:
      return path + ": Invalid value: " + kube_value(value) + ": " + path + " in body " + detail;
    case Kind::kRequired:
      return path + ": Required value";
    case Kind::kTooMany:
      return path + ": Too many: " + std::to_string(value.size()) + ": must have at most " + std::to_string(limit) +
             " items";
    case Kind::kTooLong:
      return path + ": Too long: may not be more than " + std::to_string(limit) + " bytes";
    case Kind::kOneOf:
      return path + ": Invalid value: \"object\": " + path + " in body must validate one and only one schema (oneOf)";
    case Kind::kDuplicate:
      return path + ": Duplicate value: map[string]interface {}{" + go_string(field) + ":" + kube_value(value) + "}";
    case Kind::kRule:
      return path + ": Invalid value: \"" + kube_type(value) + "\": " + detail;
  }
  return path;
}

bool has_istio_schema(const std::string& group, const std::string& kind) {
  return group == "networking.istio.io" && schema_for(kind) != nullptr;
}

std::vector<SchemaIssue> check_istio_schema(const Object& object) {
  std::vector<SchemaIssue> issues;
  if (!has_istio_schema(object.group(), object.kind())) return issues;
  Checker checker(issues);
  checker.check(*schema_for(object.kind()), object.doc, "", "");
  return issues;
}

std::string kube_denial(const Object& object, const std::vector<SchemaIssue>& issues) {
  std::vector<std::string> unknown, invalid;
  for (const auto& i : issues) {
    (i.kind == SchemaIssue::Kind::kUnknownField ? unknown : invalid).push_back(i.kube_message());
  }
  const std::string kind = object.kind();
  if (!unknown.empty()) {
    std::string version = object.api_version();
    auto slash = version.find('/');
    if (slash != std::string::npos) version = version.substr(slash + 1);
    return kind + " in version \"" + version + "\" cannot be handled as a " + kind +
           ": strict decoding error: " + join(unknown, ", ", false);
  }
  std::string resource = kind + (object.group().empty() ? "" : "." + object.group());
  std::string head = resource + " \"" + object.name() + "\" is invalid: ";
  if (invalid.size() == 1) return head + invalid.front();
  return head + "[" + join(invalid, ", ", false) + "]";
}

}  // namespace gwsim::model::detail
