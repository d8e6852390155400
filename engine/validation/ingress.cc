// Ingress and IngressClass as kube-apiserver validates them on create. Each check names the Go
// function it follows (k8s.io/kubernetes pkg/apis/networking/validation/validation.go unless
// said otherwise); the messages are those of k8s.io/apimachinery/pkg/util/validation
// (IsDNS1123Subdomain, IsWildcardDNS1123Subdomain, IsDNS1035Label, IsDNS1123Label,
// IsValidPortName, IsValidPortNum, IsDomainPrefixedPath) and pkg/api/validation/path
// (IsValidPathSegmentName), in the wording of Kubernetes up to v1.33.
#include "engine/validation/ingress.h"

#include <arpa/inet.h>
#include <re2/re2.h>

#include "engine/model/crd_schema.h"
#include "engine/validation/detail_fields.h"

namespace gwsim::validation {

namespace {

using detail::get;
using detail::has;
using detail::string_member;
using model::Json;

const char* kGroup = "networking.k8s.io";

// RegexError: "<msg> (e.g. 'a',  or 'b', regex used for validation is '<fmt>')".
std::string regex_error(const std::string& msg, const std::string& fmt, const std::vector<std::string>& examples) {
  std::string out = msg + " (e.g. ";
  for (std::size_t i = 0; i < examples.size(); ++i) {
    if (i > 0) out += " or ";
    out += "'" + examples[i] + "', ";
  }
  return out + "regex used for validation is '" + fmt + "')";
}
std::string max_len_error(std::size_t n) { return "must be no more than " + std::to_string(n) + " characters"; }

const char* kDns1123LabelFmt = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const std::string kDns1123SubdomainFmt = std::string(kDns1123LabelFmt) + "(\\." + kDns1123LabelFmt + ")*";

bool full_match(const std::string& s, const std::string& fmt) {
  static thread_local std::map<std::string, std::unique_ptr<RE2>> cache;
  auto& re = cache[fmt];
  if (!re) re = std::make_unique<RE2>(fmt);
  return RE2::FullMatch(s, *re);
}

std::vector<std::string> dns1123_subdomain(const std::string& v) {
  std::vector<std::string> errs;
  if (v.size() > 253) errs.push_back(max_len_error(253));
  if (!full_match(v, kDns1123SubdomainFmt)) {
    errs.push_back(
        regex_error("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' "
                    "or '.', and must start and end with an alphanumeric character",
                    kDns1123SubdomainFmt, {"example.com"}));
  }
  return errs;
}
std::vector<std::string> wildcard_dns1123_subdomain(const std::string& v) {
  std::vector<std::string> errs;
  const std::string fmt = "\\*\\." + kDns1123SubdomainFmt;
  if (v.size() > 253) errs.push_back(max_len_error(253));
  if (!full_match(v, fmt)) {
    errs.push_back(
        regex_error("a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, "
                    "which must consist of lower case alphanumeric characters, '-' or '.' and end with an "
                    "alphanumeric character",
                    fmt, {"*.example.com"}));
  }
  return errs;
}
// ValidateServiceName: NameIsDNS1035Label.
std::vector<std::string> dns1035_label(const std::string& v) {
  std::vector<std::string> errs;
  const std::string fmt = "[a-z]([-a-z0-9]*[a-z0-9])?";
  if (v.size() > 63) errs.push_back(max_len_error(63));
  if (!full_match(v, fmt)) {
    errs.push_back(
        regex_error("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with "
                    "an alphabetic character, and end with an alphanumeric character",
                    fmt, {"my-name", "abc-123"}));
  }
  return errs;
}
// ValidateNamespaceName: NameIsDNSLabel.
std::vector<std::string> dns1123_label(const std::string& v) {
  std::vector<std::string> errs;
  if (v.size() > 63) errs.push_back(max_len_error(63));
  if (!full_match(v, kDns1123LabelFmt)) {
    errs.push_back(
        regex_error("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
                    "and must start and end with an alphanumeric character",
                    kDns1123LabelFmt, {"my-name", "123-abc"}));
  }
  return errs;
}
std::vector<std::string> port_name(const std::string& v) {
  std::vector<std::string> errs;
  if (v.size() > 15) errs.push_back(max_len_error(15));
  if (!full_match(v, "[-a-z0-9]+"))
    errs.push_back("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
  if (!RE2::PartialMatch(v, "[a-z]")) errs.push_back("must contain at least one letter (a-z)");
  if (v.find("--") != std::string::npos) errs.push_back("must not contain consecutive hyphens");
  if (!v.empty() && (v.front() == '-' || v.back() == '-')) errs.push_back("must not begin or end with a hyphen");
  return errs;
}
// pathvalidation.IsValidPathSegmentName.
std::vector<std::string> path_segment_name(const std::string& v) {
  if (v == "." || v == "..") return {"may not be '" + v + "'"};
  std::vector<std::string> errs;
  for (const char* bad : {"/", "%"}) {
    if (v.find(bad) != std::string::npos) errs.push_back(std::string("may not contain '") + bad + "'");
  }
  return errs;
}
// net.ParseIP (netutils.ParseIPSloppy also takes leading zeros in IPv4: "010.0.0.1").
bool parse_ip(const std::string& s) {
  unsigned char buf[16];
  if (inet_pton(AF_INET6, s.c_str(), buf) == 1) return true;
  int parts = 0;
  std::size_t i = 0;
  while (i <= s.size()) {
    std::size_t j = s.find('.', i);
    if (j == std::string::npos) j = s.size();
    std::string part = s.substr(i, j - i);
    if (part.empty() || part.size() > 3 || part.find_first_not_of("0123456789") != std::string::npos ||
        std::stoi(part) > 255)
      return false;
    ++parts;
    i = j + 1;
    if (j == s.size()) break;
  }
  return parts == 4;
}

// field.Error bodies.
class IngressFieldErrors {
 public:
  std::vector<FieldError> list;
  // `value_text`: the value as Go prints it (%q of a string, %#v of a slice).
  void invalid_text(const std::string& field, const std::string& pointer, const std::string& value_text,
                    const std::string& msg) {
    list.push_back({"FieldValueInvalid", field, pointer, "Invalid value: " + value_text + ": " + msg});
  }
  void invalid(const std::string& field, const std::string& pointer, const Json& value, const std::string& msg) {
    invalid_text(field, pointer, model::go_value_text(value), msg);
  }
  void required(const std::string& field, const std::string& pointer, const std::string& detail = "") {
    list.push_back(
        {"FieldValueRequired", field, pointer, detail.empty() ? "Required value" : "Required value: " + detail});
  }
  void not_supported(const std::string& field, const std::string& pointer, const std::string& value,
                     const std::vector<std::string>& allowed) {
    std::string supported;
    for (const auto& a : allowed) supported += (supported.empty() ? "" : ", ") + model::go_value_text(Json(a));
    list.push_back({"FieldValueNotSupported", field, pointer,
                    "Unsupported value: " + model::go_value_text(Json(value)) + ": supported values: " + supported});
  }
  void forbidden(const std::string& field, const std::string& pointer, const std::string& detail) {
    list.push_back({"FieldValueForbidden", field, pointer, "Forbidden: " + detail});
  }
  void too_long(const std::string& field, const std::string& pointer, std::size_t max) {
    list.push_back(
        {"FieldValueTooLong", field, pointer, "Too long: may not be more than " + std::to_string(max) + " bytes"});
  }
};

struct Path {
  std::string field, pointer;
  Path child(const std::string& name) const {
    return {field.empty() ? name : field + "." + name, pointer + "/" + name};
  }
  Path index(std::size_t i) const { return {field + "[" + std::to_string(i) + "]", pointer + "/" + std::to_string(i)}; }
};

std::string text(const Json& o, const char* key) { return string_member(o, key); }

// ValidateObjectMeta's name check (the namespace is the request's: kubectl fills it in).
void validate_name(IngressFieldErrors& e, const model::Object& object) {
  const Path p = Path{}.child("metadata").child("name");
  const std::string name = object.name();
  if (name.empty()) {
    e.required(p.field, p.pointer, "name or generateName is required");
    return;
  }
  for (const auto& msg : dns1123_subdomain(name)) e.invalid(p.field, p.pointer, Json(name), msg);
}

// validateIngressTypedLocalObjectReference
void validate_typed_local_object_reference(IngressFieldErrors& e, const Json& params, const Path& p) {
  if (has(params, "apiGroup")) {
    for (const auto& msg : dns1123_subdomain(text(params, "apiGroup")))
      e.invalid(p.child("apiGroup").field, p.child("apiGroup").pointer, Json(text(params, "apiGroup")), msg);
  }
  for (const char* key : {"kind", "name"}) {
    const Path c = p.child(key);
    const std::string v = text(params, key);
    if (v.empty()) {
      e.required(c.field, c.pointer, std::string(key) + " is required");
      continue;
    }
    for (const auto& msg : path_segment_name(v)) e.invalid(c.field, c.pointer, Json(v), msg);
  }
}

// validateIngressBackend
void validate_backend(IngressFieldErrors& e, const Json& backend, const Path& p) {
  const bool resource = has(backend, "resource");
  const bool service = has(backend, "service");
  if (resource && service)
    return e.invalid_text(p.field, p.pointer, "\"\"", "cannot set both resource and service backends");
  if (resource) return validate_typed_local_object_reference(e, *get(backend, "resource"), p.child("resource"));
  if (!service) return e.invalid_text(p.field, p.pointer, "\"\"", "resource or service backend is required");
  const Json& svc = *get(backend, "service");
  const Path name = p.child("service").child("name");
  if (text(svc, "name").empty()) {
    e.required(name.field, name.pointer);
  } else {
    for (const auto& msg : dns1035_label(text(svc, "name")))
      e.invalid(name.field, name.pointer, Json(text(svc, "name")), msg);
  }
  static const Json empty = Json::object();
  const Json* port_ptr = get(svc, "port");
  const Json& port = port_ptr ? *port_ptr : empty;
  const bool has_name = !text(port, "name").empty();
  const Json* number = get(port, "number");
  const bool has_number = number && number->is_number() && number->get<double>() != 0;
  const Path port_path = p.child("service").child("port");
  if (has_name && has_number) {
    e.invalid_text(p.field, p.pointer, "\"\"", "cannot set both port name & port number");
  } else if (has_name) {
    for (const auto& msg : port_name(text(port, "name")))
      e.invalid(port_path.child("name").field, port_path.child("name").pointer, Json(text(port, "name")), msg);
  } else if (has_number) {
    const double n = number->get<double>();
    if (n < 1 || n > 65535)
      e.invalid(port_path.child("number").field, port_path.child("number").pointer, *number,
                "must be between 1 and 65535, inclusive");
  } else {
    e.required(p.field, p.pointer, "port name or number is required");
  }
}

// validateHTTPIngressPath
void validate_http_path(IngressFieldErrors& e, const Json& path, const Path& p) {
  const Path type_path = p.child("pathType");
  if (!has(path, "pathType")) return e.required(type_path.field, type_path.pointer, "pathType must be specified");
  const std::string type = text(path, "pathType");
  const std::string value = text(path, "path");
  const Path path_path = p.child("path");
  if (type == "Exact" || type == "Prefix") {
    if (value.rfind('/', 0) != 0)
      e.invalid(path_path.field, path_path.pointer, Json(value), "must be an absolute path");
    if (!value.empty()) {
      for (const char* seq : {"//", "/./", "/../", "%2f", "%2F"}) {
        if (value.find(seq) != std::string::npos)
          e.invalid(path_path.field, path_path.pointer, Json(value), std::string("must not contain '") + seq + "'");
      }
      for (const char* suffix : {"/..", "/."}) {
        const std::string s = suffix;
        if (value.size() >= s.size() && value.compare(value.size() - s.size(), s.size(), s) == 0)
          e.invalid(path_path.field, path_path.pointer, Json(value), "cannot end with '" + s + "'");
      }
    }
  } else if (type == "ImplementationSpecific") {
    if (!value.empty() && value.rfind('/', 0) != 0)
      e.invalid(path_path.field, path_path.pointer, Json(value), "must be an absolute path");
  } else {
    e.not_supported(type_path.field, type_path.pointer, type, {"Exact", "ImplementationSpecific", "Prefix"});
  }
  static const Json empty = Json::object();
  const Json* backend = get(path, "backend");
  validate_backend(e, backend ? *backend : empty, p.child("backend"));
}

// validateIngressRules (and validateIngressRuleValue, validateHTTPIngressRuleValue)
void validate_rules(IngressFieldErrors& e, const Json& rules, const Path& p) {
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const Json& rule = rules[i];
    const Path host_path = p.index(i).child("host");
    const std::string host = text(rule, "host");
    if (!host.empty()) {
      if (parse_ip(host))
        e.invalid(host_path.field, host_path.pointer, Json(host), "must be a DNS name, not an IP address");
      const auto errs =
          host.find('*') != std::string::npos ? wildcard_dns1123_subdomain(host) : dns1123_subdomain(host);
      for (const auto& msg : errs) e.invalid(host_path.field, host_path.pointer, Json(host), msg);
    }
    const Json* http = get(rule, "http");
    if (!http) continue;
    const Path http_path = p.index(i).child("http");
    const Json& paths = detail::list(*http, "paths");
    if (paths.empty()) e.required(http_path.child("paths").field, http_path.child("paths").pointer);
    for (std::size_t k = 0; k < paths.size(); ++k) validate_http_path(e, paths[k], http_path.child("paths").index(k));
  }
}

// validateIngressTLS
void validate_tls(IngressFieldErrors& e, const Json& tls, const Path& p) {
  for (std::size_t t = 0; t < tls.size(); ++t) {
    const Json& hosts = detail::list(tls[t], "hosts");
    for (std::size_t i = 0; i < hosts.size(); ++i) {
      const std::string host = hosts[i].is_string() ? hosts[i].get<std::string>() : "";
      const Path hp = p.index(t).child("hosts").index(i);
      const auto errs =
          host.find('*') != std::string::npos ? wildcard_dns1123_subdomain(host) : dns1123_subdomain(host);
      for (const auto& msg : errs) e.invalid(hp.field, hp.pointer, Json(host), msg);
    }
    const std::string secret = text(tls[t], "secretName");
    if (!secret.empty()) {
      const Path sp = p.index(t).child("secretName");
      for (const auto& msg : dns1123_subdomain(secret)) e.invalid(sp.field, sp.pointer, Json(secret), msg);
    }
  }
}

// ValidateIngressCreate: ValidateObjectMeta, ValidateIngressSpec, the class annotation.
void validate_ingress(IngressFieldErrors& e, const model::Object& object, const Json& spec) {
  validate_name(e, object);
  const Path p = Path{}.child("spec");
  const Json& rules = detail::list(spec, "rules");
  const bool has_default = has(spec, "defaultBackend");
  if (rules.empty() && !has_default) {
    // The value is the Go slice: nil when absent, empty when "rules: []".
    e.invalid_text(p.field, p.pointer,
                   has(spec, "rules") ? "[]networking.IngressRule{}" : "[]networking.IngressRule(nil)",
                   "either `defaultBackend` or `rules` must be specified");
  }
  if (has_default) validate_backend(e, *get(spec, "defaultBackend"), p.child("defaultBackend"));
  if (!rules.empty()) validate_rules(e, rules, p.child("rules"));
  const Json& tls = detail::list(spec, "tls");
  if (!tls.empty()) validate_tls(e, tls, p.child("tls"));
  if (has(spec, "ingressClassName")) {
    const std::string cls = text(spec, "ingressClassName");
    const Path cp = p.child("ingressClassName");
    for (const auto& msg : dns1123_subdomain(cls)) e.invalid(cp.field, cp.pointer, Json(cls), msg);
  }
  // The deprecated class annotation must agree with ingressClassName (the path is the
  // annotation's own, as the API server builds it: "annotations.kubernetes.io/ingress.class").
  const Json* meta = get(object.doc, "metadata");
  auto annotations = meta ? detail::string_map(*meta, "annotations") : std::map<std::string, std::string>{};
  auto it = annotations.find("kubernetes.io/ingress.class");
  if (it != annotations.end() && has(spec, "ingressClassName") && it->second != text(spec, "ingressClassName")) {
    e.invalid("annotations.kubernetes.io/ingress.class", "/metadata/annotations", Json(it->second),
              "must match `ingressClassName` when both are specified");
  }
}

// validateIngressClassParametersReference
void validate_parameters(IngressFieldErrors& e, const Json& params, const Path& p) {
  validate_typed_local_object_reference(e, params, p);
  const Path scope_path = p.child("scope");
  if (!has(params, "scope")) return e.required(scope_path.field, scope_path.pointer);
  const std::string scope = text(params, "scope");
  if (scope != "Cluster" && scope != "Namespace")
    return e.not_supported(scope_path.field, scope_path.pointer, scope, {"Cluster", "Namespace"});
  const Path ns_path = p.child("namespace");
  if (scope == "Namespace") {
    if (!has(params, "namespace"))
      return e.required(ns_path.field, ns_path.pointer, "`parameters.scope` is set to 'Namespace'");
    for (const auto& msg : dns1123_label(text(params, "namespace")))
      e.invalid(ns_path.field, ns_path.pointer, Json(text(params, "namespace")), msg);
  }
  if (scope == "Cluster" && has(params, "namespace"))
    e.forbidden(ns_path.field, ns_path.pointer, "`parameters.scope` is set to 'Cluster'");
}

// ValidateIngressClass: ValidateObjectMeta, validateIngressClassSpec (IsDomainPrefixedPath).
void validate_ingress_class(IngressFieldErrors& e, const model::Object& object, const Json& spec) {
  validate_name(e, object);
  const Path p = Path{}.child("spec");
  const Path cp = p.child("controller");
  const std::string controller = text(spec, "controller");
  if (controller.size() > 250) e.too_long(cp.field, cp.pointer, 250);
  // IsDomainPrefixedPath
  const auto slash = controller.find('/');
  if (controller.empty()) {
    e.required(cp.field, cp.pointer);
  } else if (slash == std::string::npos || slash == 0 || slash + 1 == controller.size()) {
    e.invalid(cp.field, cp.pointer, Json(controller), "must be a domain-prefixed path (such as \"acme.io/foo\")");
  } else {
    const std::string host = controller.substr(0, slash), path = controller.substr(slash + 1);
    for (const auto& msg : dns1123_subdomain(host)) e.invalid(cp.field, cp.pointer, Json(host), msg);
    const std::string fmt = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";
    if (!full_match(path, fmt)) {
      e.invalid(cp.field, cp.pointer, Json(path), "Invalid path (regex used for validation is '" + fmt + "')");
    }
  }
  if (const Json* params = get(spec, "parameters")) validate_parameters(e, *params, p.child("parameters"));
}

}  // namespace

bool is_builtin_validated_kind(const std::string& group, const std::string& kind) {
  return group == kGroup && (kind == "Ingress" || kind == "IngressClass");
}

std::vector<FieldError> validate_builtin(const model::Object& object) {
  IngressFieldErrors e;
  if (!is_builtin_validated_kind(object.group(), object.kind())) return {};
  static const Json empty = Json::object();
  const Json* spec = get(object.doc, "spec");
  if (object.kind() == "Ingress")
    validate_ingress(e, object, spec ? *spec : empty);
  else
    validate_ingress_class(e, object, spec ? *spec : empty);
  return std::move(e.list);
}

}  // namespace gwsim::validation
