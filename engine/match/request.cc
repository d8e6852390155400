#include "engine/match/request.h"

#include <strings.h>

namespace gwsim::match {

const std::string* Request::header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k.size() == name.size() && strncasecmp(k.data(), name.data(), name.size()) == 0) return &v;
  }
  return nullptr;
}

}  // namespace gwsim::match
