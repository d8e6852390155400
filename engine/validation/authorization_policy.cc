// Paraphrases pkg/config/validation/validation.go ValidateAuthorizationPolicy and
// checkDryRunAnnotation, and pkg/config/security/security.go's checks, keeping Istio's order of
// errors and its messages (Go's multierror lists included: ValidateIPs and ValidatePorts build
// lists).
#include "engine/validation/authorization_policy.h"

#include <arpa/inet.h>
#include <re2/re2.h>

#include <algorithm>
#include <cstdint>

#include "engine/model/authorization_policy.h"
#include "engine/model/json_fields.h"

namespace gwsim::validation::detail {

namespace {

using model::AuthorizationPolicy;
using model::AuthorizationTargetRef;

bool parses_as_address(const std::string& s) {
  unsigned char buf[16];
  return inet_pton(AF_INET, s.c_str(), buf) == 1 || inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

// Go's strconv.ParseUint(s, 10, 32): the value, or the error's text.
std::optional<std::uint64_t> parse_uint32(const std::string& s, std::string& error) {
  std::uint64_t v = 0;
  bool digits = !s.empty();
  for (char c : s) digits = digits && c >= '0' && c <= '9';
  if (!digits) {
    error = "strconv.ParseUint: parsing " + go_quote(s) + ": invalid syntax";
    return std::nullopt;
  }
  for (char c : s) {
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
    if (v > 4294967295ULL) {
      error = "strconv.ParseUint: parsing " + go_quote(s) + ": value out of range";
      return std::nullopt;
    }
  }
  return v;
}

// net/netip ParsePrefix's error text for the cases a policy meets.
std::optional<std::string> parse_prefix_error(const std::string& s) {
  const auto slash = s.rfind('/');
  const std::string ip = s.substr(0, slash), bits = s.substr(slash + 1);
  const std::string head = "netip.ParsePrefix(" + go_quote(s) + "): ";
  if (!parses_as_address(ip)) {
    if (ip.find('%') != std::string::npos) return head + "IPv6 zones cannot be present in a prefix";
    return head + "ParseAddr(" + go_quote(ip) + "): unable to parse IP";
  }
  const bool v6 = ip.find(':') != std::string::npos;
  bool digits = !bits.empty();
  for (char c : bits) digits = digits && c >= '0' && c <= '9';
  if (!digits || (bits.size() > 1 && bits[0] == '0')) return head + "bad bits after slash: " + go_quote(bits);
  if (bits.size() > 3 || std::stoi(bits) > (v6 ? 128 : 32)) return head + "prefix length out of range";
  return std::nullopt;
}

std::optional<std::string> check_empty_values(const std::string& key, const std::vector<std::string>& values) {
  for (const auto& v : values) {
    if (v.empty()) return "empty value not allowed, found in " + key;
  }
  return std::nullopt;
}

std::optional<std::string> check_wildcard_values(const std::string& key, const std::vector<std::string>& values) {
  if (auto e = check_empty_values(key, values)) return e;
  for (const auto& v : values) {
    const auto count = std::count(v.begin(), v.end(), '*');
    if (count > 1) return "at most one wildcard is allowed, found in " + key + ": " + go_quote(v);
    if (count == 1 && v != "*" && v.front() != '*' && v.back() != '*') {
      return "wildcard is only allowed at the start or end, found in " + key + ": " + go_quote(v);
    }
  }
  return std::nullopt;
}

std::optional<std::string> check_trust_domain_values(const std::string& key, const std::vector<std::string>& values) {
  if (auto e = check_wildcard_values(key, values)) return e;
  for (const auto& v : values) {
    if (v.find('/') != std::string::npos)
      return "trust domain must not contain '/', found in " + key + ": " + go_quote(v);
  }
  return std::nullopt;
}

std::optional<std::string> check_service_account(const std::string& key, const std::vector<std::string>& values) {
  if (values.size() > 16) return "may not have more than 16 values";
  const std::string format = "expected format 'serviceAccount' or 'namespace/serviceAccount', found ";
  for (const auto& v : values) {
    if (v.empty()) return "empty value not allowed, found in " + key;
    if (v.find('*') != std::string::npos) return "wildcard not allowed, found in " + key;
    const auto slashes = std::count(v.begin(), v.end(), '/');
    if (slashes > 1) return format + go_quote(v) + " in " + key;
    if (v.size() > 320) return "value cannot exceed 320 characters, found " + go_quote(v) + " in " + key;
    if (slashes == 1) {
      const auto slash = v.find('/');
      if (slash == 0) return format + "empty namespace " + go_quote(v) + " in " + key;
      if (slash + 1 == v.size()) return format + "empty serviceAccount " + go_quote(v) + " in " + key;
    }
  }
  return std::nullopt;
}

std::optional<std::string> validate_map_key(const std::string& key) {
  const auto open = key.find('[');
  if (!key.empty() && key.back() == ']' && open != std::string::npos && open > 0 && open < key.size() - 2) {
    return std::nullopt;
  }
  return "bad key (" + key + "): should have format a[b]";
}

bool go_parse_bool(const std::string& v) {
  for (const char* ok : {"1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False"}) {
    if (v == ok) return true;
  }
  return false;
}

// validatePolicyTargetReference: Service, ServiceEntry, Gateway (Gateway API) and GatewayClass.
Errors validate_target_ref(const AuthorizationTargetRef& ref) {
  Errors e;
  if (ref.name.empty()) e.add("targetRef name must be set");
  if (!ref.namespace_.empty())
    e.add("targetRef namespace must not be set; cross namespace referencing is not supported");
  const std::string group = ref.group.empty() ? "core" : ref.group;
  const bool allowed = (group == "core" && ref.kind == "Service") ||
                       (group == "networking.istio.io" && ref.kind == "ServiceEntry") ||
                       (group == "gateway.networking.k8s.io" && (ref.kind == "Gateway" || ref.kind == "GatewayClass"));
  if (!allowed) {
    e.add(
        "targetRef must be to one of [core/v1/Service networking.istio.io/v1/ServiceEntry "
        "gateway.networking.k8s.io/v1/Gateway gateway.networking.k8s.io/v1/GatewayClass] but was " +
        ref.group + "/" + ref.kind);
  }
  return e;
}

// validateWorkloadSelector: errors for empty keys and wildcards (the CRD's rules refuse them
// first), a warning for a selector without labels.
Errors validate_selector(const AuthorizationPolicy& p) {
  Errors e;
  if (!p.selector_set) return e;
  for (const auto& [k, v] : *p.selector) {
    if (k.empty()) e.add("empty key is not supported in selector: " + go_quote(k + "=" + v));
    if (k.find('*') != std::string::npos || v.find('*') != std::string::npos) {
      e.add("wildcard is not supported in selector: " + go_quote(k + "=" + v));
    }
  }
  if (p.selector->empty()) e.warn("workload selector specified without labels");
  return e;
}

void add_all(Errors& e, std::initializer_list<std::optional<std::string>> checks) {
  for (const auto& c : checks) e.add(c);
}

}  // namespace

Errors validate_ips(const std::vector<std::string>& ips) {
  Errors e;
  for (const auto& v : ips) {
    if (v.find('/') != std::string::npos) {
      if (auto err = parse_prefix_error(v)) e.add_listed("bad CIDR range (" + v + "): " + *err);
    } else if (!parses_as_address(v)) {
      e.add_listed("bad IP address (" + v + ")");
    }
  }
  return e;
}

Errors validate_ports(const std::vector<std::string>& ports) {
  Errors e;
  for (const auto& port : ports) {
    std::string error;
    auto p = parse_uint32(port, error);
    if (!p || *p > 65535) e.add_listed("bad port (" + port + "): " + (p ? std::string("<nil>") : error));
  }
  return e;
}

std::optional<std::string> validate_attribute(const std::string& key, const std::vector<std::string>& values) {
  if (auto e = check_empty_values(key, values)) return e;
  auto starts = [&](const char* prefix) { return key.rfind(prefix, 0) == 0; };
  auto first_listed = [](const Errors& e) -> std::optional<std::string> {
    if (e.errors.empty()) return std::nullopt;
    // A multierror's text as %v prints it inside another message.
    if (e.errors.size() == 1) return "1 error occurred:\n\t* " + e.errors.front() + "\n\n";
    std::string out = std::to_string(e.errors.size()) + " errors occurred:";
    for (const auto& x : e.errors) out += "\n\t* " + x;
    return out + "\n\n";
  };
  if (starts("request.headers")) return validate_map_key(key);
  if (key == "source.ip" || key == "remote.ip" || key == "destination.ip") return first_listed(validate_ips(values));
  if (key == "source.namespace") return std::nullopt;
  if (key == "source.serviceAccount") return check_service_account(key, values);
  if (key == "source.principal") return std::nullopt;
  if (key == "source.trustDomain") return check_wildcard_values(key, values);
  if (key == "request.auth.principal" || key == "request.auth.audiences" || key == "request.auth.presenter") {
    return std::nullopt;
  }
  if (starts("request.auth.claims")) return validate_map_key(key);
  if (key == "destination.port") return first_listed(validate_ports(values));
  if (key == "connection.sni") return std::nullopt;
  if (starts("experimental.envoy.filters.")) return validate_map_key(key);
  if (key == "destination.namespace") return "attribute " + key + " is replaced by the metadata.namespace";
  if (starts("destination.labels")) return "attribute " + key + " is replaced by the workload selector";
  if (key == "destination.name" || key == "destination.user") {
    return "deprecated attribute " + key + ": only supported in v1alpha1";
  }
  return "unknown attribute: " + key;
}

std::optional<std::string> check_valid_path_template(const std::string& key, const std::vector<std::string>& paths) {
  static const RE2 valid_literal("^[a-zA-Z0-9-._~%!$&'()+,;:@=]+$");
  for (std::string path : paths) {
    const bool has_template = path.find("{*}") != std::string::npos || path.find("{**}") != std::string::npos;
    bool found_match_any = false;
    const auto first = path.find_first_not_of('/');
    path = first == std::string::npos ? std::string() : path.substr(first, path.find_last_not_of('/') - first + 1);
    std::size_t start = 0;
    while (true) {
      const auto slash = path.find('/', start);
      const std::string glob = path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
      const std::string head = "invalid or unsupported path " + path + ", found in " + key + ". ";
      if (glob == "{*}" && !found_match_any) {
      } else if (glob == "{**}" && !found_match_any) {
        found_match_any = true;
      } else if ((glob == "{**}" || glob == "{*}") && found_match_any) {
        return head + "{**} is not the last operator";
      } else if (glob.find_first_of("{}") != std::string::npos) {
        return head + "Contains '{' or '}' beyond a supported path template";
      } else if (has_template && !RE2::FullMatch(glob, valid_literal)) {
        return head + "Contains segment " + glob + " with invalid string literal";
      }
      if (slash == std::string::npos) break;
      start = slash + 1;
    }
  }
  return std::nullopt;
}

std::optional<std::string> check_authorization_dry_run(const model::Object& object, const std::string& ns) {
  const model::Json& annotations = model::member(model::member(object.doc, "metadata"), "annotations");
  const model::Json& value = model::member(annotations, "istio.io/dry-run");
  if (value.is_null()) return std::nullopt;
  const std::string v = model::string_or_empty(value);
  std::string action = model::string_member(model::member(object.doc, "spec"), "action");
  if (action.empty()) action = "ALLOW";
  if (action == "ALLOW" || action == "DENY") {
    if (go_parse_bool(v)) return std::nullopt;
    return ns + "/" + object.name() + " has annotation istio.io/dry-run with invalid value (" + v +
           "): strconv.ParseBool: parsing " + go_quote(v) + ": invalid syntax";
  }
  return "the annotation istio.io/dry-run currently only supports action ALLOW/DENY, found action " + action + " in " +
         ns + "/" + object.name();
}

Errors validate_authorization_policy(const model::Object& object, const std::string& ns) {
  std::vector<model::AuthorizationReadProblem> unread;  // the schema check ran: none
  const AuthorizationPolicy in = read_authorization_policy(object, model::Meta{}, unread);
  Errors errs;
  // validateOneOfSelectorType, validateWorkloadSelector, validatePolicyTargetReference(s).
  if (static_cast<int>(in.selector_set) + static_cast<int>(in.target_ref.has_value()) +
          static_cast<int>(!in.target_refs.empty()) >
      1) {
    errs.add("only one of targetRefs or workloadSelector can be set");
  }
  errs.add(validate_selector(in));
  if (in.target_ref) errs.add(validate_target_ref(*in.target_ref));
  for (const auto& ref : in.target_refs) errs.add(validate_target_ref(ref));

  if (in.action == "CUSTOM") {
    if (!in.rules_set) {
      errs.add(
          "CUSTOM action without `rules` is meaningless as it will never be triggered, add an empty rule `{}` if "
          "you want it be triggered for every request");
    } else if (in.provider.empty()) {
      errs.add("`provider.name` must not be empty");
    }
    for (const auto& rule : in.rules) {
      auto check = [&](bool invalid, const std::string& name) {
        if (invalid) errs.add(name + " is currently not supported with CUSTOM action");
      };
      for (const auto& from : rule.from) {
        if (!from.source) continue;
        const auto& s = *from.source;
        check(!s.namespaces.empty(), "From.Namespaces");
        check(!s.not_namespaces.empty(), "From.NotNamespaces");
        check(!s.service_accounts.empty(), "From.ServiceAccounts");
        check(!s.not_service_accounts.empty(), "From.NotServiceAccounts");
        check(!s.trust_domains.empty(), "From.TrustDomains");
        check(!s.not_trust_domains.empty(), "From.NotTrustDomains");
        check(!s.principals.empty(), "From.Principals");
        check(!s.not_principals.empty(), "From.NotPrincipals");
        check(!s.request_principals.empty(), "From.RequestPrincipals");
        check(!s.not_request_principals.empty(), "From.NotRequestPrincipals");
      }
      for (const auto& when : rule.when) {
        for (const char* k : {"source.namespace", "source.serviceAccount", "source.trustDomain", "source.principal"}) {
          check(when.key == k, when.key);
        }
        check(when.key.rfind("request.auth.", 0) == 0, when.key);
      }
    }
  }
  if (in.provider_set && in.action != "CUSTOM") {
    errs.add("`provider` must not be with non CUSTOM action, found " + in.action);
  }
  if (in.action == "DENY" && !in.rules_set) {
    errs.add(
        "DENY action without `rules` is meaningless as it will never be triggered, add an empty rule `{}` if you "
        "want it be triggered for every request");
  }

  for (std::size_t i = 0; i < in.rules.size(); ++i) {
    const auto& rule = in.rules[i];
    const std::string at = std::to_string(i);
    if (rule.from_set && rule.from.empty()) errs.add("`from` must not be empty, found at rule " + at);
    bool tcp_in_from = false, tcp_in_to = false, from_exist = false, to_exist = false;
    for (const auto& from : rule.from) {
      if (!from.source) {
        errs.add("`from.source` must not be nil, found at rule " + at);
        continue;
      }
      from_exist = true;
      const auto& s = *from.source;
      if (s.principals.size() + s.not_principals.size() + s.namespaces.size() + s.not_namespaces.size() > 0 &&
          s.service_accounts.size() + s.not_service_accounts.size() > 0) {
        errs.add("cannot set serviceAccounts with namespaces or principals, found at rule " + at);
      }
      if (s.principals.empty() && s.request_principals.empty() && s.namespaces.empty() && s.ip_blocks.empty() &&
          s.remote_ip_blocks.empty() && s.not_principals.empty() && s.not_request_principals.empty() &&
          s.not_namespaces.empty() && s.not_ip_blocks.empty() && s.not_remote_ip_blocks.empty() &&
          s.service_accounts.empty() && s.not_service_accounts.empty() && s.trust_domains.empty() &&
          s.not_trust_domains.empty()) {
        errs.add("`from.source` must not be empty, found at rule " + at);
      }
      errs.add(validate_ips(s.ip_blocks));
      errs.add(validate_ips(s.not_ip_blocks));
      errs.add(validate_ips(s.remote_ip_blocks));
      errs.add(validate_ips(s.not_remote_ip_blocks));
      add_all(
          errs,
          {check_empty_values("Principals", s.principals),
           check_empty_values("RequestPrincipals", s.request_principals),
           check_empty_values("Namespaces", s.namespaces), check_service_account("ServiceAccounts", s.service_accounts),
           check_trust_domain_values("TrustDomains", s.trust_domains), check_empty_values("IpBlocks", s.ip_blocks),
           check_empty_values("RemoteIpBlocks", s.remote_ip_blocks),
           check_empty_values("NotPrincipals", s.not_principals),
           check_empty_values("NotRequestPrincipals", s.not_request_principals),
           check_empty_values("NotNamespaces", s.not_namespaces),
           check_service_account("NotServiceAccounts", s.not_service_accounts),
           check_trust_domain_values("NotTrustDomains", s.not_trust_domains),
           check_empty_values("NotIpBlocks", s.not_ip_blocks),
           check_empty_values("NotRemoteIpBlocks", s.not_remote_ip_blocks)});
      // Peer attributes, which a TCP filter chain can check too.
      tcp_in_from = tcp_in_from || !s.principals.empty() || !s.not_principals.empty() || !s.ip_blocks.empty() ||
                    !s.not_ip_blocks.empty() || !s.namespaces.empty() || !s.not_namespaces.empty() ||
                    !s.remote_ip_blocks.empty() || !s.not_remote_ip_blocks.empty() || !s.service_accounts.empty() ||
                    !s.not_service_accounts.empty();
    }
    if (rule.to_set && rule.to.empty()) errs.add("`to` must not be empty, found at rule " + at);
    for (const auto& to : rule.to) {
      if (!to.operation) {
        errs.add("`to.operation` must not be nil, found at rule " + at);
        continue;
      }
      to_exist = true;
      const auto& op = *to.operation;
      if (op.ports.empty() && op.methods.empty() && op.paths.empty() && op.hosts.empty() && op.not_ports.empty() &&
          op.not_methods.empty() && op.not_paths.empty() && op.not_hosts.empty()) {
        errs.add("`to.operation` must not be empty, found at rule " + at);
      }
      errs.add(validate_ports(op.ports));
      errs.add(validate_ports(op.not_ports));
      add_all(errs,
              {check_empty_values("Ports", op.ports), check_empty_values("Methods", op.methods),
               check_empty_values("Paths", op.paths), check_empty_values("Hosts", op.hosts),
               check_empty_values("NotPorts", op.not_ports), check_empty_values("NotMethods", op.not_methods),
               check_empty_values("NotPaths", op.not_paths), check_empty_values("NotHosts", op.not_hosts),
               check_valid_path_template("Paths", op.paths), check_valid_path_template("NotPaths", op.not_paths)});
      tcp_in_to = tcp_in_to || !op.ports.empty() || !op.not_ports.empty();
    }
    for (const auto& condition : rule.when) {
      if (condition.key.empty()) {
        errs.add("`key` must not be empty");
      } else if (condition.values.empty() && condition.not_values.empty()) {
        errs.add("at least one of `values` or `notValues` must be set for key " + condition.key);
      } else {
        if (auto e = validate_attribute(condition.key, condition.values)) {
          errs.add("invalid `value` for `key` " + condition.key + ": " + *e);
        }
        if (auto e = validate_attribute(condition.key, condition.not_values)) {
          errs.add("invalid `notValue` for `key` " + condition.key + ": " + *e);
        }
      }
    }
    if (((from_exist && !to_exist && !tcp_in_from) || (to_exist && !tcp_in_to)) && in.action == "DENY") {
      errs.warn(
          "configured AuthorizationPolicy will deny all traffic to TCP ports under its scope due to the use of "
          "only HTTP attributes in a DENY rule; it is recommended to explicitly specify the port");
    }
  }
  // multierror.Prefix: every error gets the policy's name.
  for (auto& e : errs.errors) e = "invalid policy " + object.name() + "." + ns + ": " + e;
  return errs;
}

}  // namespace gwsim::validation::detail
