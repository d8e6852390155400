#include "engine/route/tls_credentials.h"

#include <gtest/gtest.h>

namespace gwsim::route {
namespace {

model::Secret secret(std::string ns, std::string name, std::map<std::string, std::string> data) {
  model::Secret s;
  s.meta.namespace_ = std::move(ns);
  s.meta.name = std::move(name);
  s.data = std::move(data);
  return s;
}

model::ServerTLSSettings tls(std::string mode, std::string credential) {
  model::ServerTLSSettings t;
  t.mode = std::move(mode);
  t.credential_name = std::move(credential);
  return t;
}

TEST(TlsCredentialsTest, SimpleServerTakesTheSecretInTheGatewayNamespace) {
  std::vector<model::Secret> secrets = {secret("default", "cert", {{"tls.crt", "OTHER"}, {"tls.key", "K"}}),
                                        secret("istio-system", "cert", {{"tls.crt", "CRT"}, {"tls.key", "KEY"}})};
  auto c = gateway_credential(tls("SIMPLE", "cert"), secrets, "istio-system");
  ASSERT_TRUE(c.ok()) << c.error().message;
  ASSERT_TRUE(c->has_value());
  EXPECT_EQ((*c)->secret, "istio-system/cert");
  EXPECT_EQ((*c)->certificate_chain, "CRT");
  EXPECT_EQ((*c)->private_key, "KEY");
}

TEST(TlsCredentialsTest, GenericSecretKeysAndSeparateCaSecret) {
  std::vector<model::Secret> secrets = {secret("gw", "c", {{"cert", "CRT"}, {"key", "KEY"}}),
                                        secret("gw", "c-cacert", {{"cacert", "CA"}})};
  auto c = gateway_credential(tls("MUTUAL", "c"), secrets, "gw");
  ASSERT_TRUE(c.ok()) << c.error().message;
  ASSERT_TRUE(c->has_value());
  EXPECT_EQ((*c)->certificate_chain, "CRT");
  EXPECT_EQ((*c)->ca_certificates, "CA");
}

TEST(TlsCredentialsTest, IstioMutualNeedsNoSecret) {
  auto c = gateway_credential(tls("ISTIO_MUTUAL", ""), {}, "gw");
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(c->has_value());
}

TEST(TlsCredentialsTest, MissingOrIncompleteSecretsAreErrors) {
  auto missing = gateway_credential(tls("SIMPLE", "nope"), {secret("other", "nope", {})}, "gw");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("Secret gw/nope not found"), std::string::npos);

  auto no_key = gateway_credential(tls("SIMPLE", "c"), {secret("gw", "c", {{"tls.crt", "CRT"}})}, "gw");
  ASSERT_FALSE(no_key.ok());
  EXPECT_NE(no_key.error().message.find("has no certificate and key"), std::string::npos);

  auto no_ca = gateway_credential(tls("MUTUAL", "c"), {secret("gw", "c", {{"tls.crt", "C"}, {"tls.key", "K"}})}, "gw");
  ASSERT_FALSE(no_ca.ok());
  EXPECT_NE(no_ca.error().message.find("no CA certificate for MUTUAL"), std::string::npos);
}

TEST(TlsCredentialsTest, ServerWithoutCredentialNameSaysWhy) {
  auto none = gateway_credential(tls("SIMPLE", ""), {}, "gw");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().message, "the server has no credentialName and no certificate files");
  auto files = tls("SIMPLE", "");
  files.server_certificate = "/etc/certs/cert.pem";
  auto with_files = gateway_credential(files, {}, "gw");
  ASSERT_FALSE(with_files.ok());
  EXPECT_NE(with_files.error().message.find("not simulated"), std::string::npos);
}

TEST(TlsCredentialsTest, ResourceNamesAsIstioParsesThem) {
  // credentials.ParseResourceName: kubernetes-gateway://ns/name (the Gateway API controller's),
  // kubernetes://name and kubernetes://ns/name.
  std::vector<model::Secret> secrets = {secret("certs", "c", {{"tls.crt", "CRT"}, {"tls.key", "KEY"}}),
                                        secret("gw", "c", {{"tls.crt", "GW"}, {"tls.key", "K"}})};
  auto g = gateway_credential(tls("SIMPLE", "kubernetes-gateway://certs/c"), secrets, "gw");
  ASSERT_TRUE(g.ok()) << g.error().message;
  EXPECT_EQ((*g)->secret, "certs/c");
  EXPECT_EQ((*g)->certificate_chain, "CRT");
  auto k = gateway_credential(tls("SIMPLE", "kubernetes://c"), secrets, "gw");
  ASSERT_TRUE(k.ok()) << k.error().message;
  EXPECT_EQ((*k)->secret, "gw/c");
  auto same = gateway_credential(tls("SIMPLE", "kubernetes://gw/c"), secrets, "gw");
  ASSERT_TRUE(same.ok()) << same.error().message;
  EXPECT_EQ((*same)->secret, "gw/c");
  // Parsed, but an unverified reference to another namespace is never allowed (sds.go
  // filterAuthorizedResources); a Gateway API reference to the same Secret is.
  auto kn = gateway_credential(tls("SIMPLE", "kubernetes://certs/c"), secrets, "gw");
  ASSERT_FALSE(kn.ok());
  EXPECT_NE(kn.error().message.find("another namespace"), std::string::npos) << kn.error().message;
  auto bad = gateway_credential(tls("SIMPLE", "kubernetes-gateway://c"), secrets, "gw");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("Expected namespace and name"), std::string::npos);
  auto missing = gateway_credential(tls("SIMPLE", "kubernetes-gateway://other/c"), secrets, "gw");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("other/c not found"), std::string::npos);
}

}  // namespace
}  // namespace gwsim::route
