// One watch stream of the fake API server: the store's events for a resource, filtered by the
// request's selectors and rewritten to the URL's version, as watch.Interface events
// (k8s.io/apiserver pkg/endpoints/handlers/watch.go): initial ADDED events, heartbeats,
// bookmarks, 410 Gone for a version older than the history.
#include <algorithm>

#include "fakes/apiserver/api_server.h"
#include "fakes/apiserver/detail_server.h"

namespace gwsim::fakes {

using namespace detail;  // NOLINT: the server's shared helpers

WatchStream::WatchStream(Setup setup) : setup_(std::move(setup)), last_sent_(std::chrono::steady_clock::now()) {}

std::shared_ptr<WatchStream> WatchStream::open(Setup setup, const std::string& from) {
  const std::shared_ptr<WatchRegistry> registry = setup.registry;
  std::shared_ptr<WatchStream> stream;
  WatchStream* raw = nullptr;
  if (registry) {
    // Check and register in one step: a check before and a registration after would let
    // concurrent requests all pass the check.
    std::lock_guard lock(registry->mu);
    if (setup.max_open > 0 && registry->open.size() >= setup.max_open) return nullptr;
    stream.reset(new WatchStream(std::move(setup)));
    raw = stream.get();
    registry->open.insert(raw);
    if (registry->stopping) raw->closed_ = true;
  } else {
    stream.reset(new WatchStream(std::move(setup)));
    raw = stream.get();
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

}  // namespace gwsim::fakes
