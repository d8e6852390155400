// The certificate a TLS-terminating gateway server presents: its credentialName looked up as a
// Kubernetes Secret in the gateway workload's namespace. Paraphrases Istio's SDS path for
// gateways: pilot/pkg/networking/core/gateway.go buildGatewayListenerTLSContext (credentialName
// -> SDS resource, ISTIO_MUTUAL uses the workload certificate) and
// pilot/pkg/credentials/kube/secrets.go (GetKeyCertAndStaple / GetCaCert: tls.crt/tls.key or
// cert/key, the CA from ca.crt/cacert or the "<name>-cacert" Secret).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/model/istio.h"
#include "engine/model/k8s.h"
#include "engine/model/result.h"
#include "engine/route/route_table.h"

namespace gwsim::route {

// The credential for a server's TLS settings: nullopt for ISTIO_MUTUAL (the workload's own
// Istio certificate), an error when the server names no credential, the Secret is missing, has
// no certificate and key, or (MUTUAL, OPTIONAL_MUTUAL) no CA certificate.
Result<std::optional<TlsCredential>> gateway_credential(const model::ServerTLSSettings& tls,
                                                        const std::vector<model::Secret>& secrets,
                                                        const std::string& gateway_namespace);

}  // namespace gwsim::route
