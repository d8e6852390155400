// Istio's GatewayClass controllers (pilot/pkg/config/kube/gatewaycommon): the built-in classes
// an Istio install creates (classinfo.go GetBuiltinGatewayClasses and GetClassInfos, with the
// default features: PILOT_MULTI_NETWORK_DISCOVER_GATEWAY_API on, ambient off), the
// ClassController that creates a missing one again (gatewayclass.go reconcileClass), and the
// status Istio writes on every GatewayClass of a controller it knows (GetClassStatus).
// istiod does this, not Kubernetes; gwsim runs it with the other controllers (controllers.h).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "fakes/store/api_store.h"

namespace gwsim::fakes {

// features.ManagedGatewayController and constants.UnmanagedGatewayController.
inline constexpr const char* kIstioGatewayController = "istio.io/gateway-controller";
inline constexpr const char* kIstioUnmanagedGatewayController = "istio.io/unmanaged-gateway";
// The label Istio puts on what its deployment controller writes (constants.ManagedGatewayControllerLabel).
inline constexpr const char* kIstioGatewayControllerLabel = "istio.io-gateway-controller";

// A controller Istio handles (ClassInfo): its built-in class, description, and the template its
// Gateways are deployed with ("" = none: the class deploys nothing).
struct IstioGatewayClass {
  const char* name;         // "istio"
  const char* controller;   // "istio.io/gateway-controller"
  const char* description;  // spec.description of the class Istio creates
  const char* templates;    // "kube-gateway", or ""
  const char* default_service_type;
};

// istio (istio.io/gateway-controller, "The default Istio GatewayClass", deployed with
// kube-gateway, Service type LoadBalancer) and istio-remote (istio.io/unmanaged-gateway,
// "Remote to this cluster. Does not deploy or affect configuration.").
const std::vector<IstioGatewayClass>& istio_gateway_classes();

// The class info of a controller name, or nullptr when Istio does not handle it.
const IstioGatewayClass* istio_class_for_controller(std::string_view controller);
// The built-in class of that name, or nullptr.
const IstioGatewayClass* istio_builtin_class(std::string_view name);

// ClassController.Reconcile: creates each built-in GatewayClass that does not exist (an existing
// one is left as it is, whatever it says). Returns the number of objects written.
int create_builtin_gateway_classes(ApiStore& store);

// GetClassStatus on every GatewayClass whose controllerName Istio handles: condition Accepted
// True, reason Accepted, message "Handled by Istio controller", observedGeneration the class's
// generation; kept as is when already so (kstatus.UpdateConditionIfChanged), other conditions
// and status fields kept. Returns the number of objects written.
int write_gateway_class_status(ApiStore& store);

}  // namespace gwsim::fakes
