#include "runtime/analysis_input.h"

#include <utility>

#include "engine/validation/admission.h"
#include "runtime/control_plane.h"

namespace gwsim::runtime {

analysis::Input analysis_input(std::vector<model::Object> objects) {
  analysis::Input input;
  std::vector<AdmittedObject> admitted;
  input.admissions.reserve(objects.size());
  for (const auto& object : objects) {
    input.admissions.push_back(validation::admit(object));
    if (input.admissions.back().ok()) admitted.push_back({object, input.admissions.back()});
  }
  ControlPlane cluster;
  cluster.apply(admitted);
  cluster.install_default_gateway_if_missing();
  cluster.read_snapshot([&](const model::ConfigSnapshot& snapshot) { input.snapshot = snapshot; });
  input.objects = std::move(objects);
  return input;
}

}  // namespace gwsim::runtime
