#include "engine/model/labels.h"

namespace gwsim::model {

bool selects(const Labels& selector, const Labels& labels) {
  for (const auto& [k, v] : selector) {
    auto it = labels.find(k);
    if (it == labels.end() || it->second != v) return false;
  }
  return true;
}

bool selects(const Labels& selector, const Json& labels) {
  for (const auto& [k, v] : selector) {
    if (!labels.is_object()) return false;
    auto it = labels.find(k);
    if (it == labels.end() || !it->is_string() || it->get_ref<const std::string&>() != v) return false;
  }
  return true;
}

}  // namespace gwsim::model
