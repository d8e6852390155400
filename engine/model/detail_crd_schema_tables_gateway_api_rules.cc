// The CEL rules (x-kubernetes-validations) of the Gateway API CRDs (kubernetes-sigs/gateway-api
// v1.6.1, config/crd/standard/*.yaml, as generated from apis/v1/*_types.go's
// +kubebuilder:validation:XValidation markers), each written as C++ and looked up by the rule's
// exact text, so a CRD update that changes a rule shows as an unevaluated rule in the tests
// (crd_schema_test.cc) rather than as a silently different check. The messages are the CRDs' own
// (detail_crd_schema_tables_gateway_api.cc carries them); a failing rule is reported as
// kube-apiserver reports it: `<path>: Invalid value: "<type>": <message>`.
//
// CEL semantics kept: has_value() is "present and not null"; `exists_one` means exactly one; `matches`
// is RE2's partial match (the rules anchor their patterns); the API server's defaults are applied
// before the rules run (crd_schema.cc). A field read without has_value() that is absent is a CEL
// evaluation error in the API server ("no such key"); here it reads as empty (a documented gap).
#include <arpa/inet.h>
#include <re2/re2.h>

#include <map>
#include <optional>

#include "engine/model/detail_convert.h"
#include "engine/model/detail_crd_schema_tables_gateway_api.h"

