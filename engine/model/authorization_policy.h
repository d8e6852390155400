// AuthorizationPolicy (security.istio.io v1, v1beta1) as written: the fields of istio.io/api's
// security/v1beta1/authorization.proto that Istio's authz builder reads
// (pilot/pkg/security/authz/model/model.go New). Read after the CRD schema check, so a field is
// either absent or of its declared type; "set" flags keep what the webhook tells apart (an empty
// list written out, `rules: []`, from one left out).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/model/k8s.h"
#include "engine/model/object.h"

namespace gwsim::model {

// istio.type.v1beta1.PolicyTargetReference.
struct AuthorizationTargetRef {
  std::string group;
  std::string kind;
  std::string name;
  std::string namespace_;
};

// Rule.From.source (authorization.proto Source).
struct AuthorizationSource {
  std::vector<std::string> principals, not_principals;
  std::vector<std::string> request_principals, not_request_principals;
  std::vector<std::string> namespaces, not_namespaces;
  std::vector<std::string> service_accounts, not_service_accounts;
  std::vector<std::string> trust_domains, not_trust_domains;
  std::vector<std::string> ip_blocks, not_ip_blocks;
  std::vector<std::string> remote_ip_blocks, not_remote_ip_blocks;
};

struct AuthorizationFrom {
  std::optional<AuthorizationSource> source;  // nullopt: `source` not written
};

// Rule.To.operation (authorization.proto Operation).
struct AuthorizationOperation {
  std::vector<std::string> hosts, not_hosts;
  std::vector<std::string> ports, not_ports;
  std::vector<std::string> methods, not_methods;
  std::vector<std::string> paths, not_paths;
};

struct AuthorizationTo {
  std::optional<AuthorizationOperation> operation;
};

// Condition: `key` with values / notValues.
struct AuthorizationCondition {
  std::string key;
  std::vector<std::string> values;
  std::vector<std::string> not_values;
};

struct AuthorizationRule {
  bool from_set = false;  // `from` written (possibly empty)
  std::vector<AuthorizationFrom> from;
  bool to_set = false;
  std::vector<AuthorizationTo> to;
  std::vector<AuthorizationCondition> when;
};

struct AuthorizationPolicy {
  Meta meta;
  std::optional<Labels> selector;  // spec.selector.matchLabels; nullopt: no selector
  bool selector_set = false;       // spec.selector written, with or without labels
  std::optional<AuthorizationTargetRef> target_ref;
  std::vector<AuthorizationTargetRef> target_refs;
  std::string action = "ALLOW";  // ALLOW | DENY | AUDIT | CUSTOM (unset: ALLOW)
  bool provider_set = false;
  std::string provider;    // provider.name (CUSTOM)
  bool rules_set = false;  // `rules` written (possibly empty)
  std::vector<AuthorizationRule> rules;
};

// Reads spec.* of an AuthorizationPolicy (its metadata already read into `meta`). Fields of the
// wrong type (only possible when the schema check was skipped) are appended to `problems` as
// JSON pointer and message.
struct AuthorizationReadProblem {
  std::string pointer;
  std::string message;
};
AuthorizationPolicy read_authorization_policy(const Object& object, Meta meta,
                                              std::vector<AuthorizationReadProblem>& problems);

}  // namespace gwsim::model
