#include "engine/config_dump/certificate_info.h"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cctype>
#include <memory>

namespace gwsim::config_dump {

namespace {

// RFC 3339 in UTC, as Go's time.Time prints in istioctl's table.
std::optional<std::time_t> to_time(const ASN1_TIME* t, std::string& text) {
  std::tm tm{};
  if (!t || ASN1_TIME_to_tm(t, &tm) != 1) return std::nullopt;
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  text = buffer;
  return timegm(&tm);
}

}  // namespace

std::optional<CertificateInfo> certificate_info(const std::string& pem, std::time_t now) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  if (!bio) return std::nullopt;
  std::unique_ptr<X509, decltype(&X509_free)> cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), &X509_free);
  if (!cert) return std::nullopt;
  CertificateInfo info;
  std::unique_ptr<BIGNUM, decltype(&BN_free)> serial(ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert.get()), nullptr),
                                                     &BN_free);
  if (serial) {
    char* hex = BN_bn2hex(serial.get());
    if (hex) {
      std::string s = hex;
      OPENSSL_free(hex);
      const auto first = s.find_first_not_of('0');
      s = first == std::string::npos ? "0" : s.substr(first);
      for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      info.serial_number = s;
    }
  }
  const auto before = to_time(X509_get0_notBefore(cert.get()), info.not_before);
  const auto after = to_time(X509_get0_notAfter(cert.get()), info.not_after);
  info.valid = before && after && *before <= now && now <= *after;
  return info;
}

}  // namespace gwsim::config_dump
