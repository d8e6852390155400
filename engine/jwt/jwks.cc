#include "engine/jwt/jwks.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include <nlohmann/json.hpp>

#include "engine/jwt/base64url.h"
#include "engine/jwt/detail_openssl.h"

namespace gwsim::jwt {

namespace {

using Json = nlohmann::json;

enum class Field { kOk, kMissing, kWrongType };

Field get_string(const Json& o, const char* key, std::string& out) {
  auto it = o.find(key);
  if (it == o.end()) return Field::kMissing;
  if (!it->is_string()) return Field::kWrongType;
  out = it->get<std::string>();
  return Field::kOk;
}

// KeyGetter::createRsaFromJwk: n and e are base64url big-endian integers.
Status rsa_key(const std::string& n64, const std::string& e64, PublicKey& key) {
  auto n = base64url_decode(n64);
  auto e = base64url_decode(e64);
  if (!n || !e || n->empty() || e->empty()) return Status::kJwksRsaParseError;
  key.key = detail::rsa_public_key(*n, *e);
  return key.key ? Status::kOk : Status::kJwksRsaParseError;
}

// extractJwkFromJwkRSA
Status read_rsa(const Json& jwk, PublicKey& key) {
  if (!key.alg.empty() &&
      (key.alg.size() < 2 || (key.alg.compare(0, 2, "RS") != 0 && key.alg.compare(0, 2, "PS") != 0)))
    return Status::kJwksRSAKeyBadAlg;
  std::string n, e;
  switch (get_string(jwk, "n", n)) {
    case Field::kMissing:
      return Status::kJwksRSAKeyMissingN;
    case Field::kWrongType:
      return Status::kJwksRSAKeyBadN;
    case Field::kOk:
      break;
  }
  switch (get_string(jwk, "e", e)) {
    case Field::kMissing:
      return Status::kJwksRSAKeyMissingE;
    case Field::kWrongType:
      return Status::kJwksRSAKeyBadE;
    case Field::kOk:
      break;
  }
  return rsa_key(n, e, key);
}

// extractJwkFromJwkEC
Status read_ec(const Json& jwk, PublicKey& key) {
  if (!key.alg.empty() && (key.alg.size() < 2 || key.alg.compare(0, 2, "ES") != 0)) return Status::kJwksECKeyBadAlg;
  if (get_string(jwk, "crv", key.crv) == Field::kWrongType) return Status::kJwksECKeyBadCrv;
  if (!key.alg.empty() && !key.crv.empty()) {
    if (!((key.alg == "ES256" && key.crv == "P-256") || (key.alg == "ES384" && key.crv == "P-384") ||
          (key.alg == "ES512" && key.crv == "P-521")))
      return Status::kJwksECKeyAlgNotCompatibleWithCrv;
  }
  if (key.alg.empty() && key.crv.empty()) key.crv = "P-256";
  if (key.alg == "ES256" || key.crv == "P-256")
    key.crv = "P-256";
  else if (key.alg == "ES384" || key.crv == "P-384")
    key.crv = "P-384";
  else if (key.alg == "ES512" || key.crv == "P-521")
    key.crv = "P-521";
  else
    return Status::kJwksECKeyAlgOrCrvUnsupported;
  std::string x64, y64;
  switch (get_string(jwk, "x", x64)) {
    case Field::kMissing:
      return Status::kJwksECKeyMissingX;
    case Field::kWrongType:
      return Status::kJwksECKeyBadX;
    case Field::kOk:
      break;
  }
  switch (get_string(jwk, "y", y64)) {
    case Field::kMissing:
      return Status::kJwksECKeyMissingY;
    case Field::kWrongType:
      return Status::kJwksECKeyBadY;
    case Field::kOk:
      break;
  }
  auto x = base64url_decode(x64);
  auto y = base64url_decode(y64);
  if (!x || !y) return Status::kJwksEcXorYBadBase64;
  key.key = detail::ec_public_key(key.crv, *x, *y);
  return key.key ? Status::kOk : Status::kJwksEcParseError;
}

// extractJwk
Status read_key(const Json& jwk, PublicKey& key) {
  switch (get_string(jwk, "kty", key.kty)) {
    case Field::kMissing:
      return Status::kJwksMissingKty;
    case Field::kWrongType:
      return Status::kJwksBadKty;
    case Field::kOk:
      break;
  }
  get_string(jwk, "kid", key.kid);
  get_string(jwk, "alg", key.alg);
  if (key.kty == "EC") return read_ec(jwk, key);
  if (key.kty == "RSA") return read_rsa(jwk, key);
  return Status::kJwksNotImplementedKty;
}

}  // namespace

Jwks Jwks::from_json(std::string_view json) {
  Jwks out;
  Json doc = Json::parse(json, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    out.status_ = Status::kJwksParseError;
    return out;
  }
  auto keys = doc.find("keys");
  if (keys == doc.end()) {
    out.status_ = Status::kJwksNoKeys;
    return out;
  }
  if (!keys->is_array()) {
    out.status_ = Status::kJwksBadKeys;
    return out;
  }
  Status last = Status::kOk;
  for (const auto& item : *keys) {
    if (!item.is_object()) continue;
    PublicKey key;
    Status s = read_key(item, key);
    if (s == Status::kOk)
      out.keys_.push_back(std::move(key));
    else
      last = s;
  }
  out.status_ = out.keys_.empty() ? Status::kJwksNoValidKeys : Status::kOk;
  (void)last;  // createFromJwksCore ends with JwksNoValidKeys whatever the keys' problems were
  return out;
}

Jwks Jwks::from_pem(std::string_view pem) {
  Jwks out;
  std::shared_ptr<EVP_PKEY> pkey = detail::pem_public_key(pem);
  if (!pkey) {
    out.status_ = Status::kJwksPemBadBase64;
    return out;
  }
  PublicKey key;
  const int id = EVP_PKEY_get_base_id(pkey.get());
  if (id == EVP_PKEY_RSA) {
    key.kty = "RSA";
  } else if (id == EVP_PKEY_EC) {
    key.kty = "EC";
  } else {
    out.status_ = Status::kJwksPemNotImplementedKty;
    return out;
  }
  key.key = std::move(pkey);
  out.keys_.push_back(std::move(key));
  return out;
}

}  // namespace gwsim::jwt
