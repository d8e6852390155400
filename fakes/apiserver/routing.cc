// The fake API server's serving and routing: its lifecycle (bind, serve on cpp-httplib, stop),
// and the routing of each request by path and method to its handler (reads.cc, writes.cc, watch
// streams in watch_stream.cc), as k8s.io/apiserver pkg/endpoints/installer.go lays the paths out.
#include <httplib.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

#include "engine/datapath/listen.h"
#include "fakes/apiserver/api_server.h"
#include "fakes/apiserver/detail_server.h"
#include "fakes/controllers/controllers.h"

namespace gwsim::fakes {

using namespace detail;  // NOLINT: the server's shared helpers

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

namespace {

// The connection threads: `min` always, one more for each connection that finds none idle, up to
// `max`; extra threads end after a while idle. cpp-httplib's ThreadPool has a fixed size, and
// every connection holds its thread until it closes, so a few dozen slow clients would leave
// kubectl's connections queued behind them.
class ConnectionThreads : public httplib::TaskQueue {
 public:
  ConnectionThreads(std::size_t min, std::size_t max) : min_(min), max_(std::max(min, max)) {
    std::lock_guard lock(mu_);
    for (std::size_t i = 0; i < min_; ++i) spawn();
  }

  void enqueue(std::function<void()> fn) override {
    std::lock_guard lock(mu_);
    jobs_.push_back(std::move(fn));
    if (idle_ < jobs_.size() && live_ < max_) spawn();
    work_cv_.notify_one();
  }

  void shutdown() override {
    std::unique_lock lock(mu_);
    shutdown_ = true;
    work_cv_.notify_all();
    done_cv_.wait(lock, [&] { return live_ == 0; });
  }

 private:
  static constexpr std::chrono::seconds kIdleExit{10};

  void spawn() {  // under mu_
    ++live_;
    std::thread([this] { work(); }).detach();
  }

  void work() {
    std::unique_lock lock(mu_);
    for (;;) {
      ++idle_;
      const bool woken = work_cv_.wait_for(lock, kIdleExit, [&] { return !jobs_.empty() || shutdown_; });
      --idle_;
      if (!jobs_.empty()) {
        std::function<void()> fn = std::move(jobs_.front());
        jobs_.pop_front();
        lock.unlock();
        fn();
        lock.lock();
        continue;
      }
      if (shutdown_ || (!woken && live_ > min_)) break;
    }
    --live_;
    done_cv_.notify_all();
  }

  const std::size_t min_;
  const std::size_t max_;
  std::mutex mu_;
  std::condition_variable work_cv_;
  std::condition_variable done_cv_;
  std::deque<std::function<void()>> jobs_;
  std::size_t live_ = 0;
  std::size_t idle_ = 0;
  bool shutdown_ = false;
};

}  // namespace

// ---- ApiServer -----------------------------------------------------------------------------------


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
  if (!datapath::is_loopback(host) && host != "localhost")
    return make_error("refusing to listen on " + host +
                      ": the fake API server has no authentication; use a loopback address (127.0.0.1)");
  http_ = std::make_unique<httplib::Server>();
  const std::size_t workers = std::max<std::size_t>(options_.worker_threads, 4);
  const std::size_t most = std::max(options_.max_connections, workers);
  http_->new_task_queue = [workers, most] { return new ConnectionThreads(workers, most); };
  // A request whose headers or body stall is dropped, and idle keep-alive connections go soon
  // (clients reconnect): neither holds its thread for long. Watches write only, so the read
  // timeout never ends one.
  http_->set_read_timeout(options_.read_timeout.count(), 0);
  http_->set_keep_alive_timeout(options_.keep_alive_timeout.count());
  http_->set_keep_alive_max_count(100);
  // cpp-httplib refuses a longer Content-Length itself (413 without a body): give that answer
  // the API server's Status too.
  http_->set_payload_max_length(options_.max_request_body_bytes);
  http_->set_error_handler(httplib::Server::HandlerWithResponse(
      [limit = options_.max_request_body_bytes](const httplib::Request&, httplib::Response& res) {
    if (res.status != 413 || !res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    res.set_content(text(request_entity_too_large(limit).to_status()), "application/json");
    return httplib::Server::HandlerResponse::Handled;
  }));
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
  // cpp-httplib sets SO_REUSEPORT, with which a second server on a taken port starts too and
  // the kernel splits the clients between them: a taken port is refused instead (listen.h).
  http_->set_socket_options(datapath::set_listen_socket_options);
  const int port = options_.port == 0 ? http_->bind_to_any_port(options_.host)
                                      : (http_->bind_to_port(options_.host, options_.port) ? options_.port : -1);
  if (port < 0) {
    http_.reset();
    const auto port_number = static_cast<std::uint32_t>(options_.port);
    std::string why = datapath::is_loopback(host) ? datapath::why_not_bindable(host, port_number) : std::string();
    return make_error("cannot listen on " + host + ":" + std::to_string(options_.port) + (why.empty() ? "" : ": " + why));
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
  if (options_.write_warnings && request.method != "GET" && response.status < 300 && !response.watch &&
      !request.has_param("dryRun")) {
    try {
      add_warnings(response, options_.write_warnings(request, response));
    } catch (const std::exception&) {
      // A warning that cannot be worked out is not sent; the write itself succeeded.
    }
  }
  if (options_.on_request) options_.on_request(request, response);
  return response;
}

ApiResponse ApiServer::dispatch(const ApiRequest& request) {
  // k8s.io/apiserver pkg/endpoints/handlers/rest.go limitedReadBody: every handler that reads a
  // body (create, update, patch, delete) refuses one over MaxRequestBodyBytes.
  if (request.body.size() > options_.max_request_body_bytes)
    return error_response(request_entity_too_large(options_.max_request_body_bytes));
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
    case ApiPath::Type::kHealth: {
      // kube-apiserver's health endpoints (k8s.io/apiserver/pkg/server/healthz): "ok" as plain
      // text, and with ?verbose each check and "<endpoint> check passed".
      if (!get) return error_response(method_not_allowed());
      ApiResponse r;
      r.content_type = "text/plain; charset=utf-8";
      r.body = !request.has_param("verbose") ? "ok"
                                                : "[+]ping ok\n[+]log ok\n[+]etcd ok\n" + path.name + " check passed\n";
      return r;
    }
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
    // The fake pods are echo servers in this process, not containers: say so rather than 404.
    if (resource.kind == "Pod" && (path.subresource == "exec" || path.subresource == "attach" ||
                                   path.subresource == "portforward"))
      return error_response(bad_request("pods/" + path.subresource + " is not supported by gwsim: its pods are echo "
                                        "servers inside gwsim, with no container to enter; send requests through "
                                        "the gateway, or to the pod's address (kubectl get pod -o wide)"));
    return error_response(path_not_found());
  }
  if (request.method == "GET") return get_item(request, target);
  if (request.method == "PUT") return replace(request, target);
  if (request.method == "PATCH") return patch(request, target);
  if (request.method == "DELETE") return remove(request, target);
  return error_response(method_not_allowed());
}

}  // namespace gwsim::fakes
