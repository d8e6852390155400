// Texts as jwt_verify_lib's src/status.cc getStatusString words them.
#include "engine/jwt/status.h"

namespace gwsim::jwt {

std::string_view status_text(Status status) {
  switch (status) {
    case Status::kOk:
      return "OK";
    case Status::kJwtMissed:
      return "Jwt is missing";
    case Status::kJwtNotYetValid:
      return "Jwt not yet valid";
    case Status::kJwtExpired:
      return "Jwt is expired";
    case Status::kJwtBadFormat:
      return "Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections";
    case Status::kJwtHeaderParseErrorBadBase64:
      return "Jwt header is an invalid Base64url encoded";
    case Status::kJwtHeaderParseErrorBadJson:
      return "Jwt header is an invalid JSON";
    case Status::kJwtHeaderBadAlg:
      return "Jwt header [alg] field is required and must be a string";
    case Status::kJwtHeaderNotImplementedAlg:
      return "Jwt header [alg] is not supported";
    case Status::kJwtHeaderBadKid:
      return "Jwt header [kid] field is not a string";
    case Status::kJwtPayloadParseErrorBadBase64:
      return "Jwt payload is an invalid Base64url encoded";
    case Status::kJwtPayloadParseErrorBadJson:
      return "Jwt payload is an invalid JSON";
    case Status::kJwtPayloadParseErrorIssNotString:
      return "Jwt payload [iss] field is not a string";
    case Status::kJwtPayloadParseErrorSubNotString:
      return "Jwt payload [sub] field is not a string";
    case Status::kJwtPayloadParseErrorIatNotInteger:
      return "Jwt payload [iat] field is not an integer";
    case Status::kJwtPayloadParseErrorIatOutOfRange:
      return "Jwt payload [iat] field is not a positive 64 bit integer";
    case Status::kJwtPayloadParseErrorNbfNotInteger:
      return "Jwt payload [nbf] field is not an integer";
    case Status::kJwtPayloadParseErrorNbfOutOfRange:
      return "Jwt payload [nbf] field is not a positive 64 bit integer";
    case Status::kJwtPayloadParseErrorExpNotInteger:
      return "Jwt payload [exp] field is not an integer";
    case Status::kJwtPayloadParseErrorExpOutOfRange:
      return "Jwt payload [exp] field is not a positive 64 bit integer";
    case Status::kJwtPayloadParseErrorJtiNotString:
      return "Jwt payload [jti] field is not a string";
    case Status::kJwtPayloadParseErrorAudNotString:
      return "Jwt payload [aud] field is not a string or string list";
    case Status::kJwtSignatureParseErrorBadBase64:
      return "Jwt signature is an invalid Base64url encoded";
    case Status::kJwtUnknownIssuer:
      return "Jwt issuer is not configured";
    case Status::kJwtAudienceNotAllowed:
      return "Audiences in Jwt are not allowed";
    case Status::kJwtVerificationFail:
      return "Jwt verification fails";
    case Status::kJwtMultipleTokens:
      return "Found multiple Jwt tokens";
    case Status::kJwksParseError:
      return "Jwks is an invalid JSON";
    case Status::kJwksNoKeys:
      return "Jwks does not have [keys] field";
    case Status::kJwksBadKeys:
      return "[keys] in Jwks is not an array";
    case Status::kJwksNoValidKeys:
      return "Jwks doesn't have any valid public key";
    case Status::kJwksKidAlgMismatch:
      return "Jwks doesn't have key to match kid or alg from Jwt";
    case Status::kJwksRsaParseError:
      return "Jwks RSA [n] or [e] field is missing or has a parse error";
    case Status::kJwksEcCreateKeyFail:
      return "Jwks EC create key fail";
    case Status::kJwksEcXorYBadBase64:
      return "Jwks EC [x] or [y] field is an invalid Base64.";
    case Status::kJwksEcParseError:
      return "Jwks EC [x] and [y] fields have a parse error.";
    case Status::kJwksMissingKty:
      return "[kty] is missing in [keys]";
    case Status::kJwksBadKty:
      return "[kty] is bad in [keys]";
    case Status::kJwksNotImplementedKty:
      return "[kty] is not supported in [keys]";
    case Status::kJwksRSAKeyBadAlg:
      return "[alg] is not started with [RS] or [PS] for an RSA key";
    case Status::kJwksRSAKeyMissingN:
      return "[n] field is missing for a RSA key";
    case Status::kJwksRSAKeyBadN:
      return "[n] field is not string for a RSA key";
    case Status::kJwksRSAKeyMissingE:
      return "[e] field is missing for a RSA key";
    case Status::kJwksRSAKeyBadE:
      return "[e] field is not string for a RSA key";
    case Status::kJwksECKeyBadAlg:
      return "[alg] is not started with [ES] for an EC key";
    case Status::kJwksECKeyBadCrv:
      return "[crv] field is not string for an EC key";
    case Status::kJwksECKeyAlgOrCrvUnsupported:
      return "[crv] or [alg] field is not supported for an EC key";
    case Status::kJwksECKeyAlgNotCompatibleWithCrv:
      return "[crv] field specified is not compatible with [alg] for an EC key";
    case Status::kJwksECKeyMissingX:
      return "[x] field is missing for an EC key";
    case Status::kJwksECKeyBadX:
      return "[x] field is not string for an EC key";
    case Status::kJwksECKeyMissingY:
      return "[y] field is missing for an EC key";
    case Status::kJwksECKeyBadY:
      return "[y] field is not string for an EC key";
    case Status::kJwksPemBadBase64:
      return "PEM pubkey parse fails";
    case Status::kJwksPemNotImplementedKty:
      return "PEM Key type is not supported";
  }
  return "";
}

}  // namespace gwsim::jwt
