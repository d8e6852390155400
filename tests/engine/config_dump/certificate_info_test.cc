// certificate_info: the columns of istioctl's secret table for a PEM certificate.
#include "engine/config_dump/certificate_info.h"

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <gtest/gtest.h>

namespace gwsim::config_dump {
namespace {

// A self-signed P-256 certificate with serial 0x0abc, valid from 2023-05-15T01:30:52Z for a day.
std::string certificate() {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* cert = X509_new();
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 0x0abc);
  ASN1_TIME_set(X509_getm_notBefore(cert), 1684114252);
  ASN1_TIME_set(X509_getm_notAfter(cert), 1684114252 + 86400);
  X509_set_pubkey(cert, key);
  X509_sign(cert, key, EVP_sha256());
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, cert);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<std::size_t>(size));
  BIO_free(bio);
  X509_free(cert);
  EVP_PKEY_free(key);
  return pem;
}

TEST(CertificateInfo, SerialInLowerCaseHexAndTheValidityAsIstioctlPrintsThem) {
  const std::string pem = certificate();
  const auto inside = certificate_info(pem, 1684114252 + 3600);
  ASSERT_TRUE(inside);
  EXPECT_EQ(inside->serial_number, "abc");
  EXPECT_EQ(inside->not_before, "2023-05-15T01:30:52Z");
  EXPECT_EQ(inside->not_after, "2023-05-16T01:30:52Z");
  EXPECT_TRUE(inside->valid);
  EXPECT_FALSE(certificate_info(pem, 1684114252 + 2 * 86400)->valid);
  EXPECT_FALSE(certificate_info("not a certificate", 0));
}

}  // namespace
}  // namespace gwsim::config_dump
