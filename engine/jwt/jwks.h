// A JSON Web Key Set (RFC 7517) of public keys, read as jwt_verify_lib's Jwks::createFrom reads
// one (src/jwks.cc createFromJwksCore, extractJwk): RSA keys from n and e, EC keys from crv, x
// and y (P-256, P-384, P-521); kid and alg kept for matching a token's header. A key that cannot
// be read is skipped; a set with none left is kJwksNoValidKeys. A PEM public key (Jwks::PEM) is
// one key without kid or alg.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/jwt/status.h"

struct evp_pkey_st;  // OpenSSL's EVP_PKEY, kept out of this header

namespace gwsim::jwt {

struct PublicKey {
  std::string kty;  // "RSA" | "EC"
  std::string kid;  // "" when the key has none
  std::string alg;  // "" when the key has none
  std::string crv;  // EC: "P-256", "P-384", "P-521"
  std::shared_ptr<evp_pkey_st> key;
};

class Jwks {
 public:
  static Jwks from_json(std::string_view json);
  static Jwks from_pem(std::string_view pem);

  // kOk when at least one key was read; else why none was (the last key's problem, or the set's).
  Status status() const { return status_; }
  const std::vector<PublicKey>& keys() const { return keys_; }

 private:
  Status status_ = Status::kOk;
  std::vector<PublicKey> keys_;
};

}  // namespace gwsim::jwt
