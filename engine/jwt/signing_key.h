// A private key that signs tokens, for scenarios that need valid, expired or wrongly signed JWTs
// without outside tools: derived from a seed (the same key on every run) or read from a PEM, for
// RS256/384/512, PS256/384/512 (RSA 2048) and ES256/384/512 (P-256, P-384, P-521). Its public
// half is written as a JWKS that RequestAuthentication's `jwks` accepts.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

struct evp_pkey_st;

namespace gwsim::jwt {

class SigningKey {
 public:
  // `error` says why there is no key ("" when there is one).
  struct Made;
  static Made from_seed(std::string_view alg, std::string_view seed);
  static Made from_pem(std::string_view alg, std::string_view pem);

  const std::string& alg() const { return alg_; }
  // {"keys":[{"kty":...,"alg":...,"kid":...,"use":"sig", public parts}]}; no kid when "".
  std::string jwks(std::string_view kid) const;
  // header.payload.signature; the header gets alg and typ "JWT" (and kid unless ""), the payload
  // is written as given.
  std::string sign(const nlohmann::json& payload, std::string_view kid) const;
  // The signature of arbitrary signing input (base64url encoded); "" on failure.
  std::string sign_input(std::string_view signing_input) const;

 private:
  std::string alg_;
  std::shared_ptr<evp_pkey_st> key_;
};

struct SigningKey::Made {
  std::shared_ptr<const SigningKey> key;
  std::string error;
};

// Algorithms SigningKey supports.
bool is_signing_alg(std::string_view alg);

}  // namespace gwsim::jwt
