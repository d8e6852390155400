#include "engine/model/manifest.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include <yaml-cpp/yaml.h>

#include "engine/model/bounded_read.h"
#include "engine/model/kinds.h"
#include "engine/model/safe_yaml.h"
#include "engine/model/yaml_json.h"

namespace gwsim::model {

namespace {

namespace fs = std::filesystem;

// Error text for a known kind written with a version gwsim (and Kubernetes) does not serve.
std::string version_error(const KindInfo& k, const std::string& api_version) {
  std::string supported;
  for (const char* v : k.versions) {
    if (!supported.empty()) supported += ", ";
    supported += group_version(k, v);
  }
  return "no matches for kind \"" + std::string(k.kind) + "\" in version \"" + api_version +
         "\" (supported: " + supported + ")";
}

std::string type_name(const Json& v) {
  if (v.is_object()) return "a mapping";
  if (v.is_array()) return "a sequence";
  if (v.is_string()) return "a string";
  if (v.is_boolean()) return "a boolean";
  if (v.is_number()) return "a number";
  return "null";
}

void shift_lines(PositionMap& positions, int offset) {
  if (offset == 0) return;
  for (auto& [pointer, pos] : positions) {
    if (pos.known()) pos.line += offset;
  }
}

SourcePos shifted(SourcePos pos, int offset) {
  if (pos.known()) pos.line += offset;
  return pos;
}

// One document of a YAML stream, with the 0-based line it starts on.
struct Chunk {
  std::string text;
  int first_line = 0;
};

// Split a YAML stream into documents at "---" / "..." lines, so a syntax error in one document
// does not lose the others (yaml-cpp's LoadAll gives up on the whole stream).
std::vector<Chunk> split_documents(const std::string& text) {
  std::vector<Chunk> chunks;
  Chunk current;
  int line_no = 0;
  bool has_content = false;
  size_t start = 0;
  auto flush = [&](int next_first_line) {
    if (has_content) chunks.push_back(std::move(current));
    current = Chunk{};
    current.first_line = next_first_line;
    has_content = false;
  };
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    bool last = end == std::string::npos;
    std::string line = text.substr(start, last ? std::string::npos : end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    bool marker = line.rfind("---", 0) == 0 && (line.size() == 3 || line[3] == ' ' || line[3] == '\t');
    bool end_marker = line.rfind("...", 0) == 0 && (line.size() == 3 || line[3] == ' ' || line[3] == '\t');
    if (marker) {
      flush(line_no);
      line.replace(0, 3, "   ");  // keep columns of anything written after the marker
    } else if (end_marker) {
      flush(line_no + 1);
      ++line_no;
      if (last) break;
      start = end + 1;
      continue;
    } else if (!line.empty() && line[0] == '%') {
      line.clear();  // directives (%YAML, %TAG) belong to the document prolog; yaml-cpp needs none
    }
    current.text += line;
    current.text += '\n';
    if (line.find_first_not_of(" \t") != std::string::npos) has_content = true;
    ++line_no;
    if (last) break;
    start = end + 1;
  }
  flush(line_no);
  return chunks;
}

class Loader {
 public:
  explicit Loader(ManifestLoad& out) : out_(out) {}

  void load_text(const std::string& text, const std::string& file) {
    budget_ = AliasBudget{};  // one alias budget per file: many small documents cannot add up to a bomb
    for (const Chunk& chunk : split_documents(text)) load_chunk(chunk, file);
  }

  void load_path(const std::string& path) {
    std::error_code ec;
    fs::file_status status = fs::status(path, ec);
    if (ec && ec != std::errc::no_such_file_or_directory) {  // a symlink loop, a denied directory
      error(path, "cannot read: " + ec.message());
      return;
    }
    if (ec || !fs::exists(status)) {
      error(path, "no such file or directory");
      return;
    }
    if (fs::is_directory(status)) {
      DirectoryFiles listed = list_directory_files(path, false, {".yaml", ".yml"});
      for (const auto& skipped : listed.warnings) warning(skipped.where, skipped.message);
      if (!listed.errors.empty()) {
        error(path, listed.errors.front().message);
        return;
      }
      std::vector<fs::path> files(listed.files.begin(), listed.files.end());
      std::sort(files.begin(), files.end(),
                [](const fs::path& a, const fs::path& b) { return a.filename().string() < b.filename().string(); });
      if (files.empty()) warning(path, "no *.yaml or *.yml files in this directory");
      for (const auto& f : files) load_file(f.string());
      return;
    }
    load_file(path);
  }

 private:
  void load_file(const std::string& file) {
    auto text = read_regular_file(file);
    if (!text.ok()) {
      error(file, text.error().message);
      return;
    }
    load_text(*text, file);
  }

  void load_chunk(const Chunk& chunk, const std::string& file) {
    YamlDocument loaded = load_yaml_document(chunk.text, &budget_);
    if (loaded.error) {
      SourcePos pos = loaded.error->line > 0 ? loaded.error->where(file, chunk.first_line)
                                             : SourcePos{file, chunk.first_line + 1, 1};
      error(pos.to_string(), loaded.error->message);
      return;
    }
    YAML::Node root = loaded.root;
    if (!root.IsDefined() || root.IsNull()) return;  // empty document
    SourcePos where = shifted(position_of(root, file), chunk.first_line);
    if (!root.IsMap()) {
      error(where.to_string(), std::string("a document must be a Kubernetes object (a mapping), got ") +
                                   (root.IsSequence() ? "a sequence" : "a scalar"));
      return;
    }
    // kind: List (what `kubectl get -o yaml` writes) holds objects in items.
    YAML::Node kind = root["kind"];
    YAML::Node items = root["items"];
    if (kind.IsScalar() && kind.Scalar() == "List" && (!items.IsDefined() || items.IsSequence() || items.IsNull())) {
      if (items.IsSequence()) {
        for (const auto& item : items) {
          SourcePos item_pos = shifted(position_of(item, file), chunk.first_line);
          if (!item.IsMap()) {
            error(item_pos.to_string(), "items of a List must be Kubernetes objects (mappings)");
            continue;
          }
          load_object(item, file, chunk.first_line);
        }
      }
      return;
    }
    load_object(root, file, chunk.first_line);
  }

