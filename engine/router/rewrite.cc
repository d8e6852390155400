#include "engine/router/rewrite.h"

#include <algorithm>

#include <re2/re2.h>

namespace gwsim::router {

using route::PathMatcher;

namespace {

// Envoy's prefix and path-separated prefix route entries both rewrite only the matched prefix
// (PrefixRouteEntryImpl / PathSeparatedPrefixRouteEntryImpl::rewritePathHeader); exact and regex
// entries rewrite the whole path.
bool replaces_prefix(const PathMatcher& m) {
  return m.kind == PathMatcher::Kind::kPrefix || m.kind == PathMatcher::Kind::kPathSeparatedPrefix;
}

}  // namespace

std::string redirect_location(const route::RedirectAction& a, const http::Request& r, const route::Route& route) {
  std::string scheme = a.scheme.empty() ? r.scheme : a.scheme;
  std::string host = a.host.empty() ? r.host : a.host;
  if (a.port) {
    host = std::string(http::host_without_port(host)) + ":" + std::to_string(a.port);
  } else if (!a.scheme.empty() && a.scheme != r.scheme) {
    // A scheme change drops the port only when it is the old scheme's default port.
    const std::string bare(http::host_without_port(host));
    const std::string port = host.size() > bare.size() ? host.substr(bare.size() + 1) : "";
    if ((r.scheme == "http" && port == "80") || (r.scheme == "https" && port == "443")) host = bare;
  }
  std::string path = r.path;
  std::string query;
  if (auto q = path.find('?'); q != std::string::npos) {
    query = path.substr(q);
    path = path.substr(0, q);
  }
  if (a.has_prefix_rewrite && replaces_prefix(route.match.path)) {
    path = a.prefix_rewrite + path.substr(std::min(path.size(), route.match.path.value.size()));
  } else if (!a.path.empty()) {
    path = a.path;
    if (path.find('?') != std::string::npos) query.clear();
  }
  return scheme + "://" + host + path + query;
}

std::string rewrite_path(const route::RouteAction& a, const route::Route& route, const std::string& original) {
  if (a.regex_rewrite && a.regex_rewrite_pattern) {
    std::string path = original, query;
    if (auto q = path.find('?'); q != std::string::npos) {
      query = path.substr(q);
      path = path.substr(0, q);
    }
    RE2::GlobalReplace(&path, *a.regex_rewrite_pattern, a.regex_rewrite->rewrite);
    return path + query;
  }
  if (a.prefix_rewrite && replaces_prefix(route.match.path)) {
    return *a.prefix_rewrite + original.substr(std::min(original.size(), route.match.path.value.size()));
  }
  if (a.prefix_rewrite) {
    // Envoy rewrites the whole path for exact and regex matches.
    auto q = original.find('?');
    return *a.prefix_rewrite + (q == std::string::npos ? "" : original.substr(q));
  }
  return original;
}

}  // namespace gwsim::router
