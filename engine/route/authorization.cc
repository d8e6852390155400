// Paraphrases Istio's pilot/pkg/security/authz: builder/builder.go (Builder.build: one rbac
// filter per action, a policy per rule named policyName, rbacPolicyMatchNever for a policy
// without rules, dry-run policies as shadow rules, a rule whose model fails is skipped),
// model/model.go (New: when/from/to into principal and permission rule lists; Generate and
// rule.permission/principal with checkError: an ALLOW rule whose value cannot be generated is
// dropped whole, for DENY and AUDIT only that value is ignored), model/generator.go (one
// generator per attribute), model/permission.go and principal.go (the Envoy RBAC shapes),
// matcher/header.go, string.go, template.go (Envoy string, header and uri_template matchers).
// Which policies apply follows pilot/pkg/model/authorization.go ListAuthorizationPolicies and
// policyattachment.go ShouldAttachPolicy.
#include "engine/route/authorization.h"

#include <arpa/inet.h>
#include <re2/re2.h>

#include <algorithm>
#include <cctype>

#include "engine/model/labels.h"
#include "engine/route/detail_config.h"

namespace gwsim::route {

namespace {

using model::AuthorizationPolicy;

bool iequals(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != std::tolower(static_cast<unsigned char>(prefix[i]))) {
      return false;
    }
  }
  return true;
}

std::string quote_meta(std::string_view s) { return RE2::QuoteMeta(re2::StringPiece(s.data(), s.size())); }

RbacStringMatcher exact(std::string v, bool ignore_case = false) {
  return {RbacStringMatcher::Kind::kExact, std::move(v), ignore_case, nullptr};
}
RbacStringMatcher prefix(std::string v, bool ignore_case = false) {
  return {RbacStringMatcher::Kind::kPrefix, std::move(v), ignore_case, nullptr};
}
RbacStringMatcher suffix(std::string v, bool ignore_case = false) {
  return {RbacStringMatcher::Kind::kSuffix, std::move(v), ignore_case, nullptr};
}
RbacStringMatcher regex(std::string v) {
  auto re = std::make_shared<const re2::RE2>(v);
  return {RbacStringMatcher::Kind::kRegex, std::move(v), false, std::move(re)};
}

// matcher.StringMatcherWithPrefix: "*" is any non-empty value, "*x" a suffix, "x*" a prefix.
RbacStringMatcher string_matcher(const std::string& v, const std::string& uri_prefix = "") {
  if (v.empty()) return exact(uri_prefix);
  if (v == "*") return regex(".+");
  if (v.front() == '*') {
    if (uri_prefix.empty()) return suffix(v.substr(1));
    return regex(quote_meta(uri_prefix) + ".*" + quote_meta(v.substr(1)));
  }
  if (v.back() == '*') return prefix(uri_prefix + v.substr(0, v.size() - 1));
  return exact(uri_prefix + v);
}

RbacMatcher node(RbacMatcher::Kind kind) {
  RbacMatcher m;
  m.kind = kind;
  return m;
}
RbacMatcher with_children(RbacMatcher::Kind kind, std::vector<RbacMatcher> children) {
  RbacMatcher m = node(kind);
  m.children = std::move(children);
  return m;
}

// matcher.HeaderMatcher / HostMatcher: "*" is present; hosts compare without case.
RbacMatcher header(const std::string& name, const std::string& v, bool ignore_case) {
  RbacMatcher m = node(RbacMatcher::Kind::kHeader);
  m.name = name;
  if (v.empty()) {
    m.strings.push_back(exact(v, ignore_case));
  } else if (v == "*") {
    m.present = true;
  } else if (v.front() == '*') {
    m.strings.push_back(suffix(v.substr(1), ignore_case));
  } else if (v.back() == '*') {
    m.strings.push_back(prefix(v.substr(0, v.size() - 1), ignore_case));
  } else {
    m.strings.push_back(exact(v, ignore_case));
  }
  return m;
}

RbacMatcher authenticated(RbacStringMatcher m) {
  RbacMatcher a = node(RbacMatcher::Kind::kAuthenticated);
  a.strings.push_back(std::move(m));
  return a;
}

