#include "engine/kube_gateway/controller.h"

namespace gwsim::kube_gateway {

// Not yet: the snapshot holds no Gateway API objects (engine/model/kinds.cc marks the kinds
// stored, not simulated), so there is nothing to translate.
model::GeneratedConfig convert(const model::ConfigSnapshot&) { return {}; }

}  // namespace gwsim::kube_gateway
