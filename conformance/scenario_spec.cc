#include "conformance/scenario_spec.h"

namespace gwsim::conformance {

const char* Step::action_name() const {
  switch (action.index()) {
    case 0: return "request";
    case 1: return "apply";
    case 2: return "delete";
    case 3: return "scale";
    case 4: return "pods";
    default: return "object";
  }
}

}  // namespace gwsim::conformance
