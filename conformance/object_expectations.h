// Checking an `object` step's expect against the object read from the simulated cluster: its
// existence, status.conditions, a Gateway's status.listeners and status.addresses, a route's
// status.parents (Gateway API status, as the conformance suite's kubernetes helpers read it:
// conformance/utils/kubernetes/helpers.go), and exact values at dotted paths.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "conformance/expectations.h"
#include "conformance/scenario_spec.h"
#include "engine/model/object.h"

namespace gwsim::conformance {

// `object` is the stored object (nullopt when there is none); `namespace_` is the namespace
// it was asked in (a parentRef without a namespace means the route's own).
std::vector<Mismatch> check_object(const ObjectExpectation& expect, const std::optional<model::Json>& object,
                                   const std::string& namespace_);

// The value at a dotted path ("spec.replicas", "status.conditions.0.type": a number indexes a
// list); nullptr when there is none.
const model::Json* json_at(const model::Json& object, const std::string& dotted_path);

}  // namespace gwsim::conformance
