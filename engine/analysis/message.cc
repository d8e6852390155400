#include "engine/analysis/message.h"

#include <stdexcept>
#include <unordered_map>

#include "engine/text/ascii.h"

namespace gwsim::analysis {

std::string_view level_name(Level level) {
  switch (level) {
    case Level::kInfo: return "Info";
    case Level::kWarning: return "Warning";
    case Level::kError: return "Error";
  }
  return "Info";
}

std::optional<Level> parse_level(std::string_view text) {
  for (Level level : {Level::kInfo, Level::kWarning, Level::kError})
    if (text::iequals(text, level_name(level))) return level;
  return std::nullopt;
}

const std::vector<MessageType>& message_types() {
  static const std::vector<MessageType> types = {
    // Istio's, as pkg/config/analysis/msg/messages.yaml defines them (code, name, level, template).
    {"IST0001", "InternalError", Level::kError, "Internal error: %v"},
    {"IST0002", "Deprecated", Level::kWarning, "Deprecated: %s"},
    {"IST0101", "ReferencedResourceNotFound", Level::kError, "Referenced %s not found: %q"},
    {"IST0102", "NamespaceNotInjected", Level::kInfo, "The namespace is not enabled for Istio injection. Run 'kubectl label namespace %s istio-injection=enabled' to enable it, or 'kubectl label namespace %s istio-injection=disabled' to explicitly mark it as not needing injection."},
    {"IST0103", "PodMissingProxy", Level::kWarning, "The pod %s is missing the Istio proxy. This can often be resolved by restarting or redeploying the workload."},
    {"IST0106", "SchemaValidationError", Level::kError, "Schema validation error: %v"},
    {"IST0107", "MisplacedAnnotation", Level::kWarning, "Misplaced annotation: %s can only be applied to %s"},
    {"IST0108", "UnknownAnnotation", Level::kWarning, "Unknown annotation: %s"},
    {"IST0109", "ConflictingMeshGatewayVirtualServiceHosts", Level::kError, "The VirtualServices %s associated with mesh gateway define the same host %s which can lead to undefined behavior. This can be fixed by merging the conflicting VirtualServices into a single resource."},
    {"IST0110", "ConflictingSidecarWorkloadSelectors", Level::kError, "The Sidecars %v in namespace %q select the same workload pod %q, which can lead to undefined behavior."},
    {"IST0111", "MultipleSidecarsWithoutWorkloadSelectors", Level::kError, "The Sidecars %v in namespace %q have no workload selector, which can lead to undefined behavior."},
    {"IST0112", "VirtualServiceDestinationPortSelectorRequired", Level::kError, "This VirtualService routes to a service %q that exposes multiple ports %v. Specifying a port in the destination is required to disambiguate."},
    {"IST0116", "DeploymentAssociatedToMultipleServices", Level::kWarning, "This deployment %s is associated with multiple services using port %d but different protocols: %v"},
    {"IST0118", "PortNameIsNotUnderNamingConvention", Level::kInfo, "Port name %s (port: %d, targetPort: %s) doesn't follow the naming convention of Istio port."},
    {"IST0123", "NamespaceMultipleInjectionLabels", Level::kWarning, "The namespace has more than one type of injection labels %v, which may lead to undefined behavior. Make sure only one injection label exists."},
    {"IST0125", "InvalidAnnotation", Level::kWarning, "Invalid annotation %s: %s"},
    {"IST0126", "UnknownMeshNetworksServiceRegistry", Level::kError, "Unknown service registry %s in network %s"},
    {"IST0127", "NoMatchingWorkloadsFound", Level::kWarning, "No matching workloads for this resource with the following labels: %s"},
    {"IST0128", "NoServerCertificateVerificationDestinationLevel", Level::kWarning, "DestinationRule %s in namespace %s has TLS mode set to %s but no caCertificates are set to validate server identity for host: %s"},
    {"IST0129", "NoServerCertificateVerificationPortLevel", Level::kWarning, "DestinationRule %s in namespace %s has TLS mode set to %s but no caCertificates are set to validate server identity for host: %s at port %s"},
    {"IST0130", "VirtualServiceUnreachableRule", Level::kWarning, "VirtualService rule %v not used (%s)."},
    {"IST0131", "VirtualServiceIneffectiveMatch", Level::kInfo, "VirtualService rule %v match %v is not used (duplicate/overlapping match in rule %v)."},
    {"IST0132", "VirtualServiceHostNotFoundInGateway", Level::kWarning, "one or more host %v defined in VirtualService %s not found in Gateway %s."},
    {"IST0133", "SchemaWarning", Level::kWarning, "Schema validation warning: %v"},
    {"IST0134", "ServiceEntryAddressesRequired", Level::kWarning, "ServiceEntry addresses are required for this protocol."},
    {"IST0135", "DeprecatedAnnotation", Level::kInfo, "Annotation %q has been deprecated%s and may not work in future Istio versions."},
    {"IST0136", "AlphaAnnotation", Level::kInfo, "Annotation %q is part of an alpha-phase feature and may be incompletely supported."},
    {"IST0137", "DeploymentConflictingPorts", Level::kWarning, "This deployment %s is associated with multiple services %v using targetPort %q but different ports: %v."},
    {"IST0138", "GatewayDuplicateCertificate", Level::kWarning, "Duplicate certificate in multiple gateways %v may cause 404s if clients re-use HTTP2 connections."},
    {"IST0139", "InvalidWebhook", Level::kError, "%v"},
    {"IST0140", "IngressRouteRulesNotAffected", Level::kWarning, "Subset in virtual service %s has no effect on ingress gateway %s requests"},
    {"IST0141", "InsufficientPermissions", Level::kError, "Missing required permission to create resource %v (%v)"},
    {"IST0142", "UnsupportedKubernetesVersion", Level::kError, "The Kubernetes Version %q is lower than the minimum version: %v"},
    {"IST0143", "LocalhostListener", Level::kError, "Port %v is exposed in a Service but listens on localhost. It will not be exposed to other pods."},
    {"IST0144", "InvalidApplicationUID", Level::kWarning, "User ID (UID) 1337 is reserved for the sidecar proxy."},
    {"IST0145", "ConflictingGateways", Level::kError, "Conflict with gateways %s (workload selector %s, port %s, hosts %v)."},
    {"IST0146", "ImageAutoWithoutInjectionWarning", Level::kWarning, "%s %s contains `image: auto` but does not match any Istio injection webhook selectors."},
    {"IST0147", "ImageAutoWithoutInjectionError", Level::kError, "%s %s contains `image: auto` but does not match any Istio injection webhook selectors."},
    {"IST0148", "NamespaceInjectionEnabledByDefault", Level::kInfo, "is enabled for Istio injection, as Istio is installed with enableNamespacesByDefault as true."},
    {"IST0149", "JwtClaimBasedRoutingWithoutRequestAuthN", Level::kError, "The virtual service uses the JWT claim based routing (key: %s) but found no request authentication for the gateway (%s) pod (%s). The request authentication must first be applied for the gateway pods to validate the JWT token and make the claims available for routing."},
    {"IST0150", "ExternalNameServiceTypeInvalidPortName", Level::kWarning, "Port name for ExternalName service is invalid. Proxy may prevent tcp named ports and unmatched traffic for ports serving TCP protocol from being forwarded correctly"},
    {"IST0151", "EnvoyFilterUsesRelativeOperation", Level::kWarning, "This EnvoyFilter does not have a priority and has a relative patch operation set which can cause the EnvoyFilter not to be applied. Using the INSERT_FIRST of ADD option or setting the priority may help in ensuring the EnvoyFilter is applied correctly."},
    {"IST0152", "EnvoyFilterUsesReplaceOperationIncorrectly", Level::kError, "The REPLACE operation is only valid for HTTP_FILTER and NETWORK_FILTER."},
    {"IST0153", "EnvoyFilterUsesAddOperationIncorrectly", Level::kError, "The ADD operation will be ignored when applyTo is set to ROUTE_CONFIGURATION, or HTTP_ROUTE."},
    {"IST0154", "EnvoyFilterUsesRemoveOperationIncorrectly", Level::kError, "The REMOVE operation will be ignored when applyTo is set to ROUTE_CONFIGURATION, or HTTP_ROUTE."},
    {"IST0155", "EnvoyFilterUsesRelativeOperationWithProxyVersion", Level::kWarning, "This EnvoyFilter does not have a priority and has a relative patch operation (NSTERT_BEFORE/AFTER, REPLACE, MERGE, DELETE) and proxyVersion set which can cause the EnvoyFilter not to be applied during an upgrade. Using the INSERT_FIRST or ADD option or setting the priority may help in ensuring the EnvoyFilter is applied correctly."},
    {"IST0156", "UnsupportedGatewayAPIVersion", Level::kError, "The Gateway API CRD version %v is lower than the minimum version: %v"},
    {"IST0172", "FutureUnsupportedGatewayAPIVersion", Level::kWarning, "The Gateway API CRD version %v is lower than the minimum version: %v"},
    {"IST0157", "InvalidTelemetryProvider", Level::kWarning, "The Telemetry %v in namespace %q with empty providers will be ignored."},
    {"IST0158", "PodsIstioProxyImageMismatchInNamespace", Level::kWarning, "The Istio proxy images of the pods running in the namespace do not match the image defined in the injection configuration (pod names: %v). This often happens after upgrading the Istio control-plane and can be fixed by redeploying the pods."},
    {"IST0159", "ConflictingTelemetryWorkloadSelectors", Level::kError, "The Telemetries %v in namespace %q select the same workload pod %q, which can lead to undefined behavior."},
    {"IST0160", "MultipleTelemetriesWithoutWorkloadSelectors", Level::kError, "The Telemetries %v in namespace %q have no workload selector, which can lead to undefined behavior."},
    {"IST0161", "InvalidGatewayCredential", Level::kError, "The credential referenced by the Gateway %s in namespace %s is invalid, which can cause the traffic not to work as expected."},
    {"IST0162", "GatewayPortNotDefinedOnService", Level::kWarning, "The gateway is listening on a target port (port %d) that is not defined in the Service associated with its workload instances (Pod selector %s). If you need to access the gateway port through the gateway Service, it will not be available."},
    {"IST0163", "InvalidExternalControlPlaneConfig", Level::kWarning, "The hostname (%s) that was provided for the webhook (%s) to reach the ingress gateway on the external control plane cluster %s. Traffic may not flow properly."},
    {"IST0164", "ExternalControlPlaneAddressIsNotAHostname", Level::kInfo, "The address (%s) that was provided for the webhook (%s) to reach the ingress gateway on the external control plane cluster is an IP address. This is not recommended for a production environment."},
    {"IST0165", "ReferencedInternalGateway", Level::kWarning, "Gateway reference in VirtualService %s is to an implementation-generated internal Gateway: %s."},
    {"IST0166", "IneffectiveSelector", Level::kWarning, "Ineffective selector on Kubernetes Gateway %s. Use the TargetRef field instead."},
    {"IST0167", "IneffectivePolicy", Level::kWarning, "The policy has no impact: %s."},
    {"IST0168", "UnknownUpgradeCompatibility", Level::kWarning, "The configuration %q changed in release %s, but compatibility cannot be automatically detected: %s. Or, install with `--set compatibilityVersion=%s` to retain the old default."},
    {"IST0169", "UpdateIncompatibility", Level::kWarning, "The configuration %q changed in release %s: %s. Or, install with `--set compatibilityVersion=%s` to retain the old default."},
    {"IST0170", "MultiClusterInconsistentService", Level::kWarning, "The service %v in namespace %q is inconsistent across clusters %q, which can lead to undefined behaviors. The inconsistent behaviors are: %v."},
    {"IST0171", "NegativeConditionStatus", Level::kWarning, "A condition with a negative status is present: type=%s, reason=%s, message=%s."},
    {"IST0173", "DestinationRuleSubsetNotSelectPods", Level::kError, "The Subset %s defined in the DestinationRule does not select any pods. Which may lead to 503 UH (NoHealthyUpstream)."},
    {"IST0174", "UnknownDestinationRuleHost", Level::kWarning, "The host %s defined in the DestinationRule does not match any services in the mesh."},
    {"IST0175", "JwksUriFetchUnrestricted", Level::kWarning, "BLOCKED_CIDRS_IN_JWKS_URIS is not configured but %d RequestAuthentication resource(s) exist (%s). Consider configuring it to restrict JWKS URI fetches to trusted networks."},
    {"IST0176", "GatewayAPICRDVersionBelowMinimum", Level::kWarning, "Gateway API CRD %q is at version %q but Istio requires at least %q; resources of this kind will not be processed. Upgrade the Gateway API CRDs to satisfy the minimum version."},
    {"IST0177", "ConflictingServiceEntryProtocol", Level::kWarning, "Multiple ServiceEntries (%s) define the same host %q and port %d with conflicting protocols (%s)."},
    // gwsim's own, found in the compiled route tables (docs/analysis.md).
    {"GWS0001", "UnreachableRoute", Level::kWarning,
     "Route %s of virtual host %s can never match: route %s before it takes all its traffic."},
    {"GWS0002", "VirtualServiceHostNotBound", Level::kWarning,
     "Host %q of this VirtualService is bound to no gateway server: no virtual host of gateway %s routes it."},
    {"GWS0003", "SubsetSelectsNoPods", Level::kWarning,
     "Subset %q of host %s selects no pods: requests routed to cluster %s get 503 no healthy upstream."},
    {"GWS0004", "RouteDestinationNotFound", Level::kError,
     "Route %s of virtual host %s sends traffic to cluster %s, which the gateway does not have (503 cluster not found)."},
  };
  return types;
}

const MessageType& message_type(std::string_view name) {
  static const auto by_name = [] {
    std::unordered_map<std::string_view, const MessageType*> map;
    for (const auto& type : message_types()) map.emplace(type.name, &type);
    return map;
  }();
  auto it = by_name.find(name);
  if (it == by_name.end()) throw std::out_of_range("unknown analysis message type " + std::string(name));
  return *it->second;
}

std::string documentation_url(const MessageType& type) {
  std::string code = text::to_lower(type.code);
  if (type.code.starts_with("IST")) return "https://istio.io/latest/docs/reference/config/analysis/" + code + "/";
  return "docs/analysis.md#" + code;
}

std::string Message::to_string() const {
  std::string out(level_name(type->level));
  out += " [";
  out += type->code;
  out += "] (" + origin;
  if (!reference.empty()) out += " " + reference;
  out += ") " + text;
  return out;
}

std::string go_list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? " " : "") + items[i];
  return out + "]";
}

std::string format_message(const MessageType& type, const std::vector<std::string>& args) {
  std::string out;
  size_t next = 0;
  std::string_view t = type.template_;
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i] != '%' || i + 1 == t.size()) {
      out += t[i];
      continue;
    }
    char verb = t[++i];
    if (verb == '%') {
      out += '%';
      continue;
    }
    // A missing argument is printed as Go prints it.
    if (next >= args.size()) {
      out += std::string("%!") + verb + "(MISSING)";
      continue;
    }
    out += verb == 'q' ? go_quote(args[next]) : args[next];
    ++next;
  }
  return out;
}

nlohmann::json message_json(const Message& m) {
  nlohmann::json j = {{"code", m.type->code},
                      {"documentationUrl", documentation_url(*m.type)},
                      {"level", level_name(m.type->level)},
                      {"message", m.text},
                      {"origin", m.origin}};
  if (!m.reference.empty()) j["reference"] = m.reference;
  return j;
}

}  // namespace gwsim::analysis
