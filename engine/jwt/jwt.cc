#include "engine/jwt/jwt.h"

#include <array>
#include <cmath>

#include "engine/jwt/base64url.h"

namespace gwsim::jwt {

namespace {

using Json = nlohmann::json;

enum class Read { kOk, kMissing, kWrongType, kOutOfRange };

// StructUtils::GetString
Read read_string(const Json& o, const char* key, std::string& out) {
  auto it = o.find(key);
  if (it == o.end()) return Read::kMissing;
  if (!it->is_string()) return Read::kWrongType;
  out = it->get<std::string>();
  return Read::kOk;
}

// StructUtils::GetUInt64: a JSON number (protobuf's Struct holds doubles), non-negative and
// below 2^64.
Read read_uint64(const Json& o, const char* key, std::uint64_t& out) {
  auto it = o.find(key);
  if (it == o.end()) return Read::kMissing;
  if (!it->is_number()) return Read::kWrongType;
  if (it->is_number_unsigned()) {
    out = it->get<std::uint64_t>();
    return Read::kOk;
  }
  const double v = it->get<double>();
  if (v < 0 || v >= 18446744073709551616.0) return Read::kOutOfRange;
  out = static_cast<std::uint64_t>(v);
  return Read::kOk;
}

// StructUtils::GetStringList: a string, or a list of strings.
Read read_string_list(const Json& o, const char* key, std::vector<std::string>& out) {
  auto it = o.find(key);
  if (it == o.end()) return Read::kMissing;
  if (it->is_string()) {
    out.push_back(it->get<std::string>());
    return Read::kOk;
  }
  if (!it->is_array()) return Read::kWrongType;
  for (const auto& v : *it) {
    if (!v.is_string()) return Read::kWrongType;
    out.push_back(v.get<std::string>());
  }
  return Read::kOk;
}

// JsonStringToMessage into a Struct: a JSON object.
bool parse_object(const std::string& text, Json& out) {
  out = Json::parse(text, nullptr, false);
  return !out.is_discarded() && out.is_object();
}

}  // namespace

bool is_implemented_alg(std::string_view alg) {
  static constexpr std::array<std::string_view, 13> kAlgs = {"ES256", "ES384", "ES512", "HS256", "HS384",
                                                             "HS512", "RS256", "RS384", "RS512", "PS256",
                                                             "PS384", "PS512", "EdDSA"};
  for (auto a : kAlgs)
    if (a == alg) return true;
  return false;
}

Status Jwt::parse(std::string_view token) {
  // absl::StrSplit(jwt, '.', absl::SkipEmpty()): exactly three non-empty sections.
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (start <= token.size()) {
    const std::size_t dot = token.find('.', start);
    const std::string_view part =
        token.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (!part.empty()) parts.push_back(part);
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (parts.size() != 3) return Status::kJwtBadFormat;

  header_base64url = std::string(parts[0]);
  auto header_text = base64url_decode(parts[0]);
  if (!header_text) return Status::kJwtHeaderParseErrorBadBase64;
  if (!parse_object(*header_text, header)) return Status::kJwtHeaderParseErrorBadJson;
  if (read_string(header, "alg", alg) != Read::kOk) return Status::kJwtHeaderBadAlg;
  if (!is_implemented_alg(alg)) return Status::kJwtHeaderNotImplementedAlg;
  if (read_string(header, "kid", kid) == Read::kWrongType) return Status::kJwtHeaderBadKid;

  payload_base64url = std::string(parts[1]);
  auto payload_text = base64url_decode(parts[1]);
  if (!payload_text) return Status::kJwtPayloadParseErrorBadBase64;
  if (!parse_object(*payload_text, payload)) return Status::kJwtPayloadParseErrorBadJson;
  if (read_string(payload, "iss", iss) == Read::kWrongType) return Status::kJwtPayloadParseErrorIssNotString;
  if (read_string(payload, "sub", sub) == Read::kWrongType) return Status::kJwtPayloadParseErrorSubNotString;
  switch (read_uint64(payload, "iat", iat)) {
    case Read::kWrongType:
      return Status::kJwtPayloadParseErrorIatNotInteger;
    case Read::kOutOfRange:
      return Status::kJwtPayloadParseErrorIatOutOfRange;
    default:
      break;
  }
  switch (read_uint64(payload, "nbf", nbf)) {
    case Read::kWrongType:
      return Status::kJwtPayloadParseErrorNbfNotInteger;
    case Read::kOutOfRange:
      return Status::kJwtPayloadParseErrorNbfOutOfRange;
    default:
      break;
  }
  switch (read_uint64(payload, "exp", exp)) {
    case Read::kWrongType:
      return Status::kJwtPayloadParseErrorExpNotInteger;
    case Read::kOutOfRange:
      return Status::kJwtPayloadParseErrorExpOutOfRange;
    default:
      break;
  }
  if (read_string(payload, "jti", jti) == Read::kWrongType) return Status::kJwtPayloadParseErrorJtiNotString;
  if (read_string_list(payload, "aud", audiences) == Read::kWrongType) return Status::kJwtPayloadParseErrorAudNotString;

  auto sig = base64url_decode(parts[2]);
  if (!sig) return Status::kJwtSignatureParseErrorBadBase64;
  signature = std::move(*sig);
  return Status::kOk;
}

Status Jwt::verify_time(std::uint64_t now, std::uint64_t clock_skew) const {
  if (now + clock_skew < nbf) return Status::kJwtNotYetValid;
  if (exp && now > exp + clock_skew) return Status::kJwtExpired;
  return Status::kOk;
}

}  // namespace gwsim::jwt