RbacMatcher jwt_payload(std::vector<std::string> path, std::vector<RbacStringMatcher> any_of, bool list_ok) {
  RbacMatcher m = node(RbacMatcher::Kind::kJwtPayload);
  m.path = std::move(path);
  m.strings = std::move(any_of);
  m.present = list_ok;  // a list claim matches when one item does (MetadataListValueMatcher)
  return m;
}

// Envoy's uri_template (extensions/path/uri_template_lib): "*" one segment, "**" the rest.
std::shared_ptr<const re2::RE2> uri_template_regex(const std::string& istio_path) {
  static const std::string kLiteral = "a-zA-Z0-9\\-._~%!$&'()+,;:@=";
  std::string out;
  for (std::size_t i = 0; i < istio_path.size();) {
    if (istio_path.compare(i, 4, "{**}") == 0) {
      out += "[" + kLiteral + "/]*";
      i += 4;
    } else if (istio_path.compare(i, 3, "{*}") == 0) {
      out += "[" + kLiteral + "]+";
      i += 3;
    } else {
      out += quote_meta(istio_path.substr(i, 1));
      ++i;
    }
  }
  return std::make_shared<const re2::RE2>(out);
}

// ---- model.go: attributes, generators, rule lists ---------------------------------------------

enum class Attribute {
  kDestIp,
  kDestPort,
  kConnSni,
  kEnvoyFilter,
  kSrcIp,
  kRemoteIp,
  kSrcNamespace,
  kSrcTrustDomain,
  kSrcServiceAccount,
  kSrcPrincipal,
  kRequestPrincipal,
  kRequestAudiences,
  kRequestPresenter,
  kRequestHeader,
  kRequestClaims,
  kHost,
  kPath,
  kMethod,
};

struct KeyRule {
  Attribute attribute;
  std::string key;
  std::vector<std::string> values, not_values;
  bool extended;  // an extendedGenerator: all values in one matcher
  std::string policy_namespace;
};

using RuleList = std::vector<KeyRule>;

bool is_extended(Attribute a) {
  return a == Attribute::kEnvoyFilter || a == Attribute::kRequestPrincipal || a == Attribute::kRequestAudiences ||
         a == Attribute::kRequestPresenter || a == Attribute::kRequestClaims;
}

void append_last(RuleList& list, Attribute a, const std::string& key, const std::vector<std::string>& values,
                 const std::vector<std::string>& not_values, const std::string& ns) {
  if (values.empty() && not_values.empty()) return;
  list.push_back({a, key, values, not_values, is_extended(a), ns});
}
void insert_front(RuleList& list, Attribute a, const std::string& key, const std::vector<std::string>& values,
                  const std::vector<std::string>& not_values, const std::string& ns) {
  if (values.empty() && not_values.empty()) return;
  list.insert(list.begin(), {a, key, values, not_values, is_extended(a), ns});
}

struct Model {
  std::vector<RuleList> permissions;
  std::vector<RuleList> principals;
};

