#include "engine/kube_ingress/controller.h"

namespace gwsim::kube_ingress {

// Not yet: the snapshot holds no Ingress objects (engine/model/kinds.cc marks the kind stored,
// not simulated), so there is nothing to translate.
model::GeneratedConfig convert(const model::ConfigSnapshot&) { return {}; }

}  // namespace gwsim::kube_ingress
