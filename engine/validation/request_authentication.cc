#include "engine/validation/request_authentication.h"

#include <re2/re2.h>

#include "engine/jwt/jwks.h"
#include "engine/validation/detail_fields.h"

namespace gwsim::validation {

namespace {

using namespace detail;  // NOLINT: the rule helpers

// validateOneOfSelectorType
void one_of_selector_type(Errors& e, const Json& spec) {
  int set = has(spec, "selector") + has(spec, "targetRef") + !list(spec, "targetRefs").empty();
  if (set > 1) e.add("only one of targetRefs or workloadSelector can be set");
}

// validateWorkloadSelector (Go walks the map in random order; we walk it sorted).
void workload_selector(Errors& e, const Json& spec) {
  const Json* selector = get(spec, "selector");
  if (!selector) return;
  const Json& labels = members(*selector, "matchLabels");
  for (const auto& [k, v] : labels.items()) {
    const std::string value = v.is_string() ? v.get<std::string>() : std::string();
    if (k.empty()) e.add("empty key is not supported in selector: " + go_quote(k + "=" + value));
    if (k.find('*') != std::string::npos || value.find('*') != std::string::npos)
      e.add("wildcard is not supported in selector: " + go_quote(k + "=" + value));
  }
  if (labels.empty()) e.warn("workload selector specified without labels");
}

// validatePolicyTargetReference; allowedTargetRefs printed as Go prints a []GroupVersionKind.
void target_reference(Errors& e, const Json& ref) {
  if (string_member(ref, "name").empty()) e.add("targetRef name must be set");
  if (!string_member(ref, "namespace").empty())
    e.add("targetRef namespace must not be set; cross namespace referencing is not supported");
  const std::string group = string_member(ref, "group");
  const std::string canonical = group.empty() ? "core" : group;
  const std::string kind = string_member(ref, "kind");
  const bool allowed = (canonical == "core" && kind == "Service") ||
                       (canonical == "networking.istio.io" && kind == "ServiceEntry") ||
                       (canonical == "gateway.networking.k8s.io" && (kind == "Gateway" || kind == "GatewayClass"));
  if (!allowed) {
    e.add(
        "targetRef must be to one of [core/v1/Service networking.istio.io/v1/ServiceEntry "
        "gateway.networking.k8s.io/v1/Gateway gateway.networking.k8s.io/v1/GatewayClass] but was " +
        group + "/" + kind);
  }
}

// security.ParseJwksURI (the CRD's rule already required http:// or https://): Go's url.Parse
// refuses a port that is not a number.
std::optional<std::string> parse_jwks_uri(const std::string& uri) {
  const std::size_t scheme_end = uri.find("://");
  if (scheme_end == std::string::npos) return "URI scheme \"\" is not supported";
  const std::string scheme = uri.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") return "URI scheme " + go_quote(scheme) + " is not supported";
  std::string host = uri.substr(scheme_end + 3);
  host = host.substr(0, host.find_first_of("/?#"));
  if (auto at = host.rfind('@'); at != std::string::npos) host = host.substr(at + 1);
  const std::size_t bracket = host.rfind(']');
  const std::size_t colon = host.rfind(':');
  if (colon != std::string::npos && (bracket == std::string::npos || colon > bracket)) {
    const std::string port = host.substr(colon + 1);
    for (char c : port) {
      if (c < '0' || c > '9')
        return "parse " + go_quote(uri) + ": invalid port " + go_quote(":" + port) + " after host";
    }
  }
  return std::nullopt;
}

// validateJwtRule: every error is appended with multierror.Append (a list).
void jwt_rule(Errors& e, const Json& rule) {
  for (const auto& aud : strings(rule, "audiences")) {
    if (aud.empty()) e.add_listed("audience must be non-empty string");
  }
  std::string jwks_uri = string_member(rule, "jwksUri");
  if (jwks_uri.empty()) jwks_uri = string_member(rule, "jwks_uri");
  if (string_member(rule, "issuer").empty() && jwks_uri.empty())
    e.add_listed("issuer or jwksUri must be non-empty string");
  if (!jwks_uri.empty()) {
    if (auto err = parse_jwks_uri(jwks_uri)) e.add_listed(*err);
  }
  const std::string jwks = string_member(rule, "jwks");
  if (!jwks.empty()) {
    // jwk.Parse (lestrrat-go/jwx): gwsim words its reason as jwt_verify_lib would.
    const jwt::Jwks parsed = jwt::Jwks::from_json(jwks);
    if (parsed.status() != jwt::Status::kOk)
      e.add_listed("jwks parse error: " + std::string(jwt::status_text(parsed.status())));
  }
  for (const auto& location : list(rule, "fromHeaders")) {
    if (string_member(location, "name").empty()) e.add_listed("location header name must be non-empty string");
  }
  for (const auto& param : strings(rule, "fromParams")) {
    if (param.empty()) e.add_listed("location query must be non-empty string");
  }
  for (const auto& cookie : strings(rule, "fromCookies")) {
    if (cookie.empty()) e.add_listed("cookie name must be non-empty string");
  }
  static const RE2 kStrictHeaderName("^[-_A-Za-z0-9]+$");
  for (const auto& c : list(rule, "outputClaimToHeaders")) {
    const std::string claim = string_member(c, "claim");
    const std::string header = string_member(c, "header");
    if (claim.empty() || header.empty()) {
      e.add_listed("outputClaimToHeaders header and claim value must be non-empty string");
      continue;
    }
    // ValidateStrictHTTPHeaderName
    if (!RE2::FullMatch(header, kStrictHeaderName))
      e.add_listed("header name " + header + " is not a valid header name");
  }
  if (has(rule, "timeout")) {
    if (auto err = validate_duration(duration_ns(rule, "timeout"))) e.add_listed(*err);
  }
}

// warnPrivateJwksKeys
void private_jwks_keys(Errors& e, const Json& rule) {
  const std::string jwks = string_member(rule, "jwks");
  if (jwks.empty()) return;
  const Json doc = Json::parse(jwks, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("keys") || !doc["keys"].is_array()) return;
  int i = 0;
  for (const auto& key : doc["keys"]) {
    if (key.is_object() && (key.contains("d") || string_member(key, "kty") == "oct")) {
      e.warn("jwks key at index " + std::to_string(i) +
             " contains private key material; only public keys are used for verification");
    }
    ++i;
  }
}

}  // namespace

Errors validate_request_authentication(const Json& spec) {
  Errors e;
  one_of_selector_type(e, spec);
  workload_selector(e, spec);
  if (const Json* ref = get(spec, "targetRef")) target_reference(e, *ref);
  for (const auto& ref : list(spec, "targetRefs")) target_reference(e, ref);
  for (const auto& rule : list(spec, "jwtRules")) {
    Errors r;
    jwt_rule(r, rule);
    e.add(r);
    private_jwks_keys(e, rule);
  }
  return e;
}

}  // namespace gwsim::validation
