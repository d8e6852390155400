#include "engine/jwt/verify.h"

#include "engine/jwt/detail_openssl.h"

namespace gwsim::jwt {

namespace {

// sanitizeAudience
std::string sanitize(const std::string& aud) {
  if (aud.empty()) return aud;
  std::size_t begin = 0;
  bool sanitized = false;
  if (aud.rfind("http://", 0) == 0) {
    begin = 7;
    sanitized = true;
  } else if (aud.rfind("https://", 0) == 0) {
    begin = 8;
    sanitized = true;
  }
  std::size_t end = aud.size();
  if (aud[end - 1] == '/') {
    --end;
    sanitized = true;
  }
  return sanitized ? aud.substr(begin, end > begin ? end - begin : 0) : aud;
}

}  // namespace

Status verify_signature(const Jwt& jwt, const Jwks& jwks) {
  const std::string signed_data = jwt.header_base64url + '.' + jwt.payload_base64url;
  const EVP_MD* md = detail::digest_for(jwt.alg);
  bool kid_alg_matched = false;
  for (const auto& key : jwks.keys()) {
    if (!jwt.kid.empty() && !key.kid.empty() && key.kid != jwt.kid) continue;
    if (!key.alg.empty() && key.alg != jwt.alg) continue;
    kid_alg_matched = true;
    if (key.kty == "EC") {
      if (detail::verify_ecdsa(key.key.get(), md, jwt.signature, signed_data)) return Status::kOk;
    } else if (key.kty == "RSA") {
      if (jwt.alg.compare(0, 2, "RS") == 0) {
        if (detail::verify_rsa_pkcs1(key.key.get(), md, jwt.signature, signed_data)) return Status::kOk;
      } else if (jwt.alg.compare(0, 2, "PS") == 0) {
        if (detail::verify_rsa_pss(key.key.get(), md, jwt.signature, signed_data)) return Status::kOk;
      }
    }
  }
  return kid_alg_matched ? Status::kJwtVerificationFail : Status::kJwksKidAlgMismatch;
}

bool audiences_allowed(const std::vector<std::string>& configured, const std::vector<std::string>& token) {
  if (configured.empty()) return true;
  for (const auto& aud : token) {
    const std::string t = sanitize(aud);
    for (const auto& c : configured) {
      if (sanitize(c) == t) return true;
    }
  }
  return false;
}

}  // namespace gwsim::jwt
