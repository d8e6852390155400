// Where a fake pod's declared address really listens. A pod declares 127.1.0.7:8080; when that
// port cannot be bound (taken, e.g. by another gwsim on the same machine, or privileged), the
// pod listens on a free port instead and says so here. The proxy connects only to addresses
// found here, so it never reaches a process that is not ours.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <utility>

namespace gwsim::datapath {

struct SocketAddress {
  std::string ip;
  std::uint32_t port = 0;
  std::string to_string() const { return ip + ":" + std::to_string(port); }
  friend bool operator<(const SocketAddress& a, const SocketAddress& b) {
    return std::tie(a.ip, a.port) < std::tie(b.ip, b.port);
  }
  friend bool operator==(const SocketAddress& a, const SocketAddress& b) { return a.ip == b.ip && a.port == b.port; }
};

// Thread-safe: readers take an immutable snapshot; the writer publishes a whole new map.
class AddressMap {
 public:
  using Map = std::map<SocketAddress, SocketAddress>;  // declared -> actual

  AddressMap() : map_(std::make_shared<const Map>()) {}

  void publish(Map map) { map_.store(std::make_shared<const Map>(std::move(map))); }
  std::shared_ptr<const Map> snapshot() const { return map_.load(); }

  // The actual address of a declared one; nullopt when no fake pod serves it.
  std::optional<SocketAddress> resolve(const std::string& ip, std::uint32_t port) const {
    auto map = map_.load();
    auto it = map->find(SocketAddress{ip, port});
    if (it == map->end()) return std::nullopt;
    return it->second;
  }

 private:
  std::atomic<std::shared_ptr<const Map>> map_;
};

}  // namespace gwsim::datapath