namespace gwsim::model::detail {

namespace {

const Json& null_json() {
  static const Json n;
  return n;
}
const Json& empty_array() {
  static const Json a = Json::array();
  return a;
}
const Json& at(const Json& o, const char* key) {
  if (!o.is_object()) return null_json();
  auto it = o.find(key);
  return it == o.end() ? null_json() : *it;
}
bool has_value(const Json& o, const char* key) { return !at(o, key).is_null(); }
std::string text(const Json& o, const char* key) {
  const Json& v = at(o, key);
  return v.is_string() ? v.get<std::string>() : std::string();
}
const Json& list(const Json& o, const char* key) {
  const Json& v = at(o, key);
  return v.is_array() ? v : empty_array();
}
const Json& items(const Json& self) { return self.is_array() ? self : empty_array(); }
bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}
// "!has(x) || x == ''": the rules' test for an unset optional string.
bool unset(const Json& o, const char* key) { return !has_value(o, key) || (at(o, key).is_string() && text(o, key).empty()); }

template <typename Pred>
bool exists_one(const Json& self, Pred pred) {
  int n = 0;
  for (const auto& x : items(self)) n += pred(x) ? 1 : 0;
  return n == 1;
}

const RE2& rfc1123_re() {
  static const RE2 re(R"(^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)$)");
  return re;
}
const RE2& path_chars_re() {
  static const RE2 re(R"(^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$)");
  return re;
}
const RE2& grpc_method_re() {
  static const RE2 re(R"(^[A-Za-z_][A-Za-z_0-9]*$)");
  return re;
}
const RE2& grpc_service_re() {
  static const RE2 re(R"(^(?i)\.?[a-z_][a-z_0-9]*(\.[a-z_][a-z_0-9]*)*$)");
  return re;
}
const RE2& label_key_re() {
  static const RE2 re(
      R"(^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]$)");
  return re;
}
const RE2& hostname_address_re() {
  static const RE2 re(R"(^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$)");
  return re;
}

// Kubernetes' CEL isIP(): an IPv4 or IPv6 address (library/ip.go; no zone).
bool is_ip(const std::string& s) {
  unsigned char buf[16];
  if (s.find('%') != std::string::npos) return false;
  return inet_pton(AF_INET, s.c_str(), buf) == 1 || inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

// ---- HTTPRoute / GRPCRoute filters (HTTPRouteFilter, GRPCRouteFilter, HTTPBackendRef filters) ----

// "!(!has(self.<field>) && self.type == '<Type>')": the filter of a type carries its config.
CelCheck specified_for(const char* field, const char* type) {
  return [field, type](const Json& s) { return !(!has_value(s, field) && text(s, "type") == type); };
}
// "!(has(self.<field>) && self.type != '<Type>')": and no other filter's.
CelCheck nil_unless(const char* field, const char* type) {
  return [field, type](const Json& s) { return !(has_value(s, field) && text(s, "type") != type); };
}
// "self.filter(f, f.type == '<Type>').size() <= 1"
CelCheck filter_at_most_once(const char* type) {
  return [type](const Json& self) {
    int n = 0;
    for (const auto& f : items(self)) n += text(f, "type") == type ? 1 : 0;
    return n <= 1;
  };
}
// "!(self.exists(f, f.type == 'RequestRedirect') && self.exists(f, f.type == 'URLRewrite'))"
bool redirect_or_rewrite(const Json& self) {
  bool redirect = false, rewrite = false;
  for (const auto& f : items(self)) {
    redirect = redirect || text(f, "type") == "RequestRedirect";
    rewrite = rewrite || text(f, "type") == "URLRewrite";
  }
  return !(redirect && rewrite);
}
// HTTPCORSFilter allowOrigins/allowMethods/allowHeaders: "!('*' in self && self.size() > 1)".
bool star_alone(const Json& self) {
  bool star = false;
  for (const auto& v : items(self)) star = star || (v.is_string() && v.get<std::string>() == "*");
  return !(star && items(self).size() > 1);
}
// HTTPRequestMirrorFilter: "!(has(self.percent) && has(self.fraction))".
bool percent_or_fraction(const Json& s) { return !(has_value(s, "percent") && has_value(s, "fraction")); }
// Fraction: "self.numerator <= self.denominator" (denominator defaults to 100).
bool numerator_within_denominator(const Json& s) {
  const Json& n = at(s, "numerator");
  const Json& d = at(s, "denominator");
  if (!n.is_number() || !d.is_number()) return true;
  return n.get<double>() <= d.get<double>();
}

// A filter that rewrites the path with ReplacePrefixMatch (HTTPRouteRule's four rules).
bool prefix_rewrite_filter(const Json& f, const char* field) {
  const Json& config = at(f, field);
  const Json& path = at(config, "path");
  return has_value(config, "path") && text(path, "type") == "ReplacePrefixMatch" && has_value(path, "replacePrefixMatch");
}
// "... ? ((size(self.matches) != 1 || !has(self.matches[0].path) || self.matches[0].path.type !=
// 'PathPrefix') ? false : true) : true"
bool one_prefix_match(const Json& rule) {
  const Json& matches = list(rule, "matches");
  return matches.size() == 1 && has_value(matches[0], "path") && text(at(matches[0], "path"), "type") == "PathPrefix";
}
CelCheck prefix_rewrite_needs_prefix_match(const char* field) {
  return [field](const Json& rule) {
    bool uses = has_value(rule, "filters") &&
                exists_one(list(rule, "filters"), [&](const Json& f) { return prefix_rewrite_filter(f, field); });
    return !uses || one_prefix_match(rule);
  };
}
CelCheck backend_prefix_rewrite_needs_prefix_match(const char* field) {
  return [field](const Json& rule) {
    bool uses = has_value(rule, "backendRefs") && exists_one(list(rule, "backendRefs"), [&](const Json& b) {
                  return has_value(b, "filters") &&
                         exists_one(list(b, "filters"), [&](const Json& f) { return prefix_rewrite_filter(f, field); });
                });
    return !uses || one_prefix_match(rule);
  };
}
// "(has(self.backendRefs) && size(self.backendRefs) > 0) ? (!has(self.filters) ||
// self.filters.all(f, !has_value(f.requestRedirect))): true"
bool redirect_without_backends(const Json& rule) {
  if (list(rule, "backendRefs").empty()) return true;
  for (const auto& f : list(rule, "filters")) {
    if (has_value(f, "requestRedirect")) return false;
  }
  return true;
}
// The sum of the first 16 rules' matches is at most 128 (the rule spells out self[0]..self[15]).
bool at_most_128_matches(const Json& self) {
  std::size_t total = 0;
  for (std::size_t i = 0; i < items(self).size() && i < 16; ++i) total += list(self[i], "matches").size();
  return total <= 128;
}
// HTTPRouteTimeouts: "!(has(self.request) && has(self.backendRequest) && duration(self.request) !=
// duration('0s') && duration(self.backendRequest) > duration(self.request))".
bool backend_timeout_within_request(const Json& s) {
  if (!has_value(s, "request") || !has_value(s, "backendRequest")) return true;
  auto request = parse_go_duration_ns(text(s, "request"));
  auto backend = parse_go_duration_ns(text(s, "backendRequest"));
  if (!request || !backend) return true;  // the field's pattern reports it
  return !(*request != 0 && *backend > *request);
}
// HTTPPathMatch: "(self.type in ['Exact','PathPrefix']) ? <check on self.value> : true".
CelCheck exact_or_prefix_path(std::function<bool(const std::string&)> check) {
  return [check = std::move(check)](const Json& s) {
    const std::string type = text(s, "type");
    if (type != "Exact" && type != "PathPrefix") return true;
    return check(text(s, "value"));
  };
}
// GRPCMethodMatch: "(!has(self.type) || self.type == 'Exact') && has(self.<name>) ?
// self.<name>.matches(...) : true".
CelCheck grpc_name(const char* field, const RE2& re) {
  return [field, &re](const Json& s) {
    if ((has_value(s, "type") && text(s, "type") != "Exact") || !has_value(s, field)) return true;
    return RE2::PartialMatch(text(s, field), re);
  };
}
// BackendRef / BackendObjectReference: "(size(self.group) == 0 && self.kind == 'Service') ?
// has(self.port) : true".
bool service_ref_has_port(const Json& s) {
  return !(text(s, "group").empty() && text(s, "kind") == "Service") || has_value(s, "port");
}
// HTTPRouteRule name: "self.all(l1, !has_value(l1.name) || self.exists_one(l2, has_value(l2.name) && l1.name
// == l2.name))".
bool rule_names_unique(const Json& self) {
  for (const auto& l1 : items(self)) {
    if (!has_value(l1, "name")) continue;
    if (!exists_one(self, [&](const Json& l2) { return has_value(l2, "name") && at(l1, "name") == at(l2, "name"); }))
      return false;
  }
  return true;
}

// ---- ParentReference lists (CommonRouteSpec.parentRefs) ----------------------------------------

bool same_parent(const Json& p1, const Json& p2) {
  bool same_ns = (unset(p1, "namespace") && unset(p2, "namespace")) ||
                 (has_value(p1, "namespace") && has_value(p2, "namespace") && at(p1, "namespace") == at(p2, "namespace"));
  return at(p1, "group") == at(p2, "group") && at(p1, "kind") == at(p2, "kind") && at(p1, "name") == at(p2, "name") &&
         same_ns;
}
bool no_port(const Json& p) {
  return !has_value(p, "port") || (at(p, "port").is_number() && at(p, "port").get<double>() == 0);
}
// "self.all(p1, self.all(p2, <same parent> ? (sectionName unset) == (sectionName unset) [&& (port
// unset) == (port unset)] : true))"
CelCheck parent_refs_section_name_specified(bool with_port) {
  return [with_port](const Json& self) {
    for (const auto& p1 : items(self)) {
      for (const auto& p2 : items(self)) {
        if (!same_parent(p1, p2)) continue;
        if (unset(p1, "sectionName") != unset(p2, "sectionName")) return false;
        if (with_port && no_port(p1) != no_port(p2)) return false;
      }
    }
    return true;
  };
}
// "self.all(p1, self.exists_one(p2, <same parent> && <same sectionName> [&& <same port>]))"
CelCheck parent_refs_unique(bool with_port) {
  return [with_port](const Json& self) {
    for (const auto& p1 : items(self)) {
      bool one = exists_one(self, [&](const Json& p2) {
        bool section =
            (unset(p1, "sectionName") && unset(p2, "sectionName")) ||
            (has_value(p1, "sectionName") && has_value(p2, "sectionName") && at(p1, "sectionName") == at(p2, "sectionName"));
        bool port =
            (no_port(p1) && no_port(p2)) || (has_value(p1, "port") && has_value(p2, "port") && at(p1, "port") == at(p2, "port"));
        return same_parent(p1, p2) && section && (!with_port || port);
      });
      if (!one) return false;
    }
    return true;
  };
}

// ---- hostnames (HTTPRoute/GRPCRoute/TLSRoute spec.hostnames) -----------------------------------

bool hostnames_rfc1123(const Json& self) {
  for (const auto& h : items(self)) {
    const std::string s = h.is_string() ? h.get<std::string>() : "";
    if (s.find('*') == std::string::npos && !RE2::PartialMatch(s, rfc1123_re())) return false;
  }
  return true;
}
bool wildcard_hostnames(const Json& self) {
  for (const auto& h : items(self)) {
    const std::string s = h.is_string() ? h.get<std::string>() : "";
    if (s.find('*') == std::string::npos) continue;
    if (s.rfind("*.", 0) != 0 || !RE2::PartialMatch(s.substr(2), rfc1123_re())) return false;
  }
  return true;
}
bool hostnames_not_ip(const Json& self) {
  for (const auto& h : items(self)) {
    if (h.is_string() && is_ip(h.get<std::string>())) return false;
  }
  return true;
}

// ---- Gateway -----------------------------------------------------------------------------------

// GatewayInfrastructure labels/annotations: "self.all(key, key.matches(...))".
bool keys_match_label_key(const Json& self) {
  if (!self.is_object()) return true;
  for (const auto& [key, value] : self.items()) {
    if (!RE2::PartialMatch(key, label_key_re())) return false;
  }
  return true;
}
// "self.all(key, key.split("/")[0].size() < 253)"
bool key_prefix_under_253(const Json& self) {
  if (!self.is_object()) return true;
  for (const auto& [key, value] : self.items()) {
    if (key.substr(0, key.find('/')).size() >= 253) return false;
  }
  return true;
}
// GatewaySpec.addresses: "self.all(a1, a1.type == '<Type>' && has_value(a1.value) ? self.exists_one(a2,
// a2.type == a1.type && has_value(a2.value) && a2.value == a1.value) : true )".
CelCheck address_values_unique(const char* type) {
  return [type](const Json& self) {
    for (const auto& a1 : items(self)) {
      if (text(a1, "type") != type || !has_value(a1, "value")) continue;
      if (!exists_one(self, [&](const Json& a2) {
            return at(a2, "type") == at(a1, "type") && has_value(a2, "value") && at(a2, "value") == at(a1, "value");
          }))
        return false;
    }
    return true;
  };
}
// GatewaySpecAddress: "self.type == 'Hostname' ? (!has(self.value) || self.value.matches(...)): true".
bool hostname_address_value(const Json& s) {
  return text(s, "type") != "Hostname" || !has_value(s, "value") ||
         RE2::PartialMatch(text(s, "value"), hostname_address_re());
}
// Listeners: "self.all(l, (l.protocol == 'HTTPS' && has_value(l.tls)) ? (l.tls.mode == '' || l.tls.mode ==
// 'Terminate') : true)" (mode defaults to Terminate).
bool https_tls_mode_terminate(const Json& self) {
  for (const auto& l : items(self)) {
    if (text(l, "protocol") != "HTTPS" || !has_value(l, "tls")) continue;
    const std::string mode = text(at(l, "tls"), "mode");
    if (!(mode.empty() || mode == "Terminate")) return false;
  }
  return true;
}
// "self.all(l, (l.protocol == 'TLS' ? has_value(l.tls) && has_value(l.tls.mode) && l.tls.mode != '' : true))"
bool tls_mode_set_for_tls(const Json& self) {
  for (const auto& l : items(self)) {
    if (text(l, "protocol") == "TLS" && (!has_value(l, "tls") || unset(at(l, "tls"), "mode"))) return false;
  }
  return true;
}
// "self.all(l, l.protocol in ['HTTP', 'TCP', 'UDP'] ? !has_value(l.tls) : true)"
bool no_tls_for_http_tcp_udp(const Json& self) {
  for (const auto& l : items(self)) {
    const std::string p = text(l, "protocol");
    if ((p == "HTTP" || p == "TCP" || p == "UDP") && has_value(l, "tls")) return false;
  }
  return true;
}
// "self.all(l, l.protocol in ['TCP', 'UDP']  ? (!has_value(l.hostname) || l.hostname == '') : true)"
bool no_hostname_for_tcp_udp(const Json& self) {
  for (const auto& l : items(self)) {
    const std::string p = text(l, "protocol");
    if ((p == "TCP" || p == "UDP") && !unset(l, "hostname")) return false;
  }
  return true;
}
// "self.all(l1, self.exists_one(l2, l1.name == l2.name))"
bool listener_names_unique(const Json& self) {
  for (const auto& l1 : items(self)) {
    if (!exists_one(self, [&](const Json& l2) { return at(l1, "name") == at(l2, "name"); })) return false;
  }
  return true;
}
// "self.all(l1, self.exists_one(l2, l1.port == l2.port && l1.protocol == l2.protocol &&
// (has_value(l1.hostname) && has_value(l2.hostname) ? l1.hostname == l2.hostname : !has_value(l1.hostname) &&
// !has_value(l2.hostname))))"
bool listener_port_protocol_hostname_unique(const Json& self) {
  for (const auto& l1 : items(self)) {
    bool one = exists_one(self, [&](const Json& l2) {
      bool host = has_value(l1, "hostname") && has_value(l2, "hostname") ? at(l1, "hostname") == at(l2, "hostname")
                                                             : !has_value(l1, "hostname") && !has_value(l2, "hostname");
      return at(l1, "port") == at(l2, "port") && at(l1, "protocol") == at(l2, "protocol") && host;
    });
    if (!one) return false;
  }
  return true;
}
// GatewayTLSConfig: "self.mode == 'Terminate' ? size(self.certificateRefs) > 0 || size(self.options)
// > 0 : true"
bool terminate_has_certificates(const Json& s) {
  if (text(s, "mode") != "Terminate") return true;
  const Json& options = at(s, "options");
  return !list(s, "certificateRefs").empty() || (options.is_object() && !options.empty());
}
// TLSConfig perPort: "self.all(t1, self.exists_one(t2, t1.port == t2.port))"
bool tls_ports_unique(const Json& self) {
  for (const auto& t1 : items(self)) {
    if (!exists_one(self, [&](const Json& t2) { return at(t1, "port") == at(t2, "port"); })) return false;
  }
  return true;
}

// Rule text -> check. The texts are the CRDs' (YAML-decoded), one entry per distinct rule.
const std::map<std::string, CelCheck>& checks() {
  static const std::map<std::string, CelCheck> table =
      {
          {R"CEL(!(!has(self.cors) && self.type == 'CORS'))CEL", specified_for("cors", "CORS")},
          {R"CEL(!(!has(self.extensionRef) && self.type == 'ExtensionRef'))CEL",
           specified_for("extensionRef", "ExtensionRef")},
          {R"CEL(!(!has(self.requestHeaderModifier) && self.type == 'RequestHeaderModifier'))CEL",
           specified_for("requestHeaderModifier", "RequestHeaderModifier")},
          {R"CEL(!(!has(self.requestMirror) && self.type == 'RequestMirror'))CEL",
           specified_for("requestMirror", "RequestMirror")},
          {R"CEL(!(!has(self.requestRedirect) && self.type == 'RequestRedirect'))CEL",
           specified_for("requestRedirect", "RequestRedirect")},
          {R"CEL(!(!has(self.responseHeaderModifier) && self.type == 'ResponseHeaderModifier'))CEL",
           specified_for("responseHeaderModifier", "ResponseHeaderModifier")},
          {R"CEL(!(!has(self.urlRewrite) && self.type == 'URLRewrite'))CEL", specified_for("urlRewrite", "URLRewrite")},
          {R"CEL(!('*' in self && self.size() > 1))CEL", star_alone},
          {R"CEL(!(has(self.cors) && self.type != 'CORS'))CEL", nil_unless("cors", "CORS")},
          {R"CEL(!(has(self.extensionRef) && self.type != 'ExtensionRef'))CEL",
           nil_unless("extensionRef", "ExtensionRef")},
          {R"CEL(!(has(self.percent) && has(self.fraction)))CEL", percent_or_fraction},
          {R"CEL(!(has(self.request) && has(self.backendRequest) && duration(self.request) != duration('0s') && duration(self.backendRequest) > duration(self.request)))CEL",
           backend_timeout_within_request},
          {R"CEL(!(has(self.requestHeaderModifier) && self.type != 'RequestHeaderModifier'))CEL",
           nil_unless("requestHeaderModifier", "RequestHeaderModifier")},
          {R"CEL(!(has(self.requestMirror) && self.type != 'RequestMirror'))CEL",
           nil_unless("requestMirror", "RequestMirror")},
          {R"CEL(!(has(self.requestRedirect) && self.type != 'RequestRedirect'))CEL",
           nil_unless("requestRedirect", "RequestRedirect")},
          {R"CEL(!(has(self.responseHeaderModifier) && self.type != 'ResponseHeaderModifier'))CEL",
           nil_unless("responseHeaderModifier", "ResponseHeaderModifier")},
          {R"CEL(!(has(self.urlRewrite) && self.type != 'URLRewrite'))CEL", nil_unless("urlRewrite", "URLRewrite")},
          {R"CEL(!(self.exists(f, f.type == 'RequestRedirect') && self.exists(f, f.type == 'URLRewrite')))CEL",
           redirect_or_rewrite},
          {R"CEL((!has(self.type) || self.type == 'Exact') && has(self.method) ? self.method.matches(r"""^[A-Za-z_][A-Za-z_0-9]*$"""): true)CEL",
           grpc_name("method", grpc_method_re())},
          {R"CEL((!has(self.type) || self.type == 'Exact') && has(self.service) ? self.service.matches(r"""^(?i)\.?[a-z_][a-z_0-9]*(\.[a-z_][a-z_0-9]*)*$"""): true)CEL",
           grpc_name("service", grpc_service_re())},
          {R"CEL((has(self.backendRefs) && self.backendRefs.exists_one(b, (has(b.filters) && b.filters.exists_one(f, has(f.requestRedirect) && has(f.requestRedirect.path) && f.requestRedirect.path.type == 'ReplacePrefixMatch' && has(f.requestRedirect.path.replacePrefixMatch))) )) ? ((size(self.matches) != 1 || !has(self.matches[0].path) || self.matches[0].path.type != 'PathPrefix') ? false : true) : true)CEL",
           backend_prefix_rewrite_needs_prefix_match("requestRedirect")},
          {R"CEL((has(self.backendRefs) && self.backendRefs.exists_one(b, (has(b.filters) && b.filters.exists_one(f, has(f.urlRewrite) && has(f.urlRewrite.path) && f.urlRewrite.path.type == 'ReplacePrefixMatch' && has(f.urlRewrite.path.replacePrefixMatch))) )) ? ((size(self.matches) != 1 || !has(self.matches[0].path) || self.matches[0].path.type != 'PathPrefix') ? false : true) : true)CEL",
           backend_prefix_rewrite_needs_prefix_match("urlRewrite")},
          {R"CEL((has(self.backendRefs) && size(self.backendRefs) > 0) ? (!has(self.filters) || self.filters.all(f, !has(f.requestRedirect))): true)CEL",
           redirect_without_backends},
          {R"CEL((has(self.filters) && self.filters.exists_one(f, has(f.requestRedirect) && has(f.requestRedirect.path) && f.requestRedirect.path.type == 'ReplacePrefixMatch' && has(f.requestRedirect.path.replacePrefixMatch))) ? ((size(self.matches) != 1 || !has(self.matches[0].path) || self.matches[0].path.type != 'PathPrefix') ? false : true) : true)CEL",
           prefix_rewrite_needs_prefix_match("requestRedirect")},
          {R"CEL((has(self.filters) && self.filters.exists_one(f, has(f.urlRewrite) && has(f.urlRewrite.path) && f.urlRewrite.path.type == 'ReplacePrefixMatch' && has(f.urlRewrite.path.replacePrefixMatch))) ? ((size(self.matches) != 1 || !has(self.matches[0].path) || self.matches[0].path.type != 'PathPrefix') ? false : true) : true)CEL",
           prefix_rewrite_needs_prefix_match("urlRewrite")},
          {R"CEL((self.size() > 0 ? (has(self[0].matches) ? self[0].matches.size() : 0) : 0) + (self.size() > 1 ? (has(self[1].matches) ? self[1].matches.size() : 0) : 0) + (self.size() > 2 ? (has(self[2].matches) ? self[2].matches.size() : 0) : 0) + (self.size() > 3 ? (has(self[3].matches) ? self[3].matches.size() : 0) : 0) + (self.size() > 4 ? (has(self[4].matches) ? self[4].matches.size() : 0) : 0) + (self.size() > 5 ? (has(self[5].matches) ? self[5].matches.size() : 0) : 0) + (self.size() > 6 ? (has(self[6].matches) ? self[6].matches.size() : 0) : 0) + (self.size() > 7 ? (has(self[7].matches) ? self[7].matches.size() : 0) : 0) + (self.size() > 8 ? (has(self[8].matches) ? self[8].matches.size() : 0) : 0) + (self.size() > 9 ? (has(self[9].matches) ? self[9].matches.size() : 0) : 0) + (self.size() > 10 ? (has(self[10].matches) ? self[10].matches.size() : 0) : 0) + (self.size() > 11 ? (has(self[11].matches) ? self[11].matches.size() : 0) : 0) + (self.size() > 12 ? (has(self[12].matches) ? self[12].matches.size() : 0) : 0) + (self.size() > 13 ? (has(self[13].matches) ? self[13].matches.size() : 0) : 0) + (self.size() > 14 ? (has(self[14].matches) ? self[14].matches.size() : 0) : 0) + (self.size() > 15 ? (has(self[15].matches) ? self[15].matches.size() : 0) : 0) <= 128)CEL",
           at_most_128_matches},
          {R"CEL((self.size() > 0 ? self[0].matches.size() : 0) + (self.size() > 1 ? self[1].matches.size() : 0) + (self.size() > 2 ? self[2].matches.size() : 0) + (self.size() > 3 ? self[3].matches.size() : 0) + (self.size() > 4 ? self[4].matches.size() : 0) + (self.size() > 5 ? self[5].matches.size() : 0) + (self.size() > 6 ? self[6].matches.size() : 0) + (self.size() > 7 ? self[7].matches.size() : 0) + (self.size() > 8 ? self[8].matches.size() : 0) + (self.size() > 9 ? self[9].matches.size() : 0) + (self.size() > 10 ? self[10].matches.size() : 0) + (self.size() > 11 ? self[11].matches.size() : 0) + (self.size() > 12 ? self[12].matches.size() : 0) + (self.size() > 13 ? self[13].matches.size() : 0) + (self.size() > 14 ? self[14].matches.size() : 0) + (self.size() > 15 ? self[15].matches.size() : 0) <= 128)CEL",
           at_most_128_matches},
          {R"CEL((self.type in ['Exact','PathPrefix']) ? !self.value.contains('#') : true)CEL",
           exact_or_prefix_path([](const std::string& v) { return v.find('#') == std::string::npos; })},
          {R"CEL((self.type in ['Exact','PathPrefix']) ? !self.value.contains('%2F') : true)CEL",
           exact_or_prefix_path([](const std::string& v) { return v.find("%2F") == std::string::npos; })},
          {R"CEL((self.type in ['Exact','PathPrefix']) ? !self.value.contains('%2f') : true)CEL",
           exact_or_prefix_path([](const std::string& v) { return v.find("%2f") == std::string::npos; })},
          {R"CEL((self.type in ['Exact','PathPrefix']) ? !self.value.contains('/../') : true)CEL",
           exact_or_prefix_path([](const std::string& v) { return v.find("/../") == std::string::npos; })},
          {R"CEL((self.type in ['Exact','PathPrefix']) ? !self.value.contains('/./') : true)CEL",
           exact_or_prefix_path([](const std::string& v) { return v.find("/./") == std::string::npos; })},
          {R"CEL((self.type in ['Exact','PathPrefix']) ? !self.value.contains('//') : true)CEL",
           exact_or_prefix_path([](const std::string& v) { return v.find("//") == std::string::npos; })},
          {R"CEL((self.type in ['Exact','PathPrefix']) ? !self.value.endsWith('/.') : true)CEL",
           exact_or_prefix_path([](const std::string& v) { return !ends_with(v, "/."); })},
          {R"CEL((self.type in ['Exact','PathPrefix']) ? !self.value.endsWith('/..') : true)CEL",
           exact_or_prefix_path([](const std::string& v) { return !ends_with(v, "/.."); })},
          {R"CEL((self.type in ['Exact','PathPrefix']) ? self.value.matches(r"""^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$""") : true)CEL",
           exact_or_prefix_path([](const std::string& v) { return RE2::PartialMatch(v, path_chars_re()); })},
          {R"CEL((self.type in ['Exact','PathPrefix']) ? self.value.startsWith('/') : true)CEL",
           exact_or_prefix_path([](const std::string& v) { return v.rfind('/', 0) == 0; })},
          {R"CEL((size(self.group) == 0 && self.kind == 'Service') ? has(self.port) : true)CEL", service_ref_has_port},
          {R"CEL(has(self.replaceFullPath) ? self.type == 'ReplaceFullPath' : true)CEL",
           [](const Json& s) { return !has_value(s, "replaceFullPath") || text(s, "type") == "ReplaceFullPath"; }},
          {R"CEL(has(self.replacePrefixMatch) ? self.type == 'ReplacePrefixMatch' : true)CEL",
           [](const Json& s) { return !has_value(s, "replacePrefixMatch") || text(s, "type") == "ReplacePrefixMatch"; }},
          {R"CEL(has(self.type) ? has(self.service) || has(self.method) : true)CEL",
           [](const Json& s) { return !has_value(s, "type") || has_value(s, "service") || has_value(s, "method"); }},
          {R"CEL(self.all(a1, a1.type == 'Hostname'  && has(a1.value) ? self.exists_one(a2, a2.type == a1.type && has(a2.value) && a2.value == a1.value) : true ))CEL",
           address_values_unique("Hostname")},
          {R"CEL(self.all(a1, a1.type == 'IPAddress' && has(a1.value) ? self.exists_one(a2, a2.type == a1.type && has(a2.value) && a2.value == a1.value) : true ))CEL",
           address_values_unique("IPAddress")},
          {R"CEL(self.all(h, !h.contains('*') ? h.matches('^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)$') : true))CEL",
           hostnames_rfc1123},
          {R"CEL(self.all(h, !isIP(h)))CEL", hostnames_not_ip},
          {R"CEL(self.all(h, h.contains('*') ? (h.startsWith('*.') && h.substring(2).matches('^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)$')) : true))CEL",
           wildcard_hostnames},
          {R"CEL(self.all(key, key.matches(r"""^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]$""")))CEL",
           keys_match_label_key},
          {R"CEL(self.all(key, key.split("/")[0].size() < 253))CEL", key_prefix_under_253},
          {R"CEL(self.all(l, (l.protocol == 'HTTPS' && has(l.tls)) ? (l.tls.mode == '' || l.tls.mode == 'Terminate') : true))CEL",
           https_tls_mode_terminate},
          {R"CEL(self.all(l, (l.protocol == 'TLS' ? has(l.tls) && has(l.tls.mode) && l.tls.mode != '' : true)))CEL",
           tls_mode_set_for_tls},
          {R"CEL(self.all(l, l.protocol in ['HTTP', 'TCP', 'UDP'] ? !has(l.tls) : true))CEL", no_tls_for_http_tcp_udp},
          {R"CEL(self.all(l, l.protocol in ['TCP', 'UDP']  ? (!has(l.hostname) || l.hostname == '') : true))CEL",
           no_hostname_for_tcp_udp},
          {R"CEL(self.all(l1, !has(l1.name) || self.exists_one(l2, has(l2.name) && l1.name == l2.name)))CEL",
           rule_names_unique},
          {R"CEL(self.all(l1, self.exists_one(l2, l1.name == l2.name)))CEL", listener_names_unique},
          {R"CEL(self.all(l1, self.exists_one(l2, l1.port == l2.port && l1.protocol == l2.protocol && (has(l1.hostname) && has(l2.hostname) ? l1.hostname == l2.hostname : !has(l1.hostname) && !has(l2.hostname)))))CEL",
           listener_port_protocol_hostname_unique},
          {R"CEL(self.all(p1, self.all(p2, p1.group == p2.group && p1.kind == p2.kind && p1.name == p2.name && (((!has(p1.__namespace__) || p1.__namespace__ == '') && (!has(p2.__namespace__) || p2.__namespace__ == '')) || (has(p1.__namespace__) && has(p2.__namespace__) && p1.__namespace__ == p2.__namespace__ )) ? ((!has(p1.sectionName) || p1.sectionName == '') == (!has(p2.sectionName) || p2.sectionName == '')) : true)))CEL",
           parent_refs_section_name_specified(false)},
          {R"CEL(self.all(p1, self.all(p2, p1.group == p2.group && p1.kind == p2.kind && p1.name == p2.name && (((!has(p1.__namespace__) || p1.__namespace__ == '') && (!has(p2.__namespace__) || p2.__namespace__ == '')) || (has(p1.__namespace__) && has(p2.__namespace__) && p1.__namespace__ == p2.__namespace__)) ? ((!has(p1.sectionName) || p1.sectionName == '') == (!has(p2.sectionName) || p2.sectionName == '') && (!has(p1.port) || p1.port == 0) == (!has(p2.port) || p2.port == 0)): true)))CEL", parent_refs_section_name_specified(
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                     true)},
          {R"CEL(self.all(p1, self.exists_one(p2, p1.group == p2.group && p1.kind == p2.kind && p1.name == p2.name && (((!has(p1.__namespace__) || p1.__namespace__ == '') && (!has(p2.__namespace__) || p2.__namespace__ == '')) || (has(p1.__namespace__) && has(p2.__namespace__) && p1.__namespace__ == p2.__namespace__ )) && (((!has(p1.sectionName) || p1.sectionName == '') && (!has(p2.sectionName) || p2.sectionName == '')) || ( has(p1.sectionName) && has(p2.sectionName) && p1.sectionName == p2.sectionName)) && (((!has(p1.port) || p1.port == 0) && (!has(p2.port) || p2.port == 0)) || (has(p1.port) && has(p2.port) && p1.port == p2.port)))))CEL",
           parent_refs_unique(true)},
          {R"CEL(self.all(p1, self.exists_one(p2, p1.group == p2.group && p1.kind == p2.kind && p1.name == p2.name && (((!has(p1.__namespace__) || p1.__namespace__ == '') && (!has(p2.__namespace__) || p2.__namespace__ == '')) || (has(p1.__namespace__) && has(p2.__namespace__) && p1.__namespace__ == p2.__namespace__ )) && (((!has(p1.sectionName) || p1.sectionName == '') && (!has(p2.sectionName) || p2.sectionName == '')) || (has(p1.sectionName) && has(p2.sectionName) && p1.sectionName == p2.sectionName)))))CEL",
           parent_refs_unique(false)},
          {R"CEL(self.all(t1, self.exists_one(t2, t1.port == t2.port)))CEL", tls_ports_unique},
          {R"CEL(self.filter(f, f.type == 'CORS').size() <= 1)CEL", filter_at_most_once("CORS")},
          {R"CEL(self.filter(f, f.type == 'RequestHeaderModifier').size() <= 1)CEL",
           filter_at_most_once("RequestHeaderModifier")},
          {R"CEL(self.filter(f, f.type == 'RequestRedirect').size() <= 1)CEL", filter_at_most_once("RequestRedirect")},
          {R"CEL(self.filter(f, f.type == 'ResponseHeaderModifier').size() <= 1)CEL",
           filter_at_most_once("ResponseHeaderModifier")},
          {R"CEL(self.filter(f, f.type == 'URLRewrite').size() <= 1)CEL", filter_at_most_once("URLRewrite")},
          {R"CEL(self.mode == 'Terminate' ? size(self.certificateRefs) > 0 || size(self.options) > 0 : true)CEL",
           terminate_has_certificates},
          {R"CEL(self.numerator <= self.denominator)CEL", numerator_within_denominator},
          {R"CEL(self.type == 'Hostname' ? (!has(self.value) || self.value.matches(r"""^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$""")): true)CEL",
           hostname_address_value},
          {R"CEL(self.type == 'ReplaceFullPath' ? has(self.replaceFullPath) : true)CEL",
           [](const Json& s) { return text(s, "type") != "ReplaceFullPath" || has_value(s, "replaceFullPath"); }},
          {R"CEL(self.type == 'ReplacePrefixMatch' ? has(self.replacePrefixMatch) : true)CEL",
           [](const Json& s) { return text(s, "type") != "ReplacePrefixMatch" || has_value(s, "replacePrefixMatch"); }},
          {R"CEL(self.type in ['Exact','PathPrefix'] || self.type == 'RegularExpression')CEL",
           [](const Json& s) {
             const std::string t = text(s, "type");
             return t == "Exact" || t == "PathPrefix" || t == "RegularExpression";
           }},
      };
  return table;
}

}  // namespace

CelCheck gateway_api_cel_check(const std::string& rule) {
  auto it = checks().find(rule);
  return it == checks().end() ? CelCheck{} : it->second;
}

std::vector<std::pair<std::string, std::string>> unevaluated_gateway_api_rules() {
  // GatewayClass spec.controllerName: a transition rule; the API server runs it on update only,
  // against the stored object (model::check_crd_update runs it).
  return {{"self == oldSelf", "transition rule (update only: check_crd_update)"}};
}

}  // namespace gwsim::model::detail
