#include "engine/analysis/context.h"

#include <algorithm>
#include <set>

#include "engine/model/bounded_read.h"
#include "engine/model/kinds.h"
#include "engine/model/labels.h"
#include "engine/model/safe_yaml.h"
#include "engine/model/yaml_json.h"
#include "engine/route/compile.h"

namespace gwsim::analysis {

namespace {

// Kinds without a namespace (the ones an analyzer may meet in a file).
bool cluster_scoped(std::string_view kind) {
  static const std::set<std::string_view> kinds = {
      "Namespace", "Node", "IngressClass", "GatewayClass", "ClusterRole", "ClusterRoleBinding",
      "CustomResourceDefinition", "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"};
  return kinds.contains(kind);
}

// The gateway workloads to compile for: each Service selecting a pod that some Gateway selects.
std::vector<std::string> gateway_services(const model::ConfigSnapshot& snapshot) {
  std::vector<std::string> out;
  for (const auto& service : snapshot.services) {
    if (service.selector.empty()) continue;
    bool found = false;
    for (const auto& pod : snapshot.pods) {
      if (pod.meta.namespace_ != service.meta.namespace_ || !model::selects(service.selector, pod.meta.labels)) continue;
      for (const auto& gateway : snapshot.gateways)
        if (!gateway.selector.empty() && model::selects(gateway.selector, pod.meta.labels)) found = true;
      if (found) break;
    }
    if (found) out.push_back(service.meta.namespace_ + "/" + service.meta.name);
  }
  return out;
}

}  // namespace

std::string namespace_of(const model::Object& object) {
  std::string ns = object.namespace_();
  if (ns.empty() && !cluster_scoped(object.kind())) ns = "default";
  return ns;
}

std::string file_line(const model::SourcePos& pos) {
  if (pos.file.empty()) return "";
  if (!pos.known()) return pos.file;
  return pos.file + ":" + std::to_string(pos.line);
}

Result<MeshConfig> read_mesh_config(const std::string& path) {
  auto text = model::read_regular_file(path);
  if (!text.ok()) return text.error();
  auto doc = model::load_yaml_document(text.value());
  if (doc.error) return make_error(doc.error->message, doc.error->where(path).to_string());
  model::PositionMap positions;
  model::Json json = model::yaml_to_json(doc.root, path, positions);
  MeshConfig mesh;
  if (!json.is_object()) return mesh;
  // The istio ConfigMap holds the MeshConfig as the text of data.mesh.
  if (json.contains("data") && json["data"].is_object() && json["data"].contains("mesh")) {
    auto inner = model::load_yaml_document(json["data"].value("mesh", ""));
    if (inner.error) return make_error("data.mesh: " + inner.error->message, path);
    model::PositionMap inner_positions;
    json = model::yaml_to_json(inner.root, path, inner_positions);
    if (!json.is_object()) return mesh;
  }
  if (json.contains("rootNamespace") && json["rootNamespace"].is_string())
    mesh.root_namespace = json["rootNamespace"].get<std::string>();
  const model::Json* metadata = nullptr;
  if (json.contains("defaultConfig") && json["defaultConfig"].is_object() &&
      json["defaultConfig"].contains("proxyMetadata"))
    metadata = &json["defaultConfig"]["proxyMetadata"];
  if (metadata && metadata->is_object())
    for (const auto& [k, v] : metadata->items())
      if (v.is_string()) mesh.proxy_metadata[k] = v.get<std::string>();
  return mesh;
}

Context::Context(Input input)
    : objects_(std::move(input.objects)), admissions_(std::move(input.admissions)), mesh_(std::move(input.mesh)) {
  if (admissions_.size() != objects_.size()) {
    admissions_.clear();
    admissions_.reserve(objects_.size());
    for (const auto& object : objects_) admissions_.push_back(validation::admit(object));
  }
  for (size_t i = 0; i < objects_.size(); ++i)
    index_.emplace(std::make_tuple(objects_[i].kind(), namespace_of(objects_[i]), objects_[i].name()), i);

  if (input.snapshot) {
    // The caller's world holds what apply admitted; what it refused is read here as istioctl
    // reads it, so the other analyzers see it too.
    snapshot_ = std::move(*input.snapshot);
    for (size_t i = 0; i < objects_.size(); ++i) {
      if (admissions_[i].ok()) continue;
      auto added = model::add_to_snapshot(objects_[i], snapshot_);
      if (!added.ok())
        snapshot_problems_.push_back({added.error().where, model::describe(objects_[i]), added.error().message});
    }
  } else {
    model::SnapshotBuild built = model::build_snapshot(objects_);
    snapshot_ = std::move(built.snapshot);
    snapshot_problems_ = std::move(built.problems);
  }

  for (const auto& service : gateway_services(snapshot_)) {
    auto table = route::compile_gateway(snapshot_, service);
    if (table.ok()) tables_.push_back(std::move(table.value()));
  }
}

const model::Object* Context::find(std::string_view kind, std::string_view namespace_, std::string_view name) const {
  auto it = index_.find(std::make_tuple(std::string(kind), std::string(namespace_), std::string(name)));
  return it == index_.end() ? nullptr : &objects_[it->second];
}

std::vector<const model::Object*> Context::objects_of_kind(std::string_view kind) const {
  std::vector<const model::Object*> out;
  for (const auto& object : objects_)
    if (object.kind() == kind) out.push_back(&object);
  return out;
}

void Report::add(const MessageType& type, std::string_view kind, std::string_view namespace_, std::string_view name,
                 const std::string& field, const std::vector<std::string>& args) {
  const model::Object* object = context_.find(kind, namespace_, name);
  std::string where;
  if (object) where = file_line(field.empty() ? object->source : object->position_of(field));
  add_at(type, kind, namespace_, name, where, args);
}

void Report::add_at(const MessageType& type, std::string_view kind, std::string_view namespace_, std::string_view name,
                    const std::string& where, const std::vector<std::string>& args) {
  Message message;
  message.type = &type;
  message.origin = std::string(kind) + " " + (namespace_.empty() ? "" : std::string(namespace_) + "/") + std::string(name);
  message.reference = where;
  message.text = format_message(type, args);
  messages_.push_back(std::move(message));
}

}  // namespace gwsim::analysis
