// The proxy's upstream side: a deadline that closes a socket, the keep-alive pool of one event
// loop, and one HTTP/1.1 request/response exchange with an upstream over it (reusing an idle
// connection when there is one). Plays the part of Envoy's HTTP/1.1 connection pool
// (source/common/http/http1/conn_pool.cc) and the upstream request of its router.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/datapath/address_map.h"
#include "engine/datapath/asio.h"
#include "engine/datapath/fiber.h"
#include "engine/http/response.h"

namespace gwsim::datapath::detail {

using Clock = std::chrono::steady_clock;

// `now + wait`, saturating at the clock's end: a route timeout of 2562047h (Go's longest
// duration, which Istio accepts) must wait forever, not overflow the clock and fire at once.
inline Clock::time_point deadline_after(Clock::time_point now, std::chrono::milliseconds wait) {
  if (wait <= std::chrono::milliseconds::zero()) return now;
  const auto room = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::time_point::max() - now);
  return wait >= room ? Clock::time_point::max() : now + wait;
}

inline constexpr std::size_t kMaxIdlePerUpstream = 256;
inline constexpr auto kConnectTimeout = std::chrono::seconds(10);  // Istio's default connectTimeout

std::string endpoint_text(const tcp::endpoint& e);

// Closes a socket when a deadline passes first, so that the operation on it ends; armed only
// for a finite deadline. Disarm (or destroy) it before the socket goes away.
class Deadline {
 public:
  Deadline(Socket& socket, Clock::time_point deadline) {
    if (deadline == Clock::time_point::max()) return;
    state_ = std::make_shared<State>(socket.get_executor());
    state_->timer.expires_at(deadline);
    state_->timer.async_wait([state = state_, s = &socket](error_code ec) {
      if (ec || state->disarmed) return;
      state->fired = true;
      error_code ignored;
      s->close(ignored);
    });
  }
  ~Deadline() { disarm(); }
  Deadline(const Deadline&) = delete;
  Deadline& operator=(const Deadline&) = delete;
  void disarm() {
    if (!state_ || state_->disarmed) return;
    state_->disarmed = true;
    state_->timer.cancel();
  }
  bool fired() const { return state_ && state_->fired; }

 private:
  struct State {
    explicit State(const Executor& ex) : timer(ex) {}
    Timer timer;
    bool fired = false;
    bool disarmed = false;
  };
  std::shared_ptr<State> state_;
};

// Open `socket` and, when the gateway pod has a loopback IP, bind it there (as traffic leaves
// a gateway pod on a cluster); connect() still picks the port.
void open_from(Socket& socket, const asio::ip::address& to, const std::string& source_ip, error_code& ec);

// One upstream HTTP/1.1 connection, kept alive in a Pool between requests.
struct UpstreamConn {
  explicit UpstreamConn(const Executor& ex) : socket(ex) {}
  Socket socket;
  beast::flat_buffer buffer;
  std::string local;  // "ip:port"
};

// Idle keep-alive connections of one event loop, by actual upstream address.
class Pool {
 public:
  std::unique_ptr<UpstreamConn> take(const std::string& key) {
    auto it = idle_.find(key);
    if (it == idle_.end() || it->second.empty()) return nullptr;
    auto conn = std::move(it->second.back());
    it->second.pop_back();
    return conn;
  }
  void give(const std::string& key, std::unique_ptr<UpstreamConn> conn) {
    auto& list = idle_[key];
    if (list.size() < kMaxIdlePerUpstream) list.push_back(std::move(conn));
  }
  void clear() { idle_.clear(); }

 private:
  std::unordered_map<std::string, std::vector<std::unique_ptr<UpstreamConn>>> idle_;
};

struct CallResult {
  enum class Kind { kResponse, kConnectFailure, kReset, kTimeout };
  Kind kind = Kind::kConnectFailure;
  gwsim::http::UpstreamResponse response;
  std::int64_t elapsed_ms = 0;  // wall time of the attempt
  std::int64_t service_ms = 0;  // request sent -> response read
  std::string local;
};

// One request to `to` on `pool`'s loop (`request` is its wire form), answered before
// `deadline` or not: a pooled connection closed while idle is replaced by a fresh one.
CallResult call_upstream(Fiber& fiber, asio::io_context& ctx, Pool& pool, const SocketAddress& to,
                         const std::string& source_ip, const std::string& request, Clock::time_point deadline,
                         bool head);

}  // namespace gwsim::datapath::detail
