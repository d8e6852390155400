// The names Kubernetes accepts for an object and its namespace, checked as each kind's registry
// checks them (k8s.io/apimachinery/pkg/util/validation: IsDNS1123Subdomain for most kinds,
// IsDNS1035Label for Services, IsDNS1123Label for Namespaces and namespace names), in the API
// server's words. Both front doors use it: the fake API server (a 422 Invalid) and the manifest
// loader (file:line), so a name one refuses the other refuses too.
#pragma once

#include <string>

namespace gwsim::model {

// Why `name` is not a valid metadata.name for (group, kind); "" when it is.
std::string object_name_problem(const std::string& group, const std::string& kind, const std::string& name);

}  // namespace gwsim::model
