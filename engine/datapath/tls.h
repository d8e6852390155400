// TLS for the data path: certificates made at run time (the fake pods' TLS ports, tests, the
// datapath runner's client certificate) and OpenSSL contexts built from PEM text (a Gateway
// server's credentialName Secret). Errors are values, never exceptions.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/datapath/asio.h"
#include "engine/model/result.h"

namespace gwsim::datapath {

struct CertificatePem {
  std::string certificate;  // PEM, the leaf (issuer certificates are not appended)
  std::string private_key;  // PEM, PKCS#8
};

struct CertificateRequest {
  std::string common_name;
  std::vector<std::string> dns_names;  // subjectAltName DNS entries ("*.example.com" allowed)
  bool is_ca = false;
  bool client = false;  // extendedKeyUsage clientAuth (else serverAuth)
};

// A certificate with an ECDSA P-256 key (fast to make), valid from a day ago for ten years;
// self-signed when `issuer` is null.
Result<CertificatePem> make_certificate(const CertificateRequest& request, const CertificatePem* issuer = nullptr);

// A server context presenting `chain`/`key`. With `client_ca` non-empty, client certificates
// are requested and verified against it (and required when `require_client_certificate`).
Result<std::shared_ptr<ssl::context>> make_server_context(const std::string& chain, const std::string& key,
                                                          const std::string& client_ca = {},
                                                          bool require_client_certificate = false);

// A server context presenting a certificate made now for `request` (self-signed): the fake
// pods' TLS ports, and the proxy's stand-in for a Secret it cannot load.
Result<std::shared_ptr<ssl::context>> make_generated_server_context(const CertificateRequest& request,
                                                                    const std::string& client_ca = {},
                                                                    bool require_client_certificate = false);

// A client context that does not verify the server (gwsim checks routing, not PKI), optionally
// presenting a certificate.
Result<std::shared_ptr<ssl::context>> make_client_context(const CertificatePem* client_certificate = nullptr);

}  // namespace gwsim::datapath
