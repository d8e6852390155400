#include "conformance/report/gateway_api.h"

#include <algorithm>

namespace gwsim::conformance::report::gateway_api {

namespace {

// pkg/features/gateway.go GatewayExtendedFeatures
const std::set<std::string>& gateway_extended() {
  static const std::set<std::string> features = {
      "GatewayPort8080",
      "GatewayStaticAddresses",
      "GatewayHTTPListenerIsolation",
      "GatewayHTTPSListenerDetectMisdirectedRequests",
      "GatewayInfrastructurePropagation",
      "GatewayAddressEmpty",
      "GatewayBackendClientCertificate",
      "GatewayFrontendClientCertificateValidation",
      "GatewayFrontendClientCertificateValidationInsecureFallback",
      "ListenerSet",
  };
  return features;
}

// pkg/features/httproute.go HTTPRouteExtendedFeatures
const std::set<std::string>& httproute_extended() {
  static const std::set<std::string> features = {
      "HTTPRouteDestinationPortMatching",
      "HTTPRouteBackendRequestHeaderModification",
      "HTTPRouteQueryParamMatching",
      "HTTPRouteMethodMatching",
      "HTTPRouteResponseHeaderModification",
      "HTTPRoutePortRedirect",
      "HTTPRouteSchemeRedirect",
      "HTTPRoutePathRedirect",
      "HTTPRouteHostRewrite",
      "HTTPRoutePathRewrite",
      "HTTPRouteRequestMirror",
      "HTTPRouteRequestMultipleMirrors",
      "HTTPRouteRequestPercentageMirror",
      "HTTPRouteRequestTimeout",
      "HTTPRouteBackendTimeout",
      "HTTPRouteParentRefPort",
      "HTTPRouteBackendProtocolH2C",
      "HTTPRouteBackendProtocolWebSocket",
      "HTTPRouteNamedRouteRule",
      "HTTPRouteCORS",
      "HTTPRoute303RedirectStatusCode",
      "HTTPRoute307RedirectStatusCode",
      "HTTPRoute308RedirectStatusCode",
      "HTTPRouteRetry",
      "HTTPRouteRetryBackendTimeout",
      "HTTPRouteRetryConnectionError",
  };
  return features;
}

std::set<std::string> join(std::initializer_list<const std::set<std::string>*> sets) {
  std::set<std::string> out;
  for (const auto* s : sets) out.insert(s->begin(), s->end());
  return out;
}

// Feature names of the other sets (core features, GRPCRoute, TLSRoute, TCPRoute, UDPRoute, mesh,
// BackendTLSPolicy), so that every upstream feature is recognised.
const std::set<std::string>& other_features() {
  static const std::set<std::string> features = {
      "Gateway",
      "HTTPRoute",
      "ReferenceGrant",
      "GRPCRoute",
      "GRPCRouteNamedRouteRule",
      "TLSRoute",
      "TLSRouteModeTerminate",
      "TLSRouteModeMixed",
      "TCPRoute",
      "UDPRoute",
      "BackendTLSPolicy",
      "BackendTLSPolicySANValidation",
      "Mesh",
      "MeshClusterIPMatching",
      "MeshConsumerRoute",
      "MeshHTTPRouteRewritePath",
      "MeshHTTPRouteSchemeRedirect",
      "MeshHTTPRouteRedirectPort",
      "MeshHTTPRouteRedirectPath",
      "MeshHTTPRouteBackendRequestHeaderModification",
      "MeshHTTPRouteQueryParamMatching",
      "MeshHTTPRouteNamedRouteRule",
  };
  return features;
}

}  // namespace

// conformance/utils/suite/profiles.go
const std::vector<Profile>& profiles() {
  static const std::set<std::string> backend_tls = {"BackendTLSPolicy", "BackendTLSPolicySANValidation"};
  static const std::set<std::string> tlsroute_extended = {"TLSRouteModeTerminate", "TLSRouteModeMixed"};
  static const std::vector<Profile> all = {
      {"GATEWAY-GRPC", {"Gateway", "ReferenceGrant", "GRPCRoute"}, gateway_extended()},
      {"GATEWAY-HTTP",
       {"Gateway", "ReferenceGrant", "HTTPRoute"},
       join({&gateway_extended(), &httproute_extended(), &backend_tls})},
      {"GATEWAY-TLS", {"Gateway", "ReferenceGrant", "TLSRoute"}, join({&gateway_extended(), &tlsroute_extended})},
  };
  return all;
}

bool is_feature(const std::string& feature) {
  if (other_features().count(feature) || gateway_extended().count(feature) || httproute_extended().count(feature))
    return true;
  return false;
}

bool is_test(const std::vector<std::string>& features) {
  return std::any_of(features.begin(), features.end(), [](const std::string& f) { return is_feature(f); });
}

std::vector<Placement> place(const std::vector<std::string>& features) {
  std::vector<Placement> out;
  for (const Profile& p : profiles()) {
    bool all_known = true, extended = false;
    for (const auto& f : features) {
      if (p.core.count(f)) continue;
      if (p.extended.count(f)) {
        extended = true;
        continue;
      }
      all_known = false;
      break;
    }
    if (all_known && !features.empty()) out.push_back({&p, extended});
  }
  return out;
}

// The tests of conformance/tests/*.go with Provisional: true.
bool is_provisional(const std::string& short_name) {
  static const std::set<std::string> provisional = {
      "GRPCRouteNamedRule",
      "GatewayInfrastructure",
      "GatewayOptionalAddressValue",
      "HTTPRoute303Redirect",
      "HTTPRoute307Redirect",
      "HTTPRoute308Redirect",
      "HTTPRouteNamedRule",
      "HTTPRouteRequestPercentageMirror",
      "TCPRouteInvalidBackendRefNonexistent",
      "TCPRouteInvalidCrossNamespaceBackendRef",
      "TCPRouteInvalidNonTCPListener",
      "TCPRouteParentRefAttachAll",
      "TCPRouteParentRefPortAndSectionName",
      "TCPRouteReferenceGrant",
      "TCPRouteWeightedRouting",
      "TLSRouteMixedTerminationSameNamespace",
      "TLSRouteTerminateSimpleSameNamespace",
      "UDPRoute",
      "UDPRouteInvalidBackendRefNonexistent",
      "UDPRouteInvalidCrossNamespaceBackendRef",
      "UDPRouteMultipleRoutesAttachment",
      "UDPRouteNotAllowedByListeners",
      "UDPRouteParentRefAttachAllListeners",
      "UDPRouteParentRefPortAndSectionName",
      "UDPRouteReferenceGrant",
      "UDPRouteWeightedRouting",
  };
  return provisional.count(short_name) > 0;
}

}  // namespace gwsim::conformance::report::gateway_api
