#include "engine/model/manifest.h"

#include <algorithm>
#include <atomic>
#include <deque>
#include <exception>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <thread>
#include <fstream>
#include <sstream>
#include <system_error>

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

// Runs run(0) .. run(tasks - 1) on a few threads (the calling one included); each task must
// write only its own results. An exception is rethrown after all have finished, the first in
// task order, so a failure does not depend on scheduling.
void run_in_parallel(std::size_t tasks, const std::function<void(std::size_t)>& run) {
  // Below this many tasks per thread, starting threads costs more than it saves (a scenario's
  // handful of manifests is read on the calling thread).
  constexpr std::size_t kMinTasksPerThread = 32;
  constexpr std::size_t kMaxThreads = 8;
  const std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
  const std::size_t threads = std::min({cores, kMaxThreads, tasks / kMinTasksPerThread});
  if (threads <= 1) {
    for (std::size_t i = 0; i < tasks; ++i) run(i);
    return;
  }
  std::vector<std::exception_ptr> failures(tasks);
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i = next.fetch_add(1); i < tasks; i = next.fetch_add(1)) {
      try {
        run(i);
      } catch (...) {
        failures[i] = std::current_exception();
      }
    }
  };
  {
    std::vector<std::jthread> pool;
    for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
  }
  for (const auto& failure : failures)
    if (failure) std::rethrow_exception(failure);
}

// Reads documents into objects. Paths are listed and files read first, in order, each document
// becoming a slot; then the documents are parsed and converted on a few threads (most of the
// cost on a large folder), and the slots' results are joined in order, so that objects and
// messages come out exactly as a one-by-one reading gives them.
class Loader {
 public:
  explicit Loader(ManifestLoad& out) : out_(out) {}

