// Manifest loading: YAML files and directories -> Objects with source positions.
// Multi-document files, every *.yaml / *.yml of a directory sorted by name.
#pragma once

#include <string>
#include <vector>

#include "engine/model/object.h"
#include "engine/model/result.h"

namespace gwsim::model {

struct ManifestDiagnostic {
  enum class Severity { kWarning, kError };
  Severity severity = Severity::kError;
  std::string where;  // file:line:col
  std::string message;
  std::string to_string() const;  // "file:line:col: error: message"
};

struct ManifestLoad {
  std::vector<Object> objects;                  // the documents that loaded
  std::vector<ManifestDiagnostic> diagnostics;  // warnings (unknown kinds) and errors
  bool has_errors() const;
};

// Kinds gwsim understands (stored and, where relevant, used). Unknown kinds get a warning
// and are skipped.
bool is_known_kind(const std::string& api_version, const std::string& kind);

// Load files or directories (directories: *.yaml and *.yml, sorted by name, not recursive).
ManifestLoad load_manifests(const std::vector<std::string>& paths);

// Load one YAML text; `file` names it in messages.
ManifestLoad load_manifest_text(const std::string& text, const std::string& file);

// Convert one yaml-cpp-free JSON value into an Object (for inline resources that were already
// converted, e.g. by the scenario loader). Checks apiVersion/kind/metadata.name.
Result<Object> object_from_json(Json doc, SourcePos source, std::shared_ptr<const PositionMap> positions = {});

}  // namespace gwsim::model
