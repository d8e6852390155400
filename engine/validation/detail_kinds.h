// Istio's webhook, one function per kind (gateway.cc, virtual_service.cc, destination_rule.cc,
// service_entry.cc); validate() picks one. Each expects a spec that passed the CRD schema check.
#pragma once

#include <string>

#include "engine/model/object.h"
#include "engine/validation/detail_rules.h"

namespace gwsim::validation::detail {

// pkg/config/validation/validation.go ValidateGateway.
Errors validate_gateway(const model::Object& object, const model::Json& spec);
// ValidateVirtualService.
Errors validate_virtual_service(const model::Object& object, const model::Json& spec);
// ValidateDestinationRule; `ns`: the object's namespace ("default" when unset).
Errors validate_destination_rule(const std::string& ns, const model::Json& spec);
// ValidateServiceEntry.
Errors validate_service_entry(const model::Object& object, const std::string& ns, const model::Json& spec);

}  // namespace gwsim::validation::detail