  void load_object(const YAML::Node& node, const std::string& file, int line_offset) {
    auto positions = std::make_shared<PositionMap>();
    std::vector<YamlIssue> issues;
    Json doc;
    try {
      doc = yaml_to_json(node, file, *positions, "", issues);
    } catch (const std::exception& e) {
      error(shifted(position_of(node, file), line_offset).to_string(), e.what());
      return;
    }
    shift_lines(*positions, line_offset);
    bool bad = false;
    for (auto& issue : issues) {
      error(shifted(issue.where, line_offset).to_string(), issue.message);
      bad = true;
    }
    if (bad) return;
    SourcePos source = shifted(position_of(node, file), line_offset);
    auto object = object_from_json(std::move(doc), source, positions);
    if (!object.ok()) {
      error(object.error().where, object.error().message);
      return;
    }
    const std::string api_version = object->api_version();
    const std::string kind = object->kind();
    const KindInfo* info = find_kind(object->group(), kind);
    if (!info) {
      warning(source.to_string(), "unknown kind " + kind + " (apiVersion " + api_version + "): ignored");
      return;
    }
    if (!info->simulated) {
      warning(source.to_string(), kind + " (apiVersion " + api_version + ") is stored but not simulated");
    }
    out_.objects.push_back(std::move(*object));
  }

  void error(std::string where, std::string message) {
    out_.diagnostics.push_back({ManifestDiagnostic::Severity::kError, std::move(where), std::move(message)});
  }
  void warning(std::string where, std::string message) {
    out_.diagnostics.push_back({ManifestDiagnostic::Severity::kWarning, std::move(where), std::move(message)});
  }

  ManifestLoad& out_;
  AliasBudget budget_;
};

}  // namespace

std::string ManifestDiagnostic::to_string() const {
  std::string label = severity == Severity::kError ? "error: " : "warning: ";
  return where.empty() ? label + message : where + ": " + label + message;
}

bool ManifestLoad::has_errors() const {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const ManifestDiagnostic& d) { return d.severity == ManifestDiagnostic::Severity::kError; });
}

bool is_known_kind(const std::string& api_version, const std::string& kind) {
  auto [group, version] = split_api_version(api_version);
  const KindInfo* info = find_kind(group, kind);
  if (!info) return false;
  // std::find, not a lambda: clang 14 cannot capture a structured binding (the sanitizer builds).
  return std::find(info->versions.begin(), info->versions.end(), version) != info->versions.end();
}

ManifestLoad load_manifests(const std::vector<std::string>& paths) {
  ManifestLoad out;
  Loader loader(out);
  for (const auto& path : paths) loader.load_path(path);
  return out;
}

ManifestLoad load_manifest_text(const std::string& text, const std::string& file) {
  ManifestLoad out;
  Loader loader(out);
  loader.load_text(text, file);
  return out;
}

Result<Object> object_from_json(Json doc, SourcePos source, std::shared_ptr<const PositionMap> positions) {
  Object object;
  object.source = source;
  object.positions = std::move(positions);
  if (!doc.is_object()) {
    return make_error("a Kubernetes object must be a mapping, got " + type_name(doc), source.to_string());
  }
  object.doc = std::move(doc);
  const Json& d = object.doc;
  auto field_error = [&](const std::string& pointer, std::string message) {
    return make_error(std::move(message), object.where(pointer));
  };
  auto api = d.find("apiVersion");
  if (api == d.end() || api->is_null()) return field_error("", "apiVersion is required");
  if (!api->is_string() || api->get<std::string>().empty()) {
    return field_error("/apiVersion", "apiVersion must be a non-empty string, got " + type_name(*api));
  }
  auto kind = d.find("kind");
  if (kind == d.end() || kind->is_null()) return field_error("", "kind is required");
  if (!kind->is_string() || kind->get<std::string>().empty()) {
    return field_error("/kind", "kind must be a non-empty string, got " + type_name(*kind));
  }
  auto meta = d.find("metadata");
  if (meta == d.end() || meta->is_null()) return field_error("", "metadata.name is required");
  if (!meta->is_object()) return field_error("/metadata", "metadata must be a mapping, got " + type_name(*meta));
  auto name = meta->find("name");
  if (name == meta->end() || name->is_null()) return field_error("/metadata", "metadata.name is required");
  if (!name->is_string() || name->get<std::string>().empty()) {
    return field_error("/metadata/name", "metadata.name must be a non-empty string, got " + type_name(*name));
  }
  auto ns = meta->find("namespace");
  if (ns != meta->end() && !ns->is_null() && !ns->is_string()) {
    return field_error("/metadata/namespace", "metadata.namespace must be a string, got " + type_name(*ns));
  }
  auto [group, version] = split_api_version(object.api_version());
  if (const KindInfo* info = find_kind(group, object.kind())) {
    bool served = std::find(info->versions.begin(), info->versions.end(), version) != info->versions.end();
    if (!served) return field_error("/apiVersion", version_error(*info, object.api_version()));
  }
  return object;
}

}  // namespace gwsim::model
