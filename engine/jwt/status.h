// The outcome of parsing a JWT or a JWKS and of verifying a token, with the texts Envoy answers
// with (google/jwt_verify_lib src/status.cc getStatusString, which Envoy's jwt_authn filter puts
// in a 401's body). Only the statuses gwsim can produce are listed (no HMAC, OKP or X.509 keys).
#pragma once

#include <string_view>

namespace gwsim::jwt {

enum class Status {
  kOk,
  // The token
  kJwtMissed,
  kJwtNotYetValid,
  kJwtExpired,
  kJwtBadFormat,
  kJwtHeaderParseErrorBadBase64,
  kJwtHeaderParseErrorBadJson,
  kJwtHeaderBadAlg,
  kJwtHeaderNotImplementedAlg,
  kJwtHeaderBadKid,
  kJwtPayloadParseErrorBadBase64,
  kJwtPayloadParseErrorBadJson,
  kJwtPayloadParseErrorIssNotString,
  kJwtPayloadParseErrorSubNotString,
  kJwtPayloadParseErrorIatNotInteger,
  kJwtPayloadParseErrorIatOutOfRange,
  kJwtPayloadParseErrorNbfNotInteger,
  kJwtPayloadParseErrorNbfOutOfRange,
  kJwtPayloadParseErrorExpNotInteger,
  kJwtPayloadParseErrorExpOutOfRange,
  kJwtPayloadParseErrorJtiNotString,
  kJwtPayloadParseErrorAudNotString,
  kJwtSignatureParseErrorBadBase64,
  kJwtUnknownIssuer,
  kJwtAudienceNotAllowed,
  kJwtVerificationFail,
  kJwtMultipleTokens,
  // The key set
  kJwksParseError,
  kJwksNoKeys,
  kJwksBadKeys,
  kJwksNoValidKeys,
  kJwksKidAlgMismatch,
  kJwksRsaParseError,
  kJwksEcCreateKeyFail,
  kJwksEcXorYBadBase64,
  kJwksEcParseError,
  kJwksMissingKty,
  kJwksBadKty,
  kJwksNotImplementedKty,
  kJwksRSAKeyBadAlg,
  kJwksRSAKeyMissingN,
  kJwksRSAKeyBadN,
  kJwksRSAKeyMissingE,
  kJwksRSAKeyBadE,
  kJwksECKeyBadAlg,
  kJwksECKeyBadCrv,
  kJwksECKeyAlgOrCrvUnsupported,
  kJwksECKeyAlgNotCompatibleWithCrv,
  kJwksECKeyMissingX,
  kJwksECKeyBadX,
  kJwksECKeyMissingY,
  kJwksECKeyBadY,
  kJwksPemBadBase64,
  kJwksPemNotImplementedKty,
};

// getStatusString: "Jwt is expired", "Jwt verification fails", ...
std::string_view status_text(Status status);

}  // namespace gwsim::jwt
