#include "runtime/analysis_input.h"

#include <utility>

#include "engine/validation/admission.h"
#include "runtime/control_plane.h"

namespace gwsim::runtime {

analysis::Input analysis_input(std::vector<model::Object> objects) {
  analysis::Input input;
  // The admitted objects are lent to the control plane (moved there and back, not copied).
  std::vector<AdmittedObject> admitted;
  std::vector<std::size_t> admitted_from;  // admitted[k] came from objects[admitted_from[k]]
  input.admissions.reserve(objects.size());
  for (std::size_t i = 0; i < objects.size(); ++i) {
    input.admissions.push_back(validation::admit(objects[i]));
    if (!input.admissions.back().ok()) continue;
    admitted.push_back({std::move(objects[i]), input.admissions.back()});
    admitted_from.push_back(i);
  }
  ControlPlane cluster;
  cluster.apply(admitted);
  cluster.install_default_gateway_if_missing();
  cluster.read_snapshot([&](const model::ConfigSnapshot& snapshot) { input.snapshot = snapshot; });
  for (std::size_t k = 0; k < admitted.size(); ++k) objects[admitted_from[k]] = std::move(admitted[k].object);
  input.objects = std::move(objects);
  return input;
}

}  // namespace gwsim::runtime
