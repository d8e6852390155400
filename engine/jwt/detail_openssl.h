// The OpenSSL 3 calls engine/jwt makes (keys from their parts, signatures), in one place so the
// other files read as the JOSE steps they follow. Private to engine/jwt.
#pragma once

#include <openssl/evp.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace gwsim::jwt::detail {

using PkeyPtr = std::shared_ptr<EVP_PKEY>;

// nullptr when the parts do not make a key.
PkeyPtr rsa_public_key(std::string_view n, std::string_view e);
PkeyPtr ec_public_key(std::string_view crv, std::string_view x, std::string_view y);
PkeyPtr pem_public_key(std::string_view pem);
PkeyPtr pem_private_key(std::string_view pem);

// "P-256" -> 32 bytes per coordinate; 0 for an unknown curve.
std::size_t ec_coordinate_size(std::string_view crv);
// The curve of an EC key ("P-256", ...), "" when not one of the three.
std::string ec_curve_of(EVP_PKEY* key);

// SHA-256/384/512 for an alg's last three digits ("RS384" -> SHA-384); SHA-256 otherwise, as
// jwt_verify_lib defaults.
const EVP_MD* digest_for(std::string_view alg);

bool verify_rsa_pkcs1(EVP_PKEY* key, const EVP_MD* md, std::string_view signature, std::string_view data);
bool verify_rsa_pss(EVP_PKEY* key, const EVP_MD* md, std::string_view signature, std::string_view data);
// JWS ECDSA signatures are r || s, each half of the signature.
bool verify_ecdsa(EVP_PKEY* key, const EVP_MD* md, std::string_view signature, std::string_view data);

// Signing (scenario tokens): "" on failure.
std::string sign_rsa_pkcs1(EVP_PKEY* key, const EVP_MD* md, std::string_view data);
std::string sign_rsa_pss(EVP_PKEY* key, const EVP_MD* md, std::string_view data);
std::string sign_ecdsa(EVP_PKEY* key, const EVP_MD* md, std::size_t coordinate_size, std::string_view data);

// Keys derived from a seed, the same every time: RSA 2048 (e = 65537) and EC on a named curve.
PkeyPtr deterministic_rsa_key(std::string_view seed, int bits);
PkeyPtr deterministic_ec_key(std::string_view seed, std::string_view crv);

// A public key's parts as big-endian bytes (RSA n, e; EC x, y padded to the coordinate size).
bool rsa_public_parts(EVP_PKEY* key, std::string& n, std::string& e);
bool ec_public_parts(EVP_PKEY* key, std::string& x, std::string& y);

std::string sha256(std::string_view data);

}  // namespace gwsim::jwt::detail
