// Istio's webhook for security.istio.io RequestAuthentication: pkg/config/validation/
// validation.go ValidateRequestAuthentication (validateOneOfSelectorType,
// validateWorkloadSelector, validatePolicyTargetReference(s), validateJwtRule,
// warnPrivateJwksKeys), with Istio's messages. Expects a spec that passed the CRD schema check.
#pragma once

#include "engine/model/object.h"
#include "engine/validation/detail_rules.h"

namespace gwsim::validation {

detail::Errors validate_request_authentication(const model::Json& spec);

}  // namespace gwsim::validation
