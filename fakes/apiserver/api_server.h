// ApiServer: a fake Kubernetes API server over the ApiStore that the real kubectl drives
// (measured requirements: ../shared/research/kubectl-api.md). Plain HTTP on loopback.
//   /version, legacy discovery, /openapi/v2 (an empty document) and /openapi/v3 (404);
//   list (label/field selectors, list resourceVersion), get, create, update (resourceVersion
//   conflicts), patch (strategic merge for built-in kinds, JSON merge, JSON patch, server-side
//   apply), delete (also collections), dryRun=All, Table output for `kubectl get`, watch
//   streams (replay from a resourceVersion, 410 Gone, heartbeats, bookmarks on request), the
//   scale subresource of workloads; request bodies in JSON, YAML or Kubernetes protobuf (what
//   `kubectl create ...` sends); errors as Status objects with the real server's codes and words.
// Hostile input gets kube-apiserver's answers: bodies over 3 MiB are 413; built-in objects are
// decoded as their Go types (field_validation.h: unknown fields dropped with a Warning, refused
// under fieldValidation=Strict; values that do not fit refused); no patch or update changes an
// object's kind, name or namespace. Slow clients hold only their own connection's thread.
// Istio objects pass admission (validation::admit: the CRD schema, then Istio's validating
// webhook) before they are stored, dry runs too; a refused object is not stored, and the answer
// is chosen by the kind of its problems (status.h admission_error). After every successful write
// the `after_write` hook runs (the controllers' reconcile), serialised with the writes, so a
// Deployment's pods and a Service's Endpoints exist when kubectl's next request arrives.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "engine/model/result.h"
#include "fakes/apiserver/resources.h"
#include "fakes/apiserver/selectors.h"
#include "fakes/apiserver/table.h"
#include "fakes/store/api_store.h"

namespace httplib {
class Server;
}

namespace gwsim::fakes {

class ControllerSet;
struct ApiRequest;
struct ApiResponse;

struct ApiServerOptions {
  std::string host = "127.0.0.1";  // loopback only (127.x, ::1, localhost): there is no authentication
  int port = 0;                    // 0: a free port
  // Every open connection holds a worker; long-lived watches too. At most `max_watches` watches
  // are served at once (more get 429), so the others always leave workers for short requests.
  std::size_t worker_threads = 64;
  std::size_t max_watches = 48;
  // Connections beyond `worker_threads` get a thread of their own, up to this many at once: a
  // client holding many slow connections (slowloris) cannot starve the others.
  std::size_t max_connections = 1024;
  // A connection that sends nothing for this long while its request (headers or body) is read
  // is closed; an idle keep-alive connection after `keep_alive_timeout`. Watches are not
  // affected: they only write once their request is read.
  std::chrono::seconds read_timeout{5};
  std::chrono::seconds keep_alive_timeout{2};
  // Request bodies over this many bytes are refused with 413 (kube-apiserver's MaxRequestBodyBytes).
  std::size_t max_request_body_bytes = 3 * 1024 * 1024;
  // A watch with nothing to send writes a newline this often: a failed write frees the worker
  // of a watcher that went away (kubectl ignores the blank lines).
  std::chrono::milliseconds heartbeat{1000};
  // With ?allowWatchBookmarks=true, a BOOKMARK event after this much quiet.
  std::chrono::milliseconds bookmark_interval{10000};
  // A watcher this many events behind is disconnected (it lists and watches again).
  std::size_t watch_queue_limit = 10000;
  // Moves the store's simulated clock along with the wall clock before each write, so objects
  // made through the API (and the pods the controllers make for them) get creation times that
  // kubectl's AGE column shows naturally. Off: AGE is measured on the simulated clock. (The
  // clock is atomic and only moves forward, so other writers may advance it meanwhile.)
  bool follow_wall_clock = true;
  // Unix seconds; replaceable in tests.
  std::function<std::int64_t()> wall_clock;
  // After each successful write (not a dry run): warnings about it, each sent as a
  // `Warning: 299 - "text"` header, as kube-apiserver sends an admission webhook's warnings and
  // kubectl prints them ("Warning: text"). `gwsim serve` gives its configuration analysis here.
  std::function<std::vector<std::string>(const ApiRequest&, const ApiResponse&)> write_warnings;
  // Called after each request is answered (a request log); runs on the serving thread.
  std::function<void(const ApiRequest&, const ApiResponse&)> on_request;
};

// One HTTP request, transport-independent (the unit tests call handle() directly).
struct ApiRequest {
  std::string method;  // GET, POST, PUT, PATCH, DELETE
  std::string path;    // without the query
  std::multimap<std::string, std::string> query;  // decoded
  std::string accept;
  std::string content_type;
  std::string body;

  std::string param(const std::string& name) const;  // "" when absent
  bool has_param(const std::string& name) const;
};

class WatchStream;

struct ApiResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // e.g. Warning
  // Set for a watch request that was accepted: the chunks to stream (status is 200).
  std::shared_ptr<WatchStream> watch;

  Json json() const;  // body parsed (null when it is not JSON)
};

// The registry of open watch streams, shared with the streams so a stream may outlive the server.
struct WatchRegistry {
  std::mutex mu;
  std::set<WatchStream*> open;
  bool stopping = false;
};

