// The gateway's path normalisation, as Istio configures Envoy's HTTP connection manager by
// default: `normalize_path: true`, `merge_slashes: false`, `path_with_escaped_slashes_action:
// KEEP_UNCHANGED` (pilot/pkg/networking/core/listener_builder.go, buildHTTPConnectionManager:
// meshConfig.pathNormalization DEFAULT is BASE). Envoy then rewrites :path with
// PathUtil::canonicalPath (source/common/http/path_utility.cc, PathTransformer::rfcNormalize),
// which runs Chromium's URL path canonicaliser on the part before '?' and keeps the query as is.
// It happens in the connection manager before any filter or route sees the request, so both the
// routing and the upstream's :path see the normalised path.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gwsim::http {

// Chromium's CanonicalizePath as Envoy uses it, on a path without its query: backslashes become
// slashes; "." and ".." segments (also written %2e) are resolved and never climb above the root;
// escaped unreserved characters (letters, digits, - . _ ~) are decoded; other escapes keep their
// case (so %2F and %5C stay escaped); characters a URL may not hold (space, '"', '<', control
// characters, bytes >= 0x80, ...) are escaped; repeated slashes are kept. nullopt: the path
// cannot be canonicalised (a NUL, raw or escaped), which Envoy answers with 400.
std::optional<std::string> canonicalize_path(std::string_view path);

// PathUtil::canonicalPath on a request's :path (path and query): the path canonicalised, the
// query ('?' onwards) appended unchanged.
std::optional<std::string> normalize_path(std::string_view path_and_query);

}  // namespace gwsim::http
