#include "engine/http/connection_manager.h"

#include "engine/http/path_normalization.h"

namespace gwsim::http {

std::optional<RequestRejection> connection_manager_decode(Request& request) {
  if (request.version == 10) return RequestRejection{426, "low_version"};
  std::optional<std::string> path = normalize_path(request.path);
  if (!path) return RequestRejection{400, "path_normalization_failed"};
  request.path = std::move(*path);
  return std::nullopt;
}

}  // namespace gwsim::http
