// The one door for untrusted YAML and JSON text: every loader (manifest files, scenario files,
// API server bodies, the proxy.istio.io/config annotation) turns text into documents here, so
// that a hostile document is refused with a clear error before anything expands or recurses.
//
// Follows what kube-apiserver refuses: go-yaml's alias-expansion guard (yaml.v2/v3 decode.go
// allowedAliasRatio, "document contains excessive aliasing", added for CVE-2019-11253), Go's
// encoding/json nesting limit (src/encoding/json/scanner.go maxNestingDepth = 10000, "exceeded max
// depth"; kube decodes JSON with sigs.k8s.io/json, a fork of that scanner), and its request body
// limit (k8s.io/apiserver server/config.go MaxRequestBodyBytes = 3 MiB).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "engine/model/object.h"
#include "engine/model/yaml_tree.h"

namespace gwsim::model {

// ---- The limits, in one place --------------------------------------------------------------------

// Bytes of one YAML or JSON text (a document, a request body): kube-apiserver refuses request
// bodies over 3 MiB, so no object a real cluster accepts is larger.
inline constexpr std::size_t kMaxDocumentBytes = 3 * 1024 * 1024;

// Nesting of mappings and sequences (objects and arrays), aliases expanded. Go's encoding/json
// (and so kube-apiserver) stops at 10000; gwsim's converters and nlohmann::json's dump recurse
// once per level, and 10000 levels stay far inside an 8 MiB thread stack.
inline constexpr int kMaxNestingDepth = 10000;

// Nodes that aliases may add to one text once expanded. Aliases in manifests share small
// fragments (a label set, a `<<: *defaults` merge), a few hundred nodes at most; 10000 leaves
// ample room and costs a few MB, while a "billion laughs" document (9 aliases of 9 aliases...)
// is refused at the first alias that crosses it, before anything is expanded. go-yaml allows
// more (a ratio of the document) because it expands lazily; gwsim converts the whole document.
inline constexpr std::uint64_t kMaxAliasExpandedNodes = 10000;

// Bytes of one file read (a manifest or scenario file, which may hold many documents): a
// multiple of the document limit that still bounds what a stray large file can cost.
inline constexpr std::uintmax_t kMaxFileBytes = 8 * 1024 * 1024;

// ---- Errors ----------------------------------------------------------------------------------------

// Why a text was refused, and where in it (1-based; line 0 = no position).
struct TextError {
  int line = 0;
  int column = 0;
  std::string message;

  // The position in `file`, lines shifted by `line_offset` (a document's first line in its file).
  SourcePos where(const std::string& file, int line_offset = 0) const;
};

// ---- YAML ------------------------------------------------------------------------------------------

// The alias budget shared by the documents of one file (so that many small documents cannot add
// up to a bomb). Start a new one per file or per text.
struct AliasBudget {
  std::uint64_t expanded_nodes = 0;
};

struct YamlDocuments {
  std::vector<YAML::Node> documents;  // empty documents included as yaml-cpp gives them
  std::optional<TextError> error;     // set: nothing is returned
};

// Every document of `text`, as YAML::LoadAll gives them, once the text has passed the limits:
// size, nesting depth (aliases expanded), no alias inside its own anchor, the alias budget.
// yaml-cpp's own parse errors come back as errors too; nothing throws.
YamlDocuments load_yaml_documents(const std::string& text, AliasBudget* budget = nullptr);

struct YamlDocument {
  YAML::Node root;                 // as YAML::Load gives it: the first document, or null
  std::optional<TextError> error;  // set: root is undefined
};

// The first document of `text`, as YAML::Load gives it, with the same checks.
YamlDocument load_yaml_document(const std::string& text, AliasBudget* budget = nullptr);

struct YamlTreeDocument {
  YamlTree tree;                   // root() as YAML::Load gives it: the first document, or null
  std::optional<TextError> error;  // set: the tree is empty
};

// The first document of `text` as load_yaml_document reads it, with the same checks and the same
// errors, in one pass of yaml-cpp's parser that builds a YamlTree instead of a YAML::Node tree
// (several times cheaper; what the manifest loader uses).
YamlTreeDocument load_yaml_tree(const std::string& text, AliasBudget* budget = nullptr);

// Whether `text` may hold an alias (a '*' that can start a YAML token; "*.example.com" cannot).
// A text that cannot leaves its alias budget untouched, so documents without one may be read in
// any order, or at once.
bool may_hold_alias(std::string_view text);

// ---- JSON ------------------------------------------------------------------------------------------

struct JsonDocument {
  Json value;
  std::optional<TextError> error;  // set: value is null
};

// One JSON text, once it has passed the size and depth limits (a cheap iterative pre-scan of the
// bytes, before nlohmann::json builds anything). Syntax errors come back as errors.
JsonDocument parse_json(std::string_view text);

// Depth of the deepest array or object of a JSON text (strings skipped), stopping early with an
// error once it passes kMaxNestingDepth. Exposed for tests.
std::optional<TextError> check_json_depth(std::string_view text);

}  // namespace gwsim::model

namespace gwsim::model {

// Whether a JSON value nests deeper than kMaxNestingDepth (walked iteratively). For values built
// from checked parts that may add up (a JSON patch adding a deep value at a deep path).
bool json_deeper_than_limit(const Json& value);

}  // namespace gwsim::model