// model.go New: nullopt for an unknown `when` key (the rule is skipped).
std::optional<Model> new_model(const model::AuthorizationRule& r, const std::string& ns, std::string& error) {
  RuleList base_permission, base_principal;
  for (const auto& when : r.when) {
    const std::string& k = when.key;
    auto perm = [&](Attribute a) { append_last(base_permission, a, k, when.values, when.not_values, ns); };
    auto princ = [&](Attribute a) { append_last(base_principal, a, k, when.values, when.not_values, ns); };
    if (k == "destination.ip")
      perm(Attribute::kDestIp);
    else if (k == "destination.port")
      perm(Attribute::kDestPort);
    else if (k == "connection.sni")
      perm(Attribute::kConnSni);
    else if (k.rfind("experimental.envoy.filters.", 0) == 0)
      perm(Attribute::kEnvoyFilter);
    else if (k == "source.ip")
      princ(Attribute::kSrcIp);
    else if (k == "remote.ip")
      princ(Attribute::kRemoteIp);
    else if (k == "source.namespace")
      princ(Attribute::kSrcNamespace);
    else if (k == "source.trustDomain")
      princ(Attribute::kSrcTrustDomain);
    else if (k == "source.serviceAccount")
      princ(Attribute::kSrcServiceAccount);
    else if (k == "source.principal")
      princ(Attribute::kSrcPrincipal);
    else if (k == "request.auth.principal")
      princ(Attribute::kRequestPrincipal);
    else if (k == "request.auth.audiences")
      princ(Attribute::kRequestAudiences);
    else if (k == "request.auth.presenter")
      princ(Attribute::kRequestPresenter);
    else if (k.rfind("request.headers", 0) == 0)
      princ(Attribute::kRequestHeader);
    else if (k.rfind("request.auth.claims", 0) == 0)
      princ(Attribute::kRequestClaims);
    else {
      error = "unknown attribute " + k;
      return std::nullopt;
    }
  }
  Model m;
  for (const auto& from : r.from) {
    RuleList merged = base_principal;
    if (from.source) {
      const auto& s = *from.source;
      insert_front(merged, Attribute::kSrcIp, "source.ip", s.ip_blocks, s.not_ip_blocks, ns);
      insert_front(merged, Attribute::kRemoteIp, "remote.ip", s.remote_ip_blocks, s.not_remote_ip_blocks, ns);
      insert_front(merged, Attribute::kSrcNamespace, "source.namespace", s.namespaces, s.not_namespaces, ns);
      insert_front(merged, Attribute::kSrcTrustDomain, "source.trustDomain", s.trust_domains, s.not_trust_domains, ns);
      insert_front(merged, Attribute::kSrcServiceAccount, "source.serviceAccount", s.service_accounts,
                   s.not_service_accounts, ns);
      insert_front(merged, Attribute::kRequestPrincipal, "request.auth.principal", s.request_principals,
                   s.not_request_principals, ns);
      insert_front(merged, Attribute::kSrcPrincipal, "source.principal", s.principals, s.not_principals, ns);
    }
    m.principals.push_back(std::move(merged));
  }
  if (r.from.empty()) m.principals.push_back(base_principal);
  for (const auto& to : r.to) {
    RuleList merged = base_permission;
    if (to.operation) {
      const auto& o = *to.operation;
      insert_front(merged, Attribute::kDestPort, "destination.port", o.ports, o.not_ports, ns);
      insert_front(merged, Attribute::kPath, "path-matcher", o.paths, o.not_paths, ns);
      insert_front(merged, Attribute::kMethod, ":method", o.methods, o.not_methods, ns);
      insert_front(merged, Attribute::kHost, ":authority", o.hosts, o.not_hosts, ns);
    }
    m.permissions.push_back(std::move(merged));
  }
  if (r.to.empty()) m.permissions.push_back(base_permission);
  return m;
}

// util.go extractNameInBrackets.
std::optional<std::string> name_in_brackets(const std::string& s) {
  if (s.size() < 2 || s.front() != '[' || s.back() != ']') return std::nullopt;
  return s.substr(1, s.size() - 2);
}

// util.go extractNameInNestedBrackets: "[a][b]" -> {a, b}; "[a.b]" -> {a.b}.
std::optional<std::vector<std::string>> names_in_nested_brackets(const std::string& s) {
  std::vector<std::string> claims;
  auto end_bracket = [&](std::size_t begin) -> std::size_t {
    if (begin >= s.size() || s[begin] != '[') return std::string::npos;
    for (std::size_t i = begin + 1; i < s.size(); ++i) {
      if (s[i] == '[') return std::string::npos;
      if (s[i] == ']') return i;
    }
    return std::string::npos;
  };
  for (std::size_t begin = 0; begin < s.size();) {
    const std::size_t end = end_bracket(begin);
    if (end == std::string::npos) {
      auto one = name_in_brackets(s);
      if (!one) return std::nullopt;
      return std::vector<std::string>{*one};
    }
    claims.push_back(s.substr(begin + 1, end - begin - 1));
    begin = end + 1;
  }
  return claims;
}