// One watch: what to send, produced by next(). The store must outlive it. Selectors filter each
// event by the object's state in it (an object that stops matching a label selector sends no
// DELETED, unlike a real server).
class WatchStream {
 public:
  struct Setup {
    ApiStore* store = nullptr;
    const ResourceInfo* resource = nullptr;
    std::string version;     // apiVersion of the URL: events are rewritten to it
    std::string namespace_;  // "" = all
    Selectors selectors;
    bool table = false;
    TableOptions table_options;
    bool bookmarks = false;
    std::optional<std::chrono::steady_clock::time_point> deadline;  // timeoutSeconds
    std::chrono::milliseconds heartbeat{1000};
    std::chrono::milliseconds bookmark_interval{10000};
    std::size_t queue_limit = 10000;
    std::function<std::int64_t()> now;  // for AGE in Table rows
    std::shared_ptr<WatchRegistry> registry;
    // With a registry: at most this many streams open at once (0: no limit).
    std::size_t max_open = 0;
  };

  // Starts watching the store at once; `from` is the request's resourceVersion ("" or "0": the
  // current objects as ADDED events first, then every change). nullptr when the registry already
  // holds `max_open` streams: the check and the registration are one step under its lock, so
  // concurrent watch requests never exceed the limit.
  static std::shared_ptr<WatchStream> open(Setup setup, const std::string& from);
  ~WatchStream();
  WatchStream(const WatchStream&) = delete;
  WatchStream& operator=(const WatchStream&) = delete;

  // Waits up to `wait` (at most the heartbeat interval) for the next chunk: one JSON event and a
  // newline; "\n" as a heartbeat when nothing happened; nullopt when the stream is over (timeout,
  // an ERROR event was sent, the server stops, the watcher fell too far behind, or close()).
  std::optional<std::string> next(std::chrono::milliseconds wait);
  void close();

 private:
  explicit WatchStream(Setup setup);
  bool wanted(const WatchEvent& event) const;
  std::string render(const std::string& type, const Json& object) const;
  std::string render_event(const WatchEvent& event) const;
  void push(const WatchEvent& event);  // store callback

  Setup setup_;
  int watch_id_ = 0;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<WatchEvent> queue_;
  std::deque<std::string> initial_;  // rendered before anything queued
  std::uint64_t floor_ = 0;          // queued events at or below this version were sent already
  bool closed_ = false;
  bool end_after_initial_ = false;   // after a 410 ERROR event
  std::chrono::steady_clock::time_point last_sent_;
};

class ApiServer {
 public:
  using AfterWrite = std::function<void()>;

  ApiServer(ApiStore& store, AfterWrite after_write, ApiServerOptions options = {});
  // after_write = controllers.reconcile().
  ApiServer(ApiStore& store, ControllerSet& controllers, ApiServerOptions options = {});
  ~ApiServer();
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  // Creates the namespaces default, kube-system, kube-public and istio-system, and every
  // namespace the store's objects use, when missing (a real cluster has them; kubectl refuses
  // nothing into them). The constructor does this once.
  void ensure_namespaces();

  // Binds options.host:options.port and serves on a background thread. Returns the port; a
  // port another socket holds is an error saying so, never shared (engine/datapath/listen.h).
  Result<int> start();
  // Ends every watch and stops serving (idempotent; the destructor calls it).
  void stop();
  int port() const { return port_; }
  std::string url() const;  // "http://127.0.0.1:PORT"

  // Answers one request (everything but the transport). A watch request's response carries the
  // stream in `watch`.
  ApiResponse handle(const ApiRequest& request);

  std::size_t open_watches() const;
  // The time AGE is measured against (unix seconds).
  std::int64_t now() const;

 private:
  struct Target;
  ApiResponse dispatch(const ApiRequest& request);
  ApiResponse get_collection(const ApiRequest& request, const Target& target);
  ApiResponse get_item(const ApiRequest& request, const Target& target);
  ApiResponse watch(const ApiRequest& request, const Target& target);
  ApiResponse create(const ApiRequest& request, const Target& target);
  ApiResponse replace(const ApiRequest& request, const Target& target);
  ApiResponse patch(const ApiRequest& request, const Target& target);
  ApiResponse remove(const ApiRequest& request, const Target& target);
  ApiResponse remove_collection(const ApiRequest& request, const Target& target);
  ApiResponse scale(const ApiRequest& request, const Target& target);
  // Stores `doc` as a new object (create, or an apply that creates) after admission.
  ApiResponse store_new(const ApiRequest& request, const Target& target, Json doc, bool dry_run,
                        const std::vector<std::string>& extra_warnings = {});
  // Writes `doc` over `live` (update/patch) after admission; `expected_rv`: optimistic lock.
  struct UpdateOutcome;
  UpdateOutcome store_update(const ApiRequest& request, const Target& target, const Object& live, Json doc,
                             bool dry_run);
  // The real server's allocation for a new Service: a cluster IP (unless headless or
  // ExternalName) and node ports for NodePort / LoadBalancer Services.
  void allocate_service_addresses(Json& doc);
  void sync_clock();
  void after_write();

  ApiStore& store_;
  AfterWrite after_write_;
  ApiServerOptions options_;
  std::int64_t anchor_sim_ = 0;   // store time when the server was made
  std::int64_t anchor_wall_ = 0;  // wall time then
  std::mutex write_mu_;           // serialises writes and the reconcile after them
  std::uint64_t dry_run_uid_ = 0;
  std::uint64_t generated_names_ = 0;
  std::shared_ptr<WatchRegistry> watches_ = std::make_shared<WatchRegistry>();

  std::unique_ptr<httplib::Server> http_;
  std::thread thread_;
  int port_ = 0;
  std::mutex lifecycle_mu_;
};

// Writes a kubeconfig that points kubectl at `server_url` (context "gwsim", namespace
// `namespace_`): `KUBECONFIG=<path> kubectl get pods`.
Result<std::string> write_kubeconfig(const std::string& path, const std::string& server_url,
                                     const std::string& namespace_ = "default");

}  // namespace gwsim::fakes
