#include "engine/datapath/tls.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace gwsim::datapath {

namespace {

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;

std::string openssl_error(const std::string& what) {
  unsigned long code = ERR_get_error();
  char buf[256] = {};
  if (code) ERR_error_string_n(code, buf, sizeof buf);
  ERR_clear_error();
  return what + (code ? std::string(": ") + buf : std::string());
}

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  long size = BIO_get_mem_data(bio, &data);
  return size > 0 ? std::string(data, static_cast<std::size_t>(size)) : std::string();
}

PkeyPtr read_key(const std::string& pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return PkeyPtr(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr);
}

X509Ptr read_certificate(const std::string& pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return X509Ptr(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
}

bool add_extension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (!ext) return false;
  bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

}  // namespace

Result<CertificatePem> make_certificate(const CertificateRequest& request, const CertificatePem* issuer) {
  PkeyPtr key(EVP_EC_gen("P-256"));
  if (!key) return make_error(openssl_error("cannot make a key"));
  X509Ptr cert(X509_new());
  if (!cert) return make_error(openssl_error("cannot make a certificate"));

  PkeyPtr issuer_key;
  X509Ptr issuer_cert;
  if (issuer) {
    issuer_key = read_key(issuer->private_key);
    issuer_cert = read_certificate(issuer->certificate);
    if (!issuer_key || !issuer_cert) return make_error(openssl_error("cannot read the issuer certificate or key"));
  }

  X509_set_version(cert.get(), 2);  // v3
  unsigned char serial[16];
  RAND_bytes(serial, sizeof serial);
  serial[0] &= 0x7f;  // positive
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
  BN_free(bn);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -24L * 3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 10L * 365 * 24 * 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("gwsim"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(request.common_name.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert.get(), issuer_cert ? X509_get_subject_name(issuer_cert.get()) : name);

  X509* signer = issuer_cert ? issuer_cert.get() : cert.get();
  bool ok = add_extension(cert.get(), signer, NID_basic_constraints, request.is_ca ? "critical,CA:TRUE" : "CA:FALSE");
  ok = ok && add_extension(cert.get(), signer, NID_subject_key_identifier, "hash");
  if (request.is_ca) {
    ok = ok && add_extension(cert.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign,digitalSignature");
  } else {
    ok = ok && add_extension(cert.get(), signer, NID_key_usage, "critical,digitalSignature,keyEncipherment");
    ok = ok && add_extension(cert.get(), signer, NID_ext_key_usage, request.client ? "clientAuth" : "serverAuth");
  }
  if (!request.dns_names.empty()) {
    std::string san;
    for (const auto& n : request.dns_names) san += (san.empty() ? "DNS:" : ",DNS:") + n;
    ok = ok && add_extension(cert.get(), signer, NID_subject_alt_name, san);
  }
  if (!ok) return make_error(openssl_error("cannot add certificate extensions"));
  if (X509_sign(cert.get(), issuer_key ? issuer_key.get() : key.get(), EVP_sha256()) <= 0)
    return make_error(openssl_error("cannot sign the certificate"));

  CertificatePem out;
  BioPtr cert_bio(BIO_new(BIO_s_mem()));
  BioPtr key_bio(BIO_new(BIO_s_mem()));
  if (!cert_bio || !key_bio || PEM_write_bio_X509(cert_bio.get(), cert.get()) != 1 ||
      PEM_write_bio_PrivateKey(key_bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
    return make_error(openssl_error("cannot write PEM"));
  out.certificate = bio_text(cert_bio.get());
  out.private_key = bio_text(key_bio.get());
  return out;
}

Result<std::shared_ptr<ssl::context>> make_server_context(const std::string& chain, const std::string& key,
                                                          const std::string& client_ca,
                                                          bool require_client_certificate) {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  error_code ec;
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                       ssl::context::single_dh_use,
                   ec);
  ctx->use_certificate_chain(asio::buffer(chain), ec);
  if (ec) return make_error("cannot load the certificate chain: " + ec.message());
  ctx->use_private_key(asio::buffer(key), ssl::context::pem, ec);
  if (ec) return make_error("cannot load the private key: " + ec.message());
  if (!client_ca.empty()) {
    ctx->add_certificate_authority(asio::buffer(client_ca), ec);
    if (ec) return make_error("cannot load the client CA certificates: " + ec.message());
    ctx->set_verify_mode(ssl::verify_peer | (require_client_certificate ? ssl::verify_fail_if_no_peer_cert : 0), ec);
    if (ec) return make_error("cannot set client verification: " + ec.message());
    // A client certificate request names the CAs; OpenSSL needs a session id context for it.
    static const unsigned char kContext[] = "gwsim";
    SSL_CTX_set_session_id_context(ctx->native_handle(), kContext, sizeof kContext - 1);
  }
  return ctx;
}

Result<std::shared_ptr<ssl::context>> make_generated_server_context(const CertificateRequest& request,
                                                                    const std::string& client_ca,
                                                                    bool require_client_certificate) {
  auto certificate = make_certificate(request);
  if (!certificate.ok()) return certificate.error();
  return make_server_context(certificate->certificate, certificate->private_key, client_ca,
                             require_client_certificate);
}

Result<std::shared_ptr<ssl::context>> make_client_context(const CertificatePem* client_certificate) {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
  error_code ec;
  ctx->set_verify_mode(ssl::verify_none, ec);
  if (client_certificate) {
    ctx->use_certificate_chain(asio::buffer(client_certificate->certificate), ec);
    if (ec) return make_error("cannot load the client certificate: " + ec.message());
    ctx->use_private_key(asio::buffer(client_certificate->private_key), ssl::context::pem, ec);
    if (ec) return make_error("cannot load the client key: " + ec.message());
  }
  return ctx;
}

}  // namespace gwsim::datapath