// util.go convertToPort.
std::optional<std::uint32_t> to_port(const std::string& v) {
  if (v.empty() || v.size() > 5 || !std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  const auto p = std::stoul(v);
  if (p > 65535) return std::nullopt;
  return static_cast<std::uint32_t>(p);
}

// generator.go: one value's matcher (non-extended generators); nullopt with `error` set when
// the value cannot be generated.
// generator.go: the generators that answer "<key> is HTTP only" on a TCP filter chain.
bool http_only(Attribute a) {
  switch (a) {
    case Attribute::kRequestPrincipal:
    case Attribute::kRequestAudiences:
    case Attribute::kRequestPresenter:
    case Attribute::kRequestHeader:
    case Attribute::kRequestClaims:
    case Attribute::kHost:
    case Attribute::kPath:
    case Attribute::kMethod:
      return true;
    default:
      return false;
  }
}

std::optional<RbacMatcher> generate_one(const KeyRule& r, const std::string& value, std::string& error) {
  using K = RbacMatcher::Kind;
  switch (r.attribute) {
    case Attribute::kDestIp:
    case Attribute::kSrcIp:
    case Attribute::kRemoteIp: {
      auto cidr = CidrRange::parse(value);
      if (!cidr) {
        error = "invalid IP address or CIDR range " + value;
        return std::nullopt;
      }
      RbacMatcher m = node(r.attribute == Attribute::kDestIp  ? K::kDestinationIp
                           : r.attribute == Attribute::kSrcIp ? K::kDirectRemoteIp
                                                              : K::kRemoteIp);
      m.cidr = *cidr;
      return m;
    }
    case Attribute::kDestPort: {
      auto port = to_port(value);
      if (!port) {
        error = "invalid port " + value;
        return std::nullopt;
      }
      RbacMatcher m = node(K::kDestinationPort);
      m.port = *port;
      return m;
    }
    case Attribute::kConnSni: {
      RbacMatcher m = node(K::kRequestedServerName);
      m.strings.push_back(string_matcher(value));
      return m;
    }
    case Attribute::kSrcNamespace: {
      std::string re;
      std::size_t start = 0;
      for (std::size_t star = value.find('*'); star != std::string::npos; star = value.find('*', start)) {
        re += quote_meta(value.substr(start, star - start)) + ".*";
        start = star + 1;
      }
      re += quote_meta(value.substr(start));
      return authenticated(regex(".*/ns/" + re + "/.*"));
    }
    case Attribute::kSrcServiceAccount: {
      const auto slash = value.find('/');
      const std::string ns = slash == std::string::npos ? r.policy_namespace : value.substr(0, slash);
      const std::string sa = slash == std::string::npos ? value : value.substr(slash + 1);
      return authenticated(regex("spiffe://.+/ns/" + quote_meta(ns) + "/(.+/|)sa/" + quote_meta(sa) + "(/.+)?"));
    }
    case Attribute::kSrcTrustDomain: {
      if (value == "*") return authenticated(prefix("spiffe://"));
      if (value.find('*') == std::string::npos) return authenticated(prefix("spiffe://" + value + "/"));
      const auto star = value.find('*');
      return authenticated(regex("spiffe://" + quote_meta(value.substr(0, star)) + "[^/]*" +
                                 quote_meta(value.substr(star + 1)) + "/.*"));
    }
    case Attribute::kSrcPrincipal:
      return authenticated(string_matcher(value, "spiffe://"));
    case Attribute::kRequestHeader: {
      auto name = name_in_brackets(r.key.substr(std::string("request.headers").size()));
      if (!name) {
        error = "expecting format [<NAME>], but found " + r.key.substr(std::string("request.headers").size());
        return std::nullopt;
      }
      std::string lower = *name;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return header(lower, value, false);
    }
    case Attribute::kHost:
      return header(":authority", value, true);
    case Attribute::kMethod:
      return header(":method", value, false);
    case Attribute::kPath: {
      if (value.find("{*}") != std::string::npos || value.find("{**}") != std::string::npos) {
        RbacMatcher m = node(K::kUriTemplate);
        m.name = value;
        m.regex = uri_template_regex(value);
        return m;
      }
      RbacMatcher m = node(K::kUrlPath);
      m.strings.push_back(string_matcher(value));
      return m;
    }
    default:
      break;
  }
  error = "unimplemented";
  return std::nullopt;
}

// generator.go requestPrincipalGenerator.extendedPrincipal: "iss/sub" with "*" at either end.
RbacMatcher request_principal(const std::string& value) {
  const auto idx = value.rfind('/');
  const bool found = idx != std::string::npos;
  const std::string iss = found ? value.substr(0, idx) : value, sub = found ? value.substr(idx + 1) : "";
  const RbacStringMatcher any = regex(".+");
  RbacStringMatcher match_iss = any, match_sub = any;
  if (value == "*") {
  } else if (!value.empty() && value.front() == '*') {
    if (found) {
      match_iss = iss == "*" ? any : suffix(iss.substr(1));
      match_sub = exact(sub);
    } else {
      match_sub = suffix(value.substr(1));
    }
  } else if (!value.empty() && value.back() == '*') {
    if (found) {
      match_iss = exact(iss);
      match_sub = sub == "*" ? any : prefix(sub.substr(0, sub.size() - 1));
    } else {
      match_iss = prefix(value.substr(0, value.size() - 1));
    }
  } else {
    match_iss = exact(iss);
    match_sub = exact(sub);
  }
  return with_children(RbacMatcher::Kind::kAnd,
                       {jwt_payload({"iss"}, {match_iss}, false), jwt_payload({"sub"}, {match_sub}, false)});
}

// An extended generator's one matcher for all values.
std::optional<RbacMatcher> generate_extended(const KeyRule& r, const std::vector<std::string>& values,
                                             std::string& error) {
  std::vector<RbacStringMatcher> any_of;
  for (const auto& v : values) any_of.push_back(string_matcher(v));
  switch (r.attribute) {
    case Attribute::kRequestPrincipal: {
      std::vector<RbacMatcher> alternatives;
      for (const auto& v : values) alternatives.push_back(request_principal(v));
      if (alternatives.size() == 1) return std::move(alternatives.front());
      return with_children(RbacMatcher::Kind::kOr, std::move(alternatives));
    }
    case Attribute::kRequestAudiences:
      return jwt_payload({"aud"}, std::move(any_of), true);
    case Attribute::kRequestPresenter:
      return jwt_payload({"azp"}, std::move(any_of), true);
    case Attribute::kRequestClaims: {
      auto claims = names_in_nested_brackets(r.key.substr(std::string("request.auth.claims").size()));
      if (!claims) {
        error = "expecting format [<NAME>], but found " + r.key.substr(std::string("request.auth.claims").size());
        return std::nullopt;
      }
      return jwt_payload(std::move(*claims), std::move(any_of), true);
    }
    case Attribute::kEnvoyFilter: {
      std::string rest = r.key.substr(std::string("experimental.").size());
      if (!rest.empty() && rest.back() == ']') rest.pop_back();
      if (rest.find('[') == std::string::npos) {
        error = "invalid key: " + r.key;
        return std::nullopt;
      }
      RbacMatcher m = node(RbacMatcher::Kind::kEnvoyMetadata);
      m.name = r.key;
      return m;
    }
    default:
      break;
  }
  error = "unimplemented";
  return std::nullopt;
}

// model.go rule.permission / rule.principal with checkError: nullopt when the rule must be
// skipped (ALLOW only); otherwise the matchers to AND.
std::optional<std::vector<RbacMatcher>> generate_rule(const KeyRule& r, RbacConfig::Action action, bool for_tcp,
                                                      std::vector<std::string>& notes) {
  std::vector<RbacMatcher> out;
  auto failed = [&](const std::string& error) {
    if (action == RbacConfig::Action::kAllow) return true;
    notes.push_back("ignored value of " + r.key + ": " + error);
    return false;
  };
  if (for_tcp && http_only(r.attribute)) {
    // Every value of the key fails the same way: ALLOW skips the rule, DENY and AUDIT drop the key.
    if (failed("\"" + r.key + "\" is HTTP only")) return std::nullopt;
    return out;
  }
  for (int negated = 0; negated < 2; ++negated) {
    const auto& values = negated ? r.not_values : r.values;
    if (values.empty()) continue;
    std::optional<RbacMatcher> m;
    if (r.extended) {
      std::string error;
      m = generate_extended(r, values, error);
      if (!m && failed(error)) return std::nullopt;
    } else {
      std::vector<RbacMatcher> any;
      for (const auto& v : values) {
        std::string error;
        auto one = generate_one(r, v, error);
        if (!one) {
          if (failed(error)) return std::nullopt;
          continue;
        }
        any.push_back(std::move(*one));
      }
      if (!any.empty()) m = with_children(RbacMatcher::Kind::kOr, std::move(any));
    }
    if (!m) continue;
    out.push_back(negated ? with_children(RbacMatcher::Kind::kNot, {std::move(*m)}) : std::move(*m));
  }
  return out;
}

// model.go Generate: one permission per `to` (or the `when` conditions alone), one principal per
// `from`; an empty list is "any".
std::optional<RbacPolicy> generate(const Model& m, RbacConfig::Action action, bool for_tcp,
                                   std::vector<std::string>& notes) {
  RbacPolicy p;
  for (int side = 0; side < 2; ++side) {
    for (const RuleList& list : side == 0 ? m.permissions : m.principals) {
      std::vector<RbacMatcher> all;
      for (const KeyRule& r : list) {
        auto matchers = generate_rule(r, action, for_tcp, notes);
        if (!matchers) return std::nullopt;
        for (auto& x : *matchers) all.push_back(std::move(x));
      }
      if (all.empty()) all.push_back(node(RbacMatcher::Kind::kAny));
      (side == 0 ? p.permissions : p.principals).push_back(with_children(RbacMatcher::Kind::kAnd, std::move(all)));
    }
  }
  return p;
}

bool uses_envoy_metadata(const model::AuthorizationRule& rule) {
  return std::any_of(rule.when.begin(), rule.when.end(), [](const model::AuthorizationCondition& c) {
    return c.key.rfind("experimental.envoy.filters.", 0) == 0;
  });
}

bool dry_run(const AuthorizationPolicy& p, std::vector<std::string>& notes) {
  auto it = p.meta.annotations.find("istio.io/dry-run");
  if (it == p.meta.annotations.end()) return false;
  const std::string& v = it->second;
  if (v == "1" || v == "t" || v == "T" || v == "TRUE" || v == "true" || v == "True") return true;
  if (!(v == "0" || v == "f" || v == "F" || v == "FALSE" || v == "false" || v == "False")) {
    notes.push_back("failed to parse the value of istio.io/dry-run: " + v);
  }
  return false;
}

// builder.go Builder.build for one action.
std::optional<RbacConfig> build_action(const std::vector<const AuthorizationPolicy*>& policies,
                                       RbacConfig::Action action, bool for_tcp, std::vector<std::string>& notes) {
  if (policies.empty()) return std::nullopt;
  RbacConfig config;
  config.action = action;
  for (const AuthorizationPolicy* policy : policies) {
    const bool shadow = dry_run(*policy, notes);
    auto& target = shadow ? config.shadow_policies : config.policies;
    if (!shadow) config.enforced = true;
    const std::string& ns = policy->meta.namespace_;
    const std::string ref = ns + "/" + policy->meta.name;
    auto name_of = [&](int i) {
      return "ns[" + ns + "]-policy[" + policy->meta.name + "]-rule[" + std::to_string(i) + "]";
    };
    for (std::size_t i = 0; i < policy->rules.size(); ++i) {
      const std::string name = name_of(static_cast<int>(i));
      std::string error;
      auto m = new_model(policy->rules[i], ns, error);
      if (!m) {
        notes.push_back("skipped invalid rule " + name + ": " + error);
        continue;
      }
      auto generated = generate(*m, action, for_tcp, notes);
      if (!generated) {
        notes.push_back("skipped rule " + name + (for_tcp ? " on TCP filter chain" : "") +
                        ": a value could not be generated");
        continue;
      }
      generated->name = name;
      generated->policy = ref;
      generated->rule = static_cast<int>(i);
      target.push_back(std::move(*generated));
    }
    if (policy->rules.empty()) {
      // rbacPolicyMatchNever: permission not(any), principal not(any).
      RbacPolicy never;
      never.name = name_of(0);
      never.policy = ref;
      never.permissions.push_back(with_children(RbacMatcher::Kind::kNot, {node(RbacMatcher::Kind::kAny)}));
      never.principals.push_back(with_children(RbacMatcher::Kind::kNot, {node(RbacMatcher::Kind::kAny)}));
      target.push_back(std::move(never));
    }
  }
  auto by_name = [](const RbacPolicy& a, const RbacPolicy& b) { return a.name < b.name; };
  std::sort(config.policies.begin(), config.policies.end(), by_name);
  std::sort(config.shadow_policies.begin(), config.shadow_policies.end(), by_name);
  return config;
}

}  // namespace

