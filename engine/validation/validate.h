// Istio's validating webhook ("validation.istio.io") for the resources gwsim reads: the same
// checks, the same messages (pkg/config/validation in Istio), one file per kind. It expects an
// object that passed the CRD schema check: call admission.h's admit(), which runs both in order.
#pragma once

#include <string>
#include <vector>

#include "engine/model/object.h"

namespace gwsim::validation {

struct ValidationReport {
  std::vector<std::string> errors;    // any error: the object is refused
  std::vector<std::string> warnings;  // accepted, but Istio would warn
  bool ok() const { return errors.empty(); }
  // Whether Istio reports `errors` as a list ("N errors occurred: ..."), which it also does for a
  // single error that was born in a list (e.g. "attempts cannot be negative").
  bool error_list = false;
  // The webhook's reason for the denial (pkg/webhooks/validation/server):
  // "configuration is invalid: ..."; "" when there are no errors.
  std::string webhook_message() const;
};

// Kinds Istio's webhook validates here (networking.istio.io Gateway, VirtualService,
// DestinationRule, ServiceEntry).
bool is_webhook_kind(const std::string& group, const std::string& kind);

// Istio's webhook on one object. Objects of other kinds always pass.
ValidationReport validate(const model::Object& object);

}  // namespace gwsim::validation
