// Istio's validating webhook, for the resources gwsim reads: the same checks, the same
// messages (pkg/config/validation in Istio). Used at apply time: a rejected object is not stored.
#pragma once

#include <string>
#include <vector>

#include "engine/model/object.h"

namespace gwsim::validation {

struct ValidationReport {
  std::vector<std::string> errors;    // any error: the object is refused
  std::vector<std::string> warnings;  // accepted, but Istio would warn
  bool ok() const { return errors.empty(); }
  // The message the API server returns, in the webhook's words:
  // admission webhook "validation.istio.io" denied the request: configuration is invalid: ...
  std::string denial_message() const;

  // Set when the API server itself refuses the object before Istio's webhook sees it (the CRD
  // schema: unknown fields under strict field validation, wrong types, enums, required fields,
  // CEL rules). `errors` then holds the field errors and denial_message() returns this text.
  std::string api_server_message;
  // Whether Istio reports `errors` as a list ("N errors occurred: ..."), which it also does for a
  // single error that was born in a list (e.g. "attempts cannot be negative").
  bool error_list = false;
};

// Validate one object. Objects of kinds Istio does not validate always pass.
ValidationReport validate(const model::Object& object);

}  // namespace gwsim::validation
