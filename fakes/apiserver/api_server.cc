#include "fakes/apiserver/api_server.h"

#include <httplib.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <regex>

#include "engine/model/detail_istio_schema.h"
#include "engine/model/safe_yaml.h"
#include "engine/model/yaml_json.h"
#include "engine/validation/validate.h"
#include "fakes/apiserver/patch.h"
#include "fakes/apiserver/protobuf.h"
#include "fakes/apiserver/status.h"
#include "fakes/controllers/controllers.h"

namespace gwsim::fakes {

namespace {

constexpr const char* kIstioGroup = "networking.istio.io";
constexpr const char* kSmpType = "application/strategic-merge-patch+json";
constexpr const char* kMergePatchType = "application/merge-patch+json";
constexpr const char* kJsonPatchType = "application/json-patch+json";
constexpr const char* kApplyPatchType = "application/apply-patch+yaml";

// ---- small helpers ------------------------------------------------------------------------------

std::string str(const Json& j, const char* key) {
  if (!j.is_object()) return {};
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Json& metadata_of(Json& doc) {
  if (!doc.contains("metadata") || !doc["metadata"].is_object()) doc["metadata"] = Json::object();
  return doc["metadata"];
}

const Json& metadata_of(const Json& doc) {
  static const Json empty = Json::object();
  if (!doc.is_object()) return empty;
  auto it = doc.find("metadata");
  return it != doc.end() && it->is_object() ? *it : empty;
}

// The media type without parameters, lower-cased: "application/json; charset=utf-8" -> "application/json".
std::string media_type(const std::string& header) {
  std::string out = header.substr(0, header.find(';'));
  out.erase(std::remove_if(out.begin(), out.end(), [](unsigned char c) { return std::isspace(c); }), out.end());
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

// JSON text; invalid UTF-8 (a client's bytes) is replaced rather than thrown on.
std::string text(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

ApiResponse json_response(int status, const Json& body) {
  ApiResponse r;
  r.status = status;
  r.body = text(body);
  return r;
}

ApiResponse error_response(const ApiError& error) { return json_response(error.code, error.to_status()); }

// The object as served at `version`: one store for every version of a group, and the
// response's apiVersion follows the URL (kubectl applies v1beta1 and reads v1).
Json present(const Json& doc, const ResourceInfo& resource, const std::string& version) {
  Json out = doc;
  out["apiVersion"] = resource.group_version(version);
  out["kind"] = resource.kind;
  return out;
}

Object make_object(Json doc) {
  Object o;
  o.doc = std::move(doc);
  return o;
}

bool wants_table(const ApiRequest& request) { return request.accept.find("as=Table") != std::string::npos; }

TableOptions::IncludeObject include_object(const ApiRequest& request) {
  const std::string v = request.param("includeObject");
  if (v == "None") return TableOptions::IncludeObject::kNone;
  if (v == "Object") return TableOptions::IncludeObject::kObject;
  return TableOptions::IncludeObject::kMetadata;
}

// JSON, YAML, or the protobuf encoding kubectl's typed commands (kubectl create ns, ...) send.
bool readable_body_type(const std::string& content_type) {
  const std::string type = media_type(content_type);
  return type.empty() || type == "application/json" || type == "application/yaml" || type == "*/*" ||
         type == kProtobufMediaType;
}

bool dry_run(const ApiRequest& request) { return !request.param("dryRun").empty(); }

// A request body: JSON, or YAML when the content type says so (application/yaml,
// apply-patch+yaml), as kube-apiserver decodes by Content-Type. engine/model/safe_yaml.h bounds
// both (size, nesting depth, aliases), so a hostile body is a 400, never a crash or a hang.
Result<Json> parse_body(const std::string& body, const std::string& content_type) {
  model::JsonDocument json = model::parse_json(body);
  if (!json.error) return std::move(json.value);
  const std::string type = media_type(content_type);
  if (type != "application/yaml" && type != kApplyPatchType)
    return make_error("json parse error: " + json.error->message);
  model::YamlDocument yaml = model::load_yaml_document(body);
  if (yaml.error) {
    const model::TextError& e = *yaml.error;
    std::string at = e.line > 0 ? "line " + std::to_string(e.line) + ", column " + std::to_string(e.column) + ": " : "";
    return make_error("yaml: " + at + e.message);
  }
  try {
    model::PositionMap positions;
    Json converted = model::yaml_to_json(yaml.root, "request", positions);
    if (converted.is_object() || converted.is_array()) return converted;
  } catch (const std::exception&) {
  }
  return make_error("the request body is neither JSON nor YAML");
}

// The object a POST or PUT carries.
Result<Json> read_object(const ApiRequest& request) {
  if (media_type(request.content_type) == kProtobufMediaType) return decode_kubernetes_protobuf(request.body);
  return parse_body(request.body, request.content_type);
}

// ---- names ----------------------------------------------------------------------------------------

const std::regex& dns1123_label_re() {
  static const std::regex re("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  return re;
}
const std::regex& dns1123_subdomain_re() {
  static const std::regex re("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  return re;
}
const std::regex& dns1035_label_re() {
  static const std::regex re("[a-z]([-a-z0-9]*[a-z0-9])?");
  return re;
}

// The name check of the kind's registry, in the API server's words; "" when the name is fine.
std::string name_problem(const ResourceInfo& resource, const std::string& name) {
  if (resource.group.empty() && resource.kind == "Namespace") {
    if (name.size() > 63) return "must be no more than 63 characters";
    if (!std::regex_match(name, dns1123_label_re()))
      return "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must "
             "start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for "
             "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
    return {};
  }
  if (resource.group.empty() && resource.kind == "Service") {
    if (name.size() > 63) return "must be no more than 63 characters";
    if (!std::regex_match(name, dns1035_label_re()))
      return "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
             "alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', "
             "regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
    return {};
  }
  if (name.size() > 253) return "must be no more than 253 characters";
  if (!std::regex_match(name, dns1123_subdomain_re()))
    return "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and "
           "must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
           "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
  return {};
}

// "Invalid value: "x": ..." as Go's %q quotes the value.
std::string go_quoted(const std::string& s) { return text(Json(s)); }

// ---- admission ------------------------------------------------------------------------------------

std::string cause_reason(model::detail::SchemaIssue::Kind kind) {
  using K = model::detail::SchemaIssue::Kind;
  switch (kind) {
    case K::kRequired:
      return "FieldValueRequired";
    case K::kEnum:
      return "FieldValueNotSupported";
    case K::kTooMany:
      return "FieldValueTooMany";
    case K::kTooLong:
      return "FieldValueTooLong";
    case K::kDuplicate:
      return "FieldValueDuplicate";
    case K::kType:
      return "FieldValueTypeInvalid";
    default:
      return "FieldValueInvalid";
  }
}

struct Admission {
  std::optional<ApiError> denied;
  std::vector<std::string> warnings;
};

// What the API server and Istio's validating webhook say about an Istio object (other kinds
// pass). Dry runs are validated too: the webhook declares no side effects.
Admission admit(const ResourceInfo& resource, const Json& doc) {
  Admission out;
  if (resource.group != kIstioGroup) return out;
  const Object object = make_object(doc);
  validation::ValidationReport report = validation::validate(object);
  out.warnings = report.warnings;
  if (report.ok()) return out;
  if (!report.api_server_message.empty()) {
    // The CRD's structural schema refused it before the webhook: unknown fields are a decoding
    // error (400), the rest field errors (422 Invalid with causes).
    if (report.api_server_message.find("strict decoding error") != std::string::npos) {
      out.denied = bad_request(report.api_server_message);
      return out;
    }
    Json causes = Json::array();
    for (const auto& issue : model::detail::check_istio_schema(object)) {
      std::string message = issue.kube_message();
      const std::string prefix = issue.path + ": ";
      if (message.rfind(prefix, 0) == 0) message = message.substr(prefix.size());
      causes.push_back({{"reason", cause_reason(issue.kind)}, {"message", message}, {"field", issue.path}});
    }
    Json details = {{"name", object.name()}, {"group", resource.group}, {"kind", resource.kind}};
    if (!causes.empty()) details["causes"] = causes;
    out.denied = ApiError{422, "Invalid", report.api_server_message, details};
    return out;
  }
  // A denying webhook: the API server answers 400 with the webhook's message and no reason
  // (apiserver/pkg/admission/plugin/webhook/errors.ToStatusErr); kubectl prints
  // "Error from server: error when creating ...: admission webhook ... denied the request: ...".
  out.denied = ApiError{400, "", report.denial_message(), nullptr};
  return out;
}

void add_warnings(ApiResponse& response, const std::vector<std::string>& warnings) {
  for (const auto& w : warnings) response.headers.emplace_back("Warning", "299 - " + go_quoted(w));
}

// ---- kubeconfig ------------------------------------------------------------------------------------

std::string yaml_quoted(const std::string& s) { return text(Json(s)); }  // JSON strings are YAML

}  // namespace

// ---- ApiRequest / ApiResponse -------------------------------------------------------------------

std::string ApiRequest::param(const std::string& name) const {
  auto it = query.find(name);
  return it == query.end() ? std::string() : it->second;
}

bool ApiRequest::has_param(const std::string& name) const { return query.count(name) > 0; }

Json ApiResponse::json() const {
  Json j = Json::parse(body, nullptr, false);
  return j.is_discarded() ? Json() : j;
}

// ---- WatchStream ---------------------------------------------------------------------------------

WatchStream::WatchStream(Setup setup) : setup_(std::move(setup)), last_sent_(std::chrono::steady_clock::now()) {}

std::shared_ptr<WatchStream> WatchStream::open(Setup setup, const std::string& from) {
  std::shared_ptr<WatchStream> stream(new WatchStream(std::move(setup)));
  WatchStream* raw = stream.get();
  if (raw->setup_.registry) {
    std::lock_guard lock(raw->setup_.registry->mu);
    raw->setup_.registry->open.insert(raw);
    if (raw->setup_.registry->stopping) raw->closed_ = true;
  }
  ApiStore& store = *raw->setup_.store;
  // Watch first, snapshot second: whatever happens in between is queued, and the floor below
  // drops what the snapshot already covers.
  raw->watch_id_ = store.watch([raw](const WatchEvent& event) { raw->push(event); });

  std::deque<std::string> initial;
  std::uint64_t floor = 0;
  bool expired_watch = false;
  if (from.empty() || from == "0") {
    auto [objects, rv] = store.list_at(raw->setup_.resource->group, raw->setup_.resource->kind, raw->setup_.namespace_);
    for (const auto& object : objects)
      if (raw->setup_.selectors.matches(object.doc)) initial.push_back(raw->render("ADDED", object.doc));
    floor = rv;
  } else {
    const std::uint64_t version = std::stoull(from);
    auto events = store.events_since(version);
    if (!events) {
      const ApiError gone = expired(version, store.oldest_event_version());
      initial.push_back(text(Json{{"type", "ERROR"}, {"object", gone.to_status()}}) + "\n");
      expired_watch = true;
    } else {
      for (const auto& event : *events)
        if (raw->wanted(event)) initial.push_back(raw->render_event(event));
      floor = events->empty() ? version : events->back().resource_version;
    }
  }
  std::lock_guard lock(raw->mu_);
  for (auto& chunk : initial) raw->initial_.push_back(std::move(chunk));
  raw->floor_ = std::max(raw->floor_, floor);
  raw->end_after_initial_ = expired_watch;
  return stream;
}

WatchStream::~WatchStream() {
  if (setup_.registry) {
    std::lock_guard lock(setup_.registry->mu);
    setup_.registry->open.erase(this);
  }
  setup_.store->unwatch(watch_id_);
}

bool WatchStream::wanted(const WatchEvent& event) const {
  const ResourceInfo& r = *setup_.resource;
  if (event.object.kind() != r.kind || event.object.group() != r.group) return false;
  if (!setup_.namespace_.empty() && event.object.namespace_() != setup_.namespace_) return false;
  return setup_.selectors.matches(event.object.doc);
}

std::string WatchStream::render(const std::string& type, const Json& doc) const {
  Json object = present(doc, *setup_.resource, setup_.version);
  if (setup_.table) {
    TableOptions options = setup_.table_options;
    options.now = setup_.now ? setup_.now() : 0;
    object = make_table(*setup_.resource, {object}, options);
  }
  return text(Json{{"type", type}, {"object", std::move(object)}}) + "\n";
}

std::string WatchStream::render_event(const WatchEvent& event) const {
  return render(event_type_name(event.type), event.object.doc);
}

void WatchStream::push(const WatchEvent& event) {
  std::lock_guard lock(mu_);
  if (closed_) return;
  if (!wanted(event)) {
    // Nothing of interest up to here: a bookmark may name this version.
    if (queue_.empty() && event.resource_version > floor_ && initial_.empty()) floor_ = event.resource_version;
    return;
  }
  if (queue_.size() >= setup_.queue_limit) {
    // Too far behind: end the stream; the client lists and watches again.
    closed_ = true;
    queue_.clear();
  } else {
    queue_.push_back(event);
  }
  cv_.notify_all();
}

std::optional<std::string> WatchStream::next(std::chrono::milliseconds wait) {
  using Clock = std::chrono::steady_clock;
  std::unique_lock lock(mu_);
  if (!initial_.empty()) {
    std::string chunk = std::move(initial_.front());
    initial_.pop_front();
    last_sent_ = Clock::now();
    return chunk;
  }
  if (end_after_initial_ || closed_) return std::nullopt;
  auto until = Clock::now() + std::min(wait, setup_.heartbeat);
  if (setup_.deadline && *setup_.deadline < until) until = *setup_.deadline;
  auto drop_sent = [&] {
    while (!queue_.empty() && queue_.front().resource_version <= floor_) queue_.pop_front();
  };
  cv_.wait_until(lock, until, [&] {
    drop_sent();
    return closed_ || !queue_.empty();
  });
  if (closed_) return std::nullopt;
  drop_sent();
  if (!queue_.empty()) {
    WatchEvent event = std::move(queue_.front());
    queue_.pop_front();
    floor_ = event.resource_version;
    last_sent_ = Clock::now();
    lock.unlock();
    return render_event(event);
  }
  const auto now = Clock::now();
  if (setup_.deadline && now >= *setup_.deadline) return std::nullopt;  // timeoutSeconds: just end
  if (setup_.bookmarks && !setup_.table && now - last_sent_ >= setup_.bookmark_interval) {
    last_sent_ = now;
    Json bookmark = {{"kind", setup_.resource->kind},
                     {"apiVersion", setup_.resource->group_version(setup_.version)},
                     {"metadata", {{"resourceVersion", std::to_string(floor_)}}}};
    return text(Json{{"type", "BOOKMARK"}, {"object", bookmark}}) + "\n";
  }
  return std::string("\n");
}

void WatchStream::close() {
  std::lock_guard lock(mu_);
  closed_ = true;
  cv_.notify_all();
}

// ---- ApiServer -----------------------------------------------------------------------------------

struct ApiServer::Target {
  ApiPath path;
  const ResourceInfo& resource;
  ObjectKey key;  // items: the object's key
};

struct ApiServer::UpdateOutcome {
  ApiResponse response;
  bool conflict = false;  // the store's resourceVersion moved on: retry a patch
};

ApiServer::ApiServer(ApiStore& store, AfterWrite after_write, ApiServerOptions options)
    : store_(store), after_write_(std::move(after_write)), options_(std::move(options)) {
  if (!options_.wall_clock) {
    options_.wall_clock = [] {
      return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
    };
  }
  anchor_sim_ = store_.now();
  anchor_wall_ = options_.wall_clock();
  ensure_namespaces();
}

ApiServer::ApiServer(ApiStore& store, ControllerSet& controllers, ApiServerOptions options)
    : ApiServer(store, [&controllers] { controllers.reconcile(); }, std::move(options)) {}

ApiServer::~ApiServer() { stop(); }

void ApiServer::ensure_namespaces() {
  std::lock_guard lock(write_mu_);
  std::set<std::string> wanted = {"default", "kube-system", "kube-public", "istio-system"};
  for (const auto& object : store_.all())
    if (!object.namespace_().empty()) wanted.insert(object.namespace_());
  for (const auto& ns : wanted) {
    if (store_.get({"", "Namespace", "", ns})) continue;
    store_.create(make_object({{"apiVersion", "v1"},
                               {"kind", "Namespace"},
                               {"metadata", {{"name", ns}, {"labels", {{"kubernetes.io/metadata.name", ns}}}}},
                               {"spec", {{"finalizers", {"kubernetes"}}}},
                               {"status", {{"phase", "Active"}}}}));
  }
}

std::int64_t ApiServer::now() const {
  if (!options_.follow_wall_clock) return store_.now();
  return std::max(store_.now(), anchor_sim_ + (options_.wall_clock() - anchor_wall_));
}

void ApiServer::sync_clock() {
  if (!options_.follow_wall_clock) return;
  store_.clock().advance_to(now());
}

void ApiServer::after_write() {
  if (after_write_) after_write_();
}

std::size_t ApiServer::open_watches() const {
  std::lock_guard lock(watches_->mu);
  return watches_->open.size();
}

std::string ApiServer::url() const { return "http://" + options_.host + ":" + std::to_string(port_); }

Result<int> ApiServer::start() {
  std::lock_guard lock(lifecycle_mu_);
  if (http_) return port_;
  // No authentication, so never reachable from another machine.
  const std::string& host = options_.host;
  if (host.rfind("127.", 0) != 0 && host != "::1" && host != "localhost")
    return make_error("refusing to listen on " + host +
                      ": the fake API server has no authentication; use a loopback address (127.0.0.1)");
  http_ = std::make_unique<httplib::Server>();
  const std::size_t workers = std::max<std::size_t>(options_.worker_threads, 4);
  http_->new_task_queue = [workers] { return new httplib::ThreadPool(workers); };
  // Idle keep-alive connections hold a worker too: let them go soon (clients reconnect).
  http_->set_keep_alive_timeout(2);
  auto handler = [this](const httplib::Request& req, httplib::Response& res) {
    ApiRequest request;
    request.method = req.method;
    request.path = req.path;
    for (const auto& [k, v] : req.params) request.query.emplace(k, v);
    request.accept = req.get_header_value("Accept");
    request.content_type = req.get_header_value("Content-Type");
    request.body = req.body;
    ApiResponse response = handle(request);
    res.status = response.status;
    for (const auto& [k, v] : response.headers) res.set_header(k, v);
    if (!response.watch) {
      res.set_content(response.body, response.content_type);
      return;
    }
    // cpp-httplib compresses application/json for gzip-accepting clients without flushing
    // between chunks, which would hold watch events back: serve the stream uncompressed.
    auto& mutable_req = const_cast<httplib::Request&>(req);
    mutable_req.headers.erase("Accept-Encoding");
    std::shared_ptr<WatchStream> stream = response.watch;
    const auto beat = options_.heartbeat;
    res.set_chunked_content_provider(
        "application/json",
        [stream, beat](std::size_t, httplib::DataSink& sink) {
          std::optional<std::string> chunk;
          try {
            chunk = stream->next(beat);
          } catch (const std::exception&) {
            return false;  // end this stream, never the server
          }
          if (!chunk) {
            sink.done();
            return true;
          }
          // A failed write: the watcher went away; returning false frees this worker.
          return sink.write(chunk->data(), chunk->size());
        },
        [stream](bool) { stream->close(); });
  };
  http_->Get(".*", handler);
  http_->Post(".*", handler);
  http_->Put(".*", handler);
  http_->Patch(".*", handler);
  http_->Delete(".*", handler);
  const int port = options_.port == 0 ? http_->bind_to_any_port(options_.host)
                                      : (http_->bind_to_port(options_.host, options_.port) ? options_.port : -1);
  if (port < 0) {
    http_.reset();
    return make_error("cannot listen on " + options_.host + ":" + std::to_string(options_.port));
  }
  port_ = port;
  {
    std::lock_guard wl(watches_->mu);
    watches_->stopping = false;
  }
  thread_ = std::thread([this] { http_->listen_after_bind(); });
  return port_;
}

void ApiServer::stop() {
  std::lock_guard lock(lifecycle_mu_);
  {
    std::lock_guard wl(watches_->mu);
    watches_->stopping = true;
    for (WatchStream* stream : watches_->open) stream->close();
  }
  if (!http_) return;
  http_->stop();
  if (thread_.joinable()) thread_.join();
  http_.reset();
}

ApiResponse ApiServer::handle(const ApiRequest& request) {
  ApiResponse response;
  try {
    response = dispatch(request);
  } catch (const std::exception& e) {
    // A bug must not take the server down with it: answer as the real server does.
    response = error_response(internal_error(e.what()));
  }
  if (options_.on_request) options_.on_request(request, response);
  return response;
}

ApiResponse ApiServer::dispatch(const ApiRequest& request) {
  std::optional<ApiPath> parsed = parse_api_path(request.path);
  if (!parsed) return error_response(path_not_found());
  const ApiPath& path = *parsed;
  const bool get = request.method == "GET";
  switch (path.type) {
    case ApiPath::Type::kVersion:
      return get ? json_response(200, version_document()) : error_response(method_not_allowed());
    case ApiPath::Type::kCoreVersions:
      return get ? json_response(200, core_versions_document(options_.host + ":" + std::to_string(port_)))
                 : error_response(method_not_allowed());
    case ApiPath::Type::kGroupList:
      return get ? json_response(200, group_list_document()) : error_response(method_not_allowed());
    case ApiPath::Type::kGroup: {
      auto doc = group_document(path.group);
      if (!doc) return error_response(path_not_found());
      return get ? json_response(200, *doc) : error_response(method_not_allowed());
    }
    case ApiPath::Type::kResourceList: {
      auto doc = resource_list_document(path.group, path.version);
      if (!doc) return error_response(path_not_found());
      return get ? json_response(200, *doc) : error_response(method_not_allowed());
    }
    case ApiPath::Type::kOpenApiV2: {
      // The protobuf of an OpenAPI v2 document holding only swagger: "2.0": kubectl's client-side
      // validation then has nothing to check, and the server validates instead.
      ApiResponse r;
      r.content_type = "application/octet-stream";
      r.body = std::string("\x0a\x03\x32\x2e\x30", 5);
      return r;
    }
    case ApiPath::Type::kOpenApiV3:
      // 404 makes kubectl fall back to /openapi/v2 (kubectl 1.20 knows only v2 anyway).
      return error_response(path_not_found());
    case ApiPath::Type::kCollection:
    case ApiPath::Type::kItem:
      break;
  }
  const ResourceInfo& resource = *path.resource;
  Target target{path, resource,
                normalized_key({resource.group, resource.kind, resource.namespaced ? path.namespace_ : "", path.name})};
  if (path.type == ApiPath::Type::kCollection) {
    if (request.method == "GET") {
      const std::string w = request.param("watch");
      if (w == "true" || w == "1") return watch(request, target);
      return get_collection(request, target);
    }
    if (request.method == "POST") {
      if (resource.namespaced && path.namespace_.empty()) return error_response(method_not_allowed());
      return create(request, target);
    }
    if (request.method == "DELETE") return remove_collection(request, target);
    return error_response(method_not_allowed());
  }
  if (!path.subresource.empty()) {
    if (path.subresource == "scale" && resource.group == "apps" && resource.kind != "DaemonSet")
      return scale(request, target);
    if (path.subresource == "status" && request.method == "GET") return get_item(request, target);
    return error_response(path_not_found());
  }
  if (request.method == "GET") return get_item(request, target);
  if (request.method == "PUT") return replace(request, target);
  if (request.method == "PATCH") return patch(request, target);
  if (request.method == "DELETE") return remove(request, target);
  return error_response(method_not_allowed());
}

// ---- reads ---------------------------------------------------------------------------------------

namespace {

Result<Selectors> selectors_of(const ApiRequest& request, const ResourceInfo& resource) {
  Selectors s;
  auto labels = LabelSelector::parse(request.param("labelSelector"));
  if (!labels.ok()) return labels.error();
  auto fields = FieldSelector::parse(request.param("fieldSelector"), resource.group, resource.kind);
  if (!fields.ok()) return fields.error();
  s.labels = std::move(*labels);
  s.fields = std::move(*fields);
  return s;
}

}  // namespace

ApiResponse ApiServer::get_collection(const ApiRequest& request, const Target& target) {
  auto selectors = selectors_of(request, target.resource);
  if (!selectors.ok()) return error_response(bad_request(selectors.error().message));
  const ResourceInfo& r = target.resource;
  auto [objects, rv] = store_.list_at(r.group, r.kind, r.namespaced ? target.path.namespace_ : "");
  std::vector<Json> items;
  for (const auto& object : objects)
    if (selectors->matches(object.doc)) items.push_back(present(object.doc, r, target.path.version));
  // `limit` is not honoured: everything fits in one page, so no metadata.continue.
  if (wants_table(request)) {
    TableOptions options{include_object(request), now()};
    return json_response(200, make_table(r, items, options, std::to_string(rv)));
  }
  Json list = {{"kind", r.kind + "List"},
               {"apiVersion", r.group_version(target.path.version)},
               {"metadata", {{"resourceVersion", std::to_string(rv)}}},
               {"items", items}};
  return json_response(200, list);
}

ApiResponse ApiServer::get_item(const ApiRequest& request, const Target& target) {
  auto object = store_.get(target.key);
  if (!object) return error_response(not_found(target.resource, target.path.name));
  Json doc = present(object->doc, target.resource, target.path.version);
  if (wants_table(request)) {
    TableOptions options{include_object(request), now()};
    return json_response(200, make_table(target.resource, {doc}, options));
  }
  return json_response(200, doc);
}

ApiResponse ApiServer::watch(const ApiRequest& request, const Target& target) {
  auto selectors = selectors_of(request, target.resource);
  if (!selectors.ok()) return error_response(bad_request(selectors.error().message));
  const std::string from = request.param("resourceVersion");
  if (!from.empty() && !std::all_of(from.begin(), from.end(), [](unsigned char c) { return std::isdigit(c); }))
    return error_response(bad_request("invalid resource version: " + from));
  if (open_watches() >= options_.max_watches)
    return error_response(too_many_requests("too many open watches (" + std::to_string(options_.max_watches) +
                                            "); please try again later"));
  WatchStream::Setup setup;
  setup.store = &store_;
  setup.resource = &target.resource;
  setup.version = target.path.version;
  setup.namespace_ = target.resource.namespaced ? target.path.namespace_ : "";
  setup.selectors = std::move(*selectors);
  setup.table = wants_table(request);
  setup.table_options.include_object = include_object(request);
  setup.bookmarks = request.param("allowWatchBookmarks") == "true";
  if (const std::string t = request.param("timeoutSeconds"); !t.empty() && std::all_of(t.begin(), t.end(), ::isdigit))
    setup.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(std::stoll(t));
  setup.heartbeat = options_.heartbeat;
  setup.bookmark_interval = options_.bookmark_interval;
  setup.queue_limit = options_.watch_queue_limit;
  // By value: a stream may outlive the server (never the store).
  setup.now = [store = &store_, follow = options_.follow_wall_clock, wall = options_.wall_clock,
               anchor_sim = anchor_sim_, anchor_wall = anchor_wall_] {
    if (!follow) return store->now();
    return std::max(store->now(), anchor_sim + (wall() - anchor_wall));
  };
  setup.registry = watches_;
  ApiResponse response;
  response.watch = WatchStream::open(std::move(setup), from);
  return response;
}

// ---- writes --------------------------------------------------------------------------------------

namespace {

// Checks the body's kind and group against the URL's resource.
std::optional<ApiError> check_kind(const Json& doc, const ResourceInfo& resource) {
  if (!doc.is_object()) return bad_request("the request body must be a JSON object");
  const std::string kind = str(doc, "kind");
  const std::string api_version = str(doc, "apiVersion");
  if (kind.empty()) return bad_request("Object 'Kind' is missing in '" + text(doc) + "'");
  const auto slash = api_version.find('/');
  const std::string group = slash == std::string::npos ? "" : api_version.substr(0, slash);
  if (kind != resource.kind || group != resource.group)
    return bad_request("the object provided is unrecognized (must be of type " + resource.kind + "): " + kind +
                       " of " + (api_version.empty() ? "(no apiVersion)" : api_version));
  return std::nullopt;
}

// The namespace of the body against the URL's; fills it in when absent.
std::optional<ApiError> check_namespace(Json& doc, const ResourceInfo& resource, const std::string& url_namespace) {
  Json& meta = metadata_of(doc);
  if (!resource.namespaced) {
    meta.erase("namespace");
    return std::nullopt;
  }
  const std::string body_ns = str(meta, "namespace");
  if (body_ns.empty()) {
    meta["namespace"] = url_namespace;
  } else if (body_ns != url_namespace) {
    return bad_request("the namespace of the provided object does not match the namespace sent on the request");
  }
  return std::nullopt;
}

// Server-managed fields the client does not choose on create.
void strip_server_fields(Json& doc) {
  Json& meta = metadata_of(doc);
  for (const char* f : {"uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp",
                        "deletionGracePeriodSeconds", "selfLink"})
    meta.erase(f);
}

// Base-36 suffix for generateName, as the real server's 5 random characters.
std::string name_suffix(std::uint64_t n) {
  static const char* kAlphabet = "bcdfghjklmnpqrstvwxz2456789";
  std::string out;
  std::uint64_t x = n * 2654435761u + 12345;
  for (int i = 0; i < 5; ++i) {
    out += kAlphabet[x % 27];
    x /= 27;
  }
  return out;
}

bool dry_run_delete(const ApiRequest& request, const Json& options) {
  if (dry_run(request)) return true;
  if (options.is_object() && options.contains("dryRun") && options["dryRun"].is_array())
    return !options["dryRun"].empty();
  return false;
}

}  // namespace

ApiResponse ApiServer::create(const ApiRequest& request, const Target& target) {
  if (!readable_body_type(request.content_type)) return error_response(unsupported_media_type(kBodyMediaTypes));
  auto body = read_object(request);
  if (!body.ok()) return error_response(bad_request(body.error().message));
  if (auto e = check_kind(*body, target.resource)) return error_response(*e);
  return store_new(request, target, std::move(*body), dry_run(request));
}

ApiResponse ApiServer::store_new(const ApiRequest& request, const Target& target, Json doc, bool dry,
                                 const std::vector<std::string>& extra_warnings) {
  const ResourceInfo& r = target.resource;
  if (auto e = check_namespace(doc, r, target.path.namespace_)) return error_response(*e);
  strip_server_fields(doc);
  Json& meta = metadata_of(doc);
  std::lock_guard lock(write_mu_);
  if (str(meta, "name").empty()) {
    const std::string prefix = str(meta, "generateName");
    if (prefix.empty())
      return error_response(invalid(r, "", "metadata.name: Required value: name or generateName is required",
                                    {{"FieldValueRequired", "Required value: name or generateName is required",
                                      "metadata.name"}}));
    std::string name;
    do {
      name = prefix + name_suffix(++generated_names_);
    } while (store_.get(normalized_key({r.group, r.kind, str(meta, "namespace"), name})));
    meta["name"] = name;
  }
  const std::string name = str(meta, "name");
  if (std::string problem = name_problem(r, name); !problem.empty()) {
    const std::string field_error = "Invalid value: " + go_quoted(name) + ": " + problem;
    return error_response(invalid(r, name, "metadata.name: " + field_error, {{"FieldValueInvalid", field_error, "metadata.name"}}));
  }
  if (r.namespaced) {
    const std::string ns = str(meta, "namespace");
    if (!store_.get({"", "Namespace", "", ns})) {
      static const ResourceInfo* namespaces = find_resource("", "v1", "namespaces");
      return error_response(not_found(*namespaces, ns));
    }
  }
  Admission admission = admit(r, doc);
  if (admission.denied) return error_response(*admission.denied);
  std::vector<std::string> warnings = extra_warnings;
  warnings.insert(warnings.end(), admission.warnings.begin(), admission.warnings.end());

  const ObjectKey key = normalized_key({r.group, r.kind, str(meta, "namespace"), name});
  if (store_.get(key)) return error_response(already_exists(r, name));
  sync_clock();
  if (r.group.empty() && r.kind == "Service") allocate_service_addresses(doc);
  ApiResponse response;
  if (dry) {
    // What create would store, without storing it (no resourceVersion: nothing was written).
    char uid[64];
    std::snprintf(uid, sizeof uid, "00000000-0000-4000-9000-%012llx", static_cast<unsigned long long>(++dry_run_uid_));
    meta["uid"] = uid;
    meta["generation"] = 1;
    meta["creationTimestamp"] = format_timestamp(store_.now());
    response = json_response(201, present(doc, r, target.path.version));
  } else {
    Result<Object> stored = store_.create(make_object(std::move(doc)));
    if (!stored.ok()) {
      if (store_error_kind(stored.error()) == StoreErrorKind::kAlreadyExists)
        return error_response(already_exists(r, name));
      return error_response(internal_error(stored.error().to_string()));
    }
    after_write();
    response = json_response(201, present(stored->doc, r, target.path.version));
  }
  add_warnings(response, warnings);
  return response;
}

void ApiServer::allocate_service_addresses(Json& doc) {
  if (!doc.contains("spec") || !doc["spec"].is_object()) doc["spec"] = Json::object();
  Json& spec = doc["spec"];
  const std::string type = str(spec, "type").empty() ? "ClusterIP" : str(spec, "type");
  std::set<std::string> ips;
  std::set<std::int64_t> node_ports;
  for (const auto& svc : store_.list("", "Service")) {
    const Json& s = svc.doc.value("spec", Json::object());
    if (!str(s, "clusterIP").empty()) ips.insert(str(s, "clusterIP"));
    for (const auto& p : s.value("ports", Json::array()))
      if (p.is_object() && p.contains("nodePort") && p["nodePort"].is_number_integer())
        node_ports.insert(p["nodePort"].get<std::int64_t>());
  }
  if (type != "ExternalName" && str(spec, "clusterIP").empty()) {
    // 10.96.0.0/12 as a default cluster; 10.96.0.1 is the kubernetes Service of a real one.
    for (std::uint32_t n = 10; n < (1u << 20); ++n) {
      const std::string ip = "10." + std::to_string(96 + (n >> 16)) + "." + std::to_string((n >> 8) & 255) + "." +
                             std::to_string(n & 255);
      if (ips.count(ip) || (n & 255) == 0) continue;
      spec["clusterIP"] = ip;
      spec["clusterIPs"] = Json::array({ip});
      break;
    }
  }
  if ((type == "NodePort" || type == "LoadBalancer") && spec.contains("ports") && spec["ports"].is_array()) {
    std::int64_t next = 30000;
    for (auto& p : spec["ports"]) {
      if (!p.is_object() || p.contains("nodePort")) continue;
      while (node_ports.count(next)) ++next;
      if (next > 32767) break;
      p["nodePort"] = next;
      node_ports.insert(next++);
    }
  }
}

ApiServer::UpdateOutcome ApiServer::store_update(const ApiRequest& request, const Target& target, const Object& live,
                                                 Json doc, bool dry) {
  const ResourceInfo& r = target.resource;
  UpdateOutcome out;
  Json& meta = metadata_of(doc);
  const Json& live_meta = metadata_of(live.doc);
  // One object in the store whatever version the client spoke: keep the stored apiVersion.
  doc["apiVersion"] = live.doc.value("apiVersion", r.group_version(target.path.version));
  doc["kind"] = r.kind;
  meta["name"] = target.path.name;
  if (r.namespaced)
    meta["namespace"] = target.key.namespace_;
  else
    meta.erase("namespace");
  if (!meta.contains("managedFields") && live_meta.contains("managedFields"))
    meta["managedFields"] = live_meta["managedFields"];
  Admission admission = admit(r, doc);
  if (admission.denied) {
    out.response = error_response(*admission.denied);
    return out;
  }
  if (dry) {
    // The object update() would store: server-managed fields and status from the live object,
    // generation bumped when spec changes, resourceVersion unchanged (nothing was written).
    for (const char* f : {"uid", "creationTimestamp", "resourceVersion", "generation"}) {
      if (live_meta.contains(f))
        meta[f] = live_meta[f];
      else
        meta.erase(f);
    }
    if (live.doc.contains("status"))
      doc["status"] = live.doc["status"];
    else
      doc.erase("status");
    const Json none;
    if (doc.value("spec", none) != live.doc.value("spec", none) && live_meta.contains("generation") &&
        live_meta["generation"].is_number_integer())
      meta["generation"] = live_meta["generation"].get<std::int64_t>() + 1;
    out.response = json_response(200, present(doc, r, target.path.version));
    add_warnings(out.response, admission.warnings);
    return out;
  }
  sync_clock();
  const std::uint64_t before = store_.resource_version();
  Result<Object> stored = store_.update(make_object(std::move(doc)));
  if (!stored.ok()) {
    switch (store_error_kind(stored.error())) {
      case StoreErrorKind::kConflict:
        out.conflict = true;
        out.response = error_response(conflict(
            r, target.path.name,
            "the object has been modified; please apply your changes to the latest version and try again"));
        return out;
      case StoreErrorKind::kNotFound:
        out.response = error_response(not_found(r, target.path.name));
        return out;
      case StoreErrorKind::kInvalid:
        out.response = error_response(invalid(r, target.path.name, stored.error().message, {}));
        return out;
      default:
        out.response = error_response(internal_error(stored.error().to_string()));
        return out;
    }
  }
  if (store_.resource_version() != before) after_write();
  out.response = json_response(200, present(stored->doc, r, target.path.version));
  add_warnings(out.response, admission.warnings);
  return out;
}

ApiResponse ApiServer::replace(const ApiRequest& request, const Target& target) {
  if (!readable_body_type(request.content_type)) return error_response(unsupported_media_type(kBodyMediaTypes));
  auto body = read_object(request);
  if (!body.ok()) return error_response(bad_request(body.error().message));
  if (auto e = check_kind(*body, target.resource)) return error_response(*e);
  Json doc = std::move(*body);
  const std::string body_name = str(metadata_of(doc), "name");
  if (body_name != target.path.name)
    return error_response(bad_request("the name of the object (" + body_name +
                                      ") does not match the name on the URL (" + target.path.name + ")"));
  if (auto e = check_namespace(doc, target.resource, target.key.namespace_)) return error_response(*e);
  std::lock_guard lock(write_mu_);
  auto live = store_.get(target.key);
  if (!live) return error_response(not_found(target.resource, target.path.name));
  // PUT carries the client's resourceVersion: store.update() refuses a stale one (409).
  return store_update(request, target, *live, std::move(doc), dry_run(request)).response;
}

ApiResponse ApiServer::patch(const ApiRequest& request, const Target& target) {
  const ResourceInfo& r = target.resource;
  const std::string type = media_type(request.content_type);
  if (type == kSmpType && !r.strategic_merge) return error_response(unsupported_media_type(kPatchMediaTypes));
  if (type != kSmpType && type != kMergePatchType && type != kJsonPatchType && type != kApplyPatchType)
    return error_response(unsupported_media_type(kPatchMediaTypes));
  auto body = parse_body(request.body, request.content_type);
  if (!body.ok()) return error_response(bad_request("error decoding patch: " + body.error().message));
  const Json& patch_doc = *body;
  const bool dry = dry_run(request);
  const bool apply = type == kApplyPatchType;
  if (apply) {
    if (auto e = check_kind(patch_doc, r)) return error_response(*e);
    const std::string applied_name = str(metadata_of(patch_doc), "name");
    if (applied_name != target.path.name)
      return error_response(bad_request("the name of the object (" + applied_name +
                                        ") does not match the name on the URL (" + target.path.name + ")"));
    const std::string applied_ns = str(metadata_of(patch_doc), "namespace");
    if (r.namespaced && !applied_ns.empty() && applied_ns != target.key.namespace_)
      return error_response(
          bad_request("the namespace of the provided object does not match the namespace sent on the request"));
  }

  // The real server retries a patch internally when the object moved underneath it.
  for (int attempt = 0; attempt < 5; ++attempt) {
    std::unique_lock lock(write_mu_);
    auto live = store_.get(target.key);
    ApplyRequest apply_request{request.param("fieldManager"), r.group_version(target.path.version),
                               format_timestamp(now())};
    if (!live) {
      if (!apply) return error_response(not_found(r, target.path.name));
      // Server-side apply creates what is missing (kubectl sends no GET first).
      auto created = server_side_apply(Json(), patch_doc, apply_request, r.group, r.kind);
      if (!created.ok()) return error_response(bad_request(created.error().message));
      lock.unlock();
      return store_new(request, target, std::move(*created), dry);
    }
    Result<Json> patched = make_error("unreachable");
    if (type == kMergePatchType)
      patched = json_merge_patch(live->doc, patch_doc);
    else if (type == kJsonPatchType)
      patched = json_patch(live->doc, patch_doc);
    else if (type == kSmpType)
      patched = strategic_merge_patch(live->doc, patch_doc, r.group, r.kind);
    else
      patched = server_side_apply(live->doc, patch_doc, apply_request, r.group, r.kind);
    if (!patched.ok()) {
      if (apply) return error_response(bad_request(patched.error().message));
      return error_response(ApiError{422, "Invalid", patched.error().message, nullptr});
    }
    Json doc = std::move(*patched);
    if (!doc.is_object()) return error_response(bad_request("the patch must leave an object"));
    // Each part was bounded, but a deep value added at a deep path is deeper than either.
    if (model::json_deeper_than_limit(doc))
      return error_response(bad_request("the patched object nests deeper than " +
                                        std::to_string(model::kMaxNestingDepth) + " levels (the limit)"));
    // A resourceVersion the patch itself sets is a precondition; otherwise the live one is
    // (optimistic: another writer in between makes the store refuse, and we retry).
    const std::string live_rv = str(metadata_of(live->doc), "resourceVersion");
    const std::string patched_rv = str(metadata_of(doc), "resourceVersion");
    const bool explicit_rv = !patched_rv.empty() && patched_rv != live_rv;
    if (str(metadata_of(doc), "name") != target.path.name)
      return error_response(bad_request("metadata.name: the name of an object cannot be changed by a patch"));
    metadata_of(doc)["resourceVersion"] = explicit_rv ? patched_rv : live_rv;
    UpdateOutcome outcome = store_update(request, target, *live, std::move(doc), dry);
    if (outcome.conflict && !explicit_rv) continue;
    return outcome.response;
  }
  return error_response(conflict(r, target.path.name,
                                 "the object has been modified; please apply your changes to the latest version "
                                 "and try again"));
}

ApiResponse ApiServer::remove(const ApiRequest& request, const Target& target) {
  const ResourceInfo& r = target.resource;
  Json options;
  if (!request.body.empty()) options = model::parse_json(request.body).value;  // null when refused
  if (options.is_discarded()) options = Json();
  const bool is_namespace = r.group.empty() && r.kind == "Namespace";
  if (is_namespace && (target.path.name == "default" || target.path.name == "kube-system" ||
                       target.path.name == "kube-public"))
    return error_response(forbidden(r, target.path.name, "this namespace may not be deleted"));
  std::lock_guard lock(write_mu_);
  auto live = store_.get(target.key);
  if (!live) return error_response(not_found(r, target.path.name));
  if (options.is_object() && options.contains("preconditions") && options["preconditions"].is_object()) {
    const Json& pre = options["preconditions"];
    const Json& meta = metadata_of(live->doc);
    if (!str(pre, "uid").empty() && str(pre, "uid") != str(meta, "uid"))
      return error_response(conflict(r, target.path.name,
                                     "Precondition failed: UID in precondition: " + str(pre, "uid") +
                                         ", UID in object meta: " + str(meta, "uid")));
    if (!str(pre, "resourceVersion").empty() && str(pre, "resourceVersion") != str(meta, "resourceVersion"))
      return error_response(conflict(r, target.path.name,
                                     "Precondition failed: ResourceVersion in precondition: " +
                                         str(pre, "resourceVersion") +
                                         ", ResourceVersion in object meta: " + str(meta, "resourceVersion")));
  }
  if (dry_run_delete(request, options)) return json_response(200, present(live->doc, r, target.path.version));
  if (is_namespace) {
    // Namespace deletion removes everything in it (at once; a real cluster takes a while).
    for (const auto& object : store_.all())
      if (object.namespace_() == target.path.name) store_.remove(key_of(object));
  }
  Result<Object> removed = store_.remove(target.key);
  if (!removed.ok()) return error_response(not_found(r, target.path.name));
  after_write();
  return json_response(200, present(removed->doc, r, target.path.version));
}

ApiResponse ApiServer::remove_collection(const ApiRequest& request, const Target& target) {
  const ResourceInfo& r = target.resource;
  auto selectors = selectors_of(request, r);
  if (!selectors.ok()) return error_response(bad_request(selectors.error().message));
  Json options;
  if (!request.body.empty()) options = model::parse_json(request.body).value;  // null when refused
  if (options.is_discarded()) options = Json();
  const bool dry = dry_run_delete(request, options);
  std::lock_guard lock(write_mu_);
  auto [objects, rv] = store_.list_at(r.group, r.kind, r.namespaced ? target.path.namespace_ : "");
  Json items = Json::array();
  bool wrote = false;
  for (const auto& object : objects) {
    if (!selectors->matches(object.doc)) continue;
    if (r.group.empty() && r.kind == "Namespace") continue;  // never in bulk
    if (dry) {
      items.push_back(present(object.doc, r, target.path.version));
      continue;
    }
    if (auto removed = store_.remove(key_of(object)); removed.ok()) {
      items.push_back(present(removed->doc, r, target.path.version));
      wrote = true;
    }
  }
  if (wrote) after_write();
  return json_response(200, {{"kind", r.kind + "List"},
                             {"apiVersion", r.group_version(target.path.version)},
                             {"metadata", {{"resourceVersion", std::to_string(store_.resource_version())}}},
                             {"items", items}});
}

// The scale subresource (autoscaling/v1 Scale) of Deployments, ReplicaSets and StatefulSets,
// for `kubectl scale`.
ApiResponse ApiServer::scale(const ApiRequest& request, const Target& target) {
  const ResourceInfo& r = target.resource;
  auto scale_of = [&](const Object& object) {
    const Json& meta = metadata_of(object.doc);
    const Json& spec = object.doc.value("spec", Json::object());
    const Json& status = object.doc.value("status", Json::object());
    Json scale_meta = Json::object();
    for (const char* f : {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"})
      if (meta.contains(f)) scale_meta[f] = meta[f];
    std::string selector;
    if (spec.contains("selector") && spec["selector"].is_object() && spec["selector"].contains("matchLabels"))
      for (const auto& [k, v] : spec["selector"]["matchLabels"].items())
        selector += (selector.empty() ? "" : ",") + k + "=" + (v.is_string() ? v.get<std::string>() : v.dump());
    return Json{{"kind", "Scale"},
                {"apiVersion", "autoscaling/v1"},
                {"metadata", scale_meta},
                {"spec", {{"replicas", spec.value("replicas", 1)}}},
                {"status", {{"replicas", status.value("replicas", 0)}, {"selector", selector}}}};
  };
  if (request.method == "GET") {
    auto live = store_.get(target.key);
    if (!live) return error_response(not_found(r, target.path.name));
    return json_response(200, scale_of(*live));
  }
  if (request.method != "PUT" && request.method != "PATCH") return error_response(method_not_allowed());
  auto body = parse_body(request.body, request.content_type);
  if (!body.ok()) return error_response(bad_request(body.error().message));
  std::unique_lock lock(write_mu_);
  auto live = store_.get(target.key);
  if (!live) return error_response(not_found(r, target.path.name));
  Json current = scale_of(*live);
  Json wanted;
  if (request.method == "PUT") {
    wanted = *body;
  } else {
    const std::string type = media_type(request.content_type);
    Result<Json> patched = make_error("unsupported");
    if (type == kMergePatchType || type == kSmpType || type == kApplyPatchType)
      patched = json_merge_patch(current, *body);
    else if (type == kJsonPatchType)
      patched = json_patch(current, *body);
    else
      return error_response(unsupported_media_type(kPatchMediaTypes));
    if (!patched.ok()) return error_response(ApiError{422, "Invalid", patched.error().message, nullptr});
    wanted = std::move(*patched);
  }
  const Json& replicas = wanted.is_object() && wanted.contains("spec") ? wanted["spec"].value("replicas", Json())
                                                                         : Json();
  if (!replicas.is_number_integer() || replicas.get<std::int64_t>() < 0)
    return error_response(invalid(r, target.path.name, "spec.replicas: Invalid value: must be a non-negative integer",
                                  {{"FieldValueInvalid", "must be a non-negative integer", "spec.replicas"}}));
  Json doc = live->doc;
  doc["spec"]["replicas"] = replicas;
  const std::string wanted_rv = str(metadata_of(wanted), "resourceVersion");
  metadata_of(doc)["resourceVersion"] = wanted_rv.empty() ? str(metadata_of(live->doc), "resourceVersion") : wanted_rv;
  UpdateOutcome outcome = store_update(request, target, *live, std::move(doc), dry_run(request));
  if (outcome.response.status != 200) return outcome.response;
  auto after = store_.get(target.key);
  return json_response(200, scale_of(after ? *after : *live));
}

// ---- kubeconfig ------------------------------------------------------------------------------------

Result<std::string> write_kubeconfig(const std::string& path, const std::string& server_url,
                                     const std::string& namespace_) {
  std::ofstream out(path, std::ios::trunc);
  if (!out) return make_error("cannot write kubeconfig " + path);
  out << "# Written by gwsim: the fake API server at " << server_url << ".\n"
      << "# Use it with: KUBECONFIG=" << path << " kubectl get pods\n"
      << "apiVersion: v1\n"
      << "kind: Config\n"
      << "clusters:\n"
      << "- name: gwsim\n"
      << "  cluster:\n"
      << "    server: " << yaml_quoted(server_url) << "\n"
      << "contexts:\n"
      << "- name: gwsim\n"
      << "  context:\n"
      << "    cluster: gwsim\n"
      << "    namespace: " << yaml_quoted(namespace_) << "\n"
      << "current-context: gwsim\n"
      << "preferences: {}\n"
      << "users: []\n";
  out.close();
  if (!out) return make_error("cannot write kubeconfig " + path);
  return path;
}

}  // namespace gwsim::fakes
