// The fake API server's reads: list (label and field selectors, Table output for kubectl get),
// get, and the start of a watch (k8s.io/apiserver pkg/endpoints/handlers/get.go).
#include <charconv>

#include "fakes/apiserver/api_server.h"
#include "fakes/apiserver/detail_server.h"

namespace gwsim::fakes {

using namespace detail;  // NOLINT: the server's shared helpers

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
  // Digits that fit 64 bits (a longer number would throw in the stream's std::stoull: a 500).
  std::uint64_t from_version = 0;
  if (!from.empty() && (!std::all_of(from.begin(), from.end(), [](unsigned char c) { return std::isdigit(c); }) ||
                        std::from_chars(from.data(), from.data() + from.size(), from_version).ec != std::errc()))
    return error_response(bad_request("invalid resource version: " + from));
  WatchStream::Setup setup;
  setup.store = &store_;
  setup.resource = &target.resource;
  setup.version = target.path.version;
  setup.namespace_ = target.resource.namespaced ? target.path.namespace_ : "";
  setup.selectors = std::move(*selectors);
  setup.table = wants_table(request);
  setup.table_options.include_object = include_object(request);
  setup.bookmarks = request.param("allowWatchBookmarks") == "true";
  if (const std::string t = request.param("timeoutSeconds"); !t.empty() && std::all_of(t.begin(), t.end(), ::isdigit)) {
    // At most a day: a larger number would overflow the clock (or std::stoll).
    std::int64_t seconds = 86400;
    if (t.size() < 6) seconds = std::min<std::int64_t>(std::stoll(t), seconds);
    setup.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  }
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
  setup.max_open = options_.max_watches;
  ApiResponse response;
  response.watch = WatchStream::open(std::move(setup), from);
  if (!response.watch)
    return error_response(too_many_requests("too many open watches (" + std::to_string(options_.max_watches) +
                                            "); please try again later"));
  return response;
}

}  // namespace gwsim::fakes
