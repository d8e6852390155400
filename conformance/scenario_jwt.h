// JWTs in scenarios (issue #12 item 5): keys a scenario declares under spec.jwtKeys, their JWKS
// substituted into manifests wherever a string holds "{{jwks:<key>}}", and tokens minted for a
// request's `jwt` field (valid, expired, not yet valid, or signed by another key). Keys come from
// a seed (the same key on every run) or a PEM private key. Tokens are minted against the clock
// jwt_authn checks (router::jwt_clock_now), so "expired" and "notYetValid" mean so an hour away.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "engine/jwt/signing_key.h"

namespace gwsim::conformance {

struct ScenarioJwtKey {
  std::string name;
  std::string kid;  // "" : no kid in the JWKS nor in tokens
  std::shared_ptr<const jwt::SigningKey> key;
  std::shared_ptr<const jwt::SigningKey> wrong;  // same algorithm, another key (wrongKey tokens)
};

using ScenarioJwtKeys = std::map<std::string, ScenarioJwtKey>;

// A request's `jwt` field.
struct JwtMint {
  std::string key;
  nlohmann::json claims = nlohmann::json::object();
  bool expired = false;
  bool not_yet_valid = false;
  bool wrong_key = false;
};

// jwt::SigningKey::from_seed, remembered for the process: scenarios declaring the same key share it
// (deriving an RSA key takes a while).
jwt::SigningKey::Made seeded_key(const std::string& alg, const std::string& seed);

// The signed token; `now`: seconds since the epoch.
std::string mint_token(const ScenarioJwtKey& key, const JwtMint& mint, std::uint64_t now);

// `text` with every "{{jwks:<name>}}" replaced by that key's JWKS; nullopt (and `unknown` set)
// when it names a key that is not declared.
std::optional<std::string> substitute_jwks(const std::string& text, const ScenarioJwtKeys& keys, std::string& unknown);

// Substitutes in every string value of `doc`; returns the first unknown key name ("" when none).
std::string substitute_jwks_in(nlohmann::json& doc, const ScenarioJwtKeys& keys);

}  // namespace gwsim::conformance
