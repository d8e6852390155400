// Istio's webhook for AuthorizationPolicy: pkg/config/validation/validation.go
// ValidateAuthorizationPolicy (with validateOneOfSelectorType, validateWorkloadSelector,
// validatePolicyTargetReference(s)), checkDryRunAnnotation, and the helpers of
// pkg/config/security/security.go (ValidateAttribute, ValidateIPs, ValidatePorts,
// CheckEmptyValues, CheckServiceAccount, CheckTrustDomainValues, CheckValidPathTemplate), with
// Istio's messages.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/model/object.h"
#include "engine/validation/detail_rules.h"

namespace gwsim::validation::detail {

// ValidateAuthorizationPolicy for an object whose spec passed the CRD schema check; `ns` is its
// namespace ("default" when unset). Every error carries Istio's prefix
// "invalid policy <name>.<ns>:".
Errors validate_authorization_policy(const model::Object& object, const std::string& ns);

// checkDryRunAnnotation for an AuthorizationPolicy: the istio.io/dry-run annotation's value
// must parse as a Go bool, and only ALLOW and DENY policies may carry it. nullopt: fine.
std::optional<std::string> check_authorization_dry_run(const model::Object& object, const std::string& ns);

// pkg/config/security/security.go, exposed for their unit tests.
Errors validate_ips(const std::vector<std::string>& ips);
Errors validate_ports(const std::vector<std::string>& ports);
std::optional<std::string> validate_attribute(const std::string& key, const std::vector<std::string>& values);
std::optional<std::string> check_valid_path_template(const std::string& key, const std::vector<std::string>& paths);

}  // namespace gwsim::validation::detail
