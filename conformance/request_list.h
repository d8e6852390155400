// A file of requests in the shape a scenario step's `request` has (docs/scenario-format.md), for
// commands that send requests of the user's besides their own (`gwsim diff --requests FILE`):
//
//   requests:
//     - {host: www.example.com, path: /api}
//     - {host: www.example.com, path: /, headers: {version: v2}, port: 443, scheme: https}
//
// A plain YAML list of the same entries is read too. `count` and `jwt` are refused (a request is
// sent once; no scenario keys are at hand).
#pragma once

#include <string>
#include <vector>

#include "conformance/scenario_spec.h"
#include "engine/model/object.h"
#include "engine/model/result.h"

namespace gwsim::conformance {

struct ListedRequest {
  RequestSpec request;
  model::SourcePos source;  // where the entry starts
};

struct RequestListLoad {
  std::vector<ListedRequest> requests;
  std::vector<Error> errors;  // each with file:line:col; requests is empty when there are any
};

RequestListLoad load_request_list(const std::string& path);
RequestListLoad load_request_list_text(const std::string& text, const std::string& file);

}  // namespace gwsim::conformance
