// Base64url (RFC 4648 section 5), as JWTs and JWKs write their parts: encoded without padding;
// decoded with or without it, as absl's WebSafeBase64Unescape (which jwt_verify_lib uses) reads.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gwsim::jwt {

std::string base64url_encode(std::string_view bytes);
// nullopt: a character outside the alphabet, misplaced padding or an impossible length.
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace gwsim::jwt
