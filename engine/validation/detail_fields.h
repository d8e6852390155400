// Reading a spec that passed the CRD schema check (types are guaranteed, so absent fields are
// the only case), and the field checks several of Istio's kinds share (pkg/config/validation/
// validation.go validateExportTo, validateGatewayNames, validateStringMatch, validateDestination,
// validateHeaders, validateRouteDestinations, validatePercentage, validateHTTPStatus). Where Istio
// walks a Go map (random order) we walk keys sorted.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/model/json_fields.h"
#include "engine/model/object.h"
#include "engine/validation/detail_rules.h"

namespace gwsim::validation::detail {

using model::Json;

// ---- JSON access ----------------------------------------------------------------------------
const Json* get(const Json& o, const char* key);  // nullptr when absent or null
inline bool has(const Json& o, const char* key) { return get(o, key) != nullptr; }
using model::string_member;  // "" when absent, null or not a string
std::int64_t integer(const Json& o, const char* key);
double number(const Json& o, const char* key);
bool boolean(const Json& o, const char* key);
const Json& list(const Json& o, const char* key);
std::vector<std::string> strings(const Json& o, const char* key);
std::map<std::string, std::string> string_map(const Json& o, const char* key);
// A map-valued field's entries, sorted by key (nlohmann keeps objects sorted).
const Json& members(const Json& o, const char* key);
std::int64_t duration_ns(const Json& o, const char* key);
std::string join(const std::vector<std::string>& items, const std::string& sep);
// Go's %v of a []string: "[a b]".
std::string go_list(const std::vector<std::string>& items);
// Go's %v of a networking.Port message, as its String() prints it.
std::string port_text(const Json& port);

// ---- shared checks ----------------------------------------------------------------------------
Errors validate_export_to(const std::string& ns, const std::vector<std::string>& export_to, bool service_entry,
                          bool dr_with_selector);
Errors validate_gateway_names(const std::vector<std::string>& names);
std::optional<std::string> validate_string_match_regexp(const Json* sm, const std::string& where);
std::optional<std::string> validate_string_match(const Json* sm, const std::string& where);
Errors validate_destination(const Json* d);
void validate_header_operations(Errors& e, const Json* headers);
Errors validate_route_destinations(const Json& routes, bool http);
std::optional<std::string> validate_percentage(const Json* p);
std::optional<std::string> validate_http_status(std::int64_t status);

}  // namespace gwsim::validation::detail
