// ASCII text as HTTP and Kubernetes treat it: header names, SNI and hosts compare without
// regard to case (RFC 9110 5.1, RFC 4343), and only ASCII letters fold. Envoy's
// source/common/common/utility.h (StringUtil::toLower, CaseInsensitiveCompare, trim).
#pragma once

#include <cctype>
#include <string>
#include <string_view>

namespace gwsim::text {

inline char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
inline char ascii_upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

// s with A-Z folded to a-z.
inline std::string to_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = ascii_lower(c);
  return out;
}

// s with a-z folded to A-Z.
inline std::string to_upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = ascii_upper(c);
  return out;
}

// a == b, ignoring ASCII case.
inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

// s without leading and trailing whitespace (space, \t, \n, \v, \f, \r).
inline std::string_view trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

}  // namespace gwsim::text
