// Object: one Kubernetes object as the API store keeps it (a JSON document), plus where
// each of its fields came from in the user's YAML, so later errors can name file:line:col.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace gwsim::model {

using Json = nlohmann::json;

struct SourcePos {
  std::string file;
  int line = 0;    // 1-based; 0 = unknown
  int column = 0;  // 1-based; 0 = unknown

  bool known() const { return line > 0; }
  std::string to_string() const;  // "file:line:col", or "file", or "" when unknown
  bool operator==(const SourcePos&) const = default;
};

// Positions of the fields of one document, keyed by JSON pointer ("/spec/http/0").
// Shared between copies of an Object: the store copies objects freely.
using PositionMap = std::map<std::string, SourcePos>;

struct Object {
  Json doc;  // the whole object: apiVersion, kind, metadata, spec, status
  std::shared_ptr<const PositionMap> positions;
  SourcePos source;  // where the document starts

  std::string api_version() const;
  std::string kind() const;
  std::string name() const;
  std::string namespace_() const;  // "" for cluster-scoped objects
  std::string group() const;       // "" for core, "apps", "networking.istio.io", ...

  // Best known position for a JSON pointer: the field itself, else its nearest parent.
  SourcePos position_of(const std::string& json_pointer) const;
  // "file:line:col" for a JSON pointer, for error messages.
  std::string where(const std::string& json_pointer) const { return position_of(json_pointer).to_string(); }
};

// An object with only its document: made by a controller or the API server, not read from a file.
inline Object make_object(Json doc) {
  Object object;
  object.doc = std::move(doc);
  return object;
}

// An apiVersion split at its slash: "apps/v1" -> {"apps", "v1"}, "v1" -> {"", "v1"}.
std::pair<std::string, std::string> split_api_version(std::string_view api_version);

// Human-readable reference, "Kind namespace/name" or "Kind name".
std::string describe(const Object& object);

// The JSON pointer for a dotted path such as {"spec","http",0}: "/spec/http/0".
std::string json_pointer(std::initializer_list<Json> parts);

}  // namespace gwsim::model
