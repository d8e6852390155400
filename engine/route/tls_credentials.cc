// Paraphrases Istio's gateway.go buildGatewayListenerTLSContext and credentials/kube/secrets.go;
// see tls_credentials.h.
#include "engine/route/tls_credentials.h"

#include <initializer_list>

namespace gwsim::route {

namespace {

const model::Secret* find_secret(const std::vector<model::Secret>& secrets, const std::string& ns,
                                 const std::string& name) {
  for (const auto& s : secrets) {
    if (s.meta.namespace_ == ns && s.meta.name == name) return &s;
  }
  return nullptr;
}

// The first non-empty value among `keys`.
std::string secret_value(const model::Secret& s, std::initializer_list<const char*> keys) {
  for (const char* k : keys) {
    if (auto it = s.data.find(k); it != s.data.end() && !it->second.empty()) return it->second;
  }
  return {};
}

}  // namespace

Result<std::optional<TlsCredential>> gateway_credential(const model::ServerTLSSettings& tls,
                                                        const std::vector<model::Secret>& secrets,
                                                        const std::string& ns) {
  if (tls.mode == "ISTIO_MUTUAL") return std::optional<TlsCredential>();
  if (tls.credential_name.empty()) {
    if (tls.server_certificate.empty()) return make_error("the server has no credentialName and no certificate files");
    return make_error("certificate files (serverCertificate) are not simulated; use credentialName");
  }
  const model::Secret* secret = find_secret(secrets, ns, tls.credential_name);
  if (!secret) {
    return make_error("Secret " + ns + "/" + tls.credential_name +
                      " not found (credentialName is looked up in the gateway's namespace)");
  }
  TlsCredential c;
  c.secret = ns + "/" + tls.credential_name;
  c.certificate_chain = secret_value(*secret, {"tls.crt", "cert"});
  c.private_key = secret_value(*secret, {"tls.key", "key"});
  c.ca_certificates = secret_value(*secret, {"ca.crt", "cacert"});
  if (c.ca_certificates.empty()) {
    if (const model::Secret* ca = find_secret(secrets, ns, tls.credential_name + "-cacert")) {
      c.ca_certificates = secret_value(*ca, {"ca.crt", "cacert"});
    }
  }
  if (c.certificate_chain.empty() || c.private_key.empty()) {
    return make_error("Secret " + c.secret + " has no certificate and key (tls.crt/tls.key or cert/key)");
  }
  if ((tls.mode == "MUTUAL" || tls.mode == "OPTIONAL_MUTUAL") && c.ca_certificates.empty()) {
    return make_error("Secret " + c.secret + " has no CA certificate for " + tls.mode + " (ca.crt, cacert, or Secret " +
                      tls.credential_name + "-cacert)");
  }
  return std::optional<TlsCredential>(std::move(c));
}

}  // namespace gwsim::route
