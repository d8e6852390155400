#include "engine/analysis/context.h"

#include <algorithm>
#include <set>

#include "engine/model/bounded_read.h"
#include "engine/model/kinds.h"
#include "engine/model/labels.h"
#include "engine/model/manifest.h"
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

// Istio's inject.IgnoredNamespaces: istioctl analyze drops every object of these namespaces as
// it reads the files (local/istiod_analyze.go, SetNamespacesFilter).
bool ignored_namespace(const model::Object& object) {
  static const std::set<std::string, std::less<>> ignored = {"kube-system", "kube-public", "kube-node-lease",
                                                              "local-path-storage"};
  return ignored.contains(object.kind() == "Namespace" ? object.name() : object.namespace_());
}

// istioctl's AddDefaultResources (local/defaults.go): for files-only analysis, unless the mesh
// config turns ingress off, a dummy ingress gateway pod and its Service, so that Gateways
// selecting istio=ingressgateway do not all report a missing workload.
std::vector<model::Object> istioctl_default_resources(const MeshConfig& mesh) {
  if (mesh.ingress_controller_off) return {};
  const std::string& ns = mesh.istio_namespace;
  const std::string& service = mesh.ingress_service;
  std::string yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  labels: {istio: ingressgateway}\n  name: " + service +
                     "-dummypod\n  namespace: " + ns +
                     "\nspec:\n  containers: [{name: istio-proxy}]\n---\napiVersion: v1\nkind: Service\nmetadata:\n"
                     "  name: " + service + "\n  namespace: " + ns +
                     "\nspec:\n  selector: {istio: ingressgateway}\n  ports:\n"
                     "  - {name: http2, nodePort: 31380, port: 80, protocol: TCP, targetPort: 80}\n"
                     "  - {name: https, nodePort: 31390, port: 443, protocol: TCP, targetPort: 443}\n"
                     "  - {name: tcp, nodePort: 31400, port: 31400, protocol: TCP, targetPort: 31400}\n"
                     "  - {name: tls, nodePort: 31447, port: 15443, protocol: TCP, targetPort: 15443}\n";
  return model::load_manifest_text(yaml, "internal-ingress").objects;
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
  if (json.contains("ingressControllerMode") && json["ingressControllerMode"].is_string())
    mesh.ingress_controller_off = json["ingressControllerMode"].get<std::string>() == "OFF";
  if (json.contains("ingressService") && json["ingressService"].is_string())
    mesh.ingress_service = json["ingressService"].get<std::string>();
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
    : admissions_(std::move(input.admissions)), mesh_(std::move(input.mesh)) {
  bool admitted = admissions_.size() == input.objects.size();
  std::vector<validation::AdmissionResult> kept_admissions;
  for (size_t i = 0; i < input.objects.size(); ++i) {
    if (ignored_namespace(input.objects[i])) continue;
    objects_.push_back(std::move(input.objects[i]));
    if (admitted) kept_admissions.push_back(std::move(admissions_[i]));
  }
  admissions_ = std::move(kept_admissions);
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
    // Files alone: istioctl's default ingress gateway joins them, except where the files hold an
    // object of the same kind and name. Analyzers never report on it (find() does not see it).
    std::vector<model::Object> world = objects_;
    for (auto& object : istioctl_default_resources(mesh_))
      if (!find(object.kind(), namespace_of(object), object.name())) world.push_back(std::move(object));
    model::SnapshotBuild built = model::build_snapshot(world);
    snapshot_ = std::move(built.snapshot);
    snapshot_problems_ = std::move(built.problems);
  }

  for (const auto& service : gateway_services(snapshot_)) {
    if (input.compiled) {
      if (auto table = input.compiled(service)) {
        tables_.push_back(std::move(table));
        continue;
      }
    }
    auto table = route::compile_gateway(snapshot_, service);
    if (table.ok()) tables_.push_back(std::make_shared<const route::RouteTable>(std::move(table.value())));
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
