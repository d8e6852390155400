// SNI from real ClientHellos, made by OpenSSL at run time.
#include "engine/datapath/client_hello.h"

#include <openssl/bio.h>
#include <openssl/ssl.h>

#include <gtest/gtest.h>

namespace gwsim::datapath {
namespace {

// The first flight of an OpenSSL client: its ClientHello, as it would reach the gateway.
std::string client_hello(const char* sni) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  SSL* ssl = SSL_new(ctx);
  BIO* in = BIO_new(BIO_s_mem());
  BIO* out = BIO_new(BIO_s_mem());
  SSL_set_bio(ssl, in, out);
  if (sni) SSL_set_tlsext_host_name(ssl, sni);
  SSL_set_connect_state(ssl);
  SSL_do_handshake(ssl);  // wants to read the server's answer; the hello is in `out`
  char* data = nullptr;
  long size = BIO_get_mem_data(out, &data);
  std::string bytes(data, static_cast<std::size_t>(size));
  SSL_free(ssl);
  SSL_CTX_free(ctx);
  return bytes;
}

TEST(ClientHello, ReadsTheServerName) {
  ClientHello hello = parse_client_hello(client_hello("Www.Example.COM"));
  EXPECT_EQ(hello.status, ClientHello::Status::kTls);
  EXPECT_EQ(hello.sni, "www.example.com");
}

TEST(ClientHello, WithoutServerName) {
  ClientHello hello = parse_client_hello(client_hello(nullptr));
  EXPECT_EQ(hello.status, ClientHello::Status::kTls);
  EXPECT_EQ(hello.sni, "");
}

TEST(ClientHello, PartialHelloNeedsMore) {
  std::string bytes = client_hello("a.example.com");
  ASSERT_GT(bytes.size(), 10u);
  for (std::size_t cut : {std::size_t{1}, std::size_t{5}, bytes.size() / 2, bytes.size() - 1})
    EXPECT_EQ(parse_client_hello(bytes.substr(0, cut)).status, ClientHello::Status::kNeedMore) << cut;
  EXPECT_EQ(parse_client_hello("").status, ClientHello::Status::kNeedMore);
}

TEST(ClientHello, PlaintextIsNotTls) {
  EXPECT_EQ(parse_client_hello("GET / HTTP/1.1\r\n").status, ClientHello::Status::kNotTls);
}

TEST(ClientHello, NotAClientHelloIsMalformed) {
  // A handshake record holding a ServerHello (type 2).
  std::string bytes = std::string("\x16\x03\x01\x00\x04", 5) + std::string("\x02\x00\x00\x00", 4);
  EXPECT_EQ(parse_client_hello(bytes).status, ClientHello::Status::kMalformed);
  EXPECT_EQ(parse_client_hello(std::string("\x16\x07\x01\x00\x04xxxx", 9)).status, ClientHello::Status::kMalformed);
}

}  // namespace
}  // namespace gwsim::datapath
