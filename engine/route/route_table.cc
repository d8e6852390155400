#include "engine/route/route_table.h"

#include <re2/re2.h>

namespace gwsim::route {

bool StringMatcher::matches(std::string_view candidate) const {
  switch (kind) {
    case Kind::kPresent: return true;
    case Kind::kExact: return candidate == value;
    case Kind::kPrefix: return candidate.substr(0, value.size()) == value;
    case Kind::kRegex: return regex && RE2::FullMatch(re2::StringPiece(candidate.data(), candidate.size()), *regex);
  }
  return false;
}

bool RouteMatch::is_catch_all() const {
  bool catch_all = false;
  switch (path.kind) {
    case PathMatcher::Kind::kPrefix:
    case PathMatcher::Kind::kPathSeparatedPrefix:
      catch_all = path.value == "/";
      break;
    case PathMatcher::Kind::kRegex: catch_all = path.value == ".*"; break;
    case PathMatcher::Kind::kExact: break;
  }
  return catch_all && headers.empty() && query_parameters.empty() && claims.empty();  // and DynamicMetadata
}

const Listener* RouteTable::find_listener(std::uint32_t listen_port) const {
  for (const auto& l : listeners) {
    if (l.port == listen_port) return &l;
  }
  return nullptr;
}

const Cluster* RouteTable::find_cluster(const std::string& name) const {
  auto it = clusters.find(name);
  return it == clusters.end() ? nullptr : &it->second;
}

}  // namespace gwsim::route
