#include "engine/jwt/signing_key.h"

#include <openssl/evp.h>

#include "engine/jwt/base64url.h"
#include "engine/jwt/detail_openssl.h"

namespace gwsim::jwt {

namespace {

std::string_view family(std::string_view alg) { return alg.substr(0, 2); }

std::string curve_for(std::string_view alg) {
  if (alg == "ES256") return "P-256";
  if (alg == "ES384") return "P-384";
  if (alg == "ES512") return "P-521";
  return {};
}

}  // namespace

bool is_signing_alg(std::string_view alg) {
  return alg == "RS256" || alg == "RS384" || alg == "RS512" || alg == "PS256" || alg == "PS384" || alg == "PS512" ||
         alg == "ES256" || alg == "ES384" || alg == "ES512";
}

SigningKey::Made SigningKey::from_seed(std::string_view alg, std::string_view seed) {
  Made made;
  if (!is_signing_alg(alg)) {
    made.error = "algorithm \"" + std::string(alg) +
                 "\" is not one of RS256, RS384, RS512, PS256, PS384, PS512, "
                 "ES256, ES384, ES512";
    return made;
  }
  auto key = std::make_shared<SigningKey>();
  key->alg_ = std::string(alg);
  key->key_ = family(alg) == "ES" ? detail::deterministic_ec_key(seed, curve_for(alg))
                                  : detail::deterministic_rsa_key(seed, 2048);
  if (!key->key_) {
    made.error = "could not derive a key";
    return made;
  }
  made.key = std::move(key);
  return made;
}

SigningKey::Made SigningKey::from_pem(std::string_view alg, std::string_view pem) {
  Made made;
  if (!is_signing_alg(alg)) {
    made.error = "algorithm \"" + std::string(alg) +
                 "\" is not one of RS256, RS384, RS512, PS256, PS384, PS512, "
                 "ES256, ES384, ES512";
    return made;
  }
  auto key = std::make_shared<SigningKey>();
  key->alg_ = std::string(alg);
  key->key_ = detail::pem_private_key(pem);
  if (!key->key_) {
    made.error = "not a PEM private key";
    return made;
  }
  const int id = EVP_PKEY_get_base_id(key->key_.get());
  if (family(alg) == "ES" ? (id != EVP_PKEY_EC || detail::ec_curve_of(key->key_.get()) != curve_for(alg))
                          : id != EVP_PKEY_RSA) {
    made.error = family(alg) == "ES"
                     ? "the PEM key is not an EC key on " + curve_for(alg) + " (as " + std::string(alg) + " needs)"
                     : "the PEM key is not an RSA key (as " + std::string(alg) + " needs)";
    return made;
  }
  made.key = std::move(key);
  return made;
}

std::string SigningKey::jwks(std::string_view kid) const {
  nlohmann::json jwk = nlohmann::json::object();
  if (family(alg_) == "ES") {
    std::string x, y;
    detail::ec_public_parts(key_.get(), x, y);
    jwk["kty"] = "EC";
    jwk["crv"] = curve_for(alg_);
    jwk["x"] = base64url_encode(x);
    jwk["y"] = base64url_encode(y);
  } else {
    std::string n, e;
    detail::rsa_public_parts(key_.get(), n, e);
    jwk["kty"] = "RSA";
    jwk["n"] = base64url_encode(n);
    jwk["e"] = base64url_encode(e);
  }
  jwk["alg"] = alg_;
  jwk["use"] = "sig";
  if (!kid.empty()) jwk["kid"] = std::string(kid);
  return nlohmann::json{{"keys", nlohmann::json::array({jwk})}}.dump();
}

std::string SigningKey::sign_input(std::string_view input) const {
  const EVP_MD* md = detail::digest_for(alg_);
  std::string sig;
  if (family(alg_) == "ES")
    sig = detail::sign_ecdsa(key_.get(), md, detail::ec_coordinate_size(curve_for(alg_)), input);
  else if (family(alg_) == "PS")
    sig = detail::sign_rsa_pss(key_.get(), md, input);
  else
    sig = detail::sign_rsa_pkcs1(key_.get(), md, input);
  return sig.empty() ? std::string() : base64url_encode(sig);
}

std::string SigningKey::sign(const nlohmann::json& payload, std::string_view kid) const {
  nlohmann::json header = {{"alg", alg_}, {"typ", "JWT"}};
  if (!kid.empty()) header["kid"] = std::string(kid);
  const std::string input = base64url_encode(header.dump()) + "." + base64url_encode(payload.dump());
  return input + "." + sign_input(input);
}

}  // namespace gwsim::jwt
