#include "conformance/scenario_jwt.h"

#include <mutex>

namespace gwsim::conformance {

namespace {
constexpr std::uint64_t kHour = 3600;  // well past jwt_authn's 60 s clock skew
}

jwt::SigningKey::Made seeded_key(const std::string& alg, const std::string& seed) {
  static std::mutex mutex;
  static std::map<std::pair<std::string, std::string>, jwt::SigningKey::Made> cache;
  std::lock_guard<std::mutex> lock(mutex);
  auto key = std::make_pair(alg, seed);
  auto it = cache.find(key);
  if (it == cache.end()) it = cache.emplace(key, jwt::SigningKey::from_seed(alg, seed)).first;
  return it->second;
}

std::string mint_token(const ScenarioJwtKey& key, const JwtMint& mint, std::uint64_t now) {
  nlohmann::json claims = mint.claims;
  if (mint.expired) claims["exp"] = now - kHour;
  if (mint.not_yet_valid) claims["nbf"] = now + kHour;
  const jwt::SigningKey& signer = mint.wrong_key ? *key.wrong : *key.key;
  return signer.sign(claims, key.kid);
}

std::optional<std::string> substitute_jwks(const std::string& text, const ScenarioJwtKeys& keys, std::string& unknown) {
  static constexpr std::string_view kOpen = "{{jwks:";
  if (text.find(kOpen) == std::string::npos) return text;
  std::string out;
  std::size_t pos = 0;
  for (;;) {
    const std::size_t open = text.find(kOpen, pos);
    if (open == std::string::npos) break;
    const std::size_t close = text.find("}}", open);
    if (close == std::string::npos) break;
    const std::string name = text.substr(open + kOpen.size(), close - open - kOpen.size());
    auto it = keys.find(name);
    if (it == keys.end()) {
      unknown = name;
      return std::nullopt;
    }
    out += text.substr(pos, open - pos);
    out += it->second.key->jwks(it->second.kid);
    pos = close + 2;
  }
  out += text.substr(pos);
  return out;
}

std::string substitute_jwks_in(nlohmann::json& doc, const ScenarioJwtKeys& keys) {
  if (doc.is_string()) {
    std::string unknown;
    auto replaced = substitute_jwks(doc.get<std::string>(), keys, unknown);
    if (!replaced) return unknown;
    doc = *replaced;
    return {};
  }
  if (doc.is_object() || doc.is_array()) {
    for (auto& item : doc) {
      std::string unknown = substitute_jwks_in(item, keys);
      if (!unknown.empty()) return unknown;
    }
  }
  return {};
}

}  // namespace gwsim::conformance
