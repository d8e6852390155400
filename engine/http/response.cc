#include "engine/http/response.h"

#include <strings.h>

namespace gwsim::http {

const std::string* Response::header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k.size() == name.size() && strncasecmp(k.data(), name.data(), name.size()) == 0) return &v;
  }
  return nullptr;
}

}  // namespace gwsim::http
