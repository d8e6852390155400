// Certificates made at run time, and real handshakes over loopback with the contexts built
// from them (SIMPLE and MUTUAL).
#include "engine/datapath/tls.h"

#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <gtest/gtest.h>

#include <thread>

namespace gwsim::datapath {
namespace {

X509* read_cert(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  return cert;
}

CertificatePem ca() {
  CertificateRequest r;
  r.common_name = "test CA";
  r.is_ca = true;
  auto made = make_certificate(r);
  EXPECT_TRUE(made.ok());
  return made.value();
}

CertificatePem leaf(const CertificatePem& issuer, const std::string& name, bool client = false) {
  CertificateRequest r;
  r.common_name = name;
  r.dns_names = {name};
  r.client = client;
  auto made = make_certificate(r, &issuer);
  EXPECT_TRUE(made.ok());
  return made.value();
}

TEST(Tls, IssuedCertificatesVerifyAgainstTheirCa) {
  CertificatePem authority = ca();
  CertificatePem server = leaf(authority, "a.example.com");
  EXPECT_EQ(server.certificate.rfind("-----BEGIN CERTIFICATE-----", 0), 0u);
  EXPECT_NE(server.private_key.find("PRIVATE KEY"), std::string::npos);

  X509* ca_cert = read_cert(authority.certificate);
  X509* cert = read_cert(server.certificate);
  ASSERT_TRUE(ca_cert && cert);
  X509_STORE* store = X509_STORE_new();
  X509_STORE_add_cert(store, ca_cert);
  X509_STORE_CTX* ctx = X509_STORE_CTX_new();
  X509_STORE_CTX_init(ctx, store, cert, nullptr);
  EXPECT_EQ(X509_verify_cert(ctx), 1) << X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx));
  X509_STORE_CTX_free(ctx);
  X509_STORE_free(store);
  X509_free(cert);
  X509_free(ca_cert);
}

TEST(Tls, BadPemIsAnErrorNotAnException) {
  auto made = make_server_context("not a certificate", "not a key");
  ASSERT_FALSE(made.ok());
  EXPECT_NE(made.error().message.find("certificate"), std::string::npos);
}

// One handshake over loopback: the server with `server_ctx`, the client with `client_ctx`
// sending `sni`. Returns the server's error (empty on success) and the SNI it saw.
std::pair<std::string, std::string> handshake(ssl::context& server_ctx, ssl::context& client_ctx, const std::string& sni) {
  asio::io_context io;
  tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
  std::string server_error = "no handshake";
  std::string seen_sni;
  std::thread server([&] {
    asio::io_context sio;
    tcp::socket s(sio);
    error_code ec;
    acceptor.accept(s, ec);
    ssl::stream<tcp::socket> stream(std::move(s), server_ctx);
    stream.handshake(ssl::stream_base::server, ec);
    server_error = ec ? ec.message() : "";
    if (const char* name = SSL_get_servername(stream.native_handle(), TLSEXT_NAMETYPE_host_name)) seen_sni = name;
    if (!ec) {
      char byte = 0;
      asio::read(stream, asio::buffer(&byte, 1), ec);  // the client's one byte, after the handshake
    }
  });
  ssl::stream<tcp::socket> client(io, client_ctx);
  error_code ec;
  client.next_layer().connect(acceptor.local_endpoint(), ec);
  SSL_set_tlsext_host_name(client.native_handle(), sni.c_str());
  client.handshake(ssl::stream_base::client, ec);
  if (!ec) asio::write(client, asio::buffer("x", 1), ec);  // TLS 1.3 reports a refused certificate here
  client.next_layer().close(ec);
  server.join();
  return {server_error, seen_sni};
}

TEST(Tls, SimpleHandshakeWithAGeneratedCertificate) {
  CertificatePem authority = ca();
  CertificatePem server = leaf(authority, "a.example.com");
  auto server_ctx = make_server_context(server.certificate, server.private_key);
  auto client_ctx = make_client_context();
  ASSERT_TRUE(server_ctx.ok() && client_ctx.ok());
  auto [error, sni] = handshake(*server_ctx.value(), *client_ctx.value(), "a.example.com");
  EXPECT_EQ(error, "");
  EXPECT_EQ(sni, "a.example.com");
}

TEST(Tls, GeneratedServerContextHandshakesAndCanRequireClientCertificates) {
  CertificateRequest request;
  request.common_name = "echo.gwsim.local";
  request.dns_names = {"*.gwsim.local"};
  auto server_ctx = make_generated_server_context(request);
  auto client_ctx = make_client_context();
  ASSERT_TRUE(server_ctx.ok() && client_ctx.ok());
  auto [error, sni] = handshake(*server_ctx.value(), *client_ctx.value(), "a.gwsim.local");
  EXPECT_EQ(error, "");
  EXPECT_EQ(sni, "a.gwsim.local");

  CertificatePem authority = ca();
  auto mutual = make_generated_server_context(request, authority.certificate, true);
  ASSERT_TRUE(mutual.ok());
  EXPECT_NE(handshake(*mutual.value(), *client_ctx.value(), "a.gwsim.local").first, "");
  CertificatePem client = leaf(authority, "client", true);
  auto with_cert = make_client_context(&client);
  ASSERT_TRUE(with_cert.ok());
  EXPECT_EQ(handshake(*mutual.value(), *with_cert.value(), "a.gwsim.local").first, "");

  EXPECT_FALSE(make_generated_server_context(request, "not a PEM", true).ok());
}

TEST(Tls, MutualRequiresAClientCertificateFromTheCa) {
  CertificatePem authority = ca();
  CertificatePem server = leaf(authority, "a.example.com");
  auto server_ctx = make_server_context(server.certificate, server.private_key, authority.certificate, true);
  ASSERT_TRUE(server_ctx.ok());

  auto anonymous = make_client_context();
  ASSERT_TRUE(anonymous.ok());
  EXPECT_NE(handshake(*server_ctx.value(), *anonymous.value(), "a.example.com").first, "");

  CertificatePem client = leaf(authority, "client", true);
  auto with_cert = make_client_context(&client);
  ASSERT_TRUE(with_cert.ok());
  EXPECT_EQ(handshake(*server_ctx.value(), *with_cert.value(), "a.example.com").first, "");

  CertificatePem stranger = leaf(ca(), "stranger", true);  // issued by another CA
  auto untrusted = make_client_context(&stranger);
  ASSERT_TRUE(untrusted.ok());
  EXPECT_NE(handshake(*server_ctx.value(), *untrusted.value(), "a.example.com").first, "");
}

}  // namespace
}  // namespace gwsim::datapath
