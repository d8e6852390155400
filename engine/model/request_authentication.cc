#include "engine/model/request_authentication.h"

#include "engine/model/json_fields.h"

namespace gwsim::model {

namespace {

// Istio objects are schema-checked before they are read: a wrong type reads as absent here.
std::vector<std::string> strings_of(const Json& o, const char* key) {
  std::vector<std::string> out;
  const Json& v = member(o, key);
  if (!v.is_array()) return out;
  for (const auto& item : v)
    if (item.is_string()) out.push_back(item.get<std::string>());
  return out;
}

PolicyTargetReference read_target_ref(const Json& j) {
  return {string_member(j, "group"), string_member(j, "kind"), string_member(j, "name"), string_member(j, "namespace")};
}

JwtRule read_jwt_rule(const Json& j) {
  JwtRule rule;
  rule.issuer = string_member(j, "issuer");
  rule.audiences = strings_of(j, "audiences");
  rule.jwks_uri = string_member(j, "jwksUri");
  if (rule.jwks_uri.empty()) rule.jwks_uri = string_member(j, "jwks_uri");
  rule.jwks = string_member(j, "jwks");
  for (const auto& h : member(j, "fromHeaders").is_array() ? member(j, "fromHeaders") : Json::array())
    rule.from_headers.push_back({string_member(h, "name"), string_member(h, "prefix")});
  rule.from_params = strings_of(j, "fromParams");
  rule.from_cookies = strings_of(j, "fromCookies");
  rule.output_payload_to_header = string_member(j, "outputPayloadToHeader");
  const Json& forward = member(j, "forwardOriginalToken");
  rule.forward_original_token = forward.is_boolean() && forward.get<bool>();
  for (const auto& c : member(j, "outputClaimToHeaders").is_array() ? member(j, "outputClaimToHeaders") : Json::array())
    rule.output_claim_to_headers.push_back({string_member(c, "header"), string_member(c, "claim")});
  rule.space_delimited_claims = strings_of(j, "spaceDelimitedClaims");
  return rule;
}

}  // namespace

RequestAuthentication read_request_authentication(const Object& object, Meta meta,
                                                  std::vector<RequestAuthenticationProblem>& problems) {
  RequestAuthentication ra;
  ra.meta = std::move(meta);
  const Json& spec = member(object.doc, "spec");
  const Json& selector = member(spec, "selector");
  if (selector.is_object()) {
    Labels labels;
    const Json& match = member(selector, "matchLabels");
    if (match.is_object()) {
      for (const auto& [k, v] : match.items())
        if (v.is_string()) labels[k] = v.get<std::string>();
    }
    ra.selector = std::move(labels);
  }
  if (member(spec, "targetRef").is_object()) ra.target_refs.push_back(read_target_ref(member(spec, "targetRef")));
  if (member(spec, "targetRefs").is_array()) {
    for (const auto& t : member(spec, "targetRefs")) ra.target_refs.push_back(read_target_ref(t));
  }
  const Json& rules = member(spec, "jwtRules");
  if (!rules.is_null() && !rules.is_array()) {
    problems.push_back({"/spec/jwtRules", "spec.jwtRules: expected a list, got " + rules.dump()});
  } else if (rules.is_array()) {
    for (const auto& r : rules) ra.jwt_rules.push_back(read_jwt_rule(r));
  }
  return ra;
}

std::optional<JwksDocument> read_jwks_document(const Object& object, Meta meta) {
  auto it = meta.annotations.find(kJwksUriAnnotation);
  if (it == meta.annotations.end()) return std::nullopt;
  JwksDocument doc;
  doc.uri = it->second;
  doc.jwks = string_member(member(object.doc, "data"), "jwks");
  doc.meta = std::move(meta);
  return doc;
}

}  // namespace gwsim::model
