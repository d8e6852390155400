// The query string of a request target ("/p?a=1&b"): its '&'-separated name=value pairs as
// written. Readers differ in what they do with a pair (Envoy's query parameter matcher decodes
// percent escapes, Go's ParseForm also rejects ';'), so this splits and leaves decoding to them.
// Envoy's source/common/http/utility.cc (QueryParamsMulti::parseQueryString).
#pragma once

#include <cctype>
#include <optional>
#include <string>
#include <string_view>

namespace gwsim::http {

// One pair of a query: "name=value", or a bare "name" (value "", has_value false).
struct QueryPair {
  std::string_view text;  // the pair as written
  std::string_view name;
  std::string_view value;
  bool has_value = false;
};

// What follows the first '?' of a request target (fragment included); nullopt without '?'.
inline std::optional<std::string_view> query_string(std::string_view target) {
  auto q = target.find('?');
  if (q == std::string_view::npos) return std::nullopt;
  return target.substr(q + 1);
}

// Calls visit(pair) for each '&'-separated pair of `query` in order (empty pairs too, but not
// after a trailing '&') until visit returns true. Returns whether a visit returned true.
template <class Visit>
bool for_each_query_pair(std::string_view query, Visit&& visit) {
  while (!query.empty()) {
    auto amp = query.find('&');
    QueryPair pair;
    pair.text = query.substr(0, amp);
    auto eq = pair.text.find('=');
    pair.name = pair.text.substr(0, eq);
    pair.has_value = eq != std::string_view::npos;
    if (pair.has_value) pair.value = pair.text.substr(eq + 1);
    if (visit(pair)) return true;
    if (amp == std::string_view::npos) break;
    query = query.substr(amp + 1);
  }
  return false;
}

// The value of the first pair named `name` in `target`'s query, as written ("" for a bare
// name); nullopt when there is none.
inline std::optional<std::string_view> raw_query_value(std::string_view target, std::string_view name) {
  auto query = query_string(target);
  if (!query) return std::nullopt;
  std::optional<std::string_view> found;
  for_each_query_pair(*query, [&](const QueryPair& p) {
    if (p.name == name) found = p.value;
    return found.has_value();
  });
  return found;
}

// `s` with its %XX escapes decoded (a '%' not followed by two hex digits stays as written), as
// Envoy decodes query parameter names and values for its matchers and jwt_authn's fromParams.
inline std::string percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace gwsim::http