bool CidrRange::contains(std::string_view ip) const {
  std::array<std::uint8_t, 16> bytes{};
  const std::string text(ip);
  bool is_v6 = false;
  if (inet_pton(AF_INET, text.c_str(), bytes.data()) != 1) {
    if (inet_pton(AF_INET6, text.c_str(), bytes.data()) != 1) return false;
    is_v6 = true;
  }
  if (is_v6 != v6) return false;
  for (unsigned bit = 0; bit < prefix_len; ++bit) {
    const unsigned mask = 0x80u >> (bit % 8);
    if ((bytes[bit / 8] & mask) != (address[bit / 8] & mask)) return false;
  }
  return true;
}

std::optional<CidrRange> CidrRange::parse(std::string_view text) {
  CidrRange r;
  std::string ip(text);
  std::optional<unsigned> bits;
  if (auto slash = ip.find('/'); slash != std::string::npos) {
    const std::string b = ip.substr(slash + 1);
    ip.resize(slash);
    if (b.empty() || b.size() > 3 || (b.size() > 1 && b[0] == '0') ||
        !std::all_of(b.begin(), b.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return std::nullopt;
    }
    bits = static_cast<unsigned>(std::stoul(b));
  }
  if (inet_pton(AF_INET, ip.c_str(), r.address.data()) == 1) {
    r.v6 = false;
  } else if (inet_pton(AF_INET6, ip.c_str(), r.address.data()) == 1) {
    r.v6 = true;
  } else {
    return std::nullopt;
  }
  const unsigned max = r.v6 ? 128 : 32;
  if (bits && *bits > max) return std::nullopt;
  r.prefix_len = bits.value_or(max);
  return r;
}

bool RbacStringMatcher::matches(std::string_view candidate) const {
  auto eq = [&](std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    return ignore_case ? iequals(a, b) : a == b;
  };
  switch (kind) {
    case Kind::kExact:
      return eq(candidate, value);
    case Kind::kPrefix:
      return candidate.size() >= value.size() && eq(candidate.substr(0, value.size()), value);
    case Kind::kSuffix:
      return candidate.size() >= value.size() && eq(candidate.substr(candidate.size() - value.size()), value);
    case Kind::kRegex:
      // Istio writes "*" (any value) as the regex ".+"; its answer without RE2 ("." is not "\n").
      if (value == ".+") return !candidate.empty() && candidate.find('\n') == std::string_view::npos;
      return regex && RE2::FullMatch(re2::StringPiece(candidate.data(), candidate.size()), *regex);
  }
  return false;
}

bool authorization_applies(const AuthorizationPolicy& policy, const GatewayProxy& proxy) {
  const std::string& ns = policy.meta.namespace_;
  if (ns != detail::kRootNamespace && ns != proxy.namespace_) return false;
  // isSelected: no selector, or its labels a subset of the workload's.
  auto selected = [&] { return !policy.selector || model::selects(*policy.selector, proxy.labels); };
  std::vector<model::AuthorizationTargetRef> refs;
  if (policy.target_ref)
    refs.push_back(*policy.target_ref);
  else
    refs = policy.target_refs;
  auto gateway_name = proxy.labels.find("gateway.networking.k8s.io/gateway-name");
  // An Istio ingress gateway (not deployed for a Gateway API Gateway): targetRefs make the
  // policy ignored, the selector decides.
  if (gateway_name == proxy.labels.end()) return refs.empty() && selected();
  // A Gateway API gateway: without targetRefs the selector decides
  // (ENABLE_SELECTOR_BASED_K8S_GATEWAY_POLICY, on by default); else a targetRef to its Gateway,
  // in its namespace.
  if (refs.empty()) return selected();
  for (const auto& ref : refs) {
    if (ns != proxy.namespace_) continue;
    if (!ref.namespace_.empty() && ref.namespace_ != proxy.namespace_) continue;
    if (ref.group == "gateway.networking.k8s.io" && ref.kind == "Gateway" && ref.name == gateway_name->second) {
      return true;
    }
  }
  return false;
}

std::shared_ptr<const AuthorizationConfig> build_authorization(const model::ConfigSnapshot& snapshot,
                                                               const GatewayProxy& proxy,
                                                               std::vector<UnsimulatedRef>& unsimulated) {
  // GetAuthorizationPolicies: oldest first (sortConfigByCreationTime).
  std::vector<const AuthorizationPolicy*> applied;
  for (const auto& p : snapshot.authorization_policies) {
    if (authorization_applies(p, proxy)) applied.push_back(&p);
  }
  if (applied.empty()) return nullptr;
  std::stable_sort(applied.begin(), applied.end(),
                   [](const AuthorizationPolicy* a, const AuthorizationPolicy* b) { return detail::older(*a, *b); });
  std::vector<const AuthorizationPolicy*> audit, deny, allow;
  for (const AuthorizationPolicy* p : applied) {
    if (p->action == "CUSTOM") {
      unsimulated.push_back(
          {"AuthorizationPolicy", p->meta.namespace_, p->meta.name, "CUSTOM action: an external authorizer decides"});
      continue;
    }
    if (std::any_of(p->rules.begin(), p->rules.end(), uses_envoy_metadata)) {
      unsimulated.push_back({"AuthorizationPolicy", p->meta.namespace_, p->meta.name,
                             "reads Envoy dynamic metadata (experimental.envoy.filters.*), which gwsim does not have"});
    }
    (p->action == "DENY" ? deny : p->action == "AUDIT" ? audit : allow).push_back(p);
  }
  std::sort(unsimulated.begin(), unsimulated.end());
  unsimulated.erase(std::unique(unsimulated.begin(), unsimulated.end()), unsimulated.end());
  auto config = std::make_shared<AuthorizationConfig>();
  config->audit = build_action(audit, RbacConfig::Action::kLog, false, config->notes);
  config->deny = build_action(deny, RbacConfig::Action::kDeny, false, config->notes);
  config->allow = build_action(allow, RbacConfig::Action::kAllow, false, config->notes);
  if (!config->audit && !config->deny && !config->allow) return nullptr;
  // BuildTCP: the same policies for the TCP filter chains. Istio logs what it skips there at
  // debug level only, so those notes are not warnings.
  auto tcp = std::make_shared<AuthorizationConfig>();
  tcp->audit = build_action(audit, RbacConfig::Action::kLog, true, tcp->notes);
  tcp->deny = build_action(deny, RbacConfig::Action::kDeny, true, tcp->notes);
  tcp->allow = build_action(allow, RbacConfig::Action::kAllow, true, tcp->notes);
  config->tcp = std::move(tcp);
  return config;
}

void build_authorization(const model::ConfigSnapshot& snapshot, RouteTable& table) {
  table.authorization = build_authorization(snapshot, table.proxy, table.unsimulated);
  if (!table.authorization) return;
  const auto& notes = table.authorization->notes;  // what Istio's AuthzLogger reports
  table.warnings.insert(table.warnings.end(), notes.begin(), notes.end());
}

}  // namespace gwsim::route