  void load_text(const std::string& text, const std::string& file) {
    // One alias budget per file: many small documents cannot add up to a bomb.
    const std::size_t budget = budgets_.size();
    budgets_.emplace_back();
    files_.push_back(std::make_unique<std::string>(file));
    for (Chunk& chunk : split_documents(text)) {
      Slot slot;
      slot.file = files_.back().get();
      slot.may_alias = may_hold_alias(chunk.text);
      slot.chunk = std::move(chunk);
      slot.budget = budget;
      slots_.push_back(std::move(slot));
    }
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

  // Parses every document read so far and joins the results in order.
  void finish() {
    // First every document without a possible alias, each alone on a budget of its own. One
    // that spends it after all (an alias the quick look missed) is read again below.
    std::vector<std::size_t> alone;
    for (std::size_t i = 0; i < slots_.size(); ++i)
      if (slots_[i].file && !slots_[i].may_alias) alone.push_back(i);
    run_in_parallel(alone.size(), [&](std::size_t t) {
      Slot& slot = slots_[alone[t]];
      AliasBudget own;
      load_chunk(slot, own);
      slot.may_alias = own.expanded_nodes > 0;
    });
    // Then the documents with aliases: those of one file one after the other, in file order, on
    // the file's budget (as a one-by-one reading spends it); files side by side.
    std::vector<std::vector<std::size_t>> by_file;
    std::map<std::size_t, std::size_t> group_of_budget;
    for (std::size_t i = 0; i < slots_.size(); ++i) {
      if (!slots_[i].file || !slots_[i].may_alias) continue;
      auto [it, inserted] = group_of_budget.emplace(slots_[i].budget, by_file.size());
      if (inserted) by_file.emplace_back();
      by_file[it->second].push_back(i);
    }
    run_in_parallel(by_file.size(), [&](std::size_t f) {
      for (std::size_t i : by_file[f]) {
        slots_[i].result = ManifestLoad{};
        load_chunk(slots_[i], budgets_[slots_[i].budget]);
      }
    });
    for (Slot& slot : slots_) {
      for (auto& d : slot.result.diagnostics) out_.diagnostics.push_back(std::move(d));
      for (auto& o : slot.result.objects) out_.objects.push_back(std::move(o));
    }
    slots_.clear();
  }

 private:
  // One document to read, or (file null) a message about a path, in the order they arise.
  struct Slot {
    const std::string* file = nullptr;
    Chunk chunk;
    std::size_t budget = 0;
    bool may_alias = false;
    ManifestLoad result;
  };

  void load_file(const std::string& file) {
    auto text = read_regular_file(file);
    if (!text.ok()) {
      error(file, text.error().message);
      return;
    }
    load_text(*text, file);
  }

  void load_chunk(Slot& slot, AliasBudget& budget) {
    const Chunk& chunk = slot.chunk;
    const std::string& file = *slot.file;
    ManifestLoad& out = slot.result;
    YamlTreeDocument loaded = load_yaml_tree(chunk.text, &budget);
    if (loaded.error) {
      SourcePos pos = loaded.error->line > 0 ? loaded.error->where(file, chunk.first_line)
                                             : SourcePos{file, chunk.first_line + 1, 1};
      error(out, pos.to_string(), loaded.error->message);
      return;
    }
    const YamlNode root = loaded.tree.root();
    if (!root.IsDefined() || root.IsNull()) return;  // empty document
    SourcePos where = shifted(position_of(root, file), chunk.first_line);
    if (!root.IsMap()) {
      error(out, where.to_string(), std::string("a document must be a Kubernetes object (a mapping), got ") +
                                        (root.IsSequence() ? "a sequence" : "a scalar"));
      return;
    }
    // kind: List (what `kubectl get -o yaml` writes) holds objects in items.
    const YamlNode kind = root["kind"];
    const YamlNode items = root["items"];
    if (kind.IsScalar() && kind.Scalar() == "List" && (!items.IsDefined() || items.IsSequence() || items.IsNull())) {
      if (items.IsSequence()) {
        for (const auto& item : items) {
          SourcePos item_pos = shifted(position_of(item, file), chunk.first_line);
          if (!item.IsMap()) {
            error(out, item_pos.to_string(), "items of a List must be Kubernetes objects (mappings)");
            continue;
          }
          load_object(out, item, file, chunk.first_line);
        }
      }
      return;
    }
    load_object(out, root, file, chunk.first_line);
  }

  void load_object(ManifestLoad& out, const YamlNode& node, const std::string& file, int line_offset) {
    auto positions = std::make_shared<PositionMap>();
    std::vector<YamlIssue> issues;
    Json doc;
    try {
      doc = yaml_to_json(node, file, *positions, "", issues);
    } catch (const std::exception& e) {
      error(out, shifted(position_of(node, file), line_offset).to_string(), e.what());
      return;
    }
    shift_lines(*positions, line_offset);
    bool bad = false;
    for (auto& issue : issues) {
      error(out, shifted(issue.where, line_offset).to_string(), issue.message);
      bad = true;
    }
    if (bad) return;
    SourcePos source = shifted(position_of(node, file), line_offset);
    auto object = object_from_json(std::move(doc), source, positions);
    if (!object.ok()) {
      error(out, object.error().where, object.error().message);
      return;
    }
    const std::string api_version = object->api_version();
    const std::string kind = object->kind();
    const KindInfo* info = find_kind(object->group(), kind);
    if (!info) {
      warning(out, source.to_string(), "unknown kind " + kind + " (apiVersion " + api_version + "): ignored");
      return;
    }
    if (!info->simulated) {
      warning(out, source.to_string(), kind + " (apiVersion " + api_version + ") is stored but not simulated");
    }
    out.objects.push_back(std::move(*object));
  }

  static void error(ManifestLoad& out, std::string where, std::string message) {
    out.diagnostics.push_back({ManifestDiagnostic::Severity::kError, std::move(where), std::move(message)});
  }
  static void warning(ManifestLoad& out, std::string where, std::string message) {
    out.diagnostics.push_back({ManifestDiagnostic::Severity::kWarning, std::move(where), std::move(message)});
  }
  // A message about a path, in order with the documents around it.
  void error(std::string where, std::string message) {
    error(slots_.emplace_back().result, std::move(where), std::move(message));
  }
  void warning(std::string where, std::string message) {
    warning(slots_.emplace_back().result, std::move(where), std::move(message));
  }

  ManifestLoad& out_;
  std::vector<Slot> slots_;
  std::deque<AliasBudget> budgets_;                   // by file; a deque keeps them in place
  std::vector<std::unique_ptr<std::string>> files_;  // file names, in place for the slots
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
  loader.finish();
  return out;
}

ManifestLoad load_manifest_text(const std::string& text, const std::string& file) {
  ManifestLoad out;
  Loader loader(out);
  loader.load_text(text, file);
  loader.finish();
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
