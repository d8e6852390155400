#include "engine/model/object_names.h"

#include <regex>

namespace gwsim::model {

namespace {

const std::regex& dns1123_label_re() {
  static const std::regex re("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  return re;
}
const std::regex& dns1123_subdomain_re() {
  static const std::regex re("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  return re;
}
const std::regex& dns1035_label_re() {
  static const std::regex re("[a-z]([-a-z0-9]*[a-z0-9])?");
  return re;
}

// IsDNS1123Label.
std::string dns1123_label_problem(const std::string& name) {
  if (name.size() > 63) return "must be no more than 63 characters";
  if (!std::regex_match(name, dns1123_label_re()))
    return "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must "
           "start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for "
           "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
  return {};
}

}  // namespace

std::string object_name_problem(const std::string& group, const std::string& kind, const std::string& name) {
  if (group.empty() && kind == "Namespace") return dns1123_label_problem(name);
  if (group.empty() && kind == "Service") {  // ValidateServiceName: IsDNS1035Label
    if (name.size() > 63) return "must be no more than 63 characters";
    if (!std::regex_match(name, dns1035_label_re()))
      return "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
             "alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', "
             "regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
    return {};
  }
  // NameIsDNSSubdomain, the rule of most kinds (CRDs' objects included).
  if (name.size() > 253) return "must be no more than 253 characters";
  if (!std::regex_match(name, dns1123_subdomain_re()))
    return "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and "
           "must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
           "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
  return {};
}

}  // namespace gwsim::model
