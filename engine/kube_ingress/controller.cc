#include "engine/kube_ingress/controller.h"

#include "engine/kube_ingress/gateways.h"
#include "engine/kube_ingress/supported_ingresses.h"
#include "engine/kube_ingress/virtual_services.h"

namespace gwsim::kube_ingress {

model::GeneratedConfig convert(const model::ConfigSnapshot& snapshot) { return convert(snapshot, MeshIngressConfig{}); }

// NewController: SupportedIngresses feeds the status, the Gateways and the rules the
// VirtualServices are built from.
model::GeneratedConfig convert(const model::ConfigSnapshot& snapshot, const MeshIngressConfig& mesh) {
  model::GeneratedConfig out;
  const std::vector<const model::Ingress*> supported = supported_ingresses(snapshot, mesh);
  if (supported.empty()) return out;
  for (const model::Ingress* ingress : supported)
    out.gateways.push_back(convert_ingress_gateway(*ingress, mesh, out.warnings));
  out.virtual_services = convert_ingress_virtual_services(supported, snapshot, mesh, out.warnings);

  std::string note;
  const model::Json status = ingress_status(running_addresses(snapshot, mesh, &note));
  if (!note.empty()) out.warnings.push_back(note);
  for (const model::Ingress* ingress : supported)
    out.statuses.push_back(
        {model::kKubernetesNetworkingGroup, "Ingress", ingress->meta.namespace_, ingress->meta.name, status});
  return out;
}

}  // namespace gwsim::kube_ingress
