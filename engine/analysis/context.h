// The analysis context: what `gwsim analyze` reads, as Istio's analysis.Context gives it to its
// analyzers (pkg/config/analysis/context.go, local/context.go): every object read from the files,
// including those apply would refuse (each with what admission said of it, for the schema
// analyzer's IST0106), the typed snapshot the compiler uses (Pods, Secrets, Namespaces and
// Services with it), the raw objects for the kinds the snapshot does not keep (Sidecar,
// Deployment, ...), the mesh config, and the route tables compiled for each gateway workload,
// which gwsim's own checks (GWS codes) read.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "engine/analysis/message.h"
#include "engine/model/object.h"
#include "engine/model/result.h"
#include "engine/model/snapshot.h"
#include "engine/route/route_table.h"
#include "engine/validation/admission.h"

namespace gwsim::analysis {

// The parts of Istio's MeshConfig (--meshConfigFile) the analyzers read.
struct MeshConfig {
  std::string root_namespace = "istio-system";
  std::string istio_namespace = "istio-system";  // istioctl's --istioNamespace
  bool ingress_controller_off = false;           // ingressControllerMode: OFF
  std::string ingress_service = "istio-ingressgateway";
  std::map<std::string, std::string> proxy_metadata;  // defaultConfig.proxyMetadata
};

// Reads a MeshConfig YAML file (the `mesh` key of the istio ConfigMap, or the MeshConfig alone).
Result<MeshConfig> read_mesh_config(const std::string& path);

struct Input {
  std::vector<model::Object> objects;  // as read from the files, in file order
  // admissions[i] is admit(objects[i]); computed when empty.
  std::vector<validation::AdmissionResult> admissions;
  // The typed world, when the caller built it with workloads the controllers derive (Pods of
  // Deployments, a default ingress gateway). Unset: built from `objects` alone.
  std::optional<model::ConfigSnapshot> snapshot;
  MeshConfig mesh;
  // The table of a gateway Service "ns/name" compiled already (the control plane keeps them
  // current); null, or unset: compiled here. Saves `gwsim serve` a second compile per change.
  std::function<std::shared_ptr<const route::RouteTable>(const std::string& gateway_service)> compiled;
};

class Context {
 public:
  explicit Context(Input input);

  const std::vector<model::Object>& objects() const { return objects_; }
  const std::vector<validation::AdmissionResult>& admissions() const { return admissions_; }
  const model::ConfigSnapshot& snapshot() const { return snapshot_; }
  const std::vector<model::SnapshotProblem>& snapshot_problems() const { return snapshot_problems_; }
  const std::vector<std::shared_ptr<const route::RouteTable>>& tables() const { return tables_; }
  const MeshConfig& mesh() const { return mesh_; }

  // The object read from the files with this kind, namespace and name (namespace "default" when the
  // file wrote none); nullptr for objects the files do not hold (derived Pods, generated config).
  // Analyzers report only on objects found here.
  const model::Object* find(std::string_view kind, std::string_view namespace_, std::string_view name) const;
  // The raw objects of one kind, in file order.
  std::vector<const model::Object*> objects_of_kind(std::string_view kind) const;

 private:
  std::vector<model::Object> objects_;
  std::vector<validation::AdmissionResult> admissions_;
  model::ConfigSnapshot snapshot_;
  std::vector<model::SnapshotProblem> snapshot_problems_;
  std::vector<std::shared_ptr<const route::RouteTable>> tables_;
  MeshConfig mesh_;
  std::map<std::tuple<std::string, std::string, std::string>, size_t, std::less<>> index_;
};

// The namespace an object read from a file lives in: "" for cluster-scoped kinds, "default"
// when a namespaced object names none (as kubectl and istioctl take it).
std::string namespace_of(const model::Object& object);

// What analyzers report into.
class Report {
 public:
  explicit Report(const Context& context) : context_(context) {}

  // A message about the object kind/ns/name; `field` is a JSON pointer ("/spec/gateways/0") whose
  // line becomes the reference (the object's first line when the field is not written).
  void add(const MessageType& type, std::string_view kind, std::string_view namespace_, std::string_view name,
           const std::string& field, const std::vector<std::string>& args);
  // The same with a reference already known (an admission problem's position).
  void add_at(const MessageType& type, std::string_view kind, std::string_view namespace_, std::string_view name,
              const std::string& where, const std::vector<std::string>& args);

  const std::vector<Message>& messages() const { return messages_; }
  std::vector<Message> take() { return std::move(messages_); }

 private:
  const Context& context_;
  std::vector<Message> messages_;
};

// "file:line" of a position ("" when unknown): istioctl prints no column.
std::string file_line(const model::SourcePos& pos);

}  // namespace gwsim::analysis
