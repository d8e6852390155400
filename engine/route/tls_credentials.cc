// Paraphrases Istio's gateway.go buildGatewayListenerTLSContext and credentials/kube/secrets.go;
// see tls_credentials.h.
#include "engine/route/tls_credentials.h"

#include <initializer_list>
#include <string_view>
#include <utility>

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

// Where a credentialName points, as Istio's credentials.ParseResourceName (pilot/pkg/model/
// credentials/resource.go) reads it: "kubernetes://[ns/]name" (ns defaults to the proxy's),
// "kubernetes-gateway://ns/name" (what the Gateway API controller writes,
// ToKubernetesGatewayResource; both parts required), and a plain name in the proxy's namespace
// (ToResourceName makes it kubernetes://name).
struct SecretReference {
  std::string namespace_;
  std::string name;
  bool gateway_api = false;  // kubernetes-gateway://: verified by the translation (same namespace or ReferenceGrant)
};

Result<SecretReference> parse_resource_name(const std::string& credential, const std::string& proxy_ns) {
  constexpr std::string_view kKube = "kubernetes://";
  constexpr std::string_view kKubeGateway = "kubernetes-gateway://";
  const std::string_view cn(credential);
  auto split = [](std::string_view rest) {
    const auto slash = rest.find('/');
    if (slash == std::string_view::npos) return std::pair<std::string, std::string>{"", std::string(rest)};
    const auto next = rest.find('/', slash + 1);  // Go's strings.Split: the second part ends at the next '/'
    return std::pair<std::string, std::string>{std::string(rest.substr(0, slash)),
                                               std::string(rest.substr(slash + 1, next - slash - 1))};
  };
  if (cn.starts_with(kKubeGateway)) {
    const std::string_view rest = cn.substr(kKubeGateway.size());
    if (rest.find('/') == std::string_view::npos)
      return make_error("invalid resource name \"" + credential + "\". Expected namespace and name");
    auto [ns, name] = split(rest);
    if (ns.empty()) return make_error("invalid resource name \"" + credential + "\". Expected namespace");
    if (name.empty()) return make_error("invalid resource name \"" + credential + "\". Expected name");
    return SecretReference{ns, name, true};
  }
  if (cn.starts_with(kKube)) {
    const std::string_view rest = cn.substr(kKube.size());
    if (rest.find('/') == std::string_view::npos) return SecretReference{proxy_ns, std::string(rest)};
    auto [ns, name] = split(rest);
    return SecretReference{ns, name};
  }
  return SecretReference{proxy_ns, credential};
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
  auto where = parse_resource_name(tls.credential_name, ns);
  if (!where) return where.error();
  // Who may read what, as sds.go filterAuthorizedResources decides: a Gateway API reference was
  // verified by the translation; any other reference to another namespace is never allowed.
  if (!where->gateway_api && where->namespace_ != ns) {
    return make_error("Secret " + where->namespace_ + "/" + where->name + " is in another namespace than the gateway (" +
                      ns + "): a gateway may read it only through a Gateway API reference (kubernetes-gateway://)");
  }
  const std::string& secret_ns = where->namespace_;
  const std::string& secret_name = where->name;
  const model::Secret* secret = find_secret(secrets, secret_ns, secret_name);
  if (!secret) {
    return make_error("Secret " + secret_ns + "/" + secret_name +
                      " not found (credentialName is looked up in the gateway's namespace)");
  }
  TlsCredential c;
  c.secret = secret_ns + "/" + secret_name;
  c.certificate_chain = secret_value(*secret, {"tls.crt", "cert"});
  c.private_key = secret_value(*secret, {"tls.key", "key"});
  c.ca_certificates = secret_value(*secret, {"ca.crt", "cacert"});
  if (c.ca_certificates.empty()) {
    if (const model::Secret* ca = find_secret(secrets, secret_ns, secret_name + "-cacert")) {
      c.ca_certificates = secret_value(*ca, {"ca.crt", "cacert"});
    }
  }
  if (c.certificate_chain.empty() || c.private_key.empty()) {
    return make_error("Secret " + c.secret + " has no certificate and key (tls.crt/tls.key or cert/key)");
  }
  if ((tls.mode == "MUTUAL" || tls.mode == "OPTIONAL_MUTUAL") && c.ca_certificates.empty()) {
    return make_error("Secret " + c.secret + " has no CA certificate for " + tls.mode + " (ca.crt, cacert, or Secret " +
                      secret_name + "-cacert)");
  }
  return std::optional<TlsCredential>(std::move(c));
}

}  // namespace gwsim::route
